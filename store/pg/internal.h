/*
 * internal.h — what the PostgreSQL engine's files share and nobody else
 * sees: the connection, the statement table, and row helpers.
 */
#ifndef FF_STORE_PG_INTERNAL_H
#define FF_STORE_PG_INTERNAL_H

#include <libpq-fe.h>

#include "store/pg/pg.h"

struct pg_store {
	PGconn *conn;
	struct store *outer;		/* the handle the model holds */
	char *conninfo;			/* as given (never holds a password) */
	char *name;			/* for messages: "dbname on host" */
	int in_tx;			/* 1 read, 2 write transaction */
	int64_t changes;		/* notifications seen: the data version */
	int connect_timeout_s;
	char actor[64];
	char errmsg[512];
};

/* Records "what is not written yet" and returns STORE_ERROR. */
int pg_todo(struct pg_store *st, const char *what);

#endif
