/*
 * shim.c — a fault-injecting SQLite VFS and allocator; see shim.h.
 * Test code only: built into tests/stress/ffstress and, with
 * -DSHIM_PRELOAD, into an LD_PRELOAD library for the real binary.
 */
#include "shim.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

struct shim_file {
	sqlite3_file base;
	sqlite3_file *real;		/* follows this struct in memory */
};

static sqlite3_vfs *shim_real;		/* the VFS we wrap ("unix") */
static sqlite3_vfs shim_vfs;
static sqlite3_mem_methods shim_mem_real;
static struct shim_conf shim_c;
static struct shim_counts shim_n;
static int shim_armed;
static long shim_locks;			/* write locks taken so far */
static const char *shim_log_path;

static void
shim_log(const char *line)
{
	size_t n = strlen(line);
	int fd;

	if (shim_log_path == NULL)
		return;
	fd = open(shim_log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, n) < 0)
		n = 0;
	close(fd);
}

static void
shim_die(void)
{
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}

/*
 * Counts one call of a kind and decides: 0 go on, 1 fail it, 2 kill
 * before it, 3 kill after it.
 */
static int
shim_event(long *count, long kill_at, long fail_at, const char *kind)
{
	if (!shim_armed)
		return 0;
	++*count;
	if (kill_at > 0 && *count == kill_at) {
		char line[80];

		shim_n.fired++;
		snprintf(line, sizeof(line), "fired kill %s %ld\n", kind, *count);
		shim_log(line);
		return shim_c.kill_after ? 3 : 2;
	}
	if (fail_at > 0 && (*count == fail_at ||
	    (shim_c.persist && *count > fail_at))) {
		if (shim_n.fired++ == 0) {
			char line[80];

			snprintf(line, sizeof(line), "fired fail %s %ld\n", kind,
			    *count);
			shim_log(line);
		}
		return 1;
	}
	return 0;
}

/* --- io methods ---------------------------------------------------------- */

static int
shim_close(sqlite3_file *f)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xClose(p->real);
}

static int
shim_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xRead(p->real, buf, amt, off);
}

static int
shim_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	struct shim_file *p = (struct shim_file *)f;
	int what = shim_event(&shim_n.writes, shim_c.kill_write,
	    shim_c.fail_write, "write");
	int rc;

	if (what == 1)
		return shim_c.full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	if (what == 2)
		shim_die();
	rc = p->real->pMethods->xWrite(p->real, buf, amt, off);
	if (what == 3)
		shim_die();
	return rc;
}

static int
shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xTruncate(p->real, size);
}

static int
shim_sync(sqlite3_file *f, int flags)
{
	struct shim_file *p = (struct shim_file *)f;
	int what = shim_event(&shim_n.syncs, shim_c.kill_sync,
	    shim_c.fail_sync, "sync");
	int rc;

	if (what == 1)
		return SQLITE_IOERR_FSYNC;
	if (what == 2)
		shim_die();
	rc = p->real->pMethods->xSync(p->real, flags);
	if (what == 3)
		shim_die();
	return rc;
}

static int
shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xFileSize(p->real, size);
}

static int
shim_lock(sqlite3_file *f, int level)
{
	struct shim_file *p = (struct shim_file *)f;
	int rc = p->real->pMethods->xLock(p->real, level);

	/* In WAL mode only the last connection's checkpoint at its close
	 * takes the database file's exclusive lock. */
	if (rc == SQLITE_OK && level == SQLITE_LOCK_EXCLUSIVE &&
	    shim_c.stop_on_exclusive)
		raise(SIGSTOP);
	return rc;
}

static int
shim_unlock(sqlite3_file *f, int level)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xUnlock(p->real, level);
}

static int
shim_check_reserved(sqlite3_file *f, int *out)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xCheckReservedLock(p->real, out);
}

static int
shim_file_control(sqlite3_file *f, int op, void *arg)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xFileControl(p->real, op, arg);
}

static int
shim_sector_size(sqlite3_file *f)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xSectorSize(p->real);
}

static int
shim_device_chars(sqlite3_file *f)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xDeviceCharacteristics(p->real);
}

static int
shim_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, pp);
}

