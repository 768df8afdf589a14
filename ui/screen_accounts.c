/*
 * screen_accounts.c — screen 1, Accounts: per branch its code, name,
 * balance, withdrawable, total withdrawn and pending applications (count
 * and amount); sortable by any column; Enter opens the branch's ledger.
 * Staff see their own branch only (the model decides).
 */
#include "screen.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/accounts.h"
#include "store/xmalloc.h"

enum { AC_CODE, AC_NAME, AC_BALANCE, AC_WITHDRAWABLE, AC_WITHDRAWN,
    AC_PENDING, AC_PENDING_AMOUNT, AC_NCOLS };

static const struct tui_col screen_accounts_cols[AC_NCOLS] = {
	{ N_("CODE"), -1, 0, WIDTH_LEFT, 0, 0 },
	{ N_("NAME"), 10, 0, WIDTH_LEFT, 1, 0 },
	{ N_("BALANCE"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("WITHDRAWABLE"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("WITHDRAWN"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("PENDING"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("PENDING AMOUNT"), -1, 0, WIDTH_RIGHT, 0, 0 },
};

struct screen_accounts {
	struct account *all;		/* as the model gave them */
	size_t nall;
	struct account *rows;		/* found and sorted: what is shown */
	int n;
	struct tui_cursor c;
	int sort, reverse;		/* column, descending */
	char find[FF_NAME_MAX + 1];	/* "/": code or name contains */
};

static void screen_accounts_cells(const struct account *a,
    char buf[AC_NCOLS][MONEY_BUFSZ], const char *cells[AC_NCOLS]);
static int screen_accounts_cmp(const struct account *x,
    const struct account *y, int col);
static int screen_accounts_lower(int c);
static int screen_accounts_contains(const char *hay, const char *needle);
static void screen_accounts_arrange(struct screen_accounts *st);
static void *screen_accounts_init(struct tui *t);
static void screen_accounts_free(void *p);
static void screen_accounts_load(struct tui *t, void *p);
static int screen_accounts_find(struct tui *t, void *p, struct tui_modal *m);
static int screen_accounts_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_accounts_key(struct tui *t, void *p, enum tui_action a);
static void screen_accounts_draw(const struct tui *t, const void *p);
static int screen_accounts_selected(const void *p);

/* The text of each cell as the screen shows it (amounts grouped; the
 * export's cells are ui/listing.c's).  buf holds the strings cells points
 * into. */
static void
screen_accounts_cells(const struct account *a,
    char buf[AC_NCOLS][MONEY_BUFSZ], const char *cells[AC_NCOLS])
{
	cells[AC_CODE] = a->code;
	cells[AC_NAME] = a->name;
	cells[AC_BALANCE] = money_format_grouped(a->balance, buf[AC_BALANCE]);
	cells[AC_WITHDRAWABLE] = money_format_grouped(a->withdrawable,
	    buf[AC_WITHDRAWABLE]);
	cells[AC_WITHDRAWN] = money_format_grouped(a->total_withdrawn,
	    buf[AC_WITHDRAWN]);
	snprintf(buf[AC_PENDING], MONEY_BUFSZ, "%" PRId64, a->pending_count);
	cells[AC_PENDING] = buf[AC_PENDING];
	cells[AC_PENDING_AMOUNT] = a->pending_amount < 0 ? "too large" :
	    money_format_grouped(a->pending_amount, buf[AC_PENDING_AMOUNT]);
}

static int
screen_accounts_cmp(const struct account *x, const struct account *y, int col)
{
	money_t a = 0, b = 0;

	switch (col) {
	case AC_NAME: {
		int r = strcmp(x->name, y->name);

		return r ? r : strcmp(x->code, y->code);
	}
	case AC_BALANCE: a = x->balance; b = y->balance; break;
	case AC_WITHDRAWABLE: a = x->withdrawable; b = y->withdrawable; break;
	case AC_WITHDRAWN: a = x->total_withdrawn; b = y->total_withdrawn; break;
	case AC_PENDING: a = x->pending_count; b = y->pending_count; break;
	case AC_PENDING_AMOUNT: a = x->pending_amount; b = y->pending_amount; break;
	default: return strcmp(x->code, y->code);
	}
	if (a != b)
		return a < b ? -1 : 1;
	return strcmp(x->code, y->code);
}

static int
screen_accounts_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* 1 when hay contains needle, ASCII letters in either case. */
static int
screen_accounts_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && screen_accounts_lower(hay[i]) ==
		    screen_accounts_lower(needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* Rebuilds rows from all (find, sort), keeping the selected branch. */
static void
screen_accounts_arrange(struct screen_accounts *st)
{
	char keep[FF_CODE_MAX + 1] = "";

	if (st->n > 0 && st->c.cur < st->n)
		memcpy(keep, st->rows[st->c.cur].code, sizeof(keep));
	st->n = 0;
	for (size_t i = 0; i < st->nall; i++) {
		const struct account *a = &st->all[i];

		if (!screen_accounts_contains(a->code, st->find) &&
		    !screen_accounts_contains(a->name, st->find))
			continue;
		st->rows[st->n++] = *a;
	}
	/* Insertion sort: a few hundred branches at most, and stable. */
	for (int i = 1; i < st->n; i++) {
		struct account v = st->rows[i];
		int j = i - 1;

		while (j >= 0 && (st->reverse ?
		    screen_accounts_cmp(&st->rows[j], &v, st->sort) < 0 :
		    screen_accounts_cmp(&st->rows[j], &v, st->sort) > 0)) {
			st->rows[j + 1] = st->rows[j];
			j--;
		}
		st->rows[j + 1] = v;
	}
	for (int i = 0; i < st->n; i++)
		if (strcmp(st->rows[i].code, keep) == 0)
			st->c.cur = i;
	if (st->c.cur >= st->n)
		st->c.cur = st->n > 0 ? st->n - 1 : 0;
}

static void *
screen_accounts_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct screen_accounts));
}

static void
screen_accounts_free(void *p)
{
	struct screen_accounts *st = p;

	if (st == NULL)
		return;
	free(st->all);
	free(st->rows);
	free(st);
}

static void
screen_accounts_load(struct tui *t, void *p)
{
	struct screen_accounts *st = p;
	struct account *all;
	struct ff_err err;
	size_t n;

	if (accounts_list(t->ff, &t->sess, NULL, &all, &n, &err) != FF_OK) {
		tui_fail(t, &err);
		return;
	}
	free(st->all);
	st->all = all;
	st->nall = n;
	st->rows = xreallocarray(st->rows, n ? n : 1, sizeof(*st->rows));
	screen_accounts_arrange(st);
}

static int
screen_accounts_find(struct tui *t, void *p, struct tui_modal *m)
{
	struct screen_accounts *st = p;

	tui_field_get(&m->fields[0], st->find, sizeof(st->find));
	screen_accounts_arrange(st);
	if (st->find[0])
		tui_info(t, _("%d branch%s match \"%s\"; q shows them all again."),
		    st->n, st->n == 1 ? "" : "es", st->find);
	return TUI_DONE;
}

/* The rows as shown: found and sorted. */
static int
screen_accounts_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err)
{
	const struct screen_accounts *st = arg;

	(void)t;
	(void)err;
	for (int i = 0; i < st->n; i++)
		listing_row(lo, &st->rows[i]);
	return FF_OK;
}

static int
screen_accounts_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_accounts *st = p;

	if (tui_cursor_move(&st->c, a, st->n, t->page))
		return TUI_DONE;
	switch (a) {
	case ACT_OPEN:
		memset(&t->jump, 0, sizeof(t->jump));
		t->jump.set = 1;
		memcpy(t->jump.branch, st->rows[st->c.cur].code,
		    sizeof(t->jump.branch));
		return tui_goto(t, SCR_LEDGER, 1);
	case ACT_SORT:
	case ACT_SORT_REVERSE:
		if (a == ACT_SORT) {
			st->sort = (st->sort + 1) % AC_NCOLS;
			/* Amounts read best largest first. */
			st->reverse = st->sort >= AC_BALANCE;
		} else {
			st->reverse = !st->reverse;
		}
		screen_accounts_arrange(st);
		tui_info(t, _("Sorted by %s, %s."),
		    _(screen_accounts_cols[st->sort].title),
		    st->reverse ? "largest first" : "smallest first");
		return TUI_DONE;
	case ACT_FILTER: {
		struct tui_modal *m = tui_modal_open(t, MODAL_FORM, st,
		    _("Find branches"));

		tui_modal_line(m, STY_NORMAL, _("Branches whose code or name "
		    "contains the text (empty: all)."));
		tui_field_set(tui_modal_field(m, _("Code or name"), FF_NAME_MAX, 0),
		    st->find);
		m->submit = screen_accounts_find;
		return TUI_DONE;
	}
	case ACT_EXPORT:
		tui_export(t, &listing_accounts, screen_accounts_export_fill, st);
		return TUI_DONE;
	case ACT_BACK:
		if (st->find[0]) {
			st->find[0] = '\0';
			screen_accounts_arrange(st);
			tui_info(t, _("Showing every branch."));
			return TUI_DONE;
		}
		return TUI_PASS;
	default:
		return TUI_PASS;
	}
}

