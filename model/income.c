/* income.c — events to incomes, one transaction per group; see income.h. */
#include "income.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chain.h"
#include "scope.h"
#include "source.h"
#include "store/store.h"
#include "store/xmalloc.h"

#define INCOME_LINE_MAX (64 * 1024)	/* longer lines are rejected */
#define INCOME_ACTOR "feeder"

/* One line of input, parsed before any lock is taken. */
struct income_item {
	int64_t lineno;
	int ok;				/* parsed; else reason holds why not */
	struct event ev;
	char reason[256];
};

/* Buffered line reader over a file descriptor. */
struct income_reader {
	int fd;
	_Atomic int *quit;		/* set: a blocking read gives up */
	char *buf;
	size_t len, off, cap;
	int eof;
	int64_t lineno;
	int skipping;			/* inside an over-long line */
};

static int income_check(struct ff *ff, const struct event *ev,
    const struct buss_type **type, struct ff_err *err);
struct income_tx;
struct income_acct;
static int income_tx_begin(struct ff *ff, struct income_tx *tx);
static int income_tx_write(struct ff *ff, struct income_tx *tx);
static int income_tx_flush(struct ff *ff, struct income_tx *tx);
static struct income_acct *income_tx_account(struct ff *ff,
    struct income_tx *tx, const char *code, int *rc);
static int income_tx_find(struct ff *ff, struct income_tx *tx,
    const struct income *in, struct income *old);
static int income_apply(struct ff *ff, struct income_tx *tx,
    const struct event *ev, const struct buss_type *type,
    enum ingest_outcome *oc, struct ff_err *err);
static int income_fill(struct income_reader *r, int block);
static int income_next_line(struct income_reader *r, struct income_item *it,
    int block);
static int64_t income_ms(void);

/*
 * The checks that need no database: a known business type, an event id
 * where the type is keyed by it.  Returns FF_OK or FF_INVALID.
 */
static int
income_check(struct ff *ff, const struct event *ev,
    const struct buss_type **type, struct ff_err *err)
{
	*type = config_type(ff->cfg, ev->buss_type);
	if (*type == NULL)
		return ff_fail(err, FF_INVALID, "unknown business type %d",
		    (int)ev->buss_type);
	if ((*type)->repeatable && ev->event_id[0] == '\0')
		return ff_fail(err, FF_INVALID, "\"event_id\" is required for "
		    "business type %d (it may repeat per reference)",
		    (int)ev->buss_type);
	return FF_OK;
}

/*
 * What a write transaction has learnt of the accounts it touches: while it
 * holds the write lock nobody else can change them, so each branch's id,
 * chain head and figures are read once per transaction, not per event.
 *
 * It also holds the rows of applied events not written yet: an event is
 * decided entirely before anything of it is written (its key looked up,
 * its account's figures and chain checked for overflow, its hash made),
 * so a refused event never writes and the others never see it; the
 * decided rows are then written STORE_ROWS to a statement, with ids the
 * transaction numbers itself (it holds the write lock).  One statement
 * per 32 rows instead of one per row, and no savepoint per event (nothing
 * to undo), is a fifth of the work of an event.
 */
#define INCOME_TX_ACCOUNTS 64

struct income_acct {
	struct branch b;
	struct ledger_head head;
	money_t withdrawable, total_withdrawn;
	int dirty;		/* its new figures are not written yet */
};

#define INCOME_AHEAD	512	/* keys read ahead in one round trip */

struct income_tx {
	struct income_acct a[INCOME_TX_ACCOUNTS];
	int n;
	struct income pend_in[STORE_ROWS];	/* decided, not written */
	struct ledger_entry pend_e[STORE_ROWS];
	int npend;
	/* The keys of the events ahead, read in one go (store_income_prefetch). */
	int32_t ahead_type[INCOME_AHEAD];
	char ahead_key[INCOME_AHEAD][FF_REF_MAX + 3];
	const char *ahead_ptr[INCOME_AHEAD];
};

/* The key an event's income is held by: "R:" and its reference, or for a
 * repeatable type "E:" and its event id. */
static void
income_key(const struct buss_type *type, const struct event *ev, char *buf,
    size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%s", type->repeatable ? "E" : "R",
	    type->repeatable ? ev->event_id : ev->ref_id);
}

/* Starts a transaction's memory, inside its BEGIN IMMEDIATE. */
static int
income_tx_begin(struct ff *ff, struct income_tx *tx)
{
	(void)ff;
	tx->n = 0;
	tx->npend = 0;
	return STORE_OK;
}

