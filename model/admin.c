/* admin.c — backups and the activity journal; see admin.h. */
#include "admin.h"

#include "scope.h"
#include "store/store.h"

int
admin_backup(struct ff *ff, const struct session *s, const char *path,
    struct ff_err *err)
{
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN) | SCOPE(ROLE_AUDITOR),
	    "a backup", err)) != FF_OK)
		return rc;
	if ((rc = store_backup(ff->st, path)) != STORE_OK)
		return ff_fail(err, rc == STORE_CONSTRAINT ? FF_REFUSED : FF_IO,
		    "backup: %s", store_errmsg(ff->st));
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
