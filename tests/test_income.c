/*
 * test_income.c — income events into incomes: applied, duplicate,
 * conflict, rejected; the chain each one extends; and the JSON Lines
 * stream with its groups, line numbers and bad lines.
 */
#include "testlib.h"

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/auth.h"
#include "model/chain.h"
#include "model/income.h"
#include "store/store.h"
#include "store/xmalloc.h"

/* One event line. */
#define EV(eid, branch, type, ref, amount) \
	"{\"event_id\":\"" eid "\",\"branch\":\"" branch "\",\"buss_type\":" \
	#type ",\"ref_id\":\"" ref "\",\"amount\":\"" amount "\"}"
#define EV_NOID(branch, type, ref, amount) \
	"{\"branch\":\"" branch "\",\"buss_type\":" #type ",\"ref_id\":\"" \
	ref "\",\"amount\":\"" amount "\"}"

#define MAX_REJECTS 64

struct rejects {
	int n;
	int64_t line[MAX_REJECTS];
	char reason[MAX_REJECTS][256];
};

static void	on_reject(void *, int64_t, const char *);
static void	two_branches(struct testlib *);
static int	count(struct testlib *, const char *);
static int	stream_fd(struct testlib *, int, int, struct ingest_counts *,
		    struct rejects *);
static int	stream_text(struct testlib *, const char *, size_t, int,
		    struct ingest_counts *, struct rejects *);
static void	expect_counts(const struct ingest_counts *, int64_t, int64_t,
		    int64_t, int64_t);
static void	expect_reject(const struct rejects *, int, int64_t,
		    const char *);
static void	check_chains(struct testlib *);
static int	walk_entry(void *, const struct ledger_entry *);
static int	first_income(void *, const struct income *);
static char	*long_line(size_t, const char *, const char *);
static void	stream_pipe(struct testlib *, const char *, size_t, int, int,
		    struct ingest_counts *, struct rejects *);

static void	test_unknown_type(void **);
static void	test_unknown_branch(void **);
static void	test_repeatable_needs_event_id(void **);
static void	test_not_positive(void **);
static void	test_applied(void **);
static void	test_duplicate(void **);
static void	test_conflict_amount(void **);
static void	test_conflict_branch(void **);
static void	test_repeatable(void **);
static void	test_not_withdrawable(void **);
static void	test_chain_continuity(void **);
static void	test_stream_held_rows(void **);
static void	test_overflow(void **);
static void	test_stream_empty(void **);
static void	test_stream_stop(void **);
static void	test_stream_mixed(void **);
static void	test_stream_bad_lines_isolated(void **);
static void	test_stream_long_line(void **);
static void	test_stream_line_at_limit(void **);
static void	test_stream_last_line_groups(void **);
static void	test_stream_last_line_crlf(void **);
static void	test_stream_pipe(void **);
static void	test_stream_group_sizes(void **);
static void	test_concurrent_feeders(void **);
static void	test_stream_overflow(void **);
static void	test_events_array(void **);

static void
on_reject(void *arg, int64_t lineno, const char *reason)
{
	struct rejects *r = arg;

	if (r->n < MAX_REJECTS) {
		r->line[r->n] = lineno;
		snprintf(r->reason[r->n], sizeof(r->reason[r->n]), "%s", reason);
	}
	r->n++;
}

static void
two_branches(struct testlib *t)
{
	testlib_branch(t, "A");
	testlib_branch(t, "B");
}

/* SELECT COUNT(*) FROM table. */
static int
count(struct testlib *t, const char *table)
{
	char *sql = xasprintf("SELECT COUNT(*) FROM %s", table);
	int n = (int)testlib_sql_int(t->path, sql);

	free(sql);
	return n;
}

static int
stream_fd(struct testlib *t, int fd, int group_max, struct ingest_counts *c,
    struct rejects *r)
{
	struct ingest_opts o = { .fd = fd, .on_reject = on_reject, .arg = r,
	    .group_max = group_max };
	struct ff_err err = { 0 };
	int rc;

	memset(r, 0, sizeof(*r));
	memset(c, 0xff, sizeof(*c));
	rc = income_ingest_stream(t->ff, &o, c, &err);
	if (rc != FF_OK)
		fail_msg("income_ingest_stream: %s", err.msg);
	return rc;
}

/* Streams len bytes of text from a file. */
static int
stream_text(struct testlib *t, const char *text, size_t len, int group_max,
    struct ingest_counts *c, struct rejects *r)
{
	char *path = xasprintf("%s/events.jsonl", t->dir);
	int fd, rc;

	testlib_write_file(path, text, len);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	rc = stream_fd(t, fd, group_max, c, r);
	close(fd);
	unlink(path);
	free(path);
	return rc;
}

static void
expect_counts(const struct ingest_counts *c, int64_t applied,
    int64_t duplicate, int64_t conflict, int64_t rejected)
{
	if (c->applied != applied || c->duplicate != duplicate ||
	    c->conflict != conflict || c->rejected != rejected)
		fail_msg("counts applied %" PRId64 ", duplicate %" PRId64
		    ", conflict %" PRId64 ", rejected %" PRId64 "; want %"
		    PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64, c->applied,
		    c->duplicate, c->conflict, c->rejected, applied, duplicate,
		    conflict, rejected);
}

/* The i-th rejection is of line lineno, with a reason containing want. */
static void
expect_reject(const struct rejects *r, int i, int64_t lineno, const char *want)
{
	if (i >= r->n)
		fail_msg("rejection %d of line %" PRId64 " missing (%d in all)",
		    i, lineno, r->n);
	if (r->line[i] != lineno || strstr(r->reason[i], want) == NULL)
		fail_msg("rejection %d: line %" PRId64 " \"%s\"; want line %"
		    PRId64 " with \"%s\"", i, r->line[i], r->reason[i], lineno,
		    want);
}

