/*
 * cmd_withdraw.c — the withdrawal flow on the command line: apply,
 * approve, reject, cancel, list.  Five entries in one file because they
 * share the application's printing (its columns: ui/listing.c).
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/accounts.h"
#include "model/withdrawal.h"

static int cmd_withdraw_apply_exec(struct cli *c);
static int cmd_withdraw_approve_exec(struct cli *c);
static int cmd_withdraw_reject_exec(struct cli *c);
static int cmd_withdraw_cancel_exec(struct cli *c);
static int cmd_withdraw_list_exec(struct cli *c);

const struct cmd_entry cmd_withdraw_apply_entry = {
	.name = "withdraw apply",
	.usage = "--branch CODE --amount A [--note T]",
	.help = "staff: apply for a withdrawal",
	.needs = CMD_LOGIN,
	.exec = cmd_withdraw_apply_exec,
};

const struct cmd_entry cmd_withdraw_approve_entry = {
	.name = "withdraw approve",
	.usage = "ID",
	.help = "reviewer: approve (checks and debits at once)",
	.needs = CMD_LOGIN,
	.exec = cmd_withdraw_approve_exec,
};

const struct cmd_entry cmd_withdraw_reject_entry = {
	.name = "withdraw reject",
	.usage = "ID --reason T",
	.help = "reviewer: reject, with a reason",
	.needs = CMD_LOGIN,
	.exec = cmd_withdraw_reject_exec,
};

const struct cmd_entry cmd_withdraw_cancel_entry = {
	.name = "withdraw cancel",
	.usage = "ID",
	.help = "staff: cancel the branch's pending application",
	.needs = CMD_LOGIN,
	.exec = cmd_withdraw_cancel_exec,
};

const struct cmd_entry cmd_withdraw_list_entry = {
	.name = "withdraw list",
	.usage = "[--status S] [--branch CODE]",
	.help = "applications, oldest first",
	.needs = CMD_LOGIN,
	.exec = cmd_withdraw_list_exec,
};

/* Prints one application: its own columns as a JSON object, or a
 * sentence. */
static void
cmd_withdraw_print(const struct cli *c, const struct withdrawal *w,
    const char *sentence)
{
	struct listing_withdrawal r = { w, NULL };

	if (c->format == OUT_JSON)
		listing_object(&listing_withdrawals, LISTING_WITHDRAWAL_OWN,
		    stdout, c->cfg, &r);
	else
		puts(sentence);
}

static int
cmd_withdraw_id(struct cli *c, const struct cmd_entry *e, struct cli_opt *opts,
    int nopts, int64_t *id)
{
	const char *pos[1];
	int npos, rc;

	if ((rc = cli_parse(c, e, opts, nopts, pos, 1, &npos)) != 0)
		return rc;
	if (npos != 1) {
		cli_error("%s: usage: fundflow %s %s", e->name, e->name, e->usage);
		return EXIT_USAGE;
	}
	return cli_parse_id(e->name, pos[0], id);
}

static int
cmd_withdraw_apply_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "branch", 1, NULL }, { "amount", 1, NULL }, { "note", 1, NULL },
	};
	const char *pos[1];
	struct withdrawal w;
	struct ff_err err;
	money_t amount;
	char buf[256], a[MONEY_BUFSZ];
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_withdraw_apply_entry, opts, 3, pos, 0, &npos)) != 0)
		return rc;
	if (opts[1].value == NULL) {
		cli_error("withdraw apply: --amount is required");
		return EXIT_USAGE;
	}
	if ((rc = cli_parse_amount("withdraw apply --amount", opts[1].value,
	    &amount)) != 0)
		return rc;
	rc = withdrawal_apply(c->ff, &c->sess, opts[0].value, amount,
	    opts[2].value, &w, &err);
	if (rc != FF_OK)
		return cli_fail(&err);
	snprintf(buf, sizeof(buf), "application %" PRId64 ": %s %s, pending "
	    "review", w.id, w.branch_code, money_format_grouped(w.amount, a));
	cmd_withdraw_print(c, &w, buf);
	return EXIT_DONE;
}

