/*
 * test_audit.c — the audit proves the ledger right: a clean database has
 * no findings, and every kind of tampering done behind fundflow's back
 * (triggers dropped first, raw SQL) is found, named by its check and the
 * exact entries.  The digest proves the history even to someone who
 * rewrote the stored hashes.
 */
#include "testlib.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/audit.h"
#include "model/auth.h"
#include "model/chain.h"
#include "model/withdrawal.h"
#include "store/store.h"
#include "store/xmalloc.h"

#define MAX_FINDINGS 64

struct findings {
	int n;
	struct audit_finding f[MAX_FINDINGS];
};

static void	on_finding(void *, const struct audit_finding *);
static void	world(struct testlib *);
static int64_t	entry_id(struct testlib *, const char *, int64_t);
static int	run(struct testlib *, const char *, struct audit_summary *,
		    struct findings *);
static void	audit_clean(struct testlib *, const char *);
static const struct audit_finding *find(const struct findings *, const char *,
		    int64_t, int64_t);
static void	expect(const struct findings *, const char *, int64_t,
		    int64_t);
static void	expect_only(const struct findings *, const char *);
static void	dump(const struct findings *);
static void	rehash_account(struct testlib *, const char *);
static void	to_format_1(struct testlib *, const char *);
static char	*digest_path(struct testlib *);

static void	test_denied(void **);
static void	test_empty(void **);
static void	test_clean(void **);
static void	test_repeatable_refs_clean(void **);
static void	test_ledger_amount_changed(void **);
static void	test_ledger_post_changed(void **);
static void	test_entry_deleted(void **);
static void	test_balance_changed(void **);
static void	test_withdrawable_changed(void **);
static void	test_total_withdrawn_changed(void **);
static void	test_income_deleted(void **);
static void	test_decision_changed(void **);
static void	test_duplicate_reference(void **);
static void	test_stored_hash_changed(void **);
static void	test_dropped_guards(void **);
static void	test_digest_clean(void **);
static void	test_digest_after_growth(void **);
static void	test_digest_forged_history(void **);
static void	test_digest_truncated(void **);
static void	test_digest_refused_with_findings(void **);
static void	test_migrated_from_format_1(void **);
static void	test_digest_garbage(void **);

static void
on_finding(void *arg, const struct audit_finding *f)
{
	struct findings *fs = arg;

	if (fs->n < MAX_FINDINGS)
		fs->f[fs->n] = *f;
	fs->n++;
}

/*
 * Branches A and B, operators of each role (auditor "aud").  A's ledger:
 * seq 1 income 100.00, seq 2 income 200.00, seq 3 deposit 50.00, seq 4
 * withdrawal 30.00 (approved), seq 5 income 10.00; B's: seq 1 income
 * 70.00.  One application of A is still pending, one was rejected.
 */
