/* operators.c — the people who log in, and their password hashes. */
#include "internal.h"

#include <string.h>


static void operators_read(sqlite3_stmt *s, void *row);

static void
operators_read(sqlite3_stmt *s, void *row)
{
	struct operator *op = row;
	char role[16];
	int r;

	memset(op, 0, sizeof(*op));
	op->id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, op->login, sizeof(op->login));
	sq_col_text(s, 2, op->name, sizeof(op->name));
	sq_col_text(s, 3, role, sizeof(role));
	r = role_parse(role);
	op->role = r < 0 ? ROLE_AUDITOR : (enum role)r;
	op->branch_id = sqlite3_column_int64(s, 4);
	sq_col_text(s, 5, op->branch_code, sizeof(op->branch_code));
	op->active = sqlite3_column_int(s, 6);
	sq_col_text(s, 7, op->pwhash, sizeof(op->pwhash));
	sq_col_text(s, 8, op->created_at, sizeof(op->created_at));
	op->created_by = sqlite3_column_int64(s, 9);
	op->confirmed_by = sqlite3_column_int64(s, 10);
	op->alone = sqlite3_column_int(s, 11);
	op->must_change = sqlite3_column_int(s, 12);
	sq_col_text(s, 13, op->awaiting, sizeof(op->awaiting));
	op->awaiting_by = sqlite3_column_int64(s, 14);
	sq_col_text(s, 15, op->awaiting_by_login,
	    sizeof(op->awaiting_by_login));
	sq_col_text(s, 16, op->awaiting_pwhash, sizeof(op->awaiting_pwhash));
	/* A role the schema does not allow can only come from tampering:
	 * such an operator must not log in. */
	if (r < 0)
		op->active = 0;
}

int
sq_operator_add(struct sq_store *st, struct operator *op)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_ADD);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, op->login);
	sq_bind_text(s, 2, op->name);
	sq_bind_text(s, 3, role_name(op->role));
	if (op->branch_id != 0)
		sqlite3_bind_int64(s, 4, op->branch_id);
	sq_bind_text(s, 5, op->pwhash);
	sq_bind_text(s, 6, op->created_at);
	if (op->created_by != 0)
		sqlite3_bind_int64(s, 7, op->created_by);
	sqlite3_bind_int(s, 8, op->alone ? 1 : 0);
	sq_bind_text(s, 9, op->awaiting);
	if (op->awaiting_by != 0)
		sqlite3_bind_int64(s, 10, op->awaiting_by);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		return rc;
	op->id = sqlite3_last_insert_rowid(st->db);
	op->active = 1;
	return STORE_OK;
}

int
sq_operator_get(struct sq_store *st, const char *login, struct operator *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_GET);

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, login);
	return sq_one(st, s, operators_read, out);
}

static int
operators_update(struct sq_store *st, sqlite3_stmt *s)
{
	int rc = sq_exec_stmt(st, s);

	if (rc != STORE_OK)
		return rc;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

int
sq_operator_set_pwhash(struct sq_store *st, int64_t id, const char *pwhash,
    int must_change, int alone)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_SET_PW);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sq_bind_text(s, 2, pwhash);
	sqlite3_bind_int(s, 3, must_change ? 1 : 0);
	sqlite3_bind_int(s, 4, alone ? 1 : 0);
	return operators_update(st, s);
}

int
sq_operator_set_active(struct sq_store *st, int64_t id, int active, int alone)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_SET_ACTIVE);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, active ? 1 : 0);
	sqlite3_bind_int(s, 3, alone ? 1 : 0);
	return operators_update(st, s);
}

int
sq_operator_await(struct sq_store *st, int64_t id, const char *what,
    int64_t by, const char *pwhash)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_AWAIT);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sq_bind_text(s, 2, what);
	sqlite3_bind_int64(s, 3, by);
	sq_bind_text(s, 4, pwhash ? pwhash : "");
	return operators_update(st, s);
}

int
sq_operator_confirm(struct sq_store *st, int64_t id, int64_t by)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_CONFIRM);

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, by);
	return operators_update(st, s);
}

int
sq_operator_admins(struct sq_store *st, int64_t *n)
{
	return sq_int64(st, ST_OPERATOR_ADMINS, n);
}

int
sq_operator_list(struct sq_store *st, struct operator **out, size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	return sq_collect(st, s, sizeof(**out), operators_read,
	    (void **)out, n);
}

int
sq_operator_count(struct sq_store *st, int64_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_OPERATOR_COUNT);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(s, 0);
		rc = STORE_OK;
	} else {
		rc = sq_fail(st, rc);
	}
	sqlite3_reset(s);
	return rc;
}
