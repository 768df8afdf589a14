/* cmd_releases.c — "fundflow releases": the release record. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>

#include "model/accounts.h"

static int cmd_releases_exec(struct cli *c);

const struct cmd_entry cmd_releases_entry = {
	.name = "releases",
	.usage = "",
	.help = "every program version that opened this database",
	.needs = CMD_LOGIN,
	.exec = cmd_releases_exec,
};

static int
cmd_releases_exec(struct cli *c)
{
	static const struct out_col cols[] = {
		{ "id", "ID", OUT_NUM, 1 },
		{ "version", "VERSION", OUT_STR, 0 },
		{ "git_commit", "COMMIT", OUT_STR_NULL, 0 },
		{ "schema_version", "SCHEMA", OUT_NUM, 1 },
		{ "at", "FIRST OPENED AT", OUT_STR, 0 },
		{ "host", "HOST", OUT_STR, 0 },
		{ "os_user", "OS USER", OUT_STR, 0 },
	};
	const char *pos[1];
	struct release *r = NULL;
	struct ff_err err;
	struct out *o;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_releases_entry, NULL, 0, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = accounts_releases(c->ff, &c->sess, &r, &n, &err)) != FF_OK)
		return cli_fail(&err);
	o = out_new(stdout, c->format, cols, 7);
	for (size_t i = 0; i < n; i++) {
		char id[24], sv[16];
		const char *v[7];

		snprintf(id, sizeof(id), "%" PRId64, r[i].id);
		snprintf(sv, sizeof(sv), "%d", r[i].schema_version);
		v[0] = id;
		v[1] = r[i].version;
		v[2] = r[i].git_commit;
		v[3] = sv;
		v[4] = r[i].at;
		v[5] = r[i].host;
		v[6] = r[i].os_user;
		out_row(o, v);
	}
	out_end(o);
	free(r);
	return EXIT_DONE;
}
