/* incomes.c — incomes by key, and the conflicting deliveries kept for review. */
#include <stdint.h>
#include <string.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

static void
incomes_read(const PGresult *r, int i, struct income *in)
{
	memset(in, 0, sizeof(*in));
	in->id = pg_int(r, i, 0);
	in->branch_id = pg_int(r, i, 1);
	pg_text(r, i, 2, in->branch_code, sizeof(in->branch_code));
	in->buss_type = (int32_t)pg_int(r, i, 3);
	pg_text(r, i, 4, in->ref_id, sizeof(in->ref_id));
	pg_text(r, i, 5, in->event_id, sizeof(in->event_id));
	pg_text(r, i, 6, in->ikey, sizeof(in->ikey));
	in->amount = pg_int(r, i, 7);
	in->withdrawable = (int)pg_int(r, i, 8);
	pg_text(r, i, 9, in->occurred_at, sizeof(in->occurred_at));
	pg_text(r, i, 10, in->received_at, sizeof(in->received_at));
}

/* What tells a redelivery from a conflict: id, branch and amount. */
static void
incomes_read_key(const PGresult *r, int i, void *row)
{
	struct income *in = row;

	memset(in, 0, sizeof(*in));
	in->id = pg_int(r, i, 0);
	in->branch_id = pg_int(r, i, 1);
	in->amount = pg_int(r, i, 2);
}

static void
incomes_read_conflict(const PGresult *r, int i, struct conflict *c)
{
	memset(c, 0, sizeof(*c));
	c->id = pg_int(r, i, 0);
	c->income_id = pg_int(r, i, 1);
	c->branch_id = pg_int(r, i, 2);
	pg_text(r, i, 3, c->branch_code, sizeof(c->branch_code));
	c->buss_type = (int32_t)pg_int(r, i, 4);
	pg_text(r, i, 5, c->ref_id, sizeof(c->ref_id));
	pg_text(r, i, 6, c->event_id, sizeof(c->event_id));
	c->amount = pg_int(r, i, 7);
	pg_text(r, i, 8, c->occurred_at, sizeof(c->occurred_at));
	pg_text(r, i, 9, c->received_at, sizeof(c->received_at));
}

/* The slot of key (buss_type, ikey): its own, or the empty one it would
 * take; NULL when there is no table or it is full. */
static struct pg_key *
incomes_slot(struct pg_store *st, int32_t buss_type, const char *ikey)
{
	uint64_t h = 1469598103934665603ULL ^ (uint32_t)buss_type;

	if (st->keys == NULL)
		return NULL;
	for (const char *p = ikey; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (int i = 0; i < PG_KEYS; i++) {
		struct pg_key *k = &st->keys[(h + (uint64_t)i) % PG_KEYS];

		if (k->state == 0 || (k->buss_type == buss_type &&
		    strcmp(k->ikey, ikey) == 0))
			return k;
	}
	return NULL;
}

/* Notes what the database holds for a key (state 1 absent, 2 present);
 * nothing when the table is full (the key is then looked up). */
static void
incomes_note(struct pg_store *st, int32_t buss_type, const char *ikey,
    int state, int64_t id, int64_t branch_id, money_t amount)
{
	struct pg_key *k = incomes_slot(st, buss_type, ikey);

	if (k == NULL || (k->state == 0 && st->nkeys >= PG_KEYS / 2))
		return;
	if (k->state == 0)
		st->nkeys++;
	k->state = state;
	k->buss_type = buss_type;
	k->id = id;
	k->branch_id = branch_id;
	k->amount = amount;
	snprintf(k->ikey, sizeof(k->ikey), "%s", ikey);
}

void
pg_keys_clear(struct pg_store *st)
{
	if (st->keys != NULL && st->nkeys > 0)
		memset(st->keys, 0, PG_KEYS * sizeof(*st->keys));
	st->nkeys = 0;
}

int
pg_income_prefetch(struct pg_store *st, const int32_t *types,
    const char *const *ikeys, size_t n)
{
	struct pg_buf t, k;
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	if (n == 0 || st->in_tx != 2)
		return STORE_OK;
	if (st->keys == NULL)
		st->keys = xcalloc(PG_KEYS, sizeof(*st->keys));
	if (st->nkeys + n > PG_KEYS / 2)
		pg_keys_clear(st);
	pg_buf_init(&t);
	pg_buf_init(&k);
	for (size_t i = 0; i < n; i++) {
		pg_buf_putc(&t, i == 0 ? '{' : ',');
		pg_buf_putc(&k, i == 0 ? '{' : ',');
		pg_buf_int(&t, types[i]);
		pg_buf_array_text(&k, ikeys[i]);
	}
	pg_buf_putc(&t, '}');
	pg_buf_putc(&k, '}');
	pg_p_text(&p, pg_buf_str(&t));
	pg_p_text(&p, pg_buf_str(&k));
	r = pg_run(st, PG_INCOME_PREFETCH, &p, &rc);
	pg_buf_free(&t);
	pg_buf_free(&k);
	if (r == NULL)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct pg_key *s = incomes_slot(st, types[i], ikeys[i]);

		if (s == NULL || s->state == 0)
			incomes_note(st, types[i], ikeys[i], 1, 0, 0, 0);
	}
	for (int i = 0; i < PQntuples(r); i++)
		incomes_note(st, (int32_t)pg_int(r, i, 0), PQgetvalue(r, i, 1), 2,
		    pg_int(r, i, 2), pg_int(r, i, 3), pg_int(r, i, 4));
	PQclear(r);
	return STORE_OK;
}

