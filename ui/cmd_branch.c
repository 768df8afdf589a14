/* cmd_branch.c — "branch add CODE NAME" and "branch list". */
#include "cli.h"

#include <stdlib.h>

#include "model/accounts.h"

static int cmd_branch_add_exec(struct cli *c);
static int cmd_branch_list_exec(struct cli *c);

const struct cmd_entry cmd_branch_add_entry = {
	.name = "branch add",
	.usage = "CODE NAME",
	.help = "admin: add a branch and its account",
	.needs = CMD_LOGIN,
	.exec = cmd_branch_add_exec,
};

const struct cmd_entry cmd_branch_list_entry = {
	.name = "branch list",
	.usage = "",
	.help = "the branches",
	.needs = CMD_LOGIN,
	.exec = cmd_branch_list_exec,
};

static int
cmd_branch_add_exec(struct cli *c)
{
	const char *pos[2];
	struct ff_err err;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_branch_add_entry, NULL, 0, pos, 2, &npos)) != 0)
		return rc;
	if (npos != 2) {
		cli_error("branch add: usage: fundflow branch add CODE NAME");
		return EXIT_USAGE;
	}
	if ((rc = accounts_branch_add(c->ff, &c->sess, pos[0], pos[1], &err)) != FF_OK)
		return cli_fail(&err);
	printf("added branch %s %s\n", pos[0], pos[1]);
	return EXIT_DONE;
}

static int
cmd_branch_list_exec(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "code", "CODE", OUT_STR, 0 },
		{ "name", "NAME", OUT_STR, 0 },
		{ "active", "ACTIVE", OUT_BOOL, 0 },
		{ "created_at", "CREATED", OUT_STR, 0 },
	};
	const char *pos[1];
	struct branch *b = NULL;
	struct ff_err err;
	struct out *o;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_branch_list_entry, NULL, 0, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = accounts_branch_list(c->ff, &c->sess, &b, &n, &err)) != FF_OK)
		return cli_fail(&err);
	o = out_new(stdout, c->format, cols, 4);
	for (size_t i = 0; i < n; i++) {
		const char *v[] = { b[i].code, b[i].name, b[i].active ? "1" : "0",
		    b[i].created_at };

		out_row(o, v);
	}
	out_end(o);
	free(b);
	return EXIT_DONE;
}
