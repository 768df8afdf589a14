/*
 * screen_incomes.c — screen 4, Incomes: the incomes newest first with
 * their business type names, and apart from them, marked, the conflicting
 * deliveries kept for review (a key that arrived again with another branch
 * or amount).  `v` switches the cursor between the two lists.
 *
 * Incomes may be millions, so they are read in keyset pages of
 * INCOME_CHUNK (income_list's before_id).  The model pages one way only,
 * newest to oldest, so the screen remembers where each page began
 * (anchors[k], the before_id of page k) and reads a page above the window
 * again from its anchor.  The window holds at most INCOME_CAP rows.
 */
#include "screen.h"
#include "i18n.h"
#include "listing.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/income.h"
#include "store/xmalloc.h"

#define INCOME_CHUNK	200
#define INCOME_CAP	800		/* a whole number of chunks */
#define CONFLICT_MAX	10000		/* conflicts held at most */
#define CONFLICT_PANE	3		/* conflict rows shown above the incomes */

enum { IC_RECEIVED, IC_BRANCH, IC_TYPE, IC_REF, IC_AMOUNT, IC_OCCURRED,
    IC_EVENT, IC_NCOLS };

static const struct tui_col screen_incomes_cols[IC_NCOLS] = {
	{ N_("RECEIVED"), 10, 16, WIDTH_LEFT, 0, 1 },
	{ N_("BRANCH"), 6, 16, WIDTH_LEFT, 0, 0 },
	{ N_("TYPE"), 10, 16, WIDTH_LEFT, 0, 0 },
	{ N_("REFERENCE"), 12, 0, WIDTH_LEFT, 1, 0 },
	{ N_("AMOUNT"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("OCCURRED"), 10, 16, WIDTH_LEFT, 0, 1 },
	{ N_("EVENT"), 0, 14, WIDTH_LEFT, 0, 0 },
};

enum { CC_RECEIVED, CC_BRANCH, CC_TYPE, CC_REF, CC_AMOUNT, CC_KEPT, CC_EVENT,
    CC_NCOLS };

static const struct tui_col screen_incomes_ccols[CC_NCOLS] = {
	{ N_("RECEIVED"), 10, 16, WIDTH_LEFT, 0, 1 },
	{ N_("BRANCH"), 6, 16, WIDTH_LEFT, 0, 0 },
	{ N_("TYPE"), 10, 16, WIDTH_LEFT, 0, 0 },
	{ N_("REFERENCE"), 12, 0, WIDTH_LEFT, 1, 0 },
	{ N_("AMOUNT"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("KEPT INCOME"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("EVENT"), 0, 14, WIDTH_LEFT, 0, 0 },
};


struct screen_incomes {
	struct income *rows;		/* the window, newest first */
	int n;
	int64_t first;			/* page-aligned index of rows[0] */
	int64_t *anchors;		/* anchors[k]: before_id of page k */
	int nanchors;
	int at_end;			/* the window reaches the oldest */
	struct tui_cursor c;
	char branch[FF_CODE_MAX + 1];
	int32_t type;
	struct conflict *conf;
	int nconf;
	struct tui_cursor cc;
	int on_conflicts;		/* the cursor is in the conflicts */
};

struct screen_incomes_got {
	struct income *v;
	int n, cap;
	int64_t limit;
};

static int screen_incomes_got_cb(void *arg, const struct income *in);
static int screen_incomes_page(struct tui *t, struct screen_incomes *st, int k,
    struct screen_incomes_got *g, struct ff_err *err);
static void screen_incomes_anchor(struct screen_incomes *st, int k,
    int64_t last_id);
static int screen_incomes_reset(struct tui *t, struct screen_incomes *st,
    int pages, struct ff_err *err);
static int screen_incomes_conflicts(struct tui *t, struct screen_incomes *st,
    struct ff_err *err);  static void * screen_incomes_init(struct tui *t);
static void screen_incomes_free(void *p);
static int screen_incomes_conflict_cb(void *arg, const struct conflict *c);
static int screen_incomes_conflicts(struct tui *t, struct screen_incomes *st,
    struct ff_err *err);
static void screen_incomes_load(struct tui *t, void *p);
static void screen_incomes_extend(struct tui *t, struct screen_incomes *st,
    int want);
static void screen_incomes_bottom(struct tui *t, struct screen_incomes *st);
static const char *screen_incomes_type(const struct tui *t, int32_t code,
    char *buf, size_t sz);
static int screen_incomes_one_cb(void *arg, const struct income *in);
static void screen_incomes_describe(const struct tui *t, struct tui_modal *m,
    const struct income *in);
static int screen_incomes_details(struct tui *t, struct screen_incomes *st);
static int screen_incomes_filter_submit(struct tui *t, void *p,
    struct tui_modal *m);
static int screen_incomes_filter(struct tui *t, struct screen_incomes *st);
static int screen_incomes_export_cb(void *arg, const struct income *in);
static int screen_incomes_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_incomes_key(struct tui *t, void *p, enum tui_action a);
static void screen_incomes_cells(const struct tui *t, const struct income *in,
    int tcols, char buf[IC_NCOLS][FF_NAME_MAX + 16],
    const char *cells[IC_NCOLS]);
static void screen_incomes_ccells(const struct tui *t,
    const struct conflict *c, int tcols, char buf[CC_NCOLS][FF_NAME_MAX + 16],
    const char *cells[CC_NCOLS]);
static void screen_incomes_draw_conflicts(const struct tui *t,
    const struct screen_incomes *st, int y, int rows, int cursor);
static void screen_incomes_draw(const struct tui *t, const void *p);
static int screen_incomes_selected(const void *p);

static int
screen_incomes_got_cb(void *arg, const struct income *in)
{
	struct screen_incomes_got *g = arg;

	if (g->v == NULL)
		return 0;	/* only walking */
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : INCOME_CHUNK;
		g->v = xreallocarray(g->v, (size_t)g->cap, sizeof(*g->v));
	}
	g->v[g->n++] = *in;
	return 0;
}

/* Reads page k from its anchor.  OUT: g (the caller frees g->v). */
static int
screen_incomes_page(struct tui *t, struct screen_incomes *st, int k,
    struct screen_incomes_got *g, struct ff_err *err)
{
	memset(g, 0, sizeof(*g));
	g->v = xreallocarray(NULL, INCOME_CHUNK, sizeof(*g->v));
	g->cap = INCOME_CHUNK;
	return income_list(t->ff, &t->sess, st->branch[0] ? st->branch : NULL,
	    st->type, st->anchors[k], INCOME_CHUNK, screen_incomes_got_cb, g, err);
}

/* Remembers where page k + 1 begins, after page k ended with id. */
static void
screen_incomes_anchor(struct screen_incomes *st, int k, int64_t last_id)
{
	if (k + 1 >= st->nanchors) {
		st->anchors = xreallocarray(st->anchors, (size_t)k + 2,
		    sizeof(*st->anchors));
		st->nanchors = k + 2;
	}
	st->anchors[k + 1] = last_id;
}

/*
 * Reads pages 0 .. pages-1 from the newest into the window, forgetting
 * the anchors below them (new incomes shift every page).  On failure
 * nothing changes.
 */
static int
screen_incomes_reset(struct tui *t, struct screen_incomes *st, int pages,
    struct ff_err *err)
{
	struct income *rows = NULL;
	int n = 0, at_end = 0, rc;
	int64_t *old = st->anchors;
	int nold = st->nanchors;

	st->anchors = xcalloc(1, sizeof(*st->anchors));
	st->nanchors = 1;
	for (int k = 0; k < pages && !at_end; k++) {
		struct screen_incomes_got g;

		if ((rc = screen_incomes_page(t, st, k, &g, err)) != FF_OK) {
			free(g.v);
			free(rows);
			free(st->anchors);
			st->anchors = old;
			st->nanchors = nold;
			return rc;
		}
		rows = xreallocarray(rows, (size_t)(n + g.n) + 1, sizeof(*rows));
		if (g.n)
			memcpy(rows + n, g.v, (size_t)g.n * sizeof(*rows));
		n += g.n;
		if (g.n == INCOME_CHUNK)
			screen_incomes_anchor(st, k, g.v[g.n - 1].id);
		else
			at_end = 1;
		free(g.v);
	}
	free(old);
	free(st->rows);
	st->rows = rows;
	st->n = n;
	st->first = 0;
	st->at_end = at_end;
	return FF_OK;
}

static int
screen_incomes_conflicts(struct tui *t, struct screen_incomes *st,
    struct ff_err *err);

static void *
screen_incomes_init(struct tui *t)
{
	struct screen_incomes *st = xcalloc(1, sizeof(*st));

	(void)t;
	st->anchors = xcalloc(1, sizeof(*st->anchors));
	st->nanchors = 1;
	return st;
}

static void
screen_incomes_free(void *p)
{
	struct screen_incomes *st = p;

	if (st == NULL)
		return;
	free(st->rows);
	free(st->anchors);
	free(st->conf);
	free(st);
}

static int
screen_incomes_conflict_cb(void *arg, const struct conflict *c)
{
	struct screen_incomes *st = arg;

	if (st->nconf >= CONFLICT_MAX)
		return 1;
	st->conf = xreallocarray(st->conf, (size_t)st->nconf + 1,
	    sizeof(*st->conf));
	st->conf[st->nconf++] = *c;
	return 0;
}

static int
screen_incomes_conflicts(struct tui *t, struct screen_incomes *st,
    struct ff_err *err)
{
	free(st->conf);
	st->conf = NULL;
	st->nconf = 0;
	return income_conflicts(t->ff, &t->sess, st->branch[0] ? st->branch :
	    NULL, screen_incomes_conflict_cb, st, err);
}

static void
screen_incomes_load(struct tui *t, void *p)
{
	struct screen_incomes *st = p;
	struct ff_err err;
	int64_t keep = st->n > 0 ? st->rows[st->c.cur].id : 0;
	int pages = st->n > 0 ? (st->n + INCOME_CHUNK - 1) / INCOME_CHUNK : 1;

	if (screen_incomes_conflicts(t, st, &err) != FF_OK) {
		tui_fail(t, &err);
		return;
	}
	if (st->cc.cur >= st->nconf)
		st->cc.cur = st->nconf > 0 ? st->nconf - 1 : 0;
	/* Deeper down nothing moves (incomes are only ever added on top). */
	if (st->first > 0)
		return;
	if (screen_incomes_reset(t, st, pages, &err) != FF_OK) {
		tui_fail(t, &err);
		return;
	}
	if (st->c.cur == 0)
		return;	/* at the top: show the newest */
	for (int i = 0; i < st->n; i++)
		if (st->rows[i].id == keep) {
			st->c.top += i - st->c.cur;
			st->c.cur = i;
			break;
		}
	if (st->c.cur >= st->n)
		st->c.cur = st->n > 0 ? st->n - 1 : 0;
}

/* Holds the rows the cursor is about to reach (want rows below, or above
 * when negative). */
static void
screen_incomes_extend(struct tui *t, struct screen_incomes *st, int want)
{
	struct screen_incomes_got g;
	struct ff_err err;
	int k;

	if (want > 0 && st->c.cur + want >= st->n - 1 && !st->at_end) {
		k = (int)((st->first + st->n) / INCOME_CHUNK);
		if (k >= st->nanchors)
			return;
		if (screen_incomes_page(t, st, k, &g, &err) != FF_OK) {
			free(g.v);
			tui_fail(t, &err);
			return;
		}
		st->rows = xreallocarray(st->rows, (size_t)(st->n + g.n) + 1,
		    sizeof(*st->rows));
		if (g.n)
			memcpy(st->rows + st->n, g.v, (size_t)g.n * sizeof(*g.v));
		st->n += g.n;
		if (g.n == INCOME_CHUNK)
			screen_incomes_anchor(st, k, g.v[g.n - 1].id);
		else
			st->at_end = 1;
		free(g.v);
		if (st->n > INCOME_CAP) {
			memmove(st->rows, st->rows + INCOME_CHUNK,
			    (size_t)(st->n - INCOME_CHUNK) * sizeof(*st->rows));
			st->n -= INCOME_CHUNK;
			st->first += INCOME_CHUNK;
			st->c.cur -= INCOME_CHUNK;
			st->c.top -= INCOME_CHUNK;
			if (st->c.top < 0)
				st->c.top = 0;
		}
	} else if (want < 0 && st->c.cur + want <= 0 && st->first > 0) {
		k = (int)(st->first / INCOME_CHUNK) - 1;
		if (screen_incomes_page(t, st, k, &g, &err) != FF_OK) {
			free(g.v);
			tui_fail(t, &err);
			return;
		}
		st->rows = xreallocarray(st->rows, (size_t)(st->n + g.n) + 1,
		    sizeof(*st->rows));
		memmove(st->rows + g.n, st->rows,
		    (size_t)st->n * sizeof(*st->rows));
		if (g.n)
			memcpy(st->rows, g.v, (size_t)g.n * sizeof(*g.v));
		st->n += g.n;
		st->first -= INCOME_CHUNK;
		st->c.cur += g.n;
		st->c.top += g.n;
		free(g.v);
		if (st->n > INCOME_CAP) {
			int last = (st->n - 1) % INCOME_CHUNK + 1;

			st->n -= last;
			st->at_end = 0;
		}
	}
}

/* G: walks page by page to the oldest (remembering every anchor on the
 * way) and shows the last two pages. */
static void
screen_incomes_bottom(struct tui *t, struct screen_incomes *st)
{
	struct screen_incomes_got prev, g;
	struct ff_err err;
	int k = st->nanchors - 1;

	memset(&prev, 0, sizeof(prev));
	for (;;) {
		if (screen_incomes_page(t, st, k, &g, &err) != FF_OK) {
			free(g.v);
			free(prev.v);
			tui_fail(t, &err);
			return;
		}
		if (g.n < INCOME_CHUNK)
			break;
		screen_incomes_anchor(st, k, g.v[g.n - 1].id);
		free(prev.v);
		prev = g;
		k++;
	}
	free(st->rows);
	st->rows = xreallocarray(NULL, (size_t)(prev.n + g.n) + 1,
	    sizeof(*st->rows));
	if (prev.n)
		memcpy(st->rows, prev.v, (size_t)prev.n * sizeof(*st->rows));
	if (g.n)
		memcpy(st->rows + prev.n, g.v, (size_t)g.n * sizeof(*st->rows));
	st->n = prev.n + g.n;
	st->first = (int64_t)(prev.n ? k - 1 : k) * INCOME_CHUNK;
	st->at_end = 1;
	st->c.cur = st->n > 0 ? st->n - 1 : 0;
	st->c.top = st->c.cur;
	free(prev.v);
	free(g.v);
}

static const char *
screen_incomes_type(const struct tui *t, int32_t code, char *buf, size_t sz)
{
	const struct buss_type *bt = config_type(t->cfg, code);

	if (bt != NULL)
		snprintf(buf, sz, "%d %s", (int)code, bt->name);
	else
		snprintf(buf, sz, "%d", (int)code);
	return buf;
}

/* ---- details ------------------------------------------------------------- */

struct screen_incomes_one {
	int64_t id;
	struct income in;
	int found;
};

static int
screen_incomes_one_cb(void *arg, const struct income *in)
{
	struct screen_incomes_one *x = arg;

	if (in->id == x->id) {
		x->in = *in;
		x->found = 1;
	}
	return 1;
}

static void
screen_incomes_describe(const struct tui *t, struct tui_modal *m,
    const struct income *in)
{
	char m1[MONEY_BUFSZ], tb[FF_NAME_MAX + 16], id[24];

	snprintf(id, sizeof(id), "%" PRId64, in->id);
	tui_modal_pair(m, STY_NORMAL, _("Income"), id);
	tui_modal_pair(m, STY_NORMAL, _("Branch"), in->branch_code);
	tui_modal_pair(m, STY_NORMAL, _("Type"), screen_incomes_type(t,
	    in->buss_type, tb, sizeof(tb)));
	tui_modal_pair(m, STY_NORMAL, _("Reference"), in->ref_id);
	tui_modal_pair(m, STY_NORMAL, _("Event"), in->event_id[0] ? in->event_id :
	    "(none)");
	tui_modal_pair(m, STY_HEADER, _("Amount"),
	    money_format_grouped(in->amount, m1));
	tui_modal_pair(m, STY_NORMAL, _("Withdrawable"), in->withdrawable ? "yes" :
	    "no (deposit)");
	tui_modal_pair(m, STY_NORMAL, _("Occurred"), in->occurred_at[0] ?
	    in->occurred_at : "(not given)");
	tui_modal_pair(m, STY_NORMAL, _("Received"), in->received_at);
}

static int
screen_incomes_details(struct tui *t, struct screen_incomes *st)
{
	struct tui_modal *m;
	struct ff_err err;
	char m1[MONEY_BUFSZ], tb[FF_NAME_MAX + 16];

	if (!st->on_conflicts) {
		m = tui_modal_open(t, MODAL_INFO, st, _("Income"));
		screen_incomes_describe(t, m, &st->rows[st->c.cur]);
		return TUI_DONE;
	}
	{
		const struct conflict *c = &st->conf[st->cc.cur];
		struct screen_incomes_one x;

		m = tui_modal_open(t, MODAL_INFO, st, _("Conflicting delivery, kept "
		    "for review"));
		tui_modal_line(m, STY_WARN, _("This delivery carried a key that "
		    "exists with another branch or amount;"));
		tui_modal_line(m, STY_WARN, _("nothing was changed by it."));
		tui_modal_line(m, STY_NORMAL, "%s", "");
		tui_modal_pair(m, STY_NORMAL, _("Branch"), c->branch_code);
		tui_modal_pair(m, STY_NORMAL, _("Type"), screen_incomes_type(t,
		    c->buss_type, tb, sizeof(tb)));
		tui_modal_pair(m, STY_NORMAL, _("Reference"), c->ref_id);
		tui_modal_pair(m, STY_NORMAL, _("Event"), c->event_id[0] ?
		    c->event_id : "(none)");
		tui_modal_pair(m, STY_HEADER, _("Amount"),
		    money_format_grouped(c->amount, m1));
		tui_modal_pair(m, STY_NORMAL, _("Received"), c->received_at);
		tui_modal_line(m, STY_NORMAL, "%s", "");
		tui_modal_line(m, STY_HEADER, _("The income that holds the key:"));
		memset(&x, 0, sizeof(x));
		x.id = c->income_id;
		if (income_list(t->ff, &t->sess, NULL, 0, c->income_id + 1, 1,
		    screen_incomes_one_cb, &x, &err) != FF_OK)
			tui_modal_line(m, STY_NORMAL, "%s", err.msg);
		else if (!x.found)
			tui_modal_line(m, STY_NORMAL, _("income %" PRId64 ", of a "
			    "branch you do not see"), c->income_id);
		else
			screen_incomes_describe(t, m, &x.in);
	}
	return TUI_DONE;
}

/* ---- filter and export --------------------------------------------------- */

static int
screen_incomes_filter_submit(struct tui *t, void *p, struct tui_modal *m)
{
	struct screen_incomes *st = p;
	char branch[64], type[64], old_branch[FF_CODE_MAX + 1], *end;
	int32_t old_type = st->type, code = 0;
	struct ff_err err;
	long v;

	tui_field_get(&m->fields[0], branch, sizeof(branch));
	tui_field_get(&m->fields[1], type, sizeof(type));
	if (strlen(branch) > FF_CODE_MAX) {
		m->focus = 0;
		tui_error(t, _("There is no branch \"%s\"."), branch);
		return TUI_KEEP;
	}
	if (type[0] && strcmp(type, "all") != 0) {
		v = strtol(type, &end, 10);
		if (*end == '\0' && v > 0 && v <= INT32_MAX &&
		    config_type(t->cfg, (int32_t)v) != NULL)
			code = (int32_t)v;
		for (size_t i = 0; code == 0 && i < t->cfg->ntypes; i++)
			if (strcmp(t->cfg->types[i].name, type) == 0)
				code = t->cfg->types[i].code;
		if (code == 0) {
			m->focus = 1;
			tui_error(t, _("\"%s\" is not a business type: give its code "
			    "or name, or nothing for all."), type);
			return TUI_KEEP;
		}
	}
	memcpy(old_branch, st->branch, sizeof(old_branch));
	memcpy(st->branch, branch, strlen(branch) + 1);	/* length checked */
	st->type = code;
	st->c.cur = st->c.top = 0;
	st->cc.cur = st->cc.top = 0;
	if (screen_incomes_conflicts(t, st, &err) != FF_OK ||
	    screen_incomes_reset(t, st, 1, &err) != FF_OK) {
		struct ff_err again;

		/* The model said no: back to what was shown. */
		memcpy(st->branch, old_branch, sizeof(st->branch));
		st->type = old_type;
		screen_incomes_conflicts(t, st, &again);
		screen_incomes_reset(t, st, 1, &again);
		m->focus = 0;
		tui_fail(t, &err);
		return TUI_KEEP;
	}
	return TUI_DONE;
}

static int
screen_incomes_filter(struct tui *t, struct screen_incomes *st)
{
	struct tui_modal *m = tui_modal_open(t, MODAL_FORM, st,
	    _("Filter the incomes"));
	char type[32] = "";

	tui_modal_line(m, STY_NORMAL, _("Leave a field empty for no condition."));
	tui_modal_line(m, STY_NORMAL, _("Type: a business type's code or name."));
	if (st->type)
		snprintf(type, sizeof(type), "%d", (int)st->type);
	tui_field_set(tui_modal_field(m, _("Branch"), FF_CODE_MAX, 0), st->branch);
	tui_field_set(tui_modal_field(m, _("Type"), 200, 0), type);
	m->submit = screen_incomes_filter_submit;
	return TUI_DONE;
}

static int
screen_incomes_export_cb(void *arg, const struct income *in)
{
	listing_row(arg, in);
	return 0;
}

/* The list the cursor is in: the conflicts held, or every income the
 * filter lets through (read again, not only the window). */
static int
screen_incomes_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err)
{
	const struct screen_incomes *st = arg;

	if (st->on_conflicts) {
		for (int i = 0; i < st->nconf; i++)
			listing_row(lo, &st->conf[i]);
		return FF_OK;
	}
	return income_list(t->ff, &t->sess, st->branch[0] ? st->branch : NULL,
	    st->type, 0, 0, screen_incomes_export_cb, lo, err);
}

static int
screen_incomes_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_incomes *st = p;
	struct ff_err err;

	if (st->on_conflicts && tui_cursor_move(&st->cc, a, st->nconf, t->page))
		return TUI_DONE;
	switch (a) {
	case ACT_DOWN:
	case ACT_PGDN:
		screen_incomes_extend(t, st, a == ACT_DOWN ? 1 : t->page);
		tui_cursor_move(&st->c, a, st->n, t->page);
		return TUI_DONE;
	case ACT_UP:
	case ACT_PGUP:
		screen_incomes_extend(t, st, a == ACT_UP ? -1 : -t->page);
		tui_cursor_move(&st->c, a, st->n, t->page);
		return TUI_DONE;
	case ACT_TOP:
		st->c.cur = st->c.top = 0;
		if (screen_incomes_reset(t, st, 1, &err) != FF_OK)
			tui_fail(t, &err);
		return TUI_DONE;
	case ACT_BOTTOM:
		screen_incomes_bottom(t, st);
		return TUI_DONE;
	case ACT_CONFLICTS:
		if (!st->on_conflicts && st->nconf == 0) {
			tui_info(t, _("No conflicting deliveries are kept for "
			    "review."));
			return TUI_DONE;
		}
		st->on_conflicts = !st->on_conflicts;
		return TUI_DONE;
	case ACT_OPEN:
		return screen_incomes_details(t, st);
	case ACT_FILTER:
		return screen_incomes_filter(t, st);
	case ACT_EXPORT:
		tui_export(t, st->on_conflicts ? &listing_conflicts :
		    &listing_incomes, screen_incomes_export_fill, st);
		return TUI_DONE;
	case ACT_BACK:
		if (st->on_conflicts) {
			st->on_conflicts = 0;
			return TUI_DONE;
		}
		if (st->branch[0] || st->type) {
			st->branch[0] = '\0';
			st->type = 0;
			st->c.cur = st->c.top = 0;
			tui_info(t, _("The filter is off."));
			if (screen_incomes_conflicts(t, st, &err) != FF_OK ||
			    screen_incomes_reset(t, st, 1, &err) != FF_OK)
				tui_fail(t, &err);
			return TUI_DONE;
		}
		return TUI_PASS;
	default:
		return TUI_PASS;
	}
}

