/* ledger.c — appending to an account's chain, and reading it back. */
#include <stdint.h>
#include <string.h>

#include "store/pg/internal.h"

void
pg_ledger_read(const PGresult *r, int i, void *row)
{
	struct ledger_entry *e = row;
	char kind[16];

	memset(e, 0, sizeof(*e));
	e->id = pg_int(r, i, 0);
	e->account_id = pg_int(r, i, 1);
	pg_text(r, i, 2, e->branch_code, sizeof(e->branch_code));
	e->seq = pg_int(r, i, 3);
	pg_text(r, i, 4, kind, sizeof(kind));
	e->kind = strcmp(kind, "withdrawal") == 0 ? ENTRY_WITHDRAWAL : ENTRY_INCOME;
	e->source_id = pg_int(r, i, 5);
	e->pre_amount = pg_int(r, i, 6);
	e->amount = pg_int(r, i, 7);
	e->post_amount = pg_int(r, i, 8);
	pg_text(r, i, 9, e->at, sizeof(e->at));
	pg_text(r, i, 10, e->actor, sizeof(e->actor));
	pg_hash(r, i, 11, e->hash);
	e->buss_type = (int32_t)pg_int(r, i, 12);
	pg_text(r, i, 13, e->ref, sizeof(e->ref));
	if (PQnfields(r) > 14)
		pg_read_source(r, i, 14, e);
}

void
pg_read_source(const PGresult *r, int i, int c, struct ledger_entry *e)
{
	char status[16];
	int s;

	e->src.buss_type = (int32_t)pg_int(r, i, c);
	pg_text(r, i, c + 1, e->src.ikey, sizeof(e->src.ikey));
	pg_text(r, i, c + 2, e->src.ref_id, sizeof(e->src.ref_id));
	pg_text(r, i, c + 3, e->src.event_id, sizeof(e->src.event_id));
	e->src.withdrawable = (int)pg_int(r, i, c + 4);
	e->src.applicant_id = pg_int(r, i, c + 5);
	e->src.decided_by = pg_int(r, i, c + 6);
	pg_text(r, i, c + 7, status, sizeof(status));
	s = wd_status_parse(status);
	e->src.status = s < 0 ? 0 : s;
	e->src.flow = (int)pg_int(r, i, c + 8);
}

/* The re-hash belongs to SQLite's migration to schema 5; a PostgreSQL
 * database starts at 5 and its ledger takes no update. */
int
pg_ledger_set_hash(struct pg_store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN])
{
	(void)id;
	(void)hash;
	snprintf(st->errmsg, sizeof(st->errmsg), "ledger entries are "
	    "append-only");
	return STORE_CONSTRAINT;
}

int
pg_rehash_add(struct pg_store *st, const struct chain_rehash *r)
{
	struct pg_params p = { 0 };
	char h1[2 * FF_HASH_LEN + 3], h2[2 * FF_HASH_LEN + 3];

	pg_p_int(&p, r->account_id);
	pg_p_int(&p, r->seq);
	pg_p_hash(&p, r->old_head, h1);
	pg_p_hash(&p, r->new_head, h2);
	pg_p_text(&p, r->at);
	return pg_simple_params(st, "INSERT INTO public.chain_rehash "
	    "(account_id, seq, old_head, new_head, at) VALUES ($1, $2, $3, $4, "
	    "$5)", &p);
}

static void
ledger_read_rehash(const PGresult *r, int i, void *row)
{
	struct chain_rehash *h = row;

	memset(h, 0, sizeof(*h));
	h->account_id = pg_int(r, i, 0);
	h->seq = pg_int(r, i, 1);
	pg_hash(r, i, 2, h->old_head);
	pg_hash(r, i, 3, h->new_head);
	pg_text(r, i, 4, h->at, sizeof(h->at));
}

