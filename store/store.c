/*
 * store.c — the store's front: picks the engine at open time from the
 * database's name (a PostgreSQL connection string, else a SQLite file)
 * and hands every call to it.  Nothing here knows SQL; the engines are
 * store/sqlite/ and store/pg/.
 */
#include <stdlib.h>

#include "store/engine.h"
#include "store/pg/pg.h"
#include "store/sqlite/sqlite.h"
#include "store/xmalloc.h"

/* One call on whichever engine holds st. */
#define ENGINE(fn, ...) (st->pg != NULL ? pg_##fn(st->pg, ##__VA_ARGS__) : \
	sq_##fn(st->sq, ##__VA_ARGS__))

static const char *const store_rc_names[] = {
	"done",
	"database error",
	"database busy, try again",
	"refused by the database's own rules",
	"no such record",
	"disk input/output error",
	"out of memory",
	"database file is damaged or not a fundflow database",
	"database schema is newer than this program",
	"cannot open the database file",
	"no permission to write the database",
	"the disk failed while saving",
	"the database or its folder is not as installed",
	"the database server cannot be reached",
	"the connection was lost while saving, and the change was not kept",
	"the server undid the transaction to break a deadlock, try again",
};

const char *
store_strerror(int rc)
{
	if (rc > 0 || -rc >= (int)(sizeof(store_rc_names) / sizeof(store_rc_names[0])))
		return "unknown store error";
	return store_rc_names[-rc];
}

int
store_is_server(const char *name)
{
	return pg_is_conninfo(name);
}

int
store_remove(const char *name, char **cause)
{
	*cause = NULL;
	if (pg_is_conninfo(name)) {
		*cause = xasprintf("%s: fundflow does not remove a PostgreSQL "
		    "database; drop it and create an empty one (dropdb, "
		    "createdb) for a new demo", name);
		return -1;
	}
	return sq_remove(name, cause);
}

int
store_open(const char *name, const struct store_open_opts *opts,
    struct store **out, char **cause)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	*cause = NULL;
	if (pg_is_conninfo(name))
		rc = pg_open(name, opts, st, &st->pg, cause);
	else
		rc = sq_open(name, opts, st, &st->sq, cause);
	if (rc != STORE_OK) {
		free(st);
		return rc;
	}
	*out = st;
	return STORE_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->pg != NULL)
		pg_close(st->pg);
	else
		sq_close(st->sq);
	free(st);
}

const char *
store_errmsg(const struct store *st)
{
	if (st == NULL)
		return "no database";
	return st->pg != NULL ? pg_errmsg(st->pg) : sq_errmsg(st->sq);
}

const char *
store_path(const struct store *st)
{
	if (st == NULL)
		return "";
	return st->pg != NULL ? pg_path(st->pg) : sq_path(st->sq);
}

int
store_file_owner(struct store *st, unsigned *uid)
{
	return ENGINE(file_owner, uid);
}

void
store_set_actor(struct store *st, const char *who)
{
	if (st->pg != NULL)
		pg_set_actor(st->pg, who);
	else
		sq_set_actor(st->sq, who);
}

int
store_take_holder(struct store *st, struct store_holder *out)
{
	return ENGINE(take_holder, out);
}

int
store_begin(struct store *st)
{
	return ENGINE(begin);
}

int
store_begin_feed(struct store *st)
{
	return ENGINE(begin_feed);
}

int
store_begin_read(struct store *st)
{
	return ENGINE(begin_read);
}

int
store_commit(struct store *st)
{
	return ENGINE(commit);
}

void
store_rollback(struct store *st)
{
	if (st == NULL)
		return;
	if (st->pg != NULL)
		pg_rollback(st->pg);
	else
		sq_rollback(st->sq);
}

int
store_data_version(struct store *st, int64_t *out)
{
	return ENGINE(data_version, out);
}

int
store_schema_version(struct store *st, int *out)
{
	return ENGINE(schema_version, out);
}

