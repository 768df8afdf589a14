/*
 * audit.c — the reads the audit is built from: the whole chain in order
 * with what each entry's source says, the key groups of the seed's first
 * watch query, every source by id, and the schema compared with what this
 * program creates.  The checks themselves are the model's (model/audit.c).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/xmalloc.h"

static void audit_read_chain(sqlite3_stmt *s, struct chain_row *r);
static int audit_chain_row(void *arg, sqlite3_stmt *s);
static int audit_dup_row(void *arg, sqlite3_stmt *s);
static void audit_read_dup_ids(sqlite3_stmt *s, void *row);
static void audit_read_source(sqlite3_stmt *s, enum entry_kind kind,
    struct source_row *r);
static int audit_source_row(void *arg, sqlite3_stmt *s);

/* Where the rows of a walk go: the callback of the walk's kind. */
struct audit_walk {
	store_chain_cb chain;
	store_dup_cb dup;
	store_source_cb source;
	enum entry_kind kind;
	void *arg;
};

static void
audit_read_chain(sqlite3_stmt *s, struct chain_row *r)
{
	struct ledger_entry *e = &r->e;

	/* Only what the checks read: the model names the branch, and an
	 * entry's buss_type and ref are for display. */
	e->id = sqlite3_column_int64(s, 0);
	e->account_id = sqlite3_column_int64(s, 1);
	e->branch_code[0] = '\0';
	e->seq = sqlite3_column_int64(s, 2);
	e->kind = sqlite3_column_int(s, 3) ? ENTRY_WITHDRAWAL : ENTRY_INCOME;
	e->source_id = sqlite3_column_int64(s, 4);
	e->pre_amount = sqlite3_column_int64(s, 5);
	e->amount = sqlite3_column_int64(s, 6);
	e->post_amount = sqlite3_column_int64(s, 7);
	sq_col_text(s, 8, e->at, sizeof(e->at));
	sq_col_text(s, 9, e->actor, sizeof(e->actor));
	sq_col_hash(s, 10, e->hash);
	e->buss_type = 0;
	e->ref[0] = '\0';
	r->source_found = sqlite3_column_int(s, 11);
	r->source_branch_id = sqlite3_column_int64(s, 12);
	r->source_amount = sqlite3_column_int64(s, 13);
	r->source_status = WD_PENDING;
	if (e->kind == ENTRY_WITHDRAWAL) {
		char status[16];
		int st;

		sq_col_text(s, 14, status, sizeof(status));
		st = wd_status_parse(status);
		r->source_status = st < 0 ? WD_PENDING : (enum wd_status)st;
	}
	r->source_withdrawable = sqlite3_column_int(s, 15);
	memset(&e->src, 0, sizeof(e->src));
	sq_read_source(s, 16, e);
}

static int
audit_chain_row(void *arg, sqlite3_stmt *s)
{
	struct audit_walk *w = arg;
	struct chain_row r;

	audit_read_chain(s, &r);
	return w->chain(w->arg, &r);
}

int
sq_audit_chain(struct sq_store *st, store_chain_cb cb, void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, ST_AUDIT_CHAIN);
	struct audit_walk w = { .chain = cb, .arg = arg };

	if (s == NULL)
		return STORE_ERROR;
	return sq_each(st, s, audit_chain_row, &w);
}

static int
audit_dup_row(void *arg, sqlite3_stmt *s)
{
	struct audit_walk *w = arg;
	struct dup_group g;

	memset(&g, 0, sizeof(g));
	g.buss_type = sqlite3_column_int(s, 0);
	sq_col_text(s, 1, g.key, sizeof(g.key));
	g.count = sqlite3_column_int64(s, 2);
	return w->dup(w->arg, &g);
}

int
sq_audit_duplicates(struct sq_store *st, store_dup_cb cb, void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, ST_AUDIT_DUP_REF);
	struct audit_walk w = { .dup = cb, .arg = arg };

	if (s == NULL)
		return STORE_ERROR;
	return sq_each(st, s, audit_dup_row, &w);
}

/* A group's first and last income (MIN and MAX always give a row). */
static void
audit_read_dup_ids(sqlite3_stmt *s, void *row)
{
	struct dup_group *g = row;

	g->first_id = sqlite3_column_int64(s, 0);
	g->last_id = sqlite3_column_int64(s, 1);
}

int
sq_audit_dup_ids(struct sq_store *st, struct dup_group *g)
{
	sqlite3_stmt *s = sq_stmt(st, ST_AUDIT_DUP_IDS);

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, g->key);
	sqlite3_bind_int(s, 2, g->buss_type);
	return sq_one(st, s, audit_read_dup_ids, g);
}

