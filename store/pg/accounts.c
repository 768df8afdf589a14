/* accounts.c — branches, their accounts, and the head of each chain. */
#include <string.h>

#include "store/pg/internal.h"

static void accounts_read_head(const PGresult *, int, void *);

static void
accounts_read_branch(const PGresult *r, int i, void *row)
{
	struct branch *b = row;

	memset(b, 0, sizeof(*b));
	b->id = pg_int(r, i, 0);
	pg_text(r, i, 1, b->code, sizeof(b->code));
	pg_text(r, i, 2, b->name, sizeof(b->name));
	b->active = (int)pg_int(r, i, 3);
	pg_text(r, i, 4, b->created_at, sizeof(b->created_at));
}

static void
accounts_read_account(const PGresult *r, int i, void *row)
{
	struct account *a = row;

	memset(a, 0, sizeof(*a));
	a->branch_id = pg_int(r, i, 0);
	pg_text(r, i, 1, a->code, sizeof(a->code));
	pg_text(r, i, 2, a->name, sizeof(a->name));
	a->balance = pg_int(r, i, 3);
	a->withdrawable = pg_int(r, i, 4);
	a->total_withdrawn = pg_int(r, i, 5);
	a->pending_count = pg_int(r, i, 6);
	a->pending_amount = pg_null(r, i, 7) ? -1 : pg_int(r, i, 7);
}

int
pg_branch_add(struct pg_store *st, struct branch *b)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_text(&p, b->code);
	pg_p_text(&p, b->name);
	pg_p_text(&p, b->created_at);
	if ((r = pg_run(st, PG_BRANCH_ADD, &p, &rc)) == NULL)
		return rc;
	b->id = pg_int(r, 0, 0);
	b->active = 1;
	PQclear(r);
	p.n = 0;
	pg_p_int(&p, b->id);
	return pg_simple_params(st, "INSERT INTO public.account (branch_id) "
	    "VALUES ($1)", &p);
}

int
pg_branch_get(struct pg_store *st, const char *code, struct branch *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_text(&p, code);
	if ((r = pg_run(st, PG_BRANCH_GET, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, accounts_read_branch, out);
}

int
pg_branch_get_id(struct pg_store *st, int64_t id, struct branch *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_int(&p, id);
	if ((r = pg_run(st, PG_BRANCH_GET_ID, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, accounts_read_branch, out);
}

int
pg_branch_list(struct pg_store *st, struct branch **out, size_t *n)
{
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	if ((r = pg_run(st, PG_BRANCH_LIST, NULL, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), accounts_read_branch,
	    (void **)out, n);
}

int
pg_account_list(struct pg_store *st, int64_t branch_id, struct account **out,
    size_t *n)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	pg_p_int(&p, branch_id);
	if ((r = pg_run(st, PG_ACCOUNT_LIST, &p, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), accounts_read_account,
	    (void **)out, n);
}

int
pg_account_get(struct pg_store *st, int64_t branch_id, struct account *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	if (branch_id == 0)
		return STORE_NOTFOUND;
	/* Read to decide a write (an application checked against its
	 * pending total): under the account's lock. */
	if ((rc = pg_lock_account(st, branch_id)) != STORE_OK)
		return rc;
	pg_p_int(&p, branch_id);
	if ((r = pg_run(st, PG_ACCOUNT_LIST, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, accounts_read_account, out);
}

/* Inside a write transaction the read locks the row: what is read is
 * what stays until COMMIT, and another writer on the account waits. */
int
pg_account_figures(struct pg_store *st, int64_t branch_id, money_t *balance,
    money_t *withdrawable, money_t *total_withdrawn)
{
	struct pg_params p = { 0 };
	PGresult *r, *h = NULL;
	int rc = STORE_NOTFOUND;

	pg_p_int(&p, branch_id);
	if (st->in_tx == 2) {
		/* The chain's head in the same round trip, read by its own
		 * statement once the lock is had (READ COMMITTED: a snapshot
		 * taken after the wait), for the entry that follows: one
		 * round trip less while the account is held. */
		if ((rc = pg_run_two(st, PG_ACCOUNT_LOCK, &p, PG_LEDGER_HEAD,
		    &p, &r, &h)) != STORE_OK)
			return rc;
		st->head_of = 0;
		if (PQntuples(r) == 1) {
			memset(&st->head, 0, sizeof(st->head));
			if (PQntuples(h) == 1)
				accounts_read_head(h, 0, &st->head);
			st->head_of = branch_id;
		}
		PQclear(h);
	} else if ((r = pg_run(st, PG_ACCOUNT_GET, &p, &rc)) == NULL) {
		return rc;
	}
	if (PQntuples(r) == 1) {
		*balance = pg_int(r, 0, 0);
		*withdrawable = pg_int(r, 0, 1);
		*total_withdrawn = pg_int(r, 0, 2);
		if (st->in_tx == 2)
			st->locked = branch_id;	/* the last one locked */
		rc = STORE_OK;
	} else {
		rc = STORE_NOTFOUND;
	}
	PQclear(r);
	return rc;
}

int
pg_lock_account(struct pg_store *st, int64_t branch_id)
{
	money_t b, w, t;
	int rc;

	if (st->in_tx != 2 || branch_id == st->locked)
		return STORE_OK;
	rc = pg_account_figures(st, branch_id, &b, &w, &t);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int
pg_account_set(struct pg_store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, branch_id);
	pg_p_int(&p, balance);
	pg_p_int(&p, withdrawable);
	pg_p_int(&p, total_withdrawn);
	return pg_defer(st, PG_ACCOUNT_SET, &p, 1);
}

static void
accounts_read_head(const PGresult *r, int i, void *row)
{
	struct ledger_head *h = row;

	h->seq = pg_int(r, i, 0);
	h->post_amount = pg_int(r, i, 1);
	pg_hash(r, i, 2, h->hash);
}

/* In a write transaction the head is read under the account's lock, so
 * no other writer can extend the chain between this read and COMMIT. */
int
pg_ledger_head(struct pg_store *st, int64_t account_id, struct ledger_head *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pg_lock_account(st, account_id)) != STORE_OK)
		return rc;
	if (st->in_tx == 2 && st->head_of == account_id) {
		*out = st->head;	/* read with the lock, unchanged since */
		return STORE_OK;
	}
	pg_p_int(&p, account_id);
	if ((r = pg_run(st, PG_LEDGER_HEAD, &p, &rc)) == NULL)
		return rc;
	rc = pg_one(r, accounts_read_head, out);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;	/* an empty chain */
}
