/* cmd_copy.c — "fundflow copy SQLITE_FILE postgresql://...": a company
 * moved to PostgreSQL, proved by a full audit of the copy. */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "model/copy.h"

static int cmd_copy_exec(struct cli *c);

const struct cmd_entry cmd_copy_entry = {
	.name = "copy",
	.usage = "SQLITE_FILE POSTGRESQL_URL",
	.help = "move a company to an empty PostgreSQL database, then audit it",
	.needs = CMD_NO_DB,
	.owner_only = 1,
	.exec = cmd_copy_exec,
};

static void
cmd_copy_progress(void *arg, int64_t done, int64_t total)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rcopying the ledger: %" PRId64 " of about %"
		    PRId64 " entries", done, total);
}

static int
cmd_copy_exec(struct cli *c)
{
	struct copy_opts o = { cmd_copy_progress, NULL };
	struct copy_summary sum;
	const char *pos[2];
	struct ff_err err;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_copy_entry, NULL, 0, pos, 2, &npos)) != 0)
		return rc;
	if (npos != 2) {
		cli_error("copy: usage: fundflow copy SQLITE_FILE POSTGRESQL_URL");
		return EXIT_USAGE;
	}
	rc = copy_company(c->cfg, pos[0], pos[1], &o, &sum, &err);
	if (isatty(STDERR_FILENO) && sum.total > 0)
		fputc('\n', stderr);
	if (sum.source_heads[0] != '\0') {
		printf("source chain heads: %s\n", sum.source_heads);
		printf("target chain heads: %s\n", sum.target_heads);
	}
	if (rc != FF_OK)
		return cli_fail(&err);
	printf("copied %s to %s: %" PRId64 " branches, %" PRId64 " operators, %"
	    PRId64 " incomes, %" PRId64 " conflicts kept, %" PRId64
	    " applications, %" PRId64 " ledger entries, %" PRId64
	    " activity lines, %" PRId64 " releases; audit clean\n", pos[0],
	    pos[1], sum.branches, sum.operators, sum.incomes, sum.conflicts,
	    sum.withdrawals, sum.entries, sum.activity, sum.releases);
	return EXIT_DONE;
}