struct walk {
	struct store *st;		/* for each entry's source */
	int64_t account_id, n;
	money_t post;
	uint8_t prev[FF_HASH_LEN];
	const char *err;
};

static int
walk_entry(void *arg, const struct ledger_entry *e)
{
	struct walk *w = arg;
	uint8_t h[FF_HASH_LEN];

	if (e->account_id != w->account_id)
		w->err = "entry of another account";
	else if (e->seq != w->n + 1)
		w->err = "seq gap";
	else if (e->pre_amount != w->post)
		w->err = "pre_amount is not the previous post_amount";
	else if (e->post_amount != e->pre_amount + e->amount)
		w->err = "post_amount is not pre + amount";
	{
		/* A listing leaves the source out; the hash covers it. */
		struct ledger_entry full;

		if (store_ledger_get(w->st, e->id, &full) != STORE_OK)
			w->err = "entry cannot be read";
		chain_hash(w->prev, &full, h);
	}
	if (w->err == NULL && memcmp(h, e->hash, FF_HASH_LEN) != 0)
		w->err = "hash is not SHA-256(previous hash, entry)";
	memcpy(w->prev, e->hash, FF_HASH_LEN);
	w->post = e->post_amount;
	w->n++;
	return w->err != NULL;
}

/* Every account's chain, walked oldest first: seq 1..n, pre = previous
 * post, post = pre + amount, each hash from its predecessor, and the
 * balance at its end. */
static void
check_chains(struct testlib *t)
{
	struct account *list = NULL;
	size_t n = 0;

	assert_int_equal(store_account_list(t->ff->st, 0, &list, &n), STORE_OK);
	for (size_t i = 0; i < n; i++) {
		struct ledger_filter f = { .account_id = list[i].branch_id,
		    .oldest_first = 1 };
		struct walk w;

		memset(&w, 0, sizeof(w));
		w.st = t->ff->st;
		w.account_id = list[i].branch_id;
		assert_int_equal(store_ledger_each(t->ff->st, &f, walk_entry, &w),
		    STORE_OK);
		if (w.err != NULL)
			fail_msg("%s, entry %" PRId64 ": %s", list[i].code, w.n,
			    w.err);
		assert_int_equal(list[i].balance, w.post);
	}
	free(list);
}

static void
test_unknown_type(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	char *before, *after;

	two_branches(t);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 99, "R1", 100, &err),
	    INGEST_REJECTED);
	assert_non_null(strstr(err.msg, "99"));
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_unknown_branch(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	char *before, *after;

	two_branches(t);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "e1", "ZZ", 1, "R1", 100, &err),
	    INGEST_REJECTED);
	assert_non_null(strstr(err.msg, "ZZ"));
	/* a branch code differing only in case is another branch */
	assert_int_equal(testlib_ingest(t->ff, "e1", "a", 1, "R1", 100, &err),
	    INGEST_REJECTED);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	assert_int_equal(count(t, "income_conflict"), 0);
	free(before);
	free(after);
}

static void
test_repeatable_needs_event_id(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	char *before, *after;

	two_branches(t);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "", "A", 16, "ADJ-1", 100, &err),
	    INGEST_REJECTED);
	assert_non_null(strstr(err.msg, "event_id"));
	assert_int_equal(testlib_ingest(t->ff, NULL, "A", 17, "BON-1", 100, &err),
	    INGEST_REJECTED);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* The parser never hands over an amount <= 0; if a caller does, nothing
 * is applied. */
static void
test_not_positive(void **state)
{
	struct testlib *t = *state;
	static const money_t amounts[] = { 0, -1, INT64_MIN };
	char *before, *after;

	two_branches(t);
	before = testlib_fingerprint(t->path);
	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		struct event ev;
		struct ff_err err = { 0 };
		enum ingest_outcome oc = INGEST_APPLIED;
		int rc;

		memset(&ev, 0, sizeof(ev));
		snprintf(ev.branch, sizeof(ev.branch), "A");
		ev.buss_type = 1;
		snprintf(ev.ref_id, sizeof(ev.ref_id), "NEG-%zu", i);
		ev.amount = amounts[i];
		rc = income_ingest_event(t->ff, &ev, &oc, &err);
		assert_true(rc != FF_OK || oc == INGEST_REJECTED);
	}
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static int
first_income(void *arg, const struct income *in)
{
	*(struct income *)arg = *in;
	return 1;
}

