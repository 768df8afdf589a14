/*
 * screen_ledger.c — screen 3, Ledger: the history newest first, with
 * time, branch, type, reference, before, amount, after and actor.
 *
 * The ledger may hold millions of entries, so the screen never loads it:
 * it keeps a window of at most LEDGER_CAP entries around the cursor and
 * moves it with keyset queries (accounts_history's before_id / after_id):
 * older entries are fetched below the last one held, newer ones above the
 * first, and the far side of the window is dropped.  `/` filters by
 * branch, business type, dates and reference; Enter shows one entry with
 * its source and hash.  When another process adds entries the window is
 * read again around the selected entry (or, at the top, from the newest).
 */
#include "screen.h"
#include "i18n.h"
#include "listing.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/accounts.h"
#include "model/chain.h"
#include "model/income.h"
#include "model/withdrawal.h"
#include "store/xmalloc.h"

#define LEDGER_CHUNK	200	/* entries one query fetches */
#define LEDGER_CAP	1000	/* entries the window holds at most */

enum { LG_TIME, LG_BRANCH, LG_TYPE, LG_REF, LG_BEFORE, LG_AMOUNT, LG_AFTER,
    LG_ACTOR, LG_NCOLS };

static const struct tui_col screen_ledger_cols[LG_NCOLS] = {
	{ N_("TIME"), 10, 16, WIDTH_LEFT, 0, 1 },
	{ N_("BRANCH"), 6, 16, WIDTH_LEFT, 0, 0 },
	{ N_("TYPE"), 10, 16, WIDTH_LEFT, 0, 0 },
	{ N_("REFERENCE"), 12, 0, WIDTH_LEFT, 1, 0 },
	{ N_("BEFORE"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("AMOUNT"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("AFTER"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("ACTOR"), 0, 12, WIDTH_LEFT, 0, 0 },
};


struct screen_ledger_filter {
	char branch[FF_CODE_MAX + 1];	/* "" for all in view */
	int32_t type;			/* 0 all, -1 withdrawals, else a code */
	char since[FF_TIME_MAX];
	char until[FF_TIME_MAX];
	char ref[FF_REF_MAX + 1];
};

struct screen_ledger {
	struct ledger_entry *rows;	/* the window, newest first */
	int n;
	int at_newest, at_oldest;	/* the window reaches that end */
	struct tui_cursor c;
	struct screen_ledger_filter f;
	int64_t mark[2];		/* entries an audit finding names */
	int64_t head_seq;		/* newest seq of a one-branch ledger */
};

/* Entries a query returned, in its order. */
struct screen_ledger_got {
	struct ledger_entry *v;
	int n, cap;
};

static int screen_ledger_got_cb(void *arg, const struct ledger_entry *e);
static void screen_ledger_query(const struct screen_ledger_filter *f,
    struct history_query *q);
static int screen_ledger_fetch(struct tui *t,
    const struct screen_ledger_filter *f, int64_t before, int64_t after,
    int oldest_first, int limit, struct screen_ledger_got *g,
    struct ff_err *err);
static void screen_ledger_take(struct screen_ledger *st,
    struct screen_ledger_got *g, int reverse);
static int screen_ledger_seek(struct tui *t, struct screen_ledger *st,
    const struct screen_ledger_filter *f, int64_t id, struct ff_err *err);
static void screen_ledger_trim(struct screen_ledger *st, int front);
static int screen_ledger_extend(struct tui *t, struct screen_ledger *st,
    int want);
static void *screen_ledger_init(struct tui *t);
static void screen_ledger_free(void *p);
static void screen_ledger_load(struct tui *t, void *p);
static int screen_ledger_income_cb(void *arg, const struct income *in);
static const char *screen_ledger_type(const struct tui *t,
    const struct ledger_entry *e, char *buf, size_t sz);
static int screen_ledger_details(struct tui *t, struct screen_ledger *st);
static int screen_ledger_parse_type(const struct tui *t, const char *s,
    int32_t *out);
static int screen_ledger_filter_submit(struct tui *t, void *p,
    struct tui_modal *m);
static int screen_ledger_filter(struct tui *t, struct screen_ledger *st);
static int screen_ledger_export_cb(void *arg, const struct ledger_entry *e);
static int screen_ledger_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_ledger_bottom(struct tui *t, struct screen_ledger *st);
static int screen_ledger_key(struct tui *t, void *p, enum tui_action a);
static void screen_ledger_cells(const struct tui *t,
    const struct ledger_entry *e, int time_cols,
    char buf[LG_NCOLS][MONEY_BUFSZ + 8], const char *cells[LG_NCOLS]);
static void screen_ledger_subheader(const struct tui *t,
    const struct screen_ledger *st);
static void screen_ledger_draw(const struct tui *t, const void *p);
static int screen_ledger_selected(const void *p);

static int
screen_ledger_got_cb(void *arg, const struct ledger_entry *e)
{
	struct screen_ledger_got *g = arg;

	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : LEDGER_CHUNK + 1;
		g->v = xreallocarray(g->v, (size_t)g->cap, sizeof(*g->v));
	}
	g->v[g->n++] = *e;
	return 0;
}

static void
screen_ledger_query(const struct screen_ledger_filter *f,
    struct history_query *q)
{
	memset(q, 0, sizeof(*q));
	q->branch = f->branch[0] ? f->branch : NULL;
	q->since = f->since[0] ? f->since : NULL;
	q->until = f->until[0] ? f->until : NULL;
	q->buss_type = f->type;
	q->ref = f->ref[0] ? f->ref : NULL;
}

/*
 * One keyset query under filter f: before (older than that entry, newest
 * first), after (newer, oldest first), or oldest_first from the start.
 * OUT: g (the caller frees g->v).
 */
static int
screen_ledger_fetch(struct tui *t, const struct screen_ledger_filter *f,
    int64_t before, int64_t after, int oldest_first, int limit,
    struct screen_ledger_got *g, struct ff_err *err)
{
	struct history_query q;

	memset(g, 0, sizeof(*g));
	screen_ledger_query(f, &q);
	q.before_id = before;
	q.after_id = after;
	q.oldest_first = oldest_first;
	q.limit = limit;
	return accounts_history(t->ff, &t->sess, &q, screen_ledger_got_cb, g, err);
}

/* Makes rows the window: n entries of v in reverse order when reverse. */
static void
screen_ledger_take(struct screen_ledger *st, struct screen_ledger_got *g,
    int reverse)
{
	free(st->rows);
	st->rows = g->v;
	st->n = g->n;
	if (reverse)
		for (int i = 0; i < g->n / 2; i++) {
			struct ledger_entry e = g->v[i];

			g->v[i] = g->v[g->n - 1 - i];
			g->v[g->n - 1 - i] = e;
		}
	g->v = NULL;
}

/*
 * Reads the window around entry id under filter f (0: from the newest),
 * with the cursor on it (or the first older one).  On failure nothing
 * changes.
 */
static int
screen_ledger_seek(struct tui *t, struct screen_ledger *st,
    const struct screen_ledger_filter *f, int64_t id, struct ff_err *err)
{
	struct screen_ledger_got up, down, head;
	int half = LEDGER_CHUNK / 2, rc, off = st->c.cur - st->c.top;

	memset(&up, 0, sizeof(up));
	if (id > 0 && (rc = screen_ledger_fetch(t, f, 0, id, 0, half, &up,
	    err)) != FF_OK)
		return rc;
	/* From just above id (the nearest newer entry) downwards, so that id
	 * itself is included; from the newest when nothing is newer. */
	rc = screen_ledger_fetch(t, f, up.n > 0 ? up.v[0].id : 0, 0, 0,
	    id > 0 ? half + 1 : LEDGER_CHUNK, &down, err);
	if (rc != FF_OK) {
		free(up.v);
		return rc;
	}
	head.n = 0;
	head.v = NULL;
	st->head_seq = 0;
	if (f->branch[0] && screen_ledger_fetch(t, f, 0, 0, 0, 1, &head,
	    err) == FF_OK && head.n == 1)
		st->head_seq = head.v[0].seq;
	free(head.v);
	st->f = *f;
	st->at_newest = id == 0 || up.n < half;
	st->at_oldest = down.n < (id > 0 ? half + 1 : LEDGER_CHUNK);
	/* Window: up reversed (newest first), then down. */
	{
		struct screen_ledger_got all;

		all.n = up.n + down.n;
		all.cap = all.n;
		all.v = xreallocarray(NULL, all.n ? (size_t)all.n : 1,
		    sizeof(*all.v));
		for (int i = 0; i < up.n; i++)
			all.v[i] = up.v[up.n - 1 - i];
		if (down.n)
			memcpy(all.v + up.n, down.v,
			    (size_t)down.n * sizeof(*all.v));
		screen_ledger_take(st, &all, 0);
	}
	free(up.v);
	free(down.v);
	st->c.cur = 0;
	if (id > 0)
		for (int i = 0; i < st->n; i++)
			if (st->rows[i].id <= id) {
				st->c.cur = i;
				break;
			}
	if (off < 0)
		off = 0;
	st->c.top = st->c.cur - off;
	if (st->c.top < 0)
		st->c.top = 0;
	return FF_OK;
}

/* Drops entries from the front (front = 1) or the back to keep the
 * window within LEDGER_CAP. */
static void
screen_ledger_trim(struct screen_ledger *st, int front)
{
	int drop = st->n - LEDGER_CAP;

	if (drop <= 0)
		return;
	if (front) {
		memmove(st->rows, st->rows + drop,
		    (size_t)(st->n - drop) * sizeof(*st->rows));
		st->c.cur -= drop;
		st->c.top -= drop;
		st->at_newest = 0;
	} else {
		st->at_oldest = 0;
	}
	st->n -= drop;
	if (st->c.top < 0)
		st->c.top = 0;
}

/* Makes sure the window holds the rows the cursor is about to reach:
 * want below (want > 0) or above it. */
static int
screen_ledger_extend(struct tui *t, struct screen_ledger *st, int want)
{
	struct screen_ledger_got g;
	struct ff_err err;

	if (st->n == 0)
		return FF_OK;
	if (want > 0 && st->c.cur + want >= st->n - 1 && !st->at_oldest) {
		if (screen_ledger_fetch(t, &st->f, st->rows[st->n - 1].id, 0, 0,
		    LEDGER_CHUNK, &g, &err) != FF_OK) {
			tui_fail(t, &err);
			return -1;
		}
		st->rows = xreallocarray(st->rows, (size_t)(st->n + g.n) + 1,
		    sizeof(*st->rows));
		if (g.n)
			memcpy(st->rows + st->n, g.v, (size_t)g.n * sizeof(*g.v));
		st->n += g.n;
		st->at_oldest = g.n < LEDGER_CHUNK;
		free(g.v);
		screen_ledger_trim(st, 1);
	} else if (want < 0 && st->c.cur + want <= 0 && !st->at_newest) {
		if (screen_ledger_fetch(t, &st->f, 0, st->rows[0].id, 0,
		    LEDGER_CHUNK, &g, &err) != FF_OK) {
			tui_fail(t, &err);
			return -1;
		}
		st->rows = xreallocarray(st->rows, (size_t)(st->n + g.n) + 1,
		    sizeof(*st->rows));
		memmove(st->rows + g.n, st->rows,
		    (size_t)st->n * sizeof(*st->rows));
		for (int i = 0; i < g.n; i++)
			st->rows[i] = g.v[g.n - 1 - i];
		st->n += g.n;
		st->c.cur += g.n;
		st->c.top += g.n;
		st->at_newest = g.n < LEDGER_CHUNK;
		free(g.v);
		screen_ledger_trim(st, 0);
	}
	return FF_OK;
}

static void *
screen_ledger_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct screen_ledger));
}

