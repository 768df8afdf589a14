/* audit.c — every invariant checked in linear passes; see audit.h. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "priv.h"
#include "scope.h"
#include "store/store.h"
#include "store/xmalloc.h"

#define AUDIT_DIGEST_MAGIC "fundflow-digest 1"

/* One head of a digest file. */
struct audit_head {
	char code[FF_CODE_MAX + 1];
	int64_t seq;
	uint8_t hash[FF_HASH_LEN];
	int seen;
};

/* What the audit knows of one account while it walks. */
struct audit_acct {
	struct account a;
	/* From the chain: */
	int64_t entries, last_seq, last_id;
	money_t last_post;
	uint8_t stored_prev[FF_HASH_LEN];	/* stored hash of the last entry */
	uint8_t true_prev[FF_HASH_LEN];		/* recomputed from entry 1 */
	/* The re-hash of schema 5, if the account had entries then: its
	 * format-1 chain is recomputed up to rehash_seq too. */
	int64_t rehash_seq;
	uint8_t rehash_old[FF_HASH_LEN], rehash_new[FF_HASH_LEN];
	uint8_t true_prev1[FF_HASH_LEN];
	/* From the sources: */
	money_t income_withdrawable, approved;
	int overflow;
	struct audit_head *head;	/* its head in the digest, if any */
};

/* A growable bit set over ids, counting up to two marks per id. */
struct audit_marks {
	uint8_t *v;		/* 2 bits per id: 0, 1, or 2 = "more than one" */
	int64_t cap;
};

struct audit_ctx {
	struct ff *ff;
	const struct audit_opts *o;
	struct audit_summary *sum;
	struct audit_acct *accts;	/* sorted by branch id */
	size_t naccts;
	struct audit_acct *cur;		/* the last row's account */
	struct audit_marks incomes, withdrawals;
	struct audit_head *heads;
	size_t nheads;
	int64_t total;
	struct audit_pipe *pipe;
	int read_rc;			/* a read inside a walk's callback failed */
};

