/*
 * income.h — turning income events into incomes, idempotently.
 *
 * One event becomes, in one write transaction, an income, its ledger entry
 * and the account's new figures.  The event's key is (buss_type, ref_id),
 * or (buss_type, event_id) for a type configured repeatable.  A key that
 * exists already with the same branch and amount is a duplicate (nothing
 * changes, whatever the message id); with another branch or amount it is
 * a conflict (nothing changes; the delivery is kept for review).
 */
#ifndef FF_INCOME_H
#define FF_INCOME_H

#include <signal.h>
#include <stdint.h>

#include "event.h"
#include "ff.h"

enum ingest_outcome {
	INGEST_APPLIED = 0,
	INGEST_DUPLICATE,
	INGEST_CONFLICT,
	INGEST_REJECTED
};

struct ingest_counts {
	int64_t applied, duplicate, conflict, rejected;
};

/*
 * Applies one parsed event in its own transaction.  Returns FF_OK with
 * *outcome set (a rejection then has its reason in err->msg), or an ff_rc
 * when the database failed (nothing changed).  actor names the feeder in
 * the ledger ("feeder").
 */
int income_ingest_event(struct ff *ff, const struct event *ev,
    enum ingest_outcome *outcome, struct ff_err *err);

struct ingest_opts {
	int fd;				/* JSON Lines come from here */
	/* Called for each rejected line, as soon as it is known. */
	void (*on_reject)(void *arg, int64_t lineno, const char *reason);
	void *arg;
	/* Set (by a signal handler) to stop after the current group. */
	volatile sig_atomic_t *stop;
	int group_max;			/* events per transaction; 0: 4096 */
	int group_ms;			/* commit at least this often; 0: 100 */
};

/*
 * Reads events from o->fd to its end and applies them in groups: each
 * group is one write transaction in which every event is decided whole
 * before anything of it is written, so a bad event never touches the
 * others (it writes nothing), and a group ends at group_max events,
 * after group_ms, or when the input has nothing more ready (the lock is
 * never held while waiting for input).  *counts holds what is committed.
 * Returns FF_OK at the end of input or when *o->stop was set; otherwise
 * the failure (a database busy or failing: the group in hand was not
 * committed, and err says from which line to feed again).
 */
int income_ingest_stream(struct ff *ff, const struct ingest_opts *o,
    struct ingest_counts *counts, struct ff_err *err);

struct source;

struct consume_opts {
	/* Called for each refused event, once its group is committed (the
	 * message then goes to the dead letters): msgno counts messages
	 * from 1 in this run, id is the message's own id ("" if none),
	 * line the event's line in the body. */
	void (*on_reject)(void *arg, int64_t msgno, const char *id, int line,
	    const char *reason);
	/* Called after each group is committed and settled, with the
	 * totals so far and the messages waiting in the source (-1: not
	 * known). */
	void (*on_group)(void *arg, const struct ingest_counts *total,
	    int64_t lag);
	void *arg;
	volatile sig_atomic_t *stop;	/* set: finish the group, return */
	int group_max;			/* messages per group; 0: 4096 */
	int group_ms;			/* 0: 100 */
};

/*
 * Reads messages from src (source.h) and applies them in groups like
 * income_ingest_stream: one transaction per group, and only after it
 * committed the group is settled — refused messages to the dead letters,
 * the rest acknowledged — so a crash at any point leaves every message
 * either settled and committed, or to come again (a duplicate then).  A
 * message is one event, or several, one per line; it is refused whole
 * when any of its events is (the others of it count as applied).
 * Returns FF_OK when *o->stop was set or the source is drained (--once);
 * the source's failure (err from it), or the database's (nothing of the
 * group in hand is settled; src gives it back).  *counts is what is
 * committed.
 */
int income_consume(struct ff *ff, struct source *src,
    const struct consume_opts *o, struct ingest_counts *counts,
    struct ff_err *err);

/*
 * Applies n events already parsed (the demo's history), in as few
 * transactions as the group time allows; rejections only count.  Same
 * failure contract as income_ingest_stream.
 */
int income_ingest_events(struct ff *ff, const struct event *evs, size_t n,
    struct ingest_counts *counts, struct ff_err *err);

/*
 * Incomes newest first within the operator's view (branch NULL: all it
 * may see; buss_type 0: all; before_id 0: from the newest; limit 0: all).
 */
int income_list(struct ff *ff, const struct session *s, const char *branch,
    int32_t buss_type, int64_t before_id, int64_t limit,
    int (*cb)(void *arg, const struct income *in), void *arg,
    struct ff_err *err);

/* The conflicting deliveries kept for review, newest first, within the
 * operator's view. */
int income_conflicts(struct ff *ff, const struct session *s,
    const char *branch, int (*cb)(void *arg, const struct conflict *c),
    void *arg, struct ff_err *err);

#endif
