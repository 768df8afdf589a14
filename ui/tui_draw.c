/*
 * tui_draw.c — painting helpers the screens share: text cut to columns,
 * table layout and rows, scrolling, styles; see screen.h.
 *
 * Text always goes through ui/width.h (width_fit) and is handed to curses
 * as wide characters, so CJK names take their two columns and a column
 * after them starts where it would after a Latin name.
 */
#include "screen.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "model/scope.h"

#define TUI_PUT_MAX 1024		/* columns painted by one call at most */

/* The locale is not UTF-8: curses cannot show what is not ASCII, so it is
 * painted as '?' (one column, as the width module counted it). */
static int tui_ascii_only;

static const char *tui_title(const char *s);

/* A column's title in the user's language (marked N_ in the screens'
 * tables; "" and titles made at run time stay as they are). */
static const char *
tui_title(const char *s)
{
	return s == NULL || *s == '\0' ? "" : _(s);
}

int
tui_list_rows(void)
{
	int n = LINES - TUI_LIST_TOP - 2;

	return n > 0 ? n : 0;
}

enum {
	PAIR_TITLE = 1, PAIR_NEG, PAIR_WARN, PAIR_OK, PAIR_BOX, PAIR_MARK,
	PAIR_TAB
};

void
tui_styles_init(struct tui *t, int color)
{
	attr_t *a = t->attrs;

	t->color = color;
	tui_ascii_only = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	for (int i = 0; i < STY_COUNT; i++)
		a[i] = A_NORMAL;
	/* Monochrome first: everything must read without colour. */
	a[STY_TITLE] = A_REVERSE;
	a[STY_TAB] = A_REVERSE | A_BOLD;
	a[STY_HEADER] = A_BOLD | A_UNDERLINE;
	a[STY_SELECTED] = A_REVERSE;
	a[STY_WARN] = A_BOLD;
	a[STY_ERROR] = A_BOLD;
	a[STY_MARK] = A_BOLD | A_UNDERLINE;
	if (!color)
		return;
	start_color();
	{
		short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;

		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_TAB, COLOR_YELLOW, COLOR_BLUE);
		init_pair(PAIR_NEG, COLOR_RED, bg);
		init_pair(PAIR_WARN, COLOR_RED, bg);
		init_pair(PAIR_OK, COLOR_GREEN, bg);
		init_pair(PAIR_BOX, COLOR_CYAN, bg);
		init_pair(PAIR_MARK, COLOR_YELLOW, bg);
	}
	a[STY_TITLE] = COLOR_PAIR(PAIR_TITLE);
	a[STY_TAB] = COLOR_PAIR(PAIR_TAB) | A_BOLD;
	a[STY_NEGATIVE] = COLOR_PAIR(PAIR_NEG);
	a[STY_WARN] = COLOR_PAIR(PAIR_WARN) | A_BOLD;
	a[STY_ERROR] = COLOR_PAIR(PAIR_WARN) | A_BOLD;
	a[STY_OK] = COLOR_PAIR(PAIR_OK);
	a[STY_BOX] = COLOR_PAIR(PAIR_BOX);
	a[STY_MARK] = COLOR_PAIR(PAIR_MARK) | A_BOLD;
}

attr_t
tui_attr(const struct tui *t, enum tui_style s)
{
	return (unsigned)s < STY_COUNT ? t->attrs[s] : A_NORMAL;
}

void
tui_put(int y, int x, int cols, const char *s, enum width_align al, attr_t a)
{
	char buf[WIDTH_FIT_BUFSZ(TUI_PUT_MAX)];
	wchar_t wbuf[WIDTH_FIT_BUFSZ(TUI_PUT_MAX)];
	size_t len, i = 0;
	int n = 0;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || cols <= 0)
		return;
	if (cols > COLS - x)
		cols = COLS - x;
	if (cols > TUI_PUT_MAX)
		cols = TUI_PUT_MAX;
	len = width_fit(buf, sizeof(buf), s, cols, al);
	while (i < len) {
		uint32_t cp;

		i += width_decode(buf + i, len - i, &cp, NULL);
		wbuf[n++] = tui_ascii_only && cp >= 0x80 ? L'?' : (wchar_t)cp;
	}
	attrset(a);
	mvaddnwstr(y, x, wbuf, n);
	attrset(A_NORMAL);
}

void
tui_fill(int y, int x, attr_t a)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	attrset(a);
	mvhline(y, x, ' ', COLS - x);
	attrset(A_NORMAL);
}