static int
shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	struct shim_file *p = (struct shim_file *)f;
	int rc = p->real->pMethods->xShmLock(p->real, offset, n, flags);

	/* Slot 0 is the WAL write lock. */
	if (rc == SQLITE_OK && offset == 0 && n == 1 &&
	    flags == (SQLITE_SHM_LOCK | SQLITE_SHM_EXCLUSIVE)) {
		shim_locks++;
		if (!shim_armed && shim_c.arm_on_lock > 0 &&
		    shim_locks == shim_c.arm_on_lock)
			shim_arm();
	}
	return rc;
}

static void
shim_shm_barrier(sqlite3_file *f)
{
	struct shim_file *p = (struct shim_file *)f;

	p->real->pMethods->xShmBarrier(p->real);
}

static int
shim_shm_unmap(sqlite3_file *f, int del)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xShmUnmap(p->real, del);
}

static int
shim_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xFetch(p->real, off, amt, pp);
}

static int
shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *pg)
{
	struct shim_file *p = (struct shim_file *)f;

	return p->real->pMethods->xUnfetch(p->real, off, pg);
}

static const sqlite3_io_methods shim_io = {
	.iVersion = 3,
	.xClose = shim_close,
	.xRead = shim_read,
	.xWrite = shim_write,
	.xTruncate = shim_truncate,
	.xSync = shim_sync,
	.xFileSize = shim_file_size,
	.xLock = shim_lock,
	.xUnlock = shim_unlock,
	.xCheckReservedLock = shim_check_reserved,
	.xFileControl = shim_file_control,
	.xSectorSize = shim_sector_size,
	.xDeviceCharacteristics = shim_device_chars,
	.xShmMap = shim_shm_map,
	.xShmLock = shim_shm_lock,
	.xShmBarrier = shim_shm_barrier,
	.xShmUnmap = shim_shm_unmap,
	.xFetch = shim_fetch,
	.xUnfetch = shim_unfetch,
};

/* --- the vfs ------------------------------------------------------------- */

static int
shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct shim_file *p = (struct shim_file *)f;
	int rc;

	(void)vfs;
	p->real = (sqlite3_file *)&p[1];
	rc = shim_real->xOpen(shim_real, name, p->real, flags, out_flags);
	/* A file whose real open failed has no methods: SQLite will not
	 * call xClose on it. */
	p->base.pMethods = p->real->pMethods ? &shim_io : NULL;
	return rc;
}

static int
shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return shim_real->xDelete(shim_real, name, sync_dir);
}

static int
shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return shim_real->xAccess(shim_real, name, flags, out);
}

static int
shim_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return shim_real->xFullPathname(shim_real, name, n, out);
}

static void *
shim_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return shim_real->xDlOpen(shim_real, name);
}

static void
shim_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	shim_real->xDlError(shim_real, n, msg);
}

static void (*shim_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return shim_real->xDlSym(shim_real, h, sym);
}

static void
shim_dl_close(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	shim_real->xDlClose(shim_real, h);
}

static int
shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return shim_real->xRandomness(shim_real, n, out);
}

static int
shim_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return shim_real->xSleep(shim_real, us);
}

static int
shim_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return shim_real->xCurrentTime(shim_real, out);
}

static int
shim_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return shim_real->xGetLastError(shim_real, n, out);
}

static int
shim_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return shim_real->xCurrentTimeInt64(shim_real, out);
}

/* --- the allocator ------------------------------------------------------- */

static void *
shim_malloc(int n)
{
	int what = shim_event(&shim_n.mallocs, 0, shim_c.fail_malloc, "malloc");

	return what == 1 ? NULL : shim_mem_real.xMalloc(n);
}

static void *
shim_realloc(void *p, int n)
{
	int what = shim_event(&shim_n.mallocs, 0, shim_c.fail_malloc, "malloc");

	return what == 1 ? NULL : shim_mem_real.xRealloc(p, n);
}

static void
shim_free(void *p)
{
	shim_mem_real.xFree(p);
}

static int
shim_size(void *p)
{
	return shim_mem_real.xSize(p);
}

static int
shim_roundup(int n)
{
	return shim_mem_real.xRoundup(n);
}

static int
shim_mem_init(void *arg)
{
	(void)arg;
	return shim_mem_real.xInit(shim_mem_real.pAppData);
}