static void
screen_ledger_free(void *p)
{
	struct screen_ledger *st = p;

	if (st == NULL)
		return;
	free(st->rows);
	free(st);
}

static void
screen_ledger_load(struct tui *t, void *p)
{
	struct screen_ledger *st = p;
	struct screen_ledger_filter f = st->f;
	struct ff_err err;
	int64_t id = 0;

	if (t->jump.set) {
		/* From Accounts (a branch) or Audit (a finding's entries). */
		memset(&f, 0, sizeof(f));
		memcpy(f.branch, t->jump.branch, sizeof(f.branch));
		id = t->jump.entry;
		st->mark[0] = t->jump.entry;
		st->mark[1] = t->jump.other;
		memset(&t->jump, 0, sizeof(t->jump));
		st->c.cur = st->c.top = 0;
	} else if (st->n > 0 && !(st->c.cur == 0 && st->at_newest)) {
		/* Stay on the selected entry; at the top, follow the newest. */
		id = st->rows[st->c.cur].id;
	}
	if (screen_ledger_seek(t, st, &f, id, &err) != FF_OK)
		tui_fail(t, &err);
	else if (id > 0 && st->mark[0] == id && (st->n == 0 ||
	    st->rows[st->c.cur].id != id))
		tui_error(t, _("Entry %" PRId64 " is not in the ledger."), id);
}