int
pg_rehash_list(struct pg_store *st, struct chain_rehash **out, size_t *n)
{
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	if ((r = pg_run(st, PG_REHASH_LIST, NULL, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), ledger_read_rehash, (void **)out, n);
}

static void
ledger_params(struct pg_params *p, const struct ledger_entry *e, int with_id,
    char h[2 * FF_HASH_LEN + 3])
{
	if (with_id)
		pg_p_int(p, e->id);
	pg_p_int(p, e->account_id);
	pg_p_int(p, e->seq);
	pg_p_text(p, entry_kind_name(e->kind));
	if (e->kind == ENTRY_INCOME) {
		pg_p_int(p, e->source_id);
		pg_p_text(p, NULL);
	} else {
		pg_p_text(p, NULL);
		pg_p_int(p, e->source_id);
	}
	pg_p_int(p, e->pre_amount);
	pg_p_int(p, e->amount);
	pg_p_int(p, e->post_amount);
	pg_p_text(p, e->at);
	pg_p_text(p, e->actor);
	pg_p_hash(p, e->hash, h);
}

int
pg_ledger_add(struct pg_store *st, struct ledger_entry *e)
{
	struct pg_params p = { 0 };
	char h[2 * FF_HASH_LEN + 3];
	int rc;

	if ((rc = pg_lock_account(st, e->account_id)) != STORE_OK)
		return rc;
	st->head_of = 0;	/* the chain moves on */
	/* The id from the sequence's pool, so that the row can be sent
	 * with the writes that follow it (pipeline.c). */
	if ((rc = pg_ledger_next_id(st, &e->id)) != STORE_OK)
		return rc;
	ledger_params(&p, e, 1, h);
	return pg_defer(st, PG_LEDGER_ADD_ROW, &p, 1);
}

int
pg_ledger_add_rows(struct pg_store *st, const struct ledger_entry *e,
    size_t n)
{
	static const char hex[] = "0123456789abcdef";
	struct pg_buf col[12];
	struct pg_params p = { 0 };
	char h[2 * FF_HASH_LEN + 3];
	int rc;

	st->head_of = 0;	/* the chain moves on */
	if (n == 0)
		return STORE_OK;
	if (n == 1) {
		ledger_params(&p, e, 1, h);
		return pg_exec(st, PG_LEDGER_ADD_ROW, &p, NULL);
	}
	for (int c = 0; c < 12; c++)
		pg_buf_init(&col[c]);
	for (size_t i = 0; i < n; i++) {
		const struct ledger_entry *x = &e[i];

		for (int c = 0; c < 12; c++)
			pg_buf_putc(&col[c], i == 0 ? '{' : ',');
		pg_buf_int(&col[0], x->id);
		pg_buf_int(&col[1], x->account_id);
		pg_buf_int(&col[2], x->seq);
		pg_buf_array_text(&col[3], entry_kind_name(x->kind));
		if (x->kind == ENTRY_INCOME) {
			pg_buf_int(&col[4], x->source_id);
			pg_buf_str_put(&col[5], "NULL");
		} else {
			pg_buf_str_put(&col[4], "NULL");
			pg_buf_int(&col[5], x->source_id);
		}
		pg_buf_int(&col[6], x->pre_amount);
		pg_buf_int(&col[7], x->amount);
		pg_buf_int(&col[8], x->post_amount);
		pg_buf_array_text(&col[9], x->at);
		pg_buf_array_text(&col[10], x->actor);
		/* bytea in an array literal: "\\x…" (the backslash quoted). */
		pg_buf_str_put(&col[11], "\"\\\\x");
		for (int k = 0; k < FF_HASH_LEN; k++) {
			pg_buf_putc(&col[11], hex[x->hash[k] >> 4]);
			pg_buf_putc(&col[11], hex[x->hash[k] & 15]);
		}
		pg_buf_putc(&col[11], '"');
	}
	for (int c = 0; c < 12; c++) {
		pg_buf_putc(&col[c], '}');
		pg_p_text(&p, pg_buf_str(&col[c]));
	}
	rc = pg_exec(st, PG_LEDGER_ADD_ROWS, &p, NULL);
	for (int c = 0; c < 12; c++)
		pg_buf_free(&col[c]);
	return rc;
}

struct ledger_walk {
	store_ledger_cb cb;
	void *arg;
};

static int
ledger_each_row(void *arg, const PGresult *r, int i)
{
	struct ledger_walk *w = arg;
	struct ledger_entry e;

	pg_ledger_read(r, i, &e);
	return w->cb(w->arg, &e);
}

int
pg_ledger_each(struct pg_store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg)
{
	struct ledger_walk w = { cb, arg };
	struct pg_params p = { 0 };
	enum pg_stmt id;
	int64_t key;

	if (f->after_id > 0 || f->oldest_first) {
		id = f->account_id ? PG_LEDGER_EACH_ACCOUNT_ASC : PG_LEDGER_EACH_ASC;
		key = f->after_id;
	} else {
		id = f->account_id ? PG_LEDGER_EACH_ACCOUNT : PG_LEDGER_EACH;
		key = f->before_id > 0 ? f->before_id : INT64_MAX;
	}
	pg_p_int(&p, f->account_id);
	pg_p_int(&p, f->buss_type);
	pg_p_text(&p, f->ref);
	pg_p_text(&p, f->since);
	pg_p_text(&p, f->until);
	pg_p_int(&p, key);
	if (f->limit > 0)
		pg_p_int(&p, f->limit);
	else
		pg_p_text(&p, NULL);
	return pg_each(st, id, &p, f->limit > 0 && f->limit <= 1000,
	    ledger_each_row, &w);
}

int
pg_ledger_get(struct pg_store *st, int64_t id, struct ledger_entry *out)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	pg_p_int(&p, id);
	if ((r = pg_run(st, PG_LEDGER_GET, &p, &rc)) == NULL)
		return rc;
	return pg_one(r, pg_ledger_read, out);
}

int
pg_ledger_max_id(struct pg_store *st, int64_t *out)
{
	PGresult *r;
	int rc;

	*out = 0;
	if ((r = pg_run(st, PG_LEDGER_MAX_ID, NULL, &rc)) == NULL)
		return rc;
	*out = pg_int(r, 0, 0);
	PQclear(r);
	return STORE_OK;
}

int
pg_ledger_next_id(struct pg_store *st, int64_t *out)
{
	return pg_next_id(st, PG_LEDGER_IDS, st->entry_ids, &st->nentry_ids,
	    out);
}
