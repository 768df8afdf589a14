/*
 * admin.h — keeping the database: online backups and the activity
 * journal, for admins and auditors.
 */
#ifndef FF_ADMIN_H
#define FF_ADMIN_H

#include "ff.h"

/* Admin or auditor: an online backup into a new file at path (refused
 * when it exists).  The copy is consistent even while others write. */
int admin_backup(struct ff *ff, const struct session *s, const char *path,
    struct ff_err *err);

/* Admin or auditor: the activity journal, newest first (limit 0: all). */
int admin_activity(struct ff *ff, const struct session *s, int64_t limit,
    int (*cb)(void *arg, const struct activity *a), void *arg,
    struct ff_err *err);

#endif
