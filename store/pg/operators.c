/* operators.c — the people who log in, and their password hashes. */
#include <string.h>

#include "store/pg/internal.h"

static void
operators_read(const PGresult *r, int i, void *row)
{
	struct operator *op = row;
	char role[16];
	int ro;

	memset(op, 0, sizeof(*op));
	op->id = pg_int(r, i, 0);
	pg_text(r, i, 1, op->login, sizeof(op->login));
	pg_text(r, i, 2, op->name, sizeof(op->name));
	pg_text(r, i, 3, role, sizeof(role));
	ro = role_parse(role);
	op->role = ro < 0 ? ROLE_AUDITOR : (enum role)ro;
	op->branch_id = pg_int(r, i, 4);
	pg_text(r, i, 5, op->branch_code, sizeof(op->branch_code));
	op->active = (int)pg_int(r, i, 6);
	pg_text(r, i, 7, op->pwhash, sizeof(op->pwhash));
	pg_text(r, i, 8, op->created_at, sizeof(op->created_at));
	op->created_by = pg_int(r, i, 9);
	op->confirmed_by = pg_int(r, i, 10);
	op->alone = (int)pg_int(r, i, 11);
	op->must_change = (int)pg_int(r, i, 12);
	pg_text(r, i, 13, op->awaiting, sizeof(op->awaiting));
	op->awaiting_by = pg_int(r, i, 14);
	pg_text(r, i, 15, op->awaiting_by_login, sizeof(op->awaiting_by_login));
	pg_text(r, i, 16, op->awaiting_pwhash, sizeof(op->awaiting_pwhash));
	/* A role the schema does not allow can only come from tampering:
	 * such an operator must not log in. */
	if (ro < 0)
		op->active = 0;
}

int
pg_operator_add(struct pg_store *st, struct operator *op)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_text(&p, op->login);
	pg_p_text(&p, op->name);
	pg_p_text(&p, role_name(op->role));
	if (op->branch_id != 0)
		pg_p_int(&p, op->branch_id);
	else
		pg_p_text(&p, NULL);
	pg_p_text(&p, op->pwhash);
	pg_p_text(&p, op->created_at);
	if (op->created_by != 0)
		pg_p_int(&p, op->created_by);
	else
		pg_p_text(&p, NULL);
	pg_p_int(&p, op->alone ? 1 : 0);
	pg_p_text(&p, op->awaiting);
	if (op->awaiting_by != 0)
		pg_p_int(&p, op->awaiting_by);
	else
		pg_p_text(&p, NULL);
	if ((r = pg_run(st, PG_OPERATOR_ADD, &p, &rc)) == NULL)
		return rc;
	op->id = pg_int(r, 0, 0);
	op->active = 1;
	PQclear(r);
	return STORE_OK;
}

int
pg_operator_get(struct pg_store *st, const char *login, struct operator *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_text(&p, login);
	if ((r = pg_run(st, PG_OPERATOR_GET, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, operators_read, out);
}

static int
operators_update(struct pg_store *st, enum pg_stmt id,
    const struct pg_params *p)
{
	int64_t changed = 0;
	int rc = pg_exec(st, id, p, &changed);

	if (rc != STORE_OK)
		return rc;
	return changed == 1 ? STORE_OK : STORE_NOTFOUND;
}

int
pg_operator_set_pwhash(struct pg_store *st, int64_t id, const char *pwhash,
    int must_change, int alone)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, id);
	pg_p_text(&p, pwhash);
	pg_p_int(&p, must_change ? 1 : 0);
	pg_p_int(&p, alone ? 1 : 0);
	return operators_update(st, PG_OPERATOR_SET_PW, &p);
}

int
pg_operator_set_active(struct pg_store *st, int64_t id, int active, int alone)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, id);
	pg_p_int(&p, active ? 1 : 0);
	pg_p_int(&p, alone ? 1 : 0);
	return operators_update(st, PG_OPERATOR_SET_ACTIVE, &p);
}

int
pg_operator_await(struct pg_store *st, int64_t id, const char *what,
    int64_t by, const char *pwhash)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, id);
	pg_p_text(&p, what);
	pg_p_int(&p, by);
	pg_p_text(&p, pwhash ? pwhash : "");
	return operators_update(st, PG_OPERATOR_AWAIT, &p);
}

int
pg_operator_confirm(struct pg_store *st, int64_t id, int64_t by)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, id);
	pg_p_int(&p, by);
	return operators_update(st, PG_OPERATOR_CONFIRM, &p);
}

static int
operators_count(struct pg_store *st, enum pg_stmt id, int64_t *n)
{
	PGresult *r;
	int rc;

	*n = 0;
	if ((r = pg_run(st, id, NULL, &rc)) == NULL)
		return rc;
	if (PQntuples(r) == 1)
		*n = pg_int(r, 0, 0);
	PQclear(r);
	return STORE_OK;
}

int
pg_operator_admins(struct pg_store *st, int64_t *n)
{
	return operators_count(st, PG_OPERATOR_ADMINS, n);
}

int
pg_operator_count(struct pg_store *st, int64_t *n)
{
	return operators_count(st, PG_OPERATOR_COUNT, n);
}

int
pg_operator_list(struct pg_store *st, struct operator **out, size_t *n)
{
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	if ((r = pg_run(st, PG_OPERATOR_LIST, NULL, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), operators_read, (void **)out, n);
}
