/* cmd_accounts.c — "fundflow accounts": every branch's figures. */
#include "cli.h"

#include <stdlib.h>

#include "listing.h"
#include "model/accounts.h"

static int cmd_accounts_exec(struct cli *c);

const struct cmd_entry cmd_accounts_entry = {
	.name = "accounts",
	.usage = "[--branch CODE]",
	.help = "balance, withdrawable, total withdrawn, pending per branch",
	.needs = CMD_LOGIN,
	.exec = cmd_accounts_exec,
};

static int
cmd_accounts_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "branch", 1, NULL } };
	const char *pos[1];
	struct account *a = NULL;
	struct listing_out *lo;
	struct ff_err err;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_accounts_entry, opts, 1, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = accounts_list(c->ff, &c->sess, opts[0].value, &a, &n, &err)) != FF_OK)
		return cli_fail(&err);
	lo = listing_begin(&listing_accounts, stdout, c->format, c->cfg);
	for (size_t i = 0; i < n; i++)
		listing_row(lo, &a[i]);
	listing_end(lo);
	free(a);
	return EXIT_DONE;
}