static void audit_find(struct audit_ctx *c, const char *check,
    const char *branch, int64_t entry, int64_t other, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int audit_operators(struct audit_ctx *c);

static void
audit_find(struct audit_ctx *c, const char *check, const char *branch,
    int64_t entry, int64_t other, const char *fmt, ...)
{
	struct audit_finding f;
	va_list ap;

	memset(&f, 0, sizeof(f));
	f.check = check;
	snprintf(f.branch, sizeof(f.branch), "%s", branch ? branch : "");
	f.entry_id = entry;
	f.other_id = other;
	va_start(ap, fmt);
	vsnprintf(f.text, sizeof(f.text), fmt, ap);
	va_end(ap);
	c->sum->findings++;
	if (c->o->on_finding)
		c->o->on_finding(c->o->arg, &f);
}

/* Marks id once more; returns the marks it had before (0, 1 or 2). */
static int
audit_mark(struct audit_marks *m, int64_t id)
{
	int old;

	if (id <= 0)
		return 0;
	if (id >= m->cap) {
		int64_t ncap = m->cap ? m->cap : 4096;

		while (ncap <= id)
			ncap *= 2;
		size_t oldb = m->cap ? (size_t)(m->cap / 4 + 1) : 0;
		size_t newb = (size_t)(ncap / 4 + 1);

		m->v = xrealloc(m->v, newb);
		memset(m->v + oldb, 0, newb - oldb);
		m->cap = ncap;
	}
	old = (m->v[id / 4] >> (2 * (id % 4))) & 3;
	if (old < 2)
		m->v[id / 4] = (uint8_t)(m->v[id / 4] + (1 << (2 * (id % 4))));
	return old;
}

static int
audit_marks_of(const struct audit_marks *m, int64_t id)
{
	if (id <= 0 || id >= m->cap)
		return 0;
	return (m->v[id / 4] >> (2 * (id % 4))) & 3;
}

static int
audit_acct_cmp(const void *a, const void *b)
{
	const struct audit_acct *x = a, *y = b;

	return x->a.branch_id < y->a.branch_id ? -1 : x->a.branch_id > y->a.branch_id;
}

static struct audit_acct *
audit_acct_of(struct audit_ctx *c, int64_t branch_id)
{
	struct audit_acct key;

	key.a.branch_id = branch_id;
	return bsearch(&key, c->accts, c->naccts, sizeof(*c->accts), audit_acct_cmp);
}

/*
 * The hash chain is checked on a second thread: SHA-256 of every entry is
 * the audit's largest cost, and it needs nothing from the database, so the
 * walk hands entries over in batches (in order, which per account is the
 * order of the chain) and goes on with the other checks meanwhile.  Only
 * the walk's thread touches SQLite.  The hasher owns each account's hash
 * state and the digest heads until it is joined; its findings are kept
 * and reported after the join.
 */
#define AUDIT_BATCH 2048
#define AUDIT_QUEUE 8

struct audit_job {
	struct audit_acct *a;
	struct ledger_entry e;
};

struct audit_pipe {
	pthread_t thread;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct audit_job *queue[AUDIT_QUEUE];
	size_t qcount[AUDIT_QUEUE];
	int qhead, qlen, closed;
	struct audit_job *fill;		/* the walk's batch being filled */
	size_t nfill;
	struct audit_finding *found;	/* the hasher's findings */
	size_t nfound;
	int64_t digest_heads;
};

static void
audit_note(struct audit_pipe *p, const char *check, const char *branch,
    int64_t entry, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
audit_note(struct audit_pipe *p, const char *check, const char *branch,
    int64_t entry, const char *fmt, ...)
{
	struct audit_finding *f;
	va_list ap;

	p->found = xreallocarray(p->found, p->nfound + 1, sizeof(*p->found));
	f = &p->found[p->nfound++];
	memset(f, 0, sizeof(*f));
	f->check = check;
	snprintf(f->branch, sizeof(f->branch), "%s", branch);
	f->entry_id = entry;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

/* Each entry against its predecessor's stored hash (so a forged entry is
 * named exactly), and the chain from entry 1 (for the digest). */
static void
audit_hash_entry(struct audit_pipe *p, struct audit_acct *a,
    const struct ledger_entry *e)
{
	uint8_t h[FF_HASH_LEN];

	chain_hash(a->stored_prev, e, h);
	if (memcmp(h, e->hash, FF_HASH_LEN) != 0)
		audit_note(p, "hash", e->branch_code, e->id, "%s: entry #%" PRId64
		    " (seq %" PRId64 ") does not match its hash: it was changed "
		    "after it was written", e->branch_code, e->id, e->seq);
	/* The chain from entry 1 is the same hash until the two part. */
	if (memcmp(a->stored_prev, a->true_prev, FF_HASH_LEN) == 0)
		memcpy(a->true_prev, h, FF_HASH_LEN);
	else
		chain_hash(a->true_prev, e, a->true_prev);
	memcpy(a->stored_prev, e->hash, FF_HASH_LEN);
	/* Up to the re-hash, the format-1 chain as well: the re-hash record
	 * must be what these rows made, and a digest taken before the
	 * migration holds format-1 heads. */
	if (e->seq <= a->rehash_seq) {
		chain_hash_v1(a->true_prev1, e, a->true_prev1);
		if (e->seq == a->rehash_seq &&
		    (memcmp(a->true_prev1, a->rehash_old, FF_HASH_LEN) != 0 ||
		    memcmp(a->true_prev, a->rehash_new, FF_HASH_LEN) != 0))
			audit_note(p, "rehash", e->branch_code, e->id, "%s: the "
			    "history up to seq %" PRId64 " is not the one the "
			    "re-hash of schema 5 recorded", e->branch_code,
			    e->seq);
	}
	if (a->head != NULL && a->head->seq == e->seq) {
		a->head->seen = 1;
		p->digest_heads++;
		if (memcmp(a->head->hash, a->true_prev, FF_HASH_LEN) != 0 &&
		    (e->seq > a->rehash_seq ||
		    memcmp(a->head->hash, a->true_prev1, FF_HASH_LEN) != 0))
			audit_note(p, "digest", e->branch_code, e->id, "%s: the "
			    "history up to seq %" PRId64 " is not the one the "
			    "digest recorded", e->branch_code, e->seq);
	}
}

static void *
audit_hasher(void *arg)
{
	struct audit_pipe *p = arg;

	for (;;) {
		struct audit_job *batch;
		size_t n;

		pthread_mutex_lock(&p->mu);
		while (p->qlen == 0 && !p->closed)
			pthread_cond_wait(&p->changed, &p->mu);
		if (p->qlen == 0) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		batch = p->queue[p->qhead];
		n = p->qcount[p->qhead];
		p->qhead = (p->qhead + 1) % AUDIT_QUEUE;
		p->qlen--;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
		for (size_t i = 0; i < n; i++)
			audit_hash_entry(p, batch[i].a, &batch[i].e);
		free(batch);
	}
}

/* Hands the filled batch to the hasher, waiting while its queue is full. */
static void
audit_pipe_flush(struct audit_pipe *p)
{
	if (p->nfill == 0)
		return;
	pthread_mutex_lock(&p->mu);
	while (p->qlen == AUDIT_QUEUE)
		pthread_cond_wait(&p->changed, &p->mu);
	p->queue[(p->qhead + p->qlen) % AUDIT_QUEUE] = p->fill;
	p->qcount[(p->qhead + p->qlen) % AUDIT_QUEUE] = p->nfill;
	p->qlen++;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->mu);
	p->fill = NULL;
	p->nfill = 0;
}

static void
audit_pipe_put(struct audit_pipe *p, struct audit_acct *a,
    const struct ledger_entry *e)
{
	if (!p->running) {		/* no thread: hash here */
		audit_hash_entry(p, a, e);
		return;
	}
	if (p->fill == NULL)
		p->fill = xmalloc(AUDIT_BATCH * sizeof(*p->fill));
	p->fill[p->nfill].a = a;
	p->fill[p->nfill].e = *e;
	if (++p->nfill == AUDIT_BATCH)
		audit_pipe_flush(p);
}

static void
audit_pipe_start(struct audit_pipe *p)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->running = pthread_create(&p->thread, NULL, audit_hasher, p) == 0;
}

/* Waits for the hasher to finish everything handed to it. */
static void
audit_pipe_finish(struct audit_pipe *p)
{
	if (p->running) {
		audit_pipe_flush(p);
		pthread_mutex_lock(&p->mu);
		p->closed = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
		p->running = 0;
	}
	free(p->fill);
	p->fill = NULL;
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->changed);
}

