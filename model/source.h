/*
 * source.h — where a feeder's events come from when it is not a file: a
 * message broker, behind one small interface, so that another transport
 * (a Kafka source committing offsets after the transaction, say) is one
 * more file beside source_amqp.c.
 *
 * A source hands out messages one by one; a message's body holds one
 * event or several, one per line, in ingest's JSON format.  The feeder
 * (income_consume) applies a group of messages in one transaction and,
 * only after it committed, settles the group: the messages it names as
 * refused go to the source's dead letters, the others are acknowledged
 * and never come back.  Whatever happens before settling — a crash, a
 * lost connection — the source delivers those messages again; they are
 * applied again as duplicates, so nothing is lost or credited twice.
 */
#ifndef FF_SOURCE_H
#define FF_SOURCE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ff.h"

/* One message as a source hands it out; the body is the source's, valid
 * until the next call into the source. */
struct source_msg {
	const char *body;
	size_t len;
	uint64_t tag;		/* the source's name for it, to settle */
	uint64_t epoch;		/* the connection it came on: a message of
				   an older one cannot be settled any more
				   (it is delivered again anyway) */
	char id[64];		/* the message's own id, "" when it has none
				   (for the reject sentence) */
};

/* What source_next says. */
enum source_rc {
	SOURCE_NONE = 0,	/* nothing arrived in the time given */
	SOURCE_MSG = 1,		/* *m holds a message */
	SOURCE_DRAINED = 2,	/* --once: the queue is empty, all settled */
	SOURCE_FAILED = -1	/* err says why; the source cannot go on */
};

struct source_ops {
	/* Waits up to wait_ms for the next message (0: only one that is
	 * already there).  Connection trouble is handled inside: the
	 * source reconnects, saying so through its own report function. */
	enum source_rc (*next)(void *self, struct source_msg *m, int wait_ms,
	    struct ff_err *err);
	/* The messages up to and including last are committed: refuses
	 * bad[0..nbad) (their tags, all <= last's, same epoch) and accepts
	 * the rest.  Returns 0, or -1 when the connection is gone (the
	 * messages come again and are duplicates then). */
	int (*settle)(void *self, const struct source_msg *last,
	    const uint64_t *bad, size_t nbad);
	/* Gives back every message not settled (the database failed for a
	 * while): they come again on a new connection. */
	void (*drop)(void *self);
	/* Messages waiting in the source, -1 when not known. */
	int64_t (*lag)(void *self);
	/* Closes the connection cleanly and frees the source. */
	void (*close)(void *self);
};

struct source {
	const struct source_ops *ops;
	void *self;
};

/* What an AMQP 0-9-1 source (RabbitMQ) is opened with. */
struct source_amqp_opts {
	const char *url;		/* amqp://USER@HOST:PORT/VHOST, amqps:// */
	const char *queue;
	const char *password;		/* NULL: none (the URL's user has none) */
	const char *cacert;		/* amqps: the CA file, NULL: the system's */
	int prefetch;			/* basic.qos, >= the group */
	int heartbeat_s;		/* 0: none */
	int declare;			/* declare queue + NAME.dead first */
	int once;			/* drain and stop; give up on an
					   unreachable broker after a few tries */
	volatile sig_atomic_t *stop;	/* set: stop waiting (backoff, reads) */
	/* Told each reconnection and other news, as a sentence. */
	void (*report)(void *arg, const char *sentence);
	void *arg;
};

/*
 * Connects to the broker (retrying with capped exponential backoff and
 * jitter; with o->once only a few times) and starts consuming.  Returns
 * FF_OK with *out set, or: FF_AUTH (the broker refused the user or the
 * password, or the user may not use the vhost), FF_NOINPUT (no such queue
 * and no o->declare), FF_UNREACHABLE (no broker within the retries, or
 * stopped), FF_INVALID (a malformed URL, a queue declared otherwise), FF_IO
 * (the CA file); err says so in a sentence naming the broker.
 */
int source_amqp_open(const struct source_amqp_opts *o, struct source *out,
    struct ff_err *err);

#endif
