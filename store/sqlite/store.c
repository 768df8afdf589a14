/*
 * store.c — opening, migrating and closing the database, transactions,
 * backups, the release record, and the error boundary where SQLite's codes
 * become store_rc.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "queue.h"
#include "store/xmalloc.h"

static int sq_configure(struct sq_store *st, const struct store_open_opts *o);
static int sq_migrate(struct sq_store *st, int installed,
    int (*rehash)(struct store *, char **), char **cause);
static int sq_precheck(struct sq_store *st, int create, char **cause);
static void sq_busy_sentence(struct sq_store *, const struct queue_blocker *);
static int sq_record_release(struct sq_store *st, const struct release *r);
static int sq_has_tables(struct sq_store *st, int *out);
static int sq_backup_to(struct sq_store *st, const char *path);
static int sq_create_file(const char *path, int group_rw);
static int sq_check_place(const char *path, const struct store_open_opts *o,
    struct stat *file, char **cause);
static void sq_read_int64(sqlite3_stmt *s, void *row);
static int sq_collect_row(void *arg, sqlite3_stmt *s);
static int sq_backup_page(void *arg, sqlite3_stmt *s);

/* The growing array sq_collect's walk fills. */
struct sq_collect_walk {
	sq_row_reader rd;
	size_t rowsz;
	char *v;
	size_t len, cap;
};

/* Where sq_backup_fd's walk writes its pages. */
struct sq_backup_walk {
	int fd;
	int err;			/* errno of the failed write, or 0 */
};

const char *
sq_errmsg(const struct sq_store *st)
{
	return st ? st->errmsg : "no database";
}

const char *
sq_path(const struct sq_store *st)
{
	return st && st->path ? st->path : "";
}

void
sq_set_actor(struct sq_store *st, const char *who)
{
	if (st != NULL)
		queue_set_label(st->queue, who);
}

int
sq_take_holder(struct sq_store *st, struct store_holder *out)
{
	struct queue_blocker b;
	int n;

	if (st == NULL || !queue_take_note(st->queue, &b, &n))
		return 0;
	memset(out, 0, sizeof(*out));
	out->pid = b.pid;
	snprintf(out->who, sizeof(out->who), "%s", b.label);
	out->stopped = b.stopped;
	out->in_tx = b.in_tx;
	out->waited_ms = b.waited_ms;
	out->gave_up = n;
	return 1;
}

int
sq_fail(struct sq_store *st, int rc)
{
	int prim = rc & 0xff;

	snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(st->db));
	switch (prim) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		return STORE_CONSTRAINT;
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return STORE_IOERR;
	case SQLITE_NOMEM:
		return STORE_NOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return STORE_CORRUPT;
	case SQLITE_CANTOPEN:
		return STORE_CANTOPEN;
	case SQLITE_READONLY:
	case SQLITE_PERM:
		return STORE_READONLY;
	default:
		return STORE_ERROR;
	}
}

sqlite3_stmt *
sq_stmt(struct sq_store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];
	int rc;

	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	rc = sqlite3_prepare_v3(st->db, sq_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &s, NULL);
	if (rc != SQLITE_OK) {
		sq_fail(st, rc);
		sqlite3_finalize(s);
		return NULL;
	}
	st->stmt[id] = s;
	return s;
}

int
sq_exec_stmt(struct sq_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return STORE_OK;
	}
	rc = sq_fail(st, rc);
	sqlite3_reset(s);
	return rc;
}

/* The first column of a one-row statement as an integer. */
static void
sq_read_int64(sqlite3_stmt *s, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(s, 0);
}

int
sq_int64(struct sq_store *st, enum stmt_id id, int64_t *out)
{
	sqlite3_stmt *s = sq_stmt(st, id);

	*out = 0;
	if (s == NULL)
		return STORE_ERROR;
	return sq_one(st, s, sq_read_int64, out);
}

int
sq_add_rows(struct sq_store *st, enum stmt_id one, enum stmt_id many,
    const void *rows, size_t sz, size_t n, sq_row_binder bind)
{
	const char *row = rows;

	while (n > 0) {
		int k = n >= STORE_ROWS ? STORE_ROWS : 1, rc;
		sqlite3_stmt *s = sq_stmt(st, k == 1 ? one : many);

		if (s == NULL)
			return STORE_ERROR;
		for (int i = 0; i < k; i++)
			bind(s, i, row + (size_t)i * sz);
		if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
			return rc;
		row += (size_t)k * sz;
		n -= (size_t)k;
	}
	return STORE_OK;
}

