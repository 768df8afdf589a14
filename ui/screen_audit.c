/*
 * screen_audit.c — screen 5, Audit (auditors): runs every check of the
 * model's audit, painting its progress as it goes, and lists the
 * findings; Enter on a finding opens the ledger at the entries it names
 * (both marked); R runs the checks again; e exports the findings as CSV.
 * The audit runs when the screen is first opened, not on every change
 * another process makes: the screen says when the data changed since.
 */
#include "screen.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/audit.h"
#include "model/scope.h"
#include "store/xmalloc.h"

enum { AU_CHECK, AU_BRANCH, AU_ENTRY, AU_OTHER, AU_TEXT, AU_NCOLS };

static const struct tui_col screen_audit_cols[AU_NCOLS] = {
	{ N_("CHECK"), 7, 10, WIDTH_LEFT, 0, 0 },
	{ N_("BRANCH"), 4, 16, WIDTH_LEFT, 0, 0 },
	{ N_("ENTRY"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("OTHER"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("FINDING"), 20, 0, WIDTH_LEFT, 1, 0 },
};

/*
 * The rows: the findings (exported, Enter opens their entries), then the
 * four-eyes warnings as rows of check "warning" (on the screen only, as
 * the command line prints them apart, on stderr).
 */
struct screen_audit {
	struct audit_finding *f;
	int n, nwarn;			/* findings, then warnings, in f */
	struct audit_summary sum;
	int ran, running, failed;
	int64_t done, total;		/* progress of the chain pass */
	int64_t version;		/* data_version the audit saw */
	struct tui_cursor c;
	struct tui *t;			/* for painting progress */
};

static void screen_audit_on_finding(void *arg, const struct audit_finding *f);
static void screen_audit_on_warning(void *arg, const char *text);
static void screen_audit_on_progress(void *arg, int64_t done, int64_t total);
static void screen_audit_run(struct tui *t, struct screen_audit *st);
static void *screen_audit_init(struct tui *t);
static void screen_audit_free(void *p);
static void screen_audit_load(struct tui *t, void *p);
static void screen_audit_cells(const struct audit_finding *f, char e[24],
    char o[24], const char *cells[AU_NCOLS]);
static int screen_audit_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_audit_key(struct tui *t, void *p, enum tui_action a);
static void screen_audit_draw(const struct tui *t, const void *p);
static int screen_audit_selected(const void *p);

static void
screen_audit_on_finding(void *arg, const struct audit_finding *f)
{
	struct screen_audit *st = arg;

	/* Findings come first: a finding reported after a warning goes
	 * before the warnings. */
	st->f = xreallocarray(st->f, (size_t)st->n + st->nwarn + 1,
	    sizeof(*st->f));
	memmove(&st->f[st->n + 1], &st->f[st->n],
	    (size_t)st->nwarn * sizeof(*st->f));
	st->f[st->n++] = *f;
}

static void
screen_audit_on_warning(void *arg, const char *text)
{
	struct screen_audit *st = arg;
	struct audit_finding *w;

	st->f = xreallocarray(st->f, (size_t)st->n + st->nwarn + 1,
	    sizeof(*st->f));
	w = &st->f[st->n + st->nwarn++];
	memset(w, 0, sizeof(*w));
	w->check = "warning";
	snprintf(w->text, sizeof(w->text), "%s", text);
}

static void
screen_audit_on_progress(void *arg, int64_t done, int64_t total)
{
	struct screen_audit *st = arg;

	st->done = done;
	st->total = total;
	tui_paint(st->t);
}

static void
screen_audit_run(struct tui *t, struct screen_audit *st)
{
	struct audit_opts o;
	struct ff_err err;
	int rc;

	free(st->f);
	st->f = NULL;
	st->n = st->nwarn = 0;
	memset(&st->sum, 0, sizeof(st->sum));
	memset(&st->c, 0, sizeof(st->c));
	st->done = st->total = 0;
	st->running = 1;
	st->t = t;
	st->version = t->data_version;
	tui_info(t, _("Running the audit..."));
	tui_paint(t);
	memset(&o, 0, sizeof(o));
	o.on_finding = screen_audit_on_finding;
	o.on_warning = screen_audit_on_warning;
	o.on_progress = screen_audit_on_progress;
	o.arg = st;
	rc = audit_run(t->ff, &t->sess, &o, &st->sum, &err);
	st->running = 0;
	st->ran = 1;
	st->failed = rc != FF_OK;
	if (rc != FF_OK)
		tui_fail(t, &err);
	else if (st->sum.findings == 0 && st->nwarn > 0)
		tui_info(t, _("Audit clean: every invariant holds; %d warning%s "
		    "for an auditor's look."), st->nwarn, st->nwarn == 1 ? "" :
		    "s");
	else if (st->sum.findings == 0)
		tui_info(t, _("Audit clean: every invariant holds."));
	else
		tui_error(t, _("The audit found %" PRId64 " problem%s; Enter on one "
		    "shows its entries."), st->sum.findings,
		    st->sum.findings == 1 ? "" : "s");
}

static void *
screen_audit_init(struct tui *t)
{
	struct screen_audit *st = xcalloc(1, sizeof(*st));

	st->t = t;
	return st;
}

static void
screen_audit_free(void *p)
{
	struct screen_audit *st = p;

	if (st == NULL)
		return;
	free(st->f);
	free(st);
}

static void
screen_audit_load(struct tui *t, void *p)
{
	struct screen_audit *st = p;

	if (!st->ran && !st->running)
		screen_audit_run(t, st);
}

static void
screen_audit_cells(const struct audit_finding *f, char e[24], char o[24],
    const char *cells[AU_NCOLS])
{
	e[0] = o[0] = '\0';
	if (f->entry_id)
		snprintf(e, 24, "%" PRId64, f->entry_id);
	if (f->other_id)
		snprintf(o, 24, "%" PRId64, f->other_id);
	cells[AU_CHECK] = f->check ? f->check : "";
	cells[AU_BRANCH] = f->branch;
	cells[AU_ENTRY] = e;
	cells[AU_OTHER] = o;
	cells[AU_TEXT] = f->text;
}

/* The findings; the warnings after them stay on the screen, as the
 * command line prints them apart (stderr). */
static int
screen_audit_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err)
{
	const struct screen_audit *st = arg;

	(void)t;
	(void)err;
	for (int i = 0; i < st->n; i++)
		listing_row(lo, &st->f[i]);
	return FF_OK;
}

static int
screen_audit_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_audit *st = p;

	if (tui_cursor_move(&st->c, a, st->n + st->nwarn, t->page))
		return TUI_DONE;
	switch (a) {
	case ACT_OPEN: {
		const struct audit_finding *f = &st->f[st->c.cur];

		if (st->c.cur >= st->n) {
			tui_error(t, _("A warning names no ledger entry: it is "
			    "about the operators (fundflow user list)."));
			return TUI_DONE;
		}
		if (f->entry_id == 0) {
			tui_error(t, _("This finding names no ledger entry."));
			return TUI_DONE;
		}
		memset(&t->jump, 0, sizeof(t->jump));
		t->jump.set = 1;
		memcpy(t->jump.branch, f->branch, sizeof(t->jump.branch));
		t->jump.entry = f->entry_id;
		t->jump.other = f->other_id;
		return tui_goto(t, SCR_LEDGER, 1);
	}
	case ACT_RERUN:
		screen_audit_run(t, st);
		return TUI_DONE;
	case ACT_EXPORT:
		tui_export(t, &listing_audit, screen_audit_export_fill, st);
		return TUI_DONE;
	default:
		return TUI_PASS;
	}
}

