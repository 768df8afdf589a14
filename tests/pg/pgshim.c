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
 *                  waits, idle in the transaction, holding its locks.
 *
 * Either way PQexec returns what libpq returns on a lost connection.
 * FFPGSHIM_NTH=N cuts only the Nth COMMIT of the process (every one when
 * unset); FFPGSHIM_LOG=FILE appends a line per COMMIT cut.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libpq-fe.h>

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

PGresult *
PQexec(PGconn *conn, const char *query)
{
	static PGresult *(*real)(PGconn *, const char *);
	static long commits;
	const char *mode = getenv("FFPGSHIM");
	const char *nth = getenv("FFPGSHIM_NTH");

	if (real == NULL)
		real = (PGresult *(*)(PGconn *, const char *))dlsym(RTLD_NEXT,
		    "PQexec");
	if (mode == NULL || strcmp(query, "COMMIT") != 0)
		return real(conn, query);
	commits++;
	if (nth != NULL && strtol(nth, NULL, 10) != commits)
		return real(conn, query);
	if (strcmp(mode, "before") == 0) {
		shutdown(PQsocket(conn), SHUT_RDWR);
		pgshim_log(mode);
		return real(conn, query);
	}
	if (strcmp(mode, "stall") == 0) {
		int pair[2], fd = PQsocket(conn);

		/* Ours stays open to the server; libpq's descriptor becomes
		 * one whose other end is closed. */
		if (dup(fd) >= 0 &&
		    socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) {
			close(pair[1]);
			dup2(pair[0], fd);
			close(pair[0]);
		}
		pgshim_log(mode);
		return real(conn, query);
	}
	if (strcmp(mode, "after") == 0) {
		PQclear(real(conn, query));
		shutdown(PQsocket(conn), SHUT_RDWR);
		pgshim_log(mode);
		/* What the program sees: its COMMIT's answer lost. */
		return real(conn, "COMMIT");
	}
	return real(conn, query);
}