/*
 * Checks one entry against its predecessor in its account's chain.  The
 * entries come in the order they were written (by id), which within one
 * account is the order of seq; the state of each account's walk lives in
 * its audit_acct.
 */
static int
audit_chain_row(void *arg, const struct chain_row *r)
{
	struct audit_ctx *c = arg;
	struct ledger_entry *e = (struct ledger_entry *)&r->e;
	struct audit_acct *a = c->cur;
	int marks;

	if (a == NULL || a->a.branch_id != e->account_id) {
		a = c->cur = audit_acct_of(c, e->account_id);
		if (a == NULL) {
			audit_find(c, "source", "", e->id, 0,
			    "entry #%" PRId64 " belongs to account %" PRId64
			    ", which does not exist", e->id, e->account_id);
			return 0;
		}
	}
	/* The walk leaves the code to us: it is the account's. */
	memcpy(e->branch_code, a->a.code, sizeof(e->branch_code));
	c->sum->entries++;
	if (c->o->on_progress && c->sum->entries % 65536 == 0)
		c->o->on_progress(c->o->arg, c->sum->entries, c->total);

	/* The chain: seq, pre = previous post, post = pre + amount. */
	if (e->seq != a->last_seq + 1) {
		if (a->entries == 0)
			audit_find(c, "chain", e->branch_code, e->id, 0,
			    "%s: the first entry #%" PRId64 " has seq %" PRId64
			    ", not 1", e->branch_code, e->id, e->seq);
		else
			audit_find(c, "chain", e->branch_code, a->last_id, e->id,
			    "%s: entry #%" PRId64 " (seq %" PRId64 ") is followed "
			    "by entry #%" PRId64 " with seq %" PRId64 "",
			    e->branch_code, a->last_id, a->last_seq, e->id, e->seq);
	}
	if (e->pre_amount != a->last_post) {
		char x[MONEY_BUFSZ], y[MONEY_BUFSZ];

		if (a->entries == 0)
			audit_find(c, "chain", e->branch_code, e->id, 0,
			    "%s: the first entry #%" PRId64 " starts from %s, "
			    "not 0.00", e->branch_code, e->id,
			    money_format(e->pre_amount, x));
		else
			audit_find(c, "chain", e->branch_code, a->last_id, e->id,
			    "%s: entry #%" PRId64 " (seq %" PRId64 ") ends at %s "
			    "but the next entry #%" PRId64 " (seq %" PRId64 ") "
			    "starts from %s", e->branch_code, a->last_id,
			    a->last_seq, money_format(a->last_post, x), e->id,
			    e->seq, money_format(e->pre_amount, y));
	}
	{
		money_t post;

		if (money_add(e->pre_amount, e->amount, &post) != 0 ||
		    post != e->post_amount)
			audit_find(c, "chain", e->branch_code, e->id, 0,
			    "%s: entry #%" PRId64 ": before + amount is not after",
			    e->branch_code, e->id);
	}
	audit_pipe_put(c->pipe, a, e);

	/* The source. */
	if (!r->source_found) {
		audit_find(c, "source", e->branch_code, e->id, 0,
		    "%s: entry #%" PRId64 " names %s %" PRId64 ", which does "
		    "not exist", e->branch_code, e->id,
		    e->kind == ENTRY_INCOME ? "income" : "application",
		    e->source_id);
	} else if (r->source_branch_id != e->account_id ||
	    r->source_amount != e->amount) {
		audit_find(c, "source", e->branch_code, e->id, 0,
		    "%s: entry #%" PRId64 " does not match its %s %" PRId64
		    " (branch or amount differ)", e->branch_code, e->id,
		    e->kind == ENTRY_INCOME ? "income" : "application",
		    e->source_id);
	} else if (e->kind == ENTRY_WITHDRAWAL && r->source_status != WD_APPROVED) {
		audit_find(c, "source", e->branch_code, e->id, 0,
		    "%s: entry #%" PRId64 " debits application %" PRId64
		    ", which is %s, not approved", e->branch_code, e->id,
		    e->source_id, wd_status_name(r->source_status));
	}
	marks = audit_mark(e->kind == ENTRY_INCOME ? &c->incomes : &c->withdrawals,
	    e->source_id);
	if (marks > 0)
		audit_find(c, "source", e->branch_code, e->id, 0,
		    "%s: entry #%" PRId64 " is a second entry for %s %" PRId64,
		    e->branch_code, e->id,
		    e->kind == ENTRY_INCOME ? "income" : "application",
		    e->source_id);

	a->entries++;
	a->last_seq = e->seq;
	a->last_post = e->post_amount;
	a->last_id = e->id;
	return 0;
}