static void
world(struct testlib *t)
{
	static const char *const codes[] = { "A", "B", NULL };
	struct session staff, rev;
	struct withdrawal w;
	struct ff_err err = { 0 };

	testlib_world(t, codes);
	testlib_session(t->ff, "staff", &staff);
	testlib_session(t->ff, "rev", &rev);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 1, "R2", 20000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e3", "B", 1, "R3", 7000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e4", "A", 8, "R4", 5000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(withdrawal_apply(t->ff, &staff, "A", 3000, "", &w, &err),
	    FF_OK);
	assert_int_equal(withdrawal_approve(t->ff, &rev, w.id, NULL, NULL, &err),
	    FF_OK);
	assert_int_equal(testlib_ingest(t->ff, "e5", "A", 1, "R5", 1000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(withdrawal_apply(t->ff, &staff, "A", 500, "", &w, &err),
	    FF_OK);
	assert_int_equal(withdrawal_reject(t->ff, &rev, w.id, "no", NULL, &err),
	    FF_OK);
	assert_int_equal(withdrawal_apply(t->ff, &staff, "A", 700, "", &w, &err),
	    FF_OK);
}

/* The id of branch code's entry seq. */
static int64_t
entry_id(struct testlib *t, const char *code, int64_t seq)
{
	char *sql = xasprintf("SELECT l.id FROM ledger l JOIN branch b ON "
	    "b.id = l.account_id WHERE b.code = '%s' AND l.seq = %" PRId64,
	    code, seq);
	int64_t id = testlib_sql_int(t->path, sql);

	free(sql);
	return id;
}

/* Runs the audit as "aud" (verifying digest when not NULL). */
static int
run(struct testlib *t, const char *digest, struct audit_summary *sum,
    struct findings *fs)
{
	struct session aud;
	struct audit_opts o = { .verify_digest = digest,
	    .on_finding = on_finding, .arg = fs };
	struct ff_err err = { 0 };
	int rc;

	memset(fs, 0, sizeof(*fs));
	testlib_session(t->ff, "aud", &aud);
	rc = audit_run(t->ff, &aud, &o, sum, &err);
	if (rc == FF_OK)
		assert_int_equal(sum->findings, fs->n);
	/* TESTLIB_VERBOSE=1 shows what each audit found. */
	if (getenv("TESTLIB_VERBOSE") != NULL)
		dump(fs);
	return rc;
}

static void
dump(const struct findings *fs)
{
	for (int i = 0; i < fs->n && i < MAX_FINDINGS; i++)
		print_message("  finding %s [%s] #%" PRId64 " #%" PRId64 ": %s\n",
		    fs->f[i].check, fs->f[i].branch, fs->f[i].entry_id,
		    fs->f[i].other_id, fs->f[i].text);
}

static void
audit_clean(struct testlib *t, const char *digest)
{
	struct audit_summary sum;
	struct findings fs;

	assert_int_equal(run(t, digest, &sum, &fs), FF_OK);
	if (fs.n != 0) {
		dump(&fs);
		fail_msg("%d findings on a clean database", fs.n);
	}
}

/* The finding of check about entry (and other), or NULL; entry or other
 * -1 matches any. */
static const struct audit_finding *
find(const struct findings *fs, const char *check, int64_t entry, int64_t other)
{
	for (int i = 0; i < fs->n && i < MAX_FINDINGS; i++) {
		const struct audit_finding *f = &fs->f[i];

		if (strcmp(f->check, check) == 0 &&
		    (entry < 0 || f->entry_id == entry) &&
		    (other < 0 || f->other_id == other))
			return f;
	}
	return NULL;
}

static void
expect(const struct findings *fs, const char *check, int64_t entry,
    int64_t other)
{
	if (find(fs, check, entry, other) == NULL) {
		dump(fs);
		fail_msg("no \"%s\" finding for entry %" PRId64 " / %" PRId64,
		    check, entry, other);
	}
}

/* Every finding is of one of the checks in the space-separated list. */
static void
expect_only(const struct findings *fs, const char *checks)
{
	for (int i = 0; i < fs->n && i < MAX_FINDINGS; i++) {
		char *w = xasprintf(" %s ", fs->f[i].check);
		char *list = xasprintf(" %s ", checks);

		if (strstr(list, w) == NULL) {
			dump(fs);
			fail_msg("unexpected \"%s\" finding", fs->f[i].check);
		}
		free(w);
		free(list);
	}
}

static char *
digest_path(struct testlib *t)
{
	return xasprintf("%s/digest.txt", t->dir);
}

static void
test_denied(void **state)
{
	static const char *const who[] = { "staff", "rev", "admin", NULL };
	struct testlib *t = *state;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct ff_err err = { 0 };
	char *path = digest_path(t);
	struct stat sb;

	world(t);
	for (size_t i = 0; who[i] != NULL; i++) {
		struct session s;

		testlib_session(t->ff, who[i], &s);
		assert_int_equal(audit_run(t->ff, &s, &o, &sum, &err), FF_DENIED);
		assert_int_equal(audit_write_digest(t->ff, &s, &o, path, &sum,
		    &err), FF_DENIED);
		assert_int_not_equal(stat(path, &sb), 0);
	}
	free(path);
}

static void
test_empty(void **state)
{
	static const char *const codes[] = { "A", NULL };
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	testlib_world(t, codes);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	assert_int_equal(fs.n, 0);
	assert_int_equal(sum.accounts, 1);
	assert_int_equal(sum.entries, 0);
	assert_int_equal(sum.incomes, 0);
	assert_int_equal(sum.withdrawals, 0);
}

static void
test_clean(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	if (fs.n != 0) {
		dump(&fs);
		fail_msg("%d findings", fs.n);
	}
	assert_int_equal(sum.findings, 0);
	assert_int_equal(sum.accounts, 2);
	assert_int_equal(sum.entries, 6);
	assert_int_equal(sum.incomes, 5);
	assert_int_equal(sum.withdrawals, 3);
	assert_int_equal(sum.digest_heads, 0);
	/* the audit itself is recorded */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE actor = 'aud' AND action = 'audit' AND ok = 1"), 1);
}

/* Repeatable types share references by design: not duplicates. */
static void
test_repeatable_refs_clean(void **state)
{
	struct testlib *t = *state;

	world(t);
	for (int i = 0; i < 3; i++) {
		char eid[16];

		snprintf(eid, sizeof(eid), "adj-%d", i);
		assert_int_equal(testlib_ingest(t->ff, eid, "A", 16, "ADJ-2018",
		    100, NULL), INGEST_APPLIED);
	}
	audit_clean(t, NULL);
}

/* An entry's amount changed (post left alone, the table's CHECK turned
 * off in the tampering connection). */
static void
test_ledger_amount_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t x;
	char *sql;

	world(t);
	x = entry_id(t, "A", 2);
	sql = xasprintf("PRAGMA ignore_check_constraints = ON; "
	    "DROP TRIGGER ledger_no_update; UPDATE ledger SET "
	    "amount = amount + 1 WHERE id = %" PRId64, x);
	testlib_sql_ok(t->path, sql);
	free(sql);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "chain", x, 0);		/* pre + amount is not post */
	expect(&fs, "hash", x, 0);
	expect(&fs, "source", x, 0);		/* not its income's amount */
	expect(&fs, "schema", 0, 0);
	assert_non_null(strstr(find(&fs, "schema", 0, 0)->text,
	    "ledger_no_update"));
	/* nothing else of A's chain is blamed */
	for (int i = 0; i < fs.n; i++)
		if (strcmp(fs.f[i].check, "hash") == 0 ||
		    strcmp(fs.f[i].check, "chain") == 0)
			assert_int_equal(fs.f[i].entry_id, x);
	expect_only(&fs, "chain hash source schema");
}

