/*
 * test_withdrawal.c — the withdrawal flow: apply, approve, reject, cancel,
 * every refusal (which changes nothing and is recorded), and who may see
 * and do what, read again inside every write.
 */
#include "testlib.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/accounts.h"
#include "model/audit.h"
#include "model/auth.h"
#include "model/chain.h"
#include "model/withdrawal.h"
#include "store/store.h"
#include "store/xmalloc.h"

/*
 * Runs call (an expression giving an ff_rc) and expects it to be refused
 * with want: the database's money and applications unchanged, and exactly
 * one more refusal (ok = 0) in the activity journal.
 */
#define EXPECT_REFUSAL(t, want, call) \
	expect_refusal_end((t), (want), (call), #call, expect_refusal_begin(t))

struct before {
	char *fp;
	int64_t refusals;
};

static struct before *expect_refusal_begin(struct testlib *);
static void	expect_refusal_end(struct testlib *, int, int, const char *,
		    struct before *);
static int64_t	refusals(struct testlib *);
static void	world(struct testlib *);
static int64_t	apply_ok(struct testlib *, const char *, money_t);
static int64_t	raw_application(struct testlib *, const char *, money_t, int);

static void	test_apply_not_positive(void **);
static void	test_apply_too_much(void **);
static void	test_apply_bad_note(void **);
static void	test_apply(void **);
static void	test_approve(void **);
static void	test_approve_beyond_withdrawable(void **);
static void	test_decided_twice(void **);
static void	test_approver_is_applicant(void **);
static void	test_unknown_flow(void **);
static void	test_unknown_application(void **);
static void	test_reject(void **);
static void	test_cancel(void **);
static void	test_roles(void **);
static void	test_concurrent_approvals(void **);
static void	test_list_scope(void **);
static void	test_stale_session(void **);
static void	test_pending_total_bounded(void **);

static int64_t
refusals(struct testlib *t)
{
	return testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE ok = 0");
}

static struct before *
expect_refusal_begin(struct testlib *t)
{
	struct before *b = xcalloc(1, sizeof(*b));

	b->fp = testlib_fingerprint(t->path);
	b->refusals = refusals(t);
	return b;
}

static void
expect_refusal_end(struct testlib *t, int want, int rc, const char *what,
    struct before *b)
{
	char *fp = testlib_fingerprint(t->path);
	int64_t n = refusals(t);

	if (rc != want)
		fail_msg("%s: %s, want %s", what, ff_strerror(rc),
		    ff_strerror(want));
	if (strcmp(fp, b->fp) != 0)
		fail_msg("%s changed the database:\n before %s\n after  %s",
		    what, b->fp, fp);
	if (n != b->refusals + 1)
		fail_msg("%s: %" PRId64 " refusals recorded, want 1", what,
		    n - b->refusals);
	assert_int_equal(testlib_sql_int(t->path, "SELECT ok FROM activity "
	    "ORDER BY id DESC LIMIT 1"), 0);
	free(fp);
	free(b->fp);
	free(b);
}

/*
 * Branches A and B; admin, reviewers "rev" and "rev2", auditor "aud",
 * "staff" of A and "staffb" of B.  A holds 1,000.00 withdrawable and a
 * deposit of 500.00 (balance 1,500.00).
 */
static void
world(struct testlib *t)
{
	static const char *const codes[] = { "A", "B", NULL };

	testlib_world(t, codes);
	testlib_operator(t, "staffb", ROLE_STAFF, "B", NULL);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "ORD-1", 100000,
	    NULL), INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 8, "DEP-1", 50000,
	    NULL), INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e3", "B", 1, "ORD-2", 20000,
	    NULL), INGEST_APPLIED);
}

/* login applies for amount from its own branch; returns the id. */
static int64_t
apply_ok(struct testlib *t, const char *login, money_t amount)
{
	struct session s;
	struct withdrawal w;
	struct ff_err err = { 0 };

	testlib_session(t->ff, login, &s);
	if (withdrawal_apply(t->ff, &s, NULL, amount, "", &w, &err) != FF_OK)
		fail_msg("apply %s %" PRId64 ": %s", login, amount, err.msg);
	assert_true(w.id > 0);
	return w.id;
}

