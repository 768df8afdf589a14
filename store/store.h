/*
 * store.h — fundflow's store: schema, migrations, transactions, queries,
 * on either engine.  The database's name picks the engine at store_open:
 * a PostgreSQL connection string (postgresql://…, postgres://…, or libpq
 * keywords "host=… dbname=…") opens store/pg/, anything else is a SQLite
 * file (store/sqlite/).  Nothing above the store knows which.
 *
 * The API speaks the records of store/types.h, never SQL or a statement.
 * Every function returns STORE_OK (0) or a negative
 * enum store_rc; store_errmsg() gives the detail of the last failure.
 * Writes are only allowed inside store_begin() … store_commit(), which is
 * one exclusive write transaction (BEGIN IMMEDIATE): callers do all their
 * reads and checks inside it, so nothing reads a balance in one
 * transaction and writes it in another.
 */
#ifndef FF_STORE_H
#define FF_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/types.h"

struct store;

enum store_rc {
	STORE_OK = 0,
	STORE_ERROR = -1,	/* anything else; see store_errmsg() */
	STORE_BUSY = -2,	/* the write lock was not had within busy_timeout */
	STORE_CONSTRAINT = -3,	/* the schema refused the change */
	STORE_NOTFOUND = -4,	/* no such record */
	STORE_IOERR = -5,	/* disk I/O failed, disk full */
	STORE_NOMEM = -6,	/* SQLite ran out of memory */
	STORE_CORRUPT = -7,	/* the file is damaged or not a database */
	STORE_NEWER = -8,	/* the schema is newer than this program */
	STORE_CANTOPEN = -9,	/* the file cannot be opened or created */
	STORE_READONLY = -10,	/* no permission to write */
	STORE_UNKNOWN = -11,	/* COMMIT failed at the disk: the transaction
				   may or may not be kept (it can be in the WAL
				   and come back at the next recovery) */
	STORE_UNSAFE = -12,	/* the file or its folder is not as installed
				   (a link, writable by others, another group)
				   or these rights may not open it: not opened */
	STORE_GONE = -13,	/* the database server cannot be reached, or
				   the connection to it was lost */
	STORE_LOST = -14,	/* the connection was lost during COMMIT and
				   the server says the transaction was not
				   kept: nothing changed, safe to do again */
	STORE_RETRY = -15	/* the server aborted the transaction to
				   break a deadlock or a serialization
				   conflict (PostgreSQL 40P01, 40001):
				   nothing of it was kept; the caller runs
				   the whole transaction again */
};

/* The schema version this program writes and knows. */
#define STORE_SCHEMA_VERSION 5

struct store_open_opts {
	int busy_timeout_ms;		/* from the config */
	int create;			/* 1: create the file if missing */
	int group_rw;			/* 1: a new file is rw for the group too */
	const struct release *release;	/* recorded once per version; may be NULL */
	int installed;			/* 1: opened with a service group's
					   rights: the folder and the file must
					   belong to group gid, and nothing is
					   written outside the data folder */
	unsigned gid;			/* that group, when installed */
	/*
	 * The migration to schema 5 re-hashes the ledger in chain format 2
	 * (model/chain.c, above the store), inside its transaction: it
	 * proves the format-1 chains, rewrites each entry's hash with
	 * store_ledger_set_hash and records each account with
	 * store_rehash_add.  Non-zero refuses the migration (*cause says
	 * why); NULL when the caller migrates nothing with data.
	 */
	int (*rehash)(struct store *st, char **cause);
	/* PostgreSQL only: the first line of this file is the password
	 * (refused when others may read it); NULL: libpq's own ~/.pgpass or
	 * PGPASSFILE.  app_role: the role operators connect as, which
	 * init (create) grants its rights to ("fundflow_app" when NULL). */
	const char *password_file;
	const char *app_role;
};

/* 1 when name is a PostgreSQL connection string (the server engine), 0
 * when it is a SQLite file's path. */