/* Every income and application: each has the entries its state asks for,
 * and adds into its branch's expected figures. */
static int
audit_source_row(void *arg, const struct source_row *r, enum entry_kind kind)
{
	struct audit_ctx *c = arg;
	struct audit_acct *a = audit_acct_of(c, r->branch_id);
	int marks = audit_marks_of(kind == ENTRY_INCOME ? &c->incomes :
	    &c->withdrawals, r->id);
	/* The read leaves the code to us. */
	const char *code = a != NULL ? a->a.code : "?";

	if (kind == ENTRY_INCOME) {
		c->sum->incomes++;
		if (marks == 0)
			audit_find(c, "source", code, 0, 0, "%s: income %"
			    PRId64 " has no ledger entry", code, r->id);
		if (a != NULL && r->withdrawable &&
		    money_add(a->income_withdrawable, r->amount,
		    &a->income_withdrawable) != 0)
			a->overflow = 1;
	} else {
		c->sum->withdrawals++;
		if (r->status == WD_APPROVED && marks == 0)
			audit_find(c, "source", code, 0, 0, "%s: application %"
			    PRId64 " is approved but has no ledger entry",
			    code, r->id);
		if (r->status == WD_APPROVED && a != NULL &&
		    money_add(a->approved, r->amount, &a->approved) != 0)
			a->overflow = 1;
	}
	if (a == NULL)
		audit_find(c, "source", code, 0, 0, "%s %" PRId64 " belongs "
		    "to a branch without an account", kind == ENTRY_INCOME ?
		    "income" : "application", r->id);
	return 0;
}

