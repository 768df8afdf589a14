/* withdrawal.c — apply, approve, reject, cancel; see withdrawal.h. */
#include "withdrawal.h"

#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "event.h"
#include "scope.h"
#include "text.h"
#include "store/store.h"

static int withdrawal_apply_once(struct ff *ff, const struct session *s,
    const char *branch_code, money_t amount, const char *note,
    struct withdrawal *out, struct ff_err *err);
static int withdrawal_approve_once(struct ff *ff, const struct session *s,
    int64_t id, struct withdrawal *out, struct account *acct_out,
    struct ff_err *err);
static int withdrawal_load(struct ff *ff, int64_t id, struct withdrawal *w,
    struct ff_err *err);
static int withdrawal_refuse(struct ff *ff, const struct session *s,
    const char *action, int64_t id, int rc, struct ff_err *err);
static int withdrawal_check_text(const char *what, const char *t, int required,
    struct ff_err *err);
static int withdrawal_figures(struct ff *ff, int64_t branch_id,
    struct account *a);
static int withdrawal_other_maker(struct ff *ff, const struct session *s,
    const struct withdrawal *w, struct ff_err *err);

/* Reads application id inside the open transaction. */
static int
withdrawal_load(struct ff *ff, int64_t id, struct withdrawal *w,
    struct ff_err *err)
{
	int rc = store_withdrawal_get(ff->st, id, w);

	if (rc == STORE_NOTFOUND)
		return ff_fail(err, FF_NOTFOUND, "there is no application %lld",
		    (long long)id);
	if (rc != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the application");
	return FF_OK;
}

/*
 * The figures a decision checks and changes, read inside its transaction:
 * balance, withdrawable, total withdrawn; a->name is empty and the
 * pending count and amount are -1 (not known).  Not store_account_get():
 * its pending sums visit every pending application of the branch, which
 * would make each approval (and each hand-over of the write lock between
 * processes, which rereads those pages) cost in proportion to the
 * backlog.  Returns a store_rc.
 */
static int
withdrawal_figures(struct ff *ff, int64_t branch_id, struct account *a)
{
	memset(a, 0, sizeof(*a));
	a->branch_id = branch_id;
	a->pending_count = -1;
	a->pending_amount = -1;
	return store_account_figures(ff->st, branch_id, &a->balance,
	    &a->withdrawable, &a->total_withdrawn);
}

/*
 * Ends a refused action: rolls back whatever was begun and records the
 * refusal (who, what, why) in the activity journal.  Returns rc.
 */
static int
withdrawal_refuse(struct ff *ff, const struct session *s, const char *action,
    int64_t id, int rc, struct ff_err *err)
{
	char target[32];

	store_rollback(ff->st);
	if (rc == FF_BUSY || rc == FF_IO || rc == FF_INTERNAL)
		return rc;	/* not a decision: nothing to record */
	if (id > 0)
		snprintf(target, sizeof(target), "withdrawal %lld", (long long)id);
	else
		target[0] = '\0';
	ff_activity(ff, s->op.login, action, target, 0, err->msg);
	return rc;
}

static int
withdrawal_check_text(const char *what, const char *t, int required,
    struct ff_err *err)
{
	char why[TEXT_REFUSAL_MAX];
	size_t n = t ? strlen(t) : 0;
	size_t i = 0;

