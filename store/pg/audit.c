/*
 * audit.c — the reads the audit is built from, on PostgreSQL: the whole
 * chain account by account with what each entry's source says, the key
 * groups of the seed's first watch query, every source by id, and the
 * guards compared with schema.sql (a trigger missing or disabled, a right
 * the application role must not have).  The checks are the model's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

struct audit_walk {
	store_chain_cb chain;
	store_dup_cb dup;
	store_source_cb source;
	enum entry_kind kind;
	void *arg;
};

static int
audit_chain_row(void *arg, const PGresult *r, int i)
{
	struct audit_walk *w = arg;
	struct chain_row row;
	struct ledger_entry *e = &row.e;

	memset(&row, 0, sizeof(row));
	e->id = pg_int(r, i, 0);
	e->account_id = pg_int(r, i, 1);
	e->seq = pg_int(r, i, 2);
	e->kind = pg_int(r, i, 3) ? ENTRY_WITHDRAWAL : ENTRY_INCOME;
	e->source_id = pg_int(r, i, 4);
	e->pre_amount = pg_int(r, i, 5);
	e->amount = pg_int(r, i, 6);
	e->post_amount = pg_int(r, i, 7);
	pg_text(r, i, 8, e->at, sizeof(e->at));
	pg_text(r, i, 9, e->actor, sizeof(e->actor));
	pg_hash(r, i, 10, e->hash);
	row.source_found = (int)pg_int(r, i, 11);
	row.source_branch_id = pg_int(r, i, 12);
	row.source_amount = pg_int(r, i, 13);
	row.source_status = WD_PENDING;
	if (e->kind == ENTRY_WITHDRAWAL) {
		char status[16];
		int s;

		pg_text(r, i, 14, status, sizeof(status));
		s = wd_status_parse(status);
		row.source_status = s < 0 ? WD_PENDING : (enum wd_status)s;
	}
	row.source_withdrawable = (int)pg_int(r, i, 15);
	pg_read_source(r, i, 16, e);
	return w->chain(w->arg, &row);
}

int
pg_audit_chain(struct pg_store *st, store_chain_cb cb, void *arg)
{
	struct audit_walk w = { .chain = cb, .arg = arg };

	return pg_each(st, PG_AUDIT_CHAIN, NULL, 0, audit_chain_row, &w);
}

static int
audit_dup_row(void *arg, const PGresult *r, int i)
{
	struct audit_walk *w = arg;
	struct dup_group g;

	memset(&g, 0, sizeof(g));
	g.buss_type = (int32_t)pg_int(r, i, 0);
	pg_text(r, i, 1, g.key, sizeof(g.key));
	g.count = pg_int(r, i, 2);
	return w->dup(w->arg, &g);
}

int
pg_audit_duplicates(struct pg_store *st, store_dup_cb cb, void *arg)
{
	struct audit_walk w = { .dup = cb, .arg = arg };

	return pg_each(st, PG_AUDIT_DUP_REF, NULL, 0, audit_dup_row, &w);
}

int
pg_audit_dup_ids(struct pg_store *st, struct dup_group *g)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_text(&p, g->key);
	pg_p_int(&p, g->buss_type);
	if ((r = pg_run(st, PG_AUDIT_DUP_IDS, &p, &rc)) == NULL)
		return rc;
	g->first_id = pg_int(r, 0, 0);
	g->last_id = pg_int(r, 0, 1);
	PQclear(r);
	return STORE_OK;
}

static int
audit_source_row(void *arg, const PGresult *r, int i)
{
	struct audit_walk *w = arg;
	struct source_row s;

	memset(&s, 0, sizeof(s));
	s.id = pg_int(r, i, 0);
	s.branch_id = pg_int(r, i, 1);
	s.amount = pg_int(r, i, 2);
	s.withdrawable = (int)pg_int(r, i, 3);
	if (w->kind == ENTRY_WITHDRAWAL) {
		char status[16];
		int k;

		pg_text(r, i, 4, status, sizeof(status));
		k = wd_status_parse(status);
		s.status = k < 0 ? WD_PENDING : (enum wd_status)k;
	}
	return w->source(w->arg, &s);
}

int
pg_audit_sources(struct pg_store *st, enum entry_kind kind,
    store_source_cb cb, void *arg)
{
	struct audit_walk w = { .source = cb, .kind = kind, .arg = arg };

	return pg_each(st, kind == ENTRY_INCOME ? PG_AUDIT_INCOMES :
	    PG_AUDIT_WITHDRAWALS, NULL, 0, audit_source_row, &w);
}

/* The triggers schema.sql creates: "table trigger" pairs, from its text. */
static char **
audit_want_triggers(size_t *n)
{
	char **want = NULL;
	const char *p = pg_schema_sql;
	size_t cap = 0;

	*n = 0;
	while ((p = strstr(p, "CREATE TRIGGER ")) != NULL) {
		char name[64], table[64];
		const char *on;

		p += 15;
		if (sscanf(p, "%63s", name) != 1 ||
		    (on = strstr(p, " ON public.")) == NULL ||
		    sscanf(on + 11, "%63[a-z_]", table) != 1)
			continue;
		if (*n == cap)
			want = xreallocarray(want, cap = cap ? cap * 2 : 64,
			    sizeof(*want));
		want[(*n)++] = xasprintf("%s %s", table, name);
	}
	return want;
}