void
sq_col_text(sqlite3_stmt *s, int i, char *buf, size_t bufsz)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n;

	if (t == NULL) {
		buf[0] = '\0';
		return;
	}
	n = (size_t)sqlite3_column_bytes(s, i);
	if (n >= bufsz) {
		n = bufsz - 1;
		/* Do not leave half a UTF-8 sequence at the cut. */
		while (n > 0 && (t[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, t, n);
	buf[n] = '\0';
}

void
sq_col_hash(sqlite3_stmt *s, int i, uint8_t out[FF_HASH_LEN])
{
	const void *h = sqlite3_column_blob(s, i);

	if (h != NULL && sqlite3_column_bytes(s, i) == FF_HASH_LEN)
		memcpy(out, h, FF_HASH_LEN);
	else
		memset(out, 0, FF_HASH_LEN);
}

int
sq_each(struct sq_store *st, sqlite3_stmt *s, sq_each_cb row, void *arg)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row(arg, s) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : sq_fail(st, rc);
	sqlite3_reset(s);
	return rc;
}

/* Appends the row to the array; never stops the walk. */
static int
sq_collect_row(void *arg, sqlite3_stmt *s)
{
	struct sq_collect_walk *w = arg;

	if (w->len == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->v = xreallocarray(w->v, w->cap, w->rowsz);
	}
	w->rd(s, w->v + w->len++ * w->rowsz);
	return 0;
}

int
sq_collect(struct sq_store *st, sqlite3_stmt *s, size_t rowsz,
    sq_row_reader rd, void **out, size_t *n)
{
	struct sq_collect_walk w = { .rd = rd, .rowsz = rowsz };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = sq_each(st, s, sq_collect_row, &w)) != STORE_OK) {
		free(w.v);
		return rc;
	}
	*out = w.v;
	*n = w.len;
	return STORE_OK;
}

int
sq_one(struct sq_store *st, sqlite3_stmt *s, sq_row_reader rd, void *out)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		rd(s, out);
		rc = STORE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = STORE_NOTFOUND;
	} else {
		rc = sq_fail(st, rc);
	}
	sqlite3_reset(s);
	return rc;
}

int
sq_bind_text(sqlite3_stmt *s, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(s, i);
	/* SQLITE_STATIC: no copy, so binding cannot run out of memory and
	 * leave a parameter NULL.  Every caller's text outlives the step,
	 * and sq_stmt() clears the bindings before a statement is used
	 * again. */
	return sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

/* Creates path with the right mode before SQLite does, so that neither the
 * database nor (SQLite copies the mode) its WAL is ever world-readable.
 * Never through a link, never over a file that exists (-1, errno EEXIST). */
static int
sq_create_file(const char *path, int group_rw)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    group_rw ? 0660 : 0600);

	if (fd < 0)
		return -1;
	/* The umask may have taken bits away; set exactly what was asked. */
	fchmod(fd, group_rw ? 0660 : 0600);
	close(fd);
	return 0;
}

/*
 * The folder of path and the file itself, looked at on descriptors: the
 * file is opened here without following a link, and what is checked is
 * what was opened.  Neither may be writable by others (anyone could then
 * plant a WAL or replace the file); installed, both must belong to the
 * service group.  Returns STORE_OK (and the file's status in *file),
 * STORE_CANTOPEN when path does not exist (errno ENOENT), or
 * STORE_UNSAFE / STORE_CANTOPEN with *cause.
 */
