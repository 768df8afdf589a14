/*
 * test_store.c — the SQLite store: opening, migrating, the release record,
 * the connection's settings, and the schema's own guards, each attacked
 * with raw SQL from a connection of its own.
 */
#include "testlib.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/auth.h"
#include "store/store.h"
#include "store/xmalloc.h"


/* Takes a database back to before schema version 4 (four-eyes), and 5
 * (the re-hash record). */
#define UNDO_V4 \
	"DROP TABLE chain_rehash; " \
	"DROP TRIGGER operator_four_eyes; " \
	"ALTER TABLE operator DROP COLUMN created_by; " \
	"ALTER TABLE operator DROP COLUMN confirmed_by; " \
	"ALTER TABLE operator DROP COLUMN alone; " \
	"ALTER TABLE operator DROP COLUMN must_change; " \
	"ALTER TABLE operator DROP COLUMN awaiting; " \
	"ALTER TABLE operator DROP COLUMN awaiting_by; " \
	"ALTER TABLE operator DROP COLUMN awaiting_pwhash;"
static void	release_of(struct release *, const char *);
static int	open_store(const char *, int, const struct release *,
		    struct store **, char **);
static char	*read_file(const char *, size_t *);
static char	*find_backup(const char *, const char *);
static void	guarded_world(struct testlib *);
static char	*everything(const char *);
static void	expect_refused(struct testlib *, const char *, const char *);

static void	test_close_null(void **);
static void	test_missing_no_create(void **);
static void	test_not_regular(void **);
static void	test_unsafe_places(void **);
static void	test_backup_fd(void **);
static void	test_not_a_database(void **);
static void	test_new_file(void **);
static void	test_new_file_mode(void **);
static void	test_wal_and_foreign_keys(void **);
static void	test_busy(void **);
static void	test_newer_schema(void **);
static void	test_empty_file_no_backup(void **);
static void	test_v1_backed_up(void **);
static void	test_foreign_db_refused(void **);
static void	test_failed_migration_changes_nothing(void **);
static void	test_release_once_per_version(void **);
static void	test_append_only(void **);
static void	test_replace_is_refused(void **);
static void	test_ledger_insert_guards(void **);
static void	test_account_guards(void **);
static void	test_withdrawal_guards(void **);
static void	test_unique_income_key(void **);
static void	test_fixed_records(void **);

static void
release_of(struct release *r, const char *version)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->version, sizeof(r->version), "%s", version);
	snprintf(r->git_commit, sizeof(r->git_commit), "abc123");
	r->schema_version = STORE_SCHEMA_VERSION;
	snprintf(r->at, sizeof(r->at), "2026-01-02T03:04:05+00:00");
	snprintf(r->host, sizeof(r->host), "testhost");
	snprintf(r->os_user, sizeof(r->os_user), "tester");
}

static int
open_store(const char *path, int create, const struct release *rel,
    struct store **out, char **cause)
{
	struct store_open_opts o = { .busy_timeout_ms = 2000, .create = create,
	    .release = rel };

	*out = (struct store *)1;	/* must be reset on failure */
	*cause = (char *)1;
	return store_open(path, &o, out, cause);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;

	assert_non_null(f);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* The first file of dir whose name starts with prefix, or NULL. */
static char *
find_backup(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    found == NULL)
			found = xasprintf("%s/%s", dir, e->d_name);
	closedir(d);
	return found;
}

static void
test_close_null(void **state)
{
	(void)state;
	store_close(NULL);
	store_rollback(NULL);
	assert_non_null(store_strerror(STORE_OK));
	for (int rc = STORE_ERROR; rc >= STORE_READONLY; rc--)
		assert_string_not_equal(store_strerror(rc), "unknown store error");
	assert_string_equal(store_strerror(-99), "unknown store error");
	assert_string_equal(store_strerror(5), "unknown store error");
	assert_non_null(store_errmsg(NULL));
}