static void
test_applied(void **state)
{
	struct testlib *t = *state;
	struct ledger_entry e;
	struct account a, b;
	struct income in;
	struct income_filter f = { 0 };
	uint8_t zero[FF_HASH_LEN] = { 0 }, h[FF_HASH_LEN];
	struct event ev;
	struct ff_err err = { 0 };
	enum ingest_outcome oc;

	two_branches(t);
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.event_id, sizeof(ev.event_id), "m-0001");
	snprintf(ev.branch, sizeof(ev.branch), "A");
	ev.buss_type = 1;
	snprintf(ev.ref_id, sizeof(ev.ref_id), "ORD-20180606-001");
	ev.amount = 12500;
	snprintf(ev.occurred_at, sizeof(ev.occurred_at),
	    "2018-06-06T08:47:43+08:00");
	assert_int_equal(income_ingest_event(t->ff, &ev, &oc, &err), FF_OK);
	assert_int_equal(oc, INGEST_APPLIED);

	/* the income */
	assert_int_equal(count(t, "income"), 1);
	assert_int_equal(store_income_each(t->ff->st, &f, first_income, &in),
	    STORE_OK);
	assert_string_equal(in.branch_code, "A");
	assert_int_equal(in.buss_type, 1);
	assert_string_equal(in.ref_id, "ORD-20180606-001");
	assert_string_equal(in.event_id, "m-0001");
	assert_string_equal(in.ikey, "R:ORD-20180606-001");
	assert_int_equal(in.amount, 12500);
	assert_int_equal(in.withdrawable, 1);
	assert_string_equal(in.occurred_at, "2018-06-06T08:47:43+08:00");
	assert_string_equal(in.received_at, "2026-01-02T03:04:05+00:00");

	/* its entry */
	assert_int_equal(count(t, "ledger"), 1);
	assert_int_equal(store_ledger_get(t->ff->st, 1, &e), STORE_OK);
	assert_string_equal(e.branch_code, "A");
	assert_int_equal(e.seq, 1);
	assert_int_equal(e.kind, ENTRY_INCOME);
	assert_int_equal(e.source_id, in.id);
	assert_int_equal(e.pre_amount, 0);
	assert_int_equal(e.amount, 12500);
	assert_int_equal(e.post_amount, 12500);
	assert_string_equal(e.actor, "feeder");
	assert_int_equal(e.buss_type, 1);
	assert_string_equal(e.ref, "ORD-20180606-001");
	chain_hash(zero, &e, h);
	assert_memory_equal(h, e.hash, FF_HASH_LEN);

	/* the account, and only that one */
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 12500);
	assert_int_equal(a.withdrawable, 12500);
	assert_int_equal(a.total_withdrawn, 0);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(b.balance, 0);
	assert_int_equal(b.withdrawable, 0);

	/* a second income continues the chain */
	assert_int_equal(testlib_ingest(t->ff, "m-0002", "A", 2, "FEE-1", 75, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 12575);
	assert_int_equal(a.withdrawable, 12575);
	assert_int_equal(store_ledger_get(t->ff->st, 2, &e), STORE_OK);
	assert_int_equal(e.seq, 2);
	assert_int_equal(e.pre_amount, 12500);
	assert_int_equal(e.post_amount, 12575);
	check_chains(t);
	assert_int_equal(count(t, "income_conflict"), 0);
}

static void
test_duplicate(void **state)
{
	struct testlib *t = *state;
	char *before, *after;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_APPLIED);
	before = testlib_fingerprint(t->path);
	/* redelivered under a new message id, and under the same one */
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 1, "R1", 10000, NULL),
	    INGEST_DUPLICATE);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_DUPLICATE);
	assert_int_equal(testlib_ingest(t->ff, "", "A", 1, "R1", 10000, NULL),
	    INGEST_DUPLICATE);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	assert_int_equal(count(t, "income_conflict"), 0);
	/* the same reference under another type is another income */
	assert_int_equal(testlib_ingest(t->ff, "e3", "A", 2, "R1", 10000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(count(t, "income"), 2);
	free(before);
	free(after);
}

static void
test_conflict_amount(void **state)
{
	struct testlib *t = *state;
	char *before, *after;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_APPLIED);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 1, "R1", 10001, NULL),
	    INGEST_CONFLICT);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(count(t, "income_conflict"), 1);
	/* kept with both versions: the income it clashes with, and its own */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "income_conflict c JOIN income i ON i.id = c.income_id WHERE "
	    "i.amount = 10000 AND c.amount = 10001 AND c.event_id = 'e2' "
	    "AND c.ref_id = 'R1' AND c.branch_id = i.branch_id"), 1);
	/* the same conflicting delivery again: a conflict, kept once */
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 1, "R1", 10001, NULL),
	    INGEST_CONFLICT);
	assert_int_equal(count(t, "income_conflict"), 1);
	/* another amount again: kept too */
	assert_int_equal(testlib_ingest(t->ff, "e3", "A", 1, "R1", 9999, NULL),
	    INGEST_CONFLICT);
	assert_int_equal(count(t, "income_conflict"), 2);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void
test_conflict_branch(void **state)
{
	struct testlib *t = *state;
	struct account b;
	char *before, *after;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_APPLIED);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "e1", "B", 1, "R1", 10000, NULL),
	    INGEST_CONFLICT);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(b.balance, 0);
	assert_int_equal(count(t, "income_conflict"), 1);
	assert_int_equal(testlib_sql_int(t->path, "SELECT c.branch_id FROM "
	    "income_conflict c"), 2);
	free(before);
	free(after);
}

static void
test_repeatable(void **state)
{
	struct testlib *t = *state;
	struct account a;
	char *before, *after;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "m1", "A", 16, "ADJ", 5000, NULL),
	    INGEST_APPLIED);
	/* the same reference under a new event id is a new income */
	assert_int_equal(testlib_ingest(t->ff, "m2", "A", 16, "ADJ", 5000, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 10000);
	assert_int_equal(a.withdrawable, 10000);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM income "
	    "WHERE ikey IN ('E:m1', 'E:m2') AND ref_id = 'ADJ'"), 2);
	before = testlib_fingerprint(t->path);
	/* the same event id again: a duplicate, whatever the reference */
	assert_int_equal(testlib_ingest(t->ff, "m1", "A", 16, "ADJ", 5000, NULL),
	    INGEST_DUPLICATE);
	assert_int_equal(testlib_ingest(t->ff, "m1", "A", 16, "OTHER", 5000, NULL),
	    INGEST_DUPLICATE);
	/* ... with another amount or branch: a conflict */
	assert_int_equal(testlib_ingest(t->ff, "m1", "A", 16, "ADJ", 5001, NULL),
	    INGEST_CONFLICT);
	assert_int_equal(testlib_ingest(t->ff, "m1", "B", 16, "ADJ", 5000, NULL),
	    INGEST_CONFLICT);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	assert_int_equal(count(t, "income_conflict"), 2);
	/* the same event id under another repeatable type is another key */
	assert_int_equal(testlib_ingest(t->ff, "m1", "A", 17, "ADJ", 5000, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 15000);
	check_chains(t);
	free(before);
	free(after);
}

