/* listing.c — the column tables of every listing; see listing.h. */
#include "listing.h"

#include <inttypes.h>
#include <stdlib.h>

#include "model/audit.h"
#include "model/chain.h"
#include "store/xmalloc.h"

_Static_assert(MONEY_BUFSZ <= LISTING_CELL_BUFSZ, "an amount fits a cell");
_Static_assert(24 <= LISTING_CELL_BUFSZ, "an int64 fits a cell");

struct listing_out {
	const struct listing *l;
	const struct config *cfg;
	struct out_col *oc;	/* l's columns as ui/output.h takes them */
	struct out *o;
	int64_t rows;
};

static void listing_cells(const struct listing *l, int ncols,
    const struct config *cfg, const void *rec,
    char buf[LISTING_MAX_COLS][LISTING_CELL_BUFSZ], const char **v);
static struct out_col *listing_out_cols(const struct listing *l, int ncols);

/*
 * Most cells are one field of the record as it is, or a number or an
 * amount written out; these make their functions.  FIELD may be a path
 * (w->id) for records that hold pointers.
 */
#define LISTING_TEXT(fn, type, field)					\
static const char *							\
fn(const void *rec, const struct config *cfg, char *buf)		\
{									\
	(void)cfg;							\
	(void)buf;							\
	return ((const type *)rec)->field;				\
}
#define LISTING_INT(fn, type, field)					\
static const char *							\
fn(const void *rec, const struct config *cfg, char *buf)		\
{									\
	(void)cfg;							\
	snprintf(buf, LISTING_CELL_BUFSZ, "%" PRId64,			\
	    (int64_t)((const type *)rec)->field);			\
	return buf;							\
}
#define LISTING_MONEY(fn, type, field)					\
static const char *							\
fn(const void *rec, const struct config *cfg, char *buf)		\
{									\
	(void)cfg;							\
	return money_format(((const type *)rec)->field, buf);		\
}
#define LISTING_NCOLS(cols) ((int)(sizeof(cols) / sizeof((cols)[0])))

/* ---- accounts ------------------------------------------------------------ */

LISTING_TEXT(listing_account_code, struct account, code)
LISTING_TEXT(listing_account_name, struct account, name)
LISTING_MONEY(listing_account_balance, struct account, balance)
LISTING_MONEY(listing_account_withdrawable, struct account, withdrawable)
LISTING_MONEY(listing_account_withdrawn, struct account, total_withdrawn)
LISTING_INT(listing_account_pending, struct account, pending_count)

/* Not known (more than an int64 holds): empty, null in JSON, never a
 * made-up number. */
static const char *
listing_account_pending_amount(const void *rec, const struct config *cfg,
    char *buf)
{
	const struct account *a = rec;

	(void)cfg;
	return a->pending_amount < 0 ? "" : money_format(a->pending_amount, buf);
}

static const struct listing_col listing_accounts_cols[] = {
	{ "branch", "BRANCH", OUT_STR, 0, listing_account_code },
	{ "name", "NAME", OUT_STR, 0, listing_account_name },
	{ "balance", "BALANCE", OUT_MONEY, 1, listing_account_balance },
	{ "withdrawable", "WITHDRAWABLE", OUT_MONEY, 1,
	    listing_account_withdrawable },
	{ "total_withdrawn", "WITHDRAWN", OUT_MONEY, 1,
	    listing_account_withdrawn },
	{ "pending_count", "PENDING", OUT_NUM, 1, listing_account_pending },
	{ "pending_amount", "PENDING AMOUNT", OUT_MONEY, 1,
	    listing_account_pending_amount },
};

const struct listing listing_accounts = {
	"accounts", listing_accounts_cols, LISTING_NCOLS(listing_accounts_cols)
};

/* ---- withdrawals --------------------------------------------------------- */

