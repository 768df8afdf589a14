/* listing.c — the columns records are listed with; see listing.h. */
#include "listing.h"

#include <inttypes.h>
#include <stdio.h>

#include "model/chain.h"

const struct out_col listing_income_cols[LISTING_INCOME_NCOLS] = {
	{ "id", "ID", OUT_NUM, 1 },
	{ "branch", "BRANCH", OUT_STR, 0 },
	{ "buss_type", "TYPE", OUT_NUM, 1 },
	{ "type_name", "TYPE NAME", OUT_STR, 0 },
	{ "ref_id", "REFERENCE", OUT_STR, 0 },
	{ "event_id", "EVENT", OUT_STR_NULL, 0 },
	{ "amount", "AMOUNT", OUT_MONEY, 1 },
	{ "withdrawable", "WITHDRAWABLE", OUT_BOOL, 0 },
	{ "occurred_at", "OCCURRED AT", OUT_STR_NULL, 0 },
	{ "received_at", "RECEIVED AT", OUT_STR, 0 },
};

void
listing_income(const struct config *cfg, const struct income *in,
    struct listing_income_buf *b, const char **v)
{
	const struct buss_type *t = config_type(cfg, in->buss_type);

	snprintf(b->id, sizeof(b->id), "%" PRId64, in->id);
	snprintf(b->type, sizeof(b->type), "%d", (int)in->buss_type);
	v[0] = b->id;
	v[1] = in->branch_code;
	v[2] = b->type;
	v[3] = t ? t->name : "";
	v[4] = in->ref_id;
	v[5] = in->event_id;
	v[6] = money_format(in->amount, b->amount);
	v[7] = in->withdrawable ? "1" : "0";
	v[8] = in->occurred_at;
	v[9] = in->received_at;
}

const struct out_col listing_ledger_cols[LISTING_LEDGER_NCOLS] = {
	{ "id", "ENTRY", OUT_NUM, 1 },
	{ "seq", "SEQ", OUT_NUM, 1 },
	{ "branch", "BRANCH", OUT_STR, 0 },
	{ "kind", "KIND", OUT_STR, 0 },
	{ "buss_type", "TYPE", OUT_NUM_NULL, 1 },
	{ "type_name", "TYPE NAME", OUT_STR_NULL, 0 },
	{ "ref", "REFERENCE", OUT_STR, 0 },
	{ "pre_amount", "BEFORE", OUT_MONEY, 1 },
	{ "amount", "AMOUNT", OUT_MONEY, 1 },
	{ "post_amount", "AFTER", OUT_MONEY, 1 },
	{ "at", "AT", OUT_STR, 0 },
	{ "actor", "ACTOR", OUT_STR, 0 },
	{ "hash", "HASH", OUT_STR, 0 },
};

void
listing_ledger(const struct config *cfg, const struct ledger_entry *e,
    struct listing_ledger_buf *b, const char **v)
{
	const struct buss_type *t = NULL;

	snprintf(b->id, sizeof(b->id), "%" PRId64, e->id);
	snprintf(b->seq, sizeof(b->seq), "%" PRId64, e->seq);
	b->type[0] = '\0';
	if (e->kind == ENTRY_INCOME) {
		snprintf(b->type, sizeof(b->type), "%d", (int)e->buss_type);
		t = config_type(cfg, e->buss_type);
	}
	v[0] = b->id;
	v[1] = b->seq;
	v[2] = e->branch_code;
	v[3] = entry_kind_name(e->kind);
	v[4] = b->type;
	v[5] = t ? t->name : "";
	v[6] = e->ref;
	v[7] = money_format(e->pre_amount, b->pre);
	v[8] = money_format(e->amount, b->amount);
	v[9] = money_format(e->post_amount, b->post);
	v[10] = e->at;
	v[11] = e->actor;
	v[12] = chain_hex(e->hash, b->hash);
}