int
pg_audit_schema(struct pg_store *st, store_schema_cb cb, void *arg)
{
	static const char *const append_only[] = { "ledger", "income",
	    "income_conflict", "activity", "release_record", "chain_rehash" };
	size_t nwant;
	char **want = audit_want_triggers(&nwant), *have, *problem;
	PGresult *r;
	int rc, stop = 0;

	if ((r = pg_run(st, PG_AUDIT_SCHEMA, NULL, &rc)) == NULL)
		goto out;
	for (size_t i = 0; i < nwant && !stop; i++) {
		int found = 0;

		for (int j = 0; j < PQntuples(r) && !found; j++) {
			have = xasprintf("%s %s", PQgetvalue(r, j, 0),
			    PQgetvalue(r, j, 1));
			if (strcmp(have, want[i]) == 0) {
				found = 1;
				if (strcmp(PQgetvalue(r, j, 2), "O") != 0 &&
				    strcmp(PQgetvalue(r, j, 2), "A") != 0)
					stop = cb(arg, strchr(want[i], ' ') + 1,
					    "trigger is disabled");
			}
			free(have);
		}
		if (!found)
			stop = cb(arg, strchr(want[i], ' ') + 1,
			    "trigger is missing");
	}
	PQclear(r);
	/* The application role (and the role we are, when it is another):
	 * no change to what is append-only. */
	for (size_t i = 0; i < sizeof(append_only) / sizeof(append_only[0]) &&
	    !stop; i++) {
		struct pg_params p = { 0 };

		pg_p_text(&p, append_only[i]);
		pg_p_text(&p, st->app_role);
		r = PQexecParams(st->conn, "SELECT bool_or(x) FROM (SELECT "
		    "has_table_privilege(u, 'public.' || $1, 'UPDATE') OR "
		    "has_table_privilege(u, 'public.' || $1, 'DELETE') OR "
		    "has_table_privilege(u, 'public.' || $1, 'TRUNCATE') AS x "
		    "FROM (SELECT oid AS u FROM pg_catalog.pg_roles "
		    "WHERE rolname = $2 OR (rolname = current_user AND NOT "
		    "pg_catalog.pg_has_role((SELECT relowner FROM "
		    "pg_catalog.pg_class WHERE oid = ('public.' || $1)::regclass), "
		    "'USAGE'))) r) q",
		    2, NULL, p.v, NULL, NULL, 0);
		if (r == NULL || PQresultStatus(r) != PGRES_TUPLES_OK) {
			rc = pg_fail(st, r);
			PQclear(r);
			goto out;
		}
		if (PQntuples(r) == 1 && pg_int(r, 0, 0)) {
			problem = xasprintf("the role fundflow connects as (%s) "
			    "may change or remove its rows (grants.sql gives it "
			    "SELECT and INSERT only)", st->app_role);
			stop = cb(arg, append_only[i], problem);
			free(problem);
		}
		PQclear(r);
	}
	rc = STORE_OK;
out:
	for (size_t i = 0; i < nwant; i++)
		free(want[i]);
	free(want);
	return rc;
}
