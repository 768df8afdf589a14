/* pg_todo.c — the PostgreSQL functions not written yet (temporary). */
#include <stdlib.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

int
pg_open(const char *conninfo, const struct store_open_opts *opts,
    struct store *outer, struct pg_store **out, char **cause)
{
	(void)opts;
	(void)outer;
	*out = NULL;
	*cause = xasprintf("%s: PostgreSQL is not available yet", conninfo);
	return STORE_CANTOPEN;
}

void
pg_close(struct pg_store *st)
{
	free(st);
}

const char *
pg_errmsg(const struct pg_store *st)
{
	return st->errmsg;
}

const char *
pg_path(const struct pg_store *st)
{
	return st->conninfo;
}

int
pg_file_owner(struct pg_store *st, unsigned *uid)
{
	(void)uid;
	return pg_todo(st, "file_owner");
}

void
pg_set_actor(struct pg_store *st, const char *who)
{
	(void)who;
	(void)st;
}

int
pg_take_holder(struct pg_store *st, struct store_holder *out)
{
	(void)out;
	return pg_todo(st, "take_holder");
}

int
pg_begin(struct pg_store *st)
{
	return pg_todo(st, "begin");
}

int
pg_begin_read(struct pg_store *st)
{
	return pg_todo(st, "begin_read");
}

int
pg_commit(struct pg_store *st)
{
	return pg_todo(st, "commit");
}

void
pg_rollback(struct pg_store *st)
{
	(void)st;
}

int
pg_data_version(struct pg_store *st, int64_t *out)
{
	(void)out;
	return pg_todo(st, "data_version");
}

int
pg_schema_version(struct pg_store *st, int *out)
{
	(void)out;
	return pg_todo(st, "schema_version");
}

int
pg_set_durable(struct pg_store *st, int durable)
{
	(void)durable;
	return pg_todo(st, "set_durable");
}

int
pg_backup_fd(struct pg_store *st, int fd)
{
	(void)fd;
	return pg_todo(st, "backup_fd");
}

int
pg_branch_add(struct pg_store *st, struct branch *b)
{
	(void)b;
	return pg_todo(st, "branch_add");
}

int
pg_branch_get(struct pg_store *st, const char *code, struct branch *out)
{
	(void)code;
	(void)out;
	return pg_todo(st, "branch_get");
}

int
pg_branch_get_id(struct pg_store *st, int64_t id, struct branch *out)
{
	(void)id;
	(void)out;
	return pg_todo(st, "branch_get_id");
}

int
pg_branch_list(struct pg_store *st, struct branch **out, size_t *n)
{
	(void)out;
	(void)n;
	return pg_todo(st, "branch_list");
}

int
pg_account_get(struct pg_store *st, int64_t branch_id, struct account *out)
{
	(void)branch_id;
	(void)out;
	return pg_todo(st, "account_get");
}

int
pg_account_list(struct pg_store *st, int64_t branch_id, struct account **out, size_t *n)
{
	(void)branch_id;
	(void)out;
	(void)n;
	return pg_todo(st, "account_list");
}

int
pg_account_figures(struct pg_store *st, int64_t branch_id, money_t *balance, money_t *withdrawable, money_t *total_withdrawn)
{
	(void)branch_id;
	(void)balance;
	(void)withdrawable;
	(void)total_withdrawn;
	return pg_todo(st, "account_figures");
}

int
pg_account_set(struct pg_store *st, int64_t branch_id, money_t balance, money_t withdrawable, money_t total_withdrawn)
{
	(void)branch_id;
	(void)balance;
	(void)withdrawable;
	(void)total_withdrawn;
	return pg_todo(st, "account_set");
}

int
pg_ledger_head(struct pg_store *st, int64_t account_id, struct ledger_head *out)
{
	(void)account_id;
	(void)out;
	return pg_todo(st, "ledger_head");
}

int
pg_operator_add(struct pg_store *st, struct operator *op)
{
	(void)op;
	return pg_todo(st, "operator_add");
}

int
pg_operator_get(struct pg_store *st, const char *login, struct operator *out)
{
	(void)login;
	(void)out;
	return pg_todo(st, "operator_get");
}

int
pg_operator_set_pwhash(struct pg_store *st, int64_t id, const char *pwhash, int must_change, int alone)
{
	(void)id;
	(void)pwhash;
	(void)must_change;
	(void)alone;
	return pg_todo(st, "operator_set_pwhash");
}

int
pg_operator_set_active(struct pg_store *st, int64_t id, int active, int alone)
{
	(void)id;
	(void)active;
	(void)alone;
	return pg_todo(st, "operator_set_active");
}

int
pg_operator_await(struct pg_store *st, int64_t id, const char *what, int64_t by, const char *pwhash)
{
	(void)id;
	(void)what;
	(void)by;
	(void)pwhash;
	return pg_todo(st, "operator_await");
}

int
pg_operator_confirm(struct pg_store *st, int64_t id, int64_t by)
{
	(void)id;
	(void)by;
	return pg_todo(st, "operator_confirm");
}

int
pg_operator_admins(struct pg_store *st, int64_t *n)
{
	(void)n;
	return pg_todo(st, "operator_admins");
}

int
pg_operator_list(struct pg_store *st, struct operator **out, size_t *n)
{
	(void)out;
	(void)n;
	return pg_todo(st, "operator_list");
}

int
pg_operator_count(struct pg_store *st, int64_t *n)
{
	(void)n;
	return pg_todo(st, "operator_count");
}