static int
sq_check_place(const char *path, const struct store_open_opts *o,
    struct stat *file, char **cause)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xasprintf("%.*s", (int)(slash - path), path);
	struct stat ds;
	int fd, rc = STORE_OK;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &ds) != 0) {
		*cause = xasprintf("%s: cannot open its folder %s: %s", path, dir,
		    strerror(errno));
		rc = STORE_CANTOPEN;
	} else if ((ds.st_mode & S_IWOTH) != 0) {
		*cause = xasprintf("%s: refused: its folder %s is writable by "
		    "everyone, so anyone could replace the database or plant "
		    "its side files; keep it in a folder only its owner (and "
		    "group) may write (chmod o-w %s)", path, dir, dir);
		rc = STORE_UNSAFE;
	} else if (o->installed && ds.st_gid != (gid_t)o->gid) {
		*cause = xasprintf("%s: refused: its folder %s does not belong "
		    "to fundflow's group as installed", path, dir);
		rc = STORE_UNSAFE;
	}
	if (fd >= 0)
		close(fd);
	free(dir);
	if (rc != STORE_OK)
		return rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return STORE_CANTOPEN;
		if (e == EACCES || e == EPERM) {
			*cause = xasprintf("%s: cannot open: %s", path,
			    strerror(e));
			errno = e;
			return STORE_UNSAFE;
		}
		if (e == ELOOP)
			*cause = xasprintf("%s: refused: it is a symbolic link; "
			    "fundflow opens a database only under its own name",
			    path);
		else
			*cause = xasprintf("%s: cannot open: %s", path,
			    strerror(e));
		errno = e;
		return e == ELOOP ? STORE_UNSAFE : STORE_CANTOPEN;
	}
	if (fstat(fd, file) != 0) {
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		rc = STORE_CANTOPEN;
	} else if (!S_ISREG(file->st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		rc = STORE_CANTOPEN;
	} else if ((file->st_mode & S_IWOTH) != 0) {
		*cause = xasprintf("%s: refused: the database is writable by "
		    "everyone (chmod o-w %s)", path, path);
		rc = STORE_UNSAFE;
	} else if (o->installed && file->st_gid != (gid_t)o->gid) {
		*cause = xasprintf("%s: refused: the database does not belong to "
		    "fundflow's group as installed", path);
		rc = STORE_UNSAFE;
	}
	close(fd);
	return rc;
}

/*
 * fundflow is single-threaded: SQLite's mutexes and memory statistics
 * are pure cost on every call.  Must run before any other SQLite call;
 * later calls do nothing.
 */
static void
sq_global_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sq_alloc_install();
	sqlite3_initialize();
}

int
sq_open(const char *path, const struct store_open_opts *o,
    struct store *outer, struct sq_store **out, char **cause)
{
	struct sq_store *st = NULL;
	struct stat sb, used;
	int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_NOFOLLOW, fd;

	*out = NULL;
	*cause = NULL;
	sq_global_init();
	rc = sq_check_place(path, o, &sb, cause);
	if (rc == STORE_CANTOPEN && *cause == NULL) {	/* no such file */
		if (!o->create) {
			*cause = xasprintf("%s: no such database (create one with "
			    "'fundflow init' or 'fundflow demo')", path);
			return STORE_CANTOPEN;
		}
		if (sq_create_file(path, o->group_rw) != 0 && errno != EEXIST) {
			*cause = xasprintf("%s: cannot create: %s", path,
			    strerror(errno));
			return STORE_CANTOPEN;
		}
		rc = sq_check_place(path, o, &sb, cause);
	}
	if (rc != STORE_OK) {
		if (*cause == NULL)
			*cause = xasprintf("%s: cannot open: %s", path,
			    strerror(errno));
		return rc;
	}
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->outer = outer;
	outer->sq = st;
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(st, rc);
		*cause = xasprintf("%s: %s", path, st->errmsg);
		goto out;
	}
	/* What SQLite opened must be what was checked: a file swapped in
	 * between is refused.  (Under the tests' fault-injecting VFS the
	 * descriptor is not SQLite's unix file's, and this is skipped.) */
	if ((fd = sq_sqlite_main_fd(st->db)) >= 0 &&
	    (fstat(fd, &used) != 0 || used.st_dev != sb.st_dev ||
	    used.st_ino != sb.st_ino)) {
		*cause = xasprintf("%s: refused: the file changed while it was "
		    "being opened", path);
		rc = STORE_UNSAFE;
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	st->busy_timeout_ms = o->busy_timeout_ms;
	sqlite3_busy_timeout(st->db, o->busy_timeout_ms);
	/* Look before writing anything (journal_mode = WAL writes a header):
	 * a file that is not a fundflow database must be left as it was. */
	if ((rc = sq_precheck(st, o->create, cause)) != STORE_OK)
		goto out;
	st->queue = queue_open(path, (int)(sb.st_mode & 0666),
	    (unsigned)sb.st_uid);
	if ((rc = sq_configure(st, o)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", path, store_strerror(rc),
		    st->errmsg);
		goto out;
	}
	if ((rc = sq_migrate(st, o->installed, o->rehash, cause)) != STORE_OK)
		goto out;
	if (o->release != NULL &&
	    (rc = sq_record_release(st, o->release)) != STORE_OK) {
		*cause = xasprintf("%s: cannot write the release record: %s (%s)",
		    path, store_strerror(rc), st->errmsg);
		goto out;
	}
	*out = st;
	return STORE_OK;
out:
	/* Held at open: SQLite's lock outside a write transaction, which
	 * only the last connection's checkpoint at its close takes.  Name
	 * the holder when the queue knows it (see sq_close). */
	if (rc == STORE_BUSY) {
		if (st->queue == NULL)
			st->queue = queue_open(path, (int)(sb.st_mode & 0666),
			    (unsigned)sb.st_uid);
		if (queue_name_head(st->queue, st->busy_timeout_ms)) {
			sq_busy_sentence(st, queue_blocker(st->queue));
			free(*cause);
			*cause = xasprintf("%s: %s (%s)", path,
			    store_strerror(rc), st->errmsg);
		}
	}
	outer->sq = NULL;
	sq_close(st);
	return rc;
}