static void
screen_audit_draw(const struct tui *t, const void *p)
{
	const struct screen_audit *st = p;
	char sub[256], e[24], o[24];
	const char *cells[AU_NCOLS];
	int nat[AU_NCOLS] = { 0 }, w[AU_NCOLS], rows = tui_list_rows(), top;

	if (st->running) {
		char bar[64];
		int pct = st->total > 0 ? (int)(st->done * 100 /
		    (st->total > st->done ? st->total : st->done)) : 0;
		int fill = pct * 40 / 100;

		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(40 - fill));
		bar[40] = '\0';
		char d[32], n[32];

		if (st->total > 0)
			snprintf(sub, sizeof(sub), "Checking the ledger: %s of %s "
			    "entries (%d%%)", tui_count(st->done, d),
			    tui_count(st->total, n), pct);
		else
			snprintf(sub, sizeof(sub), "Checking the ledger: %s "
			    "entries",
			    tui_count(st->done, d));
		tui_put(1, 1, COLS - 2, _("Running the audit: every invariant, "
		    "one consistent snapshot."), WIDTH_LEFT, A_BOLD);
		tui_put(3, 2, COLS - 4, sub, WIDTH_LEFT, A_NORMAL);
		tui_put(4, 2, 42, bar, WIDTH_LEFT, tui_attr(t, STY_HEADER));
		return;
	}
	if (!st->ran || st->failed) {
		tui_put(1, 1, COLS - 2, st->ran ? _("The audit could not run; R "
		    "tries again.") : "R runs the audit.", WIDTH_LEFT, A_NORMAL);
		return;
	}
	{
		char na[32], ne[32], ni[32], nw[32], nwarn[48] = "";

		if (st->nwarn > 0)
			snprintf(nwarn, sizeof(nwarn), ", %d warning%s",
			    st->nwarn, st->nwarn == 1 ? "" : "s");
		snprintf(sub, sizeof(sub), "%s: %s accounts, %s entries, %s "
		    "incomes, %s applications%s%s",
		    st->sum.findings ? "Audit FAILED" : "Audit clean",
		    tui_count(st->sum.accounts, na), tui_count(st->sum.entries, ne),
		    tui_count(st->sum.incomes, ni),
		    tui_count(st->sum.withdrawals, nw), nwarn,
		    st->version != t->data_version ? "   (data changed since: R "
		    "runs it again)" : "");
	}
	tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT,
	    tui_attr(t, st->sum.findings ? STY_WARN : STY_OK));
	for (int i = 0; i < st->n + st->nwarn; i++) {
		screen_audit_cells(&st->f[i], e, o, cells);
		for (int k = 0; k < AU_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
	}
	tui_layout(screen_audit_cols, nat, AU_NCOLS, COLS, w);
	tui_header(t, 2, screen_audit_cols, w, AU_NCOLS);
	if (st->n + st->nwarn == 0) {
		tui_put(TUI_LIST_TOP, 1, COLS - 2, _("No findings: every invariant "
		    "holds."), WIDTH_LEFT, A_NORMAL);
		return;
	}
	top = tui_scroll_top(st->c.top, st->c.cur, st->n + st->nwarn, rows);
	for (int r = 0; r < rows && top + r < st->n + st->nwarn; r++) {
		screen_audit_cells(&st->f[top + r], e, o, cells);
		tui_row(TUI_LIST_TOP + r, screen_audit_cols, w, AU_NCOLS, cells,
		    NULL, top + r == st->c.cur ? tui_attr(t, STY_SELECTED) :
		    A_NORMAL);
	}
}

static int
screen_audit_selected(const void *p)
{
	const struct screen_audit *st = p;

	return st->n + st->nwarn > 0;
}

const struct screen screen_audit = {
	.name = N_("Audit"),
	.roles = SCOPE(ROLE_AUDITOR),
	.init = screen_audit_init,
	.free = screen_audit_free,
	.load = screen_audit_load,
	.key = screen_audit_key,
	.draw = screen_audit_draw,
	.selected = screen_audit_selected,
};
