/*
 * pipeline.c — writes whose answer the model does not wait for, sent
 * together with what follows them.
 *
 * A decision's last writes (the ledger entry, the account's figures, the
 * application's status, the activity line) change rows the transaction
 * has locked already, and nothing the model does next depends on their
 * answer but success.  Each was a round trip of its own, about a tenth of
 * an approval each on a busy server.  They are kept here (pg_defer) and
 * sent in one pipeline (libpq's pipeline mode), with COMMIT when the
 * transaction ends, or before the next statement that must see them.  A
 * write refused there fails the transaction as it would have failed the
 * call: nothing of it is kept, and the refusal is what COMMIT returns.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

#define PG_TAIL 2		/* statements after the kept ones, at most */

static PGresult *pipeline_result(struct pg_store *st);
static int pipeline_send(struct pg_store *st, enum pg_stmt id, int n,
    const char *const *v, int *sent_prepare, const enum pg_stmt *ids,
    const int *earlier, int nearlier);
static int pipeline_read(struct pg_store *st, enum pg_stmt id,
    int sent_prepare, int want_one, int *rc, PGresult **out);
static int pipeline_run(struct pg_store *st, int commit, int ntail,
    const enum pg_stmt *ids, const struct pg_params *const *ps,
    PGresult **outs);

int
pg_defer(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int want_one)
{
	struct pg_deferred *d;
	int64_t changed = 0;
	int rc;

	if (st->in_tx != 2) {
		/* Outside a write transaction: at once. */
		if ((rc = pg_exec(st, id, p, &changed)) != STORE_OK)
			return rc;
		return !want_one || changed == 1 ? STORE_OK : STORE_NOTFOUND;
	}
	if (st->ndefer == PG_DEFER && (rc = pg_flush(st, 0)) != STORE_OK)
		return rc;
	d = &st->defer[st->ndefer++];
	d->id = id;
	d->want_one = want_one;
	d->n = p != NULL ? p->n : 0;
	d->v = xcalloc(d->n > 0 ? (size_t)d->n : 1, sizeof(*d->v));
	for (int i = 0; i < d->n; i++)
		d->v[i] = p->v[i] != NULL ? xstrdup(p->v[i]) : NULL;
	return STORE_OK;
}

void
pg_defer_drop(struct pg_store *st)
{
	for (int i = 0; i < st->ndefer; i++) {
		for (int j = 0; j < st->defer[i].n; j++)
			free(st->defer[i].v[j]);
		free(st->defer[i].v);
	}
	st->ndefer = 0;
}

/* The next result of the pipeline, and the NULL that ends its query;
 * NULL when the connection failed. */
static PGresult *
pipeline_result(struct pg_store *st)
{
	PGresult *r = PQgetResult(st->conn), *end;

	if (r != NULL && PQresultStatus(r) != PGRES_PIPELINE_SYNC &&
	    (end = PQgetResult(st->conn)) != NULL)
		PQclear(end);	/* not expected: one result per query */
	return r;
}

/* Sends statement id, prepared first when it is not yet and no earlier
 * statement of the pipeline (ids[], earlier[]) prepares it; 0, or -1
 * when the connection failed. */
static int
pipeline_send(struct pg_store *st, enum pg_stmt id, int n,
    const char *const *v, int *sent_prepare, const enum pg_stmt *ids,
    const int *earlier, int nearlier)
{
	char name[16];

	snprintf(name, sizeof(name), "ff%d", (int)id);
	*sent_prepare = 0;
	if (!st->prepared[id]) {
		int already = 0;

		for (int j = 0; j < nearlier; j++)
			already |= ids[j] == id && earlier[j];
		if (!already) {
			if (PQsendPrepare(st->conn, name, pg_sql[id], 0,
			    NULL) != 1)
				return -1;
			*sent_prepare = 1;
		}
	}
	return PQsendQueryPrepared(st->conn, name, n, v, NULL, NULL, 0) == 1 ?
	    0 : -1;
}

/* Reads one statement's answers (its prepare's first, when sent); the
 * first failure goes to *rc.  The result itself to *out when out is
 * not NULL and all went well; -1 when the connection failed. */
