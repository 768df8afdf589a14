/*
 * store.c — the PostgreSQL connection: the name that picks this engine,
 * connecting (passwords from a file or libpq's own, never the command
 * line), creating the schema and the grants on an empty database,
 * transactions, the data version from LISTEN/NOTIFY, and what SQLite does
 * that PostgreSQL does otherwise (backups, durability, file owners).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/pg/internal.h"
#include "store/secret.h"
#include "store/xmalloc.h"

#define PG_CONNECT_TIMEOUT "10"		/* seconds, unless the name says */
#define PG_APP_ROLE "fundflow_app"

static int pg_password(const char *path, char *buf, size_t bufsz,
    char **cause);
static int pg_prepare_schema(struct pg_store *st,
    const struct store_open_opts *o, char **cause);
static int pg_install(struct pg_store *st, const char *app_role,
    char **cause);
static int pg_record_release(struct pg_store *st, const struct release *r);
static int pg_table_owner(struct pg_store *st, int *owner);
static int pg_session(struct pg_store *st);
static void pg_notice(void *arg, const char *message);
static int pg_resolve(struct pg_store *st);

/* The server's notices (a warning, "terminating connection") are kept as
 * the last message, never printed: stderr may be a screen. */
static void
pg_notice(void *arg, const char *message)
{
	pg_set_errmsg(arg, message);
}

int
pg_is_conninfo(const char *name)
{
	const char *p = name;

	if (strncmp(name, "postgresql://", 13) == 0 ||
	    strncmp(name, "postgres://", 11) == 0)
		return 1;
	/* libpq keywords, "host=... dbname=...": a word and then '='. */
	while (*p == ' ')
		p++;
	if (!islower((unsigned char)*p))
		return 0;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return *p == '=';
}

/*
 * The first line of path: a regular file no one but its owner may read or
 * write, opened without following a link and checked on the descriptor
 * read.  0, or -1 with *cause.
 */
static int
pg_password(const char *path, char *buf, size_t bufsz, char **cause)
{
	enum secret_rc src;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		*cause = xasprintf("%s: cannot read the database password "
		    "(database.password_file): %s", path, strerror(errno));
		return -1;
	}
	/* The group may read it (an installed fundflow reads it with its
	 * service group's rights); nobody else may read it, and only its
	 * owner may change it. */
	src = secret_read_fd(fd, buf, bufsz);
	close(fd);
	if (src == SECRET_UNSAFE) {
		*cause = xasprintf("%s: refused as the database password "
		    "file: others may read it or change it (make it mode 0600, "
		    "or 0640 for a service group)", path);
		return -1;
	}
	if (src == SECRET_EMPTY) {
		*cause = xasprintf("%s: the database password file is empty",
		    path);
		return -1;
	}
	return 0;
}

int
pg_open(const char *conninfo, const struct store_open_opts *o,
    struct store *outer, struct pg_store **out, char **cause)
{
	const char *kw[6], *val[6];
	char password[256] = "", *perr = NULL;
	PQconninfoOption *opts;
	struct pg_store *st;
	int rc, k = 0, has_password = 0;

	*out = NULL;
	*cause = NULL;
	if ((opts = PQconninfoParse(conninfo, &perr)) == NULL) {
		*cause = xasprintf("%s: not a PostgreSQL connection string (%s)",
		    conninfo, perr != NULL ? strtok(perr, "\n") : "out of memory");
		PQfreemem(perr);
		return STORE_CANTOPEN;
	}
	for (PQconninfoOption *p = opts; p->keyword != NULL; p++)
		if (strcmp(p->keyword, "password") == 0 && p->val != NULL)
			has_password = 1;
	PQconninfoFree(opts);
	if (has_password) {
		*cause = xasprintf("refused: the database name holds a password, "
		    "which any user on this host could read in the list of "
		    "processes; put it in database.password_file or ~/.pgpass "
		    "(PGPASSFILE) instead");
		return STORE_UNSAFE;
	}
	if (o->password_file != NULL && *o->password_file != '\0' &&
	    pg_password(o->password_file, password, sizeof(password), cause) != 0)
		return STORE_UNSAFE;

	/* Ours first: what the name says wins over them. */
	kw[k] = "application_name", val[k++] = "fundflow";
	kw[k] = "connect_timeout", val[k++] = PG_CONNECT_TIMEOUT;
	kw[k] = "dbname", val[k++] = conninfo;
	if (password[0] != '\0')
		kw[k] = "password", val[k++] = password;
	kw[k] = NULL, val[k] = NULL;