/* Writes the decided rows held: incomes first, then their entries. */
static int
income_tx_write(struct ff *ff, struct income_tx *tx)
{
	int rc, n = tx->npend;

	if (n == 0)
		return STORE_OK;
	tx->npend = 0;
	if ((rc = store_income_add_rows(ff->st, tx->pend_in, (size_t)n)) !=
	    STORE_OK)
		return rc;
	return store_ledger_add_rows(ff->st, tx->pend_e, (size_t)n);
}

/*
 * Writes the rows held, then the figures of every account the transaction
 * changed.  Accounts are written once per transaction, not once per
 * event: until then the ledger runs ahead of the account row, which nobody
 * else can see, and the schema's trigger checks each written balance
 * against the ledger's head.  Must run before every commit.
 */
static int
income_tx_flush(struct ff *ff, struct income_tx *tx)
{
	int rc;

	if ((rc = income_tx_write(ff, tx)) != STORE_OK)
		return rc;
	for (int i = 0; i < tx->n; i++) {
		struct income_acct *a = &tx->a[i];

		if (!a->dirty)
			continue;
		rc = store_account_set(ff->st, a->b.id, a->head.post_amount,
		    a->withdrawable, a->total_withdrawn);
		if (rc != STORE_OK)
			return rc;
		a->dirty = 0;
	}
	return STORE_OK;
}

/* The account of branch code, from the transaction's memory or the store;
 * NULL with *rc = STORE_NOTFOUND for an unknown branch. */
static struct income_acct *
income_tx_account(struct ff *ff, struct income_tx *tx, const char *code,
    int *rc)
{
	struct income_acct *a;
	money_t balance;

	for (int i = 0; i < tx->n; i++)
		if (strcmp(tx->a[i].b.code, code) == 0)
			return &tx->a[i];
	if (tx->n == INCOME_TX_ACCOUNTS) {
		/* Many branches in one group: write them, start over. */
		if ((*rc = income_tx_flush(ff, tx)) != STORE_OK)
			return NULL;
		tx->n = 0;
	}
	a = &tx->a[tx->n];
	a->dirty = 0;
	if ((*rc = store_branch_get(ff->st, code, &a->b)) != STORE_OK ||
	    (*rc = store_account_figures(ff->st, a->b.id, &balance,
	    &a->withdrawable, &a->total_withdrawn)) != STORE_OK ||
	    (*rc = store_ledger_head(ff->st, a->b.id, &a->head)) != STORE_OK)
		return NULL;
	tx->n++;
	return a;
}

/* The income holding in's key: among the rows held, else in the store.
 * Returns STORE_OK with *old, STORE_NOTFOUND, or a failure. */
static int
income_tx_find(struct ff *ff, struct income_tx *tx, const struct income *in,
    struct income *old)
{
	for (int i = 0; i < tx->npend; i++) {
		const struct income *p = &tx->pend_in[i];

		if (p->buss_type == in->buss_type &&
		    strcmp(p->ikey, in->ikey) == 0) {
			*old = *p;
			return STORE_OK;
		}
	}
	return store_income_find(ff->st, in->buss_type, in->ikey, old);
}

/*
 * Decides one checked event inside the caller's open write transaction
 * and holds its rows in tx (written by income_tx_write/flush).  Returns
 * FF_OK with *oc (INGEST_REJECTED with err->msg set for an unknown branch
 * or an overflowing balance: nothing of the event was written or held),
 * or a database failure (then the caller rolls the transaction back).
 */