/* ---- drawing ------------------------------------------------------------- */

static void
screen_incomes_cells(const struct tui *t, const struct income *in, int tcols,
    char buf[IC_NCOLS][FF_NAME_MAX + 16], const char *cells[IC_NCOLS])
{
	tui_time(in->received_at, tcols, buf[IC_RECEIVED], sizeof(buf[0]));
	cells[IC_RECEIVED] = buf[IC_RECEIVED];
	cells[IC_BRANCH] = in->branch_code;
	cells[IC_TYPE] = screen_incomes_type(t, in->buss_type, buf[IC_TYPE],
	    sizeof(buf[0]));
	cells[IC_REF] = in->ref_id;
	cells[IC_AMOUNT] = money_format_grouped(in->amount, buf[IC_AMOUNT]);
	tui_time(in->occurred_at, tcols, buf[IC_OCCURRED], sizeof(buf[0]));
	cells[IC_OCCURRED] = buf[IC_OCCURRED];
	cells[IC_EVENT] = in->event_id;
}

static void
screen_incomes_ccells(const struct tui *t, const struct conflict *c, int tcols,
    char buf[CC_NCOLS][FF_NAME_MAX + 16], const char *cells[CC_NCOLS])
{
	tui_time(c->received_at, tcols, buf[CC_RECEIVED], sizeof(buf[0]));
	cells[CC_RECEIVED] = buf[CC_RECEIVED];
	cells[CC_BRANCH] = c->branch_code;
	cells[CC_TYPE] = screen_incomes_type(t, c->buss_type, buf[CC_TYPE],
	    sizeof(buf[0]));
	cells[CC_REF] = c->ref_id;
	cells[CC_AMOUNT] = money_format_grouped(c->amount, buf[CC_AMOUNT]);
	snprintf(buf[CC_KEPT], sizeof(buf[0]), "#%" PRId64, c->income_id);
	cells[CC_KEPT] = buf[CC_KEPT];
	cells[CC_EVENT] = c->event_id;
}