	st = xcalloc(1, sizeof(*st));
	st->outer = outer;
	st->name = xstrdup(conninfo);
	st->busy_timeout_ms = o->busy_timeout_ms;
	snprintf(st->app_role, sizeof(st->app_role), "%s",
	    o->app_role ? o->app_role : PG_APP_ROLE);
	outer->pg = st;
	st->conn = PQconnectdbParams(kw, val, 1);
	explicit_bzero(password, sizeof(password));
	if (st->conn != NULL)
		PQsetNoticeProcessor(st->conn, pg_notice, st);
	if (st->conn == NULL || PQstatus(st->conn) != CONNECTION_OK) {
		const char *m = st->conn ? PQerrorMessage(st->conn) : "out of memory";
		char *line = xstrdup(m);

		line[strcspn(line, "\n")] = '\0';
		*cause = xasprintf("%s: cannot connect to the database server "
		    "(%s)", conninfo, line);
		free(line);
		rc = STORE_GONE;
		goto out;
	}
	if ((rc = pg_session(st)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", conninfo, store_strerror(rc),
		    st->errmsg);
		goto out;
	}
	if ((rc = pg_prepare_schema(st, o, cause)) != STORE_OK)
		goto out;
	if (o->release != NULL &&
	    (rc = pg_record_release(st, o->release)) != STORE_OK) {
		*cause = xasprintf("%s: cannot write the release record: %s (%s)",
		    conninfo, store_strerror(rc), st->errmsg);
		goto out;
	}
	*out = st;
	return STORE_OK;
out:
	outer->pg = NULL;
	pg_close(st);
	return rc;
}

/* What each session sets: the lock wait (busy_timeout_ms), quiet
 * notices, READ COMMITTED writes, and LISTEN for other sessions' commits. */
static int
pg_session(struct pg_store *st)
{
	char timeout[48];
	int rc;

	snprintf(timeout, sizeof(timeout), "SET lock_timeout = %d",
	    st->busy_timeout_ms > 0 ? st->busy_timeout_ms : 5000);
	if ((rc = pg_simple(st, timeout)) != STORE_OK ||
	    (rc = pg_simple(st, "SET client_min_messages = warning")) != STORE_OK ||
	    (rc = pg_simple(st, "SET default_transaction_isolation = "
	    "'read committed'")) != STORE_OK ||
	    (rc = pg_simple(st, "LISTEN fundflow_changed")) != STORE_OK)
		return rc;
	if (st->actor[0] != '\0')
		pg_set_actor(st, st->actor);
	return STORE_OK;
}

/*
 * Outside a transaction, a lost connection is made again (the screens go
 * on by themselves once the server is back): statements are prepared
 * anew, and the data version moves, since what changed meanwhile is not
 * known.  STORE_OK when connected, STORE_GONE (errmsg says why) when not.
 */
int
pg_reconnect(struct pg_store *st)
{
	if (PQstatus(st->conn) == CONNECTION_OK)
		return STORE_OK;
	if (st->in_tx != 0)
		return pg_fail(st, NULL);
	PQreset(st->conn);
	if (PQstatus(st->conn) != CONNECTION_OK)
		return pg_fail(st, NULL);
	memset(st->prepared, 0, sizeof(st->prepared));
	st->changes++;
	return pg_session(st);
}

/*
 * An empty database gets the schema (create only); one of a newer schema
 * is refused; and the role we are must not own the tables unless this is
 * the owner creating them: the role that works on the data must be one
 * that cannot turn the guards off.
 */
static int
pg_prepare_schema(struct pg_store *st, const struct store_open_opts *o,
    char **cause)
{
	int version, rc, owner = 0;

	if ((rc = pg_schema_version(st, &version)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", st->name, store_strerror(rc),
		    st->errmsg);
		return rc;
	}
	if (version == 0 && !o->create) {
		*cause = xasprintf("%s is not a fundflow database yet (create "
		    "one with 'fundflow init' or 'fundflow demo')", st->name);
		return STORE_CANTOPEN;
	}
	if (version == 0)
		return pg_install(st, o->app_role ? o->app_role : PG_APP_ROLE,
		    cause);
	if (version > STORE_SCHEMA_VERSION) {
		*cause = xasprintf("%s: the database has schema version %d but "
		    "this fundflow knows only up to %d; use a newer fundflow",
		    st->name, version, STORE_SCHEMA_VERSION);
		return STORE_NEWER;
	}
	if ((rc = pg_table_owner(st, &owner)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", st->name, store_strerror(rc),
		    st->errmsg);
		return rc;
	}
	if (owner && !o->create) {
		*cause = xasprintf("%s: refused: connected as the role that owns "
		    "fundflow's tables, which could turn their guards off; "
		    "connect as the application role (%s) instead", st->name,
		    o->app_role ? o->app_role : PG_APP_ROLE);
		return STORE_UNSAFE;
	}
	return STORE_OK;
}

