/* cmd_user.c — "user add|passwd|disable|enable|confirm|list": the admin's
 * operators, four-eyes on the admin's own powers. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/auth.h"

static int cmd_user_add_exec(struct cli *c);
static int cmd_user_passwd_exec(struct cli *c);
static int cmd_user_disable_exec(struct cli *c);
static int cmd_user_list_exec(struct cli *c);
static int cmd_user_enable_exec(struct cli *c);
static int cmd_user_confirm_exec(struct cli *c);
static void cmd_user_awaits(struct cli *c, const char *login,
    const char *done);

const struct cmd_entry cmd_user_enable_entry = {
	.name = "user enable",
	.usage = "LOGIN",
	.help = "admin: enable a disabled operator (a second admin confirms)",
	.needs = CMD_LOGIN,
	.exec = cmd_user_enable_exec,
};

const struct cmd_entry cmd_user_confirm_entry = {
	.name = "user confirm",
	.usage = "LOGIN",
	.help = "admin: confirm another admin's grant, enabling or reset",
	.needs = CMD_LOGIN,
	.exec = cmd_user_confirm_exec,
};

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
	{
		char done[128];

		snprintf(done, sizeof(done), "added %s \"%s\"", opts[0].value,
		    pos[0]);
		cmd_user_awaits(c, pos[0], done);
	}
	return EXIT_DONE;
}

/* Prints what was done to login, and what it still awaits. */
static void
cmd_user_awaits(struct cli *c, const char *login, const char *done)
{
	struct operator op;
	struct ff_err err;

	if (auth_user_state(c->ff, login, &op, &err) == FF_OK &&
	    op.awaiting[0] != '\0')
		printf("%s; the %s awaits a second admin's confirmation: "
		    "fundflow user confirm %s\n", done,
		    strcmp(op.awaiting, "grant") == 0 ? "grant" :
		    strcmp(op.awaiting, "reset") == 0 ? "reset" : "enabling",
		    login);
	else
		printf("%s\n", done);
}

static int
cmd_user_enable_exec(struct cli *c)
{
	const char *pos[1];
	struct ff_err err;
	char done[96];
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_user_enable_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1) {
		cli_error("user enable: usage: fundflow user enable LOGIN");
		return EXIT_USAGE;
	}
	if ((rc = auth_user_enable(c->ff, &c->sess, pos[0], &err)) != FF_OK)
		return cli_fail(&err);
	snprintf(done, sizeof(done), "enabled \"%s\"", pos[0]);
	cmd_user_awaits(c, pos[0], done);
	return EXIT_DONE;
}

static int
cmd_user_confirm_exec(struct cli *c)
{
	const char *pos[1];
	struct ff_err err;
	char what[8];
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_user_confirm_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1) {
		cli_error("user confirm: usage: fundflow user confirm LOGIN");
		return EXIT_USAGE;
	}
	if ((rc = auth_user_confirm(c->ff, &c->sess, pos[0], what, &err)) != FF_OK)
		return cli_fail(&err);
	printf("confirmed the %s of \"%s\"%s\n", strcmp(what, "enable") == 0 ?
	    "enabling" : what, pos[0], strcmp(what, "reset") == 0 ?
	    "; the new password must be changed at the next login" : "");
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
	{
		const char *who = npos ? pos[0] : c->sess.op.login;
		char done[128];

		snprintf(done, sizeof(done), "password of \"%s\" set%s", who,
		    strcmp(who, c->sess.op.login) != 0 ? " (to be changed at "
		    "the next login)" : "");
		cmd_user_awaits(c, who, done);
	}
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
		{ "awaiting", "AWAITING", OUT_STR_NULL, 0 },
		{ "awaiting_by", "ASKED BY", OUT_STR_NULL, 0 },
		{ "must_change_password", "MUST CHANGE", OUT_BOOL, 0 },
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
	o = out_new(stdout, c->format, cols, 9);
	for (size_t i = 0; i < n; i++) {
		const char *v[] = { ops[i].login, role_name(ops[i].role),
		    ops[i].branch_code, ops[i].name, ops[i].active ? "1" : "0",
		    ops[i].created_at, ops[i].awaiting,
		    ops[i].awaiting_by_login, ops[i].must_change ? "1" : "0" };

		out_row(o, v);
	}
	out_end(o);
	free(ops);
	return EXIT_DONE;
}
