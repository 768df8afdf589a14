/* admin.c — backups and the activity journal; see admin.h. */
#include "admin.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"
#include "scope.h"
#include "store/store.h"

int
admin_backup(struct ff *ff, const struct session *s, const char *path,
    struct ff_err *err)
{
	int rc, fd;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN) | SCOPE(ROLE_AUDITOR),
	    "a backup", err)) != FF_OK)
		return rc;
	/* The file is the operator's: created with their own rights (never
	 * the group's), new, not through a link. */
	fd = priv_open_user(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = errno;

		if (e == EEXIST)
			return ff_fail(err, FF_REFUSED, "backup: %s already exists "
			    "(or is a link); choose a new file", path);
		return ff_fail(err, e == EACCES || e == EPERM ? FF_DENIED : FF_IO,
		    "backup: cannot create %s: %s (fundflow writes the files "
		    "you name with your own rights)", path, strerror(e));
	}
	rc = store_backup_fd(ff->st, fd);
	if (close(fd) != 0 && rc == STORE_OK)
		rc = STORE_IOERR;
	if (rc != STORE_OK) {
		priv_user_begin();
		unlink(path);
		priv_user_end();
		return ff_fail(err, FF_IO, "backup to %s failed: %s; the "
		    "unfinished copy was removed", path, store_errmsg(ff->st));
	}
	ff_activity(ff, s->op.login, "backup", path, 1, "");
	return FF_OK;
}

int
admin_activity(struct ff *ff, const struct session *s, int64_t limit,
    int (*cb)(void *arg, const struct activity *a), void *arg,
    struct ff_err *err)
{
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN) | SCOPE(ROLE_AUDITOR),
	    "the activity journal", err)) != FF_OK)
		return rc;
	if ((rc = store_activity_each(ff->st, limit, cb, arg)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the activity journal");
	return FF_OK;
}
