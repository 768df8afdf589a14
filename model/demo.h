/*
 * demo.h — a believable company to try fundflow on.
 *
 * Ten branches (Chinese and Latin names), one operator of each role —
 * admin, reviewer, auditor, and staff of the first branch — plus a second
 * reviewer and a clerk for each other branch, all with the password
 * "demo"; months of incomes through the real ingest path, with
 * redeliveries (some under new message ids) and one conflict; approved,
 * rejected, cancelled and pending applications through the real flow.
 * The same seed gives the same company.
 */
#ifndef FF_DEMO_H
#define FF_DEMO_H

#include <stdint.h>

#include "ff.h"

#define DEMO_PASSWORD "demo"

struct demo_summary {
	int64_t branches, operators, incomes, duplicates, conflicts;
	int64_t approved, rejected, cancelled, pending, entries;
};

/*
 * Builds the demo into the empty, freshly opened database of ff.
 * entries = 0 makes the default history (about six months); otherwise a
 * history of about that many ledger entries.  progress (may be NULL) is
 * called now and then with entries done and the target.
 */
int demo_build(struct ff *ff, int64_t entries,
    void (*progress)(void *arg, int64_t done, int64_t total), void *arg,
    struct demo_summary *sum, struct ff_err *err);

/* 1 when the database was made by demo_build (its logins are public). */
int demo_detect(struct ff *ff);

#endif
