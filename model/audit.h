/*
 * audit.h — proving the ledger right.
 *
 * The audit reads one consistent snapshot and checks every invariant of
 * DESIGN.md: one income per key (and the seed's first watch query);
 * every account's chain (seq 1..n without a gap, each pre_amount equal to
 * the previous post_amount — naming the exact pair of entries — and
 * post = pre + amount), in one linear pass; each account equal to its
 * ledger; withdrawable and total withdrawn equal to their sources and
 * 0 <= withdrawable <= balance; every income and approved application
 * with exactly one entry and no other application with any; no entry
 * without its source; the hash chain; and the schema's own guards
 * (triggers, indexes) still in place.
 *
 * A digest is the head hash of every account, recomputed from the first
 * entry.  Kept outside the database, it later proves that nothing up to
 * those heads has changed, even by someone who rewrote the stored hashes.
 */
#ifndef FF_AUDIT_H
#define FF_AUDIT_H

#include <stdint.h>

#include "ff.h"

struct audit_finding {
	const char *check;	/* "chain", "hash", "account", "duplicate",
				   "source", "schema", "digest" */
	char branch[FF_CODE_MAX + 1];	/* "" when not about one branch */
	int64_t entry_id;	/* the (first) ledger entry involved, or 0 */
	int64_t other_id;	/* the second entry of a pair, or 0 */
	char text[400];		/* what is wrong, in plain words */
};

struct audit_summary {
	int64_t accounts, entries, incomes, withdrawals;
	int64_t findings;
	int64_t warnings;	/* not wrong, but worth an auditor's look */
	int64_t digest_heads;	/* heads checked against the digest */
};

struct audit_opts {
	const char *verify_digest;	/* a digest file to verify, or NULL */
	void (*on_finding)(void *arg, const struct audit_finding *f);
	/* Four-eyes: a company with one admin, operators whose rights or
	 * password one admin set alone, changes awaiting confirmation. */
	void (*on_warning)(void *arg, const char *text);
	/* Called now and then during the chain pass (total may be 0). */
	void (*on_progress)(void *arg, int64_t done, int64_t total);
	void *arg;
};

/*
 * Runs every check (auditors only).  Returns FF_OK when the checks could
 * run — *sum->findings then tells whether anything is wrong — or an ff_rc
 * when they could not (a digest that cannot be read is FF_INVALID).
 */
int audit_run(struct ff *ff, const struct session *s,
    const struct audit_opts *o, struct audit_summary *sum,
    struct ff_err *err);

/* The same checks for the program itself (a copy proving its target),
 * with no operator: nothing is recorded. */
int audit_check(struct ff *ff, const struct audit_opts *o,
    struct audit_summary *sum, struct ff_err *err);

/*
 * Runs the audit and, when it finds nothing, writes the digest to path
 * (replacing it atomically).  With findings nothing is written and
 * FF_REFUSED is returned; findings are reported through o as by audit_run.
 */
int audit_write_digest(struct ff *ff, const struct session *s,
    const struct audit_opts *o, const char *path, struct audit_summary *sum,
    struct ff_err *err);

#endif