void
tui_layout(const struct tui_col *c, const int *natural, int n, int width,
    int *w)
{
	int total = 1, flex = -1;

	for (int i = 0; i < n; i++) {
		int v = natural ? natural[i] : 0, tw = width_str(tui_title(c[i].title));

		if (v < tw)
			v = tw;
		if (c[i].min > v)
			v = c[i].min;
		if (c[i].max > 0 && v > c[i].max)
			v = c[i].max;
		w[i] = v;
		total += v + (i ? 1 : 0);
		if (c[i].flex)
			flex = i;
	}
	for (int i = 0; i < n && total > width; i++)
		if (c[i].give && c[i].min > 0 && w[i] > c[i].min) {
			total -= w[i] - c[i].min;
			w[i] = c[i].min;
		}
	/* Still too wide: the others give from the right, then the flexible
	 * one, each down to its min (amounts, min < 0, never give); then the
	 * columns that may go (min 0) go, from the right. */
	for (int pass = 0; pass < 3 && total > width; pass++) {
		for (int i = n - 1; i >= 0 && total > width; i--) {
			int floor = c[i].min;

			if (floor < 0 || (pass == 0 && i == flex) ||
			    (pass == 1 && i != flex))
				continue;
			if (pass == 2) {
				if (floor == 0 && w[i] > 0) {
					total -= w[i] + 1;
					w[i] = 0;
				}
				continue;
			}
			if (floor < 1)
				floor = c[i].min == 0 ? width_str(tui_title(c[i].title)) : 1;
			if (w[i] > floor) {
				int give = w[i] - floor;

				if (give > total - width)
					give = total - width;
				w[i] -= give;
				total -= give;
			}
		}
	}
	if (total < width && flex >= 0)
		w[flex] += width - total;
}

void
tui_row(int y, const struct tui_col *c, const int *w, int n,
    const char *const *cells, const attr_t *attrs, attr_t base)
{
	int x = 1;

	tui_fill(y, 0, base);
	for (int i = 0; i < n && x < COLS; i++) {
		if (w[i] == 0)
			continue;	/* a column that went for lack of room */
		tui_put(y, x, w[i], cells[i], c[i].align,
		    base | (attrs ? attrs[i] : A_NORMAL));
		x += w[i] + 1;
	}
}

void
tui_header(const struct tui *t, int y, const struct tui_col *c, const int *w,
    int n)
{
	const char *titles[TUI_MAX_COLS];

	for (int i = 0; i < n && i < TUI_MAX_COLS; i++)
		titles[i] = tui_title(c[i].title);
	tui_row(y, c, w, n < TUI_MAX_COLS ? n : TUI_MAX_COLS, titles, NULL,
	    tui_attr(t, STY_HEADER));
}

int
tui_scroll_top(int top, int cur, int n, int rows)
{
	if (rows <= 0 || n <= 0)
		return 0;
	if (cur < top)
		top = cur;
	if (cur >= top + rows)
		top = cur - rows + 1;
	if (top > n - rows)
		top = n - rows;
	return top < 0 ? 0 : top;
}

int
tui_cursor_move(struct tui_cursor *c, enum tui_action a, int n, int page)
{
	if (page < 1)
		page = 1;
	switch (a) {
	case ACT_UP:
		c->cur--;
		break;
	case ACT_DOWN:
		c->cur++;
		break;
	case ACT_PGUP:
		c->cur -= page;
		c->top -= page;
		break;
	case ACT_PGDN:
		c->cur += page;
		c->top += page;
		break;
	case ACT_TOP:
		c->cur = 0;
		break;
	case ACT_BOTTOM:
		c->cur = n - 1;
		break;
	default:
		return 0;
	}
	if (c->cur >= n)
		c->cur = n - 1;
	if (c->cur < 0)
		c->cur = 0;
	if (c->top < 0)
		c->top = 0;
	c->top = tui_scroll_top(c->top, c->cur, n, page);
	return 1;
}

char *
tui_count(int64_t n, char *buf)
{
	char digits[24];
	uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)u);
	int k = 0;

	if (n < 0)
		buf[k++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
	return buf;
}

void
tui_time(const char *iso, int cols, char *out, size_t outsz)
{
	size_t n = strlen(iso);
	int keep;

	if (n < 10) {
		snprintf(out, outsz, "%s", iso);
		return;
	}
	keep = cols >= 19 && n >= 19 ? 19 : cols >= 16 && n >= 16 ? 16 : 10;
	snprintf(out, outsz, "%.*s", keep, iso);
	if (keep > 10 && out[10] == 'T')
		out[10] = ' ';
}

int
tui_role_in(const struct tui *t, unsigned mask)
{
	return mask == 0 || (mask & SCOPE(t->sess.op.role)) != 0;
}
