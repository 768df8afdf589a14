/*
 * copy.h — "fundflow copy": a company moved from a SQLite file to a
 * PostgreSQL database (model/copy.c).
 */
#ifndef FF_COPY_H
#define FF_COPY_H

#include <stdint.h>

#include "ff.h"

struct copy_summary {
	int64_t branches, operators, withdrawals, incomes, conflicts;
	int64_t entries, activity, releases;
	int64_t total;			/* the source's entries, about */
	int64_t findings;		/* the audit of the target */
	char source_heads[2 * FF_HASH_LEN + 1];	/* SHA-256 of every */
	char target_heads[2 * FF_HASH_LEN + 1];	/* account's head */
};

struct copy_opts {
	void (*on_progress)(void *arg, int64_t done, int64_t total);
	void *arg;
};

/*
 * Copies every row of the SQLite database from into the empty PostgreSQL
 * database to (its schema made when there is none: to names the role
 * that is to own the tables), in one transaction; then audits the target
 * in full and fills both chain heads.  FF_OK when the target is complete,
 * passes the audit and has the source's heads; otherwise an ff_rc with err
 * (a target that is not empty: FF_REFUSED, and nothing is written).
 */
int copy_company(const struct config *cfg, const char *from, const char *to,
    const struct copy_opts *o, struct copy_summary *sum, struct ff_err *err);

#endif
