/* queue.c — the writers' ticket queue; see queue.h. */
#define _GNU_SOURCE		/* F_OFD_SETLK, F_OFD_GETLK */
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

#include "store/xmalloc.h"

#define QUEUE_SLOTS 256		/* writers waiting at once, at most */
#define QUEUE_MAGIC 0x66665133u	/* "ffQ3" */
#define QUEUE_POLL_US 20000	/* a sleeping waiter looks for a dead head */
#define QUEUE_NEXT_POLL_US 2000	/* ... and the next in line this often */
#define QUEUE_BURST_US 2000	/* a turn is kept only while this young */
#define QUEUE_GRACE_US 200	/* a kept turn unused this long is taken */
#define QUEUE_CLAIM_US 200000	/* a turn not taken this long is passed */

/*
 * The shared page.  next: the next ticket to hand out; serving: the
 * ticket whose turn it is; claimed: t + 1 once the holder of ticket t
 * took its turn (read by earlier builds on this page; this one reads the
 * slot's flags); slot[t % QUEUE_SLOTS]: the
 * pid holding ticket t (0 once it gave up or left), its flags (IN_TX
 * once it took its turn, until it leaves; PASSED when a waiter passed it
 * over first: one compare-and-swap decides which, so a holder stopped at
 * any instant is either waited for and named or passed before it can
 * take SQLite's lock), and its operator's login, for the sentence that
 * names who holds the others up; kept: t + 1 while the holder of ticket t
 * keeps its turn between two transactions (0 otherwise), since when in
 * kept_since.
 *
 * Whether a pid is alive is never asked of kill(2) (another operator's
 * process answers EPERM, a reused pid answers for a stranger): every
 * process holds an open-file-description lock (F_OFD_SETLK) on the byte
 * QUEUE_LOCK_AT + its pid for as long as it has the queue open, and the
 * kernel drops it when the process dies.  A slot whose pid holds no such
 * lock is vacant.
 *
 * The page sits at QUEUE_PAGE_AT in the file: the first two pages are the
 * queues of earlier builds, whose writers would not know these rules.
 * Such a process still running during an upgrade queues there, apart,
 * and SQLite's lock alone orders it against this build's writers (fair
 * among each, correct for all).
 */
#define QUEUE_PAGE_AT 8192
#define QUEUE_LOCK_AT ((off_t)1 << 32)
#define QUEUE_LABEL 40
#define QUEUE_IN_TX 1u		/* the holder took its turn: it is in its write */
#define QUEUE_PASSED 2u		/* a waiter passed this ticket's turn over */
struct queue_slot {
	_Atomic int32_t pid;
	_Atomic uint32_t flags;
	char label[QUEUE_LABEL];
};
/* The last holder a writer gave up waiting for, until a writer records
 * it (queue_take_note): state 0 empty, 1 being written or read, 2 full. */
struct queue_note_page {
	_Atomic uint32_t state;
	_Atomic int32_t gave_up;
	int32_t pid;
	int32_t in_tx;
	int32_t stopped;
	int32_t waited_ms;
	char label[QUEUE_LABEL];
};
struct queue_page {
	_Atomic uint32_t magic;
	_Atomic uint32_t next;
	_Atomic uint32_t serving;
	_Atomic uint32_t claimed;
	_Atomic uint32_t kept;
	_Atomic int64_t kept_since;
	struct queue_slot slot[QUEUE_SLOTS];
	struct queue_note_page note;
};
#define QUEUE_FILE_SIZE (QUEUE_PAGE_AT + sizeof(struct queue_page))

static void queue_end_turn(struct queue *);