static int
income_apply(struct ff *ff, struct income_tx *tx, const struct event *ev,
    const struct buss_type *type, enum ingest_outcome *oc, struct ff_err *err)
{
	struct income_acct *a;
	struct income *in, old;
	struct ledger_entry *e;
	struct ledger_head head;
	money_t withdrawable;
	int64_t entry_id;
	int rc = STORE_OK;

	if ((a = income_tx_account(ff, tx, ev->branch, &rc)) == NULL) {
		if (rc == STORE_NOTFOUND) {
			*oc = INGEST_REJECTED;
			return ff_fail(err, FF_OK, "unknown branch \"%s\"",
			    ev->branch);
		}
		return ff_store_fail(ff, err, rc, "cannot read the branch");
	}

	/* Built in the next free place of the held rows; it only counts
	 * as held when npend moves on. */
	in = &tx->pend_in[tx->npend];
	memset(in, 0, sizeof(*in));
	in->branch_id = a->b.id;
	memcpy(in->branch_code, a->b.code, sizeof(in->branch_code));
	in->buss_type = ev->buss_type;
	memcpy(in->ref_id, ev->ref_id, sizeof(in->ref_id));
	memcpy(in->event_id, ev->event_id, sizeof(in->event_id));
	income_key(type, ev, in->ikey, sizeof(in->ikey));
	in->amount = ev->amount;
	in->withdrawable = type->withdrawable;
	memcpy(in->occurred_at, ev->occurred_at, sizeof(in->occurred_at));
	ff_now(ff, in->received_at);

	rc = income_tx_find(ff, tx, in, &old);
	if (rc == STORE_OK) {
		struct conflict c;
		int added;

		if (old.branch_id == in->branch_id && old.amount == in->amount) {
			*oc = INGEST_DUPLICATE;
			return FF_OK;
		}
		memset(&c, 0, sizeof(c));
		c.income_id = old.id;
		c.branch_id = in->branch_id;
		c.buss_type = in->buss_type;
		memcpy(c.ref_id, in->ref_id, sizeof(c.ref_id));
		memcpy(c.event_id, in->event_id, sizeof(c.event_id));
		c.amount = in->amount;
		memcpy(c.occurred_at, in->occurred_at, sizeof(c.occurred_at));
		memcpy(c.received_at, in->received_at, sizeof(c.received_at));
		/* The income it collides with may be among the rows held. */
		if ((rc = income_tx_write(ff, tx)) != STORE_OK ||
		    (rc = store_conflict_add(ff->st, &c, &added)) != STORE_OK)
			return ff_store_fail(ff, err, rc, "cannot keep the conflict");
		*oc = INGEST_CONFLICT;
		return FF_OK;
	}
	if (rc != STORE_NOTFOUND)
		return ff_store_fail(ff, err, rc, "cannot look up the income");

	withdrawable = a->withdrawable;
	if (type->withdrawable &&
	    money_add(withdrawable, in->amount, &withdrawable) != 0) {
		*oc = INGEST_REJECTED;
		return ff_fail(err, FF_OK, "amount would overflow the account "
		    "of %s", a->b.code);
	}
	if ((rc = store_income_next_id(ff->st, &in->id)) != STORE_OK ||
	    (rc = store_ledger_next_id(ff->st, &entry_id)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot number the income");

	e = &tx->pend_e[tx->npend];
	memset(e, 0, sizeof(*e));
	e->id = entry_id;
	e->account_id = a->b.id;
	memcpy(e->branch_code, a->b.code, sizeof(e->branch_code));
	e->kind = ENTRY_INCOME;
	e->source_id = in->id;
	e->amount = in->amount;
	e->src.buss_type = in->buss_type;
	memcpy(e->src.ikey, in->ikey, sizeof(e->src.ikey));
	memcpy(e->src.ref_id, in->ref_id, sizeof(e->src.ref_id));
	memcpy(e->src.event_id, in->event_id, sizeof(e->src.event_id));
	e->src.withdrawable = in->withdrawable;
	memcpy(e->at, in->received_at, sizeof(e->at));
	snprintf(e->actor, sizeof(e->actor), "%s", INCOME_ACTOR);
	head = a->head;
	if (chain_next(e, &head) != 0) {
		*oc = INGEST_REJECTED;
		return ff_fail(err, FF_OK, "amount would overflow the "
		    "account of %s", a->b.code);
	}
	/* Decided: the rows are held, the memory moves on. */
	a->head = head;
	a->withdrawable = withdrawable;
	a->dirty = 1;
	*oc = INGEST_APPLIED;
	if (++tx->npend == STORE_ROWS && (rc = income_tx_write(ff, tx)) !=
	    STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot write the incomes");
	return FF_OK;
}

int
income_ingest_event(struct ff *ff, const struct event *ev,
    enum ingest_outcome *outcome, struct ff_err *err)
{
	const struct buss_type *type;
	struct income_tx *tx;
	int rc;

	err->msg[0] = '\0';
	if (income_check(ff, ev, &type, err) != FF_OK) {
		*outcome = INGEST_REJECTED;
		return FF_OK;
	}
	if ((rc = store_begin_feed(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot apply the income");
	tx = xmalloc(sizeof(*tx));
	if ((rc = income_tx_begin(ff, tx)) != STORE_OK) {
		rc = ff_store_fail(ff, err, rc, "cannot apply the income");
		goto fail;
	}
	rc = income_apply(ff, tx, ev, type, outcome, err);
	if (rc != FF_OK || *outcome == INGEST_REJECTED)
		goto fail;
	if ((rc = income_tx_flush(ff, tx)) != STORE_OK) {
		rc = ff_store_fail(ff, err, rc, "cannot update the account");
		goto fail;
	}
	free(tx);
	if ((rc = store_commit(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot commit the income");
	return FF_OK;
fail:
	free(tx);
	store_rollback(ff->st);
	return rc;
}

static int64_t
income_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Reads more input.  With block = 0 it returns at once when nothing is
 * ready.  Returns 1 when bytes arrived, 0 when none (or end of input),
 * -1 on a read error or an interrupting signal.
 */
static int
income_fill(struct income_reader *r, int block)
{
	ssize_t n;

	if (r->eof)
		return 0;
	if (!block) {
		struct pollfd p = { .fd = r->fd, .events = POLLIN };

		if (poll(&p, 1, 0) <= 0)
			return 0;
	} else if (r->quit != NULL) {
		/* Wait for input, looking now and then whether to give up. */
		for (;;) {
			struct pollfd p = { .fd = r->fd, .events = POLLIN };

			if (atomic_load(r->quit)) {
				errno = EINTR;
				return -1;
			}
			if (poll(&p, 1, 100) != 0)
				break;
		}
	}
	if (r->off > 0) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->cap - r->len < 4096) {
		r->cap = r->cap ? r->cap * 2 : 65536;
		r->buf = xrealloc(r->buf, r->cap);
	}
	n = read(r->fd, r->buf + r->len, r->cap - r->len);
	if (n < 0)
		return -1;
	if (n == 0) {
		r->eof = 1;
		return 0;
	}
	r->len += (size_t)n;
	return 1;
}

/*
 * Takes the next whole line into *it (parsed).  Returns 1 with a line,
 * 0 when none is ready (block = 0) or at end of input, -1 on a read error
 * or signal.  A last line without a newline counts; a line longer than
 * INCOME_LINE_MAX is rejected whole.
 */
static int
income_next_line(struct income_reader *r, struct income_item *it, int block)
{
	for (;;) {
		char *start = r->buf + r->off;
		char *nl = r->len > r->off ?
		    memchr(start, '\n', r->len - r->off) : NULL;
		size_t n;
		int rc;

		if (nl == NULL && r->len - r->off > INCOME_LINE_MAX) {
			/* Too long: drop what we have, remember to reject. */
			if (!r->skipping) {
				r->skipping = 1;
				r->lineno++;
			}
			r->off = r->len;
		}
		if (nl == NULL && r->eof && r->len > r->off) {
			nl = r->buf + r->len;	/* last line, no newline */
		}
		if (nl != NULL) {
			n = (size_t)(nl - start);
			r->off += n + (nl < r->buf + r->len ? 1 : 0);
			memset(it, 0, sizeof(*it));
			if (n > INCOME_LINE_MAX && !r->skipping) {
				/* Whole in the buffer, but too long all the same. */
				r->skipping = 1;
				r->lineno++;
			}
			if (r->skipping) {
				r->skipping = 0;
				it->lineno = r->lineno;
				snprintf(it->reason, sizeof(it->reason),
				    "line too long (more than %d bytes)",
				    INCOME_LINE_MAX);
				return 1;
			}
			it->lineno = ++r->lineno;
			it->ok = event_parse(start, n, &it->ev, it->reason,
			    sizeof(it->reason)) == 0;
			return 1;
		}
		if (r->eof) {
			if (r->skipping) {
				r->skipping = 0;
				memset(it, 0, sizeof(*it));
				it->lineno = r->lineno;
				snprintf(it->reason, sizeof(it->reason),
				    "line too long (more than %d bytes)",
				    INCOME_LINE_MAX);
				return 1;
			}
			return 0;
		}
		rc = income_fill(r, block);
		if (rc < 0 || (rc == 0 && !r->eof))
			return rc;
		/* At the end of input, look once more: the last line may
		 * have no newline. */
	}
}

/*
 * Applies n parsed items: one write transaction (committed early when it
 * has run group_ms); each event decided whole before its rows are held
 * for writing (struct income_tx).  Adds what is committed to
 * *counts.  On a database failure the uncommitted part is rolled back and
 * err says from which line to feed again.
 */
#define INCOME_RETRIES	3	/* a group ended by a lock, applied again */

/* Tells the store the keys of the parsed events items[from..to) of a known
 * type, which the transaction is about to look up (one round trip on a
 * server instead of one an event). */
static int
income_read_ahead(struct ff *ff, struct income_tx *tx,
    const struct income_item *items, int from, int to)
{
	size_t n = 0;

	for (int i = from; i < to && n < INCOME_AHEAD; i++) {
		const struct buss_type *type;

		if (!items[i].ok ||
		    (type = config_type(ff->cfg, items[i].ev.buss_type)) == NULL)
			continue;
		tx->ahead_type[n] = items[i].ev.buss_type;
		income_key(type, &items[i].ev, tx->ahead_key[n],
		    sizeof(tx->ahead_key[n]));
		tx->ahead_ptr[n] = tx->ahead_key[n];
		n++;
	}
	return store_income_prefetch(ff->st, tx->ahead_type, tx->ahead_ptr, n);
}

static int
income_apply_items(struct ff *ff, struct income_item *items, int n,
    const struct ingest_opts *o, struct ingest_counts *counts,
    struct ff_err *err)
{
	int group_ms = o->group_ms > 0 ? o->group_ms : 100;
	struct ingest_counts pend;
	struct income_tx *tx = xmalloc(sizeof(*tx));
	int rc = FF_OK, in_tx = 0, i = 0, group = 0, seen = -1, retries = 0;
	int lost = 0;		/* the last COMMIT was lost, and not kept */
	int ahead = 0;		/* items below it have their keys read */
	int64_t first_line = 0, t0 = 0;

	memset(&pend, 0, sizeof(pend));
again:
	for (; i < n; i++) {
		struct income_item *it = &items[i];
		const struct buss_type *type = NULL;
		enum ingest_outcome oc = INGEST_REJECTED;
		struct ff_err e;
		int fresh = i > seen;	/* not seen by a group tried before */

		if (fresh)
			seen = i;
		e.msg[0] = '\0';
		if (!it->ok || income_check(ff, &it->ev, &type, &e) != FF_OK) {
			if (fresh) {
				counts->rejected++;
				if (o->on_reject)
					o->on_reject(o->arg, it->lineno,
					    it->ok ? e.msg : it->reason);
			}
			continue;
		}
		if (!in_tx) {
			group = i;
			first_line = it->lineno;
			if ((rc = store_begin_feed(ff->st)) != STORE_OK) {
				rc = ff_store_fail(ff, err, rc,
				    "cannot apply the events");
				goto fail;
			}
			in_tx = 1;
			t0 = income_ms();
			if ((rc = income_tx_begin(ff, tx)) != STORE_OK) {
				rc = ff_store_fail(ff, err, rc,
				    "cannot apply the events");
				goto fail;
			}
			ahead = i;
		}
		if (i >= ahead) {
			ahead = i + INCOME_AHEAD < n ? i + INCOME_AHEAD : n;
			if ((rc = income_read_ahead(ff, tx, items, i, ahead)) !=
			    STORE_OK) {
				rc = ff_store_fail(ff, err, rc,
				    "cannot look up the incomes");
				goto fail;
			}
		}
		/* A refused event wrote nothing (see struct income_tx): no
		 * savepoint to roll back to. */
		if ((rc = income_apply(ff, tx, &it->ev, type, &oc, &e)) != FF_OK) {
			*err = e;
			goto fail;
		}
		if (oc == INGEST_REJECTED) {
			if (fresh) {
				counts->rejected++;
				if (o->on_reject)
					o->on_reject(o->arg, it->lineno, e.msg);
			}
		} else if (oc == INGEST_APPLIED) {
			pend.applied++;
		} else if (oc == INGEST_DUPLICATE) {
			pend.duplicate++;
		} else {
			pend.conflict++;
		}
		if (i + 1 == n || income_ms() - t0 >= group_ms) {
			if ((rc = income_tx_flush(ff, tx)) != STORE_OK) {
				rc = ff_store_fail(ff, err, rc,
				    "cannot update the accounts");
				goto fail;
			}
			in_tx = 0;
			if ((rc = store_commit(ff->st)) != STORE_OK) {
				lost = rc == STORE_LOST;
				rc = ff_store_fail(ff, err, rc,
				    "cannot commit the events");
				goto fail;
			}
			counts->applied += pend.applied;
			counts->duplicate += pend.duplicate;
			counts->conflict += pend.conflict;
			memset(&pend, 0, sizeof(pend));
		}
	}
	if (in_tx) {
		if ((rc = income_tx_flush(ff, tx)) != STORE_OK) {
			rc = ff_store_fail(ff, err, rc, "cannot update the accounts");
			goto fail;
		}
		in_tx = 0;
		if ((rc = store_commit(ff->st)) != STORE_OK) {
			lost = rc == STORE_LOST;
			rc = ff_store_fail(ff, err, rc, "cannot commit the events");
			goto fail;
		}
		counts->applied += pend.applied;
		counts->duplicate += pend.duplicate;
		counts->conflict += pend.conflict;
	}
	free(tx);
	return FF_OK;
fail:
	/* A group that waited past the lock timeout for an account another
	 * writer holds (a reviewer's approval, on PostgreSQL; feeders take
	 * turns, so two never deadlock) changed nothing: it is applied again
	 * from its first event, a few times.  (SQLite's one write lock is
	 * taken at BEGIN, before anything of the group is done.)  So is a
	 * group whose COMMIT lost its answer with the connection and that
	 * the server says it did not keep (STORE_LOST). */
	if (rc == FF_BUSY && (in_tx || lost) && retries < INCOME_RETRIES) {
		store_rollback(ff->st);
		in_tx = lost = 0;
		retries++;
		memset(&pend, 0, sizeof(pend));
		i = group;
		goto again;
	}
	free(tx);
	/* Nothing of the uncommitted part counts: feed again from there. */
	if (in_tx)
		store_rollback(ff->st);
	{
		char tail[160];

		/* Feeding again is always right: what was kept comes back as
		 * duplicates. */
		snprintf(tail, sizeof(tail), "; events from line %lld on %s, "
		    "feed them again", (long long)first_line,
		    rc == FF_IO ? "may not have been applied" :
		    "were not applied");
		if (strlen(err->msg) + strlen(tail) < sizeof(err->msg))
			strcat(err->msg, tail);
	}
	return rc;
}

/*
 * The feed: a thread that reads and parses lines while the caller's
 * thread applies the ones before them (parsing JSON was a sixth of the
 * work per event).  Only the applying thread touches the database.  Items
 * wait in a bounded ring; the reader blocks while it is full.
 */
#define INCOME_FEED_RING 4096

struct income_feed {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct income_item *ring;
	size_t head, len;
	int eof, failed, err_no;
	_Atomic int quit;
	struct income_reader r;
};

static void *
income_feed_main(void *arg)
{
	struct income_feed *f = arg;
	struct income_item it;
	sigset_t all;

	/* Signals (Ctrl-C, SIGTERM) are for the applying thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		int got = income_next_line(&f->r, &it, 1);

		pthread_mutex_lock(&f->mu);
		if (got <= 0) {
			if (got < 0 && !atomic_load(&f->quit)) {
				f->failed = 1;
				f->err_no = errno;
			}
			f->eof = 1;
			pthread_cond_broadcast(&f->changed);
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
		while (f->len == INCOME_FEED_RING && !atomic_load(&f->quit))
			pthread_cond_wait(&f->changed, &f->mu);
		if (atomic_load(&f->quit)) {
			pthread_mutex_unlock(&f->mu);
			return NULL;
		}
		f->ring[(f->head + f->len) % INCOME_FEED_RING] = it;
		f->len++;
		pthread_cond_broadcast(&f->changed);
		pthread_mutex_unlock(&f->mu);
	}
}

/*
 * Takes up to max parsed lines into items: waits for the first (looking
 * at *stop every 100 ms, with no transaction open), then takes what is
 * ready.  Returns how many; 0 at the end of input or when stopped.
 */
static int
income_feed_take(struct income_feed *f, struct income_item *items, int max,
    volatile sig_atomic_t *stop)
{
	int n = 0;

	pthread_mutex_lock(&f->mu);
	while (f->len == 0 && !f->eof && !(stop && *stop)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&f->changed, &f->mu, &ts);
	}
	if (!(stop && *stop)) {
		while (n < max && f->len > 0) {
			items[n++] = f->ring[f->head];
			f->head = (f->head + 1) % INCOME_FEED_RING;
			f->len--;
		}
	}
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->mu);
	return n;
}

int
income_ingest_stream(struct ff *ff, const struct ingest_opts *o,
    struct ingest_counts *counts, struct ff_err *err)
{
	/* By default a group is all the reader holds: a bigger group writes
	 * each page it touches once instead of once per thousand events (a
	 * fifth fewer writes, half the syncs), and group_ms still ends it. */
	int group_max = o->group_max > 0 ? o->group_max : INCOME_FEED_RING;
	struct income_item *items;
	struct income_feed *f;
	int rc = FF_OK, n;

	memset(counts, 0, sizeof(*counts));
	store_set_actor(ff->st, "feeder");
	if ((rc = store_bulk_writes(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot apply the events");
	items = xcalloc((size_t)group_max, sizeof(*items));
	f = xcalloc(1, sizeof(*f));
	f->ring = xcalloc(INCOME_FEED_RING, sizeof(*f->ring));
	f->r.fd = o->fd;
	f->r.quit = &f->quit;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->changed, NULL);
	if (pthread_create(&f->thread, NULL, income_feed_main, f) != 0) {
		rc = ff_fail(err, FF_INTERNAL, "cannot start the reader");
		goto out;
	}
	/* A group is what is ready, up to group_max: the lock is taken only
	 * once there are events, never while the input is quiet. */
	while ((n = income_feed_take(f, items, group_max, o->stop)) > 0) {
		if ((rc = income_apply_items(ff, items, n, o, counts, err)) != FF_OK)
			break;
	}
	atomic_store(&f->quit, 1);
	pthread_mutex_lock(&f->mu);
	pthread_cond_broadcast(&f->changed);
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->thread, NULL);
	if (rc == FF_OK && f->failed)
		rc = ff_fail(err, FF_IO, "cannot read the events: %s",
		    strerror(f->err_no));
out:
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->changed);
	free(f->r.buf);
	free(f->ring);
	free(f);
	free(items);
	return rc;
}

/*
 * The broker's feed (income_consume): the group in hand, as messages and
 * the events parsed out of them.  An event's lineno is its place in the
 * group's run (from base), so a rejection names its message.
 */
#define INCOME_MSG_EVENTS	4096	/* more events in one message: refused */

struct income_msg {
	struct source_msg m;		/* body not kept: parsed at once */
	int64_t msgno;
	int first, n;			/* its events in items[] */
	int bad;			/* an event of it was refused */
	char reason[256];		/* the first refusal's */
	int bad_line;
};

struct income_group {
	struct income_item *items;
	int n, cap;
	struct income_msg *msgs;
	int nmsg, capmsg;
	int *msg_of;			/* items[i] belongs to msgs[msg_of[i]] */
	int64_t base;			/* items[0].lineno */
};

static void income_group_add(struct income_group *g,
    const struct source_msg *m, int64_t msgno);
static void income_group_reject(void *arg, int64_t lineno,
    const char *reason);

/* Takes a message into the group: its events, parsed. */
static void
income_group_add(struct income_group *g, const struct source_msg *m,
    int64_t msgno)
{
	struct income_msg *gm;
	const char *p = m->body, *end = m->body + m->len;
	int line = 0;

	if (g->nmsg == g->capmsg) {
		g->capmsg = g->capmsg ? g->capmsg * 2 : 256;
		g->msgs = xrealloc(g->msgs, (size_t)g->capmsg * sizeof(*g->msgs));
	}
	gm = &g->msgs[g->nmsg];
	memset(gm, 0, sizeof(*gm));
	gm->m = *m;
	gm->m.body = NULL;
	gm->msgno = msgno;
	gm->first = g->n;
	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl != NULL ? nl : end) - p);
		struct income_item *it;

		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 1024;
			g->items = xrealloc(g->items,
			    (size_t)g->cap * sizeof(*g->items));
			g->msg_of = xrealloc(g->msg_of,
			    (size_t)g->cap * sizeof(*g->msg_of));
		}
		it = &g->items[g->n];
		memset(it, 0, sizeof(*it));
		it->lineno = g->base + g->n;
		g->msg_of[g->n] = g->nmsg;
		g->n++;
		line++;
		if (m->len == 0)
			snprintf(it->reason, sizeof(it->reason),
			    "the message is empty");
		else if (line > INCOME_MSG_EVENTS) {
			snprintf(it->reason, sizeof(it->reason), "the message "
			    "holds more than %d events", INCOME_MSG_EVENTS);
			break;
		} else if (len > INCOME_LINE_MAX)
			snprintf(it->reason, sizeof(it->reason),
			    "line too long (more than %d bytes)",
			    INCOME_LINE_MAX);
		else
			it->ok = event_parse(p, len, &it->ev, it->reason,
			    sizeof(it->reason)) == 0;
		p = nl != NULL ? nl + 1 : end;
	} while (p < end);	/* a newline that ends the body opens no
				   event */
	gm->n = g->n - gm->first;
	g->nmsg++;
}

/* income_apply_items' on_reject: marks the event's message refused. */
static void
income_group_reject(void *arg, int64_t lineno, const char *reason)
{
	struct income_group *g = arg;
	int i = (int)(lineno - g->base);
	struct income_msg *gm;

	assert(i >= 0 && i < g->n);
	gm = &g->msgs[g->msg_of[i]];
	if (!gm->bad) {
		gm->bad = 1;
		gm->bad_line = i - gm->first + 1;
		snprintf(gm->reason, sizeof(gm->reason), "%s", reason);
	}
}

int
income_consume(struct ff *ff, struct source *src,
    const struct consume_opts *o, struct ingest_counts *counts,
    struct ff_err *err)
{
	int group_max = o->group_max > 0 ? o->group_max : INCOME_FEED_RING;
	int group_ms = o->group_ms > 0 ? o->group_ms : 100;
	struct income_group g;
	struct ingest_opts io;
	uint64_t *bad = NULL;
	int64_t msgno = 0, seq = 1;
	int rc = FF_OK, done = 0;

	memset(counts, 0, sizeof(*counts));
	memset(&g, 0, sizeof(g));
	store_set_actor(ff->st, "feeder");
	if ((rc = store_bulk_writes(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot apply the events");
	memset(&io, 0, sizeof(io));
	io.on_reject = income_group_reject;
	io.arg = &g;
	io.group_ms = group_ms;
	while (!done) {
		int64_t t0 = 0;
		int nbad = 0;

		g.n = g.nmsg = 0;
		g.base = seq;
		/* Wait for a first message (no transaction open meanwhile),
		 * then take what is there, up to the group's size or time. */
		while (!(o->stop != NULL && *o->stop)) {
			struct source_msg m;
			enum source_rc r = src->ops->next(src->self, &m,
			    g.nmsg == 0 ? 100 : 0, err);

			if (r == SOURCE_FAILED) {
				rc = err->rc;
				goto out;
			}
			if (r == SOURCE_DRAINED) {
				done = 1;
				break;
			}
			if (r == SOURCE_NONE) {
				if (g.nmsg == 0)
					continue;
				break;
			}
			income_group_add(&g, &m, ++msgno);
			if (g.nmsg == 1)
				t0 = income_ms();
			/* Bounded in events as well: a message may hold many. */
			if (g.nmsg >= group_max || g.n >= group_max ||
			    income_ms() - t0 >= group_ms)
				break;
		}
		if (o->stop != NULL && *o->stop)
			done = 1;
		if (g.nmsg == 0)
			continue;
		seq += g.n;
		if ((rc = income_apply_items(ff, g.items, g.n, &io, counts,
		    err)) != FF_OK) {
			/* Nothing of it is settled: it all comes again. */
			src->ops->drop(src->self);
			goto out;
		}
		bad = xrealloc(bad, (size_t)g.nmsg * sizeof(*bad));
		for (int i = 0; i < g.nmsg; i++) {
			struct income_msg *gm = &g.msgs[i];

			if (!gm->bad)
				continue;
			bad[nbad++] = gm->m.tag;
			if (o->on_reject != NULL)
				o->on_reject(o->arg, gm->msgno, gm->m.id,
				    gm->bad_line, gm->reason);
		}
		/* A refusal counts per event; a message refused whole. */
		(void)src->ops->settle(src->self, &g.msgs[g.nmsg - 1].m, bad,
		    (size_t)nbad);
		if (o->on_group != NULL)
			o->on_group(o->arg, counts, src->ops->lag(src->self));
	}
out:
	free(bad);
	free(g.items);
	free(g.msgs);
	free(g.msg_of);
	return rc;
}

int
income_ingest_events(struct ff *ff, const struct event *evs, size_t n,
    struct ingest_counts *counts, struct ff_err *err)
{
	struct ingest_opts o = { .group_ms = 1000 };
	struct income_item *items;
	int rc;

	memset(counts, 0, sizeof(*counts));
	if (n == 0)
		return FF_OK;
	if ((rc = store_bulk_writes(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot apply the events");
	items = xcalloc(n, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		items[i].lineno = (int64_t)i + 1;
		items[i].ok = 1;
		items[i].ev = evs[i];
	}
	rc = income_apply_items(ff, items, (int)n, &o, counts, err);
	free(items);
	return rc;
}

int
income_list(struct ff *ff, const struct session *s, const char *branch,
    int32_t buss_type, int64_t before_id, int64_t limit,
    int (*cb)(void *arg, const struct income *in), void *arg,
    struct ff_err *err)
{
	struct income_filter f = { .buss_type = buss_type,
	    .before_id = before_id, .limit = limit };
	int rc;

	if ((rc = scope_branch(ff, s, branch, &f.branch_id, NULL, err)) != FF_OK)
		return rc;
	if ((rc = store_income_each(ff->st, &f, cb, arg)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the incomes");
	return FF_OK;
}

int
income_conflicts(struct ff *ff, const struct session *s, const char *branch,
    int (*cb)(void *arg, const struct conflict *c), void *arg,
    struct ff_err *err)
{
	int64_t bid;
	int rc;

	if ((rc = scope_branch(ff, s, branch, &bid, NULL, err)) != FF_OK)
		return rc;
	if ((rc = store_conflict_each(ff->st, bid, cb, arg)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the conflicts");
	return FF_OK;
}
