/* cmd_user.c — "user add|passwd|disable|list": the admin's operators. */
#include "cli.h"

#include <stdlib.h>

#include "model/auth.h"

static int cmd_user_add_exec(struct cli *c);
static int cmd_user_passwd_exec(struct cli *c);
static int cmd_user_disable_exec(struct cli *c);
static int cmd_user_list_exec(struct cli *c);

const struct cmd_entry cmd_user_add_entry = {
	.name = "user add",
	.usage = "LOGIN --role ROLE [--branch CODE] [--name NAME]",
	.help = "admin: add an operator (password: FUNDFLOW_NEW_PASSWORD)",
	.needs = CMD_LOGIN,
	.exec = cmd_user_add_exec,
};

const struct cmd_entry cmd_user_passwd_entry = {
	.name = "user passwd",
	.usage = "[LOGIN]",
	.help = "set a password (your own, or anyone's as admin)",
	.needs = CMD_LOGIN,
	.exec = cmd_user_passwd_exec,
};

const struct cmd_entry cmd_user_disable_entry = {
	.name = "user disable",
	.usage = "LOGIN",
	.help = "admin: disable an operator",
	.needs = CMD_LOGIN,
	.exec = cmd_user_disable_exec,
};

const struct cmd_entry cmd_user_list_entry = {
	.name = "user list",
	.usage = "",
	.help = "admin, auditor: the operators",
	.needs = CMD_LOGIN,
	.exec = cmd_user_list_exec,
};

static int
cmd_user_add_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "role", 1, NULL }, { "branch", 1, NULL }, { "name", 1, NULL },
	};
	const char *pos[1];
	struct ff_err err;
	char *pw = NULL;
	int npos, rc, role;

	if ((rc = cli_parse(c, &cmd_user_add_entry, opts, 3, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1 || opts[0].value == NULL) {
		cli_error("user add: usage: fundflow user add %s",
		    cmd_user_add_entry.usage);
		return EXIT_USAGE;
	}
	if ((role = role_parse(opts[0].value)) < 0) {
		cli_error("user add: --role is one of admin, reviewer, auditor, "
		    "staff (not \"%s\")", opts[0].value);
		return EXIT_USAGE;
	}
	if ((rc = cli_new_password(&pw)) != 0)
		return rc;
	rc = auth_user_add(c->ff, &c->sess, pos[0], (enum role)role,
	    opts[1].value, opts[2].value, pw, &err);
	cli_free_secret(pw);
	if (rc != FF_OK)
		return cli_fail(&err);
	printf("added %s \"%s\"\n", opts[0].value, pos[0]);
	return EXIT_DONE;
}

static int
cmd_user_passwd_exec(struct cli *c)
{
	const char *pos[1] = { NULL };
	struct ff_err err;
	char *pw = NULL;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_user_passwd_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if ((rc = cli_new_password(&pw)) != 0)
		return rc;
	rc = auth_user_passwd(c->ff, &c->sess, npos ? pos[0] : NULL, pw, &err);
	cli_free_secret(pw);
	if (rc != FF_OK)
		return cli_fail(&err);
	printf("password of \"%s\" set\n", npos ? pos[0] : c->sess.op.login);
	return EXIT_DONE;
}

static int
cmd_user_disable_exec(struct cli *c)
{
	const char *pos[1];
	struct ff_err err;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_user_disable_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1) {
		cli_error("user disable: usage: fundflow user disable LOGIN");
		return EXIT_USAGE;
	}
	if ((rc = auth_user_disable(c->ff, &c->sess, pos[0], &err)) != FF_OK)
		return cli_fail(&err);
	printf("disabled \"%s\"\n", pos[0]);
	return EXIT_DONE;
}

static int
cmd_user_list_exec(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "login", "LOGIN", OUT_STR, 0 },
		{ "role", "ROLE", OUT_STR, 0 },
		{ "branch", "BRANCH", OUT_STR_NULL, 0 },
		{ "name", "NAME", OUT_STR, 0 },
		{ "active", "ACTIVE", OUT_BOOL, 0 },
		{ "created_at", "CREATED", OUT_STR, 0 },
	};
	const char *pos[1];
	struct operator *ops = NULL;
	struct ff_err err;
	struct out *o;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_user_list_entry, NULL, 0, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = auth_user_list(c->ff, &c->sess, &ops, &n, &err)) != FF_OK)
		return cli_fail(&err);
	o = out_new(stdout, c->format, cols, 6);
	for (size_t i = 0; i < n; i++) {
		const char *v[] = { ops[i].login, role_name(ops[i].role),
		    ops[i].branch_code, ops[i].name, ops[i].active ? "1" : "0",
		    ops[i].created_at };

		out_row(o, v);
	}
	out_end(o);
	free(ops);
	return EXIT_DONE;
}
