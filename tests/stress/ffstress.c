/*
 * ffstress.c — the robustness tests' driver (issue 4).  Test code only:
 * it links the engine (store/, model/, ui/ but ui/main.c) like the unit
 * tests do, and the fault-injecting shim (shim.c), which it installs
 * before SQLite is touched.  The real ./fundflow never contains any of it.
 *
 * It performs many operations per login (a CLI login hashes a password),
 * reads the database directly to check the bank's conservation, and runs
 * the fault sweeps in-process.  Every randomized command takes a seed.
 *
 *   ffstress gen SEED NKEYS NFEED DIR
 *       income events for the at-least-once test (see stress_gen)
 *   ffstress staff DB LOGIN COUNT SEED ACK [STOPFILE]
 *       apply COUNT times (some over the limit), cancel now and then;
 *       one line per acknowledged operation appended to ACK
 *   ffstress review DB LOGIN SEED ACK STOPFILE
 *       approve (4 in 5) or reject pending applications until STOPFILE
 *       exists and none is pending
 *   ffstress race DB LOGIN SEED ACK START_MS REJECT_PCT ID...
 *       from wall-clock START_MS, try to decide each ID (shuffled)
 *   ffstress watch DB STOPFILE
 *       conservation checks, each in one read transaction, until STOPFILE
 *   ffstress check DB          one thorough conservation check
 *   ffstress state DB          the state digest (see stress_state)
 *   ffstress hold DB MS        take the write transaction, keep it MS ms
 *   ffstress verify DB ACK...  every acknowledged operation present once,
 *                              every application all-or-nothing
 *   ffstress sweep TEMPLATE WORK MODE PERSIST OP [ARG]
 *       for N = 1, 2, ... inject MODE at the Nth call until OP completes
 *       untouched; MODE: kill_write kill_sync kill_write_after
 *       kill_sync_after fail_write fail_sync full fail_malloc; OP: approve
 *       ID | reject ID | apply CODE | cancel ID | ingest FILE
 *   ffstress rehash DB CODE    recompute the stored hashes of CODE's chain
 *                              (tampering helper; triggers must be off)
 *
 * Sessions: the operator is read from the database (no password), unless
 * FUNDFLOW_PASSWORD is set, then it logs in.  The configuration is found
 * as fundflow finds it (FUNDFLOW_CONFIG).  Output lines for the runner:
 * "ok NAME" / "not ok NAME: why"; other lines start with "#".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "model/audit.h"
#include "model/auth.h"
#include "model/chain.h"
#include "model/config.h"
#include "model/income.h"
#include "model/withdrawal.h"
#include "store/store.h"
#include "tests/stress/shim.h"

static const char *const stress_branches[] = {
	"ZC01", "QD02", "JN03", "WF04", "YT05", "SH06", "LDN1", "HAM2",
	"SGP3", "NYC4",
};
#define STRESS_NB 10

/* --- small helpers ------------------------------------------------------- */

static uint64_t stress_rng_state = 88172645463325252ULL;

static void
stress_seed(uint64_t s)
{
	stress_rng_state = s * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	if (stress_rng_state == 0)
		stress_rng_state = 1;
}

static uint64_t
stress_rand(void)
{
	uint64_t x = stress_rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	stress_rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n). */
static uint64_t
stress_below(uint64_t n)
{
	return n ? stress_rand() % n : 0;
}

static int64_t
stress_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
stress_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
stress_exists(const char *path)
{
	struct stat sb;

	return path != NULL && stat(path, &sb) == 0;
}

static void
stress_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
stress_die(const char *fmt, ...)
{
	va_list ap;

	fputs("ffstress: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Appends one acknowledgement line; write(2) reaches the kernel at once,
 * so a SIGKILL right after cannot lose it. */
static void
stress_ack(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
stress_ack(int fd, const char *fmt, ...)
{
	char line[700];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) || write(fd, line, (size_t)n) != n)
		stress_die("cannot write an acknowledgement");
}

static int
stress_ack_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		stress_die("%s: %s", path, strerror(errno));
	return fd;
}

/* --- opening ------------------------------------------------------------- */

struct stress_db {
	struct config *cfg;
	struct ff *ff;
};

static int
stress_open(const char *path, struct stress_db *d, struct ff_err *err)
{
	char *cerr = NULL;

	memset(d, 0, sizeof(*d));
	if (config_load(NULL, &d->cfg, &cerr) != 0) {
		snprintf(err->msg, sizeof(err->msg), "config: %s", cerr);
		free(cerr);
		return FF_INVALID;
	}
	return ff_open(d->cfg, path, 0, &d->ff, err);
}

static void
stress_close(struct stress_db *d)
{
	ff_close(d->ff);
	config_free(d->cfg);
	memset(d, 0, sizeof(*d));
}

static void
stress_open_or_die(const char *path, struct stress_db *d)
{
	struct ff_err err;

	if (stress_open(path, d, &err) != FF_OK)
		stress_die("%s: %s", path, err.msg);
}

static void
stress_session(struct stress_db *d, const char *login, struct session *s)
{
	const char *pw = getenv("FUNDFLOW_PASSWORD");
	struct ff_err err;

	memset(s, 0, sizeof(*s));
	if (pw != NULL) {
		if (auth_login(d->ff, login, pw, s, &err) != FF_OK)
			stress_die("login %s: %s", login, err.msg);
		return;
	}
	if (store_operator_get(d->ff->st, login, &s->op) != STORE_OK)
		stress_die("no operator %s", login);
}

/* A raw SQLite connection, for reading behind the engine's back. */
static sqlite3 *
stress_raw(const char *path, int rw)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, rw ? SQLITE_OPEN_READWRITE :
	    SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		stress_die("%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_busy_timeout(db, 20000);
	return db;
}