/* Paints the conflicts in rows y .. y+rows-1 (header first). */
static void
screen_incomes_draw_conflicts(const struct tui *t,
    const struct screen_incomes *st, int y, int rows, int cursor)
{
	char buf[CC_NCOLS][FF_NAME_MAX + 16];
	const char *cells[CC_NCOLS];
	int nat[CC_NCOLS] = { 0 }, w[CC_NCOLS], top;

	for (int i = 0; i < st->nconf; i++) {
		screen_incomes_ccells(t, &st->conf[i], 16, buf, cells);
		for (int k = 0; k < CC_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
	}
	tui_layout(screen_incomes_ccols, nat, CC_NCOLS, COLS, w);
	tui_header(t, y, screen_incomes_ccols, w, CC_NCOLS);
	rows--;
	top = cursor ? tui_scroll_top(st->cc.top, st->cc.cur, st->nconf, rows) : 0;
	for (int r = 0; r < rows && top + r < st->nconf; r++) {
		screen_incomes_ccells(t, &st->conf[top + r], w[CC_RECEIVED], buf,
		    cells);
		tui_row(y + 1 + r, screen_incomes_ccols, w, CC_NCOLS, cells, NULL,
		    cursor && top + r == st->cc.cur ? tui_attr(t, STY_SELECTED) :
		    tui_attr(t, STY_WARN));
	}
}

static void
screen_incomes_draw(const struct tui *t, const void *p)
{
	const struct screen_incomes *st = p;
	char buf[IC_NCOLS][FF_NAME_MAX + 16], sub[FF_NAME_MAX + 128], warn[160];
	const char *cells[IC_NCOLS];
	int nat[IC_NCOLS] = { 0 }, w[IC_NCOLS], rows = tui_list_rows(), top;
	int y = 2;

	{
		char tb[FF_NAME_MAX + 16] = "";

		if (st->type)
			screen_incomes_type(t, st->type, tb, sizeof(tb));
		snprintf(sub, sizeof(sub), "Incomes%s%s%s%s, newest first   row %"
		    PRId64, st->branch[0] ? " of " : "", st->branch,
		    st->type ? ", type " : "", tb, st->first + st->c.cur + 1);
	}
	if (st->nconf > 0) {
		snprintf(warn, sizeof(warn), "! %d conflicting deliver%s kept for "
		    "review%s", st->nconf, st->nconf == 1 ? "y" : "ies",
		    st->on_conflicts ? " (v: back to the incomes)" :
		    " (v: to review them)");
		tui_put(1, 1, COLS - 2, warn, WIDTH_LEFT, tui_attr(t, STY_WARN));
	} else {
		tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
	}
	if (st->on_conflicts) {
		screen_incomes_draw_conflicts(t, st, 2, rows + 1, 1);
		return;
	}
	if (st->nconf > 0) {
		int show = st->nconf < CONFLICT_PANE ? st->nconf : CONFLICT_PANE;

		screen_incomes_draw_conflicts(t, st, y, show + 1, 0);
		y += show + 1;
		tui_put(y, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
		y++;
		rows -= show + 2;
	}
	for (int i = 0; i < st->n; i++) {
		screen_incomes_cells(t, &st->rows[i], 16, buf, cells);
		for (int k = 0; k < IC_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
	}
	tui_layout(screen_incomes_cols, nat, IC_NCOLS, COLS, w);
	tui_header(t, y, screen_incomes_cols, w, IC_NCOLS);
	y++;
	if (st->n == 0) {
		tui_put(y, 1, COLS - 2, _("No incomes to show."), WIDTH_LEFT,
		    A_NORMAL);
		return;
	}
	top = tui_scroll_top(st->c.top, st->c.cur, st->n, rows);
	for (int r = 0; r < rows && top + r < st->n; r++) {
		screen_incomes_cells(t, &st->rows[top + r], w[IC_RECEIVED], buf,
		    cells);
		tui_row(y + r, screen_incomes_cols, w, IC_NCOLS, cells, NULL,
		    top + r == st->c.cur ? tui_attr(t, STY_SELECTED) : A_NORMAL);
	}
}

static int
screen_incomes_selected(const void *p)
{
	const struct screen_incomes *st = p;

	return st->on_conflicts ? st->nconf > 0 : st->n > 0;
}

const struct screen screen_incomes = {
	.name = N_("Incomes"),
	.roles = 0,
	.init = screen_incomes_init,
	.free = screen_incomes_free,
	.load = screen_incomes_load,
	.key = screen_incomes_key,
	.draw = screen_incomes_draw,
	.selected = screen_incomes_selected,
};
