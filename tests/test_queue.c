/*
 * test_queue.c — the writers' ticket queue (store/sqlite/queue.c) across real
 * processes: turns in the order tickets were taken and never two at once,
 * a holder or waiter killed with SIGKILL (reaped or still a zombie) passed
 * over, a waiter that gives up leaving nobody behind it stranded, and a
 * turn kept between transactions: bounded, and ended when left unused; a
 * waiter stopped with SIGSTOP passed over (and served when continued), a
 * holder stopped inside its write transaction waited for and named, and
 * slots left by processes that are gone (or whose pid another now has)
 * passed without waiting out a timeout.
 *
 * Children are forked and report through a shared anonymous page and
 * their exit status (cmocka's checks stay in the parent).  The order of
 * arrival is made certain with queue_length(), not with sleeps.
 */
#include "testlib.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/sqlite/queue.h"
#include "store/xmalloc.h"

#define QT_MAX 8

/* What the children tell the parent. */
struct qt_shared {
	_Atomic int inside;		/* holders at this moment */
	_Atomic int overlap;		/* times two held at once */
	_Atomic int served;		/* turns taken so far */
	_Atomic int order[QT_MAX];	/* child index of each turn */
	_Atomic int64_t entered_us[QT_MAX];	/* by child index */
	_Atomic int rc[QT_MAX];		/* queue_enter's result */
	_Atomic int kept;		/* re-entries into a kept turn */
};

struct qt {
	char *dir;
	char *db;			/* dir/db: the queue is dir/db-queue */
	struct qt_shared *sh;
};

static int64_t	qt_now_us(void);
static void	qt_setup(struct qt *);
static void	qt_teardown(struct qt *);
static void	qt_wait_length(struct queue *, int);
static pid_t	qt_waiter(struct qt *, int, int, int);
static pid_t	qt_holder(struct qt *, int *, int *);
static void	qt_release(pid_t, int, int);
static void	qt_reap(pid_t, int);
static pid_t	qt_fork_piped(int *, int *);
static pid_t	qt_keeper(struct qt *, int, int, int *, int *);
static pid_t	qt_keeper_behind(struct qt *, struct queue *, int, int, int *,
		    int *, pid_t *);

static void	test_queue_null(void **);
static void	test_queue_alone(void **);
static void	test_queue_fifo(void **);
static void	test_queue_dead_holder_zombie(void **);
static void	test_queue_dead_holder_reaped(void **);
static void	test_queue_dead_waiter(void **);
static void	test_queue_timeout_passes_on(void **);
static void	test_queue_keeps_turn_bounded(void **);
static void	test_queue_kept_turn_ended(void **);
static void	test_queue_close_ends_kept_turn(void **);
static void	test_queue_stopped_waiter_passed(void **);
static void	test_queue_stopped_in_tx_named(void **);
static void	test_queue_stale_slots_passed(void **);

