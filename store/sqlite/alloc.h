/*
 * alloc.h — the memory SQLite works in (see alloc.c).  Store-internal:
 * called once, before SQLite initialises.
 */
#ifndef FF_STORE_ALLOC_H
#define FF_STORE_ALLOC_H

#include <sqlite3.h>

/*
 * Puts the size-class pool under SQLite when SQLite still has its own
 * allocator.  Returns 1 when installed, 0 when another allocator was
 * installed before (left alone), -1 when SQLite refused (it had already
 * initialised).
 */
int sq_alloc_install(void);

/* Whether m is SQLite's own allocator (store/sqlite_build.c). */
int sq_sqlite_default_malloc(const sqlite3_mem_methods *m);

#endif
