/*
 * engine.h — what the two engines share with the store's front
 * (store/store.c) and nobody else sees: the handle the model holds, which
 * is one engine's connection.  store/sqlite/ and store/pg/ each implement
 * every function of store.h under their own prefix (sq_, pg_); the engine
 * is picked once, at store_open, from the database's name.
 */
#ifndef FF_STORE_ENGINE_H
#define FF_STORE_ENGINE_H

#include "store/store.h"

struct sq_store;
struct pg_store;

struct store {
	struct sq_store *sq;		/* exactly one of the two is set */
	struct pg_store *pg;
};

#endif
