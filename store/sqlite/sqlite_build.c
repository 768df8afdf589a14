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
sq_sqlite_default_malloc(const sqlite3_mem_methods *m)
{
	return m->xMalloc == sqlite3MemMalloc;
}

/*
 * The descriptor of db's main file, when it is SQLite's own unix file (the
 * one fundflow opens), or -1 (another VFS, such as the tests' fault
 * shim): so that what is checked is the descriptor actually used.
 */
int
sq_sqlite_main_fd(sqlite3 *db)
{
	sqlite3_file *f = NULL;

	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
	    SQLITE_OK || f == NULL || f->pMethods == NULL)
		return -1;
	if (f->pMethods != &posixIoMethods && f->pMethods != &nolockIoMethods &&
	    f->pMethods != &dotlockIoMethods)
		return -1;
	return ((unixFile *)f)->h;
}