	while (i < n && (t[i] == ' ' || t[i] == '\t'))
		i++;
	if (required && i == n)
		return ff_fail(err, FF_INVALID, "a %s is required", what);
	if (n > FF_TEXT_MAX)
		return ff_fail(err, FF_INVALID, "the %s is too long (at most %d "
		    "bytes)", what, FF_TEXT_MAX);
	if (text_refusal(what, t, why, sizeof(why)) != 0)
		return ff_fail(err, FF_INVALID, "%s", why);
	return FF_OK;
}

static int
withdrawal_apply_once(struct ff *ff, const struct session *s,
    const char *branch_code, money_t amount, const char *note,
    struct withdrawal *out, struct ff_err *err)
{
	struct branch b;
	struct account acct;
	struct withdrawal w;
	int64_t bid;
	money_t pending;
	char amt[MONEY_BUFSZ], have[MONEY_BUFSZ], detail[128];
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_STAFF), "applying for a withdrawal",
	    err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0, rc, err);
	if (amount <= 0)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0,
		    ff_fail(err, FF_REFUSED, "the amount must be more than 0"),
		    err);
	if ((rc = withdrawal_check_text("note", note, 0, err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0, rc, err);
	if ((rc = ff_begin(ff, s, "cannot apply", err)) != FF_OK)
		return rc;
	if ((rc = scope_branch(ff, s, branch_code, &bid, &b, err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0, rc, err);
	/* The whole account, pending sum included: an application must
	 * keep the branch's pending total countable (an int64), or every
	 * account listing and the audit would have to show it unknown. */
	if ((rc = store_account_get(ff->st, bid, &acct)) != STORE_OK)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0,
		    ff_store_fail(ff, err, rc, "cannot read the account"), err);
	if (amount > acct.withdrawable) {
		rc = ff_fail(err, FF_REFUSED, "%s can withdraw at most %s now; "
		    "%s is more than that", b.code,
		    money_format_grouped(acct.withdrawable, have),
		    money_format_grouped(amount, amt));
		return withdrawal_refuse(ff, s, "withdraw.apply", 0, rc, err);
	}
	if (acct.pending_amount < 0 ||
	    money_add(acct.pending_amount, amount, &pending) != 0) {
		rc = ff_fail(err, FF_REFUSED, "the applications pending for %s "
		    "would total more than fundflow can count; decide some of "
		    "them first", b.code);
		return withdrawal_refuse(ff, s, "withdraw.apply", 0, rc, err);
	}
	memset(&w, 0, sizeof(w));
	w.branch_id = b.id;
	memcpy(w.branch_code, b.code, sizeof(w.branch_code));
	w.amount = amount;
	snprintf(w.note, sizeof(w.note), "%s", note ? note : "");
	w.applicant_id = s->op.id;
	memcpy(w.applicant, s->op.login, sizeof(w.applicant));
	ff_now(ff, w.applied_at);
	w.flow = FLOW_APPROVE_DEDUCTS;
	if ((rc = store_withdrawal_add(ff->st, &w)) != STORE_OK)
		return withdrawal_refuse(ff, s, "withdraw.apply", 0,
		    ff_store_fail(ff, err, rc, "cannot apply"), err);
	snprintf(detail, sizeof(detail), "%s %s", b.code, money_format(amount, amt));
	{
		char target[32];

		snprintf(target, sizeof(target), "withdrawal %lld", (long long)w.id);
		rc = ff_activity_tx(ff, s->op.login, "withdraw.apply", target, 1,
		    detail);
	}
	if (rc == STORE_OK)
		rc = store_commit(ff->st);
	if (rc != STORE_OK) {
		store_rollback(ff->st);
		return ff_store_fail(ff, err, rc, "cannot apply");
	}
	if (out != NULL)
		*out = w;
	return FF_OK;
}

/*
 * The checks every decision makes inside its transaction: the application
 * exists and is visible, is still pending, and is of a known flow.
 */
static int
withdrawal_decidable(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *w, struct ff_err *err)
{
	int64_t bid;
	int rc;

	if ((rc = withdrawal_load(ff, id, w, err)) != FF_OK)
		return rc;
	if (s->op.role == ROLE_STAFF &&
	    (rc = scope_branch(ff, s, w->branch_code, &bid, NULL, err)) != FF_OK)
		return rc;
	if (w->status != WD_PENDING)
		return ff_fail(err, FF_REFUSED, "application %lld is already %s",
		    (long long)id, wd_status_name(w->status));
	if (w->flow != FLOW_APPROVE_DEDUCTS)
		return ff_fail(err, FF_REFUSED, "application %lld was made under "
		    "withdrawal flow %d, which this version of fundflow does not "
		    "know; it cannot be decided here", (long long)id, w->flow);
	return FF_OK;
}

/*
 * Four-eyes: while the company has two or more admins, an application is
 * not approved through a reviewer account added by the same admin who
 * added the applicant's account (that admin could hold both).  With one
 * admin it is allowed; the audit warns of the company's single admin.
 */
static int
withdrawal_other_maker(struct ff *ff, const struct session *s,
    const struct withdrawal *w, struct ff_err *err)
{
	struct operator applicant;
	int64_t admins;
	int rc;

	if (s->op.created_by == 0)
		return FF_OK;
	if ((rc = store_operator_get(ff->st, w->applicant, &applicant)) !=
	    STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the applicant");
	explicit_bzero(applicant.pwhash, sizeof(applicant.pwhash));
	explicit_bzero(applicant.awaiting_pwhash,
	    sizeof(applicant.awaiting_pwhash));
	if (applicant.created_by != s->op.created_by)
		return FF_OK;
	if ((rc = store_operator_admins(ff->st, &admins)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot count the admins");
	if (admins < 2)
		return FF_OK;
	return ff_fail(err, FF_REFUSED, "application %lld was made by an "
	    "account the same admin added as yours; a reviewer added by "
	    "another admin must decide it", (long long)w->id);
}

/* Commits a decision with its activity line. */
static int
withdrawal_finish(struct ff *ff, const struct session *s, const char *action,
    const struct withdrawal *w, const char *detail, struct ff_err *err)
{
	char target[32];
	int rc;

	snprintf(target, sizeof(target), "withdrawal %lld", (long long)w->id);
	rc = ff_activity_tx(ff, s->op.login, action, target, 1, detail);
	if (rc == STORE_OK)
		rc = store_commit(ff->st);
	if (rc != STORE_OK) {
		store_rollback(ff->st);
		return ff_store_fail(ff, err, rc, "cannot record the decision");
	}
	return FF_OK;
}

static int
withdrawal_approve_once(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct account *acct_out, struct ff_err *err)
{
	struct withdrawal w;
	struct account acct;
	struct ledger_entry e;
	money_t withdrawable, total;
	char amt[MONEY_BUFSZ], have[MONEY_BUFSZ], detail[160];
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_REVIEWER), "approving", err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	if ((rc = ff_begin(ff, s, "cannot approve", err)) != FF_OK)
		return rc;
	if ((rc = withdrawal_decidable(ff, s, id, &w, err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	if (w.applicant_id == s->op.id) {
		rc = ff_fail(err, FF_REFUSED, "application %lld is your own; "
		    "another reviewer must decide it", (long long)id);
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	}
	if ((rc = withdrawal_other_maker(ff, s, &w, err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	if ((rc = withdrawal_figures(ff, w.branch_id, &acct)) != STORE_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id,
		    ff_store_fail(ff, err, rc, "cannot read the account"), err);
	if (acct.withdrawable < w.amount) {
		rc = ff_fail(err, FF_REFUSED, "%s can withdraw only %s now, less "
		    "than the %s of application %lld", w.branch_code,
		    money_format_grouped(acct.withdrawable, have),
		    money_format_grouped(w.amount, amt), (long long)id);
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	}
	if (money_sub(acct.withdrawable, w.amount, &withdrawable) != 0 ||
	    money_add(acct.total_withdrawn, w.amount, &total) != 0) {
		rc = ff_fail(err, FF_REFUSED, "the figures of %s would overflow",
		    w.branch_code);
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	}
	memset(&e, 0, sizeof(e));
	e.account_id = w.branch_id;
	memcpy(e.branch_code, w.branch_code, sizeof(e.branch_code));
	e.kind = ENTRY_WITHDRAWAL;
	e.source_id = w.id;
	e.src.applicant_id = w.applicant_id;
	e.src.decided_by = s->op.id;
	e.src.status = WD_APPROVED;
	e.src.flow = w.flow;
	e.amount = -w.amount;
	ff_now(ff, e.at);
	memcpy(e.actor, s->op.login, sizeof(e.actor));
	if ((rc = chain_append(ff, &e, err)) != FF_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id, rc, err);
	rc = store_account_set(ff->st, w.branch_id, e.post_amount, withdrawable,
	    total);
	if (rc == STORE_OK)
		rc = store_withdrawal_decide(ff->st, id, WD_APPROVED, s->op.id,
		    e.at, "");
	if (rc != STORE_OK)
		return withdrawal_refuse(ff, s, "withdraw.approve", id,
		    ff_store_fail(ff, err, rc, "cannot approve"), err);
	snprintf(detail, sizeof(detail), "%s %s", w.branch_code,
	    money_format(w.amount, amt));
	if ((rc = withdrawal_finish(ff, s, "withdraw.approve", &w, detail,
	    err)) != FF_OK)
		return rc;
	w.status = WD_APPROVED;
	w.decided_by_id = s->op.id;
	memcpy(w.decided_by, s->op.login, sizeof(w.decided_by));
	memcpy(w.decided_at, e.at, sizeof(w.decided_at));
	if (out != NULL)
		*out = w;
	if (acct_out != NULL) {
		*acct_out = acct;
		memcpy(acct_out->code, w.branch_code, sizeof(acct_out->code));
		acct_out->balance = e.post_amount;
		acct_out->withdrawable = withdrawable;
		acct_out->total_withdrawn = total;
	}
	return FF_OK;
}

/* Reject and cancel: the status changes, nothing else. */
static int
withdrawal_close(struct ff *ff, const struct session *s, int64_t id,
    enum wd_status to, const char *reason, struct withdrawal *out,
    struct ff_err *err)
{
	const char *action = to == WD_REJECTED ? "withdraw.reject" :
	    "withdraw.cancel";
	struct withdrawal w;
	char now[FF_TIME_MAX];
	int rc;

	if (to == WD_REJECTED)
		rc = scope_role(s, SCOPE(ROLE_REVIEWER), "rejecting", err);
	else
		rc = scope_role(s, SCOPE(ROLE_STAFF), "cancelling", err);
	if (rc != FF_OK)
		return withdrawal_refuse(ff, s, action, id, rc, err);
	if (to == WD_REJECTED &&
	    (rc = withdrawal_check_text("reason", reason, 1, err)) != FF_OK)
		return withdrawal_refuse(ff, s, action, id, rc, err);
	if ((rc = ff_begin(ff, s, to == WD_REJECTED ? "cannot reject" :
	    "cannot cancel", err)) != FF_OK)
		return rc;
	if ((rc = withdrawal_decidable(ff, s, id, &w, err)) != FF_OK)
		return withdrawal_refuse(ff, s, action, id, rc, err);
	if (to == WD_REJECTED && w.applicant_id == s->op.id) {
		rc = ff_fail(err, FF_REFUSED, "application %lld is your own; "
		    "another reviewer must decide it", (long long)id);
		return withdrawal_refuse(ff, s, action, id, rc, err);
	}
	ff_now(ff, now);
	rc = store_withdrawal_decide(ff->st, id, to, s->op.id, now,
	    to == WD_REJECTED ? reason : "");
	if (rc != STORE_OK)
		return withdrawal_refuse(ff, s, action, id,
		    ff_store_fail(ff, err, rc, "cannot decide"), err);
	if ((rc = withdrawal_finish(ff, s, action, &w,
	    to == WD_REJECTED ? reason : "", err)) != FF_OK)
		return rc;
	w.status = to;
	w.decided_by_id = s->op.id;
	memcpy(w.decided_by, s->op.login, sizeof(w.decided_by));
	memcpy(w.decided_at, now, sizeof(w.decided_at));
	if (to == WD_REJECTED)
		snprintf(w.reason, sizeof(w.reason), "%s", reason);
	if (out != NULL)
		*out = w;
	return FF_OK;
}

/*
 * A decision the database undid to break a deadlock (PostgreSQL picks one
 * of the transactions in a cycle; err->again) changed nothing: it is made
 * again from the start, all its checks included, a few times.  A lock
 * not had within busy_timeout is not retried: it has waited already.
 */
#define WITHDRAWAL_TRIES 3
#define WITHDRAWAL_AGAIN(call) do {					\
	int withdrawal_try_ = 0;					\
	do {								\
		err->again = 0;						\
		rc = (call);						\
	} while (rc == FF_BUSY && err->again &&				\
	    ++withdrawal_try_ < WITHDRAWAL_TRIES);			\
} while (0)

int
withdrawal_apply(struct ff *ff, const struct session *s, const char *branch_code,
    money_t amount, const char *note, struct withdrawal *out,
    struct ff_err *err)
{
	int rc;

	WITHDRAWAL_AGAIN(withdrawal_apply_once(ff, s, branch_code, amount, note,
	    out, err));
	return rc;
}

int
withdrawal_approve(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct account *acct_out, struct ff_err *err)
{
	int rc;

	WITHDRAWAL_AGAIN(withdrawal_approve_once(ff, s, id, out, acct_out, err));
	return rc;
}

int
withdrawal_reject(struct ff *ff, const struct session *s, int64_t id,
    const char *reason, struct withdrawal *out, struct ff_err *err)
{
	int rc;

	WITHDRAWAL_AGAIN(withdrawal_close(ff, s, id, WD_REJECTED, reason, out,
	    err));
	return rc;
}

int
withdrawal_cancel(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct ff_err *err)
{
	int rc;

	WITHDRAWAL_AGAIN(withdrawal_close(ff, s, id, WD_CANCELLED, NULL, out,
	    err));
	return rc;
}

int
withdrawal_get(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct ff_err *err)
{
	int64_t bid;
	int rc;

	if ((rc = withdrawal_load(ff, id, out, err)) != FF_OK)
		return rc;
	if (s->op.role == ROLE_STAFF)
		return scope_branch(ff, s, out->branch_code, &bid, NULL, err);
	return FF_OK;
}

int
withdrawal_list(struct ff *ff, const struct session *s, const char *branch_code,
    int status, struct withdrawal **out, size_t *n, struct ff_err *err)
{
	struct withdrawal_filter f = { .status = status };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = scope_branch(ff, s, branch_code, &f.branch_id, NULL, err)) != FF_OK)
		return rc;
	if ((rc = store_withdrawal_list(ff->st, &f, out, n)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot list the applications");
	return FF_OK;
}