LISTING_INT(listing_wd_id, struct listing_withdrawal, w->id)
LISTING_TEXT(listing_wd_branch, struct listing_withdrawal, w->branch_code)
LISTING_MONEY(listing_wd_amount, struct listing_withdrawal, w->amount)
LISTING_TEXT(listing_wd_applicant, struct listing_withdrawal, w->applicant)
LISTING_TEXT(listing_wd_applied_at, struct listing_withdrawal, w->applied_at)
LISTING_TEXT(listing_wd_decided_by, struct listing_withdrawal, w->decided_by)
LISTING_TEXT(listing_wd_decided_at, struct listing_withdrawal, w->decided_at)
LISTING_TEXT(listing_wd_reason, struct listing_withdrawal, w->reason)
LISTING_TEXT(listing_wd_note, struct listing_withdrawal, w->note)
LISTING_INT(listing_wd_flow, struct listing_withdrawal, w->flow)

static const char *
listing_wd_status(const void *rec, const struct config *cfg, char *buf)
{
	const struct listing_withdrawal *r = rec;

	(void)cfg;
	(void)buf;
	return wd_status_name(r->w->status);
}

static const char *
listing_wd_now(const void *rec, const struct config *cfg, char *buf)
{
	const struct listing_withdrawal *r = rec;

	(void)cfg;
	return r->acct ? money_format(r->acct->withdrawable, buf) : "";
}

/* withdrawable_now came from the screen's export; it is last so that the
 * command line's columns before it stay where scripts read them. */
static const struct listing_col listing_withdrawals_cols[] = {
	{ "id", "ID", OUT_NUM, 1, listing_wd_id },
	{ "branch", "BRANCH", OUT_STR, 0, listing_wd_branch },
	{ "amount", "AMOUNT", OUT_MONEY, 1, listing_wd_amount },
	{ "status", "STATUS", OUT_STR, 0, listing_wd_status },
	{ "applicant", "APPLICANT", OUT_STR, 0, listing_wd_applicant },
	{ "applied_at", "APPLIED AT", OUT_STR, 0, listing_wd_applied_at },
	{ "decided_by", "DECIDED BY", OUT_STR_NULL, 0, listing_wd_decided_by },
	{ "decided_at", "DECIDED AT", OUT_STR_NULL, 0, listing_wd_decided_at },
	{ "reason", "REASON", OUT_STR_NULL, 0, listing_wd_reason },
	{ "note", "NOTE", OUT_STR, 0, listing_wd_note },
	{ "flow", "FLOW", OUT_NUM, 1, listing_wd_flow },
	{ "withdrawable_now", "WITHDRAWABLE NOW", OUT_MONEY, 1, listing_wd_now },
};
_Static_assert(LISTING_WITHDRAWAL_OWN + 1 ==
    LISTING_NCOLS(listing_withdrawals_cols), "an application's own columns "
    "are all but withdrawable_now");

const struct listing listing_withdrawals = {
	"withdrawals", listing_withdrawals_cols,
	LISTING_NCOLS(listing_withdrawals_cols)
};

const struct account *
listing_account_of(const struct account *a, size_t n, int64_t branch_id)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].branch_id == branch_id)
			return &a[i];
	return NULL;
}

/* ---- ledger -------------------------------------------------------------- */

LISTING_INT(listing_entry_id, struct ledger_entry, id)
LISTING_INT(listing_entry_seq, struct ledger_entry, seq)
LISTING_TEXT(listing_entry_branch, struct ledger_entry, branch_code)
LISTING_TEXT(listing_entry_ref, struct ledger_entry, ref)
LISTING_MONEY(listing_entry_pre, struct ledger_entry, pre_amount)
LISTING_MONEY(listing_entry_amount, struct ledger_entry, amount)
LISTING_MONEY(listing_entry_post, struct ledger_entry, post_amount)
LISTING_TEXT(listing_entry_at, struct ledger_entry, at)
LISTING_TEXT(listing_entry_actor, struct ledger_entry, actor)

static const char *
listing_entry_kind(const void *rec, const struct config *cfg, char *buf)
{
	const struct ledger_entry *e = rec;

	(void)cfg;
	(void)buf;
	return entry_kind_name(e->kind);
}

/* A withdrawal's entry has no business type: empty, null in JSON. */
static const char *
listing_entry_type(const void *rec, const struct config *cfg, char *buf)
{
	const struct ledger_entry *e = rec;

	(void)cfg;
	if (e->kind != ENTRY_INCOME)
		return "";
	snprintf(buf, LISTING_CELL_BUFSZ, "%d", (int)e->buss_type);
	return buf;
}

