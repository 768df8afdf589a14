/* secret.c — a password file's first line; see secret.h. */
#include "secret.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum secret_rc
secret_read_fd(int fd, char *buf, size_t bufsz)
{
	struct stat sb;
	ssize_t n;

	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 0027) != 0)
		return SECRET_UNSAFE;
	n = read(fd, buf, bufsz - 1);
	if (n <= 0)
		return SECRET_EMPTY;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return SECRET_OK;
}
