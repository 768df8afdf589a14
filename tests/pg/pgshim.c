/*
 * pgshim.c — loses the connection at COMMIT, for the tests only (an
 * LD_PRELOAD library; never linked into fundflow).
 *
 * FFPGSHIM=before  the connection is cut just before COMMIT is sent:
 *                  the server never gets it and rolls the transaction
 *                  back when it sees the connection gone;
 * FFPGSHIM=after   COMMIT is sent and answered, then the connection is
 *                  cut and the answer is thrown away: the transaction
 *                  was kept, and the program cannot know it;
 * FFPGSHIM=stall   the program loses its connection before COMMIT is
 *                  sent, but the server does not notice: the connection
 *                  is kept open beside it (as a dead network path keeps
 *                  it until keepalives give up), and the server process
 *                  waits, idle in the transaction, holding its locks;
 * FFPGSHIM=stop    the process stops itself (SIGSTOP) just before COMMIT
 *                  is sent, inside its transaction with its row locks;
 *                  continued (SIGCONT), it commits as usual.
 *
 * COMMIT is seen where fundflow sends it: as the last query of a pipeline
 * (PQsendQueryParams, then PQpipelineSync; store/pg/pipeline.c).  libpq
 * then reports what it reports on a lost connection.
 * FFPGSHIM_NTH=N cuts only the Nth COMMIT of the process (every one when
 * unset); FFPGSHIM_LOG=FILE appends a line per COMMIT cut.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

static long pgshim_commits;
static int pgshim_pending;	/* a pipeline's COMMIT is to be cut */

static void
pgshim_log(const char *what)
{
	const char *path = getenv("FFPGSHIM_LOG");
	FILE *f;

	if (path != NULL && (f = fopen(path, "a")) != NULL) {
		fprintf(f, "cut %s COMMIT\n", what);
		fclose(f);
	}
}

/* The mode when this COMMIT is the one to cut; NULL otherwise. */
static const char *
pgshim_this_one(void)
{
	const char *mode = getenv("FFPGSHIM");
	const char *nth = getenv("FFPGSHIM_NTH");

	if (mode == NULL)
		return NULL;
	pgshim_commits++;
	if (nth != NULL && strtol(nth, NULL, 10) != pgshim_commits)
		return NULL;
	return mode;
}

/* libpq's descriptor becomes a socket whose other end is closed; the
 * connection itself stays open to the server when keep is set. */
static void
pgshim_dead_end(PGconn *conn, int keep)
{
	int pair[2], fd = PQsocket(conn);

	if (keep && dup(fd) < 0)
		return;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) {
		close(pair[1]);
		dup2(pair[0], fd);
		close(pair[0]);
	}
}

/* Until the server's answers up to its ReadyForQuery ('Z', length 5,
 * status) are all in the socket, unread: then it has done the COMMIT. */
static void
pgshim_await_ready(PGconn *conn)
{
	static char buf[1 << 16];
	struct pollfd p = { .fd = PQsocket(conn), .events = POLLIN };

	for (int i = 0; i < 3000; i++) {
		ssize_t n;

		if (poll(&p, 1, 10) < 0)
			return;
		n = recv(p.fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
		if (n >= 6 && buf[n - 6] == 'Z' && buf[n - 5] == 0 &&
		    buf[n - 4] == 0 && buf[n - 3] == 0 && buf[n - 2] == 5)
			return;
	}
}

int
PQsendQueryParams(PGconn *conn, const char *command, int n,
    const Oid *types, const char *const *values, const int *lengths,
    const int *formats, int result_format)
{
	static int (*real)(PGconn *, const char *, int, const Oid *,
	    const char *const *, const int *, const int *, int);

	if (real == NULL)
		real = (int (*)(PGconn *, const char *, int, const Oid *,
		    const char *const *, const int *, const int *, int))
		    dlsym(RTLD_NEXT, "PQsendQueryParams");
	if (strcmp(command, "COMMIT") == 0 &&
	    PQpipelineStatus(conn) != PQ_PIPELINE_OFF && pgshim_this_one())
		pgshim_pending = 1;
	return real(conn, command, n, types, values, lengths, formats,
	    result_format);
}

int
PQpipelineSync(PGconn *conn)
{
	static int (*real)(PGconn *);
	const char *mode = getenv("FFPGSHIM");
	int rc;

	if (real == NULL)
		real = (int (*)(PGconn *))dlsym(RTLD_NEXT, "PQpipelineSync");
	if (!pgshim_pending || mode == NULL)
		return real(conn);
	pgshim_pending = 0;
	pgshim_log(mode);
	if (strcmp(mode, "stop") == 0) {
		raise(SIGSTOP);
		return real(conn);
	}
	if (strcmp(mode, "before") == 0) {
		shutdown(PQsocket(conn), SHUT_RDWR);
		return real(conn);
	}
	if (strcmp(mode, "stall") == 0) {
		pgshim_dead_end(conn, 1);
		return real(conn);
	}
	rc = real(conn);
	if (strcmp(mode, "after") == 0) {
		pgshim_await_ready(conn);
		pgshim_dead_end(conn, 0);
	}
	return rc;
}