int
store_set_durable(struct store *st, int durable)
{
	return ENGINE(set_durable, durable);
}

int
store_backup_fd(struct store *st, int fd)
{
	return ENGINE(backup_fd, fd);
}

int
store_branch_add(struct store *st, struct branch *b)
{
	return ENGINE(branch_add, b);
}

int
store_branch_get(struct store *st, const char *code, struct branch *out)
{
	return ENGINE(branch_get, code, out);
}

int
store_branch_get_id(struct store *st, int64_t id, struct branch *out)
{
	return ENGINE(branch_get_id, id, out);
}

int
store_branch_list(struct store *st, struct branch **out, size_t *n)
{
	return ENGINE(branch_list, out, n);
}

int
store_account_get(struct store *st, int64_t branch_id, struct account *out)
{
	return ENGINE(account_get, branch_id, out);
}

int
store_account_list(struct store *st, int64_t branch_id, struct account **out,
    size_t *n)
{
	return ENGINE(account_list, branch_id, out, n);
}

int
store_account_figures(struct store *st, int64_t branch_id, money_t *balance,
    money_t *withdrawable, money_t *total_withdrawn)
{
	return ENGINE(account_figures, branch_id, balance, withdrawable, total_withdrawn);
}

int
store_account_set(struct store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn)
{
	return ENGINE(account_set, branch_id, balance, withdrawable, total_withdrawn);
}

int
store_ledger_head(struct store *st, int64_t account_id, struct ledger_head *out)
{
	return ENGINE(ledger_head, account_id, out);
}

int
store_operator_add(struct store *st, struct operator *op)
{
	return ENGINE(operator_add, op);
}

int
store_operator_get(struct store *st, const char *login, struct operator *out)
{
	return ENGINE(operator_get, login, out);
}

int
store_operator_set_pwhash(struct store *st, int64_t id, const char *pwhash,
    int must_change, int alone)
{
	return ENGINE(operator_set_pwhash, id, pwhash, must_change, alone);
}

int
store_operator_set_active(struct store *st, int64_t id, int active, int alone)
{
	return ENGINE(operator_set_active, id, active, alone);
}

int
store_operator_await(struct store *st, int64_t id, const char *what, int64_t by,
    const char *pwhash)
{
	return ENGINE(operator_await, id, what, by, pwhash);
}

int
store_operator_confirm(struct store *st, int64_t id, int64_t by)
{
	return ENGINE(operator_confirm, id, by);
}

int
store_operator_admins(struct store *st, int64_t *n)
{
	return ENGINE(operator_admins, n);
}

int
store_operator_list(struct store *st, struct operator **out, size_t *n)
{
	return ENGINE(operator_list, out, n);
}

int
store_operator_count(struct store *st, int64_t *n)
{
	return ENGINE(operator_count, n);
}

int
store_bulk_writes(struct store *st)
{
	return ENGINE(bulk_writes);
}

int
store_income_find(struct store *st, int32_t buss_type, const char *ikey,
    struct income *out)
{
	return ENGINE(income_find, buss_type, ikey, out);
}

int
store_income_add(struct store *st, struct income *in)
{
	return ENGINE(income_add, in);
}

int
store_income_prefetch(struct store *st, const int32_t *types,
    const char *const *ikeys, size_t n)
{
	return ENGINE(income_prefetch, types, ikeys, n);
}

int
store_income_add_rows(struct store *st, const struct income *in, size_t n)
{
	return ENGINE(income_add_rows, in, n);
}

int
store_income_next_id(struct store *st, int64_t *out)
{
	return ENGINE(income_next_id, out);
}

int
store_conflict_add(struct store *st, struct conflict *c, int *added)
{
	return ENGINE(conflict_add, c, added);
}

int
store_income_each(struct store *st, const struct income_filter *f,
    store_income_cb cb, void *arg)
{
	return ENGINE(income_each, f, cb, arg);
}