/* An entry's amount and post changed together: the break is named as the
 * pair of entries, and the next entries' hashes still hold. */
static void
test_ledger_post_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t x, next;
	char *sql;

	world(t);
	x = entry_id(t, "A", 2);
	next = entry_id(t, "A", 3);
	sql = xasprintf("DROP TRIGGER ledger_no_update; UPDATE ledger SET "
	    "amount = amount + 500, post_amount = post_amount + 500 "
	    "WHERE id = %" PRId64, x);
	testlib_sql_ok(t->path, sql);
	free(sql);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "chain", x, next);
	expect(&fs, "hash", x, 0);
	expect(&fs, "source", x, 0);
	assert_null(find(&fs, "hash", next, -1));
	assert_null(find(&fs, "account", -1, -1));
	expect_only(&fs, "chain hash source schema");
}

static void
test_entry_deleted(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t prev, x, next;
	char *sql;

	world(t);
	prev = entry_id(t, "A", 1);
	x = entry_id(t, "A", 2);
	next = entry_id(t, "A", 3);
	sql = xasprintf("PRAGMA foreign_keys = OFF; DROP TRIGGER ledger_no_delete; "
	    "DELETE FROM ledger WHERE id = %" PRId64, x);
	testlib_sql_ok(t->path, sql);
	free(sql);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	/* the gap, named by the pair around it */
	expect(&fs, "chain", prev, next);
	assert_non_null(strstr(find(&fs, "chain", prev, next)->text, "seq"));
	/* its income now has no entry */
	expect(&fs, "source", 0, 0);
	assert_non_null(strstr(find(&fs, "source", 0, 0)->text, "income 2"));
	expect(&fs, "schema", 0, 0);
	/* the next entry was hashed from the one that is gone */
	expect(&fs, "hash", next, 0);
	assert_int_equal(sum.entries, 5);
	expect_only(&fs, "chain hash source schema");
}

