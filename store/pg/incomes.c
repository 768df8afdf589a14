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

int
pg_income_find(struct pg_store *st, int32_t buss_type, const char *ikey,
    struct income *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

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
	return STORE_OK;
}

/*
 * One statement for the n rows: each column an array literal, unnested
 * by the server.  Text in an array literal is quoted with backslashes
 * before '"' and '\'.
 */
static void
incomes_array_text(struct pg_buf *b, const char *s)
{
	pg_buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			pg_buf_putc(b, '\\');
		pg_buf_putc(b, *s);
	}
	pg_buf_putc(b, '"');
}

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
		return pg_exec(st, PG_INCOME_ADD_ROW, &p, NULL);
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
		incomes_array_text(&col[3], t[0]);
		incomes_array_text(&col[4], t[1]);
		incomes_array_text(&col[5], t[2]);
		pg_buf_int(&col[6], x->amount);
		pg_buf_int(&col[7], x->withdrawable ? 1 : 0);
		incomes_array_text(&col[8], t[3]);
		incomes_array_text(&col[9], t[4]);
	}
	for (int c = 0; c < 10; c++) {
		pg_buf_putc(&col[c], '}');
		pg_p_text(&p, pg_buf_str(&col[c]));
	}
	rc = pg_exec(st, PG_INCOME_ADD_ROWS, &p, NULL);
	for (int c = 0; c < 10; c++)
		pg_buf_free(&col[c]);
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