static void
test_missing_no_create(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/none.db", dir);
	struct store *st;
	char *cause;
	struct stat sb;

	(void)state;
	assert_int_equal(open_store(path, 0, NULL, &st, &cause), STORE_CANTOPEN);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	assert_int_not_equal(stat(path, &sb), 0);	/* not created */
	free(cause);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_not_regular(void **state)
{
	char *dir = testlib_tmpdir();
	struct store *st;
	char *cause;

	char *sub = xasprintf("%s/sub", dir);

	(void)state;
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(open_store(sub, 1, NULL, &st, &cause), STORE_CANTOPEN);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	rmdir(sub);
	free(sub);
	testlib_rmdir(dir);
	free(dir);
}

/*
 * A database in a folder anyone may write, one writable by anyone, and
 * one reached through a symbolic link are refused (STORE_UNSAFE), and
 * none of them is changed; installed, a folder or file of another group
 * is refused too.
 */
static void
test_unsafe_places(void **state)
{
	char *dir = testlib_tmpdir();
	char *pub = xasprintf("%s/pub", dir), *db = xasprintf("%s/f.db", dir);
	char *pubdb = xasprintf("%s/pub/f.db", dir);
	char *link = xasprintf("%s/link.db", dir), *cause;
	struct store_open_opts o = { .busy_timeout_ms = 2000, .create = 1 };
	struct store *st;
	struct stat sb;

	(void)state;
	assert_int_equal(open_store(db, 1, NULL, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(stat(db, &sb), 0);

	/* A folder writable by everyone: not even created there. */
	assert_int_equal(mkdir(pub, 0700), 0);
	assert_int_equal(chmod(pub, 0777), 0);
	assert_int_equal(store_open(pubdb, &o, &st, &cause), STORE_UNSAFE);
	assert_null(st);
	assert_non_null(strstr(cause, "writable by everyone"));
	free(cause);
	assert_int_equal(access(pubdb, F_OK), -1);

	/* The file writable by everyone. */
	assert_int_equal(chmod(db, 0602), 0);
	assert_int_equal(store_open(db, &o, &st, &cause), STORE_UNSAFE);
	assert_non_null(strstr(cause, "writable by everyone"));
	free(cause);
	assert_int_equal(chmod(db, 0600), 0);

	/* Through a link, whatever it points at. */
	assert_int_equal(symlink(db, link), 0);
	assert_int_equal(store_open(link, &o, &st, &cause), STORE_UNSAFE);
	assert_non_null(strstr(cause, "symbolic link"));
	free(cause);

	/* Installed for another group than the file's. */
	o.installed = 1;
	o.gid = (unsigned)sb.st_gid + 1;
	assert_int_equal(store_open(db, &o, &st, &cause), STORE_UNSAFE);
	assert_non_null(strstr(cause, "group as installed"));
	free(cause);
	o.gid = (unsigned)sb.st_gid;
	assert_int_equal(store_open(db, &o, &st, &cause), STORE_OK);
	store_close(st);

	unlink(link);
	rmdir(pub);
	free(pub);
	free(pubdb);
	free(db);
	free(link);
	testlib_rmdir(dir);
	free(dir);
}

/* A backup into a descriptor is a database of its own, equal to the
 * original, that opens without WAL files. */
static void
test_backup_fd(void **state)
{
	struct testlib tl, *t = &tl;
	char *bak, *cause;
	struct store_open_opts o = { .busy_timeout_ms = 2000 };
	struct store *st;
	struct branch b;
	int fd, version;

	(void)state;
	testlib_open(t, NULL);
	bak = xasprintf("%s/copy.db", t->dir);
	memset(&b, 0, sizeof(b));
	snprintf(b.code, sizeof(b.code), "ZC01");
	snprintf(b.name, sizeof(b.name), "诸城分公司");
	snprintf(b.created_at, sizeof(b.created_at), "2026-01-01T00:00:00+00:00");
	assert_int_equal(store_begin(t->ff->st), STORE_OK);
	assert_int_equal(store_branch_add(t->ff->st, &b), STORE_OK);
	assert_int_equal(store_commit(t->ff->st), STORE_OK);
	fd = open(bak, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(store_backup_fd(t->ff->st, fd), STORE_OK);
	close(fd);
	assert_int_equal(store_open(bak, &o, &st, &cause), STORE_OK);
	assert_int_equal(store_schema_version(st, &version), STORE_OK);
	assert_int_equal(version, STORE_SCHEMA_VERSION);
	memset(&b, 0, sizeof(b));
	assert_int_equal(store_branch_get(st, "ZC01", &b), STORE_OK);
	assert_string_equal(b.name, "诸城分公司");
	store_close(st);
	free(bak);
	testlib_close(t);
}

static void
test_not_a_database(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/notes.txt", dir);
	char text[8192], *after;
	struct release rel;
	struct store *st;
	char *cause;
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "These are not the droids you are looking for.\n"[i % 46];
	testlib_write_file(path, text, sizeof(text));
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_CORRUPT);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, path));
	free(cause);
	after = read_file(path, &len);
	assert_int_equal(len, sizeof(text));
	assert_memory_equal(after, text, sizeof(text));
	free(after);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_new_file(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/new.db", dir);
	struct release rel, *list = NULL;
	struct store *st;
	char *cause, *mode;
	size_t n = 0;
	int v = -1;

	(void)state;
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_OK);
	assert_non_null(st);
	assert_null(cause);
	assert_int_equal(store_schema_version(st, &v), STORE_OK);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	assert_int_equal(STORE_SCHEMA_VERSION, 5);
	assert_int_equal(store_release_list(st, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].version, "1.0.0");
	assert_string_equal(list[0].git_commit, "abc123");
	assert_int_equal(list[0].schema_version, STORE_SCHEMA_VERSION);
	assert_string_equal(list[0].host, "testhost");
	assert_string_equal(list[0].os_user, "tester");
	free(list);
	store_close(st);

	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	/* STRICT tables throughout */
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
	    "AND sql NOT LIKE '%) STRICT'"), 0);
	mode = testlib_sql_text(path, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	/* No backup of a new, empty database. */
	assert_null(find_backup(dir, "new.db.bak"));
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_new_file_mode(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/mode.db", dir);
	char *wal = xasprintf("%s-wal", path);
	struct release rel;
	struct store *st;
	struct stat sb;
	char *cause;
	mode_t old = umask(0);	/* the store must not rely on the umask */

	(void)state;
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_OK);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	if (stat(wal, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
	store_close(st);
	free(wal);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_wal_and_foreign_keys(void **state)
{
	struct testlib *t = *state;
	struct income in;
	char *mode;

	mode = testlib_sql_text(t->path, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);

	/* An income of a branch that does not exist: only a foreign key
	 * can refuse it. */
	memset(&in, 0, sizeof(in));
	in.branch_id = 999;
	in.buss_type = 1;
	snprintf(in.ref_id, sizeof(in.ref_id), "X");
	snprintf(in.ikey, sizeof(in.ikey), "R:X");
	in.amount = 100;
	in.withdrawable = 1;
	snprintf(in.received_at, sizeof(in.received_at), "2026-01-02T03:04:05+00:00");
	assert_int_equal(store_begin(t->ff->st), STORE_OK);
	assert_int_equal(store_income_add(t->ff->st, &in), STORE_CONSTRAINT);
	store_rollback(t->ff->st);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM income"), 0);
}

/* A writer holding the lock: store_begin waits busy_timeout, then says
 * busy, and nothing is changed. */
static void
test_busy(void **state)
{
	struct testlib *t = *state;
	struct store_open_opts o = { .busy_timeout_ms = 300 };
	struct store *st = NULL;
	struct timespec a, b;
	sqlite3 *db = NULL;
	char *cause = NULL;
	double ms;

	assert_int_equal(store_open(t->path, &o, &st, &cause), STORE_OK);
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(store_begin(st), STORE_BUSY);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (double)(b.tv_sec - a.tv_sec) * 1000 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	assert_true(ms >= 250);
	assert_true(ms < 5000);
	/* Readers go on meanwhile (WAL). */
	assert_int_equal(store_begin_read(st), STORE_OK);
	store_rollback(st);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	assert_int_equal(store_begin(st), STORE_OK);
	store_rollback(st);
	store_close(st);
}

static void
test_newer_schema(void **state)
{
	struct testlib *t = *state;
	struct release rel;
	struct store *st;
	char *cause, *before, *after;
	size_t blen, alen;

	ff_close(t->ff);
	t->ff = NULL;
	testlib_sql_ok(t->path, "PRAGMA user_version = 99");
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "release_record"), 1);
	before = read_file(t->path, &blen);

	release_of(&rel, "9.9.9-new");
	assert_int_equal(open_store(t->path, 0, &rel, &st, &cause), STORE_NEWER);
	assert_null(st);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "99"));
	free(cause);
	/* create = 1 changes nothing either. */
	assert_int_equal(open_store(t->path, 1, &rel, &st, &cause), STORE_NEWER);
	assert_null(st);
	free(cause);

	after = read_file(t->path, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	assert_int_equal(testlib_sql_int(t->path, "PRAGMA user_version"), 99);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "release_record"), 1);
	assert_null(find_backup(t->dir, "ff.db.bak"));
	free(before);
	free(after);

	/* ff_open says so too, as an unusable database. */
	{
		struct ff *ff = (struct ff *)1;
		struct ff_err err = { 0 };

		assert_int_equal(ff_open(t->cfg, t->path, 0, &ff, &err), FF_SCHEMA);
		assert_null(ff);
		assert_non_null(strstr(err.msg, "newer"));
	}
}