static int
audit_income_row(void *arg, const struct source_row *r)
{
	return audit_source_row(arg, r, ENTRY_INCOME);
}

static int
audit_wd_row(void *arg, const struct source_row *r)
{
	return audit_source_row(arg, r, ENTRY_WITHDRAWAL);
}

/* Each account against its ledger and its sources. */
static void
audit_accounts(struct audit_ctx *c)
{
	char x[MONEY_BUFSZ], y[MONEY_BUFSZ];

	for (size_t i = 0; i < c->naccts; i++) {
		struct audit_acct *a = &c->accts[i];
		const char *code = a->a.code;
		money_t want;

		if (a->a.balance != a->last_post)
			audit_find(c, "account", code, a->last_id, 0,
			    "%s: balance %s is not the %s its ledger ends at",
			    code, money_format(a->a.balance, x),
			    money_format(a->last_post, y));
		if (a->overflow) {
			audit_find(c, "account", code, 0, 0, "%s: the sums of "
			    "its sources overflow", code);
			continue;
		}
		if (a->a.total_withdrawn != a->approved)
			audit_find(c, "account", code, 0, 0, "%s: total withdrawn "
			    "%s is not the %s of its approved applications", code,
			    money_format(a->a.total_withdrawn, x),
			    money_format(a->approved, y));
		if (money_sub(a->income_withdrawable, a->approved, &want) == 0 &&
		    a->a.withdrawable != want)
			audit_find(c, "account", code, 0, 0, "%s: withdrawable %s "
			    "is not the %s its withdrawable incomes less its "
			    "approved applications make", code,
			    money_format(a->a.withdrawable, x),
			    money_format(want, y));
		if (a->a.withdrawable < 0 || a->a.withdrawable > a->a.balance)
			audit_find(c, "account", code, 0, 0, "%s: withdrawable %s "
			    "is outside 0 .. balance %s", code,
			    money_format(a->a.withdrawable, x),
			    money_format(a->a.balance, y));
	}
}

/*
 * The seed's first watch query: incomes grouped by (type, reference),
 * types that may repeat per reference aside.  Repeats of those are keyed
 * by event id, which the schema's unique key guards (and the schema check
 * proves that key is in place).
 */
