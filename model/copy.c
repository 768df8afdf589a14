/*
 * copy.c — moving a company from a SQLite file to a PostgreSQL database:
 * every row with its id, the chain and the releases, in one transaction
 * on an empty target, through the target's own guards; then a full audit
 * of the target and both databases' chain heads.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "copy.h"
#include "sha256.h"
#include "store/store.h"
#include "store/xmalloc.h"

struct copy_ctx {
	struct ff *src, *dst;
	struct copy_summary *sum;
	const struct copy_opts *o;
	struct withdrawal *wd;		/* the source's, by id */
	size_t nwd;
	struct income in[STORE_ROWS];
	struct ledger_entry e[STORE_ROWS];
	size_t nin, ne;
	int rc;				/* the first store_rc that failed */
	const char *doing;
};

/* By id, for records whose first member is their int64_t id (operators,
 * applications). */
_Static_assert(offsetof(struct operator, id) == 0, "an operator's id first");
_Static_assert(offsetof(struct withdrawal, id) == 0, "an application's id first");
static int
copy_by_id(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static int
copy_income(void *arg, const struct income *in)
{
	struct copy_ctx *c = arg;

	c->in[c->nin++] = *in;
	c->sum->incomes++;
	if (c->nin == STORE_ROWS) {
		c->rc = store_income_add_rows(c->dst->st, c->in, c->nin);
		c->nin = 0;
	}
	return c->rc != STORE_OK;
}

static int
copy_conflict(void *arg, const struct conflict *cf)
{
	struct copy_ctx *c = arg;

	c->sum->conflicts++;
	c->rc = store_conflict_put(c->dst->st, cf);
	return c->rc != STORE_OK;
}

/* The held entries, then the decision of each approval among them (an
 * approved application needs its entry; its entry needs it pending). */
static int
copy_flush_entries(struct copy_ctx *c)
{
	int rc;

	if (c->ne == 0)
		return STORE_OK;
	if ((rc = store_ledger_add_rows(c->dst->st, c->e, c->ne)) != STORE_OK)
		return rc;
	for (size_t i = 0; i < c->ne; i++) {
		struct withdrawal key, *w;

		if (c->e[i].kind != ENTRY_WITHDRAWAL)
			continue;
		key.id = c->e[i].source_id;
		w = bsearch(&key, c->wd, c->nwd, sizeof(*c->wd), copy_by_id);
		if (w == NULL || w->status != WD_APPROVED)
			continue;	/* the target's guards refuse it below */
		if ((rc = store_withdrawal_decide(c->dst->st, w->id, w->status,
		    w->decided_by_id, w->decided_at, w->reason)) != STORE_OK)
			return rc;
	}
	c->ne = 0;
	return STORE_OK;
}

static int
copy_entry(void *arg, const struct ledger_entry *e)
{
	struct copy_ctx *c = arg;

	c->e[c->ne++] = *e;
	c->sum->entries++;
	if (c->ne == STORE_ROWS)
		c->rc = copy_flush_entries(c);
	if (c->o->on_progress != NULL && c->sum->entries % 4096 == 0)
		c->o->on_progress(c->o->arg, c->sum->entries, c->sum->total);
	return c->rc != STORE_OK;
}

static int
copy_activity(void *arg, const struct activity *a)
{
	struct copy_ctx *c = arg;

	c->sum->activity++;
	c->rc = store_activity_put(c->dst->st, a);
	return c->rc != STORE_OK;
}

/* Every row, in an order the guards accept (store.h). */
static int
copy_rows(struct copy_ctx *c)
{
	struct store *s = c->src->st, *d = c->dst->st;
	struct withdrawal_filter wf = { 0, -1 };
	struct income_filter inf = { 0, 0, 0, 0 };
	struct ledger_filter lf;
	struct branch *b = NULL;
	struct operator *op = NULL;
	struct account *a = NULL;
	struct release *rel = NULL;
	struct chain_rehash *rh = NULL;
	size_t nb = 0, nop = 0, na = 0, nrel = 0, nrh = 0;
	int rc;

	c->doing = "cannot copy the branches";
	if ((rc = store_branch_list(s, &b, &nb)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < nb; i++)
		if ((rc = store_branch_put(d, &b[i])) != STORE_OK)
			goto out;
	c->sum->branches = (int64_t)nb;

	c->doing = "cannot copy the operators";
	if ((rc = store_operator_list(s, &op, &nop)) != STORE_OK)
		goto out;
	qsort(op, nop, sizeof(*op), copy_by_id);
	for (int links = 0; links < 2; links++)
		for (size_t i = 0; i < nop; i++)
			if ((rc = store_operator_put(d, &op[i], links)) != STORE_OK)
				goto out;
	c->sum->operators = (int64_t)nop;

	c->doing = "cannot copy the applications";
	if ((rc = store_withdrawal_list(s, &wf, &c->wd, &c->nwd)) != STORE_OK)
		goto out;
	qsort(c->wd, c->nwd, sizeof(*c->wd), copy_by_id);
	for (size_t i = 0; i < c->nwd; i++)
		if ((rc = store_withdrawal_put(d, &c->wd[i])) != STORE_OK)
			goto out;
	c->sum->withdrawals = (int64_t)c->nwd;

	c->doing = "cannot copy the incomes";
	if ((rc = store_income_each(s, &inf, copy_income, c)) != STORE_OK ||
	    (rc = c->rc) != STORE_OK ||
	    (rc = store_income_add_rows(d, c->in, c->nin)) != STORE_OK)
		goto out;
	c->nin = 0;
	if ((rc = store_conflict_each(s, 0, copy_conflict, c)) != STORE_OK ||
	    (rc = c->rc) != STORE_OK)
		goto out;

	c->doing = "cannot copy the ledger";
	memset(&lf, 0, sizeof(lf));
	lf.oldest_first = 1;
	if ((rc = store_ledger_each(s, &lf, copy_entry, c)) != STORE_OK ||
	    (rc = c->rc) != STORE_OK || (rc = copy_flush_entries(c)) != STORE_OK)
		goto out;

	c->doing = "cannot copy the decisions";
	for (size_t i = 0; i < c->nwd; i++) {
		const struct withdrawal *w = &c->wd[i];

		if (w->status == WD_PENDING || w->status == WD_APPROVED)
			continue;
		if ((rc = store_withdrawal_decide(d, w->id, w->status,
		    w->decided_by_id, w->decided_at, w->reason)) != STORE_OK)
			goto out;
	}

	c->doing = "cannot copy the accounts";
	if ((rc = store_account_list(s, 0, &a, &na)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < na; i++)
		if ((rc = store_account_set(d, a[i].branch_id, a[i].balance,
		    a[i].withdrawable, a[i].total_withdrawn)) != STORE_OK)
			goto out;

	c->doing = "cannot copy the activity and the releases";
	if ((rc = store_activity_each(s, 0, copy_activity, c)) != STORE_OK ||
	    (rc = c->rc) != STORE_OK ||
	    (rc = store_release_list(s, &rel, &nrel)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < nrel; i++)
		if ((rc = store_release_put(d, &rel[i])) != STORE_OK)
			goto out;
	c->sum->releases = (int64_t)nrel;
	if ((rc = store_rehash_list(s, &rh, &nrh)) != STORE_OK)
		goto out;
	for (size_t i = 0; i < nrh; i++)
		if ((rc = store_rehash_add(d, &rh[i])) != STORE_OK)
			goto out;
	c->doing = "cannot number the copied rows";
	rc = store_ids_settle(d);
out:
	free(b);
	free(op);
	free(a);
	free(rel);
	free(rh);
	return rc;
}

/* SHA-256 over every account's head (code, seq, hash), by code. */
static int
copy_heads(struct ff *ff, char hex[2 * FF_HASH_LEN + 1], struct ff_err *err)
{
	struct account *a = NULL;
	uint8_t *buf = NULL, out[FF_HASH_LEN];
	size_t na = 0, len = 0;
	int rc;

	if ((rc = store_account_list(ff->st, 0, &a, &na)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the chain heads");
	buf = xmalloc(na * (FF_CODE_MAX + 1 + 8 + FF_HASH_LEN) + 1);
	for (size_t i = 0; i < na; i++) {
		struct ledger_head h;

		if ((rc = store_ledger_head(ff->st, a[i].branch_id, &h)) !=
		    STORE_OK) {
			free(a);
			free(buf);
			return ff_store_fail(ff, err, rc, "cannot read the chain "
			    "heads");
		}
		memcpy(buf + len, a[i].code, sizeof(a[i].code));
		len += sizeof(a[i].code);
		for (int k = 0; k < 8; k++)
			buf[len++] = (uint8_t)((uint64_t)h.seq >> (56 - 8 * k));
		memcpy(buf + len, h.hash, FF_HASH_LEN);
		len += FF_HASH_LEN;
	}
	sha256(buf, len, out);
	for (int k = 0; k < FF_HASH_LEN; k++) {
		static const char d[] = "0123456789abcdef";

		hex[2 * k] = d[out[k] >> 4];
		hex[2 * k + 1] = d[out[k] & 15];
	}
	hex[2 * FF_HASH_LEN] = '\0';
	free(a);
	free(buf);
	return FF_OK;
}

int
copy_company(const struct config *cfg, const char *from, const char *to,
    const struct copy_opts *o, struct copy_summary *sum, struct ff_err *err)
{
	struct copy_ctx c;
	struct audit_opts ao;
	struct audit_summary as;
	int64_t n = 0, entries = 0;
	int rc;

	memset(sum, 0, sizeof(*sum));
	memset(&c, 0, sizeof(c));
	c.sum = sum;
	c.o = o;
	if (store_is_server(from) || !store_is_server(to))
		return ff_fail(err, FF_INVALID, "copy goes from a SQLite file to "
		    "a PostgreSQL database: fundflow copy FILE postgresql://...");
	if ((rc = ff_open(cfg, from, 0, &c.src, err)) != FF_OK)
		return rc;
	if ((rc = ff_open(cfg, to, 1 | FF_OPEN_BARE, &c.dst, err)) != FF_OK)
		goto out;
	/* Into an empty database only: nothing of a company is merged. */
	if ((rc = store_operator_count(c.dst->st, &n)) != STORE_OK ||
	    (rc = store_ledger_max_id(c.dst->st, &entries)) != STORE_OK) {
		rc = ff_store_fail(c.dst, err, rc, "cannot look at the target");
		goto out;
	}
	if (n > 0 || entries > 0) {
		rc = ff_fail(err, FF_REFUSED, "%s is not empty (%lld operators, "
		    "%lld ledger entries); a copy goes into an empty database",
		    to, (long long)n, (long long)entries);
		goto out;
	}
	store_ledger_max_id(c.src->st, &sum->total);
	if ((rc = store_begin_read(c.src->st)) != STORE_OK) {
		rc = ff_store_fail(c.src, err, rc, "cannot read the source");
		goto out;
	}
	if ((rc = store_begin(c.dst->st)) != STORE_OK) {
		rc = ff_store_fail(c.dst, err, rc, "cannot write the target");
		goto out;
	}
	if ((rc = copy_rows(&c)) != STORE_OK) {
		rc = ff_store_fail(c.dst, err, rc, c.doing);
		goto out;
	}
	if ((rc = store_commit(c.dst->st)) != STORE_OK) {
		rc = ff_store_fail(c.dst, err, rc, "cannot commit the copy");
		goto out;
	}
	store_rollback(c.src->st);
	/* Opened again as any program opens it: this release is recorded. */
	ff_close(c.dst);
	c.dst = NULL;
	if ((rc = ff_open(cfg, to, 1, &c.dst, err)) != FF_OK)
		goto out;
	memset(&ao, 0, sizeof(ao));
	if ((rc = audit_check(c.dst, &ao, &as, err)) != FF_OK)
		goto out;
	sum->findings = as.findings;
	if ((rc = copy_heads(c.src, sum->source_heads, err)) != FF_OK ||
	    (rc = copy_heads(c.dst, sum->target_heads, err)) != FF_OK)
		goto out;
	ff_activity(c.dst, "copy", "copy", from, as.findings == 0,
	    as.findings == 0 ? "copied; audit clean" : "copied; audit found "
	    "problems");
	if (as.findings > 0)
		rc = ff_fail(err, FF_REFUSED, "the copy in %s does not pass the "
		    "audit (%lld findings): run 'fundflow audit' on it",
		    to, (long long)as.findings);
	else if (strcmp(sum->source_heads, sum->target_heads) != 0)
		rc = ff_fail(err, FF_REFUSED, "the chain heads of the copy differ "
		    "from the source's");
out:
	if (c.src != NULL)
		store_rollback(c.src->st);
	if (c.dst != NULL)
		store_rollback(c.dst->st);
	free(c.wd);
	ff_close(c.src);
	ff_close(c.dst);
	return rc;
}
