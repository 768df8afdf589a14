/*
 * queue.h — a fair queue in front of the database's write lock.
 *
 * SQLite's busy handler polls with growing sleeps, so under many writers
 * some wait seconds while others keep winning.  Writers on one database
 * therefore first take a ticket in a small shared file beside it
 * (PATH-queue, mapped by every process) and are served in ticket order,
 * woken by a futex the moment their turn comes.  The queue only orders
 * writers: SQLite's own lock still guarantees that one writes at a time,
 * so a queue that fails (a dead holder, a reused pid, an unwritable
 * folder) can cost fairness, never correctness.  A holder or waiter that
 * died is skipped by the next in line, and so is one stopped (SIGSTOP, a
 * debugger) outside its write transaction: only a writer that holds
 * SQLite's lock is waited for, and the one that gives up waiting for it
 * learns its pid and login (queue_blocker).  Liveness is an OFD lock the
 * kernel drops with the process, never kill(2), which a reused pid or
 * another account's process would answer.  A writer that comes straight back
 * for another transaction while others wait keeps its turn for a few
 * (bounded: see queue_leave in queue.c), which spares the next one a cold
 * start per transaction.
 */
#ifndef FF_QUEUE_H
#define FF_QUEUE_H

#include <stdint.h>

struct queue;

/* Transactions one turn may hold at most, when others wait. */
#define QUEUE_BURST 4

/* Who held the others up: the head of the queue when a writer gave up. */
struct queue_blocker {
	int pid;
	char label[40];		/* its operator's login, "" when unknown */
	int stopped;		/* stopped by a signal or a debugger */
	int in_tx;		/* inside its write transaction */
	int waited_ms;		/* how long it was waited for */
};

/* Opens (creating with mode, O_EXCL) the queue file for db_path, never
 * through a symbolic link; an existing file is used only if it is a
 * regular file with one name, owned by owner or by us and not writable
 * by others.  NULL when it cannot be had (writers then rely on SQLite's
 * busy handler alone). */
struct queue *queue_open(const char *db_path, int mode, unsigned owner);
void queue_close(struct queue *q);
/* Who we are, in the sentence of a writer that waits for us. */
void queue_set_label(struct queue *q, const char *label);
/* The holder the last queue_enter timed out on; NULL when none. */
const struct queue_blocker *queue_blocker(const struct queue *q);
/* A writer that gave up cannot record why (the database is held): it
 * leaves the holder in the shared page, and the next writer takes it to
 * record in its own transaction.  1 and *out, *gave_up (writers that gave
 * up on that holder) when there was one; 0 otherwise. */
int queue_take_note(struct queue *q, struct queue_blocker *out, int *gave_up);

/* Waits for this process's turn, at most timeout_ms.  Returns 0 when it
 * is our turn (at once when we kept it), -1 on timeout (our place is
 * given up).  From 0 until queue_leave we count as inside our write
 * transaction: waiters wait for us even while we are stopped, and name
 * us in their sentence. */
int queue_enter(struct queue *q, int timeout_ms);
/* Takes our turn only if nobody holds or waits for one: 1 when it is
 * ours (as after queue_enter), or when there is no queue (q NULL); 0
 * otherwise, at once.  For work that may be skipped when others write
 * (the checkpoint SQLite makes when its last connection closes). */
int queue_try_enter(struct queue *q);
/* The holder at the head of the queue, when it is inside its write
 * transaction and alive: noted as queue_enter notes the one it timed out
 * on (queue_blocker, queue_take_note), for a process that waited on
 * SQLite's lock outside the queue (opening the database while the last
 * connection's checkpoint holds it).  1 when there was one. */
int queue_name_head(struct queue *q, int waited_ms);
/* Ends our transaction: wakes the next writer, or keeps the turn for a
 * next transaction of ours (ended by a waiter if unused for ~0.2 ms, by
 * queue_close at once).  Safe when not entered. */
void queue_leave(struct queue *q);
/* How many tickets are taken and not yet served: the holder and those
 * waiting behind it, gone ones included until they are passed.  For tests
 * and diagnostics; 0 when q is NULL. */
int queue_length(const struct queue *q);

#endif