/* 1 in *owner when the role we are owns the ledger table. */
static int
pg_table_owner(struct pg_store *st, int *owner)
{
	PGresult *r = PQexec(st->conn, "SELECT pg_catalog.pg_has_role("
	    "(SELECT relowner FROM pg_catalog.pg_class "
	    "WHERE oid = 'public.ledger'::regclass), 'USAGE')");
	int rc = STORE_OK;

	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(st, r);
	else
		*owner = (int)pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

/*
 * Creates the schema and grants the application role its rights, in one
 * transaction: run by the role that is to own the tables.  A missing
 * application role is created (NOLOGIN: the owner gives it a login and a
 * password) when we may create roles; otherwise nothing is created and
 * *cause says what to run.
 */
static int
pg_install(struct pg_store *st, const char *app, char **cause)
{
	char *grants = NULL, *owner = NULL, *app_q = NULL, *sql;
	const char *p;
	size_t len = 0, cap;
	PGresult *r;
	int rc, exists;

	app_q = PQescapeIdentifier(st->conn, app, strlen(app));
	r = PQexec(st->conn, "SELECT current_user");
	if (app_q == NULL || r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(st, r);
		PQclear(r);
		goto fail;
	}
	owner = PQescapeIdentifier(st->conn, PQgetvalue(r, 0, 0),
	    strlen(PQgetvalue(r, 0, 0)));
	PQclear(r);
	if ((rc = pg_simple(st, "BEGIN")) != STORE_OK ||
	    (rc = pg_simple(st, pg_schema_sql)) != STORE_OK)
		goto fail_rb;
	{
		const char *v[1] = { app };

		r = PQexecParams(st->conn, "SELECT 1 FROM pg_catalog.pg_roles "
		    "WHERE rolname = $1", 1, NULL, v, NULL, NULL, 0);
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = pg_fail(st, r);
			PQclear(r);
			goto fail_rb;
		}
		exists = PQntuples(r) > 0;
		PQclear(r);
	}
	if (!exists) {
		sql = xasprintf("CREATE ROLE %s NOLOGIN", app_q);
		rc = pg_simple(st, sql);
		free(sql);
		if (rc != STORE_OK) {
			pg_simple(st, "ROLLBACK");
			*cause = xasprintf("%s: the application role %s does not "
			    "exist and this role may not create it; as a "
			    "superuser run: CREATE ROLE %s LOGIN; then run "
			    "'fundflow init' again", st->name, app, app_q);
			rc = STORE_CANTOPEN;
			goto out;
		}
	}
	/* The grants with the two roles put in. */
	cap = strlen(pg_grants_sql) * 2 + 256;
	grants = xmalloc(cap);
	for (p = pg_grants_sql; *p != '\0';) {
		const char *with = NULL;
		size_t skip = 0, wl;

		if (strncmp(p, "__OWNER__", 9) == 0)
			with = owner, skip = 9;
		else if (strncmp(p, "__APP__", 7) == 0)
			with = app_q, skip = 7;
		if (with != NULL) {
			wl = strlen(with);
			while (len + wl + 1 > cap)
				grants = xrealloc(grants, cap *= 2);
			memcpy(grants + len, with, wl);
			len += wl;
			p += skip;
			continue;
		}
		if (len + 2 > cap)
			grants = xrealloc(grants, cap *= 2);
		grants[len++] = *p++;
	}
	grants[len] = '\0';
	if ((rc = pg_simple(st, grants)) != STORE_OK ||
	    (rc = pg_simple(st, "COMMIT")) != STORE_OK)
		goto fail_rb;
	goto out;
fail_rb:
	pg_simple(st, "ROLLBACK");
fail:
	*cause = xasprintf("%s: cannot create fundflow's tables: %s (%s)",
	    st->name, store_strerror(rc), st->errmsg);
out:
	free(grants);
	PQfreemem(owner);
	PQfreemem(app_q);
	return rc;
}

