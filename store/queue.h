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
 * died is skipped by the next in line.  A writer that comes straight back
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

/* Opens (creating with mode) the queue file for db_path; NULL when it
 * cannot be had (writers then rely on SQLite's busy handler alone). */
struct queue *queue_open(const char *db_path, int mode);
void queue_close(struct queue *q);

/* Waits for this process's turn, at most timeout_ms.  Returns 0 when it
 * is our turn (at once when we kept it), -1 on timeout (our place is
 * given up). */
int queue_enter(struct queue *q, int timeout_ms);
/* Ends our transaction: wakes the next writer, or keeps the turn for a
 * next transaction of ours (ended by a waiter if unused for ~0.2 ms, by
 * queue_close at once).  Safe when not entered. */
void queue_leave(struct queue *q);
/* How many tickets are taken and not yet served: the holder and those
 * waiting behind it, gone ones included until they are passed.  For tests
 * and diagnostics; 0 when q is NULL. */
int queue_length(const struct queue *q);

#endif
