/* withdrawals.c — applications and their decisions. */
#include <string.h>

#include "store/pg/internal.h"

static void
withdrawals_read(const PGresult *r, int i, void *row)
{
	struct withdrawal *w = row;
	char status[16];
	int s;

	memset(w, 0, sizeof(*w));
	w->id = pg_int(r, i, 0);
	w->branch_id = pg_int(r, i, 1);
	pg_text(r, i, 2, w->branch_code, sizeof(w->branch_code));
	w->amount = pg_int(r, i, 3);
	pg_text(r, i, 4, w->note, sizeof(w->note));
	w->applicant_id = pg_int(r, i, 5);
	pg_text(r, i, 6, w->applicant, sizeof(w->applicant));
	pg_text(r, i, 7, w->applied_at, sizeof(w->applied_at));
	w->flow = (int)pg_int(r, i, 8);
	pg_text(r, i, 9, status, sizeof(status));
	s = wd_status_parse(status);
	w->status = s < 0 ? WD_PENDING : (enum wd_status)s;
	w->decided_by_id = pg_int(r, i, 10);
	pg_text(r, i, 11, w->decided_by, sizeof(w->decided_by));
	pg_text(r, i, 12, w->decided_at, sizeof(w->decided_at));
	pg_text(r, i, 13, w->reason, sizeof(w->reason));
}

int
pg_withdrawal_add(struct pg_store *st, struct withdrawal *w)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_int(&p, w->branch_id);
	pg_p_int(&p, w->amount);
	pg_p_text(&p, w->note);
	pg_p_int(&p, w->applicant_id);
	pg_p_text(&p, w->applied_at);
	pg_p_int(&p, w->flow);
	if ((r = pg_run(st, PG_WD_ADD, &p, &rc)) == NULL)
		return rc;
	w->id = pg_int(r, 0, 0);
	w->status = WD_PENDING;
	PQclear(r);
	return STORE_OK;
}

/* In a write transaction: the application's row is locked (a second
 * reviewer deciding it waits, then reads the decision made). */
int
pg_withdrawal_get(struct pg_store *st, int64_t id, struct withdrawal *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_int(&p, id);
	if ((r = pg_run(st, st->in_tx == 2 ? PG_WD_GET_LOCK : PG_WD_GET, &p,
	    &rc)) == NULL)
		return rc;
	return pg_one(r, withdrawals_read, out);
}

int
pg_withdrawal_decide(struct pg_store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, id);
	pg_p_text(&p, wd_status_name(status));
	pg_p_int(&p, decided_by);
	pg_p_text(&p, decided_at);
	pg_p_text(&p, reason ? reason : "");
	return pg_defer(st, PG_WD_DECIDE, &p, 1);
}

int
pg_withdrawal_list(struct pg_store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	pg_p_int(&p, f->branch_id);
	pg_p_text(&p, f->status >= 0 ?
	    wd_status_name((enum wd_status)f->status) : NULL);
	if ((r = pg_run(st, PG_WD_LIST, &p, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), withdrawals_read, (void **)out, n);
}