/* ---- details ------------------------------------------------------------- */

struct screen_ledger_income {
	int64_t id;
	struct income in;
	int found;
};

static int
screen_ledger_income_cb(void *arg, const struct income *in)
{
	struct screen_ledger_income *x = arg;

	if (in->id == x->id) {
		x->in = *in;
		x->found = 1;
	}
	return 1;
}

static const char *
screen_ledger_type(const struct tui *t, const struct ledger_entry *e,
    char *buf, size_t sz)
{
	const struct buss_type *bt;

	if (e->kind == ENTRY_WITHDRAWAL)
		return "withdrawal";
	if ((bt = config_type(t->cfg, e->buss_type)) != NULL)
		return bt->name;
	snprintf(buf, sz, "type %d", (int)e->buss_type);
	return buf;
}

static int
screen_ledger_details(struct tui *t, struct screen_ledger *st)
{
	const struct ledger_entry *e = &st->rows[st->c.cur];
	char title[96], buf[FF_TEXT_MAX + 128], m1[MONEY_BUFSZ], tb[32];
	char hex[2 * FF_HASH_LEN + 1];
	struct tui_modal *m;
	struct ff_err err;

	snprintf(title, sizeof(title), "Ledger entry %" PRId64 " (%s, seq %"
	    PRId64 ")", e->id, e->branch_code, e->seq);
	m = tui_modal_open(t, MODAL_INFO, st, title);
	tui_modal_pair(m, STY_NORMAL, _("Time"), e->at);
	tui_modal_pair(m, STY_NORMAL, _("Branch"), e->branch_code);
	if (e->kind == ENTRY_INCOME)
		snprintf(buf, sizeof(buf), "income, type %d %s", (int)e->buss_type,
		    screen_ledger_type(t, e, tb, sizeof(tb)));
	else
		snprintf(buf, sizeof(buf), "withdrawal");
	tui_modal_pair(m, STY_NORMAL, _("Kind"), buf);
	tui_modal_pair(m, STY_NORMAL, _("Reference"), e->ref);
	tui_modal_pair(m, STY_NORMAL, _("Before"),
	    money_format_grouped(e->pre_amount, m1));
	tui_modal_pair(m, e->amount < 0 ? STY_NEGATIVE : STY_HEADER, _("Amount"),
	    money_format_grouped(e->amount, m1));
	tui_modal_pair(m, STY_NORMAL, _("After"),
	    money_format_grouped(e->post_amount, m1));
	tui_modal_pair(m, STY_NORMAL, _("Actor"), e->actor);
	tui_modal_pair(m, STY_NORMAL, _("Hash"), chain_hex(e->hash, hex));
	tui_modal_line(m, STY_NORMAL, "%s", "");
	if (e->kind == ENTRY_WITHDRAWAL) {
		struct withdrawal w;

		if (withdrawal_get(t->ff, &t->sess, e->source_id, &w,
		    &err) != FF_OK) {
			tui_modal_line(m, STY_WARN, _("Source: %s"), err.msg);
			return TUI_DONE;
		}
		tui_modal_line(m, STY_HEADER, _("Source: application %" PRId64), w.id);
		snprintf(buf, sizeof(buf), "%s by %s", w.applied_at, w.applicant);
		tui_modal_pair(m, STY_NORMAL, _("  Applied"), buf);
		tui_modal_pair(m, STY_NORMAL, _("  Amount"),
		    money_format_grouped(w.amount, m1));
		snprintf(buf, sizeof(buf), "%s by %s at %s",
		    wd_status_name(w.status), w.decided_by, w.decided_at);
		tui_modal_pair(m, STY_NORMAL, _("  Decision"), buf);
		tui_modal_pair(m, STY_NORMAL, _("  Note"), w.note);
	} else {
		struct screen_ledger_income x;

		memset(&x, 0, sizeof(x));
		x.id = e->source_id;
		if (income_list(t->ff, &t->sess, e->branch_code, 0,
		    e->source_id + 1, 1, screen_ledger_income_cb, &x,
		    &err) != FF_OK) {
			tui_modal_line(m, STY_WARN, _("Source: %s"), err.msg);
			return TUI_DONE;
		}
		if (!x.found) {
			tui_modal_line(m, STY_WARN, _("Source: income %" PRId64
			    " is missing"), e->source_id);
			return TUI_DONE;
		}
		tui_modal_line(m, STY_HEADER, _("Source: income %" PRId64), x.in.id);
		tui_modal_pair(m, STY_NORMAL, _("  Event"), x.in.event_id[0] ?
		    x.in.event_id : "(none)");
		tui_modal_pair(m, STY_NORMAL, _("  Key"), x.in.ikey);
		tui_modal_pair(m, STY_NORMAL, _("  Amount"),
		    money_format_grouped(x.in.amount, m1));
		tui_modal_pair(m, STY_NORMAL, _("  Occurred"), x.in.occurred_at[0] ?
		    x.in.occurred_at : "(not given)");
		tui_modal_pair(m, STY_NORMAL, _("  Received"), x.in.received_at);
		tui_modal_pair(m, STY_NORMAL, _("  Withdrawable"),
		    x.in.withdrawable ? "yes" : "no (deposit)");
	}
	return TUI_DONE;
}