/* An application of branch A made behind the model's back. */
static int64_t
raw_application(struct testlib *t, const char *applicant, money_t amount,
    int flow)
{
	struct session s;
	char *sql;

	testlib_session(t->ff, applicant, &s);
	sql = xasprintf("INSERT INTO withdrawal (branch_id, amount, applicant_id, "
	    "applied_at, flow) VALUES ((SELECT id FROM branch WHERE code = 'A'), "
	    "%" PRId64 ", %" PRId64 ", '2026-01-02T03:04:05+00:00', %d)", amount,
	    s.op.id, flow);
	testlib_sql_ok(t->path, sql);
	free(sql);
	return testlib_sql_int(t->path, "SELECT MAX(id) FROM withdrawal");
}

static void
test_apply_not_positive(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct ff_err err = { 0 };

	world(t);
	testlib_session(t->ff, "staff", &s);
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", 0, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", -100, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", INT64_MIN, "", NULL, &err));
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "withdrawal"), 0);
}

static void
test_apply_too_much(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct ff_err err = { 0 };

	world(t);
	testlib_session(t->ff, "staff", &s);
	/* the deposit raises the balance, not what can be withdrawn */
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", 100001, "", NULL, &err));
	assert_non_null(strstr(err.msg, "1,000.00"));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", 150000, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &s, "A", INT64_MAX, "", NULL, &err));
	/* exactly what can be withdrawn is fine */
	apply_ok(t, "staff", 100000);
}

/* A note that cannot be stored is refused, and the refusal recorded
 * like any other. */
static void
test_apply_bad_note(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct ff_err err = { 0 };
	char long_note[FF_TEXT_MAX + 2];

	world(t);
	testlib_session(t->ff, "staff", &s);
	memset(long_note, 'n', sizeof(long_note) - 1);
	long_note[sizeof(long_note) - 1] = '\0';
	EXPECT_REFUSAL(t, FF_INVALID,
	    withdrawal_apply(t->ff, &s, "A", 100, long_note, NULL, &err));
	EXPECT_REFUSAL(t, FF_INVALID,
	    withdrawal_apply(t->ff, &s, "A", 100, "bell\a", NULL, &err));
}

static void
test_apply(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct withdrawal w, got;
	struct account before, after;
	struct ff_err err = { 0 };
	char *fp;

	world(t);
	testlib_session(t->ff, "staff", &s);
	testlib_account(t->ff, "A", &before);
	fp = testlib_sql_text(t->path, "SELECT group_concat(id) FROM ledger");
	assert_int_equal(withdrawal_apply(t->ff, &s, "A", 30000, "rent 六月",
	    &w, &err), FF_OK);
	assert_true(w.id > 0);
	assert_int_equal(w.status, WD_PENDING);
	assert_int_equal(w.amount, 30000);
	assert_int_equal(w.flow, FLOW_APPROVE_DEDUCTS);
	assert_string_equal(w.branch_code, "A");
	assert_string_equal(w.applicant, "staff");
	assert_string_equal(w.note, "rent 六月");

	/* no money moves */
	testlib_account(t->ff, "A", &after);
	assert_int_equal(after.balance, before.balance);
	assert_int_equal(after.withdrawable, before.withdrawable);
	assert_int_equal(after.total_withdrawn, before.total_withdrawn);
	assert_int_equal(after.pending_count, 1);
	assert_int_equal(after.pending_amount, 30000);
	{
		char *now = testlib_sql_text(t->path, "SELECT group_concat(id) "
		    "FROM ledger");

		assert_string_equal(fp, now);
		free(now);
	}
	free(fp);

	/* stored as returned */
	assert_int_equal(withdrawal_get(t->ff, &s, w.id, &got, &err), FF_OK);
	assert_int_equal(got.status, WD_PENDING);
	assert_int_equal(got.amount, 30000);
	assert_int_equal(got.flow, FLOW_APPROVE_DEDUCTS);
	assert_int_equal(got.applicant_id, s.op.id);
	assert_int_equal(got.decided_by_id, 0);
	assert_string_equal(got.decided_at, "");
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE ok = 1 AND action = 'withdraw.apply' AND actor = 'staff'"), 1);

	/* a second application may take the rest (approval checks the sum) */
	apply_ok(t, "staff", 70000);
	apply_ok(t, "staff", 100000);
	testlib_account(t->ff, "A", &after);
	assert_int_equal(after.pending_count, 3);
	assert_int_equal(after.pending_amount, 200000);
	assert_int_equal(after.withdrawable, 100000);
}