static void
screen_accounts_draw(const struct tui *t, const void *p)
{
	const struct screen_accounts *st = p;
	struct tui_col cols[AC_NCOLS];
	char titles[AC_NCOLS][40], buf[AC_NCOLS][MONEY_BUFSZ], sub[256];
	char tb[MONEY_BUFSZ], tw[MONEY_BUFSZ];
	const char *cells[AC_NCOLS];
	int nat[AC_NCOLS] = { 0 }, w[AC_NCOLS], rows = tui_list_rows(), top;
	money_t bal = 0, wd = 0;
	int overflow = 0;

	memcpy(cols, screen_accounts_cols, sizeof(cols));
	snprintf(titles[st->sort], sizeof(titles[0]), "%s %s",
	    _(cols[st->sort].title), st->reverse ? "v" : "^");
	cols[st->sort].title = titles[st->sort];
	for (int i = 0; i < st->n; i++) {
		screen_accounts_cells(&st->rows[i], buf, cells);
		for (int k = 0; k < AC_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
		if (money_add(bal, st->rows[i].balance, &bal) != 0 ||
		    money_add(wd, st->rows[i].withdrawable, &wd) != 0)
			overflow = 1;
	}
	if (overflow)
		snprintf(sub, sizeof(sub), "%d branch%s", st->n,
		    st->n == 1 ? "" : "es");
	else
		snprintf(sub, sizeof(sub), "%d branch%s%s%s%s   total balance %s"
		    "   withdrawable %s", st->n, st->n == 1 ? "" : "es",
		    st->find[0] ? " matching \"" : "", st->find,
		    st->find[0] ? "\"" : "", money_format_grouped(bal, tb),
		    money_format_grouped(wd, tw));
	tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
	tui_layout(cols, nat, AC_NCOLS, COLS, w);
	tui_header(t, 2, cols, w, AC_NCOLS);
	if (st->n == 0) {
		tui_put(TUI_LIST_TOP, 1, COLS - 2, _("No branches to show."),
		    WIDTH_LEFT, A_NORMAL);
		return;
	}
	top = tui_scroll_top(st->c.top, st->c.cur, st->n, rows);
	for (int r = 0; r < rows && top + r < st->n; r++) {
		const struct account *a = &st->rows[top + r];
		attr_t at[AC_NCOLS] = { 0 };

		screen_accounts_cells(a, buf, cells);
		if (a->balance < 0)
			at[AC_BALANCE] = tui_attr(t, STY_NEGATIVE);
		if (a->withdrawable < 0)
			at[AC_WITHDRAWABLE] = tui_attr(t, STY_NEGATIVE);
		tui_row(TUI_LIST_TOP + r, cols, w, AC_NCOLS, cells, at,
		    top + r == st->c.cur ? tui_attr(t, STY_SELECTED) : A_NORMAL);
	}
}

static int
screen_accounts_selected(const void *p)
{
	const struct screen_accounts *st = p;

	return st->n > 0;
}

const struct screen screen_accounts = {
	.name = N_("Accounts"),
	.roles = 0,
	.init = screen_accounts_init,
	.free = screen_accounts_free,
	.load = screen_accounts_load,
	.key = screen_accounts_key,
	.draw = screen_accounts_draw,
	.selected = screen_accounts_selected,
};