static void
test_balance_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	testlib_sql_ok(t->path, "DROP TRIGGER account_follows_ledger; "
	    "UPDATE account SET balance = balance + 1 WHERE branch_id = "
	    "(SELECT id FROM branch WHERE code = 'B')");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "account", entry_id(t, "B", 1), 0);
	assert_string_equal(find(&fs, "account", -1, -1)->branch, "B");
	expect(&fs, "schema", 0, 0);
	assert_non_null(strstr(find(&fs, "schema", 0, 0)->text,
	    "account_follows_ledger"));
	expect_only(&fs, "account schema");
	assert_int_equal(fs.n, 2);
}

/* The balance trigger lets withdrawable and total withdrawn change alone:
 * only the audit sees it. */
static void
test_withdrawable_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	testlib_sql_ok(t->path, "UPDATE account SET withdrawable = withdrawable "
	    "+ 1 WHERE branch_id = (SELECT id FROM branch WHERE code = 'A')");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	assert_int_equal(fs.n, 1);
	expect(&fs, "account", -1, -1);
	assert_string_equal(fs.f[0].branch, "A");
	assert_non_null(strstr(fs.f[0].text, "withdrawable"));
}

static void
test_total_withdrawn_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	testlib_sql_ok(t->path, "UPDATE account SET total_withdrawn = 0 "
	    "WHERE branch_id = (SELECT id FROM branch WHERE code = 'A')");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	assert_int_equal(fs.n, 1);
	expect(&fs, "account", -1, -1);
	assert_string_equal(fs.f[0].branch, "A");
	assert_non_null(strstr(fs.f[0].text, "total withdrawn"));
}

static void
test_income_deleted(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t x;

	world(t);
	x = entry_id(t, "A", 2);
	testlib_sql_ok(t->path, "PRAGMA foreign_keys = OFF; "
	    "DROP TRIGGER income_no_delete; DELETE FROM income WHERE id = 2");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "source", x, 0);
	assert_non_null(strstr(find(&fs, "source", x, 0)->text, "income 2"));
	expect(&fs, "schema", 0, 0);
	/* withdrawable no longer matches its incomes */
	expect(&fs, "account", -1, -1);
	/* the entry's hash covers its source, which is gone */
	expect(&fs, "hash", x, 0);
	assert_null(find(&fs, "chain", -1, -1));
	expect_only(&fs, "source schema account hash");
}

/* Decisions changed behind the flow's back: an approved application made
 * cancelled keeps its debit; a rejected one made approved has none. */
static void
test_decision_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t debit;

	world(t);
	debit = entry_id(t, "A", 4);
	testlib_sql_ok(t->path, "DROP TRIGGER withdrawal_decide; "
	    "UPDATE withdrawal SET status = 'cancelled' WHERE id = 1");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "source", debit, 0);
	assert_non_null(strstr(find(&fs, "source", debit, 0)->text, "cancelled"));
	expect(&fs, "account", 0, 0);		/* total withdrawn */
	expect(&fs, "hash", debit, 0);		/* the status is hashed */
	expect_only(&fs, "source account schema hash");

	testlib_sql_ok(t->path, "UPDATE withdrawal SET status = 'approved', "
	    "reason = '' WHERE id = 2");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "source", 0, 0);
	{
		int found = 0;

		for (int i = 0; i < fs.n; i++)
			if (strcmp(fs.f[i].check, "source") == 0 &&
			    strstr(fs.f[i].text, "application 2") != NULL &&
			    strstr(fs.f[i].text, "no ledger entry") != NULL)
				found = 1;
		if (!found) {
			dump(&fs);
			fail_msg("approved application 2 without entry not found");
		}
	}
	expect_only(&fs, "source account schema hash");
}

