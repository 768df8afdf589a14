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

static int64_t
queue_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

static void
queue_wake(struct queue *q)
{
	syscall(SYS_futex, &q->p->serving, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
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

int
queue_enter(struct queue *q, int timeout_ms)
{
	int64_t deadline = queue_ms() + timeout_ms;
	uint32_t t, s;

	if (q == NULL || q->entered)
		return 0;
	t = atomic_fetch_add(&q->p->next, 1);
	atomic_store(&q->p->slot[t % QUEUE_SLOTS], (int32_t)getpid());
	for (;;) {
		int64_t left;
		struct timespec ts;

		s = atomic_load(&q->p->serving);
		if (s == t)
			break;
		if ((int32_t)(t - s) < 0 || (int32_t)(t - s) >= QUEUE_SLOTS) {
			/* The queue lost count (a crash mid-update, or more
			 * waiters than slots): do not wait on it. */
			break;
		}
		if (queue_vacant(q, s)) {
			/* The head died or gave up: move past it. */
			if (atomic_compare_exchange_strong(&q->p->serving, &s, s + 1))
				queue_wake(q);
			continue;
		}
		left = deadline - queue_ms();
		if (left <= 0) {
			atomic_store(&q->p->slot[t % QUEUE_SLOTS], 0);
			/* If our turn came meanwhile, pass it on. */
			s = t;
			if (atomic_compare_exchange_strong(&q->p->serving, &s, t + 1))
				queue_wake(q);
			return -1;
		}
		/* Sleep until serving changes; wake now and then to look for
		 * a dead head. */
		if (left > 20)
			left = 20;
		ts.tv_sec = 0;
		ts.tv_nsec = left * 1000000;
		syscall(SYS_futex, &q->p->serving, FUTEX_WAIT, s, &ts, NULL, 0);
	}
	q->ticket = t;
	q->entered = 1;
	return 0;
}

void
queue_leave(struct queue *q)
{
	uint32_t t;

	if (q == NULL || !q->entered)
		return;
	q->entered = 0;
	t = q->ticket;
	atomic_store(&q->p->slot[t % QUEUE_SLOTS], 0);
	/* Only move serving on if it is still ours. */
	if (atomic_compare_exchange_strong(&q->p->serving, &t, q->ticket + 1))
		queue_wake(q);
}
