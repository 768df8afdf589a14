/*
 * cmd_incomes.c — "fundflow incomes [--conflicts]": the incomes, newest
 * first, or the conflicting deliveries kept for review beside the income
 * that holds their key.
 */
#include "cli.h"

#include <stdint.h>

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

/* The incomes and the conflicts alike: one row of the listing begun. */
static int
cmd_incomes_row(void *arg, const struct income *in)
{
	listing_row(arg, in);
	return 0;
}

static int
cmd_incomes_conflict_row(void *arg, const struct conflict *cf)
{
	listing_row(arg, cf);
	return 0;
}

static int
cmd_incomes_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "branch", 1, NULL }, { "type", 1, NULL }, { "limit", 1, NULL },
		{ "conflicts", 0, NULL },
	};
	const char *pos[1];
	struct listing_out *lo;
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
	if (opts[3].value != NULL) {
		lo = listing_begin(&listing_conflicts, stdout, c->format, c->cfg);
		rc = income_conflicts(c->ff, &c->sess, opts[0].value,
		    cmd_incomes_conflict_row, lo, &err);
	} else {
		lo = listing_begin(&listing_incomes, stdout, c->format, c->cfg);
		rc = income_list(c->ff, &c->sess, opts[0].value, (int32_t)type, 0,
		    limit, cmd_incomes_row, lo, &err);
	}
	if (rc != FF_OK) {
		listing_abort(lo);
		return cli_fail(&err);
	}
	listing_end(lo);
	return EXIT_DONE;
}