static int64_t
qt_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
qt_setup(struct qt *t)
{
	void *m;

	t->dir = testlib_tmpdir();
	t->db = xasprintf("%s/db", t->dir);
	m = mmap(NULL, sizeof(*t->sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(m != MAP_FAILED);
	t->sh = m;
	memset(t->sh, 0, sizeof(*t->sh));
}

static void
qt_teardown(struct qt *t)
{
	munmap(t->sh, sizeof(*t->sh));
	testlib_rmdir(t->dir);
	free(t->dir);
	free(t->db);
}

/* Waits (at most 10 s) until n tickets are taken and not yet served. */
static void
qt_wait_length(struct queue *q, int n)
{
	int64_t until = qt_now_us() + 10 * 1000000;

	while (queue_length(q) != n && qt_now_us() < until)
		usleep(1000);
	assert_int_equal(queue_length(q), n);
}

/*
 * Forks child i: it takes a ticket (at most timeout_ms), records its
 * result and the time it got in, holds the turn hold_us checking that
 * nobody else holds one, and leaves.
 */
static pid_t
qt_waiter(struct qt *t, int i, int timeout_ms, int hold_us)
{
	pid_t pid = fork();
	struct queue *q;
	int rc;

	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	if ((q = queue_open(t->db, 0600, (unsigned)geteuid())) == NULL)
		_exit(2);
	rc = queue_enter(q, timeout_ms);
	t->sh->rc[i] = rc;
	t->sh->entered_us[i] = qt_now_us();
	if (rc == 0) {
		if (atomic_fetch_add(&t->sh->inside, 1) != 0)
			atomic_fetch_add(&t->sh->overlap, 1);
		t->sh->order[atomic_fetch_add(&t->sh->served, 1)] = i;
		usleep((useconds_t)hold_us);
		atomic_fetch_sub(&t->sh->inside, 1);
	}
	queue_close(q);
	_exit(0);
}

/*
 * Forks a child joined to the parent by two pipes: the child tells the
 * parent on *tell and waits for its go on *go.  In the child (0 returned)
 * those are its write and read ends; in the parent (the child's pid
 * returned) the read end of the one and the write end of the other.
 */
static pid_t
qt_fork_piped(int *tell, int *go)
{
	int tp[2], gp[2];
	pid_t pid;

	assert_int_equal(pipe(tp), 0);
	assert_int_equal(pipe(gp), 0);
	pid = fork();
	assert_true(pid >= 0);
	*tell = tp[pid == 0 ? 1 : 0];
	*go = gp[pid == 0 ? 0 : 1];
	close(tp[pid == 0 ? 0 : 1]);
	close(gp[pid == 0 ? 1 : 0]);
	return pid;
}

/*
 * Forks a child that takes the turn and holds it until a byte arrives on
 * *go (or it is killed).  Returns once it holds the turn.
 */
static pid_t
qt_holder(struct qt *t, int *go, int *ready_fd)
{
	pid_t pid = qt_fork_piped(ready_fd, go);
	char c;

	if (pid == 0) {
		struct queue *q = queue_open(t->db, 0600, (unsigned)geteuid());

		if (q == NULL || queue_enter(q, 1000) != 0)
			_exit(2);
		if (write(*ready_fd, "x", 1) != 1)
			_exit(3);
		if (read(*go, &c, 1) != 1)
			_exit(4);
		queue_close(q);
		_exit(0);
	}
	assert_int_equal(read(*ready_fd, &c, 1), 1);
	return pid;
}

/* Lets a holder from qt_holder() leave and end. */
static void
qt_release(pid_t pid, int go, int ready)
{
	assert_int_equal(write(go, "x", 1), 1);
	close(go);
	close(ready);
	qt_reap(pid, 0);
}

static void
qt_reap(pid_t pid, int want)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (want >= 0) {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), want);
	}
}

/* No queue (it could not be opened): every call is a harmless no-op. */
static void
test_queue_null(void **state)
{
	(void)state;
	assert_int_equal(queue_enter(NULL, 10), 0);
	queue_leave(NULL);
	queue_close(NULL);
	assert_int_equal(queue_length(NULL), 0);
}

/* A lone writer gets its turn at once, again and again; entering twice
 * is one turn; leaving when not entered does nothing. */
static void
test_queue_alone(void **state)
{
	struct qt t;
	struct queue *q;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	queue_leave(q);
	assert_int_equal(queue_length(q), 0);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(queue_enter(q, 0), 0);
		assert_int_equal(queue_length(q), 1);
		assert_int_equal(queue_enter(q, 0), 0);
		assert_int_equal(queue_length(q), 1);
		queue_leave(q);
		assert_int_equal(queue_length(q), 0);
	}
	queue_close(q);
	qt_teardown(&t);
}

/* Five processes queue behind a holder: each is served once, in the
 * order it arrived, and never two at a time. */
