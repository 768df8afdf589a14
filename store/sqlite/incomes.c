/* incomes.c — incomes by key, and the conflicting deliveries kept for review. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

static void incomes_read(sqlite3_stmt *s, void *row);
static void incomes_read_conflict(sqlite3_stmt *s, void *row);
static void incomes_read_key(sqlite3_stmt *s, void *row);
static void incomes_bind_row(sqlite3_stmt *s, int k, const void *row);
static int incomes_each_row(void *arg, sqlite3_stmt *s);
static int incomes_each_conflict(void *arg, sqlite3_stmt *s);

/* Where the rows of sq_income_each (icb) or sq_conflict_each (ccb) go. */
struct incomes_walk {
	store_income_cb icb;
	store_conflict_cb ccb;
	void *arg;
};

static void
incomes_read(sqlite3_stmt *s, void *row)
{
	struct income *in = row;

	memset(in, 0, sizeof(*in));
	in->id = sqlite3_column_int64(s, 0);
	in->branch_id = sqlite3_column_int64(s, 1);
	sq_col_text(s, 2, in->branch_code, sizeof(in->branch_code));
	in->buss_type = sqlite3_column_int(s, 3);
	sq_col_text(s, 4, in->ref_id, sizeof(in->ref_id));
	sq_col_text(s, 5, in->event_id, sizeof(in->event_id));
	sq_col_text(s, 6, in->ikey, sizeof(in->ikey));
	in->amount = sqlite3_column_int64(s, 7);
	in->withdrawable = sqlite3_column_int(s, 8);
	sq_col_text(s, 9, in->occurred_at, sizeof(in->occurred_at));
	sq_col_text(s, 10, in->received_at, sizeof(in->received_at));
}

/* What tells a redelivery from a conflict: id, branch and amount. */
static void
incomes_read_key(sqlite3_stmt *s, void *row)
{
	struct income *in = row;

	memset(in, 0, sizeof(*in));
	in->id = sqlite3_column_int64(s, 0);
	in->branch_id = sqlite3_column_int64(s, 1);
	in->amount = sqlite3_column_int64(s, 2);
}

static void
incomes_read_conflict(sqlite3_stmt *s, void *row)
{
	struct conflict *c = row;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->income_id = sqlite3_column_int64(s, 1);
	c->branch_id = sqlite3_column_int64(s, 2);
	sq_col_text(s, 3, c->branch_code, sizeof(c->branch_code));
	c->buss_type = sqlite3_column_int(s, 4);
	sq_col_text(s, 5, c->ref_id, sizeof(c->ref_id));
	sq_col_text(s, 6, c->event_id, sizeof(c->event_id));
	c->amount = sqlite3_column_int64(s, 7);
	sq_col_text(s, 8, c->occurred_at, sizeof(c->occurred_at));
	sq_col_text(s, 9, c->received_at, sizeof(c->received_at));
}

int
sq_income_find(struct sq_store *st, int32_t buss_type, const char *ikey,
    struct income *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_INCOME_FIND);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, buss_type);
	sq_bind_text(s, 2, ikey);
	return sq_one(st, s, incomes_read_key, out);
}

int
sq_income_add(struct sq_store *st, struct income *in)
{
	sqlite3_stmt *s = sq_stmt(st, ST_INCOME_ADD);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, in->branch_id);
	sqlite3_bind_int(s, 2, in->buss_type);
	sq_bind_text(s, 3, in->ref_id);
	sq_bind_text(s, 4, in->event_id);
	sq_bind_text(s, 5, in->ikey);
	sqlite3_bind_int64(s, 6, in->amount);
	sqlite3_bind_int(s, 7, in->withdrawable ? 1 : 0);
	sq_bind_text(s, 8, in->occurred_at);
	sq_bind_text(s, 9, in->received_at);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	in->id = sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

