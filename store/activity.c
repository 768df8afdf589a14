/* activity.c — the activity journal and the release record. */
#include "internal.h"

#include <string.h>

static void activity_read(sqlite3_stmt *s, struct activity *a);
static void activity_read_release(sqlite3_stmt *s, void *row);

int
store_activity_add(struct store *st, const struct activity *a)
{
	sqlite3_stmt *s = store_stmt(st, ST_ACTIVITY_ADD);

	if (s == NULL)
		return STORE_ERROR;
	store_bind_text(s, 1, a->at);
	store_bind_text(s, 2, a->actor);
	store_bind_text(s, 3, a->action);
	store_bind_text(s, 4, a->target);
	sqlite3_bind_int(s, 5, a->ok ? 1 : 0);
	store_bind_text(s, 6, a->detail);
	return store_exec_stmt(st, s);
}

static void
activity_read(sqlite3_stmt *s, struct activity *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, a->at, sizeof(a->at));
	store_col_text(s, 2, a->actor, sizeof(a->actor));
	store_col_text(s, 3, a->action, sizeof(a->action));
	store_col_text(s, 4, a->target, sizeof(a->target));
	a->ok = sqlite3_column_int(s, 5);
	store_col_text(s, 6, a->detail, sizeof(a->detail));
}

int
store_activity_each(struct store *st, int64_t limit, store_activity_cb cb,
    void *arg)
{
	sqlite3_stmt *s = store_stmt(st, ST_ACTIVITY_EACH);
	struct activity a;
	int rc;

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		activity_read(s, &a);
		if (cb(arg, &a) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? STORE_OK : store_fail(st, rc);
	sqlite3_reset(s);
	return rc;
}

static void
activity_read_release(sqlite3_stmt *s, void *row)
{
	struct release *r = row;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, r->version, sizeof(r->version));
	store_col_text(s, 2, r->git_commit, sizeof(r->git_commit));
	r->schema_version = sqlite3_column_int(s, 3);
	store_col_text(s, 4, r->at, sizeof(r->at));
	store_col_text(s, 5, r->host, sizeof(r->host));
	store_col_text(s, 6, r->os_user, sizeof(r->os_user));
}

int
store_release_list(struct store *st, struct release **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, ST_RELEASE_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	return store_collect(st, s, sizeof(**out), activity_read_release,
	    (void **)out, n);
}

int
store_activity_find(struct store *st, const char *action, int *found)
{
	sqlite3_stmt *s = store_stmt(st, ST_ACTIVITY_FIND);
	int rc;

	*found = 0;
	if (s == NULL)
		return STORE_ERROR;
	store_bind_text(s, 1, action);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*found = 1;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_fail(st, rc);
	sqlite3_reset(s);
	return rc;
}
