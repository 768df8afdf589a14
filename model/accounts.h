/*
 * accounts.h — branches, their accounts, the ledger history and the
 * release record, each as the operator's role may see them.
 */
#ifndef FF_ACCOUNTS_H
#define FF_ACCOUNTS_H

#include <stddef.h>

#include "ff.h"

/* Admin: adds a branch (code: 1-16 of A-Z a-z 0-9 . _ -; name: plain
 * UTF-8 text) with its empty account. */
int accounts_branch_add(struct ff *ff, const struct session *s,
    const char *code, const char *name, struct ff_err *err);

/* Branches by code (staff: their own); *out is an array the caller frees. */
int accounts_branch_list(struct ff *ff, const struct session *s,
    struct branch **out, size_t *n, struct ff_err *err);

/* Accounts by branch code, with pending figures; code NULL means all the
 * operator may see.  *out is an array the caller frees. */
int accounts_list(struct ff *ff, const struct session *s, const char *code,
    struct account **out, size_t *n, struct ff_err *err);

/* The release record, oldest first; *out is an array the caller frees. */
int accounts_releases(struct ff *ff, const struct session *s,
    struct release **out, size_t *n, struct ff_err *err);

struct history_query {
	const char *branch;	/* code, or NULL for all the operator may see */
	const char *since;	/* a date (YYYY-MM-DD) or ISO time, or NULL */
	const char *until;	/* a date (inclusive) or ISO time (exclusive) */
	int32_t buss_type;	/* 0: all; -1: withdrawals only */
	const char *ref;	/* exact reference, or NULL */
	int64_t before_id;	/* keyset paging: entries older than this id
				   (with a branch: an entry of that branch) */
	int64_t after_id;	/* keyset paging backwards (the same) */
	int oldest_first;	/* ascending (from after_id) */
	int64_t limit;		/* 0: all */
};

/*
 * Calls cb for each ledger entry matching q, newest first (oldest first
 * with after_id), within the operator's view; cb returns non-zero to stop.
 * A malformed date is FF_INVALID.
 */
int accounts_history(struct ff *ff, const struct session *s,
    const struct history_query *q,
    int (*cb)(void *arg, const struct ledger_entry *e), void *arg,
    struct ff_err *err);

/* Checks a --since / --until value: a date YYYY-MM-DD or an ISO 8601
 * time.  For until, a date is turned into the next day's date so that the
 * day itself is included; out holds the bound to compare with. */
int accounts_date_bound(const char *in, int until, char out[FF_TIME_MAX],
    struct ff_err *err);

#endif
