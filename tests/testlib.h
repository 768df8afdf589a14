/*
 * testlib.h — shared helpers for the cmocka drivers.
 *
 * Each test gets a fresh real SQLite database in a temporary folder; no
 * store is ever mocked.  The helpers below fail the running test (through
 * cmocka) when a step that should not fail does, so that a test reads as
 * the story it tells.
 */
#ifndef FF_TESTLIB_H
#define FF_TESTLIB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "model/config.h"
#include "model/ff.h"
#include "model/income.h"

/* A fresh, empty temporary directory; the caller frees the string and
 * removes the directory with testlib_rmdir(). */
char *testlib_tmpdir(void);
/* Removes dir and everything in it (one level deep). */
void testlib_rmdir(const char *dir);

/* The password of every operator the helpers create. */
#define TESTLIB_PASSWORD "correct horse"
/* The fixed "now" testlib_open() gives the handle (2026-01-02T03:04:05Z),
 * so that two databases fed the same events hash the same. */
#define TESTLIB_CLOCK ((time_t)1767323045)

/* One test's world: a temporary folder, a migrated database in it, and
 * the handle on it. */
struct testlib {
	char *dir;
	char *path;			/* dir/ff.db, or the PostgreSQL database's
					   connection string (FF_TEST_PG) */
	char *pgdb;			/* that database's name */
	struct config *cfg;
	struct ff *ff;
	struct session admin;		/* after testlib_admin() */
};

/*
 * Creates a new database in a fresh folder with the configuration in
 * cfg_text (NULL: the built-in defaults) and opens it; ff->clock is
 * TESTLIB_CLOCK.  No operators yet.
 */
void testlib_open(struct testlib *t, const char *cfg_text);
/* Closes the handle and removes the folder; safe to call twice. */
void testlib_close(struct testlib *t);
/* cmocka fixtures: *state becomes a struct testlib opened with the
 * built-in defaults, and is closed and freed after the test, whether it
 * passed or not. */
int testlib_setup(void **state);
int testlib_teardown(void **state);
/* Closes and opens the database again (the same configuration). */
void testlib_reopen(struct testlib *t);

/* The first admin, "admin" (one password hash), as t->admin. */
void testlib_admin(struct testlib *t);
/* Adds branch code (name: "Branch <code>") through the admin, or
 * straight through the store when there is no admin yet. */
void testlib_branch(struct testlib *t, const char *code);
/*
 * Adds an operator straight through the store, with the admin's password
 * hash (so TESTLIB_PASSWORD logs in, and no new hash is computed); branch
 * is the code for staff, else NULL.  *out (may be NULL) is its session.
 */
void testlib_operator(struct testlib *t, const char *login, enum role role,
    const char *branch, struct session *out);
/* The session of an existing operator, without a password. */
void testlib_session(struct ff *ff, const char *login, struct session *out);

/*
 * Admin, branches (codes given, NULL-terminated list) and one operator of
 * each role: "rev" and "rev2" (reviewers), "aud" (auditor), and "staff"
 * of the first branch.
 */
void testlib_world(struct testlib *t, const char *const *codes);

/* Applies one event; returns the outcome (err may be NULL). */
enum ingest_outcome testlib_ingest(struct ff *ff, const char *event_id,
    const char *branch, int32_t buss_type, const char *ref, money_t amount,
    struct ff_err *err);
/* The account of branch code. */
void testlib_account(struct ff *ff, const char *code, struct account *out);

/* --- raw SQL on the database file (a connection of its own) ------------- */
/*
 * Runs sql (one or more statements) on the file at path.  Returns the
 * primary SQLite result code; *errmsg (when not NULL) is SQLite's message,
 * which the caller frees (NULL when none).
 */
int testlib_sql(const char *path, const char *sql, char **errmsg);
/* Runs sql and fails the test unless it succeeds. */
void testlib_sql_ok(const char *path, const char *sql);
/* Runs sql and fails the test unless SQLite refuses it with a message
 * that contains want. */
void testlib_sql_refused(const char *path, const char *sql, const char *want);
/* The first column of the first row as an integer (the test fails when
 * there is no row). */
int64_t testlib_sql_int(const char *path, const char *sql);
/* The same as text, in a string the caller frees ("" for NULL). */
char *testlib_sql_text(const char *path, const char *sql);

/*
 * A text that changes when any money figure does: every account's three
 * figures, the count of incomes, ledger entries and applications, each
 * application's status, and every ledger entry (with its hash).  Kept
 * conflicts and activity are not part of it.  The caller frees it.
 */
char *testlib_fingerprint(const char *path);

/* Writes text to path, replacing it. */
void testlib_write_file(const char *path, const char *text, size_t len);

#endif