static int64_t
stress_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		stress_die("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* --- conservation ---------------------------------------------------------- */

struct stress_violations {
	int n;
	char first[1024];
};

static void
stress_violation(struct stress_violations *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
stress_violation(struct stress_violations *v, const char *fmt, ...)
{
	va_list ap;

	if (v->n++ == 0) {
		va_start(ap, fmt);
		vsnprintf(v->first, sizeof(v->first), fmt, ap);
		va_end(ap);
	}
}

static const char stress_conservation_sql[] =
    "WITH inc AS (SELECT branch_id, SUM(amount) s,"
    "  SUM(CASE WHEN withdrawable = 1 THEN amount ELSE 0 END) w, COUNT(*) n"
    "  FROM income GROUP BY branch_id),"
    " wd AS (SELECT branch_id, SUM(amount) s, COUNT(*) n FROM withdrawal"
    "  WHERE status = 'approved' GROUP BY branch_id)"
    " SELECT a.branch_id, a.balance, a.withdrawable, a.total_withdrawn,"
    "  COALESCE(inc.s, 0), COALESCE(inc.w, 0), COALESCE(wd.s, 0),"
    "  COALESCE((SELECT post_amount FROM ledger WHERE account_id = a.branch_id"
    "   ORDER BY seq DESC LIMIT 1), 0),"
    "  COALESCE((SELECT MAX(seq) FROM ledger WHERE account_id = a.branch_id), 0),"
    "  COALESCE(inc.n, 0) + COALESCE(wd.n, 0)"
    " FROM account a LEFT JOIN inc USING (branch_id)"
    " LEFT JOIN wd USING (branch_id) ORDER BY a.branch_id";

/*
 * One snapshot, in one read transaction: the sum of balances equals all
 * applied incomes minus all approved withdrawals, and so does each
 * account; withdrawable and total withdrawn equal their sources; no
 * figure negative; each account equals its newest ledger entry and has
 * one entry per income and approved withdrawal.
 */
static void
stress_conservation(sqlite3 *db, struct stress_violations *v)
{
	sqlite3_stmt *s = NULL;
	int64_t sum_bal = 0, sum_inc = 0, sum_wd = 0, total_bal, total_inc,
	    total_wd;
	int rc;

	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		stress_die("BEGIN: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, stress_conservation_sql, -1, &s, NULL) !=
	    SQLITE_OK)
		stress_die("conservation query: %s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int64_t bal = sqlite3_column_int64(s, 1);
		int64_t wdr = sqlite3_column_int64(s, 2);
		int64_t tot = sqlite3_column_int64(s, 3);
		int64_t inc = sqlite3_column_int64(s, 4);
		int64_t incw = sqlite3_column_int64(s, 5);
		int64_t apr = sqlite3_column_int64(s, 6);
		int64_t post = sqlite3_column_int64(s, 7);
		int64_t seq = sqlite3_column_int64(s, 8);
		int64_t nsrc = sqlite3_column_int64(s, 9);

		sum_bal += bal;
		sum_inc += inc;
		sum_wd += apr;
		if (bal != inc - apr)
			stress_violation(v, "account %" PRId64 ": balance %" PRId64
			    " != incomes %" PRId64 " - approved %" PRId64, id, bal,
			    inc, apr);
		if (wdr != incw - apr)
			stress_violation(v, "account %" PRId64 ": withdrawable %"
			    PRId64 " != withdrawable incomes %" PRId64
			    " - approved %" PRId64, id, wdr, incw, apr);
		if (tot != apr)
			stress_violation(v, "account %" PRId64 ": total withdrawn %"
			    PRId64 " != approved %" PRId64, id, tot, apr);
		if (bal < 0 || wdr < 0 || wdr > bal || tot < 0)
			stress_violation(v, "account %" PRId64 ": figures out of "
			    "range: balance %" PRId64 " withdrawable %" PRId64
			    " total %" PRId64, id, bal, wdr, tot);
		if (bal != post)
			stress_violation(v, "account %" PRId64 ": balance %" PRId64
			    " != newest ledger post_amount %" PRId64, id, bal, post);
		if (seq != nsrc)
			stress_violation(v, "account %" PRId64 ": %" PRId64
			    " ledger entries for %" PRId64 " incomes and approved "
			    "withdrawals", id, seq, nsrc);
	}
	if (rc != SQLITE_DONE)
		stress_die("conservation query: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
	/* The totals once more, as three separate reads of the same
	 * snapshot: a torn snapshot would show here too. */
	total_bal = stress_int(db, "SELECT COALESCE(SUM(balance), 0) FROM account");
	total_inc = stress_int(db, "SELECT COALESCE(SUM(amount), 0) FROM income");
	total_wd = stress_int(db, "SELECT COALESCE(SUM(amount), 0) FROM withdrawal "
	    "WHERE status = 'approved'");
	if (total_bal != total_inc - total_wd || total_bal != sum_bal ||
	    sum_inc != total_inc || sum_wd != total_wd)
		stress_violation(v, "sum of balances %" PRId64 " != incomes %"
		    PRId64 " - approved withdrawals %" PRId64, total_bal,
		    total_inc, total_wd);
	if (stress_int(db, "SELECT COUNT(*) FROM account WHERE balance < 0 OR "
	    "withdrawable < 0") != 0)
		stress_violation(v, "a negative balance or withdrawable");
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

static int
cmd_watch(int argc, char **argv)
{
	struct stress_violations v = { 0 };
	sqlite3 *db;
	long snaps = 0;

	if (argc != 4)
		stress_die("usage: watch DB STOPFILE");
	db = stress_raw(argv[2], 0);
	do {
		stress_conservation(db, &v);
		snaps++;
		stress_sleep_ms(2);
	} while (!stress_exists(argv[3]));
	stress_conservation(db, &v);
	snaps++;
	sqlite3_close(db);
	printf("# watch: %ld snapshots, %d violation(s)%s%s\n", snaps, v.n,
	    v.n ? "; first: " : "", v.first);
	return v.n ? 1 : 0;
}

static int
cmd_check(int argc, char **argv)
{
	struct stress_violations v = { 0 };
	sqlite3 *db;

	if (argc != 3)
		stress_die("usage: check DB");
	db = stress_raw(argv[2], 0);
	stress_conservation(db, &v);
	sqlite3_close(db);
	if (v.n)
		printf("# conservation: %d violation(s); first: %s\n", v.n, v.first);
	return v.n ? 1 : 0;
}

/* --- the state digest ---------------------------------------------------- */

/*
 * FNV-1a over every row that carries money or a decision, in a fixed
 * order, leaving out times and hashes (they depend on the clock): two
 * databases with the same digest hold the same incomes, conflicts,
 * ledger, accounts, applications, operators, branches and successful
 * activity.
 */
static const char *const stress_state_sql[] = {
	"SELECT branch_id, balance, withdrawable, total_withdrawn FROM account "
	    "ORDER BY branch_id",
	"SELECT id, branch_id, buss_type, ikey, ref_id, event_id, amount, "
	    "withdrawable FROM income ORDER BY id",
	"SELECT id, income_id, branch_id, buss_type, ref_id, event_id, amount "
	    "FROM income_conflict ORDER BY id",
	"SELECT id, account_id, seq, kind, income_id, withdrawal_id, pre_amount, "
	    "amount, post_amount, actor FROM ledger ORDER BY id",
	"SELECT id, branch_id, amount, note, applicant_id, flow, status, "
	    "decided_by, reason FROM withdrawal ORDER BY id",
	"SELECT id, login, name, role, branch_id, active FROM operator ORDER BY id",
	"SELECT id, code, name, active FROM branch ORDER BY id",
	/* Reading (audit, login, backup) leaves activity lines too: only
	 * the changes count. */
	"SELECT action, target, actor FROM activity WHERE ok = 1 AND action "
	    "NOT IN ('audit', 'audit.digest', 'login', 'backup') "
	    "ORDER BY action, target, actor",
};

static uint64_t
stress_state_hash(sqlite3 *db)
{
	uint64_t h = 14695981039346656037ULL;

	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (size_t q = 0; q < sizeof(stress_state_sql) / sizeof(*stress_state_sql);
	    q++) {
		sqlite3_stmt *s = NULL;
		int rc;

		if (sqlite3_prepare_v2(db, stress_state_sql[q], -1, &s, NULL) !=
		    SQLITE_OK)
			stress_die("state: %s", sqlite3_errmsg(db));
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				const unsigned char *t = sqlite3_column_text(s, c);
				int n = sqlite3_column_bytes(s, c);

				for (int i = 0; i < n; i++) {
					h ^= t[i];
					h *= 1099511628211ULL;
				}
				h ^= 0x1f;
				h *= 1099511628211ULL;
			}
			h ^= 0x1e;
			h *= 1099511628211ULL;
		}
		if (rc != SQLITE_DONE)
			stress_die("state: %s", sqlite3_errmsg(db));
		sqlite3_finalize(s);
		h ^= 0x1d;
		h *= 1099511628211ULL;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return h;
}

static uint64_t
stress_state_of(const char *path)
{
	sqlite3 *db = stress_raw(path, 0);
	uint64_t h = stress_state_hash(db);

	sqlite3_close(db);
	return h;
}

static int
cmd_state(int argc, char **argv)
{
	if (argc != 3)
		stress_die("usage: state DB");
	printf("%016" PRIx64 "\n", stress_state_of(argv[2]));
	return 0;
}

/* --- holding the write lock -------------------------------------------- */

static int
cmd_hold(int argc, char **argv)
{
	struct stress_db d;
	int rc;

	if (argc != 4)
		stress_die("usage: hold DB MS");
	stress_open_or_die(argv[2], &d);
	store_set_actor(d.ff->st, "holder");
	if ((rc = store_begin(d.ff->st)) != STORE_OK)
		stress_die("hold: %s", store_strerror(rc));
	printf("held\n");
	fflush(stdout);
	stress_sleep_ms(atol(argv[3]));
	store_rollback(d.ff->st);
	stress_close(&d);
	return 0;
}

/* --- event generation ---------------------------------------------------- */

struct gen_key {
	int32_t type;
	int repeatable, withdrawable;
	char ref[48], event_id[48];
	int branch;
	int64_t amount;
	char occurred[32];
};

static void
gen_line(FILE *f, const struct gen_key *k, const char *event_id, int branch,
    int64_t amount)
{
	/* Now and then the amount as a JSON number, and a field order
	 * changed, an unknown field added: the same event all the same. */
	uint64_t r = stress_below(10);

	if (r == 0)
		fprintf(f, "{\"ref_id\":\"%s\",\"amount\":%" PRId64 ".%02" PRId64
		    ",\"branch\":\"%s\",\"buss_type\":%d,\"event_id\":\"%s\","
		    "\"trace\":{\"hop\":%d}}\n", k->ref, amount / 100,
		    amount % 100, stress_branches[branch], (int)k->type, event_id,
		    (int)stress_below(9));
	else
		fprintf(f, "{\"event_id\":\"%s\",\"branch\":\"%s\",\"buss_type\":"
		    "%d,\"ref_id\":\"%s\",\"amount\":\"%" PRId64 ".%02" PRId64
		    "\",\"occurred_at\":\"%s\"}\n", event_id,
		    stress_branches[branch], (int)k->type, k->ref,
		    amount / 100, amount % 100, k->occurred);
}

struct gen_delivery {
	int key;
	int kind;		/* 0 original, 1 redelivery, 2 new id, 3 conflict,
				   4 bad line */
	int variant;		/* conflicts: which one */
};

static void
gen_shuffle(struct gen_delivery *d, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)stress_below(i);
		struct gen_delivery t = d[i - 1];

		d[i - 1] = d[j];
		d[j] = t;
	}
}

/* A conflicting payload of key k: another amount, or another branch. */
static void
gen_conflict(const struct gen_key *k, int variant, int *branch, int64_t *amount)
{
	*branch = k->branch;
	*amount = k->amount;
	if (variant % 2 == 0 || k->repeatable)
		*amount = k->amount + 1 + variant;
	else
		*branch = (k->branch + 1 + variant) % STRESS_NB;
}

static void
gen_write(FILE *f, const struct gen_key *keys, const struct gen_delivery *d,
    int seq)
{
	const struct gen_key *k = &keys[d->key];
	char id[64];
	int branch;
	int64_t amount;

	switch (d->kind) {
	case 0:
	case 1:
		gen_line(f, k, k->event_id, k->branch, k->amount);
		break;
	case 2:		/* a redelivery under a new message id */
		snprintf(id, sizeof(id), "%s-re%d", k->event_id, seq);
		gen_line(f, k, k->repeatable ? k->event_id : id, k->branch,
		    k->amount);
		break;
	case 3:
		gen_conflict(k, d->variant, &branch, &amount);
		snprintf(id, sizeof(id), "%s-c%d", k->event_id, d->variant);
		gen_line(f, k, k->repeatable ? k->event_id : id, branch, amount);
		break;
	default:
		if (seq % 3 == 0)
			fprintf(f, "{\"event_id\":\"bad-%d\",\"branch\":\"NOPE\","
			    "\"buss_type\":1,\"ref_id\":\"X\",\"amount\":\"1.00\"}\n",
			    seq);
		else if (seq % 3 == 1)
			fprintf(f, "{\"branch\":\"ZC01\",\"buss_type\":1,"
			    "\"ref_id\":\"bad-%d\",\"amount\":\"1.005\"}\n", seq);
		else
			fprintf(f, "not json at all %d\n", seq);
		break;
	}
}

/*
 * Writes, in DIR:
 *   canon.jsonl        the clean stream: every original in order, then
 *                      every distinct conflicting payload
 *   p1-K.jsonl         feeder K's deliveries in phase 1: originals and
 *                      redeliveries (a third of all lines), some under new
 *                      message ids, shuffled, overlapping other feeders'
 *                      parts, a few bad lines
 *   p2-K.jsonl         phase 2: conflicting payloads (each twice, from
 *                      different feeders) among more redeliveries
 *   incomes.txt        the expected incomes: TYPE|IKEY|BRANCH|AMOUNT
 *   conflicts.txt      the expected kept conflicts:
 *                      TYPE|IKEY|BRANCH|AMOUNT|EVENT_ID
 *   counts.txt         "lines N keys N conflicts N bad N"
 * Conflicts come in phase 2 only: which of two payloads is "the" income
 * is decided by arrival, so for a result comparable with one clean run the
 * originals must be in before their conflicting versions are delivered.
 */
static int
cmd_gen(int argc, char **argv)
{
	static const int32_t types[] = { 1, 2, 3, 8, 16, 17 };
	uint64_t seed;
	int nkeys, nfeed, nconf, nbad;
	struct gen_key *keys;
	struct gen_delivery *p1, *p2;
	size_t n1 = 0, n2 = 0, lines = 0;
	char path[4096];
	FILE *f;

	if (argc != 6)
		stress_die("usage: gen SEED NKEYS NFEED DIR");
	seed = strtoull(argv[2], NULL, 10);
	nkeys = atoi(argv[3]);
	nfeed = atoi(argv[4]);
	if (nkeys < 10 || nfeed < 1)
		stress_die("gen: NKEYS >= 10, NFEED >= 1");
	stress_seed(seed);
	keys = calloc((size_t)nkeys, sizeof(*keys));
	p1 = calloc((size_t)nkeys * 2 + 64, sizeof(*p1));
	nconf = nkeys / 50 + 1;
	p2 = calloc((size_t)nkeys + (size_t)nconf * 4 + 64, sizeof(*p2));
	if (keys == NULL || p1 == NULL || p2 == NULL)
		stress_die("out of memory");
	for (int i = 0; i < nkeys; i++) {
		struct gen_key *k = &keys[i];

		k->type = types[stress_below(6)];
		k->repeatable = k->type >= 16;
		k->withdrawable = k->type != 8;
		/* Repeatable types share references: the event id is the key. */
		if (k->repeatable)
			snprintf(k->ref, sizeof(k->ref), "S%" PRIu64 "-ADJ%d", seed,
			    i / 3);
		else
			snprintf(k->ref, sizeof(k->ref), "S%" PRIu64 "-R%d", seed, i);
		snprintf(k->event_id, sizeof(k->event_id), "S%" PRIu64 "-m%d",
		    seed, i);
		k->branch = (int)stress_below(STRESS_NB);
		k->amount = 1 + (int64_t)stress_below(50000000);
		snprintf(k->occurred, sizeof(k->occurred),
		    "2026-%02d-%02dT%02d:%02d:%02d+08:00",
		    1 + (int)stress_below(12), 1 + (int)stress_below(28),
		    (int)stress_below(24), (int)stress_below(60),
		    (int)stress_below(60));
	}
	/* Phase 1: originals, plus half as many redeliveries (a third of
	 * the lines), half of those under a new message id; 0.5% bad. */
	for (int i = 0; i < nkeys; i++)
		p1[n1++] = (struct gen_delivery){ i, 0, 0 };
	for (int i = 0; i < nkeys / 2; i++)
		p1[n1++] = (struct gen_delivery){ (int)stress_below((uint64_t)nkeys),
		    stress_below(2) ? 1 : 2, 0 };
	nbad = nkeys / 200 + 1;
	for (int i = 0; i < nbad; i++)
		p1[n1++] = (struct gen_delivery){ 0, 4, 0 };
	gen_shuffle(p1, n1);
	/* Phase 2: each conflicting payload twice, among redeliveries. */
	for (int c = 0; c < nconf; c++) {
		int key = (int)stress_below((uint64_t)nkeys);
		int variant = (int)stress_below(3);

		/* One payload per key and variant (the generator may pick a
		 * key twice: then both variants count). */
		p2[n2++] = (struct gen_delivery){ key, 3, variant };
		p2[n2++] = (struct gen_delivery){ key, 3, variant };
	}
	for (int i = 0; i < nkeys / 4; i++)
		p2[n2++] = (struct gen_delivery){ (int)stress_below((uint64_t)nkeys),
		    stress_below(2) ? 1 : 2, 0 };
	gen_shuffle(p2, n2);

	/* Feeder files: contiguous parts, each feeder also redelivering a
	 * tenth of its neighbour's part. */
	for (int phase = 1; phase <= 2; phase++) {
		struct gen_delivery *p = phase == 1 ? p1 : p2;
		size_t n = phase == 1 ? n1 : n2;

		for (int k = 0; k < nfeed; k++) {
			size_t lo = n * (size_t)k / (size_t)nfeed;
			size_t hi = n * (size_t)(k + 1) / (size_t)nfeed;
			size_t nlo = hi % n, nhi = nlo + (hi - lo) / 10;

			snprintf(path, sizeof(path), "%s/p%d-%d.jsonl", argv[5],
			    phase, k);
			if ((f = fopen(path, "w")) == NULL)
				stress_die("%s: %s", path, strerror(errno));
			for (size_t i = lo; i < hi; i++) {
				gen_write(f, keys, &p[i], (int)(phase * 1000000 + i));
				lines++;
			}
			if (nfeed > 1)
				for (size_t i = nlo; i < nhi && i < n; i++) {
					if (p[i].kind == 4)
						continue;
					gen_write(f, keys, &p[i],
					    (int)(phase * 1000000 + i));
					lines++;
				}
			fclose(f);
		}
	}
	/* The clean stream and the expectations. */
	snprintf(path, sizeof(path), "%s/canon.jsonl", argv[5]);
	if ((f = fopen(path, "w")) == NULL)
		stress_die("%s: %s", path, strerror(errno));
	for (int i = 0; i < nkeys; i++) {
		struct gen_delivery d = { i, 0, 0 };

		gen_write(f, keys, &d, i);
	}
	for (size_t i = 0; i < n2; i++)
		if (p2[i].kind == 3)
			gen_write(f, keys, &p2[i], (int)(2000000 + i));
	fclose(f);

	snprintf(path, sizeof(path), "%s/incomes.txt", argv[5]);
	if ((f = fopen(path, "w")) == NULL)
		stress_die("%s: %s", path, strerror(errno));
	for (int i = 0; i < nkeys; i++)
		fprintf(f, "%d|%s:%s|%s|%" PRId64 "\n", (int)keys[i].type,
		    keys[i].repeatable ? "E" : "R",
		    keys[i].repeatable ? keys[i].event_id : keys[i].ref,
		    stress_branches[keys[i].branch], keys[i].amount);
	fclose(f);
	snprintf(path, sizeof(path), "%s/conflicts.txt", argv[5]);
	if ((f = fopen(path, "w")) == NULL)
		stress_die("%s: %s", path, strerror(errno));
	for (size_t i = 0; i < n2; i += 1) {
		const struct gen_key *k;
		int branch;
		int64_t amount;
		char id[64];

		if (p2[i].kind != 3)
			continue;
		k = &keys[p2[i].key];
		gen_conflict(k, p2[i].variant, &branch, &amount);
		snprintf(id, sizeof(id), "%s-c%d", k->event_id, p2[i].variant);
		/* Written once per delivery; the test sorts -u. */
		fprintf(f, "%d|%s:%s|%s|%" PRId64 "|%s\n", (int)k->type,
		    k->repeatable ? "E" : "R",
		    k->repeatable ? k->event_id : k->ref,
		    stress_branches[branch], amount,
		    k->repeatable ? k->event_id : id);
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/counts.txt", argv[5]);
	if ((f = fopen(path, "w")) == NULL)
		stress_die("%s: %s", path, strerror(errno));
	fprintf(f, "lines %zu keys %d conflicts %d bad %d redelivered %zu\n",
	    lines, nkeys, nconf, nbad, lines - (size_t)nkeys - (size_t)nconf * 2
	    - (size_t)nbad);
	fclose(f);
	free(keys);
	free(p1);
	free(p2);
	return 0;
}

/* --- staff and reviewers ------------------------------------------------- */

static int
stress_transient(int rc)
{
	return rc == FF_BUSY;
}

static int
cmd_staff(int argc, char **argv)
{
	struct stress_db d;
	struct session s;
	long count, applied = 0, refused = 0, cancelled = 0, errors = 0;
	uint64_t seed;
	int ack;
	const char *stop;

	if (argc != 7 && argc != 8)
		stress_die("usage: staff DB LOGIN COUNT SEED ACK [STOPFILE]");
	count = atol(argv[4]);
	seed = strtoull(argv[5], NULL, 10);
	stop = argc == 8 ? argv[7] : NULL;
	stress_seed(seed);
	ack = stress_ack_open(argv[6]);
	stress_open_or_die(argv[2], &d);
	stress_session(&d, argv[3], &s);
	for (long i = 0; i < count && !stress_exists(stop); i++) {
		struct withdrawal w;
		struct ff_err err;
		money_t bal, wdr, tot;
		char token[64];
		int rc;

		if (stress_below(10) == 0) {
			/* Cancel one of the branch's pending applications. */
			struct withdrawal *list = NULL;
			size_t n = 0;

			rc = withdrawal_list(d.ff, &s, NULL, WD_PENDING, &list, &n,
			    &err);
			if (rc == FF_OK && n > 0) {
				int64_t id = list[stress_below(n)].id;

				rc = withdrawal_cancel(d.ff, &s, id, NULL, &err);
				if (rc == FF_OK) {
					cancelled++;
					stress_ack(ack, "cancel %" PRId64 "\n", id);
				} else if (rc == FF_REFUSED) {
					refused++;	/* decided meanwhile */
				} else {
					errors++;
					fprintf(stderr, "# %s cancel: %s\n", argv[3],
					    err.msg);
				}
			}
			free(list);
			continue;
		}
		if (store_account_figures(d.ff->st, s.op.branch_id, &bal, &wdr,
		    &tot) != STORE_OK)
			wdr = 0;
		snprintf(token, sizeof(token), "T%" PRIu64 ".%ld", seed, i);
		{
			money_t amount = 1 + (money_t)stress_below((uint64_t)
			    (wdr / 40 > 0 ? wdr / 40 : 1));

			if (stress_below(12) == 0)
				amount = wdr + 1 + (money_t)stress_below(1000);
			rc = withdrawal_apply(d.ff, &s, NULL, amount, token, &w, &err);
		}
		if (rc == FF_OK) {
			applied++;
			stress_ack(ack, "apply %" PRId64 " %" PRId64 " %s\n", w.id,
			    w.amount, token);
		} else if (rc == FF_REFUSED) {
			refused++;
		} else {
			errors++;
			fprintf(stderr, "# %s apply: %s\n", argv[3], err.msg);
			if (!stress_transient(rc))
				break;
		}
	}
	printf("# staff %s: applied %ld, cancelled %ld, refused %ld, errors %ld\n",
	    argv[3], applied, cancelled, refused, errors);
	stress_close(&d);
	close(ack);
	return errors ? 1 : 0;
}

static int
cmd_review(int argc, char **argv)
{
	struct stress_db d;
	struct session s;
	long approved = 0, rejected = 0, refused = 0, errors = 0, idle = 0;
	uint64_t seed;
	int ack;

	if (argc != 7)
		stress_die("usage: review DB LOGIN SEED ACK STOPFILE");
	seed = strtoull(argv[4], NULL, 10);
	stress_seed(seed);
	ack = stress_ack_open(argv[5]);
	stress_open_or_die(argv[2], &d);
	stress_session(&d, argv[3], &s);
	for (long i = 0;; i++) {
		struct withdrawal *list = NULL;
		size_t n = 0;
		struct ff_err err;
		int64_t id;
		int rc, stopping = stress_exists(argv[6]);

		rc = withdrawal_list(d.ff, &s, NULL, WD_PENDING, &list, &n, &err);
		if (rc != FF_OK) {
			errors++;
			fprintf(stderr, "# %s list: %s\n", argv[3], err.msg);
			break;
		}
		if (n == 0) {
			free(list);
			if (stopping)
				break;
			idle++;
			stress_sleep_ms(3);
			continue;
		}
		id = list[stress_below(n)].id;
		free(list);
		if (stress_below(5) != 0) {
			rc = withdrawal_approve(d.ff, &s, id, NULL, NULL, &err);
			if (rc == FF_OK) {
				approved++;
				stress_ack(ack, "approve %" PRId64 "\n", id);
			}
		} else {
			char reason[64];

			snprintf(reason, sizeof(reason), "R%" PRIu64 ".%ld", seed, i);
			rc = withdrawal_reject(d.ff, &s, id, reason, NULL, &err);
			if (rc == FF_OK) {
				rejected++;
				stress_ack(ack, "reject %" PRId64 " %s\n", id, reason);
			}
		}
		if (rc == FF_REFUSED) {
			/* Decided by another reviewer, or (approve) not
			 * affordable any more: a refusal, not an error. */
			refused++;
			if (strstr(err.msg, "already") == NULL &&
			    strstr(err.msg, "can withdraw only") != NULL &&
			    stopping) {
				/* Unaffordable and nothing more will come in:
				 * reject it so that the queue drains. */
				char reason[64];

				snprintf(reason, sizeof(reason), "R%" PRIu64 ".%ld.u",
				    seed, i);
				if (withdrawal_reject(d.ff, &s, id, reason, NULL,
				    &err) == FF_OK) {
					rejected++;
					stress_ack(ack, "reject %" PRId64 " %s\n", id,
					    reason);
				}
			}
		} else if (rc != FF_OK) {
			errors++;
			fprintf(stderr, "# %s decide %" PRId64 ": %s\n", argv[3], id,
			    err.msg);
			if (!stress_transient(rc))
				break;
		}
	}
	printf("# review %s: approved %ld, rejected %ld, refused %ld, errors %ld, "
	    "idle polls %ld\n", argv[3], approved, rejected, refused, errors, idle);
	stress_close(&d);
	close(ack);
	return errors ? 1 : 0;
}

/*
 * The approval race: every racer goes through the same applications in
 * its own order, from the same moment on.  Acknowledges "approve ID",
 * "reject ID REASON" and, for the checks, "refused ID why".
 */
static int
cmd_race(int argc, char **argv)
{
	struct stress_db d;
	struct session s;
	uint64_t seed;
	int64_t start, *ids;
	int ack, n, reject_pct, errors = 0;

	if (argc < 9)
		stress_die("usage: race DB LOGIN SEED ACK START_MS REJECT_PCT ID...");
	seed = strtoull(argv[4], NULL, 10);
	start = strtoll(argv[6], NULL, 10);
	reject_pct = atoi(argv[7]);
	n = argc - 8;
	if ((ids = calloc((size_t)n, sizeof(*ids))) == NULL)
		stress_die("out of memory");
	for (int i = 0; i < n; i++)
		ids[i] = strtoll(argv[8 + i], NULL, 10);
	stress_seed(seed);
	for (int i = n; i > 1; i--) {
		int j = (int)stress_below((uint64_t)i);
		int64_t t = ids[i - 1];

		ids[i - 1] = ids[j];
		ids[j] = t;
	}
	ack = stress_ack_open(argv[5]);
	stress_open_or_die(argv[2], &d);
	stress_session(&d, argv[3], &s);
	while (stress_now_ms() < start)
		stress_sleep_ms(1);
	for (int i = 0; i < n; i++) {
		struct ff_err err;
		int rc;

		if ((int)stress_below(100) < reject_pct) {
			char reason[64];

			snprintf(reason, sizeof(reason), "race %s %d", argv[3], i);
			rc = withdrawal_reject(d.ff, &s, ids[i], reason, NULL, &err);
			if (rc == FF_OK)
				stress_ack(ack, "reject %" PRId64 " %s\n", ids[i],
				    argv[3]);
		} else {
			rc = withdrawal_approve(d.ff, &s, ids[i], NULL, NULL, &err);
			if (rc == FF_OK)
				stress_ack(ack, "approve %" PRId64 " %s\n", ids[i],
				    argv[3]);
		}
		if (rc == FF_REFUSED)
			stress_ack(ack, "refused %" PRId64 " %s %s\n", ids[i],
			    argv[3], err.msg);
		else if (rc != FF_OK) {
			errors++;
			stress_ack(ack, "error %" PRId64 " %s %s\n", ids[i], argv[3],
			    err.msg);
		}
	}
	stress_close(&d);
	close(ack);
	free(ids);
	return errors ? 1 : 0;
}

/* --- acknowledged operations ------------------------------------------- */

/*
 * Checks, on the database after the crash loop: every acknowledged
 * application exists once with its amount and token; no token twice;
 * every acknowledged decision is there; a decision is acknowledged at
 * most once; and every application, acknowledged or not, is whole —
 * its apply activity, its decision's activity, a ledger entry exactly
 * when approved.
 */
static int
cmd_verify(int argc, char **argv)
{
	struct stress_violations v = { 0 };
	sqlite3 *db;
	sqlite3_stmt *get = NULL, *ledger = NULL, *act = NULL;
	long acks = 0;
	int64_t bad;

	if (argc < 3)
		stress_die("usage: verify DB ACK...");
	db = stress_raw(argv[2], 0);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(db, "SELECT amount, note, status, reason FROM "
	    "withdrawal WHERE id = ?", -1, &get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM ledger WHERE "
	    "withdrawal_id = ?", -1, &ledger, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM activity WHERE ok = 1 "
	    "AND action = ? AND target = ?", -1, &act, NULL) != SQLITE_OK)
		stress_die("verify: %s", sqlite3_errmsg(db));
	sqlite3_exec(db, "CREATE TEMP TABLE acked (kind TEXT, id INTEGER, "
	    "UNIQUE (kind, id))", NULL, NULL, NULL);
	for (int a = 3; a < argc; a++) {
		FILE *f = fopen(argv[a], "r");
		char line[800];

		if (f == NULL)
			continue;	/* a writer that never acknowledged */
		while (fgets(line, sizeof(line), f) != NULL) {
			char kind[16], token[200] = "";
			int64_t id = 0, amount = 0;
			char *sql;

			acks++;
			if (sscanf(line, "%15s %" SCNd64, kind, &id) != 2) {
				stress_violation(&v, "%s: unreadable line \"%s\"",
				    argv[a], line);
				continue;
			}
			if (strcmp(kind, "apply") == 0)
				sscanf(line, "%*s %*d %" SCNd64 " %199s", &amount, token);
			else if (strcmp(kind, "reject") == 0)
				sscanf(line, "%*s %*d %199s", token);
			sql = sqlite3_mprintf("INSERT INTO acked VALUES (%Q, %lld)",
			    strcmp(kind, "apply") == 0 ? "apply" : "decide",
			    (long long)id);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				stress_violation(&v, "application %" PRId64 " %s "
				    "acknowledged twice (%s)", id,
				    strcmp(kind, "apply") == 0 ? "applied" : "decided",
				    kind);
			sqlite3_free(sql);
			sqlite3_reset(get);
			sqlite3_bind_int64(get, 1, id);
			if (sqlite3_step(get) != SQLITE_ROW) {
				stress_violation(&v, "acknowledged %s of application %"
				    PRId64 " but there is no such application", kind, id);
				continue;
			}
			{
				const char *note = (const char *)sqlite3_column_text(get, 1);
				const char *status = (const char *)sqlite3_column_text(get, 2);
				const char *reason = (const char *)sqlite3_column_text(get, 3);

				if (strcmp(kind, "apply") == 0 &&
				    (sqlite3_column_int64(get, 0) != amount ||
				    strcmp(note, token) != 0))
					stress_violation(&v, "application %" PRId64 " was "
					    "acknowledged as %" PRId64 " \"%s\" but holds %"
					    PRId64 " \"%s\"", id, amount, token,
					    (int64_t)sqlite3_column_int64(get, 0), note);
				if (strcmp(kind, "approve") == 0 &&
				    strcmp(status, "approved") != 0)
					stress_violation(&v, "approval of %" PRId64
					    " acknowledged but it is %s", id, status);
				if (strcmp(kind, "cancel") == 0 &&
				    strcmp(status, "cancelled") != 0)
					stress_violation(&v, "cancel of %" PRId64
					    " acknowledged but it is %s", id, status);
				if (strcmp(kind, "reject") == 0 &&
				    (strcmp(status, "rejected") != 0 ||
				    strcmp(reason, token) != 0))
					stress_violation(&v, "rejection of %" PRId64
					    " (\"%s\") acknowledged but it is %s (\"%s\")",
					    id, token, status, reason);
			}
		}
		fclose(f);
	}
	/* Whole applications, acknowledged or not. */
	/* The writers' notes are unique tokens "T<seed>.<n>". */
	bad = stress_int(db, "SELECT COUNT(*) FROM (SELECT note FROM withdrawal "
	    "WHERE note GLOB 'T[0-9]*.[0-9]*' GROUP BY note HAVING COUNT(*) > 1)");
	if (bad)
		stress_violation(&v, "%" PRId64 " application token(s) stored twice",
		    bad);
	bad = stress_int(db, "SELECT COUNT(*) FROM withdrawal w WHERE "
	    "(SELECT COUNT(*) FROM ledger WHERE withdrawal_id = w.id) <> "
	    "(w.status = 'approved')");
	if (bad)
		stress_violation(&v, "%" PRId64 " application(s) whose ledger entries "
		    "do not match their status", bad);
	bad = stress_int(db, "SELECT COUNT(*) FROM withdrawal w WHERE w.note GLOB "
	    "'T[0-9]*.[0-9]*' AND (SELECT COUNT(*) FROM activity WHERE ok = 1 AND action = "
	    "'withdraw.apply' AND target = 'withdrawal ' || w.id) <> 1");
	if (bad)
		stress_violation(&v, "%" PRId64 " application(s) without exactly one "
		    "apply activity line (half an operation)", bad);
	bad = stress_int(db, "SELECT COUNT(*) FROM withdrawal w WHERE w.note GLOB "
	    "'T[0-9]*.[0-9]*' AND w.status <> 'pending' AND (SELECT COUNT(*) FROM activity "
	    "WHERE ok = 1 AND target = 'withdrawal ' || w.id AND action = "
	    "CASE w.status WHEN 'approved' THEN 'withdraw.approve' WHEN 'rejected' "
	    "THEN 'withdraw.reject' ELSE 'withdraw.cancel' END) <> 1");
	if (bad)
		stress_violation(&v, "%" PRId64 " decided application(s) without "
		    "exactly one decision activity line", bad);
	sqlite3_finalize(get);
	sqlite3_finalize(ledger);
	sqlite3_finalize(act);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	stress_conservation(db, &v);
	sqlite3_close(db);
	printf("# verify: %ld acknowledgements, %d violation(s)%s%s\n", acks, v.n,
	    v.n ? "; first: " : "", v.first);
	return v.n ? 1 : 0;
}

/* --- fault sweeps -------------------------------------------------------- */

enum sweep_op { OP_APPROVE, OP_REJECT, OP_APPLY, OP_CANCEL, OP_INGEST };

struct sweep {
	const char *template, *work, *mode;
	enum sweep_op op;
	const char *arg;
	int persist;
	struct session reviewer, staff, auditor;
	uint64_t before, after;		/* state digests */
};

static void
stress_copy(const char *from, const char *to)
{
	char buf[65536], side[4200];
	int in, out;
	ssize_t n;

	for (int i = 0; i < 3; i++) {
		snprintf(side, sizeof(side), "%s%s", to,
		    i == 0 ? "-wal" : i == 1 ? "-shm" : "-queue");
		unlink(side);
	}
	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		stress_die("%s: %s", from, strerror(errno));
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		stress_die("%s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			stress_die("%s: %s", to, strerror(errno));
	close(in);
	close(out);
}

/* Runs the sweep's operation once on an open database. */
static int
sweep_op_run(struct sweep *sw, struct ff *ff, struct ff_err *err)
{
	int64_t id = sw->arg ? strtoll(sw->arg, NULL, 10) : 0;

	err->msg[0] = '\0';
	err->rc = FF_OK;
	switch (sw->op) {
	case OP_APPROVE:
		return withdrawal_approve(ff, &sw->reviewer, id, NULL, NULL, err);
	case OP_REJECT:
		return withdrawal_reject(ff, &sw->reviewer, id, "sweep reason",
		    NULL, err);
	case OP_CANCEL:
		return withdrawal_cancel(ff, &sw->staff, id, NULL, err);
	case OP_APPLY:
		return withdrawal_apply(ff, &sw->staff, NULL, 100, "sweep note",
		    NULL, err);
	case OP_INGEST: {
		struct ingest_opts o;
		struct ingest_counts c;
		int fd = open(sw->arg, O_RDONLY | O_CLOEXEC), rc;

		if (fd < 0)
			stress_die("%s: %s", sw->arg, strerror(errno));
		memset(&o, 0, sizeof(o));
		o.fd = fd;
		rc = income_ingest_stream(ff, &o, &c, err);
		close(fd);
		return rc;
	}
	}
	return FF_INTERNAL;
}

/*
 * Opens the work copy for one step.  Unless SWEEP_COLD=1, it first
 * commits one activity line (as an audit run leaves one; not part of the
 * state digest), so that the WAL holds frames when the operation starts,
 * as it does on a live system: the operation's commit then appends to the
 * WAL.  Cold, the operation's first write starts the WAL afresh (a header
 * written and synced first).
 */
static int
sweep_open(struct sweep *sw, struct stress_db *d, struct ff_err *err)
{
	int rc = stress_open(sw->work, d, err);
	const char *cold = getenv("SWEEP_COLD");

	if (rc != FF_OK) {
		stress_close(d);
		return rc;
	}
	if (cold == NULL || strcmp(cold, "1") != 0)
		ff_activity(d->ff, "auditor", "audit", "", 1, "sweep: warm WAL");
	return rc;
}

/* The checks after each injected fault, on a database reopened with no
 * fault: integrity, conservation, the audit.  Returns the number of
 * problems (described on stdout). */
static int
sweep_check_db(struct sweep *sw, long n, const char *what)
{
	struct stress_violations v = { 0 };
	struct stress_db d;
	struct audit_summary sum;
	struct audit_opts ao;
	struct ff_err err;
	sqlite3 *db;
	const unsigned char *ic;
	sqlite3_stmt *s = NULL;
	int problems = 0;

	db = stress_raw(sw->work, 0);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW ||
	    (ic = sqlite3_column_text(s, 0)) == NULL || strcmp((const char *)ic,
	    "ok") != 0) {
		printf("#   %s N=%ld: integrity_check: %s\n", what, n,
		    s && sqlite3_column_text(s, 0) ? (const char *)
		    sqlite3_column_text(s, 0) : sqlite3_errmsg(db));
		problems++;
	}
	sqlite3_finalize(s);
	stress_conservation(db, &v);
	sqlite3_close(db);
	if (v.n) {
		printf("#   %s N=%ld: conservation: %s\n", what, n, v.first);
		problems++;
	}
	if (stress_open(sw->work, &d, &err) != FF_OK) {
		printf("#   %s N=%ld: cannot reopen: %s\n", what, n, err.msg);
		return problems + 1;
	}
	memset(&ao, 0, sizeof(ao));
	if (audit_run(d.ff, &sw->auditor, &ao, &sum, &err) != FF_OK) {
		printf("#   %s N=%ld: audit could not run: %s\n", what, n, err.msg);
		problems++;
	} else if (sum.findings != 0) {
		printf("#   %s N=%ld: audit: %" PRId64 " finding(s)\n", what, n,
		    sum.findings);
		problems++;
	}
	stress_close(&d);
	return problems;
}

/*
 * Ingest commits in groups (1000 events or 100 ms), so an interrupted
 * stream may leave some groups in: then the incomes, kept conflicts and
 * ledger entries present must be exactly the first ones of a whole run
 * (the file's events in order, each whole), nothing else.  Returns 1
 * when now's rows are a prefix of after's.
 */
static int
sweep_is_prefix(const char *now_path, const char *after_path)
{
	static const char *const sql[] = {
		"SELECT id, branch_id, buss_type, ikey, event_id, amount FROM income "
		    "ORDER BY id",
		"SELECT id, income_id, branch_id, amount, event_id FROM "
		    "income_conflict ORDER BY id",
		"SELECT id, account_id, seq, income_id, withdrawal_id, pre_amount, "
		    "amount, post_amount FROM ledger ORDER BY id",
	};
	sqlite3 *a = stress_raw(now_path, 0), *b = stress_raw(after_path, 0);
	int prefix = 1;

	for (size_t q = 0; q < sizeof(sql) / sizeof(*sql) && prefix; q++) {
		sqlite3_stmt *sa = NULL, *sb = NULL;

		if (sqlite3_prepare_v2(a, sql[q], -1, &sa, NULL) != SQLITE_OK ||
		    sqlite3_prepare_v2(b, sql[q], -1, &sb, NULL) != SQLITE_OK)
			stress_die("prefix: %s", sqlite3_errmsg(a));
		while (sqlite3_step(sa) == SQLITE_ROW) {
			if (sqlite3_step(sb) != SQLITE_ROW) {
				prefix = 0;
				break;
			}
			for (int c = 0; c < sqlite3_column_count(sa); c++) {
				const char *x = (const char *)sqlite3_column_text(sa, c);
				const char *y = (const char *)sqlite3_column_text(sb, c);

				if ((x == NULL) != (y == NULL) ||
				    (x != NULL && strcmp(x, y) != 0))
					prefix = 0;
			}
			if (!prefix)
				break;
		}
		sqlite3_finalize(sa);
		sqlite3_finalize(sb);
	}
	sqlite3_close(a);
	sqlite3_close(b);
	return prefix;
}

/* A clear error: says what could not be done, and why. */
static int
sweep_clear_message(const char *msg)
{
	static const char *const words[] = { "disk", "I/O", "memory", "full",
	    "database", NULL };

	if (strncmp(msg, "cannot ", 7) != 0)
		return 0;
	for (int i = 0; words[i]; i++)
		if (strstr(msg, words[i]) != NULL)
			return 1;
	return 0;
}

static void
sweep_conf(const char *mode, long n, int persist, struct shim_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->persist = persist;
	if (strcmp(mode, "kill_write") == 0)
		c->kill_write = n;
	else if (strcmp(mode, "kill_write_after") == 0)
		c->kill_write = n, c->kill_after = 1;
	else if (strcmp(mode, "kill_sync") == 0)
		c->kill_sync = n;
	else if (strcmp(mode, "kill_sync_after") == 0)
		c->kill_sync = n, c->kill_after = 1;
	else if (strcmp(mode, "fail_write") == 0)
		c->fail_write = n;
	else if (strcmp(mode, "full") == 0)
		c->fail_write = n, c->full = 1;
	else if (strcmp(mode, "fail_sync") == 0)
		c->fail_sync = n;
	else if (strcmp(mode, "fail_malloc") == 0)
		c->fail_malloc = n;
	else
		stress_die("unknown mode %s", mode);
}

/*
 * One step of a kill sweep: a child process runs the operation with a
 * SIGKILL at the Nth write or sync (and through its close, whose
 * checkpoint writes too), telling the parent through a pipe the moment
 * the operation is acknowledged.  Returns 1 when the child ran to the end
 * without the kill firing (the sweep is over), 0 when killed, -1 on a
 * problem (described).
 */
static int
sweep_kill_step(struct sweep *sw, long n, int *acked, int *op_rc)
{
	int pfd[2], status;
	pid_t pid;
	char buf[8] = { 0 };
	ssize_t got;

	if (pipe(pfd) != 0)
		stress_die("pipe: %s", strerror(errno));
	fflush(stdout);
	if ((pid = fork()) < 0)
		stress_die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct shim_conf c;
		struct stress_db d;
		struct ff_err err;
		char r;
		int rc;

		close(pfd[0]);
		if (sweep_open(sw, &d, &err) != FF_OK)
			_exit(3);
		sweep_conf(sw->mode, n, 0, &c);
		shim_set(&c);
		shim_arm();
		rc = sweep_op_run(sw, d.ff, &err);
		r = (char)('0' + rc);
		if (write(pfd[1], &r, 1) != 1)
			_exit(4);
		stress_close(&d);
		_exit(0);
	}
	close(pfd[1]);
	got = read(pfd[0], buf, sizeof(buf));
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		stress_die("waitpid: %s", strerror(errno));
	*acked = got > 0;
	*op_rc = got > 0 ? buf[0] - '0' : -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	printf("#   %s N=%ld: the child ended oddly (status %d)\n", sw->mode, n,
	    status);
	return -1;
}