static void
test_approve(void **state)
{
	struct testlib *t = *state;
	struct session rev, aud;
	struct withdrawal w;
	struct account acct, stored;
	struct ledger_entry e, prev;
	struct ff_err err = { 0 };
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	uint8_t h[FF_HASH_LEN];
	int64_t id, eid;

	world(t);
	id = apply_ok(t, "staff", 30000);
	testlib_session(t->ff, "rev", &rev);
	assert_int_equal(withdrawal_approve(t->ff, &rev, id, &w, &acct, &err),
	    FF_OK);
	assert_int_equal(w.status, WD_APPROVED);
	assert_int_equal(w.decided_by_id, rev.op.id);
	assert_string_equal(w.decided_by, "rev");
	assert_string_equal(w.decided_at, "2026-01-02T03:04:05+00:00");

	/* the account: balance and withdrawable down, total withdrawn up */
	assert_int_equal(acct.balance, 120000);
	assert_int_equal(acct.withdrawable, 70000);
	assert_int_equal(acct.total_withdrawn, 30000);
	assert_string_equal(acct.code, w.branch_code);
	/* not read inside the approval's transaction (withdrawal.h) */
	assert_int_equal(acct.pending_count, -1);
	assert_int_equal(acct.pending_amount, -1);
	testlib_account(t->ff, "A", &stored);
	assert_int_equal(stored.balance, 120000);
	assert_int_equal(stored.withdrawable, 70000);
	assert_int_equal(stored.total_withdrawn, 30000);
	assert_int_equal(stored.pending_count, 0);

	/* exactly one entry, continuing A's chain */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger "
	    "WHERE withdrawal_id IS NOT NULL"), 1);
	eid = testlib_sql_int(t->path, "SELECT id FROM ledger WHERE "
	    "withdrawal_id IS NOT NULL");
	assert_int_equal(store_ledger_get(t->ff->st, eid, &e), STORE_OK);
	assert_int_equal(e.kind, ENTRY_WITHDRAWAL);
	assert_int_equal(e.source_id, id);
	assert_int_equal(e.seq, 3);
	assert_int_equal(e.pre_amount, 150000);
	assert_int_equal(e.amount, -30000);
	assert_int_equal(e.post_amount, 120000);
	assert_string_equal(e.actor, "rev");
	assert_string_equal(e.branch_code, "A");
	assert_int_equal(store_ledger_get(t->ff->st, testlib_sql_int(t->path,
	    "SELECT l.id FROM ledger l, ledger e WHERE e.withdrawal_id IS NOT NULL "
	    "AND l.account_id = e.account_id AND l.seq = e.seq - 1"), &prev),
	    STORE_OK);
	chain_hash(prev.hash, &e, h);
	assert_memory_equal(h, e.hash, FF_HASH_LEN);

	/* the decision is recorded */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE ok = 1 AND action = 'withdraw.approve' AND actor = 'rev'"), 1);

	/* and the auditor finds everything in order */
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_run(t->ff, &aud, &o, &sum, &err), FF_OK);
	assert_int_equal(sum.findings, 0);
}

/* Two pending applications whose sum exceeds what can be withdrawn: the
 * second approval is refused and changes nothing. */
static void
test_approve_beyond_withdrawable(void **state)
{
	struct testlib *t = *state;
	struct session rev;
	struct withdrawal w;
	struct ff_err err = { 0 };
	int64_t a, b;

	world(t);
	a = apply_ok(t, "staff", 60000);
	b = apply_ok(t, "staff", 60000);
	testlib_session(t->ff, "rev", &rev);
	assert_int_equal(withdrawal_approve(t->ff, &rev, a, NULL, NULL, &err),
	    FF_OK);
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_approve(t->ff, &rev, b, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "400.00"));
	assert_non_null(strstr(err.msg, "600.00"));
	assert_int_equal(withdrawal_get(t->ff, &rev, b, &w, &err), FF_OK);
	assert_int_equal(w.status, WD_PENDING);
	/* it can still be rejected */
	assert_int_equal(withdrawal_reject(t->ff, &rev, b, "over the limit",
	    NULL, &err), FF_OK);
}

