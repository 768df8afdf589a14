/*
 * cmd_ingest.c — "fundflow ingest [FILE|-]": the feeder's job.  No
 * operator logs in: the feeder is guarded by access to the database file.
 * Prints the summary on stdout and each rejected line on stderr; exit 65
 * when any line was rejected.  SIGINT / SIGTERM finish the current group
 * and report.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/income.h"
#include "model/priv.h"
#include "width.h"

static int cmd_ingest_exec(struct cli *c);

const struct cmd_entry cmd_ingest_entry = {
	.name = "ingest",
	.usage = "[FILE|-]",
	.help = "feed income events (JSON Lines); no login",
	.needs = CMD_DB,
	.exec = cmd_ingest_exec,
};

static volatile sig_atomic_t cmd_ingest_stop;

static void
cmd_ingest_signal(int sig)
{
	(void)sig;
	cmd_ingest_stop = 1;
}

static void
cmd_ingest_reject(void *arg, int64_t lineno, const char *reason)
{
	char *safe = width_sanitize(reason);

	(void)arg;
	fprintf(stderr, "line %lld: %s\n", (long long)lineno, safe);
	free(safe);
}

static int
cmd_ingest_exec(struct cli *c)
{
	const char *pos[1] = { "-" };
	struct ingest_opts o;
	struct ingest_counts n;
	struct sigaction sa;
	struct ff_err err;
	int npos, rc, fd = STDIN_FILENO;

	if ((rc = cli_parse(c, &cmd_ingest_entry, NULL, 0, pos, 1, &npos)) != 0)
		return rc;
	if ((rc = cli_check_feeder(c, "ingest")) != 0)
		return rc;
	if (npos == 1 && strcmp(pos[0], "-") != 0) {
		/* Read with the caller's own rights, never the group's. */
		fd = priv_open_user(pos[0], O_RDONLY, 0);
		if (fd < 0) {
			cli_error("ingest: cannot open %s: %s", pos[0],
			    strerror(errno));
			return EXIT_IOERR;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_ingest_signal;	/* no SA_RESTART: wake the read */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(&o, 0, sizeof(o));
	o.fd = fd;
	o.on_reject = cmd_ingest_reject;
	o.stop = &cmd_ingest_stop;
	rc = income_ingest_stream(c->ff, &o, &n, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	cli_print_counts(c, &n);
	if (rc != FF_OK)
		return cli_fail(&err);
	if (cmd_ingest_stop)
		cli_error("ingest: interrupted; the events read so far are "
		    "committed, feed the rest again");
	return n.rejected > 0 ? EXIT_REJECTED : EXIT_DONE;
}