static int
sweep_parse_op(const char *s, enum sweep_op *op)
{
	static const char *const names[] = { "approve", "reject", "apply",
	    "cancel", "ingest" };

	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*op = (enum sweep_op)i;
			return 0;
		}
	return -1;
}

/*
 * ffstress sweep TEMPLATE WORK MODE PERSIST OP [ARG]
 *
 * For N = 1, 2, ...: WORK = a fresh copy of TEMPLATE; the operation runs
 * with MODE injected at the Nth call; then, with no fault, the database
 * must pass integrity_check, the conservation checks and the audit, and
 * hold either the state before the operation or the state after it (one
 * clean run gives both digests) — all or nothing; when the operation was
 * acknowledged (returned FF_OK) it must hold the state after; a failure
 * must say clearly what failed; and running the operation again must
 * bring the database to the state after.  Stops at the first N the
 * operation runs through without the fault firing.  SWEEP_MAX caps N
 * (default 20000); SWEEP_STRIDE (default 1) steps N from SWEEP_START
 * (default 1); SWEEP_VERBOSE=1 prints every step.
 */
static int
cmd_sweep(int argc, char **argv)
{
	struct sweep sw;
	struct stress_db d;
	struct ff_err err;
	int kill_mode, problems = 0, rc;
	long n, max = 20000, stride = 1, first = 1, steps = 0, fired_steps = 0;
	long failed_ops = 0, acked_ops = 0, absent = 0, present = 0, partial = 0;
	char after_path[4200];

	if (argc != 7 && argc != 8)
		stress_die("usage: sweep TEMPLATE WORK MODE PERSIST OP [ARG]");
	memset(&sw, 0, sizeof(sw));
	sw.template = argv[2];
	sw.work = argv[3];
	sw.mode = argv[4];
	sw.persist = atoi(argv[5]);
	if (sweep_parse_op(argv[6], &sw.op) != 0)
		stress_die("unknown operation %s", argv[6]);
	sw.arg = argc == 8 ? argv[7] : NULL;
	if (getenv("SWEEP_MAX"))
		max = atol(getenv("SWEEP_MAX"));
	if (getenv("SWEEP_STRIDE"))
		stride = atol(getenv("SWEEP_STRIDE"));
	if (stride < 1)
		stride = 1;
	if (getenv("SWEEP_START"))
		first = atol(getenv("SWEEP_START"));
	if (first < 1)
		first = 1;
	kill_mode = strncmp(sw.mode, "kill_", 5) == 0;

	/* The sessions, and the digests before and after one clean run. */
	stress_copy(sw.template, sw.work);
	stress_open_or_die(sw.work, &d);
	if (store_operator_get(d.ff->st, "reviewer", &sw.reviewer.op) != STORE_OK ||
	    store_operator_get(d.ff->st, "staff", &sw.staff.op) != STORE_OK ||
	    store_operator_get(d.ff->st, "auditor", &sw.auditor.op) != STORE_OK)
		stress_die("the template needs reviewer, staff and auditor");
	stress_close(&d);
	sw.before = stress_state_of(sw.work);
	stress_open_or_die(sw.work, &d);
	{
		struct shim_conf c;
		struct shim_counts cnt;

		memset(&c, 0, sizeof(c));
		shim_set(&c);
		shim_arm();
		if ((rc = sweep_op_run(&sw, d.ff, &err)) != FF_OK)
			stress_die("the operation fails with no fault: %s", err.msg);
		stress_close(&d);
		shim_disarm();
		shim_counts(&cnt);
		printf("# %s %s: one clean run makes %ld writes, %ld syncs, %ld "
		    "allocations (close included)\n", argv[6], sw.arg ? sw.arg : "",
		    cnt.writes, cnt.syncs, cnt.mallocs);
	}
	sw.after = stress_state_of(sw.work);
	snprintf(after_path, sizeof(after_path), "%s.after", sw.work);
	stress_copy(sw.work, after_path);
	if (sw.after == sw.before)
		stress_die("the operation changes nothing");

	for (n = first; n <= max; n += stride) {
		struct shim_counts cnt;
		uint64_t now;
		int acked = 0, op_rc = FF_INTERNAL, done;
		char msg[sizeof(err.msg)] = "";

		steps++;
		stress_copy(sw.template, sw.work);
		if (kill_mode) {
			done = sweep_kill_step(&sw, n, &acked, &op_rc);
			if (done < 0) {
				problems++;
				break;
			}
			if (!done)
				fired_steps++;
		} else {
			struct shim_conf c;

			if (sweep_open(&sw, &d, &err) != FF_OK)
				stress_die("open: %s", err.msg);
			sweep_conf(sw.mode, n, sw.persist, &c);
			shim_set(&c);
			shim_arm();
			op_rc = sweep_op_run(&sw, d.ff, &err);
			acked = 1;
			snprintf(msg, sizeof(msg), "%s", err.msg);
			/* Closing runs the checkpoint: still under the
			 * fault when it persists. */
			stress_close(&d);
			shim_disarm();
			shim_counts(&cnt);
			done = cnt.fired == 0;
			if (cnt.fired)
				fired_steps++;
			if (done && op_rc != FF_OK) {
				printf("#   %s N=%ld: the operation failed with no "
				    "fault injected: %s\n", sw.mode, n, msg);
				problems++;
			}
			if (op_rc != FF_OK) {
				failed_ops++;
				if (!sweep_clear_message(msg)) {
					printf("#   %s N=%ld: unclear error: \"%s\" "
					    "(rc %d)\n", sw.mode, n, msg, op_rc);
					problems++;
				}
				if (op_rc == FF_OK || op_rc == FF_REFUSED ||
				    op_rc == FF_NOTFOUND || op_rc == FF_INVALID) {
					printf("#   %s N=%ld: a fault reported as a "
					    "business refusal (rc %d): %s\n", sw.mode, n,
					    op_rc, msg);
					problems++;
				}
			}
		}
		now = stress_state_of(sw.work);
		if (getenv("SWEEP_VERBOSE"))
			printf("#   %s N=%ld: %s, rc %d, %s: %s\n", sw.mode, n,
			    done ? "ran through" : "injected", op_rc,
			    now == sw.before ? "absent" : now == sw.after ?
			    "present" : "PARTIAL", msg);
		if (!kill_mode && op_rc != FF_OK && now == sw.after &&
		    strstr(msg, "nothing was changed") != NULL) {
			printf("#   %s N=%ld: the error said \"nothing was changed\" "
			    "but the operation is in the database once the fault "
			    "is gone: \"%s\"\n", sw.mode, n, msg);
			problems++;
		}
		if (now != sw.before && now != sw.after && sw.op == OP_INGEST &&
		    sweep_is_prefix(sw.work, after_path)) {
			partial++;	/* whole groups of whole events */
		} else if (now != sw.before && now != sw.after) {
			printf("#   %s N=%ld: the database holds part of the operation "
			    "(neither the state before nor after)\n", sw.mode, n);
			problems++;
		}
		if (acked && op_rc == FF_OK) {
			acked_ops++;
			if (now != sw.after) {
				printf("#   %s N=%ld: the operation was reported done "
				    "but is not in the database\n", sw.mode, n);
				problems++;
			}
		}
		if (now == sw.before)
			absent++;
		else if (now == sw.after)
			present++;
		problems += sweep_check_db(&sw, n, sw.mode);
		/* The fault gone, the operation goes through (or finds
		 * itself done) and the database ends as after one run. */
		if (now != sw.after || sw.op == OP_INGEST) {
			if (stress_open(sw.work, &d, &err) != FF_OK) {
				printf("#   %s N=%ld: cannot reopen: %s\n", sw.mode, n,
				    err.msg);
				problems++;
			} else {
				rc = sweep_op_run(&sw, d.ff, &err);
				stress_close(&d);
				if (rc != FF_OK) {
					printf("#   %s N=%ld: the operation fails again "
					    "with no fault: %s\n", sw.mode, n, err.msg);
					problems++;
				} else if (stress_state_of(sw.work) != sw.after) {
					printf("#   %s N=%ld: after the retry the database "
					    "differs from one clean run\n", sw.mode, n);
					problems++;
				}
			}
		}
		if (problems > 20)
			break;
		if (done)
			break;
	}
	printf("# sweep %s %s%s %s: %ld steps (%ld injected), failed %ld, "
	    "acknowledged %ld; after the fault: %ld absent, %ld present, %ld "
	    "first groups; %d problem(s)\n", argv[6], sw.mode,
	    sw.persist ? " persistent" : "", sw.arg ? sw.arg : "", steps,
	    fired_steps, failed_ops, acked_ops, absent, present, partial,
	    problems);
	if (n > max) {
		printf("#   the operation never ran through (SWEEP_MAX %ld)\n", max);
		if (stride == 1)
			problems++;
	}
	return problems ? 1 : 0;
}