static void
test_decided_twice(void **state)
{
	struct testlib *t = *state;
	struct session rev, rev2, staff;
	struct ff_err err = { 0 };
	int64_t a, r, c;

	world(t);
	a = apply_ok(t, "staff", 10000);
	r = apply_ok(t, "staff", 10000);
	c = apply_ok(t, "staff", 10000);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "rev2", &rev2);
	testlib_session(t->ff, "staff", &staff);
	assert_int_equal(withdrawal_approve(t->ff, &rev, a, NULL, NULL, &err),
	    FF_OK);
	assert_int_equal(withdrawal_reject(t->ff, &rev, r, "no", NULL, &err),
	    FF_OK);
	assert_int_equal(withdrawal_cancel(t->ff, &staff, c, NULL, &err), FF_OK);

	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_approve(t->ff, &rev2, a, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "approved"));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_reject(t->ff, &rev2, a, "late", NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_cancel(t->ff, &staff, a, NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_approve(t->ff, &rev2, r, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "rejected"));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_reject(t->ff, &rev2, r, "again", NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_cancel(t->ff, &staff, r, NULL, &err));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_approve(t->ff, &rev2, c, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "cancelled"));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_cancel(t->ff, &staff, c, NULL, &err));
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger "
	    "WHERE withdrawal_id IS NOT NULL"), 1);
}

static void
test_approver_is_applicant(void **state)
{
	struct testlib *t = *state;
	struct session rev, rev2;
	struct ff_err err = { 0 };
	int64_t id;

	world(t);
	id = raw_application(t, "rev", 10000, FLOW_APPROVE_DEDUCTS);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "rev2", &rev2);
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_approve(t->ff, &rev, id, NULL, NULL, &err));
	assert_non_null(strstr(err.msg, "own"));
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_reject(t->ff, &rev, id, "mine", NULL, &err));
	/* another reviewer may */
	assert_int_equal(withdrawal_approve(t->ff, &rev2, id, NULL, NULL, &err),
	    FF_OK);
}

static void
test_unknown_flow(void **state)
{
	static const int flows[] = { 1, 0, 3, -1 };
	struct testlib *t = *state;
	struct session rev, staff;
	struct ff_err err = { 0 };

	world(t);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "staff", &staff);
	for (size_t i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		int64_t id = raw_application(t, "staff", 10000, flows[i]);

		EXPECT_REFUSAL(t, FF_REFUSED,
		    withdrawal_approve(t->ff, &rev, id, NULL, NULL, &err));
		assert_non_null(strstr(err.msg, "flow"));
		EXPECT_REFUSAL(t, FF_REFUSED,
		    withdrawal_reject(t->ff, &rev, id, "old rules", NULL, &err));
		EXPECT_REFUSAL(t, FF_REFUSED,
		    withdrawal_cancel(t->ff, &staff, id, NULL, &err));
	}
}

static void
test_unknown_application(void **state)
{
	struct testlib *t = *state;
	struct session rev, staff;
	struct withdrawal w;
	struct ff_err err = { 0 };

	world(t);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "staff", &staff);
	EXPECT_REFUSAL(t, FF_NOTFOUND,
	    withdrawal_approve(t->ff, &rev, 999, NULL, NULL, &err));
	EXPECT_REFUSAL(t, FF_NOTFOUND,
	    withdrawal_reject(t->ff, &rev, 0, "x", NULL, &err));
	EXPECT_REFUSAL(t, FF_NOTFOUND,
	    withdrawal_cancel(t->ff, &staff, -1, NULL, &err));
	assert_int_equal(withdrawal_get(t->ff, &rev, 999, &w, &err), FF_NOTFOUND);
}

static void
test_reject(void **state)
{
	static const char *const blank[] = { "", " ", "\t", "  \t ", NULL };
	struct testlib *t = *state;
	struct session rev;
	struct withdrawal w;
	struct ff_err err = { 0 };
	char *fp, *after;
	int64_t id;

	world(t);
	id = apply_ok(t, "staff", 10000);
	testlib_session(t->ff, "rev", &rev);
	EXPECT_REFUSAL(t, FF_INVALID,
	    withdrawal_reject(t->ff, &rev, id, NULL, NULL, &err));
	for (size_t i = 0; blank[i] != NULL; i++)
		EXPECT_REFUSAL(t, FF_INVALID,
		    withdrawal_reject(t->ff, &rev, id, blank[i], NULL, &err));
	fp = testlib_fingerprint(t->path);
	assert_int_equal(withdrawal_reject(t->ff, &rev, id, "documents missing",
	    &w, &err), FF_OK);
	assert_int_equal(w.status, WD_REJECTED);
	assert_string_equal(w.reason, "documents missing");
	assert_string_equal(w.decided_by, "rev");
	assert_int_equal(withdrawal_get(t->ff, &rev, id, &w, &err), FF_OK);
	assert_int_equal(w.status, WD_REJECTED);
	assert_string_equal(w.reason, "documents missing");
	/* status only: no money, no entry */
	after = testlib_fingerprint(t->path);
	{
		char *p = strstr(fp, " | statuses"), *q = strstr(after, " | statuses");

		assert_non_null(p);
		assert_non_null(q);
		assert_int_equal(p - fp, q - after);
		assert_memory_equal(fp, after, (size_t)(p - fp));
	}
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger "
	    "WHERE withdrawal_id IS NOT NULL"), 0);
	free(fp);
	free(after);
}