static void
test_empty_file_no_backup(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/empty.db", dir);
	struct release rel;
	struct store *st;
	char *cause;

	(void)state;
	testlib_write_file(path, "", 0);
	release_of(&rel, "1.0.0");
	/* Only init and demo (create) make an empty file a database. */
	st = (struct store *)1;
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_CANTOPEN);
	assert_null(st);
	assert_non_null(strstr(cause, "not a fundflow database"));
	free(cause);
	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_null(find_backup(dir, "empty.db.bak"));
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_v1_backed_up(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/old.db", dir);
	struct release rel;
	struct store *st;
	char *cause, *bak, *name;

	(void)state;
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_OK);
	store_close(st);
	/* Make it the database a version-1 fundflow left: without what
	 * migrations 2 and 4 add, and with data in it. */
	testlib_sql_ok(path, UNDO_V4);
	testlib_sql_ok(path, "DROP INDEX conflict_by_income; "
	    "INSERT INTO branch (code, name, created_at) VALUES ('B1', 'One', 't'); "
	    "PRAGMA user_version = 1;");
	release_of(&rel, "2.0.0");
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	store_close(st);

	bak = find_backup(dir, "old.db.bak-v1-");
	if (bak == NULL)
		fail_msg("no old.db.bak-v1-* beside the migrated database");
	/* The backup is the database as it was: version 1, its data, none
	 * of the new index. */
	assert_int_equal(testlib_sql_int(bak, "PRAGMA user_version"), 1);
	assert_int_equal(testlib_sql_int(bak, "SELECT COUNT(*) FROM branch"), 1);
	assert_int_equal(testlib_sql_int(bak, "SELECT COUNT(*) FROM sqlite_master "
	    "WHERE name = 'conflict_by_income'"), 0);
	name = strrchr(bak, '/') + 1;
	assert_true(strlen(name) > strlen("old.db.bak-v1-"));
	/* The database itself is migrated, its data kept, the new version
	 * recorded. */
	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM branch"), 1);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM sqlite_master "
	    "WHERE name = 'conflict_by_income'"), 1);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "release_record"), 2);
	/* Opening again neither migrates nor backs up again. */
	free(bak);
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	store_close(st);
	{
		DIR *d = opendir(dir);
		struct dirent *e;
		int n = 0;

		while ((e = readdir(d)) != NULL)
			if (strstr(e->d_name, ".bak-") != NULL)
				n++;
		closedir(d);
		assert_int_equal(n, 1);
	}
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