static void
test_not_withdrawable(void **state)
{
	struct testlib *t = *state;
	struct account a;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "d1", "A", 8, "DEP-1", 100000, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 100000);
	assert_int_equal(a.withdrawable, 0);
	assert_int_equal(testlib_sql_int(t->path, "SELECT withdrawable FROM "
	    "income"), 0);
	assert_int_equal(testlib_ingest(t->ff, "s1", "A", 1, "ORD-1", 500, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 100500);
	assert_int_equal(a.withdrawable, 500);
	check_chains(t);
}

/* A configured type with withdrawable = false, besides the defaults. */
static void
test_events_array(void **state)
{
	static const char cfg[] =
	    "business_types = (\n"
	    "  { code = 1; name = \"Sales\"; withdrawable = true; "
	    "repeatable = false; },\n"
	    "  { code = 40; name = \"Escrow\"; withdrawable = false; "
	    "repeatable = true; }\n"
	    ");\n";
	struct testlib t;
	struct event evs[4];
	struct ingest_counts c;
	struct ff_err err = { 0 };
	struct account a;

	(void)state;
	testlib_open(&t, cfg);
	two_branches(&t);
	memset(evs, 0, sizeof(evs));
	for (int i = 0; i < 4; i++) {
		snprintf(evs[i].branch, sizeof(evs[i].branch), "A");
		snprintf(evs[i].ref_id, sizeof(evs[i].ref_id), "X");
		evs[i].amount = 1000;
	}
	evs[0].buss_type = 1;			/* applied */
	evs[1].buss_type = 1;			/* duplicate */
	evs[2].buss_type = 40;			/* applied, not withdrawable */
	snprintf(evs[2].event_id, sizeof(evs[2].event_id), "q1");
	evs[3].buss_type = 2;			/* not in this config */
	assert_int_equal(income_ingest_events(t.ff, evs, 4, &c, &err), FF_OK);
	expect_counts(&c, 2, 1, 0, 1);
	testlib_account(t.ff, "A", &a);
	assert_int_equal(a.balance, 2000);
	assert_int_equal(a.withdrawable, 1000);
	testlib_close(&t);
}

static void
test_chain_continuity(void **state)
{
	static const char *const codes[] = { "A", "B", "C" };
	static const int types[] = { 1, 2, 3, 8, 16, 17 };
	struct testlib *t = *state;
	money_t sum[3] = { 0 }, wsum[3] = { 0 };
	uint32_t x = 12345;
	struct account a;

	two_branches(t);
	testlib_branch(t, "C");
	for (int i = 0; i < 300; i++) {
		char eid[32], ref[32];
		int b, ty;
		money_t amt;
		enum ingest_outcome oc;

		x = x * 1103515245u + 12345u;
		b = (int)((x >> 16) % 3);
		ty = types[(x >> 8) % 6];
		amt = (money_t)(x % 1000000) + 1;
		snprintf(eid, sizeof(eid), "ev-%d", i);
		/* every seventh event is a redelivery of an earlier one */
		snprintf(ref, sizeof(ref), "ref-%d", i % 7 == 6 ? i - 1 : i);
		oc = testlib_ingest(t->ff, eid, codes[b], ty, ref, amt, NULL);
		if (oc == INGEST_APPLIED) {
			sum[b] += amt;
			if (ty != 8)
				wsum[b] += amt;
		} else {
			assert_true(i % 7 == 6);
		}
	}
	check_chains(t);
	for (int b = 0; b < 3; b++) {
		testlib_account(t->ff, codes[b], &a);
		assert_int_equal(a.balance, sum[b]);
		assert_int_equal(a.withdrawable, wsum[b]);
	}
	assert_int_equal(count(t, "ledger"), count(t, "income"));
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger l "
	    "LEFT JOIN ledger p ON p.account_id = l.account_id AND "
	    "p.seq = l.seq - 1 WHERE l.pre_amount <> COALESCE(p.post_amount, 0) "
	    "OR l.post_amount <> l.pre_amount + l.amount "
	    "OR (l.seq > 1 AND p.id IS NULL)"), 0);
}

static void
test_overflow(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	struct account a;
	char *before, *after;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "big", "A", 1, "BIG",
	    INT64_MAX - 100, NULL), INGEST_APPLIED);
	before = testlib_fingerprint(t->path);
	/* withdrawable and balance would both pass INT64_MAX */
	assert_int_equal(testlib_ingest(t->ff, "o1", "A", 1, "O1", 101, &err),
	    INGEST_REJECTED);
	assert_non_null(strstr(err.msg, "overflow"));
	/* only the balance would (a deposit) */
	assert_int_equal(testlib_ingest(t->ff, "o2", "A", 8, "O2", 101, &err),
	    INGEST_REJECTED);
	assert_non_null(strstr(err.msg, "overflow"));
	assert_int_equal(testlib_ingest(t->ff, "o3", "A", 16, "O3", INT64_MAX,
	    &err), INGEST_REJECTED);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(count(t, "income_conflict"), 0);
	/* other branches are not affected */
	assert_int_equal(testlib_ingest(t->ff, "b1", "B", 1, "O1", 101, NULL),
	    INGEST_APPLIED);
	/* up to exactly INT64_MAX is fine */
	assert_int_equal(testlib_ingest(t->ff, "o4", "A", 1, "O4", 100, NULL),
	    INGEST_APPLIED);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, INT64_MAX);
	assert_int_equal(a.withdrawable, INT64_MAX);
	before = testlib_fingerprint(t->path);
	assert_int_equal(testlib_ingest(t->ff, "o5", "A", 1, "O5", 1, NULL),
	    INGEST_REJECTED);
	after = testlib_fingerprint(t->path);
	assert_string_equal(before, after);
	check_chains(t);
	free(before);
	free(after);
}