static void
test_cancel(void **state)
{
	struct testlib *t = *state;
	struct session staff, staffb, rev;
	struct withdrawal w;
	struct account a;
	struct ff_err err = { 0 };
	int64_t id, other;

	world(t);
	id = apply_ok(t, "staff", 10000);
	other = apply_ok(t, "staff", 20000);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "staffb", &staffb);
	testlib_session(t->ff, "rev", &rev);
	/* staff of another branch, a reviewer: no */
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_cancel(t->ff, &staffb, id, NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_cancel(t->ff, &rev, id, NULL, &err));
	/* staff of the branch: yes, status only */
	assert_int_equal(withdrawal_cancel(t->ff, &staff, id, &w, &err), FF_OK);
	assert_int_equal(w.status, WD_CANCELLED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 150000);
	assert_int_equal(a.withdrawable, 100000);
	assert_int_equal(a.total_withdrawn, 0);
	assert_int_equal(a.pending_count, 1);
	assert_int_equal(a.pending_amount, 20000);
	assert_int_equal(withdrawal_get(t->ff, &staff, other, &w, &err), FF_OK);
	assert_int_equal(w.status, WD_PENDING);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE ok = 1 AND action = 'withdraw.cancel' AND actor = 'staff'"), 1);
}

static void
test_roles(void **state)
{
	struct testlib *t = *state;
	struct session rev, aud, admin, staff, staffb;
	struct ff_err err = { 0 };
	int64_t id;

	world(t);
	id = apply_ok(t, "staff", 10000);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "aud", &aud);
	testlib_session(t->ff, "admin", &admin);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "staffb", &staffb);

	/* only staff apply, and only for their branch */
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &rev, "A", 100, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &aud, "A", 100, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &admin, "A", 100, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &staffb, "A", 100, "", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &staff, "B", 100, "", NULL, &err));
	/* an unknown branch tells staff nothing more than another one */
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &staff, "ZZ", 100, "", NULL, &err));

	/* only reviewers decide */
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_approve(t->ff, &aud, id, NULL, NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_approve(t->ff, &admin, id, NULL, NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_approve(t->ff, &staff, id, NULL, NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_reject(t->ff, &aud, id, "no", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_reject(t->ff, &admin, id, "no", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_reject(t->ff, &staff, id, "no", NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_cancel(t->ff, &aud, id, NULL, &err));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_cancel(t->ff, &admin, id, NULL, &err));

	/* the refusals name who tried */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(DISTINCT actor) "
	    "FROM activity WHERE ok = 0"), 5);
}

/*
 * Four processes, each with its own connection, approve four applications
 * of 600.00 against 1,000.00 at once: exactly one can be paid, and the
 * books agree afterwards.
 */
static void
test_concurrent_approvals(void **state)
{
	enum { N = 4 };
	struct testlib *t = *state;
	struct session aud;
	struct account a;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct ff_err err = { 0 };
	int64_t ids[N];
	pid_t pids[N];
	int approved = 0, refused = 0;

	world(t);
	for (int i = 0; i < N; i++)
		ids[i] = apply_ok(t, "staff", 60000);
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct ff *ff = NULL;
			struct ff_err e = { 0 };
			struct session rev;
			int rc;

			if (ff_open(t->cfg, t->path, 0, &ff, &e) != FF_OK)
				_exit(10);
			memset(&rev, 0, sizeof(rev));
			if (store_operator_get(ff->st, i % 2 ? "rev" : "rev2",
			    &rev.op) != STORE_OK)
				_exit(11);
			rc = withdrawal_approve(ff, &rev, ids[i], NULL, NULL, &e);
			ff_close(ff);
			_exit(rc == FF_OK ? 0 : rc == FF_REFUSED ? 1 : 20 + rc);
		}
	}
	for (int i = 0; i < N; i++) {
		int status;

		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) == 0)
			approved++;
		else if (WEXITSTATUS(status) == 1)
			refused++;
		else
			fail_msg("approver %d exited %d", i, WEXITSTATUS(status));
	}
	assert_int_equal(approved, 1);
	assert_int_equal(refused, N - 1);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 90000);
	assert_int_equal(a.withdrawable, 40000);
	assert_int_equal(a.total_withdrawn, 60000);
	assert_int_equal(a.pending_count, N - 1);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE action = 'withdraw.approve' AND ok = 0"), N - 1);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_run(t->ff, &aud, &o, &sum, &err), FF_OK);
	assert_int_equal(sum.findings, 0);
}