/* A lookup is a function call away: nothing to read ahead. */
int
sq_income_prefetch(struct sq_store *st, const int32_t *types,
    const char *const *ikeys, size_t n)
{
	(void)st;
	(void)types;
	(void)ikeys;
	(void)n;
	return STORE_OK;
}

/* Binds income in as row k of an INCOME_ROW statement. */
static void
incomes_bind_row(sqlite3_stmt *s, int k, const void *row)
{
	const struct income *in = row;
	int o = k * 10;

	sqlite3_bind_int64(s, o + 1, in->id);
	sqlite3_bind_int64(s, o + 2, in->branch_id);
	sqlite3_bind_int(s, o + 3, in->buss_type);
	sq_bind_text(s, o + 4, in->ref_id);
	sq_bind_text(s, o + 5, in->event_id);
	sq_bind_text(s, o + 6, in->ikey);
	sqlite3_bind_int64(s, o + 7, in->amount);
	sqlite3_bind_int(s, o + 8, in->withdrawable ? 1 : 0);
	sq_bind_text(s, o + 9, in->occurred_at);
	sq_bind_text(s, o + 10, in->received_at);
}

int
sq_income_add_rows(struct sq_store *st, const struct income *in, size_t n)
{
	return sq_add_rows(st, ST_INCOME_ADD_ROW, ST_INCOME_ADD_ROWS, in,
	    sizeof(*in), n, incomes_bind_row);
}

/* Under the write lock the next free id is one past the highest. */
int
sq_income_next_id(struct sq_store *st, int64_t *out)
{
	int rc;

	if (st->next_income_id == 0 &&
	    (rc = sq_int64(st, ST_INCOME_MAX_ID, &st->next_income_id)) != STORE_OK)
		return rc;
	*out = ++st->next_income_id;
	return STORE_OK;
}

int
sq_conflict_add(struct sq_store *st, struct conflict *c, int *added)
{
	sqlite3_stmt *s = sq_stmt(st, ST_CONFLICT_ADD);
	int rc;

	*added = 0;
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, c->income_id);
	sqlite3_bind_int64(s, 2, c->branch_id);
	sqlite3_bind_int(s, 3, c->buss_type);
	sq_bind_text(s, 4, c->ref_id);
	sq_bind_text(s, 5, c->event_id);
	sqlite3_bind_int64(s, 6, c->amount);
	sq_bind_text(s, 7, c->occurred_at);
	sq_bind_text(s, 8, c->received_at);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	if (sqlite3_changes(st->db) == 1) {
		*added = 1;
		c->id = sqlite3_last_insert_rowid(st->db);
	}
	return STORE_OK;
}

static int
incomes_each_row(void *arg, sqlite3_stmt *s)
{
	struct incomes_walk *w = arg;
	struct income in;

	incomes_read(s, &in);
	return w->icb(w->arg, &in);
}

int
sq_income_each(struct sq_store *st, const struct income_filter *f,
    store_income_cb cb, void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, ST_INCOME_EACH);
	struct incomes_walk w = { .icb = cb, .arg = arg };

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, f->branch_id);
	sqlite3_bind_int(s, 2, f->buss_type);
	sqlite3_bind_int64(s, 3, f->before_id > 0 ? f->before_id : INT64_MAX);
	sqlite3_bind_int64(s, 4, f->limit > 0 ? f->limit : -1);
	return sq_each(st, s, incomes_each_row, &w);
}

static int
incomes_each_conflict(void *arg, sqlite3_stmt *s)
{
	struct incomes_walk *w = arg;
	struct conflict c;

	incomes_read_conflict(s, &c);
	return w->ccb(w->arg, &c);
}

int
sq_conflict_each(struct sq_store *st, int64_t branch_id, store_conflict_cb cb,
    void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, ST_CONFLICT_EACH);
	struct incomes_walk w = { .ccb = cb, .arg = arg };

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, branch_id);
	return sq_each(st, s, incomes_each_conflict, &w);
}