/* The seed's duplicate: the same (type, reference) twice. */
static void
test_duplicate_reference(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	testlib_sql_ok(t->path, "DROP TRIGGER income_no_update; "
	    "UPDATE income SET ref_id = 'R1', ikey = 'E:' || event_id "
	    "WHERE id = 2");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "duplicate", 1, 2);
	assert_non_null(strstr(find(&fs, "duplicate", 1, 2)->text, "R1"));
	/* The reference and the key are hashed: income 2's entry says so. */
	expect(&fs, "hash", testlib_sql_int(t->path, "SELECT id FROM ledger "
	    "WHERE income_id = 2"), 0);
	expect_only(&fs, "duplicate schema hash");
}

/* Only the stored hash of an old entry changed. */
static void
test_stored_hash_changed(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	int64_t x, next;
	char *sql;

	world(t);
	x = entry_id(t, "A", 3);
	next = entry_id(t, "A", 4);
	sql = xasprintf("DROP TRIGGER ledger_no_update; UPDATE ledger SET "
	    "hash = zeroblob(32) WHERE id = %" PRId64, x);
	testlib_sql_ok(t->path, sql);
	free(sql);
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "hash", x, 0);
	/* the next entry was hashed from the true one */
	expect(&fs, "hash", next, 0);
	expect_only(&fs, "hash schema");
}

static void
test_dropped_guards(void **state)
{
	static const char *const guards[] = { "ledger_guard", "income_no_replace",
	    "income_no_update", "activity_no_delete", "release_no_update",
	    "withdrawal_decide", "withdrawal_by_status", NULL };
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;

	world(t);
	for (size_t i = 0; guards[i] != NULL; i++) {
		char *sql = xasprintf("DROP %s %s", strcmp(guards[i],
		    "withdrawal_by_status") == 0 ? "INDEX" : "TRIGGER", guards[i]);
		int found = 0;

		testlib_sql_ok(t->path, sql);
		free(sql);
		assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
		assert_int_equal(fs.n, (int)i + 1);
		expect_only(&fs, "schema");
		for (int k = 0; k < fs.n; k++)
			if (strstr(fs.f[k].text, guards[i]) != NULL)
				found = 1;
		if (!found) {
			dump(&fs);
			fail_msg("%s dropped, not named", guards[i]);
		}
	}
	/* a guard replaced by a harmless one of the same name */
	testlib_sql_ok(t->path, "DROP TRIGGER ledger_no_delete; CREATE TRIGGER "
	    "ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT 1; END;");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect_only(&fs, "schema");
	{
		int found = 0;

		for (int k = 0; k < fs.n; k++)
			if (strstr(fs.f[k].text, "ledger_no_delete") != NULL)
				found = 1;
		assert_true(found);
	}
	/* an extra trigger is reported too */
	testlib_sql_ok(t->path, "CREATE TRIGGER sneaky AFTER INSERT ON income "
	    "BEGIN SELECT 1; END;");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	{
		int found = 0;

		for (int k = 0; k < fs.n; k++)
			if (strstr(fs.f[k].text, "sneaky") != NULL)
				found = 1;
		assert_true(found);
	}
}

static void
test_digest_clean(void **state)
{
	struct testlib *t = *state;
	struct session aud;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct findings fs;
	struct ff_err err = { 0 };
	char *path = digest_path(t);

	world(t);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_OK);
	assert_int_equal(sum.findings, 0);
	assert_int_equal(run(t, path, &sum, &fs), FF_OK);
	assert_int_equal(fs.n, 0);
	assert_int_equal(sum.digest_heads, 2);	/* A and B have entries */
	/* a third branch without entries changes nothing */
	testlib_branch(t, "C");
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_OK);
	assert_int_equal(run(t, path, &sum, &fs), FF_OK);
	assert_int_equal(fs.n, 0);
	assert_int_equal(sum.digest_heads, 2);
	free(path);
}

