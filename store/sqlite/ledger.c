/* ledger.c — appending to an account's chain, and reading it back. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

static void ledger_bind_row(sqlite3_stmt *s, int k, const void *row);
static int ledger_each_row(void *arg, sqlite3_stmt *s);

void
sq_ledger_read(sqlite3_stmt *s, void *row)
{
	struct ledger_entry *e = row;
	char kind[16];

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(s, 0);
	e->account_id = sqlite3_column_int64(s, 1);
	sq_col_text(s, 2, e->branch_code, sizeof(e->branch_code));
	e->seq = sqlite3_column_int64(s, 3);
	sq_col_text(s, 4, kind, sizeof(kind));
	e->kind = strcmp(kind, "withdrawal") == 0 ? ENTRY_WITHDRAWAL : ENTRY_INCOME;
	e->source_id = sqlite3_column_int64(s, 5);
	e->pre_amount = sqlite3_column_int64(s, 6);
	e->amount = sqlite3_column_int64(s, 7);
	e->post_amount = sqlite3_column_int64(s, 8);
	sq_col_text(s, 9, e->at, sizeof(e->at));
	sq_col_text(s, 10, e->actor, sizeof(e->actor));
	sq_col_hash(s, 11, e->hash);
	e->buss_type = sqlite3_column_int(s, 12);
	sq_col_text(s, 13, e->ref, sizeof(e->ref));
	if (sqlite3_column_count(s) > 14)
		sq_read_source(s, 14, e);
}

void
sq_read_source(sqlite3_stmt *s, int i, struct ledger_entry *e)
{
	char status[16];
	int st;

	e->src.buss_type = sqlite3_column_int(s, i);
	sq_col_text(s, i + 1, e->src.ikey, sizeof(e->src.ikey));
	sq_col_text(s, i + 2, e->src.ref_id, sizeof(e->src.ref_id));
	sq_col_text(s, i + 3, e->src.event_id, sizeof(e->src.event_id));
	e->src.withdrawable = sqlite3_column_int(s, i + 4);
	e->src.applicant_id = sqlite3_column_int64(s, i + 5);
	e->src.decided_by = sqlite3_column_int64(s, i + 6);
	sq_col_text(s, i + 7, status, sizeof(status));
	st = wd_status_parse(status);
	e->src.status = st < 0 ? 0 : st;
	e->src.flow = sqlite3_column_int(s, i + 8);
}

int
sq_ledger_set_hash(struct sq_store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN])
{
	sqlite3_stmt *s = sq_stmt(st, ST_LEDGER_SET_HASH);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, hash, FF_HASH_LEN, SQLITE_STATIC);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

int
sq_rehash_add(struct sq_store *st, const struct chain_rehash *r)
{
	sqlite3_stmt *s = sq_stmt(st, ST_REHASH_ADD);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, r->account_id);
	sqlite3_bind_int64(s, 2, r->seq);
	sqlite3_bind_blob(s, 3, r->old_head, FF_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, r->new_head, FF_HASH_LEN, SQLITE_STATIC);
	sq_bind_text(s, 5, r->at);
	return sq_exec_stmt(st, s);
}

static void
ledger_read_rehash(sqlite3_stmt *s, void *row)
{
	struct chain_rehash *r = row;

	memset(r, 0, sizeof(*r));
	r->account_id = sqlite3_column_int64(s, 0);
	r->seq = sqlite3_column_int64(s, 1);
	sq_col_hash(s, 2, r->old_head);
	sq_col_hash(s, 3, r->new_head);
	sq_col_text(s, 4, r->at, sizeof(r->at));
}

int
sq_rehash_list(struct sq_store *st, struct chain_rehash **out, size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_REHASH_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	return sq_collect(st, s, sizeof(**out), ledger_read_rehash,
	    (void **)out, n);
}

int
sq_ledger_add(struct sq_store *st, struct ledger_entry *e)
{
	sqlite3_stmt *s = sq_stmt(st, ST_LEDGER_ADD);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, e->account_id);
	sqlite3_bind_int64(s, 2, e->seq);
	sq_bind_text(s, 3, entry_kind_name(e->kind));
	sqlite3_bind_int64(s, e->kind == ENTRY_INCOME ? 4 : 5, e->source_id);
	sqlite3_bind_int64(s, 6, e->pre_amount);
	sqlite3_bind_int64(s, 7, e->amount);
	sqlite3_bind_int64(s, 8, e->post_amount);
	sq_bind_text(s, 9, e->at);
	sq_bind_text(s, 10, e->actor);
	sqlite3_bind_blob(s, 11, e->hash, FF_HASH_LEN, SQLITE_STATIC);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	e->id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

/* Binds entry e as row k of a LEDGER_ROW statement. */
static void
ledger_bind_row(sqlite3_stmt *s, int k, const void *row)
{
	const struct ledger_entry *e = row;
	int o = k * 12;

	sqlite3_bind_int64(s, o + 1, e->id);
	sqlite3_bind_int64(s, o + 2, e->account_id);
	sqlite3_bind_int64(s, o + 3, e->seq);
	sq_bind_text(s, o + 4, entry_kind_name(e->kind));
	sqlite3_bind_int64(s, o + (e->kind == ENTRY_INCOME ? 5 : 6),
	    e->source_id);
	sqlite3_bind_int64(s, o + 7, e->pre_amount);
	sqlite3_bind_int64(s, o + 8, e->amount);
	sqlite3_bind_int64(s, o + 9, e->post_amount);
	sq_bind_text(s, o + 10, e->at);
	sq_bind_text(s, o + 11, e->actor);
	sqlite3_bind_blob(s, o + 12, e->hash, FF_HASH_LEN, SQLITE_STATIC);
}

