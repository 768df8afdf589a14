/* testlib.c — see testlib.h. */
#include "testlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/accounts.h"
#include "model/auth.h"
#include "store/store.h"
#include "store/xmalloc.h"

char *
testlib_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/fftest.XXXXXX", base && *base ? base : "/tmp");

	if (mkdtemp(tmpl) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return tmpl;
}

void
testlib_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/*
 * On PostgreSQL (FF_TEST_PG="host=... port=..." of a running cluster with
 * the roles of tests/pg/cluster.sh; FF_TEST_PG_SUPER its superuser), each
 * test gets a new database owned by ff_owner, and works as ff_owner: the
 * schema is made at the first open, and every open is a create (the owner
 * is refused otherwise).  The raw SQL below runs there too, with
 * hex() and group_concat() made for it as SQLite has them.
 */
static const char *
testlib_pg(void)
{
	const char *v = getenv("FF_TEST_PG");

	return v != NULL && *v != '\0' ? v : NULL;
}

static void
testlib_pg_super(const char *sql)
{
	const char *su = getenv("FF_TEST_PG_SUPER");
	char *ci = xasprintf("%s dbname=postgres user=%s", testlib_pg(),
	    su ? su : "postgres");
	PGconn *c = PQconnectdb(ci);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect %s: %s", ci, PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	free(ci);
}

static const char testlib_pg_compat[] =
	"CREATE FUNCTION public.hex(bytea) RETURNS text LANGUAGE sql IMMUTABLE "
	"AS $$ SELECT upper(encode($1, 'hex')) $$;"
	"CREATE FUNCTION public.testlib_gc(a text, v text, s text) RETURNS text "
	"LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v IS NULL THEN a "
	"WHEN a IS NULL THEN v ELSE a || s || v END $$;"
	"CREATE AGGREGATE public.group_concat(text, text) "
	"(SFUNC = public.testlib_gc, STYPE = text);"
	"CREATE FUNCTION public.testlib_gc1(a text, v anyelement) RETURNS text "
	"LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN v IS NULL THEN a "
	"WHEN a IS NULL THEN v::text ELSE a || ',' || v::text END $$;"
	"CREATE AGGREGATE public.group_concat(anyelement) "
	"(SFUNC = public.testlib_gc1, STYPE = text);";

static void
testlib_connect(struct testlib *t, int create)
{
	struct ff_err err = { 0 };

	if (testlib_pg() != NULL && create) {
		/* The owner makes the schema; the test works as the
		 * application role, as fundflow does. */
		char *own = xasprintf("%s dbname=%s user=ff_owner", testlib_pg(),
		    t->pgdb);

		if (ff_open(t->cfg, own, 1, &t->ff, &err) != FF_OK)
			fail_msg("ff_open %s: %s", own, err.msg);
		ff_close(t->ff);
		free(own);
		create = 0;
	}
	if (ff_open(t->cfg, t->path, create, &t->ff, &err) != FF_OK)
		fail_msg("ff_open %s: %s", t->path, err.msg);
	t->ff->clock = TESTLIB_CLOCK;
}

void
testlib_open(struct testlib *t, const char *cfg_text)
{
	char *cerr = NULL;

	memset(t, 0, sizeof(*t));
	t->dir = testlib_tmpdir();
	if (testlib_pg() != NULL) {
		static unsigned n;
		char *sql;

		t->pgdb = xasprintf("fft_%ld_%u", (long)getpid(), ++n);
		sql = xasprintf("CREATE DATABASE %s OWNER ff_owner", t->pgdb);
		testlib_pg_super(sql);
		free(sql);
		t->path = xasprintf("%s dbname=%s user=fundflow_app",
		    testlib_pg(), t->pgdb);
		testlib_sql_ok(t->path, testlib_pg_compat);
	} else {
		t->path = xasprintf("%s/ff.db", t->dir);
	}
	if (cfg_text == NULL)
		t->cfg = config_defaults();
	else if (config_load_string(cfg_text, "test.cfg", &t->cfg, &cerr) != 0)
		fail_msg("config: %s", cerr);
	testlib_connect(t, 1);
}

void
testlib_close(struct testlib *t)
{
	ff_close(t->ff);
	t->ff = NULL;
	config_free(t->cfg);
	t->cfg = NULL;
	if (t->dir != NULL)
		testlib_rmdir(t->dir);
	if (t->pgdb != NULL) {
		char *sql = xasprintf("DROP DATABASE %s WITH (FORCE)", t->pgdb);

		testlib_pg_super(sql);
		free(sql);
	}
	free(t->dir);
	free(t->path);
	free(t->pgdb);
	t->dir = t->path = t->pgdb = NULL;
}

int
testlib_setup(void **state)
{
	struct testlib *t = xcalloc(1, sizeof(*t));

	testlib_open(t, NULL);
	*state = t;
	return 0;
}

int
testlib_teardown(void **state)
{
	struct testlib *t = *state;

	if (t != NULL) {
		testlib_close(t);
		free(t);
	}
	*state = NULL;
	return 0;
}