static void
test_list_scope(void **state)
{
	struct testlib *t = *state;
	struct session staff, staffb, rev, aud;
	struct withdrawal *list = NULL, w;
	struct ff_err err = { 0 };
	size_t n = 0;
	int64_t a1, b1;

	world(t);
	a1 = apply_ok(t, "staff", 10000);
	apply_ok(t, "staff", 20000);
	b1 = apply_ok(t, "staffb", 5000);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "staffb", &staffb);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(withdrawal_reject(t->ff, &rev, a1, "no", NULL, &err),
	    FF_OK);

	/* staff: their branch only */
	assert_int_equal(withdrawal_list(t->ff, &staff, NULL, -1, &list, &n,
	    &err), FF_OK);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(list[i].branch_code, "A");
	free(list);
	assert_int_equal(withdrawal_list(t->ff, &staff, "A", WD_PENDING, &list,
	    &n, &err), FF_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].amount, 20000);
	free(list);
	list = (struct withdrawal *)1;
	assert_int_equal(withdrawal_list(t->ff, &staff, "B", -1, &list, &n, &err),
	    FF_DENIED);
	assert_null(list);
	assert_int_equal(n, 0);
	assert_int_equal(withdrawal_get(t->ff, &staff, b1, &w, &err), FF_DENIED);
	assert_int_equal(withdrawal_list(t->ff, &staffb, NULL, -1, &list, &n,
	    &err), FF_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].branch_code, "B");
	free(list);

	/* reviewers and auditors: everything, oldest first */
	assert_int_equal(withdrawal_list(t->ff, &rev, NULL, -1, &list, &n, &err),
	    FF_OK);
	assert_int_equal(n, 3);
	assert_true(list[0].id < list[1].id && list[1].id < list[2].id);
	free(list);
	assert_int_equal(withdrawal_list(t->ff, &aud, "B", -1, &list, &n, &err),
	    FF_OK);
	assert_int_equal(n, 1);
	free(list);
	assert_int_equal(withdrawal_list(t->ff, &aud, NULL, WD_REJECTED, &list,
	    &n, &err), FF_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, a1);
	assert_string_equal(list[0].reason, "no");
	free(list);
	assert_int_equal(withdrawal_list(t->ff, &aud, "ZZ", -1, &list, &n, &err),
	    FF_NOTFOUND);
}

/*
 * Rights are read inside the write, not only at login: a session opened
 * before the admin disabled its operator, moved them to another branch or
 * gave them another role is refused (FF_DENIED, relogin set), changes
 * nothing, and the refusal is recorded.  A fresh login has the new rights,
 * and an ordinary refusal does not ask to log in again.
 */
