/*
 * tui_modal.c — the dialogs drawn over a screen: a confirmation (y
 * confirms, any other key cancels), a form of text fields, and a page of
 * text (details, help); and the one-line field editor the forms use.
 *
 * A dialog remembers the record it is about (target) from the moment it
 * opens, so that a list reloading underneath (another process's change)
 * can never turn a confirmation into one about another record.
 */
#include "screen.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>

#define CTRL(c) ((c) & 0x1f)
#define MODAL_LABEL_COLS 14		/* tui_modal_pair's label column */

/* ---- fields -------------------------------------------------------------- */

static size_t tui_utf8_len(wchar_t c);
static size_t tui_utf8_put(wchar_t c, char *out);
static int tui_field_bytes(const struct tui_field *f);
static int tui_field_accepts(wint_t c);
static int tui_field_key(struct tui_field *f, int code, int fn);
static int tui_wcols(wchar_t c);
static int tui_field_draw(const struct tui_field *f, int y, int x, int cols,
    attr_t a);
static int tui_modal_is_enter(int code, int fn);
static void tui_modal_frame(const struct tui *t, int y, int x, int h, int w);

static size_t
tui_utf8_len(wchar_t c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

static size_t
tui_utf8_put(wchar_t c, char *out)
{
	uint32_t v = (uint32_t)c;

	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xc0 | (v >> 6));
		out[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if (v < 0x10000) {
		out[0] = (char)(0xe0 | (v >> 12));
		out[1] = (char)(0x80 | ((v >> 6) & 0x3f));
		out[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (v >> 18));
	out[1] = (char)(0x80 | ((v >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((v >> 6) & 0x3f));
	out[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

static int
tui_field_bytes(const struct tui_field *f)
{
	size_t n = 0;

	for (int i = 0; i < f->len; i++)
		n += tui_utf8_len(f->text[i]);
	return (int)n;
}

void
tui_field_get(const struct tui_field *f, char *out, size_t outsz)
{
	size_t k = 0;

	if (outsz == 0)
		return;
	for (int i = 0; i < f->len; i++) {
		if (k + tui_utf8_len(f->text[i]) + 1 > outsz)
			break;
		k += tui_utf8_put(f->text[i], out + k);
	}
	out[k] = '\0';
}

void
tui_field_clear(struct tui_field *f)
{
	/* volatile: a password must not survive in memory. */
	volatile wchar_t *p = f->text;

	for (int i = 0; i <= TUI_FIELD_CHARS; i++)
		p[i] = 0;
	f->len = f->pos = 0;
}

/* A character a field accepts: printable, not a control or bidi mark. */
static int
tui_field_accepts(wint_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029)
		return 0;
	return iswprint(c) && wcwidth((wchar_t)c) >= 0;
}

void
tui_field_set(struct tui_field *f, const char *utf8)
{
	size_t len = utf8 ? strlen(utf8) : 0, i = 0;

	tui_field_clear(f);
	while (i < len && f->len < TUI_FIELD_CHARS) {
		uint32_t cp;
		size_t used = width_decode(utf8 + i, len - i, &cp, NULL);

		i += used;
		if (!tui_field_accepts((wint_t)cp) ||
		    tui_field_bytes(f) + (int)tui_utf8_len((wchar_t)cp) >
		    f->max_bytes)
			continue;
		f->text[f->len++] = (wchar_t)cp;
	}
	f->pos = f->len;
}

/* Edits f by one key; returns 1 when the key was an editing key. */
static int
tui_field_key(struct tui_field *f, int code, int fn)
{
	if (fn && code == KEY_BACKSPACE)
		fn = 0, code = 127;
	else if (fn && code == KEY_DC)
		fn = 0, code = CTRL('d');
	if (fn) {
		switch (code) {
		case KEY_LEFT:
			if (f->pos > 0)
				f->pos--;
			return 1;
		case KEY_RIGHT:
			if (f->pos < f->len)
				f->pos++;
			return 1;
		case KEY_HOME:
			f->pos = 0;
			return 1;
		case KEY_END:
			f->pos = f->len;
			return 1;
		default:
			return 0;
		}
	}
	switch (code) {
	case 127:
	case CTRL('h'):
		if (f->pos > 0) {
			memmove(f->text + f->pos - 1, f->text + f->pos,
			    (size_t)(f->len - f->pos) * sizeof(wchar_t));
			f->pos--;
			f->text[--f->len] = 0;
		}
		return 1;
	case CTRL('d'):
		if (f->pos < f->len) {
			memmove(f->text + f->pos, f->text + f->pos + 1,
			    (size_t)(f->len - f->pos - 1) * sizeof(wchar_t));
			f->text[--f->len] = 0;
		}
		return 1;
	case CTRL('a'):
		f->pos = 0;
		return 1;
	case CTRL('e'):
		f->pos = f->len;
		return 1;
	case CTRL('u'):
		memmove(f->text, f->text + f->pos,
		    (size_t)(f->len - f->pos) * sizeof(wchar_t));
		f->len -= f->pos;
		f->pos = 0;
		for (int i = f->len; i <= TUI_FIELD_CHARS; i++)
			f->text[i] = 0;
		return 1;
	case CTRL('k'):
		for (int i = f->pos; i < f->len; i++)
			f->text[i] = 0;
		f->len = f->pos;
		return 1;
	case CTRL('w'): {
		int p = f->pos;

		while (p > 0 && f->text[p - 1] == ' ')
			p--;
		while (p > 0 && f->text[p - 1] != ' ')
			p--;
		memmove(f->text + p, f->text + f->pos,
		    (size_t)(f->len - f->pos) * sizeof(wchar_t));
		f->len -= f->pos - p;
		f->pos = p;
		for (int i = f->len; i <= TUI_FIELD_CHARS; i++)
			f->text[i] = 0;
		return 1;
	}
	default:
		break;
	}
	if (!tui_field_accepts((wint_t)code))
		return 1;	/* swallowed: nothing else may act on it */
	if (f->len >= TUI_FIELD_CHARS ||
	    tui_field_bytes(f) + (int)tui_utf8_len((wchar_t)code) > f->max_bytes) {
		beep();
		return 1;
	}
	memmove(f->text + f->pos + 1, f->text + f->pos,
	    (size_t)(f->len - f->pos) * sizeof(wchar_t));
	f->text[f->pos++] = (wchar_t)code;
	f->len++;
	return 1;
}

/* Columns of one field character (accepted ones measure 0 to 2). */
static int
tui_wcols(wchar_t c)
{
	int w = wcwidth(c);

	return w < 0 ? 1 : w;
}

/*
 * Paints f in cols columns at (y, x), scrolled so that the cursor shows.
 * Returns the cursor's screen column.  A secret field shows nothing.
 */
static int
tui_field_draw(const struct tui_field *f, int y, int x, int cols, attr_t a)
{
	char buf[4 * TUI_FIELD_CHARS + 4];
	int start = f->pos, before = 0, used = 0;
	size_t k = 0;

	if (f->secret) {
		tui_put(y, x, cols, "", WIDTH_LEFT, a);
		return x;
	}
	while (start > 0 && before + tui_wcols(f->text[start - 1]) <= cols - 1) {
		start--;
		before += tui_wcols(f->text[start]);
	}
	for (int i = start; i < f->len; i++) {
		int w = tui_wcols(f->text[i]);

		if (used + w > cols)
			break;
		used += w;
		k += tui_utf8_put(f->text[i], buf + k);
	}
	buf[k] = '\0';
	tui_put(y, x, cols, buf, WIDTH_LEFT, a);
	return x + before;
}

/* ---- dialogs ------------------------------------------------------------- */

struct tui_modal *
tui_modal_open(struct tui *t, enum tui_modal_kind kind, void *owner,
    const char *title)
{
	struct tui_modal *m = &t->modal;

	tui_modal_close(t);
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->owner = owner;
	snprintf(m->title, sizeof(m->title), "%s", title);
	switch (kind) {
	case MODAL_CONFIRM:
		snprintf(m->prompt, sizeof(m->prompt), "y confirms; any other key "
		    "cancels");
		break;
	case MODAL_FORM:
		snprintf(m->prompt, sizeof(m->prompt), "Enter next / submit   Tab "
		    "next field   Esc cancel");
		break;
	default:
		snprintf(m->prompt, sizeof(m->prompt), "j/k PgUp/PgDn scroll   any "
		    "other key closes");
		break;
	}
	t->modal_gen++;
	return m;
}

void
tui_modal_line(struct tui_modal *m, enum tui_style s, const char *fmt, ...)
{
	va_list ap;

	if (m->nlines >= TUI_MODAL_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(m->lines[m->nlines], TUI_MODAL_WIDTH, fmt, ap);
	va_end(ap);
	m->style[m->nlines++] = (unsigned char)s;
}

void
tui_modal_pair(struct tui_modal *m, enum tui_style s, const char *label,
    const char *value)
{
	char pad[WIDTH_FIT_BUFSZ(MODAL_LABEL_COLS)];

	width_fit(pad, sizeof(pad), label, MODAL_LABEL_COLS, WIDTH_LEFT);
	tui_modal_line(m, s, "%s%s", pad, value ? value : "");
}

struct tui_field *
tui_modal_field(struct tui_modal *m, const char *label, int max_bytes,
    int secret)
{
	struct tui_field *f;

	if (m->nfields >= TUI_MODAL_FIELDS)
		return &m->fields[TUI_MODAL_FIELDS - 1];
	f = &m->fields[m->nfields++];
	snprintf(f->label, sizeof(f->label), "%s", label);
	f->max_bytes = max_bytes > 0 ? max_bytes : FF_TEXT_MAX;
	f->secret = secret;
	return f;
}

void
tui_modal_close(struct tui *t)
{
	struct tui_modal *m = &t->modal;

	for (int i = 0; i < m->nfields; i++)
		tui_field_clear(&m->fields[i]);
	m->kind = MODAL_NONE;
}

static int
tui_modal_is_enter(int code, int fn)
{
	return fn ? code == KEY_ENTER : code == '\r' || code == '\n';
}

int
tui_modal_key(struct tui *t, int code, int fn)
{
	struct tui_modal *m = &t->modal;

	switch (m->kind) {
	case MODAL_CONFIRM: {
		tui_yes_fn yes = m->yes;
		void *owner = m->owner;
		int64_t target = m->target;

		if (!fn && (code == 'y' || code == 'Y')) {
			tui_modal_close(t);
			return TUI_DONE | (yes ? yes(t, owner, target) : 0);
		}
		if (m->cancelled[0])
			tui_info(t, "%s", m->cancelled);
		tui_modal_close(t);
		return TUI_DONE;
	}
	case MODAL_INFO: {
		enum tui_action a = keys_lookup(code, fn);
		int page = LINES - 8 > 1 ? LINES - 8 : 1;

		switch (a) {
		case ACT_UP:
			m->scroll--;
			break;
		case ACT_DOWN:
			m->scroll++;
			break;
		case ACT_PGUP:
			m->scroll -= page;
			break;
		case ACT_PGDN:
			m->scroll += page;
			break;
		case ACT_TOP:
			m->scroll = 0;
			break;
		case ACT_BOTTOM:
			m->scroll = m->nlines;
			break;
		case ACT_REDRAW:
			return TUI_DONE;
		default:
			tui_modal_close(t);
			return TUI_DONE;
		}
		/* As tui_modal_draw shows it: LINES - 9 lines of text. */
		if (m->scroll > m->nlines - (LINES - 9))
			m->scroll = m->nlines - (LINES - 9);
		if (m->scroll < 0)
			m->scroll = 0;
		return TUI_DONE;
	}
	case MODAL_FORM:
		if (!fn && code == 27) {
			int quit = m->quit_on_cancel;

			tui_modal_close(t);
			if (quit)
				return TUI_QUIT;
			tui_info(t, _("Cancelled; nothing was changed."));
			return TUI_DONE;
		}
		if ((!fn && code == '\t') || (fn && code == KEY_DOWN)) {
			m->focus = (m->focus + 1) % m->nfields;
			return TUI_DONE;
		}
		if (fn && (code == KEY_BTAB || code == KEY_UP)) {
			m->focus = (m->focus + m->nfields - 1) % m->nfields;
			return TUI_DONE;
		}
		if (tui_modal_is_enter(code, fn)) {
			unsigned gen = t->modal_gen;
			int flags;

			if (m->focus < m->nfields - 1) {
				m->focus++;
				return TUI_DONE;
			}
			flags = m->submit ? m->submit(t, m->owner, m) : 0;
			if (!(flags & TUI_KEEP) && t->modal_gen == gen)
				tui_modal_close(t);
			return (flags & ~TUI_KEEP) | TUI_DONE;
		}
		if (!fn && code == CTRL('l'))
			return TUI_DONE;
		tui_field_key(&m->fields[m->focus], code, fn);
		return TUI_DONE;
	default:
		return TUI_PASS;
	}
}

/* Paints a frame of h rows and w columns at (y, x), cleared inside. */
static void
tui_modal_frame(const struct tui *t, int y, int x, int h, int w)
{
	attr_t box = tui_attr(t, STY_BOX);

	for (int r = 0; r < h; r++)
		tui_put(y + r, x, w, "", WIDTH_LEFT, A_NORMAL);
	attrset(box);
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
}

void
tui_modal_draw(const struct tui *t)
{
	const struct tui_modal *m = &t->modal;
	int inner, h, y, x, shown, avail, labelw = 0, row;
	int cursor_y = -1, cursor_x = 0;

	if (m->kind == MODAL_NONE)
		return;
	inner = width_str(m->title);
	for (int i = 0; i < m->nlines; i++)
		if (width_str(m->lines[i]) > inner)
			inner = width_str(m->lines[i]);
	if (width_str(m->prompt) > inner)
		inner = width_str(m->prompt);
	for (int i = 0; i < m->nfields; i++)
		if (width_str(m->fields[i].label) > labelw)
			labelw = width_str(m->fields[i].label);
	if (m->nfields && inner < labelw + 2 + 40)
		inner = labelw + 2 + 40;
	if (inner < 40)
		inner = 40;
	if (inner > COLS - 6)
		inner = COLS - 6;
	if (inner < 10)
		return;
	/* Rows: frame 2, title 1, blank 1, lines, fields (+1 blank), blank 1,
	 * prompt 1; the status line and the hints stay visible below. */
	avail = LINES - 3 - 6 - (m->nfields ? m->nfields + 1 : 0);
	if (avail < 1)
		avail = 1;
	shown = m->nlines < avail ? m->nlines : avail;
	h = 6 + shown + (m->nfields ? m->nfields + 1 : 0);
	y = 1 + (LINES - 3 - h) / 2;
	if (y < 1)
		y = 1;
	x = (COLS - inner - 4) / 2;
	tui_modal_frame(t, y, x, h, inner + 4);
	tui_put(y + 1, x + 2, inner, m->title, WIDTH_LEFT, A_BOLD);
	row = y + 3;
	{
		int first = m->kind == MODAL_INFO ? m->scroll : 0;

		if (first > m->nlines - shown)
			first = m->nlines - shown;
		if (first < 0)
			first = 0;
		for (int i = 0; i < shown; i++)
			tui_put(row++, x + 2, inner, m->lines[first + i],
			    WIDTH_LEFT, tui_attr(t, (enum tui_style)
			    m->style[first + i]));
		if (m->kind == MODAL_INFO && m->nlines > shown) {
			char more[48];

			snprintf(more, sizeof(more), " %d-%d of %d ", first + 1,
			    first + shown, m->nlines);
			tui_put(y + h - 1, x + inner + 2 - width_str(more),
			    width_str(more), more, WIDTH_LEFT, tui_attr(t, STY_BOX));
		}
	}
	if (m->nfields) {
		row++;
		for (int i = 0; i < m->nfields; i++, row++) {
			const struct tui_field *f = &m->fields[i];
			attr_t fa = A_UNDERLINE | (i == m->focus ? A_BOLD : 0);
			int cx;

			tui_put(row, x + 2, labelw + 1, f->label, WIDTH_LEFT,
			    i == m->focus ? A_BOLD : A_NORMAL);
			cx = tui_field_draw(f, row, x + 2 + labelw + 2,
			    inner - labelw - 2, fa);
			if (i == m->focus) {
				cursor_y = row;
				cursor_x = cx;
			}
		}
	}
	tui_put(y + h - 2, x + 2, inner, m->prompt, WIDTH_LEFT,
	    tui_attr(t, STY_DIM));
	if (cursor_y >= 0) {
		move(cursor_y, cursor_x);
		curs_set(1);
	}
}