static const char *
listing_entry_type_name(const void *rec, const struct config *cfg, char *buf)
{
	const struct ledger_entry *e = rec;
	const struct buss_type *t;

	(void)buf;
	if (e->kind != ENTRY_INCOME)
		return "";
	t = config_type(cfg, e->buss_type);
	return t ? t->name : "";
}

static const char *
listing_entry_hash(const void *rec, const struct config *cfg, char *buf)
{
	const struct ledger_entry *e = rec;

	(void)cfg;
	return chain_hex(e->hash, buf);
}

static const struct listing_col listing_ledger_cols[] = {
	{ "id", "ENTRY", OUT_NUM, 1, listing_entry_id },
	{ "seq", "SEQ", OUT_NUM, 1, listing_entry_seq },
	{ "branch", "BRANCH", OUT_STR, 0, listing_entry_branch },
	{ "kind", "KIND", OUT_STR, 0, listing_entry_kind },
	{ "buss_type", "TYPE", OUT_NUM_NULL, 1, listing_entry_type },
	{ "type_name", "TYPE NAME", OUT_STR_NULL, 0, listing_entry_type_name },
	{ "ref", "REFERENCE", OUT_STR, 0, listing_entry_ref },
	{ "pre_amount", "BEFORE", OUT_MONEY, 1, listing_entry_pre },
	{ "amount", "AMOUNT", OUT_MONEY, 1, listing_entry_amount },
	{ "post_amount", "AFTER", OUT_MONEY, 1, listing_entry_post },
	{ "at", "AT", OUT_STR, 0, listing_entry_at },
	{ "actor", "ACTOR", OUT_STR, 0, listing_entry_actor },
	{ "hash", "HASH", OUT_STR, 0, listing_entry_hash },
};

const struct listing listing_ledger = {
	"ledger", listing_ledger_cols, LISTING_NCOLS(listing_ledger_cols)
};

/* ---- incomes ------------------------------------------------------------- */

LISTING_INT(listing_income_id, struct income, id)
LISTING_TEXT(listing_income_branch, struct income, branch_code)
LISTING_INT(listing_income_type, struct income, buss_type)
LISTING_TEXT(listing_income_ref, struct income, ref_id)
LISTING_TEXT(listing_income_event, struct income, event_id)
LISTING_MONEY(listing_income_amount, struct income, amount)
LISTING_TEXT(listing_income_occurred, struct income, occurred_at)
LISTING_TEXT(listing_income_received, struct income, received_at)

static const char *
listing_income_type_name(const void *rec, const struct config *cfg, char *buf)
{
	const struct income *in = rec;
	const struct buss_type *t = config_type(cfg, in->buss_type);

	(void)buf;
	return t ? t->name : "";
}

static const char *
listing_income_withdrawable(const void *rec, const struct config *cfg,
    char *buf)
{
	const struct income *in = rec;

	(void)cfg;
	(void)buf;
	return in->withdrawable ? "1" : "0";
}

static const struct listing_col listing_incomes_cols[] = {
	{ "id", "ID", OUT_NUM, 1, listing_income_id },
	{ "branch", "BRANCH", OUT_STR, 0, listing_income_branch },
	{ "buss_type", "TYPE", OUT_NUM, 1, listing_income_type },
	{ "type_name", "TYPE NAME", OUT_STR, 0, listing_income_type_name },
	{ "ref_id", "REFERENCE", OUT_STR, 0, listing_income_ref },
	{ "event_id", "EVENT", OUT_STR_NULL, 0, listing_income_event },
	{ "amount", "AMOUNT", OUT_MONEY, 1, listing_income_amount },
	{ "withdrawable", "WITHDRAWABLE", OUT_BOOL, 0,
	    listing_income_withdrawable },
	{ "occurred_at", "OCCURRED AT", OUT_STR_NULL, 0,
	    listing_income_occurred },
	{ "received_at", "RECEIVED AT", OUT_STR, 0, listing_income_received },
};

const struct listing listing_incomes = {
	"incomes", listing_incomes_cols, LISTING_NCOLS(listing_incomes_cols)
};

/* ---- conflicts ----------------------------------------------------------- */

