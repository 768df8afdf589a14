/*
 * screen_withdrawals.c — screen 2, Withdrawals: for reviewers the pending
 * queue, oldest first (other statuses by the filter); for staff their
 * branch's applications, newest first.  Each with its branch, amount,
 * applied at, applicant, note, and the branch's withdrawable amount now,
 * marked "!" when it does not cover the application.
 *
 * Reviewers approve (a) after a confirmation that shows the branch, the
 * amount, and the balance and withdrawable after, and reject (r) with a
 * reason.  Staff apply (n: amount and note, beside their withdrawable and
 * other pending total) and cancel (c).  Every decision is the model's;
 * its refusals appear as they are on the status line.  A dialog keeps the
 * id of the application it was opened on, whatever reloads underneath.
 */
#include "screen.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/accounts.h"
#include "model/withdrawal.h"
#include "store/xmalloc.h"

enum { WC_ID, WC_BRANCH, WC_AMOUNT, WC_APPLIED, WC_APPLICANT, WC_STATUS,
    WC_NOTE, WC_NOW, WC_NCOLS };

static const struct tui_col screen_withdrawals_cols[WC_NCOLS] = {
	{ N_("ID"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("BRANCH"), 6, 16, WIDTH_LEFT, 0, 0 },
	{ N_("AMOUNT"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("APPLIED"), 10, 16, WIDTH_LEFT, 0, 1 },
	{ N_("APPLICANT"), 9, 16, WIDTH_LEFT, 0, 0 },
	{ N_("STATUS"), 9, 9, WIDTH_LEFT, 0, 0 },
	{ N_("NOTE"), 10, 0, WIDTH_LEFT, 1, 0 },
	{ N_("WITHDRAWABLE NOW"), -1, 0, WIDTH_RIGHT, 0, 0 },
};

struct screen_withdrawals {
	struct withdrawal *rows;
	int n;
	struct tui_cursor c;
	struct account *accts;		/* every branch's figures now */
	size_t nacct;
	int status;			/* -1: all; else an enum wd_status */
	int default_status;
	int newest_first;		/* staff: their latest on top */
	char branch[FF_CODE_MAX + 1];	/* "" for every branch in view */
	int64_t select_id;		/* select this one after the next load */
};

static const struct account *screen_withdrawals_acct(
    const struct screen_withdrawals *st, int64_t branch_id);
static const struct withdrawal *screen_withdrawals_sel(
    const struct screen_withdrawals *st);
static void *screen_withdrawals_init(struct tui *t);
static void screen_withdrawals_free(void *p);
static int screen_withdrawals_read(struct tui *t,
    struct screen_withdrawals *st, struct ff_err *err);
static void screen_withdrawals_load(struct tui *t, void *p);
static int screen_withdrawals_approve_yes(struct tui *t, void *p, int64_t id);
static void screen_withdrawals_after(money_t v, money_t amount, char *out,
    size_t sz);
static void screen_withdrawals_describe(struct tui_modal *m,
    const struct screen_withdrawals *st, const struct withdrawal *w);
static int screen_withdrawals_not_pending(struct tui *t,
    const struct withdrawal *w, const char *doing);
static int screen_withdrawals_approve(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_reject_submit(struct tui *t, void *p,
    struct tui_modal *m);
static int screen_withdrawals_reject(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_apply_submit(struct tui *t, void *p,
    struct tui_modal *m);
static int screen_withdrawals_apply(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_cancel_yes(struct tui *t, void *p, int64_t id);
static int screen_withdrawals_cancel(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_details(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_filter_submit(struct tui *t, void *p,
    struct tui_modal *m);
static int screen_withdrawals_filter(struct tui *t,
    struct screen_withdrawals *st);
static int screen_withdrawals_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_withdrawals_key(struct tui *t, void *p, enum tui_action a);
static void screen_withdrawals_cells(const struct screen_withdrawals *st,
    const struct withdrawal *w, int time_cols, char buf[WC_NCOLS][48],
    const char *cells[WC_NCOLS], int *short_now);
static void screen_withdrawals_draw(const struct tui *t, const void *p);
static int screen_withdrawals_selected(const void *p);

static const struct account *
screen_withdrawals_acct(const struct screen_withdrawals *st, int64_t branch_id)
{
	return listing_account_of(st->accts, st->nacct, branch_id);
}

/* The selected application, or NULL. */
static const struct withdrawal *
screen_withdrawals_sel(const struct screen_withdrawals *st)
{
	return st->n > 0 && st->c.cur < st->n ? &st->rows[st->c.cur] : NULL;
}

static void *
screen_withdrawals_init(struct tui *t)
{
	struct screen_withdrawals *st = xcalloc(1, sizeof(*st));

	/* Reviewers (and auditors) work the queue; staff follow their
	 * branch's applications whatever became of them. */
	st->default_status = t->sess.op.role == ROLE_STAFF ? -1 : WD_PENDING;
	st->status = st->default_status;
	st->newest_first = t->sess.op.role == ROLE_STAFF;
	return st;
}

static void
screen_withdrawals_free(void *p)
{
	struct screen_withdrawals *st = p;

	if (st == NULL)
		return;
	free(st->rows);
	free(st->accts);
	free(st);
}

/* Reads the applications and the accounts; FF_OK or the model's rc. */
static int
screen_withdrawals_read(struct tui *t, struct screen_withdrawals *st,
    struct ff_err *err)
{
	const struct withdrawal *sel = screen_withdrawals_sel(st);
	int64_t keep = st->select_id ? st->select_id : sel ? sel->id : 0;
	struct withdrawal *rows;
	struct account *accts;
	size_t n, na;
	int rc;

	if ((rc = withdrawal_list(t->ff, &t->sess, st->branch[0] ? st->branch :
	    NULL, st->status, &rows, &n, err)) != FF_OK)
		return rc;
	if ((rc = accounts_list(t->ff, &t->sess, NULL, &accts, &na,
	    err)) != FF_OK) {
		free(rows);
		return rc;
	}
	free(st->rows);
	free(st->accts);
	st->rows = rows;
	st->n = (int)n;
	st->accts = accts;
	st->nacct = na;
	st->select_id = 0;
	for (int i = 0; st->newest_first && i < st->n / 2; i++) {
		struct withdrawal w = st->rows[i];

		st->rows[i] = st->rows[st->n - 1 - i];
		st->rows[st->n - 1 - i] = w;
	}
	for (int i = 0; i < st->n; i++)
		if (st->rows[i].id == keep)
			st->c.cur = i;
	/* A decided application left the queue: the next one moves into
	 * its place, so a reviewer goes on down the queue. */
	if (st->c.cur >= st->n)
		st->c.cur = st->n > 0 ? st->n - 1 : 0;
	return FF_OK;
}

static void
screen_withdrawals_load(struct tui *t, void *p)
{
	struct ff_err err;

	if (screen_withdrawals_read(t, p, &err) != FF_OK)
		tui_fail(t, &err);
}

/* ---- approve ------------------------------------------------------------- */

static int
screen_withdrawals_approve_yes(struct tui *t, void *p, int64_t id)
{
	struct screen_withdrawals *st = p;
	struct withdrawal w;
	struct account a;
	struct ff_err err;
	char amt[MONEY_BUFSZ], bal[MONEY_BUFSZ], wd[MONEY_BUFSZ];

	if (withdrawal_approve(t->ff, &t->sess, id, &w, &a, &err) != FF_OK) {
		tui_fail(t, &err);
		return TUI_RELOAD;
	}
	tui_info(t, _("Approved application %" PRId64 ": %s %s paid out; balance "
	    "now %s, withdrawable %s."), w.id, w.branch_code,
	    money_format_grouped(w.amount, amt),
	    money_format_grouped(a.balance, bal),
	    money_format_grouped(a.withdrawable, wd));
	(void)st;
	return TUI_RELOAD;
}

/* "before -> after" of v less amount, or "?" when it would overflow. */
static void
screen_withdrawals_after(money_t v, money_t amount, char *out, size_t sz)
{
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ];
	money_t after;

	if (money_sub(v, amount, &after) != 0)
		snprintf(out, sz, "%s -> ?", money_format_grouped(v, a));
	else
		snprintf(out, sz, "%s -> %s", money_format_grouped(v, a),
		    money_format_grouped(after, b));
}

/* The lines every dialog about an application shows. */
static void
screen_withdrawals_describe(struct tui_modal *m,
    const struct screen_withdrawals *st, const struct withdrawal *w)
{
	const struct account *a = screen_withdrawals_acct(st, w->branch_id);
	char buf[FF_NAME_MAX + 64], amt[MONEY_BUFSZ], at[24];

	snprintf(buf, sizeof(buf), "%s %s", w->branch_code, a ? a->name : "");
	tui_modal_pair(m, STY_NORMAL, _("Branch"), buf);
	tui_modal_pair(m, STY_HEADER, _("Amount"),
	    money_format_grouped(w->amount, amt));
	tui_time(w->applied_at, 16, at, sizeof(at));
	snprintf(buf, sizeof(buf), "%s by %s", at, w->applicant);
	tui_modal_pair(m, STY_NORMAL, _("Applied"), buf);
	tui_modal_pair(m, STY_NORMAL, _("Note"), w->note[0] ? w->note : "(none)");
}

static int
screen_withdrawals_not_pending(struct tui *t, const struct withdrawal *w,
    const char *doing)
{
	if (w->status == WD_PENDING)
		return 0;
	tui_error(t, _("Application %" PRId64 " is %s; only a pending one can be "
	    "%s."), w->id, wd_status_name(w->status), doing);
	return 1;
}

static int
screen_withdrawals_approve(struct tui *t, struct screen_withdrawals *st)
{
	const struct withdrawal *w = screen_withdrawals_sel(st);
	const struct account *a = screen_withdrawals_acct(st, w->branch_id);
	struct tui_modal *m;
	char title[96], buf[2 * MONEY_BUFSZ + 8], have[MONEY_BUFSZ];

	if (screen_withdrawals_not_pending(t, w, "approved"))
		return TUI_DONE;
	snprintf(title, sizeof(title), "Approve application %" PRId64 "?", w->id);
	m = tui_modal_open(t, MODAL_CONFIRM, st, title);
	m->target = w->id;
	screen_withdrawals_describe(m, st, w);
	if (a != NULL) {
		screen_withdrawals_after(a->balance, w->amount, buf, sizeof(buf));
		tui_modal_pair(m, STY_NORMAL, _("Balance"), buf);
		screen_withdrawals_after(a->withdrawable, w->amount, buf,
		    sizeof(buf));
		tui_modal_pair(m, a->withdrawable < w->amount ? STY_WARN :
		    STY_NORMAL, _("Withdrawable"), buf);
		if (a->withdrawable < w->amount) {
			tui_modal_line(m, STY_NORMAL, "%s", "");
			tui_modal_line(m, STY_WARN, _("Not enough: %s can withdraw "
			    "only %s now; the approval will be refused."),
			    w->branch_code,
			    money_format_grouped(a->withdrawable, have));
		}
	}
	snprintf(m->prompt, sizeof(m->prompt), "y approves and pays out; any "
	    "other key cancels");
	snprintf(m->cancelled, sizeof(m->cancelled), "Not approved: application "
	    "%" PRId64 " is still pending.", w->id);
	m->yes = screen_withdrawals_approve_yes;
	return TUI_DONE;
}

/* ---- reject -------------------------------------------------------------- */

static int
screen_withdrawals_reject_submit(struct tui *t, void *p, struct tui_modal *m)
{
	char reason[4 * TUI_FIELD_CHARS + 4], amt[MONEY_BUFSZ];
	struct withdrawal w;
	struct ff_err err;
	int rc;

	(void)p;
	tui_field_get(&m->fields[0], reason, sizeof(reason));
	rc = withdrawal_reject(t->ff, &t->sess, m->target, reason, &w, &err);
	if (rc == FF_INVALID) {
		tui_fail(t, &err);	/* "a reason is required": say it, stay */
		return TUI_KEEP;
	}
	if (rc != FF_OK) {
		tui_fail(t, &err);
		return TUI_RELOAD;
	}
	tui_info(t, _("Rejected application %" PRId64 " (%s %s): %s"), w.id,
	    w.branch_code, money_format_grouped(w.amount, amt), w.reason);
	return TUI_RELOAD;
}

static int
screen_withdrawals_reject(struct tui *t, struct screen_withdrawals *st)
{
	const struct withdrawal *w = screen_withdrawals_sel(st);
	struct tui_modal *m;
	char title[96];

	if (screen_withdrawals_not_pending(t, w, "rejected"))
		return TUI_DONE;
	snprintf(title, sizeof(title), "Reject application %" PRId64 "?", w->id);
	m = tui_modal_open(t, MODAL_FORM, st, title);
	m->target = w->id;
	screen_withdrawals_describe(m, st, w);
	tui_modal_line(m, STY_NORMAL, "%s", "");
	tui_modal_line(m, STY_NORMAL, _("The reason is required; the branch "
	    "will read it."));
	tui_modal_field(m, _("Reason"), FF_TEXT_MAX, 0);
	snprintf(m->prompt, sizeof(m->prompt), "Enter rejects   Esc cancels");
	m->submit = screen_withdrawals_reject_submit;
	return TUI_DONE;
}

/* ---- apply and cancel (staff) -------------------------------------------- */

static int
screen_withdrawals_apply_submit(struct tui *t, void *p, struct tui_modal *m)
{
	struct screen_withdrawals *st = p;
	char text[4 * TUI_FIELD_CHARS + 4], note[4 * TUI_FIELD_CHARS + 4];
	char amt[MONEY_BUFSZ];
	struct withdrawal w;
	struct ff_err err;
	money_t amount;

	tui_field_get(&m->fields[0], text, sizeof(text));
	tui_field_get(&m->fields[1], note, sizeof(note));
	if (money_parse(text, MONEY_UNSIGNED, &amount) != 0) {
		m->focus = 0;
		if (text[0] == '\0')
			tui_error(t, _("Type the amount, like 1234.56."));
		else
			tui_error(t, _("\"%s\" is not an amount: write it like "
			    "1234.56 (no commas, two decimals at most)."), text);
		return TUI_KEEP;
	}
	if (withdrawal_apply(t->ff, &t->sess, t->sess.op.branch_code, amount,
	    note, &w, &err) != FF_OK) {
		tui_fail(t, &err);
		return TUI_KEEP;
	}
	tui_info(t, _("Applied: application %" PRId64 ", %s %s, waits for a "
	    "reviewer; nothing is paid out until it is approved."), w.id,
	    w.branch_code, money_format_grouped(w.amount, amt));
	st->select_id = w.id;
	return TUI_RELOAD;
}

static int
screen_withdrawals_apply(struct tui *t, struct screen_withdrawals *st)
{
	const struct account *a = NULL;
	struct tui_modal *m;
	char title[FF_NAME_MAX + 64], buf[96], amt[MONEY_BUFSZ];

	for (size_t i = 0; i < st->nacct; i++)
		if (st->accts[i].branch_id == t->sess.op.branch_id)
			a = &st->accts[i];
	snprintf(title, sizeof(title), "Apply for a withdrawal from %s %s",
	    t->sess.op.branch_code, a ? a->name : "");
	m = tui_modal_open(t, MODAL_FORM, st, title);
	if (a != NULL) {
		tui_modal_pair(m, STY_HEADER, _("Withdrawable"),
		    money_format_grouped(a->withdrawable, amt));
		snprintf(buf, sizeof(buf), "%" PRId64 " application%s, %s",
		    a->pending_count, a->pending_count == 1 ? "" : "s",
		    a->pending_amount < 0 ? "too large to count" :
		    money_format_grouped(a->pending_amount, amt));
		tui_modal_pair(m, STY_NORMAL, _("Other pending"), buf);
		tui_modal_pair(m, STY_NORMAL, _("Balance"),
		    money_format_grouped(a->balance, amt));
	}
	tui_modal_line(m, STY_NORMAL, "%s", "");
	tui_modal_line(m, STY_DIM, _("Nothing is paid out until a reviewer "
	    "approves it."));
	tui_modal_field(m, _("Amount"), 32, 0);
	tui_modal_field(m, _("Note"), FF_TEXT_MAX, 0);
	snprintf(m->prompt, sizeof(m->prompt), "Enter next / apply   Tab next "
	    "field   Esc cancels");
	m->submit = screen_withdrawals_apply_submit;
	return TUI_DONE;
}

static int
screen_withdrawals_cancel_yes(struct tui *t, void *p, int64_t id)
{
	struct withdrawal w;
	struct ff_err err;
	char amt[MONEY_BUFSZ];

	(void)p;
	if (withdrawal_cancel(t->ff, &t->sess, id, &w, &err) != FF_OK) {
		tui_fail(t, &err);
		return TUI_RELOAD;
	}
	tui_info(t, _("Cancelled application %" PRId64 " (%s %s)."), w.id,
	    w.branch_code, money_format_grouped(w.amount, amt));
	return TUI_RELOAD;
}

static int
screen_withdrawals_cancel(struct tui *t, struct screen_withdrawals *st)
{
	const struct withdrawal *w = screen_withdrawals_sel(st);
	struct tui_modal *m;
	char title[96];

	if (screen_withdrawals_not_pending(t, w, "cancelled"))
		return TUI_DONE;
	snprintf(title, sizeof(title), "Cancel application %" PRId64 "?", w->id);
	m = tui_modal_open(t, MODAL_CONFIRM, st, title);
	m->target = w->id;
	screen_withdrawals_describe(m, st, w);
	snprintf(m->prompt, sizeof(m->prompt), "y cancels the application; any "
	    "other key keeps it");
	snprintf(m->cancelled, sizeof(m->cancelled), "Application %" PRId64
	    " is still pending.", w->id);
	m->yes = screen_withdrawals_cancel_yes;
	return TUI_DONE;
}

/* ---- details, filter, export --------------------------------------------- */

static int
screen_withdrawals_details(struct tui *t, struct screen_withdrawals *st)
{
	const struct withdrawal *w = screen_withdrawals_sel(st);
	const struct account *a = screen_withdrawals_acct(st, w->branch_id);
	struct tui_modal *m;
	char title[96], amt[MONEY_BUFSZ], buf[128];

	snprintf(title, sizeof(title), "Application %" PRId64 " (%s)", w->id,
	    wd_status_name(w->status));
	m = tui_modal_open(t, MODAL_INFO, st, title);
	screen_withdrawals_describe(m, st, w);
	tui_modal_pair(m, STY_NORMAL, _("Status"), wd_status_name(w->status));
	if (w->status != WD_PENDING) {
		snprintf(buf, sizeof(buf), "%s by %s", w->decided_at,
		    w->decided_by);
		tui_modal_pair(m, STY_NORMAL, _("Decided"), buf);
	}
	if (w->reason[0])
		tui_modal_pair(m, STY_NORMAL, _("Reason"), w->reason);
	if (a != NULL) {
		tui_modal_pair(m, STY_NORMAL, _("Balance now"),
		    money_format_grouped(a->balance, amt));
		tui_modal_pair(m, a->withdrawable < w->amount &&
		    w->status == WD_PENDING ? STY_WARN : STY_NORMAL,
		    _("Withdrawable"), money_format_grouped(a->withdrawable, amt));
	}
	snprintf(buf, sizeof(buf), "%d", w->flow);
	tui_modal_pair(m, STY_DIM, _("Flow"), buf);
	return TUI_DONE;
}

static int
screen_withdrawals_filter_submit(struct tui *t, void *p, struct tui_modal *m)
{
	struct screen_withdrawals *st = p;
	char status[64], branch[64], old_branch[FF_CODE_MAX + 1];
	struct ff_err err;
	int old_status = st->status, s;

	tui_field_get(&m->fields[0], status, sizeof(status));
	tui_field_get(&m->fields[1], branch, sizeof(branch));
	if (status[0] == '\0' || strcmp(status, "all") == 0)
		s = -1;
	else if ((s = wd_status_parse(status)) < 0) {
		m->focus = 0;
		tui_error(t, _("\"%s\" is not a status: pending, approved, "
		    "rejected, cancelled or all."), status);
		return TUI_KEEP;
	}
	if (strlen(branch) > FF_CODE_MAX) {
		m->focus = 1;
		tui_error(t, _("There is no branch \"%s\"."), branch);
		return TUI_KEEP;
	}
	memcpy(old_branch, st->branch, sizeof(old_branch));
	memcpy(st->branch, branch, strlen(branch) + 1);	/* length checked */
	st->status = s;
	if (screen_withdrawals_read(t, st, &err) != FF_OK) {
		/* The model said no (another branch, no such branch): the
		 * filter stays as it was. */
		memcpy(st->branch, old_branch, sizeof(st->branch));
		st->status = old_status;
		m->focus = 1;
		tui_fail(t, &err);
		return TUI_KEEP;
	}
	st->c.cur = 0;
	return TUI_DONE;
}

static int
screen_withdrawals_filter(struct tui *t, struct screen_withdrawals *st)
{
	struct tui_modal *m = tui_modal_open(t, MODAL_FORM, st,
	    _("Filter the applications"));

	tui_modal_line(m, STY_NORMAL, _("Status: pending, approved, rejected, "
	    "cancelled, or all."));
	tui_modal_line(m, STY_NORMAL, _("Branch: a branch code, or empty for "
	    "every branch you may see."));
	tui_field_set(tui_modal_field(m, _("Status"), 16, 0),
	    st->status < 0 ? "all" : wd_status_name((enum wd_status)st->status));
	tui_field_set(tui_modal_field(m, _("Branch"), FF_CODE_MAX, 0), st->branch);
	m->submit = screen_withdrawals_filter_submit;
	return TUI_DONE;
}

/* The applications shown, each with its branch's figures as read with
 * them (withdrawable_now). */
static int
screen_withdrawals_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err)
{
	const struct screen_withdrawals *st = arg;

	(void)t;
	(void)err;
	for (int i = 0; i < st->n; i++) {
		struct listing_withdrawal r;

		r.w = &st->rows[i];
		r.acct = screen_withdrawals_acct(st, st->rows[i].branch_id);
		listing_row(lo, &r);
	}
	return FF_OK;
}

static int
screen_withdrawals_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_withdrawals *st = p;

	if (tui_cursor_move(&st->c, a, st->n, t->page - 1))
		return TUI_DONE;
	switch (a) {
	case ACT_OPEN:
		return screen_withdrawals_details(t, st);
	case ACT_APPROVE:
		return screen_withdrawals_approve(t, st);
	case ACT_REJECT:
		return screen_withdrawals_reject(t, st);
	case ACT_APPLY:
		return screen_withdrawals_apply(t, st);
	case ACT_CANCEL:
		return screen_withdrawals_cancel(t, st);
	case ACT_FILTER:
		return screen_withdrawals_filter(t, st);
	case ACT_EXPORT:
		tui_export(t, &listing_withdrawals,
		    screen_withdrawals_export_fill, st);
		return TUI_DONE;
	case ACT_BACK:
		if (st->status != st->default_status || st->branch[0]) {
			st->status = st->default_status;
			st->branch[0] = '\0';
			tui_info(t, _("The filter is off."));
			return TUI_RELOAD;
		}
		return TUI_PASS;
	default:
		return TUI_PASS;
	}
}

/* ---- drawing ------------------------------------------------------------- */

/* The cells of one application; buf holds what cells point into. */
static void
screen_withdrawals_cells(const struct screen_withdrawals *st,
    const struct withdrawal *w, int time_cols, char buf[WC_NCOLS][48],
    const char *cells[WC_NCOLS], int *short_now)
{
	const struct account *a = screen_withdrawals_acct(st, w->branch_id);
	char m[MONEY_BUFSZ];

	*short_now = 0;
	snprintf(buf[WC_ID], 48, "%" PRId64, w->id);
	cells[WC_ID] = buf[WC_ID];
	cells[WC_BRANCH] = w->branch_code;
	cells[WC_AMOUNT] = money_format_grouped(w->amount, buf[WC_AMOUNT]);
	tui_time(w->applied_at, time_cols, buf[WC_APPLIED], 48);
	cells[WC_APPLIED] = buf[WC_APPLIED];
	cells[WC_APPLICANT] = w->applicant;
	cells[WC_STATUS] = wd_status_name(w->status);
	cells[WC_NOTE] = w->note;
	buf[WC_NOW][0] = '\0';
	if (a != NULL && w->status == WD_PENDING) {
		*short_now = a->withdrawable < w->amount;
		snprintf(buf[WC_NOW], 48, "%s %s",
		    money_format_grouped(a->withdrawable, m),
		    *short_now ? "!" : " ");
	}
	cells[WC_NOW] = buf[WC_NOW];
}

static void
screen_withdrawals_draw(const struct tui *t, const void *p)
{
	const struct screen_withdrawals *st = p;
	struct tui_col cols[WC_NCOLS];
	char buf[WC_NCOLS][48], sub[256], detail[FF_TEXT_MAX * 2 + 256];
	const char *cells[WC_NCOLS];
	int nat[WC_NCOLS] = { 0 }, w[WC_NCOLS], rows = tui_list_rows() - 1;
	int top, ncols = WC_NCOLS, shortc = 0, sh;
	const struct withdrawal *sel = screen_withdrawals_sel(st);

	memcpy(cols, screen_withdrawals_cols, sizeof(cols));
	/* The status column only when the list mixes them. */
	if (st->status >= 0) {
		memmove(&cols[WC_STATUS], &cols[WC_STATUS + 1],
		    (WC_NCOLS - WC_STATUS - 1) * sizeof(cols[0]));
		ncols--;
	}
	for (int i = 0; i < st->n; i++) {
		screen_withdrawals_cells(st, &st->rows[i], 16, buf, cells, &sh);
		shortc += sh;
		for (int k = 0, c = 0; k < WC_NCOLS; k++) {
			if (st->status >= 0 && k == WC_STATUS)
				continue;
			if (width_str(cells[k]) > nat[c])
				nat[c] = width_str(cells[k]);
			c++;
		}
	}
	snprintf(sub, sizeof(sub), "%d %s%sapplication%s%s%s, %s first%s",
	    st->n, st->status < 0 ? "" : wd_status_name((enum wd_status)st->status),
	    st->status < 0 ? "" : " ", st->n == 1 ? "" : "s",
	    st->branch[0] ? " of " : "", st->branch,
	    st->newest_first ? "newest" : "oldest",
	    shortc ? "   ! = the branch cannot cover it now" : "");
	tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
	tui_layout(cols, nat, ncols, COLS, w);
	tui_header(t, 2, cols, w, ncols);
	if (st->n == 0) {
		tui_put(TUI_LIST_TOP, 1, COLS - 2, st->status == WD_PENDING ?
		    _("No pending applications: the queue is clear.") :
		    "No applications to show.", WIDTH_LEFT, A_NORMAL);
		return;
	}
	top = tui_scroll_top(st->c.top, st->c.cur, st->n, rows);
	for (int r = 0; r < rows && top + r < st->n; r++) {
		const struct withdrawal *wd = &st->rows[top + r];
		const char *shown[WC_NCOLS];
		attr_t at[WC_NCOLS] = { 0 };
		screen_withdrawals_cells(st, wd, w[WC_APPLIED], buf, cells, &sh);
		for (int k = 0, c = 0; k < WC_NCOLS; k++) {
			if (st->status >= 0 && k == WC_STATUS)
				continue;
			shown[c] = cells[k];
			if (k == WC_NOW && sh)
				at[c] = tui_attr(t, STY_WARN);
			c++;
		}
		tui_row(TUI_LIST_TOP + r, cols, w, ncols, shown, at,
		    top + r == st->c.cur ? tui_attr(t, STY_SELECTED) : A_NORMAL);
	}
	if (sel != NULL) {
		const struct account *a =
		    screen_withdrawals_acct(st, sel->branch_id);

		if (sel->status == WD_PENDING)
			snprintf(detail, sizeof(detail), "#%" PRId64 " %s %s: %s",
			    sel->id, sel->branch_code, a ? a->name : "",
			    sel->note[0] ? sel->note : "(no note)");
		else
			snprintf(detail, sizeof(detail), "#%" PRId64 " %s %s: %s "
			    "by %s%s%s", sel->id, sel->branch_code, a ? a->name : "",
			    wd_status_name(sel->status), sel->decided_by,
			    sel->reason[0] ? ": " : "", sel->reason);
		tui_put(LINES - 3, 1, COLS - 2, detail, WIDTH_LEFT,
		    tui_attr(t, STY_DIM));
	}
}

static int
screen_withdrawals_selected(const void *p)
{
	return screen_withdrawals_sel(p) != NULL;
}

const struct screen screen_withdrawals = {
	.name = N_("Withdrawals"),
	.roles = 0,
	.init = screen_withdrawals_init,
	.free = screen_withdrawals_free,
	.load = screen_withdrawals_load,
	.key = screen_withdrawals_key,
	.draw = screen_withdrawals_draw,
	.selected = screen_withdrawals_selected,
};