static int
audit_dup_ref_row(void *arg, const struct dup_group *g)
{
	struct audit_ctx *c = arg;
	const struct buss_type *t = config_type(c->ff->cfg, g->buss_type);
	struct dup_group ids = *g;

	if (t != NULL && t->repeatable)
		return 0;
	if ((c->read_rc = store_audit_dup_ids(c->ff->st, &ids)) != STORE_OK)
		return 1;		/* stops the walk: the audit fails */
	audit_find(c, "duplicate", "", ids.first_id, ids.last_id, "business "
	    "type %d, reference %s: %" PRId64 " incomes (ids %" PRId64 " .. %"
	    PRId64 ")", (int)g->buss_type, g->key, g->count, ids.first_id,
	    ids.last_id);
	return 0;
}

static int
audit_schema_row(void *arg, const char *name, const char *problem)
{
	struct audit_ctx *c = arg;

	audit_find(c, "schema", "", 0, 0, "%s: %s (a guard of the ledger was "
	    "changed behind fundflow's back)", name, problem);
	return 0;
}

/* Reads a digest file into c->heads. */
static int
audit_read_digest(struct audit_ctx *c, const char *path, struct ff_err *err)
{
	/* The operator's file: read with their own rights, so that no file
	 * only the group may read is taken for a digest (or quoted). */
	FILE *f = priv_fopen_user_read(path);
	char line[256];
	int lineno = 0;

	if (f == NULL)
		return ff_fail(err, errno == EACCES || errno == EPERM ?
		    FF_DENIED : FF_IO, "cannot read the digest %s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		struct audit_head h;
		char hex[80], code[64];
		long long seq;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, AUDIT_DIGEST_MAGIC) != 0)
				goto bad;
			continue;
		}
		if (line[0] == '#' || line[0] == '\0')
			continue;
		memset(&h, 0, sizeof(h));
		if (sscanf(line, "%63s %lld %79s", code, &seq, hex) != 3 ||
		    strlen(code) > FF_CODE_MAX || seq < 1 ||
		    chain_unhex(hex, h.hash) != 0)
			goto bad;
		memcpy(h.code, code, strlen(code) + 1);	/* length checked */
		h.seq = seq;
		c->heads = xreallocarray(c->heads, c->nheads + 1, sizeof(h));
		c->heads[c->nheads++] = h;
	}
	fclose(f);
	if (lineno == 0)
		return ff_fail(err, FF_INVALID, "%s is empty, not a digest", path);
	return FF_OK;
bad:
	fclose(f);
	return ff_fail(err, FF_INVALID, "%s:%d: not a fundflow digest line",
	    path, lineno);
}

static void
audit_warn(struct audit_ctx *c, const char *text)
{
	c->sum->warnings++;
	if (c->o->on_warning)
		c->o->on_warning(c->o->arg, text);
}

