/* queue.c — the writers' ticket queue; see queue.h. */
#include "queue.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"

#define QUEUE_SLOTS 256		/* writers waiting at once, at most */
#define QUEUE_MAGIC 0x66665131u	/* "ffQ1" */
#define QUEUE_POLL_US 20000	/* a sleeping waiter looks for a dead head */

/* The shared page.  next: the next ticket to hand out; serving: the
 * ticket whose turn it is; slot[t % QUEUE_SLOTS]: the pid holding ticket
 * t, 0 once it gave up or left. */
struct queue_page {
	_Atomic uint32_t magic;
	_Atomic uint32_t next;
	_Atomic uint32_t serving;
	_Atomic int32_t slot[QUEUE_SLOTS];
};

struct queue {
	int fd;
	struct queue_page *p;
	uint32_t ticket;
	int entered;
};

/* CLOCK_MONOTONIC in microseconds: the clock FUTEX_WAIT_BITSET's
 * absolute timeouts are measured on. */
static int64_t
queue_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct queue *
queue_open(const char *db_path, int mode)
{
	char *path = xasprintf("%s-queue", db_path);
	struct queue *q;
	struct stat sb;
	void *m;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode);
	free(path);
	if (fd < 0)
		return NULL;
	/* The umask must not narrow what the database's own mode allows
	 * (a service group shares the queue as it shares the file). */
	if (fstat(fd, &sb) == 0 && sb.st_uid == geteuid() &&
	    (sb.st_mode & 0777) != (mode_t)mode)
		fchmod(fd, (mode_t)mode);
	if (fstat(fd, &sb) != 0 ||
	    (sb.st_size < (off_t)sizeof(struct queue_page) &&
	    ftruncate(fd, sizeof(struct queue_page)) != 0)) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, sizeof(struct queue_page), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	q = xcalloc(1, sizeof(*q));
	q->fd = fd;
	q->p = m;
	/* A fresh file is all zeroes, which is a valid empty queue. */
	atomic_store(&q->p->magic, QUEUE_MAGIC);
	return q;
}

void
queue_close(struct queue *q)
{
	if (q == NULL)
		return;
	queue_leave(q);
	munmap(q->p, sizeof(*q->p));
	close(q->fd);
	free(q);
}

/*
 * Every waiter sleeps on serving, with the bit of its own ticket
 * (FUTEX_WAIT_BITSET), so that a hand-over wakes the next writer alone
 * rather than all of them: with eight writers on two cores, a herd woken
 * at each commit took the CPU from the one whose turn it was.  Tickets 32
 * apart share a bit; such a waiter wakes for nothing and sleeps again.
 */
static uint32_t
queue_bit(uint32_t t)
{
	return 1u << (t % 32);
}

/* Wakes the waiter of ticket t. */
static void
queue_wake(struct queue *q, uint32_t t)
{
	syscall(SYS_futex, &q->p->serving, FUTEX_WAKE_BITSET, INT_MAX, NULL,
	    NULL, queue_bit(t));
}

/* Wakes every waiter, to look at a head that may be vacant. */
static void
queue_wake_all(struct queue *q)
{
	syscall(SYS_futex, &q->p->serving, FUTEX_WAKE_BITSET, INT_MAX, NULL,
	    NULL, FUTEX_BITSET_MATCH_ANY);
}

/* 1 when pid is a zombie: killed, not yet reaped by its parent. */
static int
queue_zombie(int32_t pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "pid (comm) S ...": the state follows the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return 0;
	return p[2] == 'Z' || p[2] == 'X';
}

/* 1 when the process holding ticket t is gone or gave its place up. */
static int
queue_vacant(struct queue *q, uint32_t t)
{
	int32_t pid = atomic_load(&q->p->slot[t % QUEUE_SLOTS]);

	if (pid == 0)
		return 1;
	if (kill(pid, 0) != 0)
		return errno == ESRCH;
	return queue_zombie(pid);
}

/*
 * Passes the turn on from ticket t, if it is still t's, and wakes the
 * next holder.  No system call when no later ticket was taken, so a lone
 * writer pays nothing for the queue.  A next ticket with no pid gave its
 * place up (or is being taken this instant): every waiter is woken to
 * look, as the next in line alone would sleep on.
 */
static void
queue_pass(struct queue *q, uint32_t t)
{
	uint32_t s = t;

	if (!atomic_compare_exchange_strong(&q->p->serving, &s, t + 1))
		return;
	t++;
	if (atomic_load(&q->p->next) == t)
		return;
	if (atomic_load(&q->p->slot[t % QUEUE_SLOTS]) == 0)
		queue_wake_all(q);
	else
		queue_wake(q, t);
}

int
queue_enter(struct queue *q, int timeout_ms)
{
	int64_t deadline = queue_us() + (int64_t)timeout_ms * 1000;
	uint32_t t, s, slept_on = 0;
	int slept = 0, timed_out = 0;

	if (q == NULL || q->entered)
		return 0;
	t = atomic_fetch_add(&q->p->next, 1);
	atomic_store(&q->p->slot[t % QUEUE_SLOTS], (int32_t)getpid());
	for (;;) {
		int64_t now, wake_at;
		struct timespec ts;

		s = atomic_load(&q->p->serving);
		if (s == t)
			break;
		if ((int32_t)(t - s) < 0 || (int32_t)(t - s) >= QUEUE_SLOTS) {
			/* The queue lost count (a crash mid-update, or more
			 * waiters than slots): do not wait on it. */
			break;
		}
		/*
		 * A head that gave its place up is passed at once.  One that
		 * may have died (it held its turn through a whole poll of
		 * ours, or our poll ran out while we were next) costs a look
		 * at the process table.  The usual hand-over makes no system
		 * call but the futex's.
		 */
		if (atomic_load(&q->p->slot[s % QUEUE_SLOTS]) == 0 ||
		    (((slept && slept_on == s) || (timed_out && t == s + 1)) &&
		    queue_vacant(q, s))) {
			queue_pass(q, s);
			continue;
		}
		now = queue_us();
		if (now >= deadline) {
			atomic_store(&q->p->slot[t % QUEUE_SLOTS], 0);
			/* If our turn came meanwhile, pass it on. */
			queue_pass(q, t);
			return -1;
		}
		/* Sleep until our turn is passed to us; wake now and then to
		 * look for a dead head. */
		wake_at = now + QUEUE_POLL_US;
		if (wake_at > deadline)
			wake_at = deadline;
		ts.tv_sec = wake_at / 1000000;
		ts.tv_nsec = wake_at % 1000000 * 1000;
		slept = 1;
		slept_on = s;
		timed_out = syscall(SYS_futex, &q->p->serving, FUTEX_WAIT_BITSET,
		    s, &ts, NULL, queue_bit(t)) != 0 && errno == ETIMEDOUT;
	}
	q->ticket = t;
	q->entered = 1;
	return 0;
}

void
queue_leave(struct queue *q)
{
	if (q == NULL || !q->entered)
		return;
	q->entered = 0;
	atomic_store(&q->p->slot[q->ticket % QUEUE_SLOTS], 0);
	queue_pass(q, q->ticket);
}

int
queue_length(const struct queue *q)
{
	int32_t n;

	if (q == NULL)
		return 0;
	n = (int32_t)(atomic_load(&q->p->next) - atomic_load(&q->p->serving));
	return n < 0 ? 0 : n;
}
