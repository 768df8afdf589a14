/* accounts.c — branches, their accounts, and the head of each chain. */
#include "internal.h"

#include <string.h>

static void accounts_read_branch(sqlite3_stmt *s, void *row);
static void accounts_read_account(sqlite3_stmt *s, void *row);

static void
accounts_read_branch(sqlite3_stmt *s, void *row)
{
	struct branch *b = row;

	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, b->code, sizeof(b->code));
	sq_col_text(s, 2, b->name, sizeof(b->name));
	b->active = sqlite3_column_int(s, 3);
	sq_col_text(s, 4, b->created_at, sizeof(b->created_at));
}

static void
accounts_read_account(sqlite3_stmt *s, void *row)
{
	struct account *a = row;

	memset(a, 0, sizeof(*a));
	a->branch_id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, a->code, sizeof(a->code));
	sq_col_text(s, 2, a->name, sizeof(a->name));
	a->balance = sqlite3_column_int64(s, 3);
	a->withdrawable = sqlite3_column_int64(s, 4);
	a->total_withdrawn = sqlite3_column_int64(s, 5);
	a->pending_count = sqlite3_column_int64(s, 6);
	/* NULL from ff_sum: the pending applications total more than an
	 * int64 holds (fundflow refuses to make such a total, but one may
	 * exist); every other figure of the account still shows. */
	a->pending_amount = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(s, 7);
}

struct accounts_sum {
	int64_t total;
	int overflow;
};

static void
accounts_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct accounts_sum *a = sqlite3_aggregate_context(ctx, sizeof(*a));

	(void)argc;
	if (a == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL || a->overflow)
		return;
	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER ||
	    __builtin_add_overflow(a->total, sqlite3_value_int64(argv[0]),
	    &a->total))
		a->overflow = 1;
}

static void
accounts_sum_final(sqlite3_context *ctx)
{
	struct accounts_sum *a = sqlite3_aggregate_context(ctx, 0);

	if (a != NULL && a->overflow)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, a != NULL ? a->total : 0);
}

int
sq_register_sum(sqlite3 *db)
{
	return sqlite3_create_function(db, "ff_sum", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL, NULL,
	    accounts_sum_step, accounts_sum_final);
}

int
sq_branch_add(struct sq_store *st, struct branch *b)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sq_stmt(st, ST_BRANCH_ADD)) == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, b->code);
	sq_bind_text(s, 2, b->name);
	sq_bind_text(s, 3, b->created_at);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	b->id = sqlite3_last_insert_rowid(st->db);
	b->active = 1;
	if ((s = sq_stmt(st, ST_ACCOUNT_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, b->id);
	return sq_exec_stmt(st, s);
}

int
sq_branch_get(struct sq_store *st, const char *code, struct branch *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_BRANCH_GET);

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, code);
	return sq_one(st, s, accounts_read_branch, out);
}

int
sq_branch_get_id(struct sq_store *st, int64_t id, struct branch *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_BRANCH_GET_ID);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return sq_one(st, s, accounts_read_branch, out);
}

int
sq_branch_list(struct sq_store *st, struct branch **out, size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_BRANCH_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	return sq_collect(st, s, sizeof(**out), accounts_read_branch,
	    (void **)out, n);
}

int
sq_account_list(struct sq_store *st, int64_t branch_id, struct account **out,
    size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACCOUNT_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, branch_id);
	return sq_collect(st, s, sizeof(**out), accounts_read_account,
	    (void **)out, n);
}

int
sq_account_get(struct sq_store *st, int64_t branch_id, struct account *out)
{
	sqlite3_stmt *s;

	if (branch_id == 0)
		return STORE_NOTFOUND;
	if ((s = sq_stmt(st, ST_ACCOUNT_LIST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, branch_id);
	return sq_one(st, s, accounts_read_account, out);
}

int
sq_account_figures(struct sq_store *st, int64_t branch_id, money_t *balance,
    money_t *withdrawable, money_t *total_withdrawn)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACCOUNT_GET);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, branch_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*balance = sqlite3_column_int64(s, 0);
		*withdrawable = sqlite3_column_int64(s, 1);
		*total_withdrawn = sqlite3_column_int64(s, 2);
		rc = STORE_OK;
	} else {
		rc = rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(st, rc);
	}
	sqlite3_reset(s);
	return rc;
}

int
sq_account_set(struct sq_store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACCOUNT_SET);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, branch_id);
	sqlite3_bind_int64(s, 2, balance);
	sqlite3_bind_int64(s, 3, withdrawable);
	sqlite3_bind_int64(s, 4, total_withdrawn);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

static void
accounts_read_head(sqlite3_stmt *s, void *row)
{
	struct ledger_head *h = row;

	h->seq = sqlite3_column_int64(s, 0);
	h->post_amount = sqlite3_column_int64(s, 1);
	sq_col_hash(s, 2, h->hash);
}

int
sq_ledger_head(struct sq_store *st, int64_t account_id, struct ledger_head *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_LEDGER_HEAD);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(s, 1, account_id);
	rc = sq_one(st, s, accounts_read_head, out);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;	/* an empty chain */
}