/* Another program's SQLite database is never converted. */
static void
test_foreign_db_refused(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/other.db", dir);
	struct release rel;
	struct store *st = (struct store *)1;
	char *cause = NULL;

	(void)state;
	testlib_write_file(path, "", 0);
	testlib_sql_ok(path, "CREATE TABLE notes (x INTEGER); "
	    "INSERT INTO notes VALUES (7);");
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_CORRUPT);
	assert_null(st);
	assert_non_null(strstr(cause, "not fundflow"));
	free(cause);
	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM sqlite_master"),
	    1);
	assert_null(find_backup(dir, "other.db.bak"));
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

/* A migration that cannot complete leaves the database as it was. */
static void
test_failed_migration_changes_nothing(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/clash.db", dir);
	struct release rel;
	struct store *st;
	char *cause;

	(void)state;
	testlib_write_file(path, "", 0);
	/* A table named like one of the schema's makes migration 1 fail. */
	testlib_sql_ok(path, "CREATE TABLE ledger (x INTEGER); "
	    "INSERT INTO ledger VALUES (7);");
	release_of(&rel, "1.0.0");
	assert_int_not_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	assert_null(st);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(testlib_sql_int(path, "PRAGMA user_version"), 0);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "sqlite_master WHERE name IN ('branch', 'account', 'income', "
	    "'release_record')"), 0);
	assert_int_equal(testlib_sql_int(path, "SELECT x FROM ledger"), 7);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_release_once_per_version(void **state)
{
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/rel.db", dir);
	struct release rel, *list = NULL;
	struct store *st;
	char *cause;
	size_t n = 0;

	(void)state;
	release_of(&rel, "1.0.0");
	assert_int_equal(open_store(path, 1, &rel, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "release_record"), 1);
	/* Without a release nothing is recorded. */
	assert_int_equal(open_store(path, 0, NULL, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "release_record"), 1);
	/* A new version: one more, once. */
	release_of(&rel, "1.1.0");
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	assert_int_equal(store_release_list(st, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].version, "1.0.0");
	assert_string_equal(list[1].version, "1.1.0");
	free(list);
	store_close(st);
	/* The same version from another commit is another release. */
	snprintf(rel.git_commit, sizeof(rel.git_commit), "def456");
	assert_int_equal(open_store(path, 0, &rel, &st, &cause), STORE_OK);
	store_close(st);
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "release_record"), 3);
	/* Through the model too: ff_open records its own version once. */
	{
		struct config *cfg = config_defaults();
		struct ff *ff = NULL;
		struct ff_err err = { 0 };

		for (int i = 0; i < 2; i++) {
			assert_int_equal(ff_open(cfg, path, 0, &ff, &err), FF_OK);
			ff_close(ff);
		}
		config_free(cfg);
	}
	assert_int_equal(testlib_sql_int(path, "SELECT COUNT(*) FROM "
	    "release_record"), 4);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

