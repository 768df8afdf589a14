/*
 * rows.c — running statements and reading their rows: text parameters
 * in, text columns out, every failure mapped to a store_rc at this
 * boundary.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

void
pg_set_errmsg(struct pg_store *st, const char *msg)
{
	size_t len;

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg);
	len = strlen(st->errmsg);
	while (len > 0 && (st->errmsg[len - 1] == '\n' ||
	    st->errmsg[len - 1] == ' '))
		st->errmsg[--len] = '\0';
}

void
pg_p_int(struct pg_params *p, int64_t x)
{
	assert(p->n < PG_MAXP);		/* parameters are counted in code */
	snprintf(p->buf[p->n], sizeof(p->buf[p->n]), "%" PRId64, x);
	p->v[p->n] = p->buf[p->n];
	p->n++;
}

void
pg_p_text(struct pg_params *p, const char *s)
{
	assert(p->n < PG_MAXP);
	p->v[p->n++] = s;
}

void
pg_p_hash(struct pg_params *p, const uint8_t h[FF_HASH_LEN],
    char h2[2 * FF_HASH_LEN + 3])
{
	static const char hex[] = "0123456789abcdef";

	h2[0] = '\\';
	h2[1] = 'x';
	for (int i = 0; i < FF_HASH_LEN; i++) {
		h2[2 + 2 * i] = hex[h[i] >> 4];
		h2[3 + 2 * i] = hex[h[i] & 15];
	}
	h2[2 + 2 * FF_HASH_LEN] = '\0';
	pg_p_text(p, h2);
}

/*
 * SQLSTATE classes to the store's codes: 23 the schema refused (a check,
 * a unique key, a trigger's check_violation), 40 a serialization failure
 * or deadlock (undone: run it again), 55P03 a lock not had within
 * lock_timeout (busy: try again), 42501 no privilege, 08 and a dead connection: the server gone.
 */
int
pg_fail(struct pg_store *st, const PGresult *r)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) :
	    NULL;
	const char *msg = r != NULL ?
	    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	pg_set_errmsg(st, msg != NULL ? msg : PQerrorMessage(st->conn));
	if (PQstatus(st->conn) == CONNECTION_BAD)
		return STORE_GONE;
	if (state == NULL)
		return STORE_ERROR;
	if (strncmp(state, "23", 2) == 0)
		return STORE_CONSTRAINT;
	/* The server undid the whole transaction to break a cycle: the
	 * caller may run it again at once (it has not waited long). */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return STORE_RETRY;
	if (strcmp(state, "55P03") == 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "another writer "
		    "held the account for more than %d ms",
		    st->busy_timeout_ms);
		return STORE_BUSY;
	}
	if (strcmp(state, "42501") == 0 || strcmp(state, "25006") == 0)
		return STORE_READONLY;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return STORE_GONE;
	if (strcmp(state, "53100") == 0)
		return STORE_IOERR;	/* disk full */
	if (strcmp(state, "53200") == 0)
		return STORE_NOMEM;
	return STORE_ERROR;
}

PGresult *
pg_run(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int *rc)
{
	char name[16];
	PGresult *r;
	ExecStatusType s;

	snprintf(name, sizeof(name), "ff%d", (int)id);
	if (st->in_tx == 0 && (*rc = pg_reconnect(st)) != STORE_OK)
		return NULL;
	if (st->ndefer > 0 || st->begin_pending || !st->prepared[id])
		return pg_run_pipelined(st, id, p, rc);
	r = PQexecPrepared(st->conn, name, p ? p->n : 0, p ? p->v : NULL,
	    NULL, NULL, 0);
	s = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		*rc = pg_fail(st, r);
		PQclear(r);
		return NULL;
	}
	*rc = STORE_OK;
	return r;
}

int
pg_exec(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int64_t *changed)
{
	int rc;
	PGresult *r = pg_run(st, id, p, &rc);

	if (r == NULL)
		return rc;
	if (changed != NULL)
		*changed = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return STORE_OK;
}

int
pg_simple(struct pg_store *st, const char *sql)
{
	return pg_simple_params(st, sql, NULL);
}

int64_t
pg_int(const PGresult *r, int row, int col)
{
	const char *s = PQgetvalue(r, row, col);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	if (strcmp(s, "t") == 0)
		return 1;
	if (strcmp(s, "f") == 0)
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? (int64_t)v : 0;
}

int
pg_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

void
pg_text(const PGresult *r, int row, int col, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s", PQgetisnull(r, row, col) ? "" :
	    PQgetvalue(r, row, col));
}

static int
rows_hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

