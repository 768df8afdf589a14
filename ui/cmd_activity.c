/* cmd_activity.c — "fundflow activity [--limit N]": who did what, when. */
#include "cli.h"

#include <inttypes.h>

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
	char id[24];
	const char *v[7];

	snprintf(id, sizeof(id), "%" PRId64, a->id);
	v[0] = id;
	v[1] = a->at;
	v[2] = a->actor;
	v[3] = a->action;
	v[4] = a->target;
	v[5] = a->ok ? "1" : "0";
	v[6] = a->detail;
	out_row(arg, v);
	return 0;
}

static int
cmd_activity_exec(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", "ID", OUT_NUM, 1 },
		{ "at", "AT", OUT_STR, 0 },
		{ "actor", "ACTOR", OUT_STR, 0 },
		{ "action", "ACTION", OUT_STR, 0 },
		{ "target", "TARGET", OUT_STR, 0 },
		{ "ok", "OK", OUT_BOOL, 0 },
		{ "detail", "DETAIL", OUT_STR, 0 },
	};
	struct cli_opt opts[] = { { "limit", 1, NULL } };
	const char *pos[1];
	struct ff_err err;
	struct out *o;
	int64_t limit = 0;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_activity_entry, opts, 1, pos, 0, &npos)) != 0)
		return rc;
	if (opts[0].value != NULL &&
	    (rc = cli_parse_id("activity --limit", opts[0].value, &limit)) != 0)
		return rc;
	o = out_new(stdout, c->format, cols, 7);
	rc = admin_activity(c->ff, &c->sess, limit, cmd_activity_row, o, &err);
	if (rc != FF_OK) {
		out_abort(o);
		return cli_fail(&err);
	}
	out_end(o);
	return EXIT_DONE;
}