struct queue {
	int fd;
	struct queue_page *p;
	uint32_t ticket;
	int entered;			/* inside a transaction of our turn */
	int kept;			/* between two, keeping the turn */
	int burst;			/* transactions in this turn so far */
	int64_t turn_start;		/* when this turn began (queue_us) */
	unsigned char *map;		/* the whole file, as mapped */
	char label[QUEUE_LABEL];	/* who we are, for others' sentences */
	struct queue_blocker blocker;	/* who held us up, at our timeout */
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
queue_open(const char *db_path, int mode, unsigned owner)
{
	char *path = xasprintf("%s-queue", db_path);
	struct queue *q;
	struct stat sb;
	struct flock lk;
	int fd, created = 1;
	void *m;

	/*
	 * In the data folder: never through a link, and made only by the
	 * database's owner (a file an operator's process made would be that
	 * operator's to write outside fundflow).  A file that is there
	 * already is used only if it is what the owner would have made: a
	 * regular file of one name, the owner's, nobody else may write.
	 * Otherwise there is no queue, which costs fairness only.
	 */
	fd = -1;
	errno = EEXIST;
	if (geteuid() == (uid_t)owner)
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode);
	if (fd < 0 && errno == EEXIST) {
		created = 0;
		fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	}
	free(path);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1 ||
	    (sb.st_mode & S_IWOTH) != 0 || sb.st_uid != (uid_t)owner) {
		close(fd);
		return NULL;
	}
	/* The umask must not narrow what the database's own mode allows
	 * (a service group shares the queue as it shares the file). */
	if (created)
		fchmod(fd, (mode_t)mode);
	if (sb.st_size < (off_t)QUEUE_FILE_SIZE &&
	    ftruncate(fd, (off_t)QUEUE_FILE_SIZE) != 0) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, QUEUE_FILE_SIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	/* Our sign of life, held until the queue is closed or we die. */
	memset(&lk, 0, sizeof(lk));
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = QUEUE_LOCK_AT + getpid();
	lk.l_len = 1;
	fcntl(fd, F_OFD_SETLK, &lk);
	q = xcalloc(1, sizeof(*q));
	q->fd = fd;
	q->map = m;
	q->p = (struct queue_page *)(q->map + QUEUE_PAGE_AT);
	/* A fresh file is all zeroes, which is a valid empty queue. */
	atomic_store(&q->p->magic, QUEUE_MAGIC);
	return q;
}

void
queue_set_label(struct queue *q, const char *label)
{
	if (q != NULL)
		snprintf(q->label, sizeof(q->label), "%s", label ? label : "");
}

const struct queue_blocker *
queue_blocker(const struct queue *q)
{
	return q != NULL && q->blocker.pid != 0 ? &q->blocker : NULL;
}

void
queue_close(struct queue *q)
{
	if (q == NULL)
		return;
	queue_end_turn(q);
	munmap(q->map, QUEUE_FILE_SIZE);
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

/* 1 when the process pid has the queue open (holds its sign of life). */
static int
queue_alive(struct queue *q, int32_t pid)
{
	struct flock lk;

	if (pid <= 0)
		return 0;
	if (pid == (int32_t)getpid())
		return 1;
	memset(&lk, 0, sizeof(lk));
	lk.l_type = F_WRLCK;
	lk.l_whence = SEEK_SET;
	lk.l_start = QUEUE_LOCK_AT + pid;
	lk.l_len = 1;
	if (fcntl(q->fd, F_OFD_GETLK, &lk) != 0)
		return 1;	/* cannot tell: count it alive, the timeout holds */
	return lk.l_type != F_UNLCK;
}

/* 1 when pid is stopped (SIGSTOP, a debugger): /proc/PID/stat is
 * readable for any process. */
static int
queue_stopped(int32_t pid)
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
	return p[2] == 'T' || p[2] == 't';
}

/*
 * The holder of ticket t takes its turn: from here until queue_leave it
 * is inside its write transaction, and waiters wait for it even while it
 * is stopped.  Taking the turn and passing it over (queue_pass_over) race
 * for the slot's flags; one wins.  0 when a waiter passed it first.
 */
static int
queue_claim(struct queue *q, uint32_t t)
{
	uint32_t f = 0;

	return atomic_compare_exchange_strong(
	    &q->p->slot[t % QUEUE_SLOTS].flags, &f, QUEUE_IN_TX);
}

/* A waiter passes over the live holder of ticket t, which has not taken
 * its turn; 0 when the holder took it meanwhile. */
static int
queue_pass_over(struct queue *q, uint32_t t)
{
	uint32_t f = 0;

	return atomic_compare_exchange_strong(
	    &q->p->slot[t % QUEUE_SLOTS].flags, &f, QUEUE_PASSED) ||
	    f == QUEUE_PASSED;
}

/*
 * 1 when the holder of ticket t need not be waited for: it gave its place
 * up, died, or is stopped before it took its turn (it holds no lock of
 * SQLite's; when it runs again it finds its turn passed).
 */
static int
queue_vacant(struct queue *q, uint32_t t)
{
	struct queue_slot *sl = &q->p->slot[t % QUEUE_SLOTS];
	int32_t pid = atomic_load(&sl->pid);

	if (pid == 0 || !queue_alive(q, pid))
		return 1;
	return (atomic_load(&sl->flags) & QUEUE_IN_TX) == 0 &&
	    queue_stopped(pid) && queue_pass_over(q, t);
}