int store_is_server(const char *name);
/*
 * Removes the SQLite database at name and its side files (a demo made
 * anew); 0, or -1 with *cause (a message the caller frees).  A PostgreSQL
 * database is never removed by fundflow: refused, *cause says how.
 */
int store_remove(const char *name, char **cause);

/* A static English name for rc ("database busy", …). */
const char *store_strerror(int rc);

/*
 * Opens (and, with opts->create, creates) the database at path, sets the
 * busy timeout first, then WAL, synchronous=FULL and foreign keys; migrates
 * an older schema (backing a non-empty database up first, next to it, as
 * PATH.bak-vN-TIME) and records opts->release if this version has no
 * record yet.  On success returns 0 and *out.  On failure returns a
 * store_rc, *out = NULL and *cause is a message the caller frees.
 */
int store_open(const char *path, const struct store_open_opts *opts,
    struct store **out, char **cause);

/*
 * The owner of the database file, from the descriptor SQLite reads and
 * writes (never a path looked up apart).  Returns 0 and *uid, or -1.
 */
int store_file_owner(struct store *st, unsigned *uid);

/* Closes st and frees it; store_close(NULL) is safe. */
void store_close(struct store *st);

/* The detail of the last failure on st (valid until the next call). */
const char *store_errmsg(const struct store *st);
/* The path st was opened with. */
const char *store_path(const struct store *st);
/* Who writes through st (an operator's login, "feeder"): named to the
 * writers that wait for us. */
void store_set_actor(struct store *st, const char *who);
/* A writer that gave up waiting for another (busy): who held it, left in
 * the writers' queue for the next writer to record, since the one that
 * gave up could not write. */
struct store_holder {
	int pid;
	char who[40];		/* its store_set_actor, "" when unknown */
	int stopped;		/* stopped (SIGSTOP, a debugger) */
	int in_tx;		/* inside its write transaction */
	int waited_ms;		/* how long the first one waited */
	int gave_up;		/* writers that gave up on it */
};
/* 1 and *out when a holder was left to record (taken: the next call
 * gives 0); 0 otherwise. */
int store_take_holder(struct store *st, struct store_holder *out);

/* --- transactions ---------------------------------------------------------- */
/* BEGIN IMMEDIATE: takes the write lock now or fails with STORE_BUSY. */
int store_begin(struct store *st);
/* The feeder's write transaction: store_begin, and feeders take turns
 * (SQLite: its one write lock does; PostgreSQL: one transaction-scoped
 * advisory lock, so that two feeders never take accounts' locks in
 * opposite orders and deadlock). */
int store_begin_feed(struct store *st);
/* A read transaction: one consistent snapshot for every read until commit. */
int store_begin_read(struct store *st);
/* Returns STORE_UNKNOWN when the disk failed during the commit itself. */
int store_commit(struct store *st);
/* Rolls back the open transaction, if any; never fails. */
void store_rollback(struct store *st);
/* PRAGMA data_version: changes when another connection commits. */
int store_data_version(struct store *st, int64_t *out);
/* The schema version of the open database. */
int store_schema_version(struct store *st, int *out);
/*
 * durable = 0 turns off syncing to disk for a bulk build of a new
 * database (the demo), where a crash means only building it again;
 * durable = 1 (the default) syncs every commit.
 */
int store_set_durable(struct store *st, int durable);
/*
 * Online backup of the whole database into fd: an empty regular file the
 * caller created (with whatever rights the caller chose) and closes.  One
 * consistent snapshot, synced; the copy opens on its own (no WAL files).
 * STORE_IOERR when it cannot be written.
 */
int store_backup_fd(struct store *st, int fd);

/* --- branches and accounts ----------------------------------------------- */
/* Adds b (code, name, created_at) and its empty account; sets b->id. */
int store_branch_add(struct store *st, struct branch *b);
int store_branch_get(struct store *st, const char *code, struct branch *out);
int store_branch_get_id(struct store *st, int64_t id, struct branch *out);
/* All branches by code; *out is an array the caller frees. */
int store_branch_list(struct store *st, struct branch **out, size_t *n);