/* --- tampering helper ---------------------------------------------------- */

static int
cmd_rehash(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *s = NULL, *u = NULL;
	uint8_t prev[FF_HASH_LEN] = { 0 };
	long n = 0;

	if (argc != 4)
		stress_die("usage: rehash DB CODE");
	db = stress_raw(argv[2], 1);
	if (sqlite3_prepare_v2(db, "SELECT l.id, l.seq, l.kind, "
	    "COALESCE(l.income_id, l.withdrawal_id), l.pre_amount, l.amount, "
	    "l.post_amount, l.at, l.actor, COALESCE(i.buss_type, 0), "
	    "COALESCE(i.ikey, ''), COALESCE(i.ref_id, ''), "
	    "COALESCE(i.event_id, ''), COALESCE(i.withdrawable, 0), "
	    "COALESCE(w.applicant_id, 0), COALESCE(w.decided_by, 0), "
	    "COALESCE(w.status, ''), COALESCE(w.flow, 0) FROM ledger l "
	    "JOIN branch b ON b.id = l.account_id "
	    "LEFT JOIN income i ON i.id = l.income_id "
	    "LEFT JOIN withdrawal w ON w.id = l.withdrawal_id "
	    "WHERE b.code = ? ORDER BY l.seq", -1, &s,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE ledger SET hash = ? WHERE id = ?", -1,
	    &u, NULL) != SQLITE_OK)
		stress_die("rehash: %s", sqlite3_errmsg(db));
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_bind_text(s, 1, argv[3], -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct ledger_entry e;
		uint8_t h[FF_HASH_LEN];

		memset(&e, 0, sizeof(e));
		snprintf(e.branch_code, sizeof(e.branch_code), "%s", argv[3]);
		e.seq = sqlite3_column_int64(s, 1);
		e.kind = strcmp((const char *)sqlite3_column_text(s, 2), "income") == 0 ?
		    ENTRY_INCOME : ENTRY_WITHDRAWAL;
		e.source_id = sqlite3_column_int64(s, 3);
		e.pre_amount = sqlite3_column_int64(s, 4);
		e.amount = sqlite3_column_int64(s, 5);
		e.post_amount = sqlite3_column_int64(s, 6);
		snprintf(e.at, sizeof(e.at), "%s", sqlite3_column_text(s, 7));
		snprintf(e.actor, sizeof(e.actor), "%s", sqlite3_column_text(s, 8));
		/* The source as chain format 2 hashes it (model/chain.h). */
		e.src.buss_type = sqlite3_column_int(s, 9);
		snprintf(e.src.ikey, sizeof(e.src.ikey), "%s",
		    sqlite3_column_text(s, 10));
		snprintf(e.src.ref_id, sizeof(e.src.ref_id), "%s",
		    sqlite3_column_text(s, 11));
		snprintf(e.src.event_id, sizeof(e.src.event_id), "%s",
		    sqlite3_column_text(s, 12));
		e.src.withdrawable = sqlite3_column_int(s, 13);
		e.src.applicant_id = sqlite3_column_int64(s, 14);
		e.src.decided_by = sqlite3_column_int64(s, 15);
		e.src.status = wd_status_parse((const char *)
		    sqlite3_column_text(s, 16));
		if (e.src.status < 0)
			e.src.status = 0;
		e.src.flow = sqlite3_column_int(s, 17);
		chain_hash(prev, &e, h);
		memcpy(prev, h, sizeof(prev));
		sqlite3_reset(u);
		sqlite3_bind_blob(u, 1, h, FF_HASH_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(u, 2, sqlite3_column_int64(s, 0));
		if (sqlite3_step(u) != SQLITE_DONE)
			stress_die("rehash: %s", sqlite3_errmsg(db));
		n++;
	}
	sqlite3_finalize(s);
	sqlite3_finalize(u);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		stress_die("rehash: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	printf("# rehashed %ld entries of %s\n", n, argv[3]);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "gen", cmd_gen }, { "staff", cmd_staff },
		{ "review", cmd_review }, { "race", cmd_race },
		{ "watch", cmd_watch }, { "check", cmd_check },
		{ "state", cmd_state }, { "hold", cmd_hold },
		{ "verify", cmd_verify }, { "sweep", cmd_sweep },
		{ "rehash", cmd_rehash },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Before anything touches SQLite: the shim VFS and allocator. */
	if (shim_install() != 0)
		stress_die("cannot install the shim VFS");
	/* FFSHIM: a fault for this whole process (the crash loop). */
	if (getenv("FFSHIM") != NULL) {
		struct shim_conf c;

		if (shim_parse(getenv("FFSHIM"), &c) != 0)
			stress_die("bad FFSHIM \"%s\"", getenv("FFSHIM"));
		shim_set(&c);
		if (!c.arm_on_lock)
			shim_arm();
	}
	if (auth_init_library() != 0)
		stress_die("cannot initialise libsodium");
	if (argc >= 2)
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (strcmp(argv[1], cmds[i].name) == 0)
				return cmds[i].fn(argc, argv);
	fprintf(stderr, "usage: see tests/stress/ffstress.c\n");
	return 64;
}
