/*
 * cmd_audit.c — "fundflow audit [--digest FILE] [--verify-digest FILE]":
 * every invariant checked; exit 0 when clean, 1 with findings.
 */
#include "cli.h"

#include <inttypes.h>
#include <unistd.h>

#include "listing.h"
#include "model/audit.h"

static int cmd_audit_exec(struct cli *c);

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.usage = "[--digest FILE] [--verify-digest FILE]",
	.help = "auditor: check every invariant; write or verify a digest",
	.needs = CMD_LOGIN,
	.exec = cmd_audit_exec,
};

static void
cmd_audit_finding(void *arg, const struct audit_finding *f)
{
	listing_row(arg, f);
}

static void
cmd_audit_progress(void *arg, int64_t done, int64_t total)
{
	(void)arg;
	if (!isatty(STDERR_FILENO))
		return;
	if (total > 0)
		fprintf(stderr, "\rchecking the ledger: %3d%%",
		    (int)(done * 100 / (total > done ? total : done)));
	else
		fprintf(stderr, "\rchecking the ledger: %" PRId64 " entries", done);
}

/* Warnings go to stderr, apart from the findings' table or JSON. */
static void
cmd_audit_warning(void *arg, const char *text)
{
	(void)arg;
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	fprintf(stderr, "fundflow: audit warning: %s\n", text);
}

static int
cmd_audit_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "digest", 1, NULL }, { "verify-digest", 1, NULL },
	};
	const char *pos[1];
	struct audit_opts ao = { 0 };
	struct audit_summary sum;
	struct ff_err err;
	struct listing_out *lo;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_audit_entry, opts, 2, pos, 0, &npos)) != 0)
		return rc;
	lo = listing_begin(&listing_audit, stdout, c->format, c->cfg);
	ao.verify_digest = opts[1].value;
	ao.on_finding = cmd_audit_finding;
	ao.on_warning = cmd_audit_warning;
	ao.on_progress = cmd_audit_progress;
	ao.arg = lo;
	if (opts[0].value != NULL)
		rc = audit_write_digest(c->ff, &c->sess, &ao, opts[0].value, &sum,
		    &err);
	else
		rc = audit_run(c->ff, &c->sess, &ao, &sum, &err);
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
	if (sum.findings > 0 || c->format != OUT_TABLE)
		listing_end(lo);
	else
		listing_abort(lo);
	if (rc != FF_OK && !(rc == FF_REFUSED && sum.findings > 0))
		return cli_fail(&err);
	if (c->format == OUT_TABLE) {
		printf("%s: %" PRId64 " accounts, %" PRId64 " ledger entries, %"
		    PRId64 " incomes, %" PRId64 " applications checked",
		    sum.findings ? "audit FAILED" : "audit clean", sum.accounts,
		    sum.entries, sum.incomes, sum.withdrawals);
		if (opts[1].value)
			printf("; %" PRId64 " digest heads verified", sum.digest_heads);
		printf("; %" PRId64 " finding(s)", sum.findings);
		if (sum.warnings > 0)
			printf("; %" PRId64 " warning(s)", sum.warnings);
		printf("\n");
		if (opts[0].value && rc == FF_OK)
			printf("digest written to %s\n", opts[0].value);
	}
	if (rc == FF_REFUSED)
		cli_error("%s", err.msg);
	return sum.findings > 0 ? EXIT_REFUSED : EXIT_DONE;
}