int
pg_bulk_writes(struct pg_store *st)
{
	return pg_todo(st, "bulk_writes");
}

int
pg_income_find(struct pg_store *st, int32_t buss_type, const char *ikey, struct income *out)
{
	(void)buss_type;
	(void)ikey;
	(void)out;
	return pg_todo(st, "income_find");
}

int
pg_income_add(struct pg_store *st, struct income *in)
{
	(void)in;
	return pg_todo(st, "income_add");
}

int
pg_income_add_rows(struct pg_store *st, const struct income *in, size_t n)
{
	(void)in;
	(void)n;
	return pg_todo(st, "income_add_rows");
}

int
pg_income_max_id(struct pg_store *st, int64_t *out)
{
	(void)out;
	return pg_todo(st, "income_max_id");
}

int
pg_conflict_add(struct pg_store *st, struct conflict *c, int *added)
{
	(void)c;
	(void)added;
	return pg_todo(st, "conflict_add");
}

int
pg_income_each(struct pg_store *st, const struct income_filter *f, store_income_cb cb, void *arg)
{
	(void)f;
	(void)cb;
	(void)arg;
	return pg_todo(st, "income_each");
}

int
pg_conflict_each(struct pg_store *st, int64_t branch_id, store_conflict_cb cb, void *arg)
{
	(void)branch_id;
	(void)cb;
	(void)arg;
	return pg_todo(st, "conflict_each");
}

int
pg_ledger_add(struct pg_store *st, struct ledger_entry *e)
{
	(void)e;
	return pg_todo(st, "ledger_add");
}

int
pg_ledger_each(struct pg_store *st, const struct ledger_filter *f, store_ledger_cb cb, void *arg)
{
	(void)f;
	(void)cb;
	(void)arg;
	return pg_todo(st, "ledger_each");
}

int
pg_ledger_get(struct pg_store *st, int64_t id, struct ledger_entry *out)
{
	(void)id;
	(void)out;
	return pg_todo(st, "ledger_get");
}

int
pg_ledger_add_rows(struct pg_store *st, const struct ledger_entry *e, size_t n)
{
	(void)e;
	(void)n;
	return pg_todo(st, "ledger_add_rows");
}

int
pg_ledger_max_id(struct pg_store *st, int64_t *out)
{
	(void)out;
	return pg_todo(st, "ledger_max_id");
}

int
pg_withdrawal_add(struct pg_store *st, struct withdrawal *w)
{
	(void)w;
	return pg_todo(st, "withdrawal_add");
}

int
pg_withdrawal_get(struct pg_store *st, int64_t id, struct withdrawal *out)
{
	(void)id;
	(void)out;
	return pg_todo(st, "withdrawal_get");
}

int
pg_withdrawal_decide(struct pg_store *st, int64_t id, enum wd_status status, int64_t decided_by, const char *decided_at, const char *reason)
{
	(void)id;
	(void)status;
	(void)decided_by;
	(void)decided_at;
	(void)reason;
	return pg_todo(st, "withdrawal_decide");
}

int
pg_withdrawal_list(struct pg_store *st, const struct withdrawal_filter *f, struct withdrawal **out, size_t *n)
{
	(void)f;
	(void)out;
	(void)n;
	return pg_todo(st, "withdrawal_list");
}

int
pg_activity_add(struct pg_store *st, const struct activity *a)
{
	(void)a;
	return pg_todo(st, "activity_add");
}

int
pg_activity_each(struct pg_store *st, int64_t limit, store_activity_cb cb, void *arg)
{
	(void)limit;
	(void)cb;
	(void)arg;
	return pg_todo(st, "activity_each");
}

int
pg_activity_find(struct pg_store *st, const char *action, int *found)
{
	(void)action;
	(void)found;
	return pg_todo(st, "activity_find");
}

int
pg_release_list(struct pg_store *st, struct release **out, size_t *n)
{
	(void)out;
	(void)n;
	return pg_todo(st, "release_list");
}

int
pg_audit_chain(struct pg_store *st, store_chain_cb cb, void *arg)
{
	(void)cb;
	(void)arg;
	return pg_todo(st, "audit_chain");
}

int
pg_ledger_set_hash(struct pg_store *st, int64_t id, const uint8_t hash[FF_HASH_LEN])
{
	(void)id;
	(void)hash;
	return pg_todo(st, "ledger_set_hash");
}

int
pg_rehash_add(struct pg_store *st, const struct chain_rehash *r)
{
	(void)r;
	return pg_todo(st, "rehash_add");
}

int
pg_rehash_list(struct pg_store *st, struct chain_rehash **out, size_t *n)
{
	(void)out;
	(void)n;
	return pg_todo(st, "rehash_list");
}

int
pg_audit_duplicates(struct pg_store *st, store_dup_cb cb, void *arg)
{
	(void)cb;
	(void)arg;
	return pg_todo(st, "audit_duplicates");
}

int
pg_audit_dup_ids(struct pg_store *st, struct dup_group *g)
{
	(void)g;
	return pg_todo(st, "audit_dup_ids");
}

int
pg_audit_sources(struct pg_store *st, enum entry_kind kind, store_source_cb cb, void *arg)
{
	(void)kind;
	(void)cb;
	(void)arg;
	return pg_todo(st, "audit_sources");
}

int
pg_audit_schema(struct pg_store *st, store_schema_cb cb, void *arg)
{
	(void)cb;
	(void)arg;
	return pg_todo(st, "audit_schema");
}