static void
test_stream_empty(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;

	two_branches(t);
	stream_text(t, "", 0, 0, &c, &r);
	expect_counts(&c, 0, 0, 0, 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(count(t, "income"), 0);
}

static void
test_stream_stop(void **state)
{
	static const char text[] = EV("e1", "A", 1, "R1", "1.00") "\n";
	struct testlib *t = *state;
	volatile sig_atomic_t stop = 1;
	struct ingest_counts c;
	struct rejects r = { 0 };
	struct ff_err err = { 0 };
	char *path = xasprintf("%s/ev", t->dir);
	struct ingest_opts o = { .on_reject = on_reject, .arg = &r,
	    .stop = &stop };

	two_branches(t);
	testlib_write_file(path, text, strlen(text));
	o.fd = open(path, O_RDONLY);
	assert_true(o.fd >= 0);
	assert_int_equal(income_ingest_stream(t->ff, &o, &c, &err), FF_OK);
	expect_counts(&c, 0, 0, 0, 0);
	assert_int_equal(count(t, "income"), 0);
	close(o.fd);
	free(path);
}

/* Good and bad lines of every kind, one after the other. */
static const char mixed[] =
	EV("e1", "A", 1, "R1", "100.00") "\n"		/* 1 applied */
	"this is not json\n"				/* 2 rejected */
	EV("e2", "A", 1, "R1", "100.00") "\n"		/* 3 duplicate */
	"{\"buss_type\":1,\"ref_id\":\"R9\",\"amount\":\"1\"}\n"	/* 4 rej */
	EV("e3", "ZZ", 1, "R2", "5.00") "\n"		/* 5 rejected: branch */
	EV("e4", "A", 99, "R3", "5.00") "\n"		/* 6 rejected: type */
	EV("e5", "A", 1, "R1", "100.01") "\n"		/* 7 conflict */
	EV_NOID("A", 16, "ADJ", "3.00") "\n"		/* 8 rejected: event_id */
	EV("e6", "B", 2, "F1", "0.50") "\r\n"		/* 9 applied (CRLF) */
	"\n"						/* 10 rejected: empty */
	EV("e7", "A", 1, "R4", "-1.00") "\n"		/* 11 rejected: amount */
	EV("e8", "A", 1, "R5", "1.001") "\n"		/* 12 rejected: amount */
	"{\"branch\":\"A\",\"buss_type\":16,\"ref_id\":\"ADJ\","
	    "\"amount\":3,\"event_id\":\"x1\",\"extra\":[1,{\"y\":null}]}\n"
							/* 13 applied */
	EV("e9", "B", 1, "R1", "100.00") "\n"		/* 14 conflict: branch */
	"[1,2,3]\n"					/* 15 rejected */
	EV("e10", "A", 3, "C1", "12.34");		/* 16 applied, no \n */

/* The good lines of mixed alone, in the same order. */
static const char mixed_good[] =
	EV("e1", "A", 1, "R1", "100.00") "\n"
	EV("e6", "B", 2, "F1", "0.50") "\r\n"
	"{\"branch\":\"A\",\"buss_type\":16,\"ref_id\":\"ADJ\","
	    "\"amount\":3,\"event_id\":\"x1\"}\n"
	EV("e10", "A", 3, "C1", "12.34") "\n";

static void
test_stream_mixed(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	struct account a, b;

	two_branches(t);
	stream_text(t, mixed, strlen(mixed), 0, &c, &r);
	expect_counts(&c, 4, 1, 2, 9);
	assert_int_equal(r.n, 9);
	expect_reject(&r, 0, 2, "JSON");
	expect_reject(&r, 1, 4, "branch");
	expect_reject(&r, 2, 5, "ZZ");
	expect_reject(&r, 3, 6, "99");
	expect_reject(&r, 4, 8, "event_id");
	expect_reject(&r, 5, 10, "empty");
	expect_reject(&r, 6, 11, "");
	expect_reject(&r, 7, 12, "");
	expect_reject(&r, 8, 15, "");
	testlib_account(t->ff, "A", &a);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(a.balance, 10000 + 300 + 1234);
	assert_int_equal(a.withdrawable, 10000 + 300 + 1234);
	assert_int_equal(b.balance, 50);
	assert_int_equal(count(t, "income"), 4);
	assert_int_equal(count(t, "income_conflict"), 2);
	check_chains(t);

	/* Fed again: every good line is now a duplicate. */
	stream_text(t, mixed, strlen(mixed), 0, &c, &r);
	expect_counts(&c, 0, 5, 2, 9);
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 10000 + 300 + 1234);
	assert_int_equal(count(t, "income_conflict"), 2);
}

/* The bad lines change nothing the good ones do: the same good lines
 * alone leave exactly the same incomes, ledger (hashes too) and
 * accounts. */