int
sq_ledger_add_rows(struct sq_store *st, const struct ledger_entry *e,
    size_t n)
{
	return sq_add_rows(st, ST_LEDGER_ADD_ROW, ST_LEDGER_ADD_ROWS, e,
	    sizeof(*e), n, ledger_bind_row);
}

/* Where sq_ledger_each's rows go. */
struct ledger_walk {
	store_ledger_cb cb;
	void *arg;
};

static int
ledger_each_row(void *arg, sqlite3_stmt *s)
{
	struct ledger_walk *w = arg;
	struct ledger_entry e;

	sq_ledger_read(s, &e);
	return w->cb(w->arg, &e);
}

int
sq_ledger_each(struct sq_store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg)
{
	struct ledger_walk w = { cb, arg };
	enum stmt_id id;
	sqlite3_stmt *s;
	int64_t key;

	if (f->after_id > 0 || f->oldest_first) {
		id = f->account_id ? ST_LEDGER_EACH_ACCOUNT_ASC : ST_LEDGER_EACH_ASC;
		key = f->after_id;
	} else {
		id = f->account_id ? ST_LEDGER_EACH_ACCOUNT : ST_LEDGER_EACH;
		key = f->before_id > 0 ? f->before_id : INT64_MAX;
	}
	if ((s = sq_stmt(st, id)) == NULL)
		return STORE_ERROR;
	if (f->account_id)
		sqlite3_bind_int64(s, 1, f->account_id);
	sqlite3_bind_int(s, 2, f->buss_type);
	sq_bind_text(s, 3, f->ref);
	sq_bind_text(s, 4, f->since);
	sq_bind_text(s, 5, f->until);
	sqlite3_bind_int64(s, 6, key);
	sqlite3_bind_int64(s, 7, f->limit > 0 ? f->limit : -1);
	return sq_each(st, s, ledger_each_row, &w);
}

int
sq_ledger_get(struct sq_store *st, int64_t id, struct ledger_entry *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_LEDGER_GET);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return sq_one(st, s, sq_ledger_read, out);
}

int
sq_ledger_max_id(struct sq_store *st, int64_t *out)
{
	return sq_int64(st, ST_LEDGER_MAX_ID, out);
}

int
sq_ledger_next_id(struct sq_store *st, int64_t *out)
{
	int rc;

	if (st->next_entry_id == 0 &&
	    (rc = sq_int64(st, ST_LEDGER_MAX_ID, &st->next_entry_id)) != STORE_OK)
		return rc;
	*out = ++st->next_entry_id;
	return STORE_OK;
}
