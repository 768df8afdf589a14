/*
 * internal.h — what the store's files share and nobody else sees: the
 * connection, the statement table, and small row helpers.
 */
#ifndef FF_STORE_INTERNAL_H
#define FF_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/sqlite/sqlite.h"

/* Every statement the store runs, prepared once on first use. */
enum stmt_id {
	ST_BEGIN, ST_BEGIN_READ, ST_COMMIT, ST_ROLLBACK,
	ST_DATA_VERSION, ST_USER_VERSION,
	ST_BRANCH_ADD, ST_ACCOUNT_ADD, ST_BRANCH_GET, ST_BRANCH_GET_ID,
	ST_BRANCH_LIST, ST_ACCOUNT_LIST, ST_ACCOUNT_GET, ST_ACCOUNT_SET,
	ST_LEDGER_HEAD,
	ST_OPERATOR_ADD, ST_OPERATOR_GET, ST_OPERATOR_SET_PW,
	ST_OPERATOR_SET_ACTIVE, ST_OPERATOR_LIST, ST_OPERATOR_COUNT,
	ST_OPERATOR_AWAIT, ST_OPERATOR_CONFIRM, ST_OPERATOR_ADMINS,
	ST_INCOME_FIND, ST_INCOME_ADD, ST_INCOME_ADD_ROW, ST_INCOME_ADD_ROWS,
	ST_INCOME_MAX_ID, ST_CONFLICT_ADD, ST_INCOME_EACH,
	ST_CONFLICT_EACH,
	ST_LEDGER_SET_HASH, ST_REHASH_ADD, ST_REHASH_LIST, ST_LEDGER_ADD, ST_LEDGER_ADD_ROW, ST_LEDGER_ADD_ROWS, ST_LEDGER_EACH, ST_LEDGER_EACH_ACCOUNT,
	ST_LEDGER_EACH_ASC, ST_LEDGER_EACH_ACCOUNT_ASC, ST_LEDGER_GET,
	ST_LEDGER_MAX_ID,
	ST_WD_ADD, ST_WD_GET, ST_WD_DECIDE, ST_WD_LIST,
	ST_ACTIVITY_ADD, ST_ACTIVITY_EACH, ST_ACTIVITY_FIND,
	ST_RELEASE_FIND, ST_RELEASE_ADD, ST_RELEASE_LIST,
	ST_AUDIT_CHAIN, ST_AUDIT_DUP_REF, ST_AUDIT_DUP_IDS,
	ST_AUDIT_INCOMES, ST_AUDIT_WITHDRAWALS, ST_AUDIT_SCHEMA,
	ST_COUNT
};

struct queue;

struct sq_store {
	sqlite3 *db;
	struct store *outer;		/* the handle the model holds */
	char *path;
	struct queue *queue;		/* fair order of writers, may be NULL */
	int busy_timeout_ms;
	int64_t next_income_id;		/* the next fresh ids of the write */
	int64_t next_entry_id;		/* transaction (0: not read yet) */
	sqlite3_stmt *stmt[ST_COUNT];
	char errmsg[512];
};

extern const char *const sq_sql[ST_COUNT];
extern const char *const sq_migrations[];
extern const char *const sq_migrations_after[];
extern const int sq_nmigrations;

/* The descriptor of db's main file when SQLite's unix VFS opened it, else
 * -1 (store/sqlite_build.c). */
int sq_sqlite_main_fd(sqlite3 *db);
/* Registers ff_sum(x): SUM of integers, 0 for none, NULL (not an error)
 * when the total does not fit an int64 (store/accounts.c). */
int sq_register_sum(sqlite3 *db);

/* The statement id, prepared and reset; NULL (and errmsg set) on failure. */
sqlite3_stmt *sq_stmt(struct sq_store *st, enum stmt_id id);
/* Maps an SQLite result code to a store_rc and records the message. */
int sq_fail(struct sq_store *st, int sqlite_rc);
/* Steps a statement that returns no row (INSERT/UPDATE); resets it. */
int sq_exec_stmt(struct sq_store *st, sqlite3_stmt *s);
/* OUT: *out = the first column of the one row statement id returns. */
int sq_int64(struct sq_store *st, enum stmt_id id, int64_t *out);
/* Binds row (a model struct) as the k-th row of a many-row INSERT. */
typedef void (*sq_row_binder)(sqlite3_stmt *s, int k, const void *row);
/* Inserts n rows of sz bytes each: STORE_ROWS at a time with statement
 * many, the rest one at a time with statement one. */
int sq_add_rows(struct sq_store *st, enum stmt_id one, enum stmt_id many,
    const void *rows, size_t sz, size_t n, sq_row_binder bind);
/* Copies column i as text into buf (truncated to fit, "" for NULL). */
void sq_col_text(sqlite3_stmt *s, int i, char *buf, size_t bufsz);
/* A 32-byte hash column into out; zeros when it is not one. */
void sq_col_hash(sqlite3_stmt *s, int i, uint8_t out[FF_HASH_LEN]);
/* One row of a walk (sq_each): reads the current row of s and hands it
 * on; non-zero stops the walk. */
typedef int (*sq_each_cb)(void *arg, sqlite3_stmt *s);
/*
 * Steps s to its end, calling row on each row, or until row returns
 * non-zero: a stop, not an error.  STORE_OK at the end or a stop, else
 * the step's failure mapped by sq_fail (errmsg set); resets s either way.
 * The one step loop of the store: every walk and sq_collect go through it.
 */
int sq_each(struct sq_store *st, sqlite3_stmt *s, sq_each_cb row, void *arg);
/* Reads the current row of a statement into a record. */
typedef void (*sq_row_reader)(sqlite3_stmt *s, void *row);
/* Steps s to its end, reading each row (rowsz bytes) into a growing array
 * *out of *n records the caller frees; resets s. */
int sq_collect(struct sq_store *st, sqlite3_stmt *s, size_t rowsz,
    sq_row_reader rd, void **out, size_t *n);
/* Steps s once: STORE_OK with the row read into out, or STORE_NOTFOUND;
 * resets s. */
int sq_one(struct sq_store *st, sqlite3_stmt *s, sq_row_reader rd, void *out);
/* Reads the ledger columns (LEDGER_COLS in statements.c) of a row. */
void sq_ledger_read(sqlite3_stmt *s, void *row);
/* Reads SOURCE_COLS (statements.c) from column i into e->src. */
void sq_read_source(sqlite3_stmt *s, int i, struct ledger_entry *e);
/* Binds text, or NULL when s is NULL. */
int sq_bind_text(sqlite3_stmt *s, int i, const char *text);

#endif