static void
shim_mem_shutdown(void *arg)
{
	(void)arg;
	shim_mem_real.xShutdown(shim_mem_real.pAppData);
}

static const sqlite3_mem_methods shim_mem = {
	.xMalloc = shim_malloc,
	.xFree = shim_free,
	.xRealloc = shim_realloc,
	.xSize = shim_size,
	.xRoundup = shim_roundup,
	.xInit = shim_mem_init,
	.xShutdown = shim_mem_shutdown,
	.pAppData = NULL,
};

/* --- the interface ------------------------------------------------------- */

int
shim_install(void)
{
	if (shim_real != NULL)
		return 0;
	shim_log_path = getenv("FFSHIM_LOG");
	/* The allocator can only be swapped before SQLite initialises. */
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &shim_mem_real) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MALLOC, &shim_mem) != SQLITE_OK)
		return -1;
	if ((shim_real = sqlite3_vfs_find(NULL)) == NULL)
		return -1;
	shim_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct shim_file) + shim_real->szOsFile,
		.mxPathname = shim_real->mxPathname,
		.zName = "ffshim",
		.xOpen = shim_open,
		.xDelete = shim_delete,
		.xAccess = shim_access,
		.xFullPathname = shim_full_path,
		.xDlOpen = shim_dl_open,
		.xDlError = shim_dl_error,
		.xDlSym = shim_dl_sym,
		.xDlClose = shim_dl_close,
		.xRandomness = shim_randomness,
		.xSleep = shim_sleep,
		.xCurrentTime = shim_current_time,
		.xGetLastError = shim_last_error,
		.xCurrentTimeInt64 = shim_current_time64,
	};
	return sqlite3_vfs_register(&shim_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void
shim_set(const struct shim_conf *c)
{
	shim_c = *c;
	shim_armed = 0;
	shim_locks = 0;
	memset(&shim_n, 0, sizeof(shim_n));
}

void
shim_arm(void)
{
	shim_armed = 1;
}

void
shim_disarm(void)
{
	shim_armed = 0;
}

void
shim_counts(struct shim_counts *out)
{
	*out = shim_n;
}

int
shim_parse(const char *s, struct shim_conf *c)
{
	char *copy, *item, *save = NULL;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (s == NULL || *s == '\0')
		return 0;
	copy = strdup(s);
	if (copy == NULL)
		return -1;
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		long v;

		if (eq == NULL) {
			rc = -1;
			break;
		}
		*eq = '\0';
		v = strtol(eq + 1, NULL, 10);
		if (strcmp(item, "kill_write") == 0)
			c->kill_write = v;
		else if (strcmp(item, "kill_sync") == 0)
			c->kill_sync = v;
		else if (strcmp(item, "kill_after") == 0)
			c->kill_after = (int)v;
		else if (strcmp(item, "fail_write") == 0)
			c->fail_write = v;
		else if (strcmp(item, "fail_sync") == 0)
			c->fail_sync = v;
		else if (strcmp(item, "fail_malloc") == 0)
			c->fail_malloc = v;
		else if (strcmp(item, "persist") == 0)
			c->persist = (int)v;
		else if (strcmp(item, "full") == 0)
			c->full = (int)v;
		else if (strcmp(item, "arm_on_lock") == 0)
			c->arm_on_lock = (int)v;
		else if (strcmp(item, "stop_on_exclusive") == 0)
			c->stop_on_exclusive = (int)v;
		else {
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

#ifdef SHIM_PRELOAD
static void
shim_at_exit(void)
{
	char line[120];

	snprintf(line, sizeof(line), "counts writes %ld syncs %ld mallocs %ld\n",
	    shim_n.writes, shim_n.syncs, shim_n.mallocs);
	shim_log(line);
}

__attribute__((constructor)) static void
shim_preload(void)
{
	struct shim_conf c;
	const char *s = getenv("FFSHIM");

	if (shim_parse(s, &c) != 0) {
		fprintf(stderr, "ffshim: bad FFSHIM \"%s\"\n", s);
		_exit(99);
	}
	if (shim_install() != 0) {
		fprintf(stderr, "ffshim: cannot install\n");
		_exit(99);
	}
	shim_set(&c);
	if (!c.arm_on_lock)
		shim_arm();
	atexit(shim_at_exit);
}
#endif
