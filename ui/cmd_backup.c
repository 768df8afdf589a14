/* cmd_backup.c — "fundflow backup FILE": an online copy of the database. */
#include "cli.h"

#include "model/admin.h"

static int cmd_backup_exec(struct cli *c);

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE",
	.help = "admin, auditor: online backup into a new file",
	.needs = CMD_LOGIN,
	.exec = cmd_backup_exec,
};

static int
cmd_backup_exec(struct cli *c)
{
	const char *pos[1];
	struct ff_err err;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_backup_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1) {
		cli_error("backup: usage: fundflow backup FILE");
		return EXIT_USAGE;
	}
	if ((rc = admin_backup(c->ff, &c->sess, pos[0], &err)) != FF_OK)
		return cli_fail(&err);
	printf("backed up %s to %s\n", c->db_path, pos[0]);
	return EXIT_DONE;
}