/*
 * Admin (operator 1), branches A (1) and B (2), operator "rev" (2), one
 * applied income (income 1, entry 1: A seq 1, 0 + 100.00 = 100.00), one
 * kept conflict, one income without an entry yet (income 2, A, 3.00), and
 * two pending applications of A by the admin (1: 5.00, 2: 6.00).
 */
static void
guarded_world(struct testlib *t)
{
	testlib_admin(t);
	testlib_branch(t, "A");
	testlib_branch(t, "B");
	assert_int_equal(testlib_ingest(t->ff, "e1", "A", 1, "R1", 10000, NULL),
	    INGEST_APPLIED);
	assert_int_equal(testlib_ingest(t->ff, "e2", "A", 1, "R1", 20000, NULL),
	    INGEST_CONFLICT);
	testlib_sql_ok(t->path,
	    "INSERT INTO operator (login, role, pwhash, created_at) "
	    "  VALUES ('rev', 'reviewer', 'x', 't');"
	    "INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, "
	    "  withdrawable, received_at) VALUES (1, 1, 'R2', 'R:R2', 300, 1, 't');"
	    "INSERT INTO withdrawal (branch_id, amount, applicant_id, applied_at, "
	    "  flow) VALUES (1, 500, 1, 't', 2), (1, 600, 1, 't', 2);");
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM "
	    "income_conflict"), 1);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM ledger"), 1);
}

/* What the guarded world holds, beyond the money fingerprint. */
static char *
everything(const char *path)
{
	char *fp = testlib_fingerprint(path), *rest, *all;

	rest = testlib_sql_text(path,
	    "SELECT (SELECT COUNT(*) FROM activity) || ' ' ||"
	    " (SELECT group_concat(ok || detail) FROM activity) || ' ' ||"
	    " (SELECT COUNT(*) FROM release_record) || ' ' ||"
	    " (SELECT group_concat(host) FROM release_record) || ' ' ||"
	    " (SELECT COUNT(*) FROM income_conflict) || ' ' ||"
	    " (SELECT group_concat(amount) FROM income_conflict) || ' ' ||"
	    " (SELECT group_concat(id || code) FROM branch) || ' ' ||"
	    " (SELECT group_concat(id || login || role || active) FROM operator)"
	    " || ' ' || (SELECT group_concat(id || status || amount || reason) "
	    "   FROM withdrawal)");
	all = xasprintf("%s | %s", fp, rest);
	free(fp);
	free(rest);
	return all;
}

/* sql is refused with a message containing want, and nothing changed. */
static void
expect_refused(struct testlib *t, const char *sql, const char *want)
{
	char *before = everything(t->path), *after;

	testlib_sql_refused(t->path, sql, want);
	after = everything(t->path);
	if (strcmp(before, after) != 0)
		fail_msg("%s changed the database:\n before %s\n after  %s", sql,
		    before, after);
	free(before);
	free(after);
}

static void
test_append_only(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	expect_refused(t, "UPDATE income SET amount = 1", "incomes are append-only");
	expect_refused(t, "UPDATE income SET ref_id = ref_id", "append-only");
	expect_refused(t, "DELETE FROM income WHERE id = 2",
	    "incomes are append-only");
	expect_refused(t, "UPDATE ledger SET amount = 99999, post_amount = 99999",
	    "ledger entries are append-only");
	expect_refused(t, "UPDATE ledger SET hash = zeroblob(32)",
	    "ledger entries are append-only");
	expect_refused(t, "DELETE FROM ledger", "ledger entries are append-only");
	expect_refused(t, "UPDATE activity SET ok = 1 - ok",
	    "activity is append-only");
	expect_refused(t, "DELETE FROM activity", "activity is append-only");
	expect_refused(t, "UPDATE release_record SET host = 'elsewhere'",
	    "the release record is append-only");
	expect_refused(t, "DELETE FROM release_record",
	    "the release record is append-only");
	expect_refused(t, "UPDATE income_conflict SET amount = 1",
	    "kept conflicts are append-only");
	expect_refused(t, "DELETE FROM income_conflict",
	    "kept conflicts are append-only");
}

