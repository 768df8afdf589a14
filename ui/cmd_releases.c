/* cmd_releases.c — "fundflow releases": the release record. */
#include "cli.h"

#include <stdlib.h>

#include "listing.h"
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
	const char *pos[1];
	struct release *r = NULL;
	struct listing_out *lo;
	struct ff_err err;
	size_t n;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_releases_entry, NULL, 0, pos, 0, &npos)) != 0)
		return rc;
	if ((rc = accounts_releases(c->ff, &c->sess, &r, &n, &err)) != FF_OK)
		return cli_fail(&err);
	lo = listing_begin(&listing_releases, stdout, c->format, c->cfg);
	for (size_t i = 0; i < n; i++)
		listing_row(lo, &r[i]);
	listing_end(lo);
	free(r);
	return EXIT_DONE;
}