static int
cmd_withdraw_approve_exec(struct cli *c)
{
	struct withdrawal w;
	struct account acct;
	struct ff_err err;
	int64_t id;
	char buf[320], a[MONEY_BUFSZ], b[MONEY_BUFSZ], d[MONEY_BUFSZ];
	int rc;

	if ((rc = cmd_withdraw_id(c, &cmd_withdraw_approve_entry, NULL, 0, &id)) != 0)
		return rc;
	if ((rc = withdrawal_approve(c->ff, &c->sess, id, &w, &acct, &err)) != FF_OK)
		return cli_fail(&err);
	snprintf(buf, sizeof(buf), "approved application %" PRId64 ": %s %s; "
	    "balance now %s, withdrawable %s", w.id, w.branch_code,
	    money_format_grouped(w.amount, a),
	    money_format_grouped(acct.balance, b),
	    money_format_grouped(acct.withdrawable, d));
	cmd_withdraw_print(c, &w, buf);
	return EXIT_DONE;
}

static int
cmd_withdraw_reject_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "reason", 1, NULL } };
	struct withdrawal w;
	struct ff_err err;
	int64_t id;
	char buf[256];
	int rc;

	if ((rc = cmd_withdraw_id(c, &cmd_withdraw_reject_entry, opts, 1, &id)) != 0)
		return rc;
	if (opts[0].value == NULL) {
		cli_error("withdraw reject: a reason is required: --reason TEXT");
		return EXIT_USAGE;
	}
	rc = withdrawal_reject(c->ff, &c->sess, id, opts[0].value, &w, &err);
	if (rc != FF_OK)
		return cli_fail(&err);
	snprintf(buf, sizeof(buf), "rejected application %" PRId64 " of %s",
	    w.id, w.branch_code);
	cmd_withdraw_print(c, &w, buf);
	return EXIT_DONE;
}

static int
cmd_withdraw_cancel_exec(struct cli *c)
{
	struct withdrawal w;
	struct ff_err err;
	int64_t id;
	char buf[256];
	int rc;

	if ((rc = cmd_withdraw_id(c, &cmd_withdraw_cancel_entry, NULL, 0, &id)) != 0)
		return rc;
	if ((rc = withdrawal_cancel(c->ff, &c->sess, id, &w, &err)) != FF_OK)
		return cli_fail(&err);
	snprintf(buf, sizeof(buf), "cancelled application %" PRId64 " of %s",
	    w.id, w.branch_code);
	cmd_withdraw_print(c, &w, buf);
	return EXIT_DONE;
}

static int
cmd_withdraw_list_exec(struct cli *c)
{
	struct cli_opt opts[] = { { "status", 1, NULL }, { "branch", 1, NULL } };
	const char *pos[1];
	struct withdrawal *w = NULL;
	struct account *a = NULL;
	struct listing_out *lo;
	struct ff_err err;
	size_t n, na;
	int npos, rc, status = -1;

	if ((rc = cli_parse(c, &cmd_withdraw_list_entry, opts, 2, pos, 0, &npos)) != 0)
		return rc;
	if (opts[0].value != NULL && (status = wd_status_parse(opts[0].value)) < 0) {
		cli_error("withdraw list: --status is one of pending, approved, "
		    "rejected, cancelled (not \"%s\")", opts[0].value);
		return EXIT_USAGE;
	}
	rc = withdrawal_list(c->ff, &c->sess, opts[1].value, status, &w, &n, &err);
	if (rc != FF_OK)
		return cli_fail(&err);
	/* The branches' figures now, for withdrawable_now: what the
	 * reviewers' screen shows beside each application. */
	if ((rc = accounts_list(c->ff, &c->sess, opts[1].value, &a, &na,
	    &err)) != FF_OK) {
		free(w);
		return cli_fail(&err);
	}
	lo = listing_begin(&listing_withdrawals, stdout, c->format, c->cfg);
	for (size_t i = 0; i < n; i++) {
		struct listing_withdrawal r;

		r.w = &w[i];
		r.acct = listing_account_of(a, na, w[i].branch_id);
		listing_row(lo, &r);
	}
	listing_end(lo);
	free(a);
	free(w);
	return EXIT_DONE;
}