/* A digest stays valid as the ledger grows past it. */
static void
test_digest_after_growth(void **state)
{
	struct testlib *t = *state;
	struct session aud;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct findings fs;
	struct ff_err err = { 0 };
	char *path = digest_path(t);

	world(t);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_OK);
	assert_int_equal(testlib_ingest(t->ff, "g1", "A", 1, "G1", 100, NULL),
	    INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "g2", "B", 1, "G2", 100, NULL),
	    INGEST_APPLIED);
	testlib_branch(t, "C");
	assert_int_equal(testlib_ingest(t->ff, "g3", "C", 1, "G3", 100, NULL),
	    INGEST_APPLIED);
	assert_int_equal(run(t, path, &sum, &fs), FF_OK);
	if (fs.n != 0) {
		dump(&fs);
		fail_msg("%d findings", fs.n);
	}
	assert_int_equal(sum.digest_heads, 2);
	free(path);
}

/*
 * Rewrites the stored hash of every entry of branch code from entry 1 on,
 * as a forger who knows the chain's rules would, so that each entry
 * matches its hash again.
 */
static void
rehash_account(struct testlib *t, const char *code)
{
	struct ledger_entry e;
	uint8_t prev[FF_HASH_LEN] = { 0 };
	char hex[2 * FF_HASH_LEN + 1];
	char *sql = xasprintf("SELECT COUNT(*) FROM ledger l JOIN branch b ON "
	    "b.id = l.account_id WHERE b.code = '%s'", code);
	int64_t n = testlib_sql_int(t->path, sql);

	free(sql);
	for (int64_t seq = 1; seq <= n; seq++) {
		assert_int_equal(store_ledger_get(t->ff->st, entry_id(t, code, seq),
		    &e), STORE_OK);
		chain_hash(prev, &e, e.hash);
		memcpy(prev, e.hash, FF_HASH_LEN);
		sql = xasprintf("UPDATE ledger SET hash = X'%s' WHERE id = %"
		    PRId64, chain_hex(e.hash, hex), e.id);
		testlib_sql_ok(t->path, sql);
		free(sql);
	}
}

/*
 * An old entry forged with its hash and every later hash recomputed, and
 * the guard put back exactly as it was: only the digest can tell.
 */
static void
test_digest_forged_history(void **state)
{
	struct testlib *t = *state;
	struct session aud;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct findings fs;
	struct ff_err err = { 0 };
	char *path = digest_path(t), *guard, *sql;
	int64_t x;

	world(t);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_OK);

	x = entry_id(t, "A", 2);
	guard = testlib_sql_text(t->path, "SELECT sql FROM sqlite_master "
	    "WHERE name = 'ledger_no_update'");
	sql = xasprintf("DROP TRIGGER ledger_no_update; UPDATE ledger SET "
	    "actor = 'mallory', at = '2018-01-01T00:00:00+00:00' WHERE id = %"
	    PRId64, x);
	testlib_sql_ok(t->path, sql);
	free(sql);
	/* the store's statements see the new schema */
	testlib_reopen(t);
	rehash_account(t, "A");
	sql = xasprintf("%s;", guard);
	testlib_sql_ok(t->path, sql);
	free(sql);
	free(guard);

	/* without the digest the forgery is perfect */
	audit_clean(t, NULL);
	/* with it, A's history is not the one recorded; B's still is */
	assert_int_equal(run(t, path, &sum, &fs), FF_OK);
	expect(&fs, "digest", entry_id(t, "A", 5), 0);
	assert_string_equal(find(&fs, "digest", -1, -1)->branch, "A");
	assert_int_equal(fs.n, 1);
	assert_int_equal(sum.digest_heads, 2);
	free(path);
}

/* The newest entries removed (and the account made to match): the digest
 * records a head the ledger no longer has. */