static void
test_queue_fifo(void **state)
{
	struct qt t;
	struct queue *q;
	pid_t pid[5];

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	assert_int_equal(queue_enter(q, 1000), 0);
	for (int i = 0; i < 5; i++) {
		pid[i] = qt_waiter(&t, i, 10000, 2000);
		qt_wait_length(q, i + 2);
	}
	queue_leave(q);
	for (int i = 0; i < 5; i++)
		qt_reap(pid[i], 0);
	assert_int_equal(t.sh->served, 5);
	assert_int_equal(t.sh->overlap, 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(t.sh->rc[i], 0);
		assert_int_equal(t.sh->order[i], i);
	}
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/* A holder killed with SIGKILL and not yet reaped by its parent (a
 * zombie: its pid still answers kill(2)) is passed over within a poll or
 * two, well inside the waiter's timeout. */
static void
test_queue_dead_holder_zombie(void **state)
{
	struct qt t;
	struct queue *q;
	int go, ready;
	pid_t h;
	int64_t t0;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_holder(&t, &go, &ready);
	assert_int_equal(kill(h, SIGKILL), 0);
	t0 = qt_now_us();
	assert_int_equal(queue_enter(q, 5000), 0);
	assert_true(qt_now_us() - t0 < 2000000);
	queue_leave(q);
	qt_reap(h, -1);
	close(go);
	close(ready);
	queue_close(q);
	qt_teardown(&t);
}

/* The same holder, reaped before anyone looks: its pid is gone. */
static void
test_queue_dead_holder_reaped(void **state)
{
	struct qt t;
	struct queue *q;
	int go, ready;
	pid_t h;
	int64_t t0;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_holder(&t, &go, &ready);
	assert_int_equal(kill(h, SIGKILL), 0);
	qt_reap(h, -1);
	t0 = qt_now_us();
	assert_int_equal(queue_enter(q, 5000), 0);
	assert_true(qt_now_us() - t0 < 2000000);
	queue_leave(q);
	close(go);
	close(ready);
	queue_close(q);
	qt_teardown(&t);
}

/* A waiter killed in the middle of the queue: when its turn comes, the
 * one behind it is served instead, long before its own timeout. */
static void
test_queue_dead_waiter(void **state)
{
	struct qt t;
	struct queue *q;
	int go, ready;
	pid_t h, w, b;
	int64_t released;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_holder(&t, &go, &ready);
	w = qt_waiter(&t, 0, 10000, 0);
	qt_wait_length(q, 2);
	b = qt_waiter(&t, 1, 10000, 0);
	qt_wait_length(q, 3);
	assert_int_equal(kill(w, SIGKILL), 0);
	released = qt_now_us();
	qt_release(h, go, ready);
	qt_reap(b, 0);
	assert_int_equal(t.sh->rc[1], 0);
	assert_true(t.sh->entered_us[1] - released < 2000000);
	qt_reap(w, -1);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/* A waiter whose timeout runs out gives its place up (-1, after about its
 * timeout, not before); the one behind it is served when the holder
 * leaves, without waiting out a timeout of its own. */
static void
test_queue_timeout_passes_on(void **state)
{
	struct qt t;
	struct queue *q;
	int go, ready;
	pid_t h, w, b;
	int64_t t0, released;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_holder(&t, &go, &ready);
	t0 = qt_now_us();
	w = qt_waiter(&t, 0, 150, 0);
	qt_wait_length(q, 2);
	b = qt_waiter(&t, 1, 10000, 0);
	qt_wait_length(q, 3);
	qt_reap(w, 0);
	assert_int_equal(t.sh->rc[0], -1);
	assert_true(t.sh->entered_us[0] - t0 >= 150000);
	assert_true(t.sh->entered_us[0] - t0 < 3000000);
	released = qt_now_us();
	qt_release(h, go, ready);
	qt_reap(b, 0);
	assert_int_equal(t.sh->rc[1], 0);
	assert_true(t.sh->entered_us[1] - released < 2000000);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/*
 * Forks the keeper: it queues behind the parent's turn, so that its own
 * turn starts fresh the moment the parent leaves (the set-up's waits do
 * not use up the 2 ms a turn may be kept).  Then it leaves and enters
 * again `cycles` times, counting in kept the re-entries made before the
 * waiter (child 0) was served, and leaves.  With close_at_once it then
 * closes the queue; otherwise it says so on *left and holds the queue
 * open, doing nothing, until a byte arrives on *go.
 */
static pid_t
qt_keeper(struct qt *t, int cycles, int close_at_once, int *go, int *left)
{
	pid_t pid = qt_fork_piped(left, go);
	char c;

	if (pid == 0) {
		struct queue *q = queue_open(t->db, 0600, (unsigned)geteuid());

		if (q == NULL || queue_enter(q, 10000) != 0)
			_exit(2);
		for (int i = 0; i < cycles; i++) {
			queue_leave(q);
			if (queue_enter(q, 10000) != 0)
				_exit(3);
			if (atomic_fetch_add(&t->sh->inside, 1) != 0)
				atomic_fetch_add(&t->sh->overlap, 1);
			if (t->sh->served == 0)
				atomic_fetch_add(&t->sh->kept, 1);
			atomic_fetch_sub(&t->sh->inside, 1);
		}
		queue_leave(q);
		if (!close_at_once) {
			if (write(*left, "x", 1) != 1 || read(*go, &c, 1) != 1)
				_exit(4);
		}
		queue_close(q);
		_exit(0);
	}
	return pid;
}

/* The parent holds a turn; the keeper and then a waiter queue behind it;
 * the parent leaves.  Returns the keeper's pid. */
static pid_t
qt_keeper_behind(struct qt *t, struct queue *q, int cycles, int close_at_once,
    int *go, int *left, pid_t *waiter)
{
	pid_t k;

	assert_int_equal(queue_enter(q, 1000), 0);
	k = qt_keeper(t, cycles, close_at_once, go, left);
	qt_wait_length(q, 2);
	*waiter = qt_waiter(t, 0, 10000, 0);
	qt_wait_length(q, 3);
	queue_leave(q);
	return k;
}

/* A writer coming straight back with another writer waiting keeps its
 * turn, at most QUEUE_BURST transactions of it, never two inside at once;
 * then the waiter gets in. */
static void
test_queue_keeps_turn_bounded(void **state)
{
	struct qt t;
	struct queue *q;
	int go, left;
	pid_t k, w;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	k = qt_keeper_behind(&t, q, 10, 1, &go, &left, &w);
	qt_reap(k, 0);
	qt_reap(w, 0);
	close(go);
	close(left);
	assert_int_equal(t.sh->rc[0], 0);
	assert_int_equal(t.sh->served, 1);
	assert_int_equal(t.sh->overlap, 0);
	assert_true(t.sh->kept >= 1);
	assert_true(t.sh->kept <= QUEUE_BURST - 1);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/* A turn kept and then left unused (its holder went on to other work,
 * the queue still open) is ended by the waiter well inside its timeout;
 * had nobody ended it, the waiter would time out. */
static void
test_queue_kept_turn_ended(void **state)
{
	struct qt t;
	struct queue *q;
	int go, left;
	pid_t k, w;
	char c;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	k = qt_keeper_behind(&t, q, 0, 0, &go, &left, &w);
	assert_int_equal(read(left, &c, 1), 1);
	qt_reap(w, 0);
	assert_int_equal(t.sh->rc[0], 0);
	assert_int_equal(t.sh->served, 1);
	assert_int_equal(queue_length(q), 0);
	assert_int_equal(write(go, "x", 1), 1);
	qt_reap(k, 0);
	close(go);
	close(left);
	queue_close(q);
	qt_teardown(&t);
}

/* Closing the queue while keeping a turn ends it at once: the waiter
 * gets in and nothing is left taken. */
static void
test_queue_close_ends_kept_turn(void **state)
{
	struct qt t;
	struct queue *q;
	int go, left;
	pid_t k, w;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	k = qt_keeper_behind(&t, q, 0, 1, &go, &left, &w);
	qt_reap(k, 0);
	/* Passed on at once when the keeper closed: only the waiter's
	 * ticket (or none) is left, not a kept turn waiting out its grace. */
	assert_true(queue_length(q) <= 1);
	qt_reap(w, 0);
	close(go);
	close(left);
	assert_int_equal(t.sh->rc[0], 0);
	assert_int_equal(t.sh->served, 1);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/* Sends sig to pid and waits until /proc says it took effect (state T
 * for SIGSTOP, anything else for SIGCONT). */
static void
qt_signal(pid_t pid, int sig)
{
	int64_t until = qt_now_us() + 10 * 1000000;
	char path[64], buf[256], *p;

	assert_int_equal(kill(pid, sig), 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	while (qt_now_us() < until) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		p = strrchr(buf, ')');
		if (p != NULL && p[1] == ' ' &&
		    (p[2] == 'T') == (sig == SIGSTOP))
			return;
		usleep(1000);
	}
	fail_msg("process %d did not take signal %d", (int)pid, sig);
}

/* A waiter stopped (SIGSTOP) while it waits is passed over when its turn
 * comes: the one behind it gets in long before its own timeout.  Continued,
 * the stopped one queues again and is served. */
static void
test_queue_stopped_waiter_passed(void **state)
{
	struct qt t;
	struct queue *q;
	pid_t w, b;
	int64_t released;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	assert_int_equal(queue_enter(q, 1000), 0);
	w = qt_waiter(&t, 0, 20000, 0);
	qt_wait_length(q, 2);
	b = qt_waiter(&t, 1, 10000, 0);
	qt_wait_length(q, 3);
	qt_signal(w, SIGSTOP);
	released = qt_now_us();
	queue_leave(q);
	qt_reap(b, 0);
	assert_int_equal(t.sh->rc[1], 0);
	assert_true(t.sh->entered_us[1] - released < 2000000);
	qt_signal(w, SIGCONT);
	qt_reap(w, 0);
	assert_int_equal(t.sh->rc[0], 0);
	assert_int_equal(t.sh->served, 2);
	assert_int_equal(t.sh->overlap, 0);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/* A holder stopped inside its write transaction holds SQLite's lock, so
 * it is waited for: the waiter times out, and is told its pid, its login,
 * that it is stopped and inside its transaction. */
static void
test_queue_stopped_in_tx_named(void **state)
{
	struct qt t;
	struct queue *q;
	const struct queue_blocker *bl;
	int tell, go;
	pid_t h;
	char c;
	int64_t t0;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_fork_piped(&tell, &go);
	if (h == 0) {
		struct queue *hq = queue_open(t.db, 0600, (unsigned)geteuid());

		queue_set_label(hq, "alice");
		if (hq == NULL || queue_enter(hq, 1000) != 0)
			_exit(2);
		if (write(tell, "x", 1) != 1 || read(go, &c, 1) != 1)
			_exit(3);
		queue_leave(hq);
		queue_close(hq);
		_exit(0);
	}
	assert_int_equal(read(tell, &c, 1), 1);
	qt_signal(h, SIGSTOP);
	assert_null(queue_blocker(q));
	t0 = qt_now_us();
	assert_int_equal(queue_enter(q, 300), -1);
	assert_true(qt_now_us() - t0 >= 300000);
	assert_non_null(bl = queue_blocker(q));
	assert_int_equal(bl->pid, h);
	assert_string_equal(bl->label, "alice");
	assert_int_equal(bl->stopped, 1);
	assert_int_equal(bl->in_tx, 1);
	/* Left for the next writer to record, once. */
	{
		struct queue_blocker note;
		int gave_up = 0;

		assert_int_equal(queue_enter(q, 100), -1);
		assert_int_equal(queue_take_note(q, &note, &gave_up), 1);
		assert_int_equal(note.pid, h);
		assert_string_equal(note.label, "alice");
		assert_int_equal(note.stopped, 1);
		assert_int_equal(note.in_tx, 1);
		assert_int_equal(gave_up, 2);
		assert_int_equal(queue_take_note(q, &note, &gave_up), 0);
	}
	qt_signal(h, SIGCONT);
	assert_int_equal(write(go, "x", 1), 1);
	qt_reap(h, 0);
	close(tell);
	close(go);
	/* Its transaction over, the queue is free again. */
	assert_int_equal(queue_enter(q, 1000), 0);
	assert_null(queue_blocker(q));
	queue_leave(q);
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

/*
 * The shared page as store/sqlite/queue.c lays it out (QUEUE_PAGE_AT, struct
 * queue_page): the test forges tickets the way a process that died
 * mid-update, or one whose pid was reused, would have left them.
 */
#define QT_PAGE_AT 8192
#define QT_NEXT 4
#define QT_SLOTS_AT 32
#define QT_SLOT_SIZE 48

/* Takes a ticket in the file as if pid had, and leaves it there. */
static void
qt_forge_ticket(struct qt *t, int32_t pid)
{
	char *path = xasprintf("%s-queue", t->db);
	int fd = open(path, O_RDWR);
	unsigned char *m;
	_Atomic uint32_t *next;
	uint32_t n;

	assert_true(fd >= 0);
	m = mmap(NULL, QT_PAGE_AT + 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	assert_true(m != MAP_FAILED);
	next = (_Atomic uint32_t *)(m + QT_PAGE_AT + QT_NEXT);
	n = atomic_fetch_add(next, 1);
	memcpy(m + QT_PAGE_AT + QT_SLOTS_AT + (n % 256) * QT_SLOT_SIZE, &pid,
	    sizeof(pid));
	munmap(m, QT_PAGE_AT + 4096);
	close(fd);
	free(path);
}

/*
 * Tickets left in the queue by processes that are not waiting: one of pid
 * 1 (alive, answers kill(2) EPERM or yes, never has the queue open), one
 * of a live process that has the queue open but never took that ticket
 * (a pid reused by another fundflow), and a 255 in a row of a pid that is
 * gone.  A writer behind them all gets in well inside its timeout, and a
 * hundred writes after them never wait.
 */
static void
test_queue_stale_slots_passed(void **state)
{
	struct qt t;
	struct queue *q;
	int go, ready;
	pid_t h, gone;
	int64_t t0;

	(void)state;
	qt_setup(&t);
	assert_non_null(q = queue_open(t.db, 0600, (unsigned)geteuid()));
	h = qt_holder(&t, &go, &ready);
	/* The holder has left its turn open: release it, then forge. */
	gone = fork();
	assert_true(gone >= 0);
	if (gone == 0)
		_exit(0);
	qt_reap(gone, 0);
	qt_forge_ticket(&t, 1);
	for (int i = 0; i < 100; i++)
		qt_forge_ticket(&t, gone);
	{
		/* A live process with the queue open, idle. */
		pid_t idle;
		int itell, igo;
		char c;

		idle = qt_fork_piped(&itell, &igo);
		if (idle == 0) {
			struct queue *iq = queue_open(t.db, 0600,
			    (unsigned)geteuid());

			if (iq == NULL || write(itell, "x", 1) != 1 ||
			    read(igo, &c, 1) != 1)
				_exit(2);
			queue_close(iq);
			_exit(0);
		}
		assert_int_equal(read(itell, &c, 1), 1);
		qt_forge_ticket(&t, idle);
		qt_release(h, go, ready);
		t0 = qt_now_us();
		assert_int_equal(queue_enter(q, 5000), 0);
		assert_true(qt_now_us() - t0 < 2000000);
		queue_leave(q);
		for (int i = 0; i < 100; i++) {
			assert_int_equal(queue_enter(q, 0), 0);
			queue_leave(q);
		}
		assert_int_equal(write(igo, "x", 1), 1);
		qt_reap(idle, 0);
		close(itell);
		close(igo);
	}
	assert_int_equal(queue_length(q), 0);
	queue_close(q);
	qt_teardown(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_null),
		cmocka_unit_test(test_queue_alone),
		cmocka_unit_test(test_queue_fifo),
		cmocka_unit_test(test_queue_dead_holder_zombie),
		cmocka_unit_test(test_queue_dead_holder_reaped),
		cmocka_unit_test(test_queue_dead_waiter),
		cmocka_unit_test(test_queue_timeout_passes_on),
		cmocka_unit_test(test_queue_keeps_turn_bounded),
		cmocka_unit_test(test_queue_kept_turn_ended),
		cmocka_unit_test(test_queue_close_ends_kept_turn),
		cmocka_unit_test(test_queue_stopped_waiter_passed),
		cmocka_unit_test(test_queue_stopped_in_tx_named),
		cmocka_unit_test(test_queue_stale_slots_passed),
	};

	return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