/* ---- filter -------------------------------------------------------------- */

/* Reads a business type as typed: a code, a name, "withdrawal", or "". */
static int
screen_ledger_parse_type(const struct tui *t, const char *s, int32_t *out)
{
	char *end;
	long v;

	if (*s == '\0' || strcmp(s, "all") == 0) {
		*out = 0;
		return 0;
	}
	if (strcmp(s, "withdrawal") == 0 || strcmp(s, "withdrawals") == 0) {
		*out = -1;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*end == '\0' && v > 0 && v <= INT32_MAX &&
	    config_type(t->cfg, (int32_t)v) != NULL) {
		*out = (int32_t)v;
		return 0;
	}
	for (size_t i = 0; i < t->cfg->ntypes; i++)
		if (strcmp(t->cfg->types[i].name, s) == 0) {
			*out = t->cfg->types[i].code;
			return 0;
		}
	return -1;
}

static int
screen_ledger_filter_submit(struct tui *t, void *p, struct tui_modal *m)
{
	struct screen_ledger *st = p;
	struct screen_ledger_filter f;
	char type[64], branch[64];
	struct ff_err err;

	memset(&f, 0, sizeof(f));
	tui_field_get(&m->fields[0], branch, sizeof(branch));
	tui_field_get(&m->fields[1], type, sizeof(type));
	tui_field_get(&m->fields[2], f.since, sizeof(f.since));
	tui_field_get(&m->fields[3], f.until, sizeof(f.until));
	tui_field_get(&m->fields[4], f.ref, sizeof(f.ref));
	if (strlen(branch) > FF_CODE_MAX) {
		m->focus = 0;
		tui_error(t, _("There is no branch \"%s\"."), branch);
		return TUI_KEEP;
	}
	memcpy(f.branch, branch, strlen(branch) + 1);
	if (screen_ledger_parse_type(t, type, &f.type) != 0) {
		m->focus = 1;
		tui_error(t, _("\"%s\" is not a business type: give its code or "
		    "name, \"withdrawal\", or nothing for all."), type);
		return TUI_KEEP;
	}
	st->c.cur = st->c.top = 0;
	if (screen_ledger_seek(t, st, &f, 0, &err) != FF_OK) {
		tui_fail(t, &err);
		return TUI_KEEP;
	}
	st->mark[0] = st->mark[1] = 0;
	return TUI_DONE;
}

