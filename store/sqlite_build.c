/*
 * sqlite_build.c — SQLite itself (third_party/sqlite), compiled once
 * with fundflow's options (SQLITE_DEFS in the Makefile), plus the one question
 * about it that only this translation unit can answer.  Not compiled with
 * the project's warnings: the amalgamation is SQLite's code, unchanged.
 */
#include "sqlite3.c"

#include "alloc.h"

/* Whether m is SQLite's own allocator (the system malloc behind it),
 * rather than one somebody installed with SQLITE_CONFIG_MALLOC. */
int
store_sqlite_default_malloc(const sqlite3_mem_methods *m)
{
	return m->xMalloc == sqlite3MemMalloc;
}