static void
test_stream_bad_lines_isolated(void **state)
{
	struct testlib *t = *state, u;
	struct ingest_counts c;
	struct rejects r;
	char *with_bad, *alone;

	two_branches(t);
	stream_text(t, mixed, strlen(mixed), 0, &c, &r);
	with_bad = testlib_fingerprint(t->path);

	testlib_open(&u, NULL);
	two_branches(&u);
	stream_text(&u, mixed_good, strlen(mixed_good), 0, &c, &r);
	expect_counts(&c, 4, 0, 0, 0);
	alone = testlib_fingerprint(u.path);
	testlib_close(&u);
	assert_string_equal(with_bad, alone);
	free(with_bad);
	free(alone);
}

/* A line that is valid JSON but longer than 64 KiB. */
static char *
long_line(size_t len, const char *eid, const char *ref)
{
	char *head = xasprintf("{\"event_id\":\"%s\",\"branch\":\"A\","
	    "\"buss_type\":1,\"ref_id\":\"%s\",\"amount\":\"1.00\",\"pad\":\"",
	    eid, ref);
	size_t hl = strlen(head);
	char *s = xmalloc(len + 1);

	assert_true(len > hl + 2);
	memcpy(s, head, hl);
	memset(s + hl, 'x', len - hl - 2);
	memcpy(s + len - 2, "\"}", 2);
	s[len] = '\0';
	free(head);
	return s;
}

static void
test_stream_long_line(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	char *l2 = long_line(65537, "e2", "R2");
	char *l4 = long_line(200000, "e4", "R4");
	char *text = xasprintf("%s\n%s\n%s\n%s\n%s\n",
	    EV("e1", "A", 1, "R1", "1.00"), l2, EV("e3", "A", 1, "R3", "2.00"),
	    l4, EV("e5", "A", 1, "R5", "4.00"));
	struct account a;

	two_branches(t);
	stream_text(t, text, strlen(text), 0, &c, &r);
	expect_counts(&c, 3, 0, 0, 2);
	expect_reject(&r, 0, 2, "too long");
	expect_reject(&r, 1, 4, "too long");
	testlib_account(t->ff, "A", &a);
	assert_int_equal(a.balance, 700);
	/* a long last line without a newline */
	free(text);
	text = xasprintf("%s\n%s", EV("e6", "A", 1, "R6", "8.00"), l4);
	stream_text(t, text, strlen(text), 0, &c, &r);
	expect_counts(&c, 1, 0, 0, 1);
	expect_reject(&r, 0, 2, "too long");
	free(text);
	free(l2);
	free(l4);
}

/* A line of exactly 64 KiB (the newline aside) is not too long. */
static void
test_stream_line_at_limit(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	char *l2 = long_line(65536, "e2", "R2");
	char *text = xasprintf("%s\n%s\n%s\n", EV("e1", "A", 1, "R1", "1.00"),
	    l2, EV("e3", "A", 1, "R3", "2.00"));

	two_branches(t);
	stream_text(t, text, strlen(text), 0, &c, &r);
	expect_counts(&c, 3, 0, 0, 0);
	free(text);
	free(l2);
}

/*
 * The last line without a newline counts however the input is cut into
 * groups, and when it arrives through a pipe whose writer closes it only
 * later.
 */
static void
test_stream_last_line_groups(void **state)
{
	static const char text[] =
	    EV("e1", "A", 1, "R1", "1.00") "\n"
	    EV("e2", "A", 1, "R2", "2.00") "\n"
	    EV("e3", "A", 1, "R3", "4.00");
	static const int groups[] = { 1, 2, 3, 0 };
	struct testlib *t = *state;

	(void)t;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct testlib u;
		struct ingest_counts c;
		struct rejects r;
		struct account a;

		testlib_open(&u, NULL);
		two_branches(&u);
		stream_text(&u, text, strlen(text), groups[g], &c, &r);
		if (c.applied != 3)
			fail_msg("group_max %d: applied %" PRId64 " of 3 lines, "
			    "rejected %" PRId64, groups[g], c.applied, c.rejected);
		testlib_account(u.ff, "A", &a);
		assert_int_equal(a.balance, 700);
		stream_pipe(&u, text, 1000, 100, groups[g], &c, &r);
		if (c.duplicate != 3)
			fail_msg("group_max %d, pipe: duplicate %" PRId64 " of 3 "
			    "lines", groups[g], c.duplicate);
		testlib_close(&u);
	}
}

static void
test_stream_last_line_crlf(void **state)
{
	static const char text[] =
	    EV("e1", "A", 1, "R1", "1.00") "\r\n"
	    EV("e2", "A", 1, "R2", "2.00") "\r\n"
	    "garbage\r\n"
	    EV("e3", "B", 1, "R3", "4.00");
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	struct account a, b;

	two_branches(t);
	stream_text(t, text, strlen(text), 0, &c, &r);
	expect_counts(&c, 3, 0, 0, 1);
	expect_reject(&r, 0, 3, "JSON");
	testlib_account(t->ff, "A", &a);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(a.balance, 300);
	assert_int_equal(b.balance, 400);
	/* a reference carried with CRLF is stored without the CR */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM income "
	    "WHERE ref_id LIKE '%\r%' OR event_id LIKE '%\r%'"),
	    0);
}

/*
 * Streams text through a pipe from a child that writes it in pieces of
 * step bytes (splitting lines), pausing between pieces and, when
 * linger_ms > 0, before closing its end.
 */
static void
stream_pipe(struct testlib *t, const char *text, size_t step, int linger_ms,
    int group_max, struct ingest_counts *c, struct rejects *r)
{
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t len = strlen(text), off = 0;

		close(fds[0]);
		while (off < len) {
			size_t k = len - off < step ? len - off : step;

			if (write(fds[1], text + off, k) != (ssize_t)k)
				_exit(1);
			off += k;
			usleep(2000);
		}
		if (linger_ms > 0)
			usleep((useconds_t)linger_ms * 1000);
		_exit(0);
	}
	close(fds[1]);
	stream_fd(t, fds[0], group_max, c, r);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Lines through a pipe, written in pieces that split lines. */
