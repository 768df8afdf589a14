/*
 * testlib.h — shared helpers for the cmocka drivers.
 *
 * Each test gets a fresh real SQLite database in a temporary folder; no
 * store is ever mocked.
 */
#ifndef FF_TESTLIB_H
#define FF_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* A fresh, empty temporary directory; the caller frees the string and
 * removes the directory with testlib_rmdir(). */
char *testlib_tmpdir(void);
/* Removes dir and everything in it (one level deep). */
void testlib_rmdir(const char *dir);

#endif