void
testlib_reopen(struct testlib *t)
{
	ff_close(t->ff);
	t->ff = NULL;
	testlib_connect(t, 0);
}

void
testlib_admin(struct testlib *t)
{
	struct ff_err err = { 0 };

	if (auth_init_admin(t->ff, "admin", TESTLIB_PASSWORD, &err) != FF_OK)
		fail_msg("auth_init_admin: %s", err.msg);
	testlib_session(t->ff, "admin", &t->admin);
}

void
testlib_branch(struct testlib *t, const char *code)
{
	struct ff_err err = { 0 };
	struct branch b;
	char name[64];

	snprintf(name, sizeof(name), "Branch %s", code);
	if (t->admin.op.id != 0) {
		if (accounts_branch_add(t->ff, &t->admin, code, name, &err) != FF_OK)
			fail_msg("accounts_branch_add %s: %s", code, err.msg);
		return;
	}
	memset(&b, 0, sizeof(b));
	snprintf(b.code, sizeof(b.code), "%s", code);
	snprintf(b.name, sizeof(b.name), "%s", name);
	ff_now(t->ff, b.created_at);
	assert_int_equal(store_begin(t->ff->st), STORE_OK);
	if (store_branch_add(t->ff->st, &b) != STORE_OK)
		fail_msg("store_branch_add %s: %s", code, store_errmsg(t->ff->st));
	assert_int_equal(store_commit(t->ff->st), STORE_OK);
}

void
testlib_operator(struct testlib *t, const char *login, enum role role,
    const char *branch, struct session *out)
{
	struct operator op, admin;
	struct branch b;

	memset(&op, 0, sizeof(op));
	assert_int_equal(store_operator_get(t->ff->st, "admin", &admin), STORE_OK);
	snprintf(op.login, sizeof(op.login), "%s", login);
	snprintf(op.name, sizeof(op.name), "Test %s", login);
	op.role = role;
	memcpy(op.pwhash, admin.pwhash, sizeof(op.pwhash));
	ff_now(t->ff, op.created_at);
	if (branch != NULL) {
		assert_int_equal(store_branch_get(t->ff->st, branch, &b), STORE_OK);
		op.branch_id = b.id;
	}
	assert_int_equal(store_begin(t->ff->st), STORE_OK);
	if (store_operator_add(t->ff->st, &op) != STORE_OK)
		fail_msg("store_operator_add %s: %s", login,
		    store_errmsg(t->ff->st));
	assert_int_equal(store_commit(t->ff->st), STORE_OK);
	if (out != NULL)
		testlib_session(t->ff, login, out);
}

void
testlib_session(struct ff *ff, const char *login, struct session *out)
{
	memset(out, 0, sizeof(*out));
	if (store_operator_get(ff->st, login, &out->op) != STORE_OK)
		fail_msg("no operator %s", login);
}

void
testlib_world(struct testlib *t, const char *const *codes)
{
	testlib_admin(t);
	for (size_t i = 0; codes[i] != NULL; i++)
		testlib_branch(t, codes[i]);
	testlib_operator(t, "rev", ROLE_REVIEWER, NULL, NULL);
	testlib_operator(t, "rev2", ROLE_REVIEWER, NULL, NULL);
	testlib_operator(t, "aud", ROLE_AUDITOR, NULL, NULL);
	testlib_operator(t, "staff", ROLE_STAFF, codes[0], NULL);
}

enum ingest_outcome
testlib_ingest(struct ff *ff, const char *event_id, const char *branch,
    int32_t buss_type, const char *ref, money_t amount, struct ff_err *err)
{
	struct ff_err tmp = { 0 };
	enum ingest_outcome oc = INGEST_REJECTED;
	struct event ev;

	if (err == NULL)
		err = &tmp;
	memset(&ev, 0, sizeof(ev));
	snprintf(ev.event_id, sizeof(ev.event_id), "%s", event_id ? event_id : "");
	snprintf(ev.branch, sizeof(ev.branch), "%s", branch);
	ev.buss_type = buss_type;
	snprintf(ev.ref_id, sizeof(ev.ref_id), "%s", ref);
	ev.amount = amount;
	if (income_ingest_event(ff, &ev, &oc, err) != FF_OK)
		fail_msg("income_ingest_event: %s", err->msg);
	return oc;
}

void
testlib_account(struct ff *ff, const char *code, struct account *out)
{
	struct branch b;

	assert_int_equal(store_branch_get(ff->st, code, &b), STORE_OK);
	assert_int_equal(store_account_get(ff->st, b.id, out), STORE_OK);
}

/* --- raw SQL ----------------------------------------------------------------- */