/* The audit proper, inside one read transaction. */
static int
audit_pass(struct audit_ctx *c, struct ff_err *err)
{
	struct store *st = c->ff->st;
	struct account *list = NULL;
	struct audit_pipe pipe;
	size_t n = 0;
	int rc;

	if ((rc = store_account_list(st, 0, &list, &n)) != STORE_OK)
		return ff_store_fail(c->ff, err, rc, "cannot read the accounts");
	c->accts = xcalloc(n ? n : 1, sizeof(*c->accts));
	c->naccts = n;
	for (size_t i = 0; i < n; i++)
		c->accts[i].a = list[i];
	free(list);
	qsort(c->accts, c->naccts, sizeof(*c->accts), audit_acct_cmp);
	c->sum->accounts = (int64_t)n;
	{
		struct chain_rehash *rh = NULL;
		size_t nrh = 0;

		if ((rc = store_rehash_list(st, &rh, &nrh)) != STORE_OK)
			return ff_store_fail(c->ff, err, rc, "cannot read the "
			    "re-hash record");
		for (size_t i = 0; i < nrh; i++) {
			struct audit_acct *a = audit_acct_of(c, rh[i].account_id);

			if (a == NULL) {
				audit_find(c, "rehash", "", 0, 0, "the re-hash "
				    "record names account %" PRId64 ", which "
				    "does not exist", rh[i].account_id);
				continue;
			}
			a->rehash_seq = rh[i].seq;
			memcpy(a->rehash_old, rh[i].old_head, FF_HASH_LEN);
			memcpy(a->rehash_new, rh[i].new_head, FF_HASH_LEN);
		}
		free(rh);
	}
	for (size_t i = 0; i < c->nheads; i++)
		for (size_t j = 0; j < c->naccts; j++)
			if (strcmp(c->heads[i].code, c->accts[j].a.code) == 0)
				c->accts[j].head = &c->heads[i];
	store_ledger_max_id(st, &c->total);

	/* The chain first, so that the hasher works while the other checks
	 * read; then the hasher's findings. */
	audit_pipe_start(&pipe);
	c->pipe = &pipe;
	rc = store_audit_chain(st, audit_chain_row, c);
	audit_pipe_flush(&pipe);
	if (rc == STORE_OK)
		rc = store_audit_schema(st, audit_schema_row, c);
	if (rc == STORE_OK)
		rc = store_audit_duplicates(st, audit_dup_ref_row, c);
	if (rc == STORE_OK)
		rc = c->read_rc;
	if (rc == STORE_OK)
		rc = store_audit_sources(st, ENTRY_INCOME, audit_income_row, c);
	if (rc == STORE_OK)
		rc = store_audit_sources(st, ENTRY_WITHDRAWAL, audit_wd_row, c);
	audit_pipe_finish(&pipe);
	c->pipe = NULL;
	for (size_t i = 0; i < pipe.nfound; i++) {
		c->sum->findings++;
		if (c->o->on_finding)
			c->o->on_finding(c->o->arg, &pipe.found[i]);
	}
	free(pipe.found);
	c->sum->digest_heads = pipe.digest_heads;
	if (rc != STORE_OK)
		return ff_store_fail(c->ff, err, rc, "cannot run the audit");
	if (c->o->on_progress)
		c->o->on_progress(c->o->arg, c->sum->entries, c->sum->entries);
	audit_accounts(c);
	if ((rc = audit_operators(c)) != STORE_OK)
		return ff_store_fail(c->ff, err, rc, "cannot run the audit");
	for (size_t i = 0; i < c->nheads; i++) {
		struct audit_head *hd = &c->heads[i];

		if (!hd->seen)
			audit_find(c, "digest", hd->code, 0, 0, "%s: the digest "
			    "records seq %" PRId64 ", which the ledger no longer "
			    "has", hd->code, hd->seq);
	}
	return FF_OK;
}

/* What four-eyes could not check: warnings, never findings. */
static int
audit_operators(struct audit_ctx *c)
{
	struct operator *ops = NULL;
	size_t n = 0;
	int64_t admins = 0;
	char text[256];
	int rc;

	if ((rc = store_operator_list(c->ff->st, &ops, &n)) != STORE_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		explicit_bzero(ops[i].pwhash, sizeof(ops[i].pwhash));
		explicit_bzero(ops[i].awaiting_pwhash,
		    sizeof(ops[i].awaiting_pwhash));
		if (ops[i].role == ROLE_ADMIN && ops[i].active &&
		    strcmp(ops[i].awaiting, "grant") != 0)
			admins++;
	}
	if (admins == 1)
		audit_warn(c, "the company has one admin: granting rights, "
		    "enabling operators and resetting passwords are not "
		    "confirmed by a second admin");
	for (size_t i = 0; i < n; i++) {
		const struct operator *op = &ops[i];

		if (op->active && op->alone) {
			snprintf(text, sizeof(text), "operator %s (%s) was "
			    "granted, enabled or reset by one admin alone",
			    op->login, role_name(op->role));
			audit_warn(c, text);
		}
		if (op->awaiting[0] != '\0') {
			snprintf(text, sizeof(text), "operator %s: a %s asked "
			    "by %s awaits a second admin's confirmation",
			    op->login, op->awaiting, op->awaiting_by_login);
			audit_warn(c, text);
		}
	}
	free(ops);
	return STORE_OK;
}