static int
screen_ledger_filter(struct tui *t, struct screen_ledger *st)
{
	struct tui_modal *m = tui_modal_open(t, MODAL_FORM, st,
	    _("Filter the ledger"));
	char type[32] = "";

	tui_modal_line(m, STY_NORMAL, _("Leave a field empty for no condition."));
	tui_modal_line(m, STY_NORMAL, _("Type: a business type's code or name, "
	    "or \"withdrawal\"."));
	tui_modal_line(m, STY_NORMAL, _("Since / until: a date 2026-01-31 "
	    "(until includes it) or an ISO time."));
	if (st->f.type > 0)
		snprintf(type, sizeof(type), "%d", (int)st->f.type);
	else if (st->f.type < 0)
		snprintf(type, sizeof(type), "withdrawal");
	tui_field_set(tui_modal_field(m, _("Branch"), FF_CODE_MAX, 0), st->f.branch);
	tui_field_set(tui_modal_field(m, _("Type"), 200, 0), type);
	tui_field_set(tui_modal_field(m, _("Since"), FF_TIME_MAX - 1, 0), st->f.since);
	tui_field_set(tui_modal_field(m, _("Until"), FF_TIME_MAX - 1, 0), st->f.until);
	tui_field_set(tui_modal_field(m, _("Reference"), FF_REF_MAX, 0), st->f.ref);
	m->submit = screen_ledger_filter_submit;
	return TUI_DONE;
}

