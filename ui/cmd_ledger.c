/*
 * cmd_ledger.c — "fundflow ledger": the ledger history, newest first, as
 * a table, JSON, CSV, or (--format journal) an hledger / ledger-cli
 * journal, oldest first, that those tools read as it is.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/accounts.h"
#include "model/chain.h"

static int cmd_ledger_exec(struct cli *c);

const struct cmd_entry cmd_ledger_entry = {
	.name = "ledger",
	.usage = "[--branch CODE] [--since D] [--until D] [--limit N] "
	    "[--before ID] [--type N] [--ref R] [--format journal]",
	.help = "ledger history, newest first",
	.needs = CMD_LOGIN,
	.exec = cmd_ledger_exec,
};


struct cmd_ledger_ctx {
	struct listing_out *lo;
	const struct config *cfg;
};

static int
cmd_ledger_row(void *arg, const struct ledger_entry *e)
{
	struct cmd_ledger_ctx *x = arg;

	listing_row(x->lo, e);
	return 0;
}

/* An account name part: no ':' (the journal's separator), no runs of
 * two spaces (they end the account name), no control characters. */
static void
cmd_ledger_account_part(char *out, size_t sz, const char *in)
{
	size_t k = 0;

	for (; *in && k + 1 < sz; in++) {
		char ch = *in;

		if (ch == ':' || ch == ';' || (unsigned char)ch < 0x20 || ch == 0x7f)
			ch = '-';
		if (ch == ' ' && k > 0 && out[k - 1] == ' ')
			continue;
		out[k++] = ch;
	}
	out[k] = '\0';
}

static int
cmd_ledger_journal_row(void *arg, const struct ledger_entry *e)
{
	struct cmd_ledger_ctx *x = arg;
	const char *cur = x->cfg->currency;
	char amt[MONEY_BUFSZ], neg[MONEY_BUFSZ], other[FF_NAME_MAX + 32],
	    ref[FF_REF_MAX + 1], hex[2 * FF_HASH_LEN + 1];

	money_format(e->amount, amt);
	money_format(-e->amount, neg);
	if (e->kind == ENTRY_INCOME) {
		const struct buss_type *t = config_type(x->cfg, e->buss_type);
		char name[FF_NAME_MAX + 1];

		if (t != NULL)
			cmd_ledger_account_part(name, sizeof(name), t->name);
		else
			snprintf(name, sizeof(name), "type %d", (int)e->buss_type);
		snprintf(other, sizeof(other), "revenue:%s", name);
	} else {
		snprintf(other, sizeof(other), "withdrawals:%s", e->branch_code);
	}
	cmd_ledger_account_part(ref, sizeof(ref), e->ref);
	printf("%.10s %s %s %s  ; seq:%" PRId64 ", actor:%s, hash:%s\n"
	    "    assets:branches:%s  %s %s\n"
	    "    %s  %s %s\n\n",
	    e->at, e->branch_code, entry_kind_name(e->kind), ref, e->seq,
	    e->actor, chain_hex(e->hash, hex), e->branch_code, amt, cur, other,
	    neg, cur);
	return 0;
}

static int
cmd_ledger_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "branch", 1, NULL }, { "since", 1, NULL }, { "until", 1, NULL },
		{ "limit", 1, NULL }, { "format", 1, NULL }, { "type", 1, NULL },
		{ "ref", 1, NULL }, { "before", 1, NULL },
	};
	const char *pos[1];
	struct history_query q;
	struct cmd_ledger_ctx x;
	struct ff_err err;
	int npos, rc, journal = 0;

	if ((rc = cli_parse(c, &cmd_ledger_entry, opts, 8, pos, 0, &npos)) != 0)
		return rc;
	memset(&q, 0, sizeof(q));
	q.branch = opts[0].value;
	q.since = opts[1].value;
	q.until = opts[2].value;
	q.ref = opts[6].value;
	if (opts[3].value != NULL &&
	    (rc = cli_parse_id("ledger --limit", opts[3].value, &q.limit)) != 0)
		return rc;
	/* --before ID: the page of entries older than entry ID (keyset
	 * paging for scripts: pass the last id a page showed). */
	if (opts[7].value != NULL &&
	    (rc = cli_parse_id("ledger --before", opts[7].value,
	    &q.before_id)) != 0)
		return rc;
	if (opts[5].value != NULL) {
		int64_t t;

		if (strcmp(opts[5].value, "withdrawal") == 0)
			q.buss_type = -1;
		else if ((rc = cli_parse_id("ledger --type", opts[5].value, &t)) != 0)
			return rc;
		else if (t > INT32_MAX) {
			cli_error("ledger --type: no such business type");
			return EXIT_USAGE;
		} else
			q.buss_type = (int32_t)t;
	}
	if (opts[4].value != NULL) {
		if (strcmp(opts[4].value, "journal") != 0) {
			cli_error("ledger --format: the only format is \"journal\" "
			    "(use --json or --csv for the others)");
			return EXIT_USAGE;
		}
		journal = 1;
		q.oldest_first = 1;
	}
	memset(&x, 0, sizeof(x));
	x.cfg = c->cfg;
	if (journal) {
		printf("; fundflow ledger journal, for hledger and ledger-cli\n"
		    "; one transaction per ledger entry, oldest first\n\n");
		rc = accounts_history(c->ff, &c->sess, &q, cmd_ledger_journal_row,
		    &x, &err);
		return rc == FF_OK ? EXIT_DONE : cli_fail(&err);
	}
	x.lo = listing_begin(&listing_ledger, stdout, c->format, c->cfg);
	rc = accounts_history(c->ff, &c->sess, &q, cmd_ledger_row, &x, &err);
	if (rc != FF_OK) {
		listing_abort(x.lo);
		return cli_fail(&err);
	}
	listing_end(x.lo);
	return EXIT_DONE;
}
