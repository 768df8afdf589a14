/*
 * ff.h — the model's handle on an open database, its error codes, and
 * the logged-in operator.
 *
 * Every model function takes a struct ff (the database, the configuration)
 * and, where an operator acts, a struct session; it returns FF_OK or an
 * enum ff_rc and, on failure, fills a struct ff_err with a sentence a
 * branch clerk understands.  The model never prints.
 */
#ifndef FF_FF_H
#define FF_FF_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "money.h"
#include "store/types.h"

struct store;

enum ff_rc {
	FF_OK = 0,
	FF_REFUSED,	/* a business rule said no (exit 1) */
	FF_NOTFOUND,	/* no such branch, application, operator (exit 1) */
	FF_INVALID,	/* the input is malformed (exit 64) */
	FF_BUSY,	/* the database stayed locked past busy_timeout (exit 75) */
	FF_DENIED,	/* the role or branch may not do this (exit 77) */
	FF_AUTH,	/* login refused (exit 77) */
	FF_IO,		/* disk or database failure (exit 74) */
	FF_SCHEMA,	/* database too new, damaged, or not initialised (exit 69) */
	FF_INTERNAL,	/* a bug (exit 70) */
	FF_NOINPUT,	/* the named input does not exist: a queue (exit 66) */
	FF_UNREACHABLE	/* a server (the broker) cannot be reached (exit 69) */
};

struct ff_err {
	enum ff_rc rc;
	char msg[512];
	int relogin;	/* the session is no longer valid: log in again */
	int again;	/* FF_BUSY from a transaction the server undid to
			   break a deadlock: running it again may succeed */
};

struct ff {
	struct store *st;
	const struct config *cfg;	/* not owned */
	char *path;
	time_t clock;			/* 0: the real clock; else a fixed "now" */
};

/* The operator a command or a screen acts as. */
struct session {
	struct operator op;
};

/*
 * Opens the database at path (creating it when create is set), migrating
 * and recording this release.  Returns FF_OK and *out, or an ff_rc with
 * err filled and *out = NULL.  cfg must outlive the handle.
 */
int ff_open(const struct config *cfg, const char *path, int create,
    struct ff **out, struct ff_err *err);
/* Or-ed into create: record no release at this open (a copy brings the
 * release record of the database it copies, then opens again). */
#define FF_OPEN_BARE	2
/* Closes and frees; ff_close(NULL) is safe. */
void ff_close(struct ff *ff);

/* The account that owns the database file (the feeder), from the
 * descriptor the store uses.  FF_OK and *uid, or FF_IO. */
int ff_db_owner(struct ff *ff, unsigned *uid);
/* 1 when name is a database server's (PostgreSQL), 0 for a file. */
int ff_db_is_server(const char *name);
/* Removes a database file and its side files (0), or -1 with *cause the
 * caller frees; a server's database is refused. */
int ff_db_remove(const char *name, char **cause);

/* This program's version and git commit (may be ""). */
const char *ff_version(void);
const char *ff_git_commit(void);

/* Fills err (printf-style) and returns rc. */
int ff_fail(struct ff_err *err, enum ff_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a store_rc from a failed store call to an ff_rc with a sentence
 * that starts with what was being done ("cannot approve: …"). */
int ff_store_fail(struct ff *ff, struct ff_err *err, int store_rc,
    const char *doing);

/*
 * Begins a write transaction for s (NULL: no operator, e.g. the feeder)
 * and reads s's operator again inside it: an operator disabled, given
 * another role or moved to another branch since logging in is refused
 * (FF_DENIED, err->relogin set, the refusal recorded), so that a screen
 * opened before an admin's change can no longer act on the old rights.
 * doing starts the sentence of a failure ("cannot approve").  On FF_OK
 * the transaction is open; otherwise it is not.
 */
int ff_begin(struct ff *ff, const struct session *s, const char *doing,
    struct ff_err *err);
/* The same for setting a password: the one write an operator whose
 * password was reset (must_change) may make. */
int ff_begin_passwd(struct ff *ff, const struct session *s, const char *doing,
    struct ff_err *err);

/* Now as ISO 8601 UTC with offset: "2026-11-26T14:42:37+00:00". */
void ff_now(const struct ff *ff, char buf[FF_TIME_MAX]);
/* Formats t the same way. */
void ff_format_time(time_t t, char buf[FF_TIME_MAX]);

/*
 * Records one line of activity in its own transaction (for refusals, made
 * after the refused transaction rolled back).  Best effort: a busy or
 * failing database loses the line, never the caller's result.
 */
void ff_activity(struct ff *ff, const char *actor, const char *action,
    const char *target, int ok, const char *detail);
/* Same inside the caller's open write transaction; returns a store_rc. */
int ff_activity_tx(struct ff *ff, const char *actor, const char *action,
    const char *target, int ok, const char *detail);

/* A number that changes whenever another connection commits (PRAGMA
 * data_version): screens poll it to refresh by themselves. */
int ff_data_version(struct ff *ff, int64_t *out);

/* Reads any ff_rc as a static phrase ("refused", "database busy", …). */
const char *ff_strerror(int rc);

#endif