/*
 * INSERT OR REPLACE deletes the row it replaces without firing the DELETE
 * triggers (SQLite fires them for REPLACE only with recursive_triggers,
 * a setting of the connection, which a hand-typed sqlite3 session does
 * not have): the append-only tables must refuse it some other way.
 */
static void
test_replace_is_refused(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	/* income 1 rewritten with another amount, by id and by key */
	expect_refused(t, "REPLACE INTO income (id, branch_id, buss_type, ref_id, "
	    "ikey, amount, withdrawable, received_at) VALUES (1, 1, 1, 'R1', "
	    "'R:R1', 1, 1, 't')", "append-only");
	expect_refused(t, "INSERT OR REPLACE INTO income (branch_id, buss_type, "
	    "ref_id, ikey, amount, withdrawable, received_at) VALUES (2, 1, 'R1', "
	    "'R:R1', 1, 1, 't')", "append-only");
	/* entry 1 replaced by an entry that passes the chain trigger */
	expect_refused(t, "REPLACE INTO ledger (id, account_id, seq, kind, "
	    "income_id, pre_amount, amount, post_amount, at, actor, hash) VALUES "
	    "(1, 1, 2, 'income', 2, 10000, 300, 10300, 't', 'x', randomblob(32))",
	    "append-only");
	expect_refused(t, "REPLACE INTO activity (id, at, actor, action, ok) "
	    "VALUES (1, 't', 'nobody', 'nothing', 1)", "append-only");
	expect_refused(t, "REPLACE INTO release_record (id, version, "
	    "schema_version, at, host, os_user) VALUES (1, '0', 1, 't', 'h', 'u')",
	    "append-only");
	expect_refused(t, "REPLACE INTO income_conflict (id, income_id, branch_id, "
	    "buss_type, ref_id, amount, received_at) VALUES (1, 1, 1, 1, 'R1', 1, "
	    "'t')", "append-only");
	expect_refused(t, "REPLACE INTO withdrawal (id, branch_id, amount, "
	    "applicant_id, applied_at, flow) VALUES (1, 1, 1, 1, 't', 2)", "");
}

#define LEDGER_INSERT(seq, kind, inc, wd, pre, amt, post, acct) \
	"INSERT INTO ledger (account_id, seq, kind, income_id, withdrawal_id, " \
	"pre_amount, amount, post_amount, at, actor, hash) VALUES (" acct ", " \
	seq ", '" kind "', " inc ", " wd ", " pre ", " amt ", " post ", 't', " \
	"'x', randomblob(32))"

static void
test_ledger_insert_guards(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	/* The control: the one right entry for income 2 is accepted. */
	testlib_sql_ok(t->path, "BEGIN; "
	    LEDGER_INSERT("2", "income", "2", "NULL", "10000", "300", "10300", "1")
	    "; ROLLBACK;");

	/* seq: a gap, a repeat, a restart */
	expect_refused(t, LEDGER_INSERT("3", "income", "2", "NULL", "10000",
	    "300", "10300", "1"), "does not continue its account's chain");
	expect_refused(t, LEDGER_INSERT("1", "income", "2", "NULL", "10000",
	    "300", "10300", "1"), "does not continue its account's chain");
	expect_refused(t, LEDGER_INSERT("0", "income", "2", "NULL", "10000",
	    "300", "10300", "1"), "");
	/* pre_amount is not the previous post_amount */
	expect_refused(t, LEDGER_INSERT("2", "income", "2", "NULL", "9999",
	    "300", "10299", "1"), "does not continue its account's chain");
	expect_refused(t, LEDGER_INSERT("2", "income", "2", "NULL", "0",
	    "300", "300", "1"), "does not continue its account's chain");
	/* post is not pre + amount */
	expect_refused(t, LEDGER_INSERT("2", "income", "2", "NULL", "10000",
	    "300", "10301", "1"), "CHECK constraint failed");
	expect_refused(t, LEDGER_INSERT("2", "income", "2", "NULL", "10000",
	    "300", "10000", "1"), "CHECK constraint failed");
	/* the source does not match: amount, branch, no such income */
	expect_refused(t, LEDGER_INSERT("2", "income", "2", "NULL", "10000",
	    "301", "10301", "1"), "does not match its income");
	expect_refused(t, LEDGER_INSERT("1", "income", "2", "NULL", "0",
	    "300", "300", "2"), "does not match its income");
	expect_refused(t, LEDGER_INSERT("2", "income", "99", "NULL", "10000",
	    "300", "10300", "1"), "does not match its income");
	/* a second entry for income 1 (the no-overwrite guard refuses it
	 * before the unique index would) */
	expect_refused(t, LEDGER_INSERT("2", "income", "1", "NULL", "10000",
	    "10000", "20000", "1"), "ledger entries are append-only");
	/* kind and source disagree */
	expect_refused(t, LEDGER_INSERT("2", "withdrawal", "2", "NULL", "10000",
	    "300", "10300", "1"), "");
	/* a withdrawal entry whose amount is not its application's */
	expect_refused(t, LEDGER_INSERT("2", "withdrawal", "NULL", "1", "10000",
	    "-501", "9499", "1"), "does not match a pending application");
	/* ... of another branch */
	expect_refused(t, LEDGER_INSERT("1", "withdrawal", "NULL", "1", "0",
	    "-500", "-500", "2"), "does not match a pending application");
	/* ... of an application that is not pending */
	testlib_sql_ok(t->path, "UPDATE withdrawal SET status = 'cancelled', "
	    "decided_by = 1, decided_at = 't' WHERE id = 2");
	expect_refused(t, LEDGER_INSERT("2", "withdrawal", "NULL", "2", "10000",
	    "-600", "9400", "1"), "does not match a pending application");
	/* a debit of a positive amount */
	expect_refused(t, LEDGER_INSERT("2", "withdrawal", "NULL", "1", "10000",
	    "500", "10500", "1"), "");
	/* a hash that is not 32 bytes */
	expect_refused(t, "INSERT INTO ledger (account_id, seq, kind, income_id, "
	    "pre_amount, amount, post_amount, at, actor, hash) VALUES (1, 2, "
	    "'income', 2, 10000, 300, 10300, 't', 'x', randomblob(31))",
	    "CHECK constraint failed");
}

