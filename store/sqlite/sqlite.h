/*
 * sqlite.h — the SQLite engine of the store: every function of store.h
 * with the prefix sq_ on the engine's own connection (struct sq_store).
 * Only store/store.c calls these; the contracts are store.h's.
 */
#ifndef FF_STORE_SQLITE_H
#define FF_STORE_SQLITE_H

#include "store/engine.h"

struct sq_store;

/* store_open on a SQLite file: sets outer->sq as soon as the connection
 * exists (the migration's re-hash calls back through outer). */
int sq_open(const char *path, const struct store_open_opts *opts,
    struct store *outer, struct sq_store **out, char **cause);
void sq_close(struct sq_store *st);
/* Removes the file name and its side files (WAL, shared memory, the
 * writers' queue); 0, or -1 with *cause. */
int sq_remove(const char *name, char **cause);
const char *sq_errmsg(const struct sq_store *st);
const char *sq_path(const struct sq_store *st);
int sq_file_owner(struct sq_store *st, unsigned *uid);
void sq_set_actor(struct sq_store *st, const char *who);
int sq_take_holder(struct sq_store *st, struct store_holder *out);
int sq_begin(struct sq_store *st);
int sq_begin_feed(struct sq_store *st);
int sq_begin_read(struct sq_store *st);
int sq_commit(struct sq_store *st);
void sq_rollback(struct sq_store *st);
int sq_data_version(struct sq_store *st, int64_t *out);
int sq_schema_version(struct sq_store *st, int *out);
int sq_set_durable(struct sq_store *st, int durable);
int sq_backup_fd(struct sq_store *st, int fd);
int sq_branch_add(struct sq_store *st, struct branch *b);
int sq_branch_get(struct sq_store *st, const char *code, struct branch *out);
int sq_branch_get_id(struct sq_store *st, int64_t id, struct branch *out);
int sq_branch_list(struct sq_store *st, struct branch **out, size_t *n);
int sq_account_get(struct sq_store *st, int64_t branch_id, struct account *out);
int sq_account_list(struct sq_store *st, int64_t branch_id,
    struct account **out, size_t *n);
int sq_account_figures(struct sq_store *st, int64_t branch_id, money_t *balance,
    money_t *withdrawable, money_t *total_withdrawn);
int sq_account_set(struct sq_store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn);
int sq_ledger_head(struct sq_store *st, int64_t account_id,
    struct ledger_head *out);
int sq_operator_add(struct sq_store *st, struct operator *op);
int sq_operator_get(struct sq_store *st, const char *login,
    struct operator *out);
int sq_operator_set_pwhash(struct sq_store *st, int64_t id, const char *pwhash,
    int must_change, int alone);
int sq_operator_set_active(struct sq_store *st, int64_t id, int active,
    int alone);
int sq_operator_await(struct sq_store *st, int64_t id, const char *what,
    int64_t by, const char *pwhash);
int sq_operator_confirm(struct sq_store *st, int64_t id, int64_t by);
int sq_operator_admins(struct sq_store *st, int64_t *n);
int sq_operator_list(struct sq_store *st, struct operator **out, size_t *n);
int sq_operator_count(struct sq_store *st, int64_t *n);
int sq_bulk_writes(struct sq_store *st);
int sq_income_find(struct sq_store *st, int32_t buss_type, const char *ikey,
    struct income *out);
int sq_income_add(struct sq_store *st, struct income *in);
int sq_income_prefetch(struct sq_store *st, const int32_t *types,
    const char *const *ikeys, size_t n);
int sq_income_add_rows(struct sq_store *st, const struct income *in, size_t n);
int sq_income_next_id(struct sq_store *st, int64_t *out);
int sq_conflict_add(struct sq_store *st, struct conflict *c, int *added);
int sq_income_each(struct sq_store *st, const struct income_filter *f,
    store_income_cb cb, void *arg);
int sq_conflict_each(struct sq_store *st, int64_t branch_id,
    store_conflict_cb cb, void *arg);
int sq_ledger_add(struct sq_store *st, struct ledger_entry *e);
int sq_ledger_each(struct sq_store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg);
int sq_ledger_get(struct sq_store *st, int64_t id, struct ledger_entry *out);
int sq_ledger_add_rows(struct sq_store *st, const struct ledger_entry *e,
    size_t n);
int sq_ledger_max_id(struct sq_store *st, int64_t *out);
int sq_ledger_next_id(struct sq_store *st, int64_t *out);
int sq_withdrawal_add(struct sq_store *st, struct withdrawal *w);
int sq_withdrawal_get(struct sq_store *st, int64_t id, struct withdrawal *out);
int sq_withdrawal_decide(struct sq_store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason);
int sq_withdrawal_list(struct sq_store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n);
int sq_activity_add(struct sq_store *st, const struct activity *a);
int sq_activity_each(struct sq_store *st, int64_t limit, store_activity_cb cb,
    void *arg);
int sq_activity_find(struct sq_store *st, const char *action, int *found);
int sq_release_list(struct sq_store *st, struct release **out, size_t *n);
int sq_audit_chain(struct sq_store *st, store_chain_cb cb, void *arg);
int sq_ledger_set_hash(struct sq_store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN]);
int sq_rehash_add(struct sq_store *st, const struct chain_rehash *r);
int sq_rehash_list(struct sq_store *st, struct chain_rehash **out, size_t *n);
int sq_audit_duplicates(struct sq_store *st, store_dup_cb cb, void *arg);
int sq_audit_dup_ids(struct sq_store *st, struct dup_group *g);
int sq_audit_sources(struct sq_store *st, enum entry_kind kind,
    store_source_cb cb, void *arg);
int sq_audit_schema(struct sq_store *st, store_schema_cb cb, void *arg);

int sq_branch_put(struct sq_store *st, const struct branch *b);
int sq_operator_put(struct sq_store *st, const struct operator *op, int links);
int sq_withdrawal_put(struct sq_store *st, const struct withdrawal *w);
int sq_conflict_put(struct sq_store *st, const struct conflict *c);
int sq_activity_put(struct sq_store *st, const struct activity *a);
int sq_release_put(struct sq_store *st, const struct release *r);
int sq_ids_settle(struct sq_store *st);

#endif