/* One account with its pending count and amount. */
int store_account_get(struct store *st, int64_t branch_id, struct account *out);
/* Every account (or only branch_id's, when it is not 0), by branch code;
 * *out is an array the caller frees. */
int store_account_list(struct store *st, int64_t branch_id,
    struct account **out, size_t *n);
/* Just the three figures of one account (no pending sums): cheap. */
int store_account_figures(struct store *st, int64_t branch_id,
    money_t *balance, money_t *withdrawable, money_t *total_withdrawn);
/* Writes the three figures of one account (inside store_begin). */
int store_account_set(struct store *st, int64_t branch_id, money_t balance,
    money_t withdrawable, money_t total_withdrawn);
/* The newest entry of the account's chain. */
int store_ledger_head(struct store *st, int64_t account_id,
    struct ledger_head *out);

/* --- operators ------------------------------------------------------------ */
int store_operator_add(struct store *st, struct operator *op);
int store_operator_get(struct store *st, const char *login, struct operator *out);
/* Sets the password hash; must_change: it was reset by an admin; alone:
 * by one admin alone (kept once set).  A reset awaiting confirmation is
 * dropped: the new password is the operator's own. */
int store_operator_set_pwhash(struct store *st, int64_t id, const char *pwhash,
    int must_change, int alone);
int store_operator_set_active(struct store *st, int64_t id, int active,
    int alone);
/* Asks for a change ("grant", "enable", "reset" with its new hash) that
 * a second admin must confirm; store_operator_confirm(id, by) makes it. */
int store_operator_await(struct store *st, int64_t id, const char *what,
    int64_t by, const char *pwhash);
int store_operator_confirm(struct store *st, int64_t id, int64_t by);
/* Active admins whose own grant is not awaiting confirmation. */
int store_operator_admins(struct store *st, int64_t *n);
/* Every operator by login; *out is an array the caller frees. */
int store_operator_list(struct store *st, struct operator **out, size_t *n);
int store_operator_count(struct store *st, int64_t *n);

/*
 * Prepares the connection for a long stream of inserts (the feeder):
 * each INSERT that fires triggers keeps the pages it changes in a
 * statement journal, which SQLite spills to a temporary file past 64 KiB,
 * two writes per page; a 32-row insert went past it every time (204,315
 * writes for 100,000 events, against 24,351 in memory).  Call outside a
 * transaction.
 */
int store_bulk_writes(struct store *st);

/* --- incomes --------------------------------------------------------------- */
/* The income holding key (buss_type, ikey), or STORE_NOTFOUND.  OUT: fills
 * only id, branch_id and amount (what tells a redelivery from a conflict);
 * the rest of *out is zero. */
int store_income_find(struct store *st, int32_t buss_type, const char *ikey,
    struct income *out);
/* Adds in (all fields but id); sets in->id. */
int store_income_add(struct store *st, struct income *in);
/*
 * Says which keys (types[i], ikeys[i]) the next store_income_find calls of
 * this feeder's write transaction (store_begin_feed) will ask for, so that
 * an engine across a network looks them up in one round trip
 * (PostgreSQL; SQLite, a function call away, ignores it).  Until the
 * transaction ends, a find of such a key is answered from what was read,
 * with the incomes this transaction adds; feeders take turns, so no other
 * writer adds incomes meanwhile.  Finds of other keys still work.
 */
int store_income_prefetch(struct store *st, const int32_t *types,
    const char *const *ikeys, size_t n);
/*
 * Adds n incomes with the ids the caller chose (in[i].id), STORE_ROWS to
 * a statement: one statement instead of one per income is a fifth of what
 * an ingested event costs.  The caller holds the write transaction and
 * takes each id from store_income_next_id(); a taken id is refused by the
 * schema like any overwrite.
 */
#define STORE_ROWS 32
int store_income_add_rows(struct store *st, const struct income *in, size_t n);
/*
 * OUT: a fresh income id for a row this write transaction will add: a new
 * one at each call, never one another writer has or will have.  (SQLite:
 * one past the highest, under its one write lock; PostgreSQL: from the
 * table's sequence, so an id a transaction does not use stays unused.)
 */