void
pg_hash(const PGresult *r, int row, int col, uint8_t out[FF_HASH_LEN])
{
	const char *s = PQgetvalue(r, row, col);

	memset(out, 0, FF_HASH_LEN);
	if (PQgetisnull(r, row, col) || strlen(s) != 2 + 2 * FF_HASH_LEN ||
	    s[0] != '\\' || s[1] != 'x')
		return;
	for (int i = 0; i < FF_HASH_LEN; i++) {
		int hi = rows_hex(s[2 + 2 * i]), lo = rows_hex(s[3 + 2 * i]);

		if (hi < 0 || lo < 0) {
			memset(out, 0, FF_HASH_LEN);
			return;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
}

int
pg_collect(PGresult *r, size_t rowsz, pg_row_reader rd, void **out, size_t *n)
{
	int rows = PQntuples(r);
	char *a;

	*out = NULL;
	*n = 0;
	if (rows > 0) {
		a = xcalloc((size_t)rows, rowsz);
		for (int i = 0; i < rows; i++)
			rd(r, i, a + (size_t)i * rowsz);
		*out = a;
		*n = (size_t)rows;
	}
	PQclear(r);
	return STORE_OK;
}

int
pg_one(PGresult *r, pg_row_reader rd, void *out)
{
	int rc = STORE_NOTFOUND;

	if (PQntuples(r) > 0) {
		rd(r, 0, out);
		rc = STORE_OK;
	}
	PQclear(r);
	return rc;
}

/*
 * Every row of statement id through cb, fetched in batches from a cursor
 * so that a walk over millions of rows holds one batch in memory; small
 * (a limit the caller knows is small) runs the prepared statement once
 * instead.  Outside a transaction the walk opens its own read-only
 * snapshot.  cb returns non-zero to stop (not an error).
 */
#define ROWS_BATCH 4096
int
pg_each(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int small, pg_each_cb cb, void *arg)
{
	static unsigned cursors;
	char name[24], *sql;
	PGresult *r;
	int rc = STORE_OK, own = 0, stop = 0;

	if (small) {
		if ((r = pg_run(st, id, p, &rc)) == NULL)
			return rc;
		for (int i = 0; i < PQntuples(r) && !stop; i++)
			stop = cb(arg, r, i);
		PQclear(r);
		return STORE_OK;
	}
	if (st->in_tx == 0) {
		if ((rc = pg_begin_read(st)) != STORE_OK)
			return rc;
		own = 1;
	} else if ((rc = pg_flush(st, 0)) != STORE_OK) {
		return rc;
	}
	snprintf(name, sizeof(name), "ffc%u", ++cursors);
	sql = xasprintf("DECLARE %s NO SCROLL CURSOR FOR %s", name, pg_sql[id]);
	r = PQexecParams(st->conn, sql, p ? p->n : 0, NULL, p ? p->v : NULL,
	    NULL, NULL, 0);
	free(sql);
	if (r == NULL || PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_fail(st, r);
		PQclear(r);
		goto out;
	}
	PQclear(r);
	sql = xasprintf("FETCH %d FROM %s", ROWS_BATCH, name);
	while (!stop) {
		r = PQexec(st->conn, sql);
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = pg_fail(st, r);
			PQclear(r);
			break;
		}
		for (int i = 0; i < PQntuples(r) && !stop; i++)
			stop = cb(arg, r, i);
		if (PQntuples(r) < ROWS_BATCH)
			stop = 1;
		PQclear(r);
	}
	free(sql);
	if (rc == STORE_OK) {
		sql = xasprintf("CLOSE %s", name);
		rc = pg_simple(st, sql);
		free(sql);
	}
out:
	if (own) {
		if (rc == STORE_OK)
			rc = pg_commit(st);
		else
			pg_rollback(st);
	}
	return rc;
}

int
pg_simple_params(struct pg_store *st, const char *sql,
    const struct pg_params *p)
{
	PGresult *r;
	ExecStatusType s;
	int rc = STORE_OK;

	if ((rc = pg_flush(st, 0)) != STORE_OK)
		return rc;
	r = p == NULL ? PQexec(st->conn, sql) :
	    PQexecParams(st->conn, sql, p->n, NULL, p->v, NULL, NULL, 0);
	s = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = pg_fail(st, r);
	PQclear(r);
	return rc;
}

void
pg_buf_init(struct pg_buf *b)
{
	b->cap = 256;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

void
pg_buf_putc(struct pg_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		b->s = xrealloc(b->s, b->cap *= 2);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
pg_buf_int(struct pg_buf *b, int64_t x)
{
	char t[24];

	snprintf(t, sizeof(t), "%" PRId64, x);
	pg_buf_str_put(b, t);
}

void
pg_buf_array_text(struct pg_buf *b, const char *s)
{
	pg_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			pg_buf_putc(b, '\\');
		pg_buf_putc(b, *s);
	}
	pg_buf_putc(b, '"');
}

void
pg_buf_str_put(struct pg_buf *b, const char *s)
{
	while (*s != '\0')
		pg_buf_putc(b, *s++);
}

const char *
pg_buf_str(const struct pg_buf *b)
{
	return b->s;
}

void
pg_buf_free(struct pg_buf *b)
{
	free(b->s);
	b->s = NULL;
}

int
pg_next_id(struct pg_store *st, enum pg_stmt id, int64_t *pool, int *n,
    int64_t *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	if (*n == 0) {
		pg_p_int(&p, PG_IDS);
		if ((r = pg_run(st, id, &p, &rc)) == NULL)
			return rc;
		/* Handed out in ascending order: the pool is used from its
		 * end, so keep it descending. */
		for (int i = 0; i < PQntuples(r) && i < PG_IDS; i++)
			pool[PQntuples(r) - 1 - i] = pg_int(r, i, 0);
		*n = PQntuples(r) < PG_IDS ? PQntuples(r) : PG_IDS;
		PQclear(r);
		if (*n == 0) {
			snprintf(st->errmsg, sizeof(st->errmsg), "the id "
			    "sequence gave no ids");
			return STORE_ERROR;
		}
	}
	*out = pool[--*n];
	return STORE_OK;
}
