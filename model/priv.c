/* priv.c — the group privilege of an installed fundflow; see priv.h. */
#include "priv.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "store/xmalloc.h"

static int priv_ready;
static int priv_is_held;
static gid_t priv_egid;		/* the group's id, as started */
static gid_t priv_rgid;		/* the caller's own group */
static int priv_aside;		/* depth of priv_user_begin/end */

/*
 * Paths from the environment that a privileged fundflow does not use.
 * glibc already drops some of them for a setgid program (TMPDIR, LOCPATH,
 * NLSPATH, GCONV_PATH); ncurses reads TERMINFO and TERMCAP unless it sees
 * a changed group, which it does not once the privilege is set aside.
 * Removing them here makes the rule fundflow's own, whatever the libraries.
 */
static const char *const priv_unsafe_env[] = {
	"TMPDIR", "SQLITE_TMPDIR", "TEMP", "TMP",
	"LOCPATH", "NLSPATH", "GCONV_PATH", "LOCALEDIR", "TEXTDOMAINDIR",
	"TERMINFO", "TERMINFO_DIRS", "TERMCAP", "TERMPATH",
	"TZDIR", "HOSTALIASES", "RESOLV_HOST_CONF",
};

/* 1 when gid is among the caller's supplementary groups. */
static int
priv_member(gid_t gid)
{
	int n = getgroups(0, NULL), found = 0;
	gid_t *list;

	if (n <= 0)
		return 0;
	list = xcalloc((size_t)n, sizeof(*list));
	n = getgroups(n, list);
	for (int i = 0; i < n; i++)
		if (list[i] == gid)
			found = 1;
	free(list);
	return found;
}

void
priv_init(void)
{
	if (priv_ready)
		return;
	priv_ready = 1;
	priv_egid = getegid();
	priv_rgid = getgid();
	priv_is_held = getuid() != geteuid() ||
	    (getuid() != 0 && priv_egid != priv_rgid && !priv_member(priv_egid));
	if (!priv_is_held)
		return;
	/* Set for a setgid program at exec already; made sure of here, as
	 * changing the effective group back and forth must not undo it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (size_t i = 0; i < sizeof(priv_unsafe_env) / sizeof(priv_unsafe_env[0]);
	    i++)
		unsetenv(priv_unsafe_env[i]);
}

int
priv_held(void)
{
	priv_init();
	return priv_is_held;
}

gid_t
priv_group(void)
{
	priv_init();
	return priv_egid;
}

void
priv_user_begin(void)
{
	priv_init();
	if (!priv_is_held || priv_aside++ > 0)
		return;
	/* Not being able to set the privilege aside must not let the open
	 * go ahead with the group's rights. */
	if (setegid(priv_rgid) != 0)
		abort();
}

void
priv_user_end(void)
{
	if (priv_aside == 0 || --priv_aside > 0)
		return;
	if (setegid(priv_egid) != 0)
		abort();
}

int
priv_open_user(const char *path, int flags, mode_t mode)
{
	int fd, saved;

	priv_user_begin();
	fd = open(path, flags | O_CLOEXEC, mode);
	saved = errno;
	priv_user_end();
	errno = saved;
	return fd;
}

FILE *
priv_fopen_user_read(const char *path)
{
	int fd = priv_open_user(path, O_RDONLY, 0);
	FILE *f;

	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "r")) == NULL) {
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return f;
}
