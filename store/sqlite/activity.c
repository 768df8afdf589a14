/* activity.c — the activity journal and the release record. */
#include "internal.h"

#include <string.h>

static void activity_read(sqlite3_stmt *s, struct activity *a);
static int activity_each_row(void *arg, sqlite3_stmt *s);
static void activity_read_release(sqlite3_stmt *s, void *row);

int
sq_activity_add(struct sq_store *st, const struct activity *a)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACTIVITY_ADD);

	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, a->at);
	sq_bind_text(s, 2, a->actor);
	sq_bind_text(s, 3, a->action);
	sq_bind_text(s, 4, a->target);
	sqlite3_bind_int(s, 5, a->ok ? 1 : 0);
	sq_bind_text(s, 6, a->detail);
	return sq_exec_stmt(st, s);
}

static void
activity_read(sqlite3_stmt *s, struct activity *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, a->at, sizeof(a->at));
	sq_col_text(s, 2, a->actor, sizeof(a->actor));
	sq_col_text(s, 3, a->action, sizeof(a->action));
	sq_col_text(s, 4, a->target, sizeof(a->target));
	a->ok = sqlite3_column_int(s, 5);
	sq_col_text(s, 6, a->detail, sizeof(a->detail));
}

/* Where sq_activity_each's rows go. */
struct activity_walk {
	store_activity_cb cb;
	void *arg;
};

static int
activity_each_row(void *arg, sqlite3_stmt *s)
{
	struct activity_walk *w = arg;
	struct activity a;

	activity_read(s, &a);
	return w->cb(w->arg, &a);
}

int
sq_activity_each(struct sq_store *st, int64_t limit, store_activity_cb cb,
    void *arg)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACTIVITY_EACH);
	struct activity_walk w = { cb, arg };

	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
	return sq_each(st, s, activity_each_row, &w);
}

static void
activity_read_release(sqlite3_stmt *s, void *row)
{
	struct release *r = row;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	sq_col_text(s, 1, r->version, sizeof(r->version));
	sq_col_text(s, 2, r->git_commit, sizeof(r->git_commit));
	r->schema_version = sqlite3_column_int(s, 3);
	sq_col_text(s, 4, r->at, sizeof(r->at));
	sq_col_text(s, 5, r->host, sizeof(r->host));
	sq_col_text(s, 6, r->os_user, sizeof(r->os_user));
}

int
sq_release_list(struct sq_store *st, struct release **out, size_t *n)
{
	sqlite3_stmt *s = sq_stmt(st, ST_RELEASE_LIST);

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return STORE_ERROR;
	return sq_collect(st, s, sizeof(**out), activity_read_release,
	    (void **)out, n);
}

int
sq_activity_find(struct sq_store *st, const char *action, int *found)
{
	sqlite3_stmt *s = sq_stmt(st, ST_ACTIVITY_FIND);
	int rc;

	*found = 0;
	if (s == NULL)
		return STORE_ERROR;
	sq_bind_text(s, 1, action);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*found = 1;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(st, rc);
	sqlite3_reset(s);
	return rc;
}
