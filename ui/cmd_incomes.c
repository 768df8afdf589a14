/*
 * cmd_incomes.c — "fundflow incomes [--conflicts]": the incomes, newest
 * first, or the conflicting deliveries kept for review beside the income
 * that holds their key.
 */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

#include "listing.h"
#include "model/income.h"

static int cmd_incomes_exec(struct cli *c);

const struct cmd_entry cmd_incomes_entry = {
	.name = "incomes",
	.usage = "[--branch CODE] [--type N] [--limit N] [--conflicts]",
	.help = "incomes newest first, or the conflicts kept for review",
	.needs = CMD_LOGIN,
	.exec = cmd_incomes_exec,
};

struct cmd_incomes_ctx {
	struct out *o;
	const struct config *cfg;
};

static int
cmd_incomes_row(void *arg, const struct income *in)
{
	struct cmd_incomes_ctx *x = arg;
	struct listing_income_buf b;
	const char *v[LISTING_INCOME_NCOLS];

	listing_income(x->cfg, in, &b, v);
	out_row(x->o, v);
	return 0;
}

static int
cmd_incomes_conflict_row(void *arg, const struct conflict *cf)
{
	struct cmd_incomes_ctx *x = arg;
	char id[24], inc[24], type[16], amt[MONEY_BUFSZ];
	const char *v[8];

	snprintf(id, sizeof(id), "%" PRId64, cf->id);
	snprintf(inc, sizeof(inc), "%" PRId64, cf->income_id);
	snprintf(type, sizeof(type), "%d", (int)cf->buss_type);
	v[0] = id;
	v[1] = inc;
	v[2] = cf->branch_code;
	v[3] = type;
	v[4] = cf->ref_id;
	v[5] = cf->event_id;
	v[6] = money_format(cf->amount, amt);
	v[7] = cf->received_at;
	out_row(x->o, v);
	return 0;
}

static int
cmd_incomes_exec(struct cli *c)
{
	static const struct out_col ccols[] = {
		{ "id", "ID", OUT_NUM, 1 },
		{ "income_id", "INCOME", OUT_NUM, 1 },
		{ "branch", "BRANCH", OUT_STR, 0 },
		{ "buss_type", "TYPE", OUT_NUM, 1 },
		{ "ref_id", "REFERENCE", OUT_STR, 0 },
		{ "event_id", "EVENT", OUT_STR_NULL, 0 },
		{ "amount", "AMOUNT", OUT_MONEY, 1 },
		{ "received_at", "RECEIVED AT", OUT_STR, 0 },
	};
	struct cli_opt opts[] = {
		{ "branch", 1, NULL }, { "type", 1, NULL }, { "limit", 1, NULL },
		{ "conflicts", 0, NULL },
	};
	const char *pos[1];
	struct cmd_incomes_ctx x;
	struct ff_err err;
	int64_t type = 0, limit = 0;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_incomes_entry, opts, 4, pos, 0, &npos)) != 0)
		return rc;
	if (opts[1].value != NULL &&
	    ((rc = cli_parse_id("incomes --type", opts[1].value, &type)) != 0))
		return rc;
	if (type > INT32_MAX) {
		cli_error("incomes --type: no such business type");
		return EXIT_USAGE;
	}
	if (opts[2].value != NULL &&
	    (rc = cli_parse_id("incomes --limit", opts[2].value, &limit)) != 0)
		return rc;
	memset(&x, 0, sizeof(x));
	x.cfg = c->cfg;
	if (opts[3].value != NULL) {
		x.o = out_new(stdout, c->format, ccols, 8);
		rc = income_conflicts(c->ff, &c->sess, opts[0].value,
		    cmd_incomes_conflict_row, &x, &err);
	} else {
		x.o = out_new(stdout, c->format, listing_income_cols,
		    LISTING_INCOME_NCOLS);
		rc = income_list(c->ff, &c->sess, opts[0].value, (int32_t)type, 0,
		    limit, cmd_incomes_row, &x, &err);
	}
	if (rc != FF_OK) {
		out_abort(x.o);
		return cli_fail(&err);
	}
	out_end(x.o);
	return EXIT_DONE;
}
