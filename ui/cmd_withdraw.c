/*
 * cmd_withdraw.c — the withdrawal flow on the command line: apply,
 * approve, reject, cancel, list.  Five entries in one file because they
 * share the application's columns and its printing.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

static const struct out_col cmd_withdraw_cols[] = {
	{ "id", "ID", OUT_NUM, 1 },
	{ "branch", "BRANCH", OUT_STR, 0 },
	{ "amount", "AMOUNT", OUT_MONEY, 1 },
	{ "status", "STATUS", OUT_STR, 0 },
	{ "applicant", "APPLICANT", OUT_STR, 0 },
	{ "applied_at", "APPLIED AT", OUT_STR, 0 },
	{ "decided_by", "DECIDED BY", OUT_STR_NULL, 0 },
	{ "decided_at", "DECIDED AT", OUT_STR_NULL, 0 },
	{ "reason", "REASON", OUT_STR_NULL, 0 },
	{ "note", "NOTE", OUT_STR, 0 },
	{ "flow", "FLOW", OUT_NUM, 1 },
};
#define CMD_WITHDRAW_NCOLS \
	(int)(sizeof(cmd_withdraw_cols) / sizeof(cmd_withdraw_cols[0]))

/* The column values of one application; bufs hold the numbers. */
static void
cmd_withdraw_values(const struct withdrawal *w, const char **v,
    char id[24], char amount[MONEY_BUFSZ], char flow[16])
{
	snprintf(id, 24, "%" PRId64, w->id);
	snprintf(flow, 16, "%d", w->flow);
	v[0] = id;
	v[1] = w->branch_code;
	v[2] = money_format(w->amount, amount);
	v[3] = wd_status_name(w->status);
	v[4] = w->applicant;
	v[5] = w->applied_at;
	v[6] = w->decided_by;
	v[7] = w->decided_at;
	v[8] = w->reason;
	v[9] = w->note;
	v[10] = flow;
}

/* Prints one application: a JSON object, or a sentence. */
static void
cmd_withdraw_print(const struct cli *c, const struct withdrawal *w,
    const char *sentence)
{
	const char *v[CMD_WITHDRAW_NCOLS];
	char id[24], amount[MONEY_BUFSZ], flow[16];

	if (c->format == OUT_JSON) {
		cmd_withdraw_values(w, v, id, amount, flow);
		out_object(stdout, cmd_withdraw_cols, CMD_WITHDRAW_NCOLS, v);
	} else {
		puts(sentence);
	}
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
	struct ff_err err;
	struct out *o;
	size_t n;
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
	o = out_new(stdout, c->format, cmd_withdraw_cols, CMD_WITHDRAW_NCOLS);
	for (size_t i = 0; i < n; i++) {
		const char *v[CMD_WITHDRAW_NCOLS];
		char id[24], amount[MONEY_BUFSZ], flow[16];

		cmd_withdraw_values(&w[i], v, id, amount, flow);
		out_row(o, v);
	}
	out_end(o);
	free(w);
	return EXIT_DONE;
}