/* ---- export -------------------------------------------------------------- */

static int
screen_ledger_export_cb(void *arg, const struct ledger_entry *e)
{
	listing_row(arg, e);
	return 0;
}

/* Every entry the filter lets through, read again (not only the page). */
static int
screen_ledger_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err)
{
	const struct screen_ledger *st = arg;
	struct history_query q;

	screen_ledger_query(&st->f, &q);
	return accounts_history(t->ff, &t->sess, &q, screen_ledger_export_cb,
	    lo, err);
}

/* ---- keys ---------------------------------------------------------------- */

static int
screen_ledger_bottom(struct tui *t, struct screen_ledger *st)
{
	struct screen_ledger_got g;
	struct ff_err err;

	if (screen_ledger_fetch(t, &st->f, 0, 0, 1, LEDGER_CHUNK, &g,
	    &err) != FF_OK) {
		tui_fail(t, &err);
		return TUI_DONE;
	}
	st->at_oldest = 1;
	st->at_newest = g.n < LEDGER_CHUNK;
	screen_ledger_take(st, &g, 1);
	st->c.cur = st->n > 0 ? st->n - 1 : 0;
	st->c.top = st->c.cur;
	return TUI_DONE;
}

static int
screen_ledger_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_ledger *st = p;
	struct ff_err err;

	switch (a) {
	case ACT_DOWN:
	case ACT_PGDN:
		screen_ledger_extend(t, st, a == ACT_DOWN ? 1 : t->page);
		tui_cursor_move(&st->c, a, st->n, t->page);
		return TUI_DONE;
	case ACT_UP:
	case ACT_PGUP:
		screen_ledger_extend(t, st, a == ACT_UP ? -1 : -t->page);
		tui_cursor_move(&st->c, a, st->n, t->page);
		return TUI_DONE;
	case ACT_TOP:
		st->c.cur = st->c.top = 0;
		if (screen_ledger_seek(t, st, &st->f, 0, &err) != FF_OK)
			tui_fail(t, &err);
		return TUI_DONE;
	case ACT_BOTTOM:
		return screen_ledger_bottom(t, st);
	case ACT_OPEN:
		return screen_ledger_details(t, st);
	case ACT_FILTER:
		return screen_ledger_filter(t, st);
	case ACT_EXPORT:
		tui_export(t, &listing_ledger, screen_ledger_export_fill, st);
		return TUI_DONE;
	case ACT_BACK: {
		static const struct screen_ledger_filter none;

		/* Back to where the operator came from; else drop the filter. */
		if (t->nback > 0 || memcmp(&st->f, &none, sizeof(none)) == 0)
			return TUI_PASS;
		st->c.cur = st->c.top = 0;
		st->mark[0] = st->mark[1] = 0;
		if (screen_ledger_seek(t, st, &none, 0, &err) != FF_OK)
			tui_fail(t, &err);
		else
			tui_info(t, _("The filter is off: every entry you may see."));
		return TUI_DONE;
	}
	default:
		return TUI_PASS;
	}
}

/* ---- drawing ------------------------------------------------------------- */

static void
screen_ledger_cells(const struct tui *t, const struct ledger_entry *e,
    int time_cols, char buf[LG_NCOLS][MONEY_BUFSZ + 8],
    const char *cells[LG_NCOLS])
{
	tui_time(e->at, time_cols, buf[LG_TIME], sizeof(buf[LG_TIME]));
	cells[LG_TIME] = buf[LG_TIME];
	cells[LG_BRANCH] = e->branch_code;
	cells[LG_TYPE] = screen_ledger_type(t, e, buf[LG_TYPE], sizeof(buf[0]));
	cells[LG_REF] = e->ref;
	cells[LG_BEFORE] = money_format_grouped(e->pre_amount, buf[LG_BEFORE]);
	cells[LG_AMOUNT] = money_format_grouped(e->amount, buf[LG_AMOUNT]);
	cells[LG_AFTER] = money_format_grouped(e->post_amount, buf[LG_AFTER]);
	cells[LG_ACTOR] = e->actor;
}

