/* cmd_accounts.c — "fundflow accounts": every branch's figures. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>

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
	static const struct out_col cols[] = {
		{ "branch", "BRANCH", OUT_STR, 0 },
		{ "name", "NAME", OUT_STR, 0 },
		{ "balance", "BALANCE", OUT_MONEY, 1 },
		{ "withdrawable", "WITHDRAWABLE", OUT_MONEY, 1 },
		{ "total_withdrawn", "WITHDRAWN", OUT_MONEY, 1 },
		{ "pending_count", "PENDING", OUT_NUM, 1 },
		{ "pending_amount", "PENDING AMOUNT", OUT_MONEY, 1 },
	};
	struct cli_opt opts[] = { { "branch", 1, NULL } };
	const char *pos[1];
	struct account *a = NULL;
	struct ff_err err;
	struct out *o;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_accounts_entry, opts, 1, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = accounts_list(c->ff, &c->sess, opts[0].value, &a, &n, &err)) != FF_OK)
		return cli_fail(&err);
	o = out_new(stdout, c->format, cols, 7);
	for (size_t i = 0; i < n; i++) {
		char bal[MONEY_BUFSZ], wd[MONEY_BUFSZ], tot[MONEY_BUFSZ],
		    pa[MONEY_BUFSZ], pc[24];
		const char *v[7];

		snprintf(pc, sizeof(pc), "%" PRId64, a[i].pending_count);
		v[0] = a[i].code;
		v[1] = a[i].name;
		v[2] = money_format(a[i].balance, bal);
		v[3] = money_format(a[i].withdrawable, wd);
		v[4] = money_format(a[i].total_withdrawn, tot);
		v[5] = pc;
		/* Unknown (more than an int64): empty, null in JSON. */
		v[6] = a[i].pending_amount < 0 ? "" :
		    money_format(a[i].pending_amount, pa);
		out_row(o, v);
	}
	out_end(o);
	free(a);
	return EXIT_DONE;
}