static void
audit_read_source(sqlite3_stmt *s, enum entry_kind kind, struct source_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->branch_id = sqlite3_column_int64(s, 1);
	r->code[0] = '\0';
	r->amount = sqlite3_column_int64(s, 2);
	r->withdrawable = sqlite3_column_int(s, 3);
	r->status = WD_PENDING;
	if (kind == ENTRY_WITHDRAWAL) {
		char status[16];
		int st;

		sq_col_text(s, 4, status, sizeof(status));
		st = wd_status_parse(status);
		r->status = st < 0 ? WD_PENDING : (enum wd_status)st;
	}
}

static int
audit_source_row(void *arg, sqlite3_stmt *s)
{
	struct audit_walk *w = arg;
	struct source_row r;

	audit_read_source(s, w->kind, &r);
	return w->source(w->arg, &r);
}

int
sq_audit_sources(struct sq_store *st, enum entry_kind kind, store_source_cb cb,
    void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, kind == ENTRY_INCOME ?
	    ST_AUDIT_INCOMES : ST_AUDIT_WITHDRAWALS);
	struct audit_walk w = { .source = cb, .kind = kind, .arg = arg };

	if (s == NULL)
		return STORE_ERROR;
	return sq_each(st, s, audit_source_row, &w);
}

/* One schema object: its type, name and the SQL that made it. */
struct audit_obj {
	char *type, *name, *sql;
};

/*
 * Reads every schema object of db into a fresh array; returns SQLite's
 * code.  Not a walk through sq_each: db is also the reference database,
 * which is no store, and the caller words each database's failure itself
 * (the reference's is STORE_ERROR with its own message, not sq_fail's).
 */
static int
audit_objects(sqlite3 *db, struct audit_obj **out, size_t *n)
{
	sqlite3_stmt *s = NULL;
	struct audit_obj *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	rc = sqlite3_prepare_v2(db, sq_sql[ST_AUDIT_SCHEMA], -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[len].type = xstrdup((const char *)sqlite3_column_text(s, 0));
		v[len].name = xstrdup((const char *)sqlite3_column_text(s, 1));
		v[len].sql = xstrdup((const char *)sqlite3_column_text(s, 2));
		len++;
	}
	sqlite3_finalize(s);
	*out = v;
	*n = len;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void
audit_objects_free(struct audit_obj *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].name);
		free(v[i].sql);
	}
	free(v);
}

/*
 * Builds the schema this program creates in a private in-memory database
 * and compares it object by object with the open one: a dropped trigger,
 * an index that went missing or an object whose SQL was changed is named.
 */
int
sq_audit_schema(struct sq_store *st, store_schema_cb cb, void *arg)
{
	sqlite3 *mem = NULL;
	struct audit_obj *want = NULL, *have = NULL;
	size_t nwant = 0, nhave = 0;
	int rc, ver = 0, stop = 0;

	if ((rc = sq_schema_version(st, &ver)) != STORE_OK)
		return rc;
	if (sqlite3_open(":memory:", &mem) != SQLITE_OK) {
		sqlite3_close(mem);
		return STORE_NOMEM;
	}
	for (int i = 0; i < ver && i < sq_nmigrations && rc == SQLITE_OK; i++) {
		rc = sqlite3_exec(mem, sq_migrations[i], NULL, NULL, NULL);
		if (rc == SQLITE_OK && sq_migrations_after[i] != NULL)
			rc = sqlite3_exec(mem, sq_migrations_after[i], NULL,
			    NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = audit_objects(mem, &want, &nwant);
	if (rc != SQLITE_OK) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(mem));
		rc = STORE_ERROR;
		goto out;
	}
	if ((rc = audit_objects(st->db, &have, &nhave)) != SQLITE_OK) {
		rc = sq_fail(st, rc);
		goto out;
	}
	/* Both lists are sorted by name. */
	for (size_t i = 0, j = 0; !stop && (i < nwant || j < nhave);) {
		int c = i == nwant ? 1 : j == nhave ? -1 :
		    strcmp(want[i].name, have[j].name);

		if (c < 0) {
			char *p = xasprintf("%s is missing", want[i].type);

			stop = cb(arg, want[i].name, p);
			free(p);
			i++;
		} else if (c > 0) {
			char *p = xasprintf("unexpected %s", have[j].type);

			stop = cb(arg, have[j].name, p);
			free(p);
			j++;
		} else {
			if (strcmp(want[i].sql, have[j].sql) != 0 ||
			    strcmp(want[i].type, have[j].type) != 0)
				stop = cb(arg, want[i].name,
				    "differs from the schema fundflow created");
			i++;
			j++;
		}
	}
	rc = STORE_OK;
out:
	audit_objects_free(want, nwant);
	audit_objects_free(have, nhave);
	sqlite3_close(mem);
	return rc;
}
