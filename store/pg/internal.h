/*
 * internal.h — what the PostgreSQL engine's files share and nobody else
 * sees: the connection, the statement table, parameters and row helpers.
 *
 * Every statement is prepared once per connection on first use, then run
 * with text parameters; results come back as text and are read with the
 * helpers below (strict: a column that is not what the schema makes it
 * is read as 0 and the audit finds the row).
 */
#ifndef FF_STORE_PG_INTERNAL_H
#define FF_STORE_PG_INTERNAL_H

#include <libpq-fe.h>

#include "store/pg/pg.h"

struct pg_params;

enum pg_stmt {
	PG_BRANCH_ADD, PG_BRANCH_GET, PG_BRANCH_GET_ID, PG_BRANCH_LIST,
	PG_ACCOUNT_LIST, PG_ACCOUNT_GET, PG_ACCOUNT_LOCK, PG_ACCOUNT_SET,
	PG_LEDGER_HEAD,
	PG_OPERATOR_ADD, PG_OPERATOR_GET, PG_OPERATOR_SET_PW,
	PG_OPERATOR_SET_ACTIVE, PG_OPERATOR_LIST, PG_OPERATOR_COUNT,
	PG_OPERATOR_AWAIT, PG_OPERATOR_CONFIRM, PG_OPERATOR_ADMINS,
	PG_INCOME_FIND, PG_INCOME_PREFETCH, PG_INCOME_ADD, PG_INCOME_ADD_ROW, PG_INCOME_ADD_ROWS,
	PG_INCOME_IDS, PG_CONFLICT_ADD, PG_INCOME_EACH, PG_CONFLICT_EACH,
	PG_REHASH_LIST, PG_LEDGER_ADD, PG_LEDGER_ADD_ROW, PG_LEDGER_ADD_ROWS,
	PG_LEDGER_IDS, PG_LEDGER_EACH, PG_LEDGER_EACH_ACCOUNT,
	PG_LEDGER_EACH_ASC, PG_LEDGER_EACH_ACCOUNT_ASC, PG_LEDGER_GET,
	PG_LEDGER_MAX_ID,
	PG_WD_ADD, PG_WD_GET, PG_WD_GET_LOCK, PG_WD_DECIDE, PG_WD_LIST,
	PG_ACTIVITY_ADD, PG_ACTIVITY_EACH, PG_ACTIVITY_FIND,
	PG_RELEASE_ADD, PG_RELEASE_LIST,
	PG_AUDIT_CHAIN, PG_AUDIT_DUP_REF, PG_AUDIT_DUP_IDS,
	PG_AUDIT_INCOMES, PG_AUDIT_WITHDRAWALS, PG_AUDIT_SCHEMA,
	PG_SCHEMA_VERSION, PG_FEED_LOCK,
	PG_COUNT
};

extern const char *const pg_sql[PG_COUNT];
/* The schema (store/pg/schema.sql) and the grants (grants.sql, with
 * __OWNER__ and __APP__ for the two roles), built in by make. */
extern const char pg_schema_sql[];
extern const char pg_grants_sql[];

#define PG_IDS	64		/* ids drawn from a sequence at a time */

/* The income keys a feeder's transaction read ahead (store_income_prefetch):
 * open addressing, cleared when the transaction ends. */
#define PG_KEYS	4096		/* slots; at most half are used */
struct pg_key {
	int state;			/* 0 empty, 1 absent, 2 present */
	int32_t buss_type;
	int64_t id, branch_id;
	money_t amount;
	char ikey[FF_REF_MAX + 3];
};

/* A write sent later, with what follows it (pipeline.c). */
#define PG_DEFER 8
struct pg_deferred {
	enum pg_stmt id;
	int n;				/* parameters */
	char **v;			/* their text, owned */
	int want_one;			/* must change exactly one row */
};

struct pg_store {
	PGconn *conn;
	struct store *outer;		/* the handle the model holds */
	char *name;			/* for messages: the connection string */
	int in_tx;			/* 0 none, 1 read, 2 write */
	int64_t locked;			/* the account this write transaction
					   has locked already (0: none) */
	struct pg_key *keys;		/* PG_KEYS slots, or NULL */
	int nkeys;			/* slots in use */
	int64_t changes;		/* notifications seen: the data version */
	int busy_timeout_ms;
	char prepared[PG_COUNT];
	int64_t income_ids[PG_IDS], entry_ids[PG_IDS];	/* drawn, unused */
	int nincome_ids, nentry_ids;
	char actor[64];
	char xid[24];			/* this write transaction's id
					   (pg_current_xact_id), "" if none */
	int backend;			/* the server process of the connection
					   the transaction runs on */
	char app_role[64];		/* the role operators connect as */
	struct pg_deferred defer[PG_DEFER];	/* writes not sent yet */
	int ndefer;
	int begin_pending;		/* BEGIN goes with the first statement */
	struct ledger_head head;	/* the chain head of account head_of, */
	int64_t head_of;		/* read just after locking it (0: none) */
	char errmsg[512];
};

/* Forgets the keys read ahead (at the end of every transaction). */
void pg_keys_clear(struct pg_store *st);