/* Gives up ticket t's slot, if pid still holds it (any pid when pid is
 * -1): a slot is reused 256 tickets later, and a late clear must not
 * empty its next holder's. */
static void
queue_slot_clear(struct queue *q, uint32_t t, int32_t pid)
{
	struct queue_slot *sl = &q->p->slot[t % QUEUE_SLOTS];
	int32_t cur = atomic_load(&sl->pid);

	if (cur == 0 || (pid >= 0 && cur != pid))
		return;
	atomic_compare_exchange_strong(&sl->pid, &cur, 0);
}

/* Makes ticket t's slot ours: flags and label are written before the
 * pid that makes them ours. */
static void
queue_fill_slot(struct queue *q, uint32_t t)
{
	struct queue_slot *sl = &q->p->slot[t % QUEUE_SLOTS];

	atomic_store(&sl->flags, 0);
	memcpy(sl->label, q->label, QUEUE_LABEL);
	atomic_store(&sl->pid, (int32_t)getpid());
}

/* Takes back the turn we kept between two transactions (queue_leave);
 * 1 when it is ours again, 0 when we kept none or a waiter ended it. */
static int
queue_retake_kept(struct queue *q)
{
	uint32_t mine = q->ticket + 1;

	if (!q->kept)
		return 0;
	q->kept = 0;
	if (!atomic_compare_exchange_strong(&q->p->kept, &mine, 0) ||
	    !queue_claim(q, q->ticket))
		return 0;
	q->entered = 1;
	q->burst++;
	return 1;
}

/* Ticket t's turn is ours, a new one (not a kept one). */
static void
queue_took_turn(struct queue *q, uint32_t t)
{
	q->ticket = t;
	q->entered = 1;
	q->burst = 1;
	q->turn_start = queue_us();
}

/* Takes the next ticket and our slot. */
static uint32_t
queue_take_ticket(struct queue *q)
{
	uint32_t t = atomic_fetch_add(&q->p->next, 1);

	queue_fill_slot(q, t);
	return t;
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
	/* A turn kept by a holder that died is not kept any more. */
	s = t + 1;
	atomic_compare_exchange_strong(&q->p->kept, &s, 0);
	t++;
	if (atomic_load(&q->p->next) == t)
		return;
	if (atomic_load(&q->p->slot[t % QUEUE_SLOTS].pid) == 0)
		queue_wake_all(q);
	else
		queue_wake(q, t);
}

/*
 * A turn s kept by its holder between transactions (queue_leave) and not
 * used again within QUEUE_GRACE_US is ended by a waiter, to be passed on.
 * The holder coming back and the waiter race for the kept word; one wins.
 * 1 when this waiter ended it.
 */
static int
queue_take_kept(struct queue *q, uint32_t s, int64_t now)
{
	uint32_t k = s + 1;

	if (atomic_load(&q->p->kept) != k ||
	    now - atomic_load(&q->p->kept_since) < QUEUE_GRACE_US)
		return 0;
	if (!atomic_compare_exchange_strong(&q->p->kept, &k, 0))
		return 0;
	queue_slot_clear(q, s, -1);
	return 1;
}

/* Leaves b in the page for the next writer to record; a writer giving
 * up on the same holder as the note's counts itself in. */
static void
queue_put_note(struct queue *q, const struct queue_blocker *b)
{
	struct queue_note_page *n = &q->p->note;
	uint32_t st = 0;

	if (atomic_compare_exchange_strong(&n->state, &st, 1)) {
		n->pid = b->pid;
		n->in_tx = b->in_tx;
		n->stopped = b->stopped;
		n->waited_ms = b->waited_ms;
		memcpy(n->label, b->label, sizeof(n->label));
		atomic_store(&n->gave_up, 1);
		atomic_store(&n->state, 2);
	} else if (st == 2 && n->pid == b->pid) {
		atomic_fetch_add(&n->gave_up, 1);
	}
}

int
queue_take_note(struct queue *q, struct queue_blocker *out, int *gave_up)
{
	struct queue_note_page *n;
	uint32_t st = 2;

	if (q == NULL)
		return 0;
	n = &q->p->note;
	if (!atomic_compare_exchange_strong(&n->state, &st, 1))
		return 0;
	memset(out, 0, sizeof(*out));
	out->pid = n->pid;
	out->in_tx = n->in_tx;
	out->stopped = n->stopped;
	out->waited_ms = n->waited_ms;
	memcpy(out->label, n->label, sizeof(out->label));
	out->label[sizeof(out->label) - 1] = '\0';
	*gave_up = atomic_load(&n->gave_up);
	atomic_store(&n->state, 0);
	return 1;
}