int store_income_next_id(struct store *st, int64_t *out);
/* Keeps a conflicting delivery; *added is 0 when the same one was kept
 * already. */
int store_conflict_add(struct store *st, struct conflict *c, int *added);

struct income_filter {
	int64_t branch_id;		/* 0: all */
	int32_t buss_type;		/* 0: all */
	int64_t before_id;		/* keyset: only ids below (0: from newest) */
	int64_t limit;			/* 0: no limit */
};
typedef int (*store_income_cb)(void *arg, const struct income *in);
typedef int (*store_conflict_cb)(void *arg, const struct conflict *c);
/* Incomes newest first; the callback returns non-zero to stop. */
int store_income_each(struct store *st, const struct income_filter *f,
    store_income_cb cb, void *arg);
/* Every kept conflict, newest first (branch_id 0: all). */
int store_conflict_each(struct store *st, int64_t branch_id,
    store_conflict_cb cb, void *arg);

/* --- ledger ------------------------------------------------------------------ */
/* Appends e (all fields but id and the display joins); sets e->id. */
int store_ledger_add(struct store *st, struct ledger_entry *e);

struct ledger_filter {
	int64_t account_id;		/* 0: all */
	int32_t buss_type;		/* 0: all; -1: withdrawals only */
	const char *ref;		/* exact reference, or NULL */
	const char *since;		/* at >= since (a date or time), or NULL */
	const char *until;		/* at < until, or NULL */
	int64_t before_id;		/* keyset: only ids below (0: newest) */
	int64_t after_id;		/* keyset backwards: only ids above */
	int oldest_first;		/* ascending from after_id (0: the start) */
	int64_t limit;			/* 0: no limit */
};
typedef int (*store_ledger_cb)(void *arg, const struct ledger_entry *e);
/* Entries newest first (oldest first when after_id or oldest_first is
 * set), with the
 * display joins filled; the callback returns non-zero to stop. */
int store_ledger_each(struct store *st, const struct ledger_filter *f,
    store_ledger_cb cb, void *arg);
/* One entry by id, with its display joins. */
int store_ledger_get(struct store *st, int64_t id, struct ledger_entry *out);

/* Appends n entries with the ids the caller chose, as
 * store_income_add_rows() does: e[i] continues its account's chain. */
int store_ledger_add_rows(struct store *st, const struct ledger_entry *e,
    size_t n);

/* The highest entry id: about the number of entries (a progress bar's
 * end; ids need not be dense). */
int store_ledger_max_id(struct store *st, int64_t *out);
/* OUT: a fresh entry id, as store_income_next_id() gives incomes. */
int store_ledger_next_id(struct store *st, int64_t *out);

/* --- withdrawals ------------------------------------------------------------- */
/* Adds a pending application; sets w->id. */
int store_withdrawal_add(struct store *st, struct withdrawal *w);
int store_withdrawal_get(struct store *st, int64_t id, struct withdrawal *out);
/* Moves a pending application to status (inside store_begin). */
int store_withdrawal_decide(struct store *st, int64_t id, enum wd_status status,
    int64_t decided_by, const char *decided_at, const char *reason);

struct withdrawal_filter {
	int64_t branch_id;		/* 0: all */
	int status;			/* -1: all, else an enum wd_status */
};
/* Applications oldest first; *out is an array the caller frees. */
int store_withdrawal_list(struct store *st, const struct withdrawal_filter *f,
    struct withdrawal **out, size_t *n);

/* --- activity and releases --------------------------------------------------- */
int store_activity_add(struct store *st, const struct activity *a);
typedef int (*store_activity_cb)(void *arg, const struct activity *a);
int store_activity_each(struct store *st, int64_t limit, store_activity_cb cb,
    void *arg);
/* *found = 1 when the journal has a line of this action (oldest first:
 * cheap for actions recorded early, such as "demo"). */
int store_activity_find(struct store *st, const char *action, int *found);
/* The release record, oldest first; *out is an array the caller frees. */
int store_release_list(struct store *st, struct release **out, size_t *n);