static int
pipeline_read(struct pg_store *st, enum pg_stmt id, int sent_prepare,
    int want_one, int *rc, PGresult **out)
{
	ExecStatusType s;
	PGresult *r;

	if (sent_prepare) {
		if ((r = pipeline_result(st)) == NULL)
			return -1;
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			st->prepared[id] = 1;
		else if (*rc == STORE_OK)
			*rc = pg_fail(st, r);
		PQclear(r);
	}
	if ((r = pipeline_result(st)) == NULL)
		return -1;
	s = PQresultStatus(r);
	if (*rc == STORE_OK && s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		*rc = s == PGRES_PIPELINE_ABORTED ? STORE_ERROR : pg_fail(st, r);
	else if (*rc == STORE_OK && want_one &&
	    strtoll(PQcmdTuples(r), NULL, 10) != 1) {
		snprintf(st->errmsg, sizeof(st->errmsg), "a row the "
		    "transaction had locked was not there to change");
		*rc = STORE_NOTFOUND;
	}
	if (*rc == STORE_OK && out != NULL) {
		*out = r;
		return 0;
	}
	PQclear(r);
	return 0;
}

/*
 * The kept writes, then COMMIT (commit set) or ntail statements (ids[k]
 * with ps[k]; their results to outs[k]), in one round trip.  The first
 * failure is returned (outs all NULL then); STORE_GONE when the
 * connection failed under it, what the server did then unknown here.
 */
static int
pipeline_run(struct pg_store *st, int commit, int ntail,
    const enum pg_stmt *ids, const struct pg_params *const *ps,
    PGresult **outs)
{
	int rc = STORE_OK, n = st->ndefer, sent[PG_DEFER + PG_TAIL];
	int begin = st->begin_pending;
	enum pg_stmt all[PG_DEFER + PG_TAIL];
	PGresult *r;

	assert(ntail <= PG_TAIL);
	for (int k = 0; k < ntail; k++)
		outs[k] = NULL;
	st->begin_pending = 0;
	if (PQenterPipelineMode(st->conn) != 1) {
		pg_defer_drop(st);
		rc = pg_fail(st, NULL);
		return rc == STORE_OK ? STORE_ERROR : rc;
	}
	/* A write transaction's BEGIN, and its id: if the answer to COMMIT
	 * is lost, the id tells whether it was kept (pg_resolve). */
	if (begin && (PQsendQueryParams(st->conn, "BEGIN ISOLATION LEVEL "
	    "READ COMMITTED", 0, NULL, NULL, NULL, NULL, 0) != 1 ||
	    PQsendQueryParams(st->conn, "SELECT pg_catalog.pg_current_xact_id()",
	    0, NULL, NULL, NULL, NULL, 0) != 1))
		goto lost;
	for (int i = 0; i < n; i++) {
		struct pg_deferred *d = &st->defer[i];

		all[i] = d->id;
		if (pipeline_send(st, d->id, d->n, (const char *const *)d->v,
		    &sent[i], all, sent, i) != 0)
			goto lost;
	}
	for (int k = 0; k < ntail; k++) {
		all[n + k] = ids[k];
		if (pipeline_send(st, ids[k], ps[k] ? ps[k]->n : 0,
		    ps[k] ? ps[k]->v : NULL, &sent[n + k], all, sent, n + k) != 0)
			goto lost;
	}
	if (commit && PQsendQueryParams(st->conn, "COMMIT", 0, NULL, NULL,
	    NULL, NULL, 0) != 1)
		goto lost;
	if (PQpipelineSync(st->conn) != 1)
		goto lost;
	if (begin) {
		if ((r = pipeline_result(st)) == NULL)
			goto lost;
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(st, r);
		PQclear(r);
		if ((r = pipeline_result(st)) == NULL)
			goto lost;
		if (rc == STORE_OK && PQresultStatus(r) == PGRES_TUPLES_OK &&
		    PQntuples(r) == 1) {
			pg_text(r, 0, 0, st->xid, sizeof(st->xid));
			st->backend = PQbackendPID(st->conn);
		} else if (rc == STORE_OK) {
			rc = PQresultStatus(r) == PGRES_PIPELINE_ABORTED ?
			    STORE_ERROR : pg_fail(st, r);
		}
		PQclear(r);
	}
	for (int i = 0; i < n; i++)
		if (pipeline_read(st, st->defer[i].id, sent[i],
		    st->defer[i].want_one, &rc, NULL) != 0)
			goto lost;
	for (int k = 0; k < ntail; k++)
		if (pipeline_read(st, ids[k], sent[n + k], 0, &rc, &outs[k]) != 0)
			goto lost;
	if (commit) {
		if ((r = pipeline_result(st)) == NULL)
			goto lost;
		if (rc == STORE_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_fail(st, r);
		else if (rc == STORE_OK && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
			snprintf(st->errmsg, sizeof(st->errmsg), "the "
			    "transaction had failed and was rolled back");
			rc = STORE_ERROR;
		}
		PQclear(r);
	}
	if ((r = PQgetResult(st->conn)) == NULL ||
	    PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		PQclear(r);
		goto lost;
	}
	PQclear(r);
	PQexitPipelineMode(st->conn);
	pg_defer_drop(st);
	if (rc != STORE_OK)
		for (int k = 0; k < ntail; k++) {
			PQclear(outs[k]);
			outs[k] = NULL;
		}
	return rc;
lost:
	rc = pg_fail(st, NULL);
	if (PQstatus(st->conn) != CONNECTION_OK)
		rc = STORE_GONE;
	PQexitPipelineMode(st->conn);
	pg_defer_drop(st);
	for (int k = 0; k < ntail; k++) {
		PQclear(outs[k]);
		outs[k] = NULL;
	}
	return rc == STORE_OK ? STORE_ERROR : rc;
}

int
pg_flush(struct pg_store *st, int commit)
{
	if (st->ndefer == 0 && !st->begin_pending && !commit)
		return STORE_OK;
	return pipeline_run(st, commit, 0, NULL, NULL, NULL);
}

PGresult *
pg_run_pipelined(struct pg_store *st, enum pg_stmt id,
    const struct pg_params *p, int *rc)
{
	PGresult *r = NULL;

	*rc = pipeline_run(st, 0, 1, &id, &p, &r);
	return *rc == STORE_OK ? r : NULL;
}

int
pg_run_two(struct pg_store *st, enum pg_stmt id1, const struct pg_params *p1,
    enum pg_stmt id2, const struct pg_params *p2, PGresult **r1,
    PGresult **r2)
{
	enum pg_stmt ids[2] = { id1, id2 };
	const struct pg_params *ps[2] = { p1, p2 };
	PGresult *outs[2];
	int rc;

	assert(st->in_tx != 0);	/* a lost connection is not made again here */
	rc = pipeline_run(st, 0, 2, ids, ps, outs);
	*r1 = outs[0];
	*r2 = outs[1];
	return rc;
}
