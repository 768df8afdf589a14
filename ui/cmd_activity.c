/* cmd_activity.c — "fundflow activity [--limit N]": who did what, when. */
#include "cli.h"

#include "listing.h"
#include "model/admin.h"

static int cmd_activity_exec(struct cli *c);

const struct cmd_entry cmd_activity_entry = {
	.name = "activity",
	.usage = "[--limit N]",
	.help = "admin, auditor: the activity journal, newest first",
	.needs = CMD_LOGIN,
	.exec = cmd_activity_exec,
};

static int
cmd_activity_row(void *arg, const struct activity *a)
{
	listing_row(arg, a);
	return 0;
}

static int
cmd_activity_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "limit", 1, NULL } };
	const char *pos[1];
	struct listing_out *lo;
	struct ff_err err;
	int64_t limit = 0;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_activity_entry, opts, 1, pos, 0, &npos)) != 0)
		return rc;
	if (opts[0].value != NULL &&
	    (rc = cli_parse_id("activity --limit", opts[0].value, &limit)) != 0)
		return rc;
	lo = listing_begin(&listing_activity, stdout, c->format, c->cfg);
	rc = admin_activity(c->ff, &c->sess, limit, cmd_activity_row, lo, &err);
	if (rc != FF_OK) {
		listing_abort(lo);
		return cli_fail(&err);
	}
	listing_end(lo);
	return EXIT_DONE;
}