static void
test_digest_truncated(void **state)
{
	struct testlib *t = *state;
	struct session aud;
	struct audit_opts o = { 0 };
	struct audit_summary sum;
	struct findings fs;
	struct ff_err err = { 0 };
	char *path = digest_path(t), *sql;

	world(t);
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_OK);
	sql = xasprintf("PRAGMA foreign_keys = OFF; "
	    "DROP TRIGGER ledger_no_delete; DROP TRIGGER income_no_delete; "
	    "DELETE FROM ledger WHERE id = %" PRId64 "; "
	    "DELETE FROM income WHERE id = 5; "
	    "UPDATE account SET balance = balance - 1000, withdrawable = "
	    "withdrawable - 1000 WHERE branch_id = (SELECT id FROM branch "
	    "WHERE code = 'A')", entry_id(t, "A", 5));
	testlib_sql_ok(t->path, sql);
	free(sql);
	assert_int_equal(run(t, path, &sum, &fs), FF_OK);
	expect(&fs, "digest", 0, 0);
	assert_string_equal(find(&fs, "digest", -1, -1)->branch, "A");
	expect_only(&fs, "digest schema");
	free(path);
}

static void
test_digest_refused_with_findings(void **state)
{
	struct testlib *t = *state;
	struct session aud;
	struct findings fs = { 0 };
	struct audit_opts o = { .on_finding = on_finding, .arg = &fs };
	struct audit_summary sum;
	struct ff_err err = { 0 };
	char *path = digest_path(t);
	struct stat sb;

	world(t);
	testlib_sql_ok(t->path, "UPDATE account SET total_withdrawn = 1 "
	    "WHERE branch_id = (SELECT id FROM branch WHERE code = 'A')");
	testlib_session(t->ff, "aud", &aud);
	assert_int_equal(audit_write_digest(t->ff, &aud, &o, path, &sum, &err),
	    FF_REFUSED);
	assert_int_equal(fs.n, 1);
	assert_int_not_equal(stat(path, &sb), 0);
	free(path);
}

static void
test_digest_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"hello world\n",
		"\x7f" "ELF\x02\x01\x01",
		"fundflow-digest 2\nA 1 "
		    "0000000000000000000000000000000000000000000000000000000000000000\n",
		"fundflow-digest 1\nA 1 nothex\n",
		"fundflow-digest 1\nA 0 "
		    "0000000000000000000000000000000000000000000000000000000000000000\n",
		"fundflow-digest 1\nA x "
		    "0000000000000000000000000000000000000000000000000000000000000000\n",
		"fundflow-digest 1\nA 1\n",
		"fundflow-digest 1\nTHIS-CODE-IS-FAR-TOO-LONG 1 "
		    "0000000000000000000000000000000000000000000000000000000000000000\n",
		NULL
	};
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	char *path = digest_path(t), *missing = xasprintf("%s/none", t->dir);

	world(t);
	for (size_t i = 0; bad[i] != NULL; i++) {
		testlib_write_file(path, bad[i], strlen(bad[i]));
		if (run(t, path, &sum, &fs) != FF_INVALID)
			fail_msg("digest accepted: %s", bad[i]);
	}
	/* a digest that cannot be read at all is an input/output failure */
	assert_int_equal(run(t, missing, &sum, &fs), FF_IO);
	free(missing);
	free(path);
}

/*
 * Makes the database what a schema-4 fundflow left: every chain in format
 * 1 (no source hashed), no re-hash record, user_version 4; writes a
 * digest of its format-1 heads to digest.
 */
static void
to_format_1(struct testlib *t, const char *digest)
{
	static const char *const codes[] = { "A", "B" };
	char hex[2 * FF_HASH_LEN + 1], *sql, *guard;
	FILE *f = fopen(digest, "w");

	assert_non_null(f);
	fprintf(f, "fundflow-digest 1\n");
	guard = testlib_sql_text(t->path, "SELECT sql FROM sqlite_master "
	    "WHERE name = 'ledger_no_update'");
	testlib_sql_ok(t->path, "DROP TRIGGER ledger_no_update; "
	    "DROP TABLE chain_rehash");
	for (int c = 0; c < 2; c++) {
		uint8_t prev[FF_HASH_LEN] = { 0 };
		struct ledger_entry e;
		int64_t n;

		sql = xasprintf("SELECT COUNT(*) FROM ledger l JOIN branch b ON "
		    "b.id = l.account_id WHERE b.code = '%s'", codes[c]);
		n = testlib_sql_int(t->path, sql);
		free(sql);
		for (int64_t seq = 1; seq <= n; seq++) {
			assert_int_equal(store_ledger_get(t->ff->st,
			    entry_id(t, codes[c], seq), &e), STORE_OK);
			chain_hash_v1(prev, &e, prev);
			sql = xasprintf("UPDATE ledger SET hash = X'%s' WHERE id = %"
			    PRId64, chain_hex(prev, hex), e.id);
			testlib_sql_ok(t->path, sql);
			free(sql);
		}
		fprintf(f, "%s %" PRId64 " %s\n", codes[c], n, chain_hex(prev, hex));
	}
	fclose(f);
	sql = xasprintf("%s; PRAGMA user_version = 4", guard);
	testlib_sql_ok(t->path, sql);
	free(sql);
	free(guard);
}