/* Notes who holds ticket s, for the sentence of a writer that gave up
 * waiting for it. */
static void
queue_note_blocker(struct queue *q, uint32_t s, int64_t waited_us)
{
	struct queue_slot *sl = &q->p->slot[s % QUEUE_SLOTS];
	struct queue_blocker *b = &q->blocker;

	memset(b, 0, sizeof(*b));
	b->pid = atomic_load(&sl->pid);
	if (b->pid <= 0 || b->pid == (int32_t)getpid()) {
		b->pid = 0;
		return;
	}
	memcpy(b->label, sl->label, sizeof(b->label));
	b->label[sizeof(b->label) - 1] = '\0';
	b->in_tx = (atomic_load(&sl->flags) & QUEUE_IN_TX) != 0;
	b->stopped = queue_stopped(b->pid);
	b->waited_ms = (int)(waited_us / 1000);
	queue_put_note(q, b);
}

int
queue_enter(struct queue *q, int timeout_ms)
{
	int64_t start = queue_us();
	int64_t deadline = start + (int64_t)timeout_ms * 1000;
	int64_t head_seen = 0, head_looked = 0;
	uint32_t t, s, head = 0;
	int have_head = 0;

	if (q == NULL || q->entered)
		return 0;
	memset(&q->blocker, 0, sizeof(q->blocker));
	/* (A kept turn taken over meanwhile has been passed on.) */
	if (queue_retake_kept(q))
		return 0;
	t = queue_take_ticket(q);
	for (;;) {
		int64_t now, wake_at;
		struct timespec ts;
		int vacant;

		s = atomic_load(&q->p->serving);
		if (s == t && queue_claim(q, t)) {
			/* For builds that still read it. */
			atomic_store(&q->p->claimed, t + 1);
			break;
		}
		now = queue_us();
		if ((int32_t)(t - s) <= 0) {
			/* Our turn came and was passed while we did not take
			 * it (stopped, or not run for QUEUE_CLAIM_US): queue
			 * again, at the back. */
			queue_slot_clear(q, t, (int32_t)getpid());
			if (now >= deadline)
				return -1;
			t = queue_take_ticket(q);
			continue;
		}
		if ((int32_t)(t - s) >= QUEUE_SLOTS) {
			/* The queue lost count (a crash mid-update, or more
			 * waiters than slots): do not wait on it. */
			atomic_store(&q->p->slot[t % QUEUE_SLOTS].flags,
			    QUEUE_IN_TX);
			break;
		}
		if (!have_head || s != head) {
			have_head = 1;
			head = s;
			head_seen = head_looked = now;
		}
		/*
		 * A head that gave its place up is passed at once; one whose
		 * turn came and who did not take it within QUEUE_CLAIM_US
		 * (a slot left by a process that is gone, its pid now
		 * another's) likewise.  One that may have died or been
		 * stopped costs a look at its lock and /proc, once a poll.
		 * The usual hand-over makes no system call but the futex's.
		 */
		vacant = atomic_load(&q->p->slot[s % QUEUE_SLOTS].pid) == 0 ||
		    (now - head_seen >= QUEUE_CLAIM_US && queue_pass_over(q, s));
		if (!vacant && now - head_looked >= QUEUE_POLL_US) {
			head_looked = now;
			vacant = queue_vacant(q, s);
		}
		if (vacant || queue_take_kept(q, s, now)) {
			queue_pass(q, s);
			continue;
		}
		if (now >= deadline) {
			queue_note_blocker(q, s, now - head_seen);
			queue_slot_clear(q, t, (int32_t)getpid());
			/* If our turn came meanwhile, pass it on. */
			queue_pass(q, t);
			return -1;
		}
		/* Sleep until our turn is passed to us; wake now and then to
		 * look for a dead or stopped head, or (the next in line,
		 * often) for a kept turn left unused. */
		wake_at = now + (t == s + 1 ? QUEUE_NEXT_POLL_US : QUEUE_POLL_US);
		if (wake_at > deadline)
			wake_at = deadline;
		ts.tv_sec = wake_at / 1000000;
		ts.tv_nsec = wake_at % 1000000 * 1000;
		syscall(SYS_futex, &q->p->serving, FUTEX_WAIT_BITSET, s, &ts, NULL,
		    queue_bit(t));
	}
	queue_took_turn(q, t);
	return 0;
}

