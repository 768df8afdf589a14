/*
 * shim.h — fault injection below fundflow, for the robustness tests only
 * (never linked into ./fundflow).
 *
 * A shim SQLite VFS wraps the default one and counts every xWrite and
 * xSync on every file SQLite opens through it (database, WAL, journals);
 * a wrapper installed with SQLITE_CONFIG_MALLOC counts SQLite's
 * allocations.  At the Nth counted call it can
 *
 *   kill   the process with SIGKILL (before the call, or after it with
 *          kill_after), as a crash at that point of a transaction would;
 *   fail   the call: SQLITE_IOERR_WRITE / SQLITE_FULL for writes,
 *          SQLITE_IOERR_FSYNC for syncs, NULL for allocations — once, or
 *          for every later call too (persist).
 *
 * Counting starts when the shim is armed: at once (shim_arm), or, with
 * arm_on_lock, the first time the process takes the WAL write lock (the
 * start of its first write transaction), so that a real fundflow process
 * is attacked inside its operation rather than while opening.
 *
 * Two ways in: a test program links shim.c and calls shim_install()
 * before any store or model function, then shim_set()/shim_arm(); or
 * shim.c is built as an LD_PRELOAD library (-DSHIM_PRELOAD) that installs
 * itself from the environment variable FFSHIM, a comma-separated list:
 *
 *   FFSHIM="kill_write=7"            SIGKILL at the 7th write
 *   FFSHIM="kill_sync=2,kill_after=1"  SIGKILL right after the 2nd sync
 *   FFSHIM="fail_write=3,persist=1"  every write from the 3rd on fails
 *   FFSHIM="fail_malloc=40,arm_on_lock=1"
 *   FFSHIM="full=1,fail_write=2"     the 2nd write fails as disk full
 *   FFSHIM="stop_on_exclusive=1"     SIGSTOP itself once it holds the
 *                                    database file's exclusive lock (in
 *                                    WAL mode: the checkpoint at close)
 *
 * FFSHIM_LOG=FILE appends one line "fired KIND N" when a fault fires and
 * "counts writes W syncs S mallocs M" at exit.
 */
#ifndef FF_STRESS_SHIM_H
#define FF_STRESS_SHIM_H

struct shim_conf {
	long kill_write, kill_sync;	/* 0: off */
	int kill_after;			/* kill after the call, not before */
	long fail_write, fail_sync, fail_malloc;	/* 0: off */
	int persist;			/* keep failing after the first */
	int full;			/* write failures are SQLITE_FULL */
	int arm_on_lock;		/* start counting at the write lock */
	int stop_on_exclusive;		/* SIGSTOP itself holding the file's
					 * exclusive lock (closing, in WAL) */
};

struct shim_counts {
	long writes, syncs, mallocs;
	int fired;			/* faults injected so far */
};

/* Registers the shim VFS as the default and the malloc wrapper; call
 * before anything else touches SQLite.  Returns 0, or -1. */
int shim_install(void);
/* Sets what to inject and disarms (counts back to zero). */
void shim_set(const struct shim_conf *c);
/* Starts counting now. */
void shim_arm(void);
/* Stops injecting and counting; the counts stay readable. */
void shim_disarm(void);
void shim_counts(struct shim_counts *out);
/* Parses an FFSHIM string into *c; returns 0, or -1 on a bad item. */
int shim_parse(const char *s, struct shim_conf *c);

#endif
