/*
 * secret.h — the first line of a password file, read from a descriptor
 * already opened (by whatever rights the caller must use) and checked on
 * that descriptor: the database's password file (store/pg) and the
 * broker's (ui/cmd_consume.c) obey the same rule.  In store/, the lowest
 * layer, so that both reach it without an include pointing upward.
 */
#ifndef FF_SECRET_H
#define FF_SECRET_H

#include <stddef.h>

enum secret_rc {
	SECRET_OK = 0,
	SECRET_UNSAFE,		/* not a regular file, or others may read it
				   or anyone but its owner change it (mode &
				   027: 0600, or 0640 for a service group) */
	SECRET_EMPTY		/* nothing on its first line's place */
};

/*
 * Reads the first line of fd (without its line end) into buf; does not
 * close fd.  The contents are never part of any message.
 */
enum secret_rc secret_read_fd(int fd, char *buf, size_t bufsz);

#endif
