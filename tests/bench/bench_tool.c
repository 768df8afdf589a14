/*
 * bench_tool.c — the benchmark's helpers (make bench; tests/bench/run.sh).
 *
 *   bench_tool events N FILE       N fresh income events (JSON Lines) over
 *                                  the demo's branches
 *   bench_tool parse FILE [ROUNDS]
 *                                  parses every line of FILE with
 *                                  event_parse (ROUNDS times; default 1)
 *                                  and prints how many were accepted: a
 *                                  driver to measure the parser alone
 *                                  (valgrind --tool=callgrind
 *                                  --toggle-collect=event_parse)
 *   bench_tool rawsql N FILE       the same rows (income, ledger entry,
 *                                  account update) as one transaction of
 *                                  set-based SQL with no checks: the
 *                                  baseline of the storage path
 *   bench_tool prepare DB N        N pending applications of small amounts,
 *                                  spread over the demo's branches
 *   bench_tool approve DB LOGIN FIRST COUNT STEP START_MS OUT
 *                                  approves ids FIRST, FIRST+STEP, ... as
 *                                  LOGIN (password: FUNDFLOW_PASSWORD) from
 *                                  wall-clock START_MS on, and writes one
 *                                  line per approval: its latency in
 *                                  microseconds; then "end <ms>"
 *
 *   bench_tool watch DB N OUT      polls DB (read-only, every 0.5 ms) for new
 *                                  incomes and writes "EVENT_ID US" per
 *                                  income: the wall-clock microsecond it
 *                                  was first seen committed; stops at N
 *                                  incomes or after 60 s without one
 *
 * prepare and approve go through the model exactly as the command line
 * does (withdrawal_apply, withdrawal_approve: one exclusive transaction
 * each); they only spare the benchmark one login per approval.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sqlite3.h"

#include "model/accounts.h"
#include "model/auth.h"
#include "model/config.h"
#include "model/event.h"
#include "model/withdrawal.h"
#include "store/store.h"

static const char *const bench_branches[] = {
	"ZC01", "QD02", "JN03", "WF04", "YT05", "SH06", "LDN1", "HAM2",
	"SGP3", "NYC4",
};
#define BENCH_NB 10

static int64_t
bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
bench_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The amount of the i-th event, in minor units. */
static long
bench_amount(long i)
{
	return 100 + (i * 7919) % 500000;
}

static int
bench_events(long n, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		long amount = bench_amount(i);

		fprintf(f, "{\"event_id\":\"b-%ld\",\"branch\":\"%s\","
		    "\"buss_type\":1,\"ref_id\":\"BENCH-%ld\",\"amount\":"
		    "\"%ld.%02ld\",\"occurred_at\":"
		    "\"2026-01-01T08:00:00+08:00\"}\n", i,
		    bench_branches[i % BENCH_NB], i, amount / 100, amount % 100);
	}
	return fclose(f) == 0 ? 0 : 1;
}

/*
 * The rows the engine writes for the events of bench_events() (the same
 * ids, keys, amounts, running balances, 32-byte hashes and times of the
 * same length), as one transaction of set-based SQL with nothing looked
 * up or checked: every row is made by the statement itself, so the
 * shell spends its time in the tables and indexes, not in parsing one
 * statement per row (a script of 300,000 INSERTs and UPDATEs measured
 * the shell's parser: 17,000-27,000 events/s, a fifth of the engine).
 * The branches' ids are 1..10 in bench_branches order; the amounts are
 * bench_amount() written in SQL.
 */
static int
bench_rawsql(long n, const char *path)
{
	FILE *f = fopen(path, "w");
	int64_t total[BENCH_NB] = { 0 };

	if (f == NULL) {
		perror(path);
		return 1;
	}
	for (long i = 0; i < n; i++)
		total[i % BENCH_NB] += bench_amount(i);
	fprintf(f, "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
	    "BEGIN;\n"
	    "INSERT INTO income(id,branch_id,buss_type,ref_id,event_id,ikey,"
	    "amount,withdrawable,occurred_at,received_at)\n"
	    "  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n "
	    "WHERE i < %ld)\n"
	    "  SELECT i+1, i%%%d+1, 1, 'BENCH-'||i, 'b-'||i, 'R:BENCH-'||i, "
	    "100+(i*7919)%%500000, 1,\n"
	    "    '2026-01-01T08:00:00+08:00', '2026-01-01T00:00:00+00:00' "
	    "FROM n;\n"
	    "INSERT INTO ledger(id,account_id,seq,kind,income_id,pre_amount,"
	    "amount,post_amount,at,actor,hash)\n"
	    "  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n "
	    "WHERE i < %ld),\n"
	    "  e(i, a, post) AS (SELECT i, 100+(i*7919)%%500000,\n"
	    "    SUM(100+(i*7919)%%500000) OVER (PARTITION BY i%%%d ORDER BY i) "
	    "FROM n)\n"
	    "  SELECT i+1, i%%%d+1, i/%d+1, 'income', i+1, post-a, a, post,\n"
	    "    '2026-01-01T00:00:00+00:00', 'feeder', randomblob(32) "
	    "FROM e ORDER BY i;\n", n - 1, BENCH_NB, n - 1, BENCH_NB, BENCH_NB,
	    BENCH_NB);
	for (int b = 0; b < BENCH_NB; b++)
		fprintf(f, "UPDATE account SET balance=%" PRId64 ", "
		    "withdrawable=%" PRId64 " WHERE branch_id=%d;\n", total[b],
		    total[b], b + 1);
	fputs("COMMIT;\n", f);
	return fclose(f) == 0 ? 0 : 1;
}