int
store_conflict_each(struct store *st, int64_t branch_id, store_conflict_cb cb,
    void *arg)
{
	return ENGINE(conflict_each, branch_id, cb, arg);
}

int
store_ledger_add(struct store *st, struct ledger_entry *e)
{
	return ENGINE(ledger_add, e);
}

int
store_ledger_each(struct store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg)
{
	return ENGINE(ledger_each, f, cb, arg);
}

int
store_ledger_get(struct store *st, int64_t id, struct ledger_entry *out)
{
	return ENGINE(ledger_get, id, out);
}

int
store_ledger_add_rows(struct store *st, const struct ledger_entry *e, size_t n)
{
	return ENGINE(ledger_add_rows, e, n);
}

int
store_ledger_max_id(struct store *st, int64_t *out)
{
	return ENGINE(ledger_max_id, out);
}

int
store_ledger_next_id(struct store *st, int64_t *out)
{
	return ENGINE(ledger_next_id, out);
}

int
store_withdrawal_add(struct store *st, struct withdrawal *w)
{
	return ENGINE(withdrawal_add, w);
}

int
store_withdrawal_get(struct store *st, int64_t id, struct withdrawal *out)
{
	return ENGINE(withdrawal_get, id, out);
}

int
store_withdrawal_decide(struct store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason)
{
	return ENGINE(withdrawal_decide, id, status, decided_by, decided_at, reason);
}

int
store_withdrawal_list(struct store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n)
{
	return ENGINE(withdrawal_list, f, out, n);
}

int
store_activity_add(struct store *st, const struct activity *a)
{
	return ENGINE(activity_add, a);
}

int
store_activity_each(struct store *st, int64_t limit, store_activity_cb cb,
    void *arg)
{
	return ENGINE(activity_each, limit, cb, arg);
}

int
store_activity_find(struct store *st, const char *action, int *found)
{
	return ENGINE(activity_find, action, found);
}

int
store_release_list(struct store *st, struct release **out, size_t *n)
{
	return ENGINE(release_list, out, n);
}

int
store_audit_chain(struct store *st, store_chain_cb cb, void *arg)
{
	return ENGINE(audit_chain, cb, arg);
}

int
store_ledger_set_hash(struct store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN])
{
	return ENGINE(ledger_set_hash, id, hash);
}

int
store_rehash_add(struct store *st, const struct chain_rehash *r)
{
	return ENGINE(rehash_add, r);
}

int
store_rehash_list(struct store *st, struct chain_rehash **out, size_t *n)
{
	return ENGINE(rehash_list, out, n);
}

int
store_audit_duplicates(struct store *st, store_dup_cb cb, void *arg)
{
	return ENGINE(audit_duplicates, cb, arg);
}

int
store_audit_dup_ids(struct store *st, struct dup_group *g)
{
	return ENGINE(audit_dup_ids, g);
}

int
store_audit_sources(struct store *st, enum entry_kind kind, store_source_cb cb,
    void *arg)
{
	return ENGINE(audit_sources, kind, cb, arg);
}

int
store_audit_schema(struct store *st, store_schema_cb cb, void *arg)
{
	return ENGINE(audit_schema, cb, arg);
}

int
store_branch_put(struct store *st, const struct branch *b)
{
	return ENGINE(branch_put, b);
}

int
store_operator_put(struct store *st, const struct operator *op, int links)
{
	return ENGINE(operator_put, op, links);
}

int
store_withdrawal_put(struct store *st, const struct withdrawal *w)
{
	return ENGINE(withdrawal_put, w);
}

int
store_conflict_put(struct store *st, const struct conflict *c)
{
	return ENGINE(conflict_put, c);
}

int
store_activity_put(struct store *st, const struct activity *a)
{
	return ENGINE(activity_put, a);
}

int
store_release_put(struct store *st, const struct release *r)
{
	return ENGINE(release_put, r);
}

int
store_ids_settle(struct store *st)
{
	return ENGINE(ids_settle);
}
