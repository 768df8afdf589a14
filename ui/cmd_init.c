/* cmd_init.c — "fundflow init --admin LOGIN": a new database and its admin. */
#include "cli.h"

#include "model/auth.h"

static int cmd_init_exec(struct cli *c);

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "--admin LOGIN",
	.help = "create a new database and its first admin",
	.needs = CMD_NO_DB,
	.owner_only = 1,
	.exec = cmd_init_exec,
};

static int
cmd_init_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "admin", 1, NULL } };
	const char *pos[1];
	struct ff_err err;
	char *pw = NULL;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_init_entry, opts, 1, pos, 0, &npos)) != 0)
		return rc;
	if (opts[0].value == NULL || !*opts[0].value) {
		cli_error("init: name the first admin: fundflow init --admin LOGIN");
		return EXIT_USAGE;
	}
	if (!auth_valid_login(opts[0].value)) {
		cli_error("init: \"%s\" is not a valid login (1 to 64 of A-Z a-z "
		    "0-9 . _ - @)", opts[0].value);
		return EXIT_USAGE;
	}
	if ((rc = cli_new_password(&pw)) != 0)
		return rc;
	if ((rc = ff_open(c->cfg, c->db_path, 1, &c->ff, &err)) != FF_OK ||
	    (rc = auth_init_admin(c->ff, opts[0].value, pw, &err)) != FF_OK) {
		cli_free_secret(pw);
		return cli_fail(&err);
	}
	cli_free_secret(pw);
	printf("created %s with admin \"%s\"\n", c->db_path, opts[0].value);
	return EXIT_DONE;
}