/* --- copying a company (fundflow copy) -------------------------------------
 * Rows written with the ids they had in the database copied from, inside
 * one write transaction on an empty database, in an order the guards
 * accept: branches (each with its empty account), operators (links second:
 * links = 1 sets who confirmed and what awaits, which may name operators
 * added after), applications (pending), incomes and conflicts, the ledger
 * by id (store_ledger_add_rows) with each approval decided right after its
 * entry (store_withdrawal_decide), the other decisions, the accounts'
 * figures (store_account_set), activity, releases, re-hash records.
 * store_ids_settle then moves each table's id sequence past the ids
 * written.  PostgreSQL only: SQLite refuses (a copy goes to a server). */
int store_branch_put(struct store *st, const struct branch *b);
int store_operator_put(struct store *st, const struct operator *op, int links);
int store_withdrawal_put(struct store *st, const struct withdrawal *w);
int store_conflict_put(struct store *st, const struct conflict *c);
int store_activity_put(struct store *st, const struct activity *a);
int store_release_put(struct store *st, const struct release *r);
int store_ids_settle(struct store *st);

/* --- audit ------------------------------------------------------------------- */
/* Every entry in the order written (id; within an account, the order of
 * seq), with what its source says.  For speed the walk leaves the entry's
 * branch_code, buss_type and ref empty. */
struct chain_row {
	struct ledger_entry e;
	int source_found;		/* the income / withdrawal exists */
	int64_t source_branch_id;
	money_t source_amount;		/* income amount, or -withdrawal amount */
	enum wd_status source_status;	/* withdrawals */
	int source_withdrawable;	/* incomes: counted as withdrawable */
};
typedef int (*store_chain_cb)(void *arg, const struct chain_row *r);
int store_audit_chain(struct store *st, store_chain_cb cb, void *arg);

/* The re-hash of schema 5: an account's head before and after. */
struct chain_rehash {
	int64_t account_id;
	int64_t seq;
	uint8_t old_head[FF_HASH_LEN];	/* format 1 */
	uint8_t new_head[FF_HASH_LEN];	/* format 2 */
	char at[FF_TIME_MAX];
};
/* Only inside the migration to schema 5 (the ledger is closed to
 * updates otherwise). */
int store_ledger_set_hash(struct store *st, int64_t id,
    const uint8_t hash[FF_HASH_LEN]);
int store_rehash_add(struct store *st, const struct chain_rehash *r);
/* Every account's re-hash record; *out is an array the caller frees. */
int store_rehash_list(struct store *st, struct chain_rehash **out, size_t *n);

/* A group of incomes sharing a (business type, reference): the seed's
 * first watch query, read in the order of the reference index.  The
 * walk leaves first_id and last_id 0; store_audit_dup_ids() fills them
 * for a group the caller reports (it may run inside the callback). */
struct dup_group {
	int32_t buss_type;
	char key[FF_REF_MAX + 3];	/* the reference */
	int64_t count;
	int64_t first_id, last_id;
};
typedef int (*store_dup_cb)(void *arg, const struct dup_group *g);
int store_audit_duplicates(struct store *st, store_dup_cb cb, void *arg);
int store_audit_dup_ids(struct store *st, struct dup_group *g);

/* Every income or every application, by id, for the audit's check that
 * each has the entries its state calls for (code left empty: the model
 * knows each branch's code). */
struct source_row {
	int64_t id;
	int64_t branch_id;
	char code[FF_CODE_MAX + 1];
	money_t amount;
	int withdrawable;		/* incomes */
	enum wd_status status;		/* applications */
};
typedef int (*store_source_cb)(void *arg, const struct source_row *r);
int store_audit_sources(struct store *st, enum entry_kind kind,
    store_source_cb cb, void *arg);

/* Schema objects (tables, triggers, indexes) that are missing or differ
 * from what this program created: each reported by name and problem. */
typedef int (*store_schema_cb)(void *arg, const char *name, const char *problem);
int store_audit_schema(struct store *st, store_schema_cb cb, void *arg);

#endif