static void
test_stale_session(void **state)
{
	struct testlib *t = *state;
	struct session rev, staff, admin, aud;
	struct ff_err err = { 0 };
	int64_t id;

	world(t);
	id = apply_ok(t, "staff", 10000);
	testlib_session(t->ff, "rev", &rev);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "admin", &admin);

	assert_int_equal(auth_user_disable(t->ff, &admin, "rev", &err), FF_OK);
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_approve(t->ff, &rev, id, NULL, NULL, &err));
	assert_int_equal(err.relogin, 1);
	assert_non_null(strstr(err.msg, "cannot approve: your operator account "
	    "was disabled or changed by an admin since you logged in (the "
	    "operator was disabled)"));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_reject(t->ff, &rev, id, "no", NULL, &err));
	assert_int_equal(err.relogin, 1);

	/* The schema fixes an operator's role and branch (a trigger), so a
	 * change is stood for by a session that holds other rights than
	 * the database: the same comparison. */
	staff.op.branch_id = testlib_sql_int(t->path, "SELECT id FROM branch "
	    "WHERE code = 'B'");
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &staff, "A", 100, "", NULL, &err));
	assert_non_null(strstr(err.msg, "(the operator's branch was changed)"));
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_cancel(t->ff, &staff, id, NULL, &err));
	assert_int_equal(err.relogin, 1);

	testlib_sql_ok(t->path, "UPDATE operator SET active = 0 WHERE login = "
	    "'admin'");
	EXPECT_REFUSAL(t, FF_DENIED,
	    auth_user_add(t->ff, &admin, "eve", ROLE_REVIEWER, NULL, "Eve",
	    "a long password", &err));
	assert_non_null(strstr(err.msg, "(the operator was disabled)"));
	testlib_sql_ok(t->path, "UPDATE operator SET active = 1 WHERE login = "
	    "'admin'");
	/* An auditor whose session says admin (an admin made auditor since). */
	testlib_session(t->ff, "aud", &aud);
	aud.op.role = ROLE_ADMIN;
	EXPECT_REFUSAL(t, FF_DENIED,
	    auth_user_add(t->ff, &aud, "eve", ROLE_REVIEWER, NULL, "Eve",
	    "a long password", &err));
	assert_non_null(strstr(err.msg, "(the operator's role was changed)"));
	assert_int_equal(testlib_sql_int(t->path, "SELECT count(*) FROM "
	    "operator WHERE login = 'eve'"), 0);

	assert_int_equal(auth_user_add(t->ff, &admin, "eve", ROLE_REVIEWER,
	    NULL, "Eve", "a long password", &err), FF_OK);

	/* Logged in again, staff act with the rights they have now. */
	testlib_session(t->ff, "staff", &staff);
	EXPECT_REFUSAL(t, FF_DENIED,
	    withdrawal_apply(t->ff, &staff, "B", 100, "", NULL, &err));
	assert_int_equal(err.relogin, 0);
	assert_int_equal(testlib_sql_int(t->path, "SELECT count(*) FROM "
	    "activity WHERE action = 'session.stale' AND ok = 0"), 6);
}

/*
 * The pending total of a branch must fit an int64: an application that
 * would make it overflow is refused; one that overflows already (made
 * before this rule) leaves every listing and the audit working, the
 * branch's pending amount shown as not known (-1).
 */
static void
test_pending_total_bounded(void **state)
{
	struct testlib *t = *state;
	struct session staff, aud;
	struct account *a = NULL;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct ff_err err = { 0 };
	size_t n = 0;

	world(t);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "aud", &aud);
	raw_application(t, "staff", INT64_MAX - 10, FLOW_APPROVE_DEDUCTS);
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &staff, "A", 100, "", NULL, &err));
	assert_non_null(strstr(err.msg, "the applications pending for A would "
	    "total more than fundflow can count"));
	apply_ok(t, "staff", 10);

	raw_application(t, "staff", INT64_MAX, FLOW_APPROVE_DEDUCTS);
	assert_int_equal(accounts_list(t->ff, &aud, NULL, &a, &n, &err), FF_OK);
	assert_int_equal(n, 2);
	assert_string_equal(a[0].code, "A");
	assert_int_equal(a[0].pending_count, 3);
	assert_int_equal(a[0].pending_amount, -1);
	assert_int_equal(a[0].balance, 150000);
	assert_string_equal(a[1].code, "B");
	assert_int_equal(a[1].pending_amount, 0);
	free(a);
	EXPECT_REFUSAL(t, FF_REFUSED,
	    withdrawal_apply(t->ff, &staff, "A", 1, "", NULL, &err));
	assert_int_equal(audit_run(t->ff, &aud, &o, &sum, &err), FF_OK);
	assert_int_equal(sum.findings, 0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, testlib_setup, testlib_teardown)
	const struct CMUnitTest tests[] = {
		T(test_apply_not_positive),
		T(test_apply_too_much),
		T(test_apply_bad_note),
		T(test_apply),
		T(test_approve),
		T(test_approve_beyond_withdrawable),
		T(test_decided_twice),
		T(test_approver_is_applicant),
		T(test_unknown_flow),
		T(test_unknown_application),
		T(test_reject),
		T(test_cancel),
		T(test_roles),
		T(test_concurrent_approvals),
		T(test_list_scope),
		T(test_stale_session),
		T(test_pending_total_bounded),
	};
#undef T

	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
