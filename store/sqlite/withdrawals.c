/* withdrawals.c — applications and their decisions. */
#include "internal.h"

#include <string.h>

static void withdrawals_read(sqlite3_stmt *s, void *row);

static void
withdrawals_read(sqlite3_stmt *s, void *row)
{
	struct withdrawal *w = row;
	char status[16];
	int st;

	memset(w, 0, sizeof(*w));
	w->id = sqlite3_column_int64(s, 0);
	w->branch_id = sqlite3_column_int64(s, 1);
	sq_col_text(s, 2, w->branch_code, sizeof(w->branch_code));
	w->amount = sqlite3_column_int64(s, 3);
	sq_col_text(s, 4, w->note, sizeof(w->note));
	w->applicant_id = sqlite3_column_int64(s, 5);
	sq_col_text(s, 6, w->applicant, sizeof(w->applicant));
	sq_col_text(s, 7, w->applied_at, sizeof(w->applied_at));
	w->flow = sqlite3_column_int(s, 8);
	sq_col_text(s, 9, status, sizeof(status));
	st = wd_status_parse(status);
	w->status = st < 0 ? WD_PENDING : (enum wd_status)st;
	w->decided_by_id = sqlite3_column_int64(s, 10);
	sq_col_text(s, 11, w->decided_by, sizeof(w->decided_by));
	sq_col_text(s, 12, w->decided_at, sizeof(w->decided_at));
	sq_col_text(s, 13, w->reason, sizeof(w->reason));
}

int
sq_withdrawal_add(struct sq_store *st, struct withdrawal *w)
{
	sqlite3_stmt *s = sq_stmt(st, ST_WD_ADD);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, w->branch_id);
	sqlite3_bind_int64(s, 2, w->amount);
	sq_bind_text(s, 3, w->note);
	sqlite3_bind_int64(s, 4, w->applicant_id);
	sq_bind_text(s, 5, w->applied_at);
	sqlite3_bind_int(s, 6, w->flow);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	w->id = sqlite3_last_insert_rowid(st->db);
	w->status = WD_PENDING;
	return STORE_OK;
}

int
sq_withdrawal_get(struct sq_store *st, int64_t id, struct withdrawal *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_WD_GET);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return sq_one(st, s, withdrawals_read, out);
}

int
sq_withdrawal_decide(struct sq_store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason)
{
	sqlite3_stmt *s = sq_stmt(st, ST_WD_DECIDE);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sq_bind_text(s, 2, wd_status_name(status));
	sqlite3_bind_int64(s, 3, decided_by);
	sq_bind_text(s, 4, decided_at);
	sq_bind_text(s, 5, reason ? reason : "");
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

int
sq_withdrawal_list(struct sq_store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_WD_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, f->branch_id);
	if (f->status >= 0)
		sq_bind_text(s, 2, wd_status_name((enum wd_status)f->status));
	return sq_collect(st, s, sizeof(**out), withdrawals_read,
	    (void **)out, n);
}