LISTING_INT(listing_conflict_id, struct conflict, id)
LISTING_INT(listing_conflict_income, struct conflict, income_id)
LISTING_TEXT(listing_conflict_branch, struct conflict, branch_code)
LISTING_INT(listing_conflict_type, struct conflict, buss_type)
LISTING_TEXT(listing_conflict_ref, struct conflict, ref_id)
LISTING_TEXT(listing_conflict_event, struct conflict, event_id)
LISTING_MONEY(listing_conflict_amount, struct conflict, amount)
LISTING_TEXT(listing_conflict_received, struct conflict, received_at)

static const struct listing_col listing_conflicts_cols[] = {
	{ "id", "ID", OUT_NUM, 1, listing_conflict_id },
	{ "income_id", "INCOME", OUT_NUM, 1, listing_conflict_income },
	{ "branch", "BRANCH", OUT_STR, 0, listing_conflict_branch },
	{ "buss_type", "TYPE", OUT_NUM, 1, listing_conflict_type },
	{ "ref_id", "REFERENCE", OUT_STR, 0, listing_conflict_ref },
	{ "event_id", "EVENT", OUT_STR_NULL, 0, listing_conflict_event },
	{ "amount", "AMOUNT", OUT_MONEY, 1, listing_conflict_amount },
	{ "received_at", "RECEIVED AT", OUT_STR, 0, listing_conflict_received },
};

const struct listing listing_conflicts = {
	"conflicts", listing_conflicts_cols,
	LISTING_NCOLS(listing_conflicts_cols)
};

/* ---- audit findings ------------------------------------------------------ */

LISTING_TEXT(listing_finding_check, struct audit_finding, check)
LISTING_TEXT(listing_finding_branch, struct audit_finding, branch)
LISTING_TEXT(listing_finding_text, struct audit_finding, text)

/* A finding about no entry (or no pair): empty, null in JSON. */
static const char *
listing_finding_entry(const void *rec, const struct config *cfg, char *buf)
{
	const struct audit_finding *f = rec;

	(void)cfg;
	if (f->entry_id == 0)
		return "";
	snprintf(buf, LISTING_CELL_BUFSZ, "%" PRId64, f->entry_id);
	return buf;
}

static const char *
listing_finding_other(const void *rec, const struct config *cfg, char *buf)
{
	const struct audit_finding *f = rec;

	(void)cfg;
	if (f->other_id == 0)
		return "";
	snprintf(buf, LISTING_CELL_BUFSZ, "%" PRId64, f->other_id);
	return buf;
}

static const struct listing_col listing_audit_cols[] = {
	{ "check", "CHECK", OUT_STR, 0, listing_finding_check },
	{ "branch", "BRANCH", OUT_STR_NULL, 0, listing_finding_branch },
	{ "entry", "ENTRY", OUT_NUM_NULL, 1, listing_finding_entry },
	{ "other_entry", "OTHER", OUT_NUM_NULL, 1, listing_finding_other },
	{ "finding", "FINDING", OUT_STR, 0, listing_finding_text },
};

const struct listing listing_audit = {
	"audit", listing_audit_cols, LISTING_NCOLS(listing_audit_cols)
};

/* ---- activity ------------------------------------------------------------ */

LISTING_INT(listing_activity_id, struct activity, id)
LISTING_TEXT(listing_activity_at, struct activity, at)
LISTING_TEXT(listing_activity_actor, struct activity, actor)
LISTING_TEXT(listing_activity_action, struct activity, action)
LISTING_TEXT(listing_activity_target, struct activity, target)
LISTING_TEXT(listing_activity_detail, struct activity, detail)

static const char *
listing_activity_ok(const void *rec, const struct config *cfg, char *buf)
{
	const struct activity *a = rec;

	(void)cfg;
	(void)buf;
	return a->ok ? "1" : "0";
}

static const struct listing_col listing_activity_cols[] = {
	{ "id", "ID", OUT_NUM, 1, listing_activity_id },
	{ "at", "AT", OUT_STR, 0, listing_activity_at },
	{ "actor", "ACTOR", OUT_STR, 0, listing_activity_actor },
	{ "action", "ACTION", OUT_STR, 0, listing_activity_action },
	{ "target", "TARGET", OUT_STR, 0, listing_activity_target },
	{ "ok", "OK", OUT_BOOL, 0, listing_activity_ok },
	{ "detail", "DETAIL", OUT_STR, 0, listing_activity_detail },
};