int
queue_try_enter(struct queue *q)
{
	uint32_t s, t;

	if (q == NULL || q->entered)
		return 1;
	if (queue_retake_kept(q))
		return 1;
	memset(&q->blocker, 0, sizeof(q->blocker));
	/* The next ticket, only if it is the one being served; heads that
	 * need no waiting for (gone, or a kept turn left unused) are passed
	 * on first, as a waiter would. */
	for (int i = 0;; i++) {
		s = atomic_load(&q->p->serving);
		t = s;
		if (atomic_compare_exchange_strong(&q->p->next, &t, s + 1))
			break;
		if (i >= QUEUE_SLOTS || (int32_t)(t - s) >= QUEUE_SLOTS ||
		    !(queue_vacant(q, s) || queue_take_kept(q, s, queue_us())))
			return 0;
		queue_pass(q, s);
	}
	queue_fill_slot(q, s);
	if (atomic_load(&q->p->serving) != s || !queue_claim(q, s)) {
		/* Passed over before our pid was in the slot. */
		queue_slot_clear(q, s, (int32_t)getpid());
		queue_pass(q, s);
		return 0;
	}
	atomic_store(&q->p->claimed, s + 1);
	queue_took_turn(q, s);
	return 1;
}

int
queue_name_head(struct queue *q, int waited_ms)
{
	uint32_t s;
	struct queue_slot *sl;

	if (q == NULL)
		return 0;
	memset(&q->blocker, 0, sizeof(q->blocker));
	s = atomic_load(&q->p->serving);
	if (s == atomic_load(&q->p->next))
		return 0;	/* nobody holds a turn */
	sl = &q->p->slot[s % QUEUE_SLOTS];
	if ((atomic_load(&sl->flags) & QUEUE_IN_TX) == 0 ||
	    !queue_alive(q, atomic_load(&sl->pid)))
		return 0;
	queue_note_blocker(q, s, (int64_t)waited_ms * 1000);
	return q->blocker.pid != 0;
}

/* Our write transaction is over: nobody need wait for us as for one
 * that holds SQLite's lock. */
static void
queue_clear_tx(struct queue *q)
{
	struct queue_slot *sl = &q->p->slot[q->ticket % QUEUE_SLOTS];

	if (atomic_load(&sl->pid) == (int32_t)getpid())
		atomic_fetch_and(&sl->flags, ~QUEUE_IN_TX);
}

/* Ends our turn for good and passes it on; nothing when we hold none. */
static void
queue_end_turn(struct queue *q)
{
	if (q->kept) {
		uint32_t mine = q->ticket + 1;

		q->kept = 0;
		if (!atomic_compare_exchange_strong(&q->p->kept, &mine, 0))
			return;		/* ended by a waiter, and passed on */
	} else if (!q->entered) {
		return;
	}
	q->entered = 0;
	queue_clear_tx(q);
	queue_slot_clear(q, q->ticket, (int32_t)getpid());
	queue_pass(q, q->ticket);
}

/*
 * A writer that comes straight back for another transaction keeps its
 * turn, when others wait, for up to QUEUE_BURST transactions while the
 * turn is under QUEUE_BURST_US old: every hand-over between processes
 * costs the next one a cold start (SQLite drops its page cache when
 * another process wrote, and its CPU caches are cold), about a quarter
 * of an approval; kept, eight approving processes lose ~15 % against
 * one, not ~30 % (tests/bench/RESULTS.md).  A turn kept but not used
 * within QUEUE_GRACE_US is ended by a waiter (the next in line looks
 * every QUEUE_NEXT_POLL_US), so one that went on to other work holds
 * nobody up for more than ~2 ms.  Turns stay in ticket order: no writer
 * is passed over, each waits at most for the turns ahead of it.
 */
void
queue_leave(struct queue *q)
{
	int64_t now;

	if (q == NULL || !q->entered)
		return;
	queue_clear_tx(q);
	if (q->burst < QUEUE_BURST &&
	    atomic_load(&q->p->next) != q->ticket + 1 &&
	    (now = queue_us()) - q->turn_start < QUEUE_BURST_US) {
		q->entered = 0;
		q->kept = 1;
		atomic_store(&q->p->kept_since, now);
		atomic_store(&q->p->kept, q->ticket + 1);
		return;
	}
	queue_end_turn(q);
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