int
pg_income_find(struct pg_store *st, int32_t buss_type, const char *ikey,
    struct income *out)
{
	struct pg_params p = { 0 };
	struct pg_key *k = incomes_slot(st, buss_type, ikey);
	PGresult *r;
	int rc;

	if (k != NULL && k->state != 0) {
		if (k->state == 1)
			return STORE_NOTFOUND;
		memset(out, 0, sizeof(*out));
		out->id = k->id;
		out->branch_id = k->branch_id;
		out->amount = k->amount;
		return STORE_OK;
	}

	pg_p_int(&p, buss_type);
	pg_p_text(&p, ikey);
	if ((r = pg_run(st, PG_INCOME_FIND, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, incomes_read_key, out);
}

static void
incomes_params(struct pg_params *p, const struct income *in, int with_id)
{
	if (with_id)
		pg_p_int(p, in->id);
	pg_p_int(p, in->branch_id);
	pg_p_int(p, in->buss_type);
	pg_p_text(p, in->ref_id);
	pg_p_text(p, in->event_id);
	pg_p_text(p, in->ikey);
	pg_p_int(p, in->amount);
	pg_p_int(p, in->withdrawable ? 1 : 0);
	pg_p_text(p, in->occurred_at);
	pg_p_text(p, in->received_at);
}

int
pg_income_add(struct pg_store *st, struct income *in)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	incomes_params(&p, in, 0);
	if ((r = pg_run(st, PG_INCOME_ADD, &p, &rc)) == NULL)
		return rc;
	in->id = pg_int(r, 0, 0);
	PQclear(r);
	if (st->nkeys > 0)
		incomes_note(st, in->buss_type, in->ikey, 2, in->id,
		    in->branch_id, in->amount);
	return STORE_OK;
}

/* One statement for the n rows: each column an array literal, unnested
 * by the server. */
int
pg_income_add_rows(struct pg_store *st, const struct income *in, size_t n)
{
	struct pg_buf col[10];
	struct pg_params p = { 0 };
	int rc;

	if (n == 0)
		return STORE_OK;
	if (n == 1) {
		incomes_params(&p, in, 1);
		rc = pg_exec(st, PG_INCOME_ADD_ROW, &p, NULL);
		goto noted;
	}
	for (int c = 0; c < 10; c++)
		pg_buf_init(&col[c]);
	for (size_t i = 0; i < n; i++) {
		const struct income *x = &in[i];
		const char *t[] = { x->ref_id, x->event_id, x->ikey,
		    x->occurred_at, x->received_at };

		for (int c = 0; c < 10; c++)
			pg_buf_putc(&col[c], i == 0 ? '{' : ',');
		pg_buf_int(&col[0], x->id);
		pg_buf_int(&col[1], x->branch_id);
		pg_buf_int(&col[2], x->buss_type);
		pg_buf_array_text(&col[3], t[0]);
		pg_buf_array_text(&col[4], t[1]);
		pg_buf_array_text(&col[5], t[2]);
		pg_buf_int(&col[6], x->amount);
		pg_buf_int(&col[7], x->withdrawable ? 1 : 0);
		pg_buf_array_text(&col[8], t[3]);
		pg_buf_array_text(&col[9], t[4]);
	}
	for (int c = 0; c < 10; c++) {
		pg_buf_putc(&col[c], '}');
		pg_p_text(&p, pg_buf_str(&col[c]));
	}
	rc = pg_exec(st, PG_INCOME_ADD_ROWS, &p, NULL);
	for (int c = 0; c < 10; c++)
		pg_buf_free(&col[c]);
noted:
	/* What this transaction adds is what later finds of it must see. */
	for (size_t i = 0; rc == STORE_OK && st->nkeys > 0 && i < n; i++)
		incomes_note(st, in[i].buss_type, in[i].ikey, 2, in[i].id,
		    in[i].branch_id, in[i].amount);
	return rc;
}

/* From the table's sequence, PG_IDS at a time: ids left unused when the
 * program ends are never handed out again. */
int
pg_income_next_id(struct pg_store *st, int64_t *out)
{
	return pg_next_id(st, PG_INCOME_IDS, st->income_ids,
	    &st->nincome_ids, out);
}

int
pg_conflict_add(struct pg_store *st, struct conflict *c, int *added)
{
	struct pg_params p = { 0 };
	int64_t changed = 0;
	int rc;

	*added = 0;
	pg_p_int(&p, c->income_id);
	pg_p_int(&p, c->branch_id);
	pg_p_int(&p, c->buss_type);
	pg_p_text(&p, c->ref_id);
	pg_p_text(&p, c->event_id);
	pg_p_int(&p, c->amount);
	pg_p_text(&p, c->occurred_at);
	pg_p_text(&p, c->received_at);
	if ((rc = pg_exec(st, PG_CONFLICT_ADD, &p, &changed)) != STORE_OK)
		return rc;
	*added = changed == 1;
	return STORE_OK;
}

struct incomes_walk {
	store_income_cb icb;
	store_conflict_cb ccb;
	void *arg;
};

static int
incomes_each_row(void *arg, const PGresult *r, int i)
{
	struct incomes_walk *w = arg;
	struct income in;

	incomes_read(r, i, &in);
	return w->icb(w->arg, &in);
}

static int
incomes_each_conflict(void *arg, const PGresult *r, int i)
{
	struct incomes_walk *w = arg;
	struct conflict c;

	incomes_read_conflict(r, i, &c);
	return w->ccb(w->arg, &c);
}

int
pg_income_each(struct pg_store *st, const struct income_filter *f,
    store_income_cb cb, void *arg)
{
	struct incomes_walk w = { .icb = cb, .arg = arg };
	struct pg_params p = { 0 };

	pg_p_int(&p, f->branch_id);
	pg_p_int(&p, f->buss_type);
	pg_p_int(&p, f->before_id > 0 ? f->before_id : INT64_MAX);
	if (f->limit > 0)
		pg_p_int(&p, f->limit);
	else
		pg_p_text(&p, NULL);
	return pg_each(st, PG_INCOME_EACH, &p, f->limit > 0 && f->limit <= 1000,
	    incomes_each_row, &w);
}

int
pg_conflict_each(struct pg_store *st, int64_t branch_id, store_conflict_cb cb,
    void *arg)
{
	struct incomes_walk w = { .ccb = cb, .arg = arg };
	struct pg_params p = { 0 };

	pg_p_int(&p, branch_id);
	return pg_each(st, PG_CONFLICT_EACH, &p, 0, incomes_each_conflict, &w);
}
