/*
 * test_alloc.c — store/sqlite/alloc: the size-class pool under SQLite.  It must
 * go in only before SQLite initialises, stand aside for an allocator
 * installed on purpose, and give SQLite blocks of at least the size asked
 * for that keep their bytes through realloc.
 */
#include "testlib.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/sqlite/alloc.h"

static void	*wrap_malloc(int);
static int	 child_with_own_allocator(void);
static void	 test_alloc_stands_aside(void **);
static void	 test_alloc_installs_once(void **);
static void	 test_alloc_sizes(void **);
static void	 test_alloc_realloc_keeps_bytes(void **);
static void	 test_alloc_sqlite_works(void **);

static sqlite3_mem_methods wrap_base;
static long wrap_calls;

static void *
wrap_malloc(int n)
{
	wrap_calls++;
	return wrap_base.xMalloc(n);
}

/* In a child: an allocator of its own first, then the pool must stand
 * aside and every allocation must still reach the own one.  Exit 0 when
 * so. */
static int
child_with_own_allocator(void)
{
	sqlite3_mem_methods m;
	sqlite3 *db = NULL;
	long before;

	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &wrap_base) != SQLITE_OK)
		return 10;
	m = wrap_base;
	m.xMalloc = wrap_malloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		return 11;
	if (sq_alloc_install() != 0)
		return 12;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 13;
	before = wrap_calls;
	for (int i = 0; i < 100; i++)
		sqlite3_free(sqlite3_malloc(100));
	sqlite3_close(db);
	return wrap_calls - before >= 100 ? 0 : 14;
}

static void
test_alloc_stands_aside(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_with_own_allocator());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Runs first in this process: SQLite has not initialised yet. */
static void
test_alloc_installs_once(void **state)
{
	(void)state;
	assert_int_equal(sq_alloc_install(), 1);
	assert_int_equal(sqlite3_initialize(), SQLITE_OK);
	assert_int_equal(sq_alloc_install(), -1);
}

/* Every size up to past the largest class: at least what was asked for,
 * and all that msize reports is writable (SQLite uses it all). */
static void
test_alloc_sizes(void **state)
{
	(void)state;
	for (int n = 1; n <= 70000; n += n < 600 ? 1 : 97) {
		unsigned char *p = sqlite3_malloc(n);

		assert_non_null(p);
		assert_true(sqlite3_msize(p) >= (sqlite3_uint64)n);
		memset(p, 0xa5, (size_t)sqlite3_msize(p));
		sqlite3_free(p);
	}
	sqlite3_free(NULL);
}

static void
test_alloc_realloc_keeps_bytes(void **state)
{
	unsigned char *p = NULL;
	int n = 0;

	(void)state;
	for (int step = 0; step < 60; step++) {
		int m = step < 30 ? 1 + step * step * 97 : 1 + (60 - step) * 53;
		unsigned char *q = sqlite3_realloc(p, m);

		assert_non_null(q);
		for (int i = 0; i < (n < m ? n : m); i++)
			assert_int_equal(q[i], (unsigned char)(i * 7 + n));
		for (int i = 0; i < m; i++)
			q[i] = (unsigned char)(i * 7 + m);
		p = q;
		n = m;
	}
	sqlite3_free(p);
}

/* SQLite on the pool: many rows of many sizes, read back exactly. */
static void
test_alloc_sqlite_works(void **state)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	sqlite3_int64 total = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (id INTEGER PRIMARY "
	    "KEY, b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
	    "i + 1 FROM n WHERE i < 400) INSERT INTO t SELECT i, "
	    "zeroblob((i * 7919) % 100000) FROM n;", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT SUM(length(b)), "
	    "length(group_concat(hex(substr(b, 1, 3)))) FROM t", -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	for (int i = 1; i <= 400; i++)
		total += (i * 7919) % 100000;
	assert_int_equal(sqlite3_column_int64(s, 0), total);
	assert_true(sqlite3_column_int64(s, 1) > 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* Before anything initialises SQLite in this process. */
		cmocka_unit_test(test_alloc_stands_aside),
		cmocka_unit_test(test_alloc_installs_once),
		cmocka_unit_test(test_alloc_sizes),
		cmocka_unit_test(test_alloc_realloc_keeps_bytes),
		cmocka_unit_test(test_alloc_sqlite_works),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