/* Every line of path through event_parse, rounds times over. */
static int
bench_parse(const char *path, long rounds)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *p, *nl, reason[256];
	size_t cap = 0, len = 0, n;
	long lines = 0, ok = 0;
	struct event ev;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	for (;;) {
		if (len == cap && (buf = realloc(buf, cap = cap ? cap * 2 :
		    1 << 20)) == NULL)
			return 1;
		if ((n = fread(buf + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	for (long r = 0; r < rounds; r++) {
		for (p = buf; p < buf + len; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
				nl = buf + len;
			lines++;
			ok += event_parse(p, (size_t)(nl - p), &ev, reason,
			    sizeof(reason)) == 0;
		}
	}
	printf("%ld lines, %ld accepted\n", lines, ok);
	free(buf);
	return 0;
}

static int
bench_open(const char *db, struct config **cfg, struct ff **ff)
{
	struct ff_err err;

	if (auth_init_library() != 0)
		return 1;
	*cfg = config_defaults();
	if (ff_open(*cfg, db, 0, ff, &err) != FF_OK) {
		fprintf(stderr, "bench_tool: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static int
bench_prepare(const char *db, long n)
{
	struct config *cfg;
	struct ff *ff;
	struct session s[BENCH_NB];
	struct ff_err err;

	if (bench_open(db, &cfg, &ff) != 0)
		return 1;
	for (int b = 0; b < BENCH_NB; b++) {
		char login[32];

		if (b == 0) {
			snprintf(login, sizeof(login), "staff");
		} else {
			snprintf(login, sizeof(login), "clerk.%s", bench_branches[b]);
			for (char *p = login; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		}
		if (store_operator_get(ff->st, login, &s[b].op) != STORE_OK) {
			fprintf(stderr, "bench_tool: no operator %s\n", login);
			return 1;
		}
	}
	for (long i = 0; i < n; i++) {
		struct withdrawal w;

		if (withdrawal_apply(ff, &s[i % BENCH_NB], NULL, 100 + i % 900,
		    "bench", &w, &err) != FF_OK) {
			fprintf(stderr, "bench_tool: %s\n", err.msg);
			return 1;
		}
		if (i == 0)
			printf("%" PRId64 "\n", w.id);
	}
	ff_close(ff);
	config_free(cfg);
	return 0;
}

static int
bench_approve(const char *db, const char *login, long first, long count,
    long step, int64_t start_ms, const char *out)
{
	struct config *cfg;
	struct ff *ff;
	struct session s;
	struct ff_err err;
	const char *pw = getenv("FUNDFLOW_PASSWORD");
	int64_t *lat = calloc((size_t)count, sizeof(*lat));
	FILE *f;
	long refused = 0;

	if (lat == NULL || pw == NULL || bench_open(db, &cfg, &ff) != 0)
		return 1;
	if (auth_login(ff, login, pw, &s, &err) != FF_OK) {
		fprintf(stderr, "bench_tool: %s\n", err.msg);
		return 1;
	}
	while (bench_now_ms() < start_ms)
		usleep(500);
	for (long i = 0; i < count; i++) {
		int64_t t0 = bench_mono_us();
		int rc = withdrawal_approve(ff, &s, first + i * step, NULL, NULL,
		    &err);

		lat[i] = bench_mono_us() - t0;
		if (rc != FF_OK) {
			refused++;
			fprintf(stderr, "bench_tool: %s\n", err.msg);
		}
	}
	if ((f = fopen(out, "w")) == NULL)
		return 1;
	for (long i = 0; i < count; i++)
		fprintf(f, "%" PRId64 "\n", lat[i]);
	fprintf(f, "end %" PRId64 "\n", bench_now_ms());
	fclose(f);
	free(lat);
	ff_close(ff);
	config_free(cfg);
	return refused ? 1 : 0;
}

static int64_t
bench_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The publish-to-committed watcher (tests/bench/mq.sh). */
static int
bench_watch(const char *path, long n, const char *out)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	FILE *f = fopen(out, "w");
	int64_t last = 0, quiet_since = bench_wall_us();
	long seen = 0;

	if (f == NULL || sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(db, "SELECT id, event_id "
	    "FROM income WHERE id > ? ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_tool watch: cannot read %s\n", path);
		return 1;
	}
	sqlite3_busy_timeout(db, 1000);
	while (seen < n && bench_wall_us() - quiet_since < 60000000) {
		int64_t now;

		sqlite3_bind_int64(st, 1, last);
		now = bench_wall_us();
		while (sqlite3_step(st) == SQLITE_ROW) {
			last = sqlite3_column_int64(st, 0);
			fprintf(f, "%s %lld\n", (const char *)sqlite3_column_text(st,
			    1), (long long)now);
			seen++;
			quiet_since = now;
		}
		sqlite3_reset(st);
		usleep(500);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return seen == n ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "watch") == 0)
		return bench_watch(argv[2], atol(argv[3]), argv[4]);
	if (argc == 4 && strcmp(argv[1], "events") == 0)
		return bench_events(atol(argv[2]), argv[3]);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "parse") == 0)
		return bench_parse(argv[2], argc == 4 ? atol(argv[3]) : 1);
	if (argc == 4 && strcmp(argv[1], "rawsql") == 0)
		return bench_rawsql(atol(argv[2]), argv[3]);
	if (argc == 4 && strcmp(argv[1], "prepare") == 0)
		return bench_prepare(argv[2], atol(argv[3]));
	if (argc == 9 && strcmp(argv[1], "approve") == 0)
		return bench_approve(argv[2], argv[3], atol(argv[4]),
		    atol(argv[5]), atol(argv[6]), atoll(argv[7]), argv[8]);
	fprintf(stderr, "usage: see tests/bench/bench_tool.c\n");
	return 64;
}