int
sq_file_owner(struct sq_store *st, unsigned *uid)
{
	struct stat sb;
	int fd = sq_sqlite_main_fd(st->db);

	if (fd >= 0) {
		if (fstat(fd, &sb) != 0)
			return -1;
	} else {
		/* Not SQLite's unix file (the tests' VFS): the file under
		 * its name, not following a link. */
		if ((fd = open(st->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			return -1;
		if (fstat(fd, &sb) != 0) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	*uid = (unsigned)sb.st_uid;
	return 0;
}

/* The busy timeout comes first: any later statement may meet the lock. */
static int
sq_configure(struct sq_store *st, const struct store_open_opts *o)
{
	static const char *const pragmas[] = {
		"PRAGMA journal_mode = WAL",
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		"PRAGMA trusted_schema = OFF",
	};
	int rc;

	rc = sqlite3_busy_timeout(st->db, o->busy_timeout_ms);
	if (rc == SQLITE_OK)
		rc = sq_register_sum(st->db);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
		rc = sqlite3_exec(st->db, pragmas[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return sq_fail(st, rc);
	}
	/* Installed, SQLite's temporary files stay in memory: a temporary
	 * folder is the operator's to name, and to plant files in. */
	if (o->installed && (rc = sqlite3_exec(st->db, "PRAGMA temp_store = "
	    "MEMORY", NULL, NULL, NULL)) != SQLITE_OK)
		return sq_fail(st, rc);
	return STORE_OK;
}

static int
sq_has_tables(struct sq_store *st, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db,
	    "SELECT COUNT(*) FROM sqlite_master", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0) > 0;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		rc = sq_fail(st, rc);
	sqlite3_finalize(s);
	return rc;
}

int
sq_schema_version(struct sq_store *st, int *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_USER_VERSION);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = sq_fail(st, rc);
		sqlite3_reset(s);
		return rc;
	}
	*out = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

/*
 * Version 0 is "no fundflow schema yet".  With tables in it, the file is
 * some other program's database: never convert it.  Empty, only init and
 * demo (create) may make it a fundflow database.  Reads only.
 */
static int
sq_precheck(struct sq_store *st, int create, char **cause)
{
	int version, has_tables = 0, rc;

	if ((rc = sq_schema_version(st, &version)) != STORE_OK ||
	    (rc = sq_has_tables(st, &has_tables)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", st->path, store_strerror(rc),
		    st->errmsg);
		return rc;
	}
	if (version == 0 && has_tables) {
		*cause = xasprintf("%s is an SQLite database of some other "
		    "program, not fundflow's; it was not changed", st->path);
		return STORE_CORRUPT;
	}
	if (version == 0 && !create) {
		*cause = xasprintf("%s is not a fundflow database yet (create "
		    "one with 'fundflow init' or 'fundflow demo')", st->path);
		return STORE_CANTOPEN;
	}
	return STORE_OK;
}

/*
 * Brings the schema up to STORE_SCHEMA_VERSION.  A database that has data
 * is first copied beside itself with the online backup API.  Each step runs
 * in its own exclusive transaction and re-reads the version inside it, so
 * two programs opening an old database at once migrate it once.
 */
static int
sq_migrate(struct sq_store *st, int installed,
    int (*rehash)(struct store *, char **), char **cause)
{
	int version, has_tables = 0, rc;
	char *bak = NULL, *sql;

	if ((rc = sq_schema_version(st, &version)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", st->path, store_strerror(rc),
		    st->errmsg);
		return rc;
	}
	if (version > STORE_SCHEMA_VERSION) {
		*cause = xasprintf("%s: the database has schema version %d but "
		    "this fundflow knows only up to %d; use a newer fundflow",
		    st->path, version, STORE_SCHEMA_VERSION);
		return STORE_NEWER;
	}
	if (version == STORE_SCHEMA_VERSION)
		return STORE_OK;
	if ((rc = sq_has_tables(st, &has_tables)) != STORE_OK) {
		*cause = xasprintf("%s: %s (%s)", st->path, store_strerror(rc),
		    st->errmsg);
		return rc;
	}
	if (has_tables && installed) {
		/* The backup would belong to the operator who happened to open
		 * the database first: the owner migrates. */
		*cause = xasprintf("%s: the database has schema version %d and "
		    "this fundflow needs %d; the account that owns the data (the "
		    "feeder) must open it once to migrate it, with a backup "
		    "first; nothing was changed", st->path, version,
		    STORE_SCHEMA_VERSION);
		return STORE_UNSAFE;
	}
	if (has_tables) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		bak = xasprintf("%s.bak-v%d-%s", st->path, version, stamp);
		if (sq_backup_to(st, bak) != STORE_OK) {
			*cause = xasprintf("%s: could not back up to %s before "
			    "migrating; nothing was changed", st->path, bak);
			free(bak);
			return STORE_IOERR;
		}
		free(bak);
	}
	for (int v = version + 1; v <= STORE_SCHEMA_VERSION; v++) {
		int now_v;

		rc = sqlite3_exec(st->db, "BEGIN EXCLUSIVE", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		if ((rc = sq_schema_version(st, &now_v)) != STORE_OK)
			goto fail_rb;
		if (now_v >= v) {	/* another process did it meanwhile */
			sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
			continue;
		}
		rc = sqlite3_exec(st->db, sq_migrations[v - 1], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail_rb;
		if (v == 5 && rehash != NULL && (rc = rehash(st->outer, cause)) != 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return STORE_CORRUPT;
		}
		if (sq_migrations_after[v - 1] != NULL &&
		    (rc = sqlite3_exec(st->db, sq_migrations_after[v - 1],
		    NULL, NULL, NULL)) != SQLITE_OK)
			goto fail_rb;
		sql = xasprintf("PRAGMA user_version = %d", v);
		rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		free(sql);
		if (rc != SQLITE_OK)
			goto fail_rb;
		rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail_rb;
	}
	return STORE_OK;
fail_rb:
	rc = rc < 0 ? rc : sq_fail(st, rc);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	*cause = xasprintf("%s: migration failed, nothing was changed: %s (%s)",
	    st->path, store_strerror(rc), st->errmsg);
	return rc;
fail:
	rc = sq_fail(st, rc);
	*cause = xasprintf("%s: cannot migrate: %s (%s)", st->path,
	    store_strerror(rc), st->errmsg);
	return rc;
}

/* One record per program version (and commit), written on first open. */
static int
sq_record_release(struct sq_store *st, const struct release *r)
{
	sqlite3_stmt *s;
	int rc, found;

	if ((s = sq_stmt(st, ST_RELEASE_FIND)) == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, r->version);
	sq_bind_text(s, 2, r->git_commit);
	rc = sqlite3_step(s);
	found = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(st, rc);
	if (found)
		return STORE_OK;
	if ((rc = sq_begin(st)) != STORE_OK)
		return rc;
	if ((s = sq_stmt(st, ST_RELEASE_ADD)) == NULL) {
		rc = STORE_ERROR;
		goto out;
	}
	sq_bind_text(s, 1, r->version);
	sq_bind_text(s, 2, r->git_commit);
	sqlite3_bind_int(s, 3, STORE_SCHEMA_VERSION);
	sq_bind_text(s, 4, r->at);
	sq_bind_text(s, 5, r->host);
	sq_bind_text(s, 6, r->os_user);
	if ((rc = sq_exec_stmt(st, s)) != STORE_OK)
		goto out;
	return sq_commit(st);
out:
	sq_rollback(st);
	return rc;
}

int
sq_remove(const char *name, char **cause)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-queue" };

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		char *p = xasprintf("%s%s", name, suffix[i]);

		if (unlink(p) != 0 && errno != ENOENT) {
			*cause = xasprintf("cannot remove %s: %s", p,
			    strerror(errno));
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

void
sq_close(struct sq_store *st)
{
	if (st == NULL)
		return;
	sq_rollback(st);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	/*
	 * The last connection to close checkpoints the WAL into the file
	 * and removes it, holding SQLite's exclusive lock meanwhile: a
	 * process stopped there holds up everyone who opens the database.
	 * So that it is named to them as a writer would be, it closes
	 * inside a turn of the writers' queue; when the turn is not free
	 * at once, others have the database open and the last of them
	 * checkpoints.
	 */
	if (st->db != NULL) {
		if (!queue_try_enter(st->queue))
			sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
			    1, (int *)NULL);
		sqlite3_close(st->db);
	}
	queue_close(st->queue);
	free(st->path);
	free(st);
}

static int
sq_run(struct sq_store *st, enum stmt_id id)
{
	sqlite3_stmt *s = sq_stmt(st, id);

	if (s == NULL)
		return STORE_ERROR;
	return sq_exec_stmt(st, s);
}

/* Who held us up past the busy timeout, in st->errmsg. */
static void
sq_busy_sentence(struct sq_store *st, const struct queue_blocker *b)
{
	if (b == NULL)
		snprintf(st->errmsg, sizeof(st->errmsg), "another writer held "
		    "the database for more than %d ms", st->busy_timeout_ms);
	else
		snprintf(st->errmsg, sizeof(st->errmsg), "another writer (pid "
		    "%d%s%s%s) held the database for more than %d ms", b->pid,
		    b->label[0] != '\0' ? ", operator " : "", b->label,
		    b->stopped && b->in_tx ? ", stopped inside its write "
		    "transaction" : b->stopped ? ", stopped" : "",
		    st->busy_timeout_ms);
}

/*
 * Takes our turn in the writers' queue, then the write lock.  The queue
 * wait counts against the busy timeout; what is left of it still applies
 * to SQLite's own lock (a writer that is not fundflow).
 */
int
sq_begin(struct sq_store *st)
{
	int rc;

	if (queue_enter(st->queue, st->busy_timeout_ms) != 0) {
		sq_busy_sentence(st, queue_blocker(st->queue));
		return STORE_BUSY;
	}
	/* From our turn on, waiters count us inside the transaction, so
	 * that no instant between the turn and SQLite's lock (or its
	 * release at COMMIT) lets one pass us over while we are stopped. */
	if ((rc = sq_run(st, ST_BEGIN)) != STORE_OK)
		queue_leave(st->queue);
	st->next_income_id = st->next_entry_id = 0;	/* read them anew */
	return rc;
}

int
sq_begin_feed(struct sq_store *st)
{
	return sq_begin(st);
}

int
sq_begin_read(struct sq_store *st)
{
	int rc, v;

	if ((rc = sq_run(st, ST_BEGIN_READ)) != STORE_OK)
		return rc;
	/* A deferred transaction takes its snapshot at the first read. */
	if ((rc = sq_schema_version(st, &v)) != STORE_OK)
		sq_rollback(st);
	return rc;
}

int
sq_commit(struct sq_store *st)
{
	int rc = sq_run(st, ST_COMMIT);

	/* A failed COMMIT may leave the transaction open; end it, so that
	 * nothing of it can be committed later by accident.  A disk that
	 * failed during the commit leaves the outcome unknown: the frames
	 * may already be in the WAL, and a later recovery keeps them. */
	if (rc != STORE_OK) {
		sq_rollback(st);
		if (rc == STORE_IOERR || rc == STORE_CORRUPT || rc == STORE_ERROR ||
		    rc == STORE_NOMEM)
			rc = STORE_UNKNOWN;
	}
	queue_leave(st->queue);
	return rc;
}

void
sq_rollback(struct sq_store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	queue_leave(st->queue);
}

int
sq_bulk_writes(struct sq_store *st)
{
	/* temp_store = MEMORY keeps statement journals in memory without a
	 * spill limit, in small chunks.  (Raising the limit with
	 * SQLITE_CONFIG_STMTJRNL_SPILL would also make each journal one
	 * chunk of that size.) */
	int rc = sqlite3_exec(st->db, "PRAGMA temp_store = MEMORY", NULL, NULL,
	    NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc);
}

int
sq_data_version(struct sq_store *st, int64_t *out)
{
	sqlite3_stmt *s = sq_stmt(st, ST_DATA_VERSION);
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		rc = sq_fail(st, rc);
		sqlite3_reset(s);
		return rc;
	}
	*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

/*
 * Writes one page of the copy at its place in b->fd.  A failed (or short)
 * write stops the walk with b->err set: errno, or ENOSPC when the write
 * was short without one.
 */
static int
sq_backup_page(void *arg, sqlite3_stmt *s)
{
	struct sq_backup_walk *b = arg;
	int64_t pgno = sqlite3_column_int64(s, 0);
	const unsigned char *data = sqlite3_column_blob(s, 1);
	int n = sqlite3_column_bytes(s, 1);
	unsigned char first[100];
	off_t at = (off_t)(pgno - 1) * n;
	ssize_t w;

	if (data == NULL || n <= 0)
		return 0;
	if (pgno == 1 && n >= 100) {
		memcpy(first, data, 100);
		first[18] = first[19] = 1;	/* legacy journal */
		if (pwrite(b->fd, first, 100, 0) != 100)
			goto ioerr;
		w = pwrite(b->fd, data + 100, (size_t)n - 100, 100);
		if (w != n - 100)
			goto ioerr;
		return 0;
	}
	if ((w = pwrite(b->fd, data, (size_t)n, at)) != n)
		goto ioerr;
	return 0;
ioerr:
	b->err = errno ? errno : ENOSPC;
	return 1;
}

/*
 * Writes a copy of the database into fd, page by page from one snapshot
 * (SQLite's sqlite_dbpage), then syncs it.  The copy is marked for a
 * rollback journal, so that it opens on its own, without WAL files.
 */
int
sq_backup_fd(struct sq_store *st, int fd)
{
	struct sq_backup_walk b = { .fd = fd };
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT pgno, data FROM "
	    "sqlite_dbpage('main') ORDER BY pgno", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(st, rc);
	/* The statement is this call's own: sq_each resets it, and it is
	 * finalised here.  A failed write is a stop to sq_each, not an error,
	 * so it is told by b.err. */
	rc = sq_each(st, s, sq_backup_page, &b);
	sqlite3_finalize(s);
	if (rc != STORE_OK)
		return rc;
	if (b.err != 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s", strerror(b.err));
		return STORE_IOERR;
	}
	if (fsync(fd) != 0) {
		snprintf(st->errmsg, sizeof(st->errmsg), "%s", strerror(errno));
		return STORE_IOERR;
	}
	return STORE_OK;
}

/* The backup before a migration: a new file beside the database, created
 * here (never over one that exists, never through a link). */
static int
sq_backup_to(struct sq_store *st, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600), rc;

	if (fd < 0)
		return STORE_CANTOPEN;
	fchmod(fd, 0600);
	rc = sq_backup_fd(st, fd);
	if (close(fd) != 0 && rc == STORE_OK)
		rc = STORE_IOERR;
	if (rc != STORE_OK)
		unlink(path);
	return rc;
}

int
sq_set_durable(struct sq_store *st, int durable)
{
	int rc = sqlite3_exec(st->db, durable ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = OFF", NULL, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc);
}