static int
pg_record_release(struct pg_store *st, const struct release *r)
{
	struct pg_params p = { 0 };
	int rc;

	pg_p_text(&p, r->version);
	pg_p_text(&p, r->git_commit);
	pg_p_int(&p, STORE_SCHEMA_VERSION);
	pg_p_text(&p, r->at);
	pg_p_text(&p, r->host);
	pg_p_text(&p, r->os_user);
	if ((rc = pg_exec(st, PG_RELEASE_ADD, &p, NULL)) != STORE_OK)
		return rc;
	return STORE_OK;
}

void
pg_close(struct pg_store *st)
{
	if (st == NULL)
		return;
	if (st->conn != NULL)
		PQfinish(st->conn);
	free(st->keys);
	free(st->name);
	free(st);
}

const char *
pg_errmsg(const struct pg_store *st)
{
	return st ? st->errmsg : "no database";
}

const char *
pg_path(const struct pg_store *st)
{
	return st && st->name ? st->name : "";
}

/* The database's owner in the sense of SQLite's file owner: none (the
 * server's roles decide who may write, not a file's owner). */
int
pg_file_owner(struct pg_store *st, unsigned *uid)
{
	(void)st;
	(void)uid;
	return -1;
}

void
pg_set_actor(struct pg_store *st, const char *who)
{
	char sql[128], *lit;

	snprintf(sql, sizeof(sql), "fundflow %s", who ? who : "");
	if (who != st->actor)
		snprintf(st->actor, sizeof(st->actor), "%s", who ? who : "");
	/* Seen in pg_stat_activity: who holds a lock another waits for. */
	if ((lit = PQescapeLiteral(st->conn, sql, strlen(sql))) != NULL) {
		char *set = xasprintf("SET application_name = %s", lit);

		pg_simple(st, set);
		free(set);
		PQfreemem(lit);
	}
}

int
pg_take_holder(struct pg_store *st, struct store_holder *out)
{
	(void)st;
	(void)out;
	return 0;
}

int
pg_begin(struct pg_store *st)
{
	int rc = pg_reconnect(st);

	st->xid[0] = '\0';
	/* BEGIN and the transaction's id go with the first statement
	 * (pipeline.c): no round trip of their own. */
	if (rc == STORE_OK) {
		st->begin_pending = 1;
		st->in_tx = 2;
	}
	st->locked = 0;
	st->head_of = 0;
	return rc;
}

/*
 * The answer to COMMIT was lost with the connection.  On a new one, the
 * transaction's id says what the server did: committed (STORE_OK),
 * aborted (STORE_LOST: nothing was kept, the same change may be made
 * again), or, while the old session's server process has not noticed
 * yet, in progress: that process is ended (it is ours: same role; its
 * transaction id is checked, so a reused pid is never touched), and the
 * status asked again until it is final, within the busy timeout.
 * STORE_UNKNOWN when no answer can be had.
 */
static int
pg_resolve(struct pg_store *st)
{
	int64_t deadline_ms = (st->busy_timeout_ms > 2000 ?
	    st->busy_timeout_ms : 2000);
	char pid[16];
	int ended = 0;

	snprintf(pid, sizeof(pid), "%d", st->backend);
	st->in_tx = 0;
	for (int64_t waited = 0; waited <= deadline_ms; waited += 20) {
		const char *v[2] = { st->xid, pid };
		PGresult *r;
		char status[24] = "";

		if (pg_reconnect(st) != STORE_OK) {
			if (waited + 200 > deadline_ms)
				break;
			usleep(200 * 1000);
			waited += 180;
			continue;
		}
		r = PQexecParams(st->conn, "SELECT pg_catalog.pg_xact_status("
		    "$1::xid8)", 1, NULL, v, NULL, NULL, 0);
		if (r != NULL && PQresultStatus(r) == PGRES_TUPLES_OK &&
		    PQntuples(r) == 1)
			pg_text(r, 0, 0, status, sizeof(status));
		PQclear(r);
		if (strcmp(status, "committed") == 0)
			return STORE_OK;
		if (strcmp(status, "aborted") == 0) {
			snprintf(st->errmsg, sizeof(st->errmsg), "the server "
			    "did not keep the transaction");
			return STORE_LOST;
		}
		if (strcmp(status, "in progress") != 0)
			break;	/* too old to tell, or no answer */
		if (!ended) {
			ended = 1;
			PQclear(PQexecParams(st->conn, "SELECT "
			    "pg_catalog.pg_terminate_backend(pid) FROM "
			    "pg_catalog.pg_stat_activity WHERE pid = $2::int "
			    "AND backend_xid::text = ((($1::xid8)::text)::numeric "
			    "% 4294967296)::text", 2, NULL, v, NULL, NULL, 0));
		}
		usleep(20 * 1000);
	}
	snprintf(st->errmsg, sizeof(st->errmsg), "the connection was lost "
	    "during COMMIT and the server could not say whether it was kept");
	return STORE_UNKNOWN;
}