/*
 * A schema-4 database (chains in format 1) is proved and re-hashed by the
 * migration: the audit is clean, the re-hash record holds each account,
 * a digest taken before still verifies, and the source is covered from
 * then on.  A schema-4 database whose chain does not prove is not
 * migrated at all.
 */
static void
test_migrated_from_format_1(void **state)
{
	struct testlib *t = *state;
	struct audit_summary sum;
	struct findings fs;
	struct ff *ff = NULL;
	struct ff_err err = { 0 };
	char *digest = digest_path(t), *copy, *sql;
	int64_t x;

	world(t);
	to_format_1(t, digest);
	copy = xasprintf("%s.v4", t->path);
	sql = xasprintf("VACUUM INTO '%s'", copy);
	testlib_sql_ok(t->path, sql);
	free(sql);
	testlib_reopen(t);
	assert_int_equal(testlib_sql_int(t->path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "chain_rehash"), 2);
	audit_clean(t, NULL);
	audit_clean(t, digest);
	x = testlib_sql_int(t->path, "SELECT id FROM ledger WHERE income_id = 1");
	testlib_sql_ok(t->path, "DROP TRIGGER income_no_update; "
	    "UPDATE income SET ref_id = 'FORGED', ikey = 'R:FORGED' "
	    "WHERE id = 1");
	assert_int_equal(run(t, NULL, &sum, &fs), FF_OK);
	expect(&fs, "hash", x, 0);

	/* The copy, its time changed behind the program's back. */
	{
		char *guard = testlib_sql_text(copy, "SELECT sql FROM "
		    "sqlite_master WHERE name = 'ledger_no_update'");

		sql = xasprintf("DROP TRIGGER ledger_no_update; UPDATE ledger "
		    "SET at = '2001-01-01T00:00:00+00:00' WHERE id = 2; %s",
		    guard);
		testlib_sql_ok(copy, sql);
		free(sql);
		free(guard);
	}
	if (ff_open(t->cfg, copy, 0, &ff, &err) != FF_SCHEMA)
		fail_msg("opening the tampered copy: %s", err.msg);
	assert_null(ff);
	assert_non_null(strstr(err.msg, "the ledger does not prove in its old "
	    "format (entry #2"));
	assert_int_equal(testlib_sql_int(copy, "PRAGMA user_version"), 4);
	assert_int_equal(testlib_sql_int(copy, "SELECT COUNT(*) FROM "
	    "sqlite_master WHERE name = 'chain_rehash'"), 0);
	free(copy);
	free(digest);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, testlib_setup, testlib_teardown)
	const struct CMUnitTest tests[] = {
		T(test_denied),
		T(test_empty),
		T(test_clean),
		T(test_repeatable_refs_clean),
		T(test_ledger_amount_changed),
		T(test_ledger_post_changed),
		T(test_entry_deleted),
		T(test_balance_changed),
		T(test_withdrawable_changed),
		T(test_total_withdrawn_changed),
		T(test_income_deleted),
		T(test_decision_changed),
		T(test_duplicate_reference),
		T(test_stored_hash_changed),
		T(test_dropped_guards),
		T(test_digest_clean),
		T(test_digest_after_growth),
		T(test_digest_forged_history),
		T(test_digest_truncated),
		T(test_digest_refused_with_findings),
		T(test_migrated_from_format_1),
		T(test_digest_garbage),
	};
#undef T

	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
