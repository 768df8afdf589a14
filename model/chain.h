/*
 * chain.h — each account's ledger as a hash chain.
 *
 * Entry n of an account stores
 *     hash_n = SHA-256(hash_{n-1} ‖ canonical(entry_n))
 * with hash_0 = 32 zero bytes.  canonical() is, in this order: a format
 * byte (2); the branch code as one length byte and its bytes; seq as 8
 * bytes big-endian; the kind as 'I' (income) or 'W' (withdrawal); the
 * source id, pre_amount, amount and post_amount (fen) as 8 bytes
 * big-endian two's complement each; the time and the actor as a length
 * byte and their bytes; then what of the source decides money or
 * identity: for an income its business type (8 bytes), idempotency key,
 * ref id and event id (length-prefixed) and its withdrawable flag (one
 * byte); for a withdrawal its applicant's and decider's operator ids
 * (8 bytes each), its status (one byte) and its flow (8 bytes).  Fixed
 * widths and length prefixes make it unambiguous.  Format 1 (the same
 * without the source) was the format of schema versions before 5; those
 * chains are re-hashed by the migration, which first proves them, and
 * keeps each account's old and new head (chain_rehash) so that a digest
 * taken before still verifies.
 * Changing any stored entry, or removing or inserting one, changes every
 * later hash of that account; a digest of the heads kept elsewhere then
 * proves what the history was.
 */
#ifndef FF_CHAIN_H
#define FF_CHAIN_H

#include <stdint.h>

#include "ff.h"
#include "money.h"
#include "store/types.h"

/* hash_n from hash_{n-1} and the entry's own fields and e->src (its hash
 * is ignored). */
void chain_hash(const uint8_t prev[FF_HASH_LEN], const struct ledger_entry *e,
    uint8_t out[FF_HASH_LEN]);
/* The same in format 1 (no source): chains written before schema 5. */
void chain_hash_v1(const uint8_t prev[FF_HASH_LEN],
    const struct ledger_entry *e, uint8_t out[FF_HASH_LEN]);

/* Lower-case hex of a hash into buf (2 * FF_HASH_LEN + 1 bytes). */
char *chain_hex(const uint8_t h[FF_HASH_LEN], char *buf);
/* Parses 64 hex digits; returns 0, or -1 when s is not a hash. */
int chain_unhex(const char *s, uint8_t out[FF_HASH_LEN]);

/*
 * The entry that follows head, computed but not written: sets e->seq,
 * pre_amount, post_amount and hash from head (the caller set the rest,
 * source_id included, which the hash covers) and moves head on to e.
 * Returns 0, or -1 when the balance would overflow (then neither e's
 * computed fields nor head are to be used).
 */
int chain_next(struct ledger_entry *e, struct ledger_head *head);

/*
 * Appends an entry to an account's chain inside the caller's open write
 * transaction.  The caller sets e->account_id, branch_code, kind,
 * source_id, amount, at and actor; this sets seq, pre_amount, post_amount
 * and hash from the account's newest entry, and e->id.  Returns FF_OK, or
 * FF_REFUSED when the balance would overflow, or a store failure.
 */
int chain_append(struct ff *ff, struct ledger_entry *e, struct ff_err *err);

/*
 * The same, from a head the caller knows (read earlier in the same write
 * transaction); on success *head becomes the new entry's head.
 */
int chain_append_from(struct ff *ff, struct ledger_entry *e,
    struct ledger_head *head, struct ff_err *err);

/*
 * The migration to schema 5, run by the store inside its transaction
 * (store_open_opts.rehash): proves every chain in format 1, re-hashes it
 * in format 2 and records each account's old and new head.  0, or -1 and
 * *cause (the migration is then refused, nothing changed).
 */
int chain_rehash_all(struct store *st, char **cause);

#endif