/* The feeders' turn: one advisory lock, held to the end of the
 * transaction, taken by the first statement's round trip (its refusal,
 * past the lock timeout, is that statement's). */
int
pg_begin_feed(struct pg_store *st)
{
	int rc = pg_begin(st);

	if (rc == STORE_OK &&
	    (rc = pg_defer(st, PG_FEED_LOCK, NULL, 0)) != STORE_OK)
		pg_rollback(st);
	return rc;
}

int
pg_begin_read(struct pg_store *st)
{
	int rc = pg_reconnect(st);

	if (rc == STORE_OK)
		rc = pg_simple(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");

	if (rc == STORE_OK)
		st->in_tx = 1;
	return rc;
}

/* A COMMIT whose answer never came (the connection was lost) may or may
 * not have been kept: the caller says so and the next look tells. */
int
pg_commit(struct pg_store *st)
{
	int rc = STORE_OK;

	if (st->begin_pending && st->ndefer == 0) {
		/* Nothing was sent: there is no transaction to end. */
		st->begin_pending = 0;
		goto out;
	}
	/* The kept writes (if any) and COMMIT in one round trip. */
	rc = pg_flush(st, 1);
	if (rc == STORE_GONE && st->in_tx != 2)
		rc = STORE_OK;		/* a read: what it read stands */
	else if (rc == STORE_GONE)
		rc = st->xid[0] != '\0' ? pg_resolve(st) : STORE_UNKNOWN;
	else if (rc != STORE_OK &&
	    PQtransactionStatus(st->conn) != PQTRANS_IDLE)
		PQclear(PQexec(st->conn, "ROLLBACK"));
out:
	st->in_tx = 0;
	st->locked = 0;
	st->head_of = 0;
	pg_keys_clear(st);
	return rc;
}

void
pg_rollback(struct pg_store *st)
{
	if (st == NULL || st->conn == NULL)
		return;
	pg_defer_drop(st);
	st->begin_pending = 0;
	if (PQtransactionStatus(st->conn) != PQTRANS_IDLE)
		PQclear(PQexec(st->conn, "ROLLBACK"));
	st->in_tx = 0;
	st->locked = 0;
	st->head_of = 0;
	pg_keys_clear(st);
}

/* Every notification another session's commit sent moves the version. */
int
pg_data_version(struct pg_store *st, int64_t *out)
{
	PGnotify *n;

	if (PQstatus(st->conn) != CONNECTION_OK || PQconsumeInput(st->conn) == 0) {
		/* Lost: try once to connect again; the version moves. */
		int rc = pg_reconnect(st);

		if (rc != STORE_OK)
			return rc;
	}
	while ((n = PQnotifies(st->conn)) != NULL) {
		if (n->be_pid != PQbackendPID(st->conn))
			st->changes++;
		PQfreemem(n);
	}
	*out = st->changes;
	return STORE_OK;
}

int
pg_schema_version(struct pg_store *st, int *out)
{
	PGresult *r = PQexec(st->conn,
	    "SELECT to_regclass('public.schema_version') IS NOT NULL");
	int rc;

	*out = 0;
	if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_fail(st, r);
		PQclear(r);
		return rc;
	}
	rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!rc)
		return STORE_OK;
	if ((r = pg_run(st, PG_SCHEMA_VERSION, NULL, &rc)) == NULL)
		return rc;
	if (PQntuples(r) == 1)
		*out = (int)pg_int(r, 0, 0);
	PQclear(r);
	return STORE_OK;
}

/* Durability is the server's (synchronous_commit), not a connection's. */
int
pg_set_durable(struct pg_store *st, int durable)
{
	(void)st;
	(void)durable;
	return STORE_OK;
}

int
pg_backup_fd(struct pg_store *st, int fd)
{
	(void)fd;
	snprintf(st->errmsg, sizeof(st->errmsg), "fundflow backs up SQLite "
	    "files; back a PostgreSQL database up with pg_dump (or the "
	    "server's base backups and WAL archive)");
	return STORE_ERROR;
}

int
pg_bulk_writes(struct pg_store *st)
{
	(void)st;
	return STORE_OK;
}