static void
screen_ledger_subheader(const struct tui *t, const struct screen_ledger *st)
{
	char sub[512], pos[96] = "", cond[384] = "";
	size_t k = 0;

	if (st->f.type > 0)
		k += (size_t)snprintf(cond + k, sizeof(cond) - k, " type %d",
		    (int)st->f.type);
	else if (st->f.type < 0)
		k += (size_t)snprintf(cond + k, sizeof(cond) - k, " withdrawals");
	if (st->f.since[0] && k < sizeof(cond))
		k += (size_t)snprintf(cond + k, sizeof(cond) - k, " since %s",
		    st->f.since);
	if (st->f.until[0] && k < sizeof(cond))
		k += (size_t)snprintf(cond + k, sizeof(cond) - k, " until %s",
		    st->f.until);
	if (st->f.ref[0] && k < sizeof(cond))
		snprintf(cond + k, sizeof(cond) - k, " ref %s", st->f.ref);
	if (st->n > 0) {
		const struct ledger_entry *e = &st->rows[st->c.cur];

		if (st->head_seq > 0 && !cond[0])
			snprintf(pos, sizeof(pos), "seq %" PRId64 " of %" PRId64,
			    e->seq, st->head_seq);
		else
			snprintf(pos, sizeof(pos), "entry %" PRId64 " (%s seq %"
			    PRId64 ")", e->id, e->branch_code, e->seq);
	}
	snprintf(sub, sizeof(sub), "%s%s%s, newest first%s%s%s",
	    st->f.branch[0] ? "Ledger of " : "Every ledger",
	    st->f.branch[0] ? st->f.branch : (t->sess.op.role == ROLE_STAFF ?
	    " (your branch)" : ""), cond[0] ? ":" : "", cond,
	    st->mark[0] ? "   marked: the audit finding's entries" : "",
	    "");
	tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
	if (pos[0]) {
		int w = width_str(pos);

		if (COLS - w - 1 > width_str(sub) + 2)
			tui_put(1, COLS - w - 1, w, pos, WIDTH_LEFT, A_BOLD);
	}
}

static void
screen_ledger_draw(const struct tui *t, const void *p)
{
	const struct screen_ledger *st = p;
	char buf[LG_NCOLS][MONEY_BUFSZ + 8];
	const char *cells[LG_NCOLS];
	int nat[LG_NCOLS] = { 0 }, w[LG_NCOLS], rows = tui_list_rows(), top;

	screen_ledger_subheader(t, st);
	for (int i = 0; i < st->n; i++) {
		screen_ledger_cells(t, &st->rows[i], 19, buf, cells);
		for (int k = 0; k < LG_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
	}
	tui_layout(screen_ledger_cols, nat, LG_NCOLS, COLS, w);
	tui_header(t, 2, screen_ledger_cols, w, LG_NCOLS);
	if (st->n == 0) {
		tui_put(TUI_LIST_TOP, 1, COLS - 2, _("No ledger entries to show."),
		    WIDTH_LEFT, A_NORMAL);
		return;
	}
	top = tui_scroll_top(st->c.top, st->c.cur, st->n, rows);
	for (int r = 0; r < rows && top + r < st->n; r++) {
		const struct ledger_entry *e = &st->rows[top + r];
		attr_t at[LG_NCOLS] = { 0 }, base = A_NORMAL;

		screen_ledger_cells(t, e, w[LG_TIME], buf, cells);
		if (e->amount < 0)
			at[LG_AMOUNT] = tui_attr(t, STY_NEGATIVE);
		if (e->post_amount < 0)
			at[LG_AFTER] = tui_attr(t, STY_NEGATIVE);
		if (e->id == st->mark[0] || e->id == st->mark[1])
			base = tui_attr(t, STY_MARK);
		if (top + r == st->c.cur)
			base = tui_attr(t, STY_SELECTED) |
			    (base != A_NORMAL ? A_BOLD : 0);
		tui_row(TUI_LIST_TOP + r, screen_ledger_cols, w, LG_NCOLS, cells,
		    at, base);
	}
}

static int
screen_ledger_selected(const void *p)
{
	const struct screen_ledger *st = p;

	return st->n > 0;
}

const struct screen screen_ledger = {
	.name = N_("Ledger"),
	.roles = 0,
	.init = screen_ledger_init,
	.free = screen_ledger_free,
	.load = screen_ledger_load,
	.key = screen_ledger_key,
	.draw = screen_ledger_draw,
	.selected = screen_ledger_selected,
};
