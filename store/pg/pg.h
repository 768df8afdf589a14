/*
 * pg.h — the PostgreSQL engine of the store: every function of store.h
 * with the prefix pg_ on the engine's own connection (struct pg_store).
 * Only store/store.c calls these; the contracts are store.h's, and where
 * PostgreSQL does a thing differently (row locks instead of one write
 * lock, LISTEN/NOTIFY instead of data_version) store/pg/README.md says how.
 */
#ifndef FF_STORE_PG_H
#define FF_STORE_PG_H

#include "store/engine.h"

struct pg_store;

/* 1 when name is a PostgreSQL connection string (a postgresql:// or
 * postgres:// URI, or libpq keywords "host=... dbname=..."). */
int pg_is_conninfo(const char *name);
int pg_open(const char *conninfo, const struct store_open_opts *opts,
    struct store *outer, struct pg_store **out, char **cause);
void pg_close(struct pg_store *st);
const char *pg_errmsg(const struct pg_store *st);
const char *pg_path(const struct pg_store *st);
int pg_file_owner(struct pg_store *st, unsigned *uid);
void pg_set_actor(struct pg_store *st, const char *who);
int pg_take_holder(struct pg_store *st, struct store_holder *out);
int pg_begin(struct pg_store *st);
int pg_begin_feed(struct pg_store *st);
int pg_begin_read(struct pg_store *st);
int pg_commit(struct pg_store *st);
void pg_rollback(struct pg_store *st);
int pg_data_version(struct pg_store *st, int64_t *out);
int pg_schema_version(struct pg_store *st, int *out);
int pg_set_durable(struct pg_store *st, int durable);
int pg_backup_fd(struct pg_store *st, int fd);
int pg_branch_add(struct pg_store *st, struct branch *b);
int pg_branch_get(struct pg_store *st, const char *code, struct branch *out);
int pg_branch_get_id(struct pg_store *st, int64_t id, struct branch *out);
int pg_branch_list(struct pg_store *st, struct branch **out, size_t *n);
int pg_account_get(struct pg_store *st, int64_t branch_id, struct account *out);
int pg_account_list(struct pg_store *st, int64_t branch_id,
    struct account **out, size_t *n);
int pg_account_figures(struct pg_store *st, int64_t branch_id, money_t *balance,
    money_t *withdrawable, money_t *total_withdrawn);
int pg_account_set(struct pg_store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn);
int pg_ledger_head(struct pg_store *st, int64_t account_id,
    struct ledger_head *out);
int pg_operator_add(struct pg_store *st, struct operator *op);
int pg_operator_get(struct pg_store *st, const char *login,
    struct operator *out);
int pg_operator_set_pwhash(struct pg_store *st, int64_t id, const char *pwhash,
    int must_change, int alone);
int pg_operator_set_active(struct pg_store *st, int64_t id, int active,
    int alone);
int pg_operator_await(struct pg_store *st, int64_t id, const char *what,
    int64_t by, const char *pwhash);
int pg_operator_confirm(struct pg_store *st, int64_t id, int64_t by);
int pg_operator_admins(struct pg_store *st, int64_t *n);
int pg_operator_list(struct pg_store *st, struct operator **out, size_t *n);
int pg_operator_count(struct pg_store *st, int64_t *n);
int pg_bulk_writes(struct pg_store *st);
int pg_income_find(struct pg_store *st, int32_t buss_type, const char *ikey,
    struct income *out);
int pg_income_add(struct pg_store *st, struct income *in);
int pg_income_prefetch(struct pg_store *st, const int32_t *types,
    const char *const *ikeys, size_t n);
int pg_income_add_rows(struct pg_store *st, const struct income *in, size_t n);
int pg_income_next_id(struct pg_store *st, int64_t *out);
int pg_conflict_add(struct pg_store *st, struct conflict *c, int *added);
int pg_income_each(struct pg_store *st, const struct income_filter *f,
    store_income_cb cb, void *arg);
int pg_conflict_each(struct pg_store *st, int64_t branch_id,
    store_conflict_cb cb, void *arg);
int pg_ledger_add(struct pg_store *st, struct ledger_entry *e);
int pg_ledger_each(struct pg_store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg);
int pg_ledger_get(struct pg_store *st, int64_t id, struct ledger_entry *out);
int pg_ledger_add_rows(struct pg_store *st, const struct ledger_entry *e,
    size_t n);
int pg_ledger_max_id(struct pg_store *st, int64_t *out);
int pg_ledger_next_id(struct pg_store *st, int64_t *out);
int pg_withdrawal_add(struct pg_store *st, struct withdrawal *w);
int pg_withdrawal_get(struct pg_store *st, int64_t id, struct withdrawal *out);
int pg_withdrawal_decide(struct pg_store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason);
int pg_withdrawal_list(struct pg_store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n);
int pg_activity_add(struct pg_store *st, const struct activity *a);
int pg_activity_each(struct pg_store *st, int64_t limit, store_activity_cb cb,
    void *arg);
int pg_activity_find(struct pg_store *st, const char *action, int *found);
int pg_release_list(struct pg_store *st, struct release **out, size_t *n);
int pg_audit_chain(struct pg_store *st, store_chain_cb cb, void *arg);
int pg_ledger_set_hash(struct pg_store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN]);
int pg_rehash_add(struct pg_store *st, const struct chain_rehash *r);
int pg_rehash_list(struct pg_store *st, struct chain_rehash **out, size_t *n);
int pg_audit_duplicates(struct pg_store *st, store_dup_cb cb, void *arg);
int pg_audit_dup_ids(struct pg_store *st, struct dup_group *g);
int pg_audit_sources(struct pg_store *st, enum entry_kind kind,
    store_source_cb cb, void *arg);
int pg_audit_schema(struct pg_store *st, store_schema_cb cb, void *arg);

int pg_branch_put(struct pg_store *st, const struct branch *b);
int pg_operator_put(struct pg_store *st, const struct operator *op, int links);
int pg_withdrawal_put(struct pg_store *st, const struct withdrawal *w);
int pg_conflict_put(struct pg_store *st, const struct conflict *c);
int pg_activity_put(struct pg_store *st, const struct activity *a);
int pg_release_put(struct pg_store *st, const struct release *r);
int pg_ids_settle(struct pg_store *st);

#endif