const struct listing listing_activity = {
	"activity", listing_activity_cols, LISTING_NCOLS(listing_activity_cols)
};

/* ---- releases ------------------------------------------------------------ */

LISTING_INT(listing_release_id, struct release, id)
LISTING_TEXT(listing_release_version, struct release, version)
LISTING_TEXT(listing_release_commit, struct release, git_commit)
LISTING_INT(listing_release_schema, struct release, schema_version)
LISTING_TEXT(listing_release_at, struct release, at)
LISTING_TEXT(listing_release_host, struct release, host)
LISTING_TEXT(listing_release_user, struct release, os_user)

static const struct listing_col listing_releases_cols[] = {
	{ "id", "ID", OUT_NUM, 1, listing_release_id },
	{ "version", "VERSION", OUT_STR, 0, listing_release_version },
	{ "git_commit", "COMMIT", OUT_STR_NULL, 0, listing_release_commit },
	{ "schema_version", "SCHEMA", OUT_NUM, 1, listing_release_schema },
	{ "at", "FIRST OPENED AT", OUT_STR, 0, listing_release_at },
	{ "host", "HOST", OUT_STR, 0, listing_release_host },
	{ "os_user", "OS USER", OUT_STR, 0, listing_release_user },
};

const struct listing listing_releases = {
	"releases", listing_releases_cols, LISTING_NCOLS(listing_releases_cols)
};

/* ---- listing through ui/output.h ----------------------------------------- */

/* The text of the first ncols cells of rec into v; buf holds what the
 * cell functions write. */
static void
listing_cells(const struct listing *l, int ncols, const struct config *cfg,
    const void *rec, char buf[LISTING_MAX_COLS][LISTING_CELL_BUFSZ],
    const char **v)
{
	for (int i = 0; i < ncols; i++)
		v[i] = l->cols[i].cell(rec, cfg, buf[i]);
}

/* The first ncols columns as ui/output.h takes them (the caller frees).
 * A listing wider than LISTING_MAX_COLS is a programming error. */
static struct out_col *
listing_out_cols(const struct listing *l, int ncols)
{
	struct out_col *oc;

	if (ncols < 1 || ncols > l->ncols || ncols > LISTING_MAX_COLS)
		abort();
	oc = xcalloc((size_t)ncols, sizeof(*oc));
	for (int i = 0; i < ncols; i++) {
		oc[i].key = l->cols[i].key;
		oc[i].title = l->cols[i].title;
		oc[i].type = l->cols[i].type;
		oc[i].right = l->cols[i].right;
	}
	return oc;
}

struct listing_out *
listing_begin(const struct listing *l, FILE *f, enum out_format fmt,
    const struct config *cfg)
{
	struct listing_out *lo = xcalloc(1, sizeof(*lo));

	lo->l = l;
	lo->cfg = cfg;
	lo->oc = listing_out_cols(l, l->ncols);
	lo->o = out_new(f, fmt, lo->oc, l->ncols);
	return lo;
}

void
listing_row(struct listing_out *lo, const void *rec)
{
	char buf[LISTING_MAX_COLS][LISTING_CELL_BUFSZ];
	const char *v[LISTING_MAX_COLS];

	listing_cells(lo->l, lo->l->ncols, lo->cfg, rec, buf, v);
	out_row(lo->o, v);
	lo->rows++;
}

int64_t
listing_count(const struct listing_out *lo)
{
	return lo->rows;
}

void
listing_end(struct listing_out *lo)
{
	if (lo == NULL)
		return;
	out_end(lo->o);
	free(lo->oc);
	free(lo);
}

void
listing_abort(struct listing_out *lo)
{
	if (lo == NULL)
		return;
	out_abort(lo->o);
	free(lo->oc);
	free(lo);
}

void
listing_object(const struct listing *l, int ncols, FILE *f,
    const struct config *cfg, const void *rec)
{
	char buf[LISTING_MAX_COLS][LISTING_CELL_BUFSZ];
	const char *v[LISTING_MAX_COLS];
	struct out_col *oc = listing_out_cols(l, ncols);

	listing_cells(l, ncols, cfg, rec, buf, v);
	out_object(f, oc, ncols, v);
	free(oc);
}
