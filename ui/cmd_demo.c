/* cmd_demo.c — "fundflow demo [--force] [--entries N]": a demo company. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/demo.h"
#include "store/xmalloc.h"

static int cmd_demo_exec(struct cli *c);

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.usage = "[--force] [--entries N]",
	.help = "create a demo database (logins printed)",
	.needs = CMD_NO_DB,
	.owner_only = 1,
	.exec = cmd_demo_exec,
};

static void
cmd_demo_progress(void *arg, int64_t done, int64_t total)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rbuilding the demo history: %lld of about %lld "
		    "entries", (long long)done, (long long)total);
}

static int
cmd_demo_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "force", 0, NULL }, { "entries", 1, NULL } };
	const char *pos[1];
	struct demo_summary sum;
	struct ff_err err;
	struct stat sb;
	int64_t entries = 0;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_demo_entry, opts, 2, pos, 0, &npos)) != 0)
		return rc;
	if (opts[1].value != NULL &&
	    (rc = cli_parse_id("demo --entries", opts[1].value, &entries)) != 0)
		return rc;
	if (entries > 100000000) {
		cli_error("demo: --entries is at most 100000000");
		return EXIT_USAGE;
	}
	/* A file is replaced on --force; a server's database must be
	 * empty (demo_build refuses one with data). */
	if (!ff_db_is_server(c->db_path) && stat(c->db_path, &sb) == 0) {
		char *cause = NULL;

		if (opts[0].value == NULL) {
			cli_error("demo: %s exists already; add --force to replace "
			    "it with a new demo", c->db_path);
			return EXIT_REFUSED;
		}
		if (ff_db_remove(c->db_path, &cause) != 0) {
			cli_error("demo: %s", cause);
			free(cause);
			return EXIT_IOERR;
		}
	}
	if ((rc = ff_open(c->cfg, c->db_path, 1, &c->ff, &err)) != FF_OK)
		return cli_fail(&err);
	rc = demo_build(c->ff, entries, cmd_demo_progress, NULL, &sum, &err);
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (rc != FF_OK)
		return cli_fail(&err);
	printf("demo database %s: %lld branches, %lld ledger entries "
	    "(%lld incomes, %lld redeliveries ignored, %lld conflict kept; "
	    "%lld approved, %lld rejected, %lld cancelled, %lld pending "
	    "applications)\n", c->db_path, (long long)sum.branches,
	    (long long)sum.entries, (long long)sum.incomes,
	    (long long)sum.duplicates, (long long)sum.conflicts,
	    (long long)sum.approved, (long long)sum.rejected,
	    (long long)sum.cancelled, (long long)sum.pending);
	printf("\nlog in as (password \"%s\" for each):\n"
	    "  admin      admin: branches and operators\n"
	    "  reviewer   reviewer: approves and rejects (also reviewer2)\n"
	    "  auditor    auditor: reads everything, runs the audit\n"
	    "  staff      staff of ZC01 诸城分公司: applies and cancels\n"
	    "\ntry: fundflow --db %s accounts --user auditor\n",
	    DEMO_PASSWORD, c->db_path);
	return EXIT_DONE;
}