static sqlite3 *
testlib_sql_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("sqlite3_open %s: %s", path, sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The same on PostgreSQL: SQLITE_OK, SQLITE_CONSTRAINT for a refusal of
 * the schema (SQLSTATE class 23), else SQLITE_ERROR; *v the first value. */
static int
testlib_pq(const char *path, const char *sql, char **errmsg, char **v)
{
	/* Raw SQL is the owner's (SQLite's file has one): what the guards
	 * refuse is refused by them, not by the grants. */
	char *own = xstrdup(path), *u = strstr(own, "user=fundflow_app");
	PGconn *c;
	PGresult *r;
	int rc = SQLITE_OK;

	if (u != NULL)
		memcpy(u, "user=ff_owner\0", 14);
	c = PQconnectdb(own);
	free(own);

	if (errmsg != NULL)
		*errmsg = NULL;
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect %s: %s", path, PQerrorMessage(c));
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

		rc = state && strncmp(state, "23", 2) == 0 ? SQLITE_CONSTRAINT :
		    SQLITE_ERROR;
		if (errmsg != NULL)
			*errmsg = xstrdup(m ? m : PQerrorMessage(c));
	} else if (v != NULL) {
		if (PQntuples(r) < 1)
			fail_msg("%s: no row", sql);
		*v = xstrdup(PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
testlib_sql(const char *path, const char *sql, char **errmsg)
{
	sqlite3 *db;
	char *msg = NULL;
	int rc;

	if (store_is_server(path))
		return testlib_pq(path, sql, errmsg, NULL);
	db = testlib_sql_open(path);

	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (errmsg != NULL)
		*errmsg = msg ? xstrdup(msg) : NULL;
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc & 0xff;
}

void
testlib_sql_ok(const char *path, const char *sql)
{
	char *msg = NULL;

	if (testlib_sql(path, sql, &msg) != SQLITE_OK)
		fail_msg("%s\n  refused: %s", sql, msg ? msg : "?");
	free(msg);
}

void
testlib_sql_refused(const char *path, const char *sql, const char *want)
{
	char *msg = NULL;
	int rc = testlib_sql(path, sql, &msg);

	if (rc == SQLITE_OK)
		fail_msg("%s\n  was accepted; want a refusal with \"%s\"", sql, want);
	if (msg == NULL || strstr(msg, want) == NULL)
		fail_msg("%s\n  refused with \"%s\"; want \"%s\"", sql,
		    msg ? msg : "?", want);
	free(msg);
}

int64_t
testlib_sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	int64_t v;

	if (store_is_server(path)) {
		char *t = NULL, *msg = NULL;

		if (testlib_pq(path, sql, &msg, &t) != SQLITE_OK)
			fail_msg("%s: %s", sql, msg);
		v = strcmp(t, "t") == 0 ? 1 : strcmp(t, "f") == 0 ? 0 :
		    strtoll(t, NULL, 10);
		free(t);
		return v;
	}
	db = testlib_sql_open(path);

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

char *
testlib_sql_text(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	const unsigned char *t;
	char *v;

	if (store_is_server(path)) {
		char *msg = NULL;

		if (testlib_pq(path, sql, &msg, &v) != SQLITE_OK)
			fail_msg("%s: %s", sql, msg);
		return v;
	}
	db = testlib_sql_open(path);

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: no row (%s)", sql, sqlite3_errmsg(db));
	t = sqlite3_column_text(s, 0);
	v = xstrdup(t ? (const char *)t : "");
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

char *
testlib_fingerprint(const char *path)
{
	return testlib_sql_text(path,
	    "SELECT 'incomes ' || (SELECT COUNT(*) FROM income)"
	    " || ' entries ' || (SELECT COUNT(*) FROM ledger)"
	    " || ' applications ' || (SELECT COUNT(*) FROM withdrawal)"
	    " || ' | accounts ' || COALESCE((SELECT group_concat(branch_id || ':'"
	    "      || balance || '/' || withdrawable || '/' || total_withdrawn, ' ')"
	    "    FROM (SELECT * FROM account ORDER BY branch_id) AS x), '')"
	    " || ' | statuses ' || COALESCE((SELECT group_concat(id || ':' || status,"
	    "      ' ') FROM (SELECT * FROM withdrawal ORDER BY id) AS x), '')"
	    " || ' | incomes ' || COALESCE((SELECT group_concat(branch_id || ':'"
	    "      || buss_type || ':' || ikey || ':' || amount || ':' || withdrawable,"
	    "      ' ') FROM (SELECT * FROM income ORDER BY id) AS x), '')"
	    " || ' | ledger ' || COALESCE((SELECT group_concat(account_id || '#'"
	    "      || seq || ':' || kind || ':' || COALESCE(income_id, withdrawal_id)"
	    "      || ':' || pre_amount || '+' || amount || '=' || post_amount"
	    "      || ':' || actor || ':' || hex(hash), ' ')"
	    "    FROM (SELECT * FROM ledger ORDER BY id) AS x), '')");
}

void
testlib_write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t off = 0;

	assert_true(fd >= 0);
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		assert_true(n > 0);
		off += (size_t)n;
	}
	assert_int_equal(close(fd), 0);
}