static void
audit_ctx_free(struct audit_ctx *c)
{
	free(c->accts);
	free(c->incomes.v);
	free(c->withdrawals.v);
	free(c->heads);
}

static int
audit_start(struct ff *ff, const struct session *s, const struct audit_opts *o,
    struct audit_summary *sum, struct audit_ctx *c, struct ff_err *err)
{
	int rc;

	memset(sum, 0, sizeof(*sum));
	memset(c, 0, sizeof(*c));
	c->ff = ff;
	c->o = o;
	c->sum = sum;
	if (s != NULL &&
	    (rc = scope_role(s, SCOPE(ROLE_AUDITOR), "the audit", err)) != FF_OK)
		return rc;
	if (o->verify_digest &&
	    (rc = audit_read_digest(c, o->verify_digest, err)) != FF_OK)
		return rc;
	if ((rc = store_begin_read(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot run the audit");
	rc = audit_pass(c, err);
	store_rollback(ff->st);
	return rc;
}

int
audit_run(struct ff *ff, const struct session *s, const struct audit_opts *o,
    struct audit_summary *sum, struct ff_err *err)
{
	struct audit_ctx c;
	int rc = audit_start(ff, s, o, sum, &c, err);

	if (rc == FF_OK)
		ff_activity(ff, s->op.login, "audit", o->verify_digest ?
		    o->verify_digest : "", sum->findings == 0, sum->findings ?
		    "findings" : "clean");
	audit_ctx_free(&c);
	return rc;
}

int
audit_check(struct ff *ff, const struct audit_opts *o,
    struct audit_summary *sum, struct ff_err *err)
{
	struct audit_ctx c;
	int rc = audit_start(ff, NULL, o, sum, &c, err);

	audit_ctx_free(&c);
	return rc;
}

int
audit_write_digest(struct ff *ff, const struct session *s,
    const struct audit_opts *o, const char *path, struct audit_summary *sum,
    struct ff_err *err)
{
	struct audit_ctx c;
	char *tmp = NULL, hex[2 * FF_HASH_LEN + 1], now[FF_TIME_MAX];
	FILE *f = NULL;
	int rc, fd;

	rc = audit_start(ff, s, o, sum, &c, err);
	if (rc != FF_OK)
		goto out;
	if (sum->findings > 0) {
		rc = ff_fail(err, FF_REFUSED, "the audit found %" PRId64 " "
		    "problem(s); no digest was written", sum->findings);
		goto out;
	}
	/* The digest is the operator's file: everything about it (the new
	 * file beside it, the rename) is done with their own rights, never
	 * the group's; the new file is never one that exists or a link. */
	priv_user_begin();
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		rc = ff_fail(err, e == EACCES || e == EPERM ? FF_DENIED : FF_IO,
		    "cannot write %s: %s", path, strerror(e));
		goto out;
	}
	ff_now(ff, now);
	fprintf(f, "%s\n# written %s by %s; each line: branch seq head-hash\n",
	    AUDIT_DIGEST_MAGIC, now, s->op.login);
	for (size_t i = 0; i < c.naccts; i++)
		if (c.accts[i].entries > 0)
			fprintf(f, "%s %" PRId64 " %s\n", c.accts[i].a.code,
			    c.accts[i].last_seq,
			    chain_hex(c.accts[i].true_prev, hex));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
		f = NULL;
		rc = ff_fail(err, FF_IO, "cannot write %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		rc = ff_fail(err, FF_IO, "cannot write %s: %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	priv_user_end();
	ff_activity(ff, s->op.login, "audit.digest", path, 1, "");
out:
	if (f != NULL)
		fclose(f);
	priv_user_end();
	free(tmp);
	audit_ctx_free(&c);
	return rc;
}
