/*
 * listing.h — the one column table of each listing: accounts,
 * withdrawals, ledger, incomes, conflicts, audit findings, activity,
 * releases.  A column is its key (the JSON key and the CSV header), its
 * table title and alignment, how JSON types it, and the function that
 * writes its text from the record.  The command line's table, --json and
 * --csv and every screen's export (ui/tui_export.c) list through these
 * tables and nothing else, so the two can never drift apart.
 *
 * The keys are a contract with the scripts that read them: a column is
 * never renamed or moved; a new one is appended at the end.
 */
#ifndef FF_LISTING_H
#define FF_LISTING_H

#include <stdint.h>
#include <stdio.h>

#include "model/config.h"
#include "model/money.h"
#include "store/types.h"
#include "output.h"

/* Room for the text a cell function writes: an int64, an amount, or a
 * ledger hash in hex, whichever is longest. */
#define LISTING_CELL_BUFSZ (2 * FF_HASH_LEN + 1)
#define LISTING_MAX_COLS 16

/* The text of one cell of rec: a string in rec or cfg, or written into
 * buf (LISTING_CELL_BUFSZ bytes); NULL counts as "". */
typedef const char *listing_cell_fn(const void *rec, const struct config *cfg,
    char *buf);

struct listing_col {
	const char *key;	/* JSON key and CSV header */
	const char *title;	/* the command line's table header */
	enum out_type type;	/* how JSON types it (amounts grouped in a
				   table) */
	int right;		/* right-aligned in a table */
	listing_cell_fn *cell;
};

struct listing {
	const char *name;	/* "accounts": a screen's export file is
				   fundflow-NAME-YYYYMMDD-HHMMSS.csv */
	const struct listing_col *cols;
	int ncols;
};

/*
 * The listings and the record each one's rows are: accounts (struct
 * account), withdrawals (struct listing_withdrawal), ledger (struct
 * ledger_entry), incomes (struct income), conflicts (struct conflict),
 * audit (struct audit_finding), activity (struct activity), releases
 * (struct release).
 */
extern const struct listing listing_accounts;
extern const struct listing listing_withdrawals;
extern const struct listing listing_ledger;
extern const struct listing listing_incomes;
extern const struct listing listing_conflicts;
extern const struct listing listing_audit;
extern const struct listing listing_activity;
extern const struct listing listing_releases;

/* A row of the withdrawals listing: the application, and its branch's
 * account as read now (NULL if not known: withdrawable_now is empty, null
 * in JSON). */
struct listing_withdrawal {
	const struct withdrawal *w;
	const struct account *acct;
};

/* The columns of an application itself, the first of the withdrawals
 * listing: what an action (withdraw apply, approve...) prints as its
 * result. */
#define LISTING_WITHDRAWAL_OWN 11

/* The account of branch_id among a[0..n-1], or NULL. */
const struct account *listing_account_of(const struct account *a, size_t n,
    int64_t branch_id);

struct listing_out;

/* Starts listing l on f in fmt; cfg (business type names) must outlive
 * it.  Nothing is printed before the first row or the end. */
struct listing_out *listing_begin(const struct listing *l, FILE *f,
    enum out_format fmt, const struct config *cfg);
/* One row: rec is the listing's record. */
void listing_row(struct listing_out *lo, const void *rec);
/* The rows given so far. */
int64_t listing_count(const struct listing_out *lo);
/* Ends the listing (the CSV header or "[]" even without rows) and frees
 * lo; NULL is safe. */
void listing_end(struct listing_out *lo);
/* Ends a listing that failed: nothing printed if no row was given (else
 * as listing_end); frees lo; NULL is safe. */
void listing_abort(struct listing_out *lo);

/* rec as one JSON object of l's first ncols columns, alone on a line. */
void listing_object(const struct listing *l, int ncols, FILE *f,
    const struct config *cfg, const void *rec);

#endif