static void
test_stream_pipe(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	struct account a, b;
	char *text = xasprintf("%s\n", mixed);

	two_branches(t);
	stream_pipe(t, text, 37, 0, 0, &c, &r);
	free(text);
	expect_counts(&c, 4, 1, 2, 9);
	expect_reject(&r, 0, 2, "JSON");
	expect_reject(&r, 5, 10, "empty");
	expect_reject(&r, 8, 15, "");
	testlib_account(t->ff, "A", &a);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(a.balance, 10000 + 300 + 1234);
	assert_int_equal(b.balance, 50);
}

/* group_max 1, 2, 5 and the default give the same database. */
static void
test_stream_group_sizes(void **state)
{
	static const int groups[] = { 1, 2, 5, 0 };
	struct testlib *t = *state;
	char *first = NULL;
	size_t len = 0;
	char *text = NULL;

	(void)t;
	/* 120 lines: applied, duplicates, conflicts, rejections mixed */
	for (int i = 0; i < 120; i++) {
		char line[256];
		char *n;

		switch (i % 6) {
		case 0: case 1: case 2:
			snprintf(line, sizeof(line), "{\"event_id\":\"e%d\","
			    "\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"R%d\","
			    "\"amount\":\"%d.%02d\"}\n", i, i % 4 ? "A" : "B", i,
			    i + 1, i % 100);
			break;
		case 3:		/* redelivery of line i - 3 */
			snprintf(line, sizeof(line), "{\"event_id\":\"x%d\","
			    "\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"R%d\","
			    "\"amount\":\"%d.%02d\"}\n", i, (i - 3) % 4 ? "A" : "B",
			    i - 3, i - 2, (i - 3) % 100);
			break;
		case 4:		/* conflict with line i - 3 */
			snprintf(line, sizeof(line), "{\"event_id\":\"y%d\","
			    "\"branch\":\"A\",\"buss_type\":1,\"ref_id\":\"R%d\","
			    "\"amount\":\"999.99\"}\n", i, i - 3);
			break;
		default:
			snprintf(line, sizeof(line), "{\"branch\":\"A\"}\n");
			break;
		}
		n = xasprintf("%s%s", text ? text : "", line);
		free(text);
		text = n;
	}
	len = strlen(text);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct testlib u;
		struct ingest_counts c;
		struct rejects r;
		char *fp;

		testlib_open(&u, NULL);
		two_branches(&u);
		stream_text(&u, text, len, groups[g], &c, &r);
		expect_counts(&c, 60, 20, 20, 20);
		assert_int_equal(r.n, 20);
		for (int k = 0; k < 20; k++)
			assert_int_equal(r.line[k], 6 * k + 6);
		fp = testlib_fingerprint(u.path);
		if (first == NULL)
			first = fp;
		else {
			assert_string_equal(first, fp);
			free(fp);
		}
		assert_int_equal(testlib_sql_int(u.path, "SELECT COUNT(*) FROM "
		    "income_conflict"), 20);
		check_chains(&u);
		testlib_close(&u);
	}
	free(first);
	free(text);
}

/*
 * Two feeders stream the same events at once, each through its own
 * connection, in small groups: every event is applied exactly once and
 * the other feeder sees it as a duplicate.
 */
static void
test_concurrent_feeders(void **state)
{
	enum { LINES = 300, FEEDERS = 2 };
	struct testlib *t = *state;
	char *path = xasprintf("%s/feed.jsonl", t->dir), *text = NULL;
	int64_t applied = 0, duplicate = 0;
	money_t want_a = 0, want_b = 0;
	pid_t pids[FEEDERS];
	int fds[FEEDERS][2];
	struct account a, b;

	two_branches(t);
	for (int i = 0; i < LINES; i++) {
		char *n = xasprintf("%s{\"event_id\":\"m%d\",\"branch\":\"%s\","
		    "\"buss_type\":1,\"ref_id\":\"R%d\",\"amount\":\"%d.%02d\"}\n",
		    text ? text : "", i, i % 3 ? "A" : "B", i, i % 50 + 1, i % 100);

		if (i % 3)
			want_a += (money_t)(i % 50 + 1) * 100 + i % 100;
		else
			want_b += (money_t)(i % 50 + 1) * 100 + i % 100;
		free(text);
		text = n;
	}
	testlib_write_file(path, text, strlen(text));
	free(text);
	for (int k = 0; k < FEEDERS; k++) {
		assert_int_equal(pipe(fds[k]), 0);
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			struct ingest_opts o = { .group_max = 7 };
			struct ingest_counts c;
			struct ff *ff = NULL;
			struct ff_err e = { 0 };
			int64_t out[2];

			close(fds[k][0]);
			if (ff_open(t->cfg, t->path, 0, &ff, &e) != FF_OK)
				_exit(10);
			o.fd = open(path, O_RDONLY);
			if (o.fd < 0 || income_ingest_stream(ff, &o, &c, &e) != FF_OK)
				_exit(11);
			out[0] = c.applied;
			out[1] = c.duplicate;
			if (c.conflict != 0 || c.rejected != 0)
				_exit(12);
			if (write(fds[k][1], out, sizeof(out)) != sizeof(out))
				_exit(13);
			ff_close(ff);
			_exit(0);
		}
		close(fds[k][1]);
	}
	for (int k = 0; k < FEEDERS; k++) {
		int64_t in[2];
		int status;

		assert_int_equal(read(fds[k][0], in, sizeof(in)), sizeof(in));
		close(fds[k][0]);
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		applied += in[0];
		duplicate += in[1];
	}
	assert_int_equal(applied, LINES);
	assert_int_equal(duplicate, LINES * (FEEDERS - 1));
	assert_int_equal(count(t, "income"), LINES);
	testlib_account(t->ff, "A", &a);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(a.balance, want_a);
	assert_int_equal(b.balance, want_b);
	check_chains(t);
	free(path);
}