static void
test_account_guards(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	expect_refused(t, "UPDATE account SET balance = 10001 WHERE branch_id = 1",
	    "account balance must equal its newest ledger entry");
	expect_refused(t, "UPDATE account SET balance = 5 WHERE branch_id = 2",
	    "account balance must equal its newest ledger entry");
	expect_refused(t, "UPDATE account SET branch_id = 3 WHERE branch_id = 2",
	    "");
	expect_refused(t, "UPDATE account SET withdrawable = 10001 "
	    "WHERE branch_id = 1", "CHECK constraint failed");
	expect_refused(t, "UPDATE account SET withdrawable = -1 "
	    "WHERE branch_id = 1", "CHECK constraint failed");
	expect_refused(t, "UPDATE account SET total_withdrawn = -1 "
	    "WHERE branch_id = 1", "CHECK constraint failed");
	expect_refused(t, "DELETE FROM account WHERE branch_id = 2",
	    "accounts are never removed");
	testlib_sql_ok(t->path, "INSERT INTO branch (code, name, created_at) "
	    "VALUES ('C', 'C', 't')");
	expect_refused(t, "INSERT INTO account (branch_id, balance) VALUES (3, 5)",
	    "an account starts at zero");
}

static void
test_withdrawal_guards(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	/* Approved without its ledger entry. */
	expect_refused(t, "UPDATE withdrawal SET status = 'approved', "
	    "decided_by = 2, decided_at = 't' WHERE id = 1",
	    "an approved application needs its ledger entry");
	/* Only the decision changes. */
	expect_refused(t, "UPDATE withdrawal SET amount = 1 WHERE id = 1",
	    "only the decision of an application changes");
	expect_refused(t, "UPDATE withdrawal SET flow = 1 WHERE id = 1",
	    "only the decision of an application changes");
	/* Rejected needs a reason. */
	expect_refused(t, "UPDATE withdrawal SET status = 'rejected', "
	    "decided_by = 2, decided_at = 't', reason = '  ' WHERE id = 1",
	    "CHECK constraint failed");
	/* Born pending. */
	expect_refused(t, "INSERT INTO withdrawal (branch_id, amount, "
	    "applicant_id, applied_at, flow, status, decided_by, decided_at) "
	    "VALUES (1, 5, 1, 't', 2, 'cancelled', 1, 't')",
	    "an application starts pending");
	expect_refused(t, "INSERT INTO withdrawal (branch_id, amount, "
	    "applicant_id, applied_at, flow) VALUES (1, 0, 1, 't', 2)",
	    "CHECK constraint failed");
	expect_refused(t, "DELETE FROM withdrawal WHERE id = 2",
	    "applications are never removed");

	/* Decided once ... */
	testlib_sql_ok(t->path, "UPDATE withdrawal SET status = 'rejected', "
	    "decided_by = 2, decided_at = 't', reason = 'no' WHERE id = 1");
	/* ... and never again. */
	expect_refused(t, "UPDATE withdrawal SET status = 'cancelled', "
	    "decided_by = 1, decided_at = 't2', reason = '' WHERE id = 1",
	    "a decided application is final");
	expect_refused(t, "UPDATE withdrawal SET status = 'pending', "
	    "decided_by = NULL, decided_at = NULL WHERE id = 1",
	    "a decided application is final");
	expect_refused(t, "UPDATE withdrawal SET reason = 'other' WHERE id = 1",
	    "a decided application is final");
}

