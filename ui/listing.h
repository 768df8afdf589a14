/*
 * listing.h — how a record is listed: its columns (JSON keys, CSV
 * headers, table titles) and the text of each column, shared by the
 * command line (--json, --csv, tables) and the screens' CSV export, so the
 * two never drift apart.
 */
#ifndef FF_LISTING_H
#define FF_LISTING_H

#include "model/config.h"
#include "model/money.h"
#include "store/types.h"
#include "output.h"

#define LISTING_INCOME_NCOLS 10
extern const struct out_col listing_income_cols[LISTING_INCOME_NCOLS];

/* Room for the numbers one income row formats. */
struct listing_income_buf {
	char id[24], type[16], amount[MONEY_BUFSZ];
};

/* Fills v[LISTING_INCOME_NCOLS] for in; the strings point into in, cfg
 * and b, which must outlive their use. */
void listing_income(const struct config *cfg, const struct income *in,
    struct listing_income_buf *b, const char **v);

#define LISTING_LEDGER_NCOLS 13
extern const struct out_col listing_ledger_cols[LISTING_LEDGER_NCOLS];

/* Room for the numbers one ledger row formats. */
struct listing_ledger_buf {
	char id[24], seq[24], type[16];
	char pre[MONEY_BUFSZ], amount[MONEY_BUFSZ], post[MONEY_BUFSZ];
	char hash[2 * FF_HASH_LEN + 1];
};

/* Fills v[LISTING_LEDGER_NCOLS] for e; same ownership as listing_income. */
void listing_ledger(const struct config *cfg, const struct ledger_entry *e,
    struct listing_ledger_buf *b, const char **v);

#endif