/* An overflowing event inside a group rolls back alone. */
static void
test_stream_overflow(void **state)
{
	static const char text[] =
	    EV("e1", "B", 1, "R1", "1.00") "\n"
	    EV("e2", "A", 1, "R2", "1.01") "\n"
	    EV("e3", "B", 1, "R3", "2.00") "\n"
	    EV("e4", "A", 8, "R4", "92233720368547758.07") "\n"
	    EV("e5", "A", 1, "R5", "1.00") "\n";
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	struct account a, b;

	two_branches(t);
	assert_int_equal(testlib_ingest(t->ff, "big", "A", 1, "BIG",
	    INT64_MAX - 100, NULL), INGEST_APPLIED);
	stream_text(t, text, strlen(text), 0, &c, &r);
	expect_counts(&c, 3, 0, 0, 2);
	expect_reject(&r, 0, 2, "overflow");
	expect_reject(&r, 1, 4, "overflow");
	testlib_account(t->ff, "A", &a);
	testlib_account(t->ff, "B", &b);
	assert_int_equal(a.balance, INT64_MAX);
	assert_int_equal(b.balance, 300);
	assert_int_equal(count(t, "income"), 4);
	check_chains(t);
}

/*
 * Rows are written 32 to a statement after their events are decided: a
 * key repeated while its income is still held (not yet written) must be
 * a duplicate or a conflict all the same, a conflict must name the held
 * income once written, and the held rows must survive the writes forced
 * by a conflict and by more than 64 branches in one group.
 */
static void
test_stream_held_rows(void **state)
{
	struct testlib *t = *state;
	struct ingest_counts c;
	struct rejects r;
	char *text = NULL;
	size_t len = 0;
	int64_t applied = 0;
	FILE *f;

	f = open_memstream(&text, &len);
	assert_non_null(f);
	for (int b = 0; b < 70; b++) {
		char code[16];

		snprintf(code, sizeof(code), "B%02d", b);
		testlib_branch(t, code);
	}
	/* 40 fresh keys over 70 branches (crossing both limits), with
	 * repeats of held ones in between. */
	for (int i = 0; i < 100; i++) {
		fprintf(f, "{\"event_id\":\"e%d\",\"branch\":\"B%02d\","
		    "\"buss_type\":1,\"ref_id\":\"R%d\",\"amount\":\"%d.00\"}\n",
		    i, i % 70, i, 10 + i);
		applied++;
		if (i % 10 == 3) {
			/* the same event again: a duplicate of a held row */
			fprintf(f, "{\"event_id\":\"e%d\",\"branch\":\"B%02d\","
			    "\"buss_type\":1,\"ref_id\":\"R%d\",\"amount\":"
			    "\"%d.00\"}\n", i, i % 70, i, 10 + i);
			/* the same key, another amount: a conflict */
			fprintf(f, "{\"event_id\":\"x%d\",\"branch\":\"B%02d\","
			    "\"buss_type\":1,\"ref_id\":\"R%d\",\"amount\":"
			    "\"%d.00\"}\n", i, i % 70, i, 11 + i);
		}
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(stream_text(t, text, len, 0, &c, &r), FF_OK);
	expect_counts(&c, applied, 10, 10, 0);
	assert_int_equal(count(t, "income"), (int)applied);
	assert_int_equal(count(t, "ledger"), (int)applied);
	assert_int_equal(count(t, "income_conflict"), 10);
	/* each conflict points at the income of its key */
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "income_conflict c JOIN income i ON i.id = c.income_id "
	    "WHERE i.ref_id = c.ref_id AND i.amount + 100 = c.amount"), 10);
	/* ids are 1..n with each entry after its income */
	assert_int_equal(testlib_sql_int(t->path, "SELECT MAX(id) FROM income"),
	    applied);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger "
	    "l JOIN income i ON i.id = l.income_id WHERE l.id = i.id"), applied);
	check_chains(t);
	/* and the same stream again: all redeliveries or kept conflicts */
	assert_int_equal(stream_text(t, text, len, 0, &c, &r), FF_OK);
	expect_counts(&c, 0, applied + 10, 10, 0);
	assert_int_equal(count(t, "income_conflict"), 10);
	free(text);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, testlib_setup, testlib_teardown)
	const struct CMUnitTest tests[] = {
		T(test_unknown_type),
		T(test_unknown_branch),
		T(test_repeatable_needs_event_id),
		T(test_not_positive),
		T(test_applied),
		T(test_duplicate),
		T(test_conflict_amount),
		T(test_conflict_branch),
		T(test_repeatable),
		T(test_not_withdrawable),
		T(test_events_array),
		T(test_chain_continuity),
		T(test_overflow),
		T(test_stream_empty),
		T(test_stream_stop),
		T(test_stream_mixed),
		T(test_stream_bad_lines_isolated),
		T(test_stream_long_line),
		T(test_stream_line_at_limit),
		T(test_stream_last_line_groups),
		T(test_stream_last_line_crlf),
		T(test_stream_pipe),
		T(test_stream_group_sizes),
		T(test_concurrent_feeders),
		T(test_stream_overflow),
		T(test_stream_held_rows),
	};
#undef T

	signal(SIGPIPE, SIG_IGN);
	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