/*
 * pg_defer: statement id with p (copied), sent with what follows it in
 * this write transaction; at once outside one.  want_one: it must change
 * exactly one row (else STORE_NOTFOUND, at the flush).  pg_flush sends
 * what is kept in one pipeline, with COMMIT when commit is set, and
 * returns the first failure; pg_defer_drop forgets it (rollback).
 */
int pg_defer(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int want_one);
int pg_flush(struct pg_store *st, int commit);
void pg_defer_drop(struct pg_store *st);
/* pg_run through a pipeline: the kept writes, the statement's PREPARE
 * when it is not prepared yet, and the statement, in one round trip. */
PGresult *pg_run_pipelined(struct pg_store *st, enum pg_stmt id,
    const struct pg_params *p, int *rc);
/* Two statements in one round trip, inside a transaction, the second run
 * after the first (with its own snapshot); both results, or a store_rc
 * and neither. */
int pg_run_two(struct pg_store *st, enum pg_stmt id1,
    const struct pg_params *p1, enum pg_stmt id2, const struct pg_params *p2,
    PGresult **r1, PGresult **r2);

/* Connects again when the connection was lost outside a transaction. */
int pg_reconnect(struct pg_store *st);

/* Parameters of one statement, as text (NULL: SQL NULL). */
#define PG_MAXP	400
struct pg_params {
	int n;
	const char *v[PG_MAXP];
	char buf[PG_MAXP][24];
};
void pg_p_int(struct pg_params *p, int64_t x);
/* s is used in place (not copied): it must live until the statement ran. */
void pg_p_text(struct pg_params *p, const char *s);
/* A 32-byte hash as bytea text; h2 holds the text (67 bytes). */
void pg_p_hash(struct pg_params *p, const uint8_t h[FF_HASH_LEN],
    char h2[2 * FF_HASH_LEN + 3]);

/*
 * Runs statement id with p (NULL: none).  Returns the result (the caller
 * PQclear()s it), or NULL with *rc a store_rc and errmsg set.
 */
PGresult *pg_run(struct pg_store *st, enum pg_stmt id,
    const struct pg_params *p, int *rc);
/* pg_run for a statement that returns no rows; *changed the rows it
 * changed (may be NULL). */
int pg_exec(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int64_t *changed);
/* Runs sql as it is (no parameters); STORE_OK or a store_rc. */
int pg_simple(struct pg_store *st, const char *sql);
/* Runs sql once (not prepared) with p. */
int pg_simple_params(struct pg_store *st, const char *sql,
    const struct pg_params *p);
/* Records msg as the last failure's detail, without its trailing newline. */
void pg_set_errmsg(struct pg_store *st, const char *msg);
/* Maps a failed result (or a lost connection when r is NULL) to a
 * store_rc and records the message. */
int pg_fail(struct pg_store *st, const PGresult *r);

int64_t pg_int(const PGresult *r, int row, int col);
int pg_null(const PGresult *r, int row, int col);
void pg_text(const PGresult *r, int row, int col, char *buf, size_t bufsz);
void pg_hash(const PGresult *r, int row, int col, uint8_t out[FF_HASH_LEN]);

/* Reads row i of r into a record. */
typedef void (*pg_row_reader)(const PGresult *r, int i, void *row);
/* Every row of r into a new array *out of *n records (rowsz each) the
 * caller frees; clears r. */
int pg_collect(PGresult *r, size_t rowsz, pg_row_reader rd, void **out,
    size_t *n);
/* The one row of r into out, or STORE_NOTFOUND; clears r. */
int pg_one(PGresult *r, pg_row_reader rd, void *out);

/* One row of a walk; non-zero stops it. */
typedef int (*pg_each_cb)(void *arg, const PGresult *r, int i);
int pg_each(struct pg_store *st, enum pg_stmt id, const struct pg_params *p,
    int small, pg_each_cb cb, void *arg);

/* A growing text (array literals for many-row inserts). */
struct pg_buf {
	char *s;
	size_t len, cap;
};
void pg_buf_init(struct pg_buf *b);
void pg_buf_putc(struct pg_buf *b, char c);
void pg_buf_int(struct pg_buf *b, int64_t x);
void pg_buf_str_put(struct pg_buf *b, const char *s);
/* s as one element of an array literal: quoted, '"' and '\' escaped. */
void pg_buf_array_text(struct pg_buf *b, const char *s);
const char *pg_buf_str(const struct pg_buf *b);
void pg_buf_free(struct pg_buf *b);

/* OUT: the next id of a sequence, drawn by statement id PG_IDS at a time
 * into pool (*n left). */
int pg_next_id(struct pg_store *st, enum pg_stmt id, int64_t *pool, int *n,
    int64_t *out);

/* Reads the ledger columns (LEDGER_COLS in statements.c) from row i. */
void pg_ledger_read(const PGresult *r, int i, void *row);
/* Reads SOURCE_COLS from column c of row i into e->src. */
void pg_read_source(const PGresult *r, int i, int c, struct ledger_entry *e);
/* Locks the account's row for the write transaction (a no-op outside
 * one): the per-account lock every write on an account takes first. */
int pg_lock_account(struct pg_store *st, int64_t branch_id);

#endif