static void
test_unique_income_key(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	expect_refused(t, "INSERT INTO income (branch_id, buss_type, ref_id, "
	    "ikey, amount, withdrawable, received_at) VALUES (1, 1, 'R1', "
	    "'R:R1', 10000, 1, 't2')", "incomes are append-only");
	/* same key from another branch and event */
	expect_refused(t, "INSERT INTO income (branch_id, buss_type, ref_id, "
	    "event_id, ikey, amount, withdrawable, received_at) VALUES (2, 1, "
	    "'R1', 'other', 'R:R1', 5, 1, 't2')", "incomes are append-only");
	/* a key that is neither the reference nor the event id */
	expect_refused(t, "INSERT INTO income (branch_id, buss_type, ref_id, "
	    "event_id, ikey, amount, withdrawable, received_at) VALUES (1, 1, "
	    "'R9', 'E9', 'R:R10', 5, 1, 't2')", "CHECK constraint failed");
	expect_refused(t, "INSERT INTO income (branch_id, buss_type, ref_id, "
	    "ikey, amount, withdrawable, received_at) VALUES (1, 1, 'R9', "
	    "'R:R9', 0, 1, 't2')", "CHECK constraint failed");
	/* the same reference under another type is another key */
	testlib_sql_ok(t->path, "BEGIN; INSERT INTO income (branch_id, buss_type, "
	    "ref_id, ikey, amount, withdrawable, received_at) VALUES (1, 2, "
	    "'R1', 'R:R1', 5, 1, 't2'); ROLLBACK;");
}

static void
test_fixed_records(void **state)
{
	struct testlib *t = *state;

	guarded_world(t);
	expect_refused(t, "DELETE FROM branch WHERE id = 2",
	    "branches are never removed");
	expect_refused(t, "UPDATE branch SET code = 'Z' WHERE id = 2",
	    "a branch's code is fixed");
	expect_refused(t, "DELETE FROM operator WHERE id = 2",
	    "operators are disabled, never removed");
	expect_refused(t, "UPDATE operator SET role = 'admin' WHERE id = 2",
	    "an operator's login and role are fixed");
	expect_refused(t, "UPDATE operator SET login = 'root' WHERE id = 2",
	    "an operator's login and role are fixed");
	expect_refused(t, "INSERT INTO operator (login, role, pwhash, created_at) "
	    "VALUES ('s', 'staff', 'x', 't')", "CHECK constraint failed");
	expect_refused(t, "INSERT INTO operator (login, role, branch_id, pwhash, "
	    "created_at) VALUES ('r', 'reviewer', 1, 'x', 't')",
	    "CHECK constraint failed");
	expect_refused(t, "INSERT INTO operator (login, role, pwhash, created_at) "
	    "VALUES ('g', 'god', 'x', 't')", "CHECK constraint failed");
	/* A branch's name may change; an operator may be disabled. */
	testlib_sql_ok(t->path, "BEGIN; UPDATE branch SET name = 'Renamed' "
	    "WHERE id = 2; UPDATE operator SET active = 0 WHERE id = 2; ROLLBACK;");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_null),
		cmocka_unit_test(test_missing_no_create),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_unsafe_places),
		cmocka_unit_test(test_backup_fd),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_new_file),
		cmocka_unit_test(test_new_file_mode),
		cmocka_unit_test_setup_teardown(test_wal_and_foreign_keys,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_busy, testlib_setup,
		    testlib_teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema, testlib_setup,
		    testlib_teardown),
		cmocka_unit_test(test_empty_file_no_backup),
		cmocka_unit_test(test_v1_backed_up),
		cmocka_unit_test(test_foreign_db_refused),
		cmocka_unit_test(test_failed_migration_changes_nothing),
		cmocka_unit_test(test_release_once_per_version),
		cmocka_unit_test_setup_teardown(test_append_only, testlib_setup,
		    testlib_teardown),
		cmocka_unit_test_setup_teardown(test_replace_is_refused,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_insert_guards,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_account_guards,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_withdrawal_guards,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_unique_income_key,
		    testlib_setup, testlib_teardown),
		cmocka_unit_test_setup_teardown(test_fixed_records,
		    testlib_setup, testlib_teardown),
	};

	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
