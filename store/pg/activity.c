/* activity.c — the activity journal and the release record. */
#include <string.h>

#include "store/pg/internal.h"

int
pg_activity_add(struct pg_store *st, const struct activity *a)
{
	struct pg_params p = { 0 };

	pg_p_text(&p, a->at);
	pg_p_text(&p, a->actor);
	pg_p_text(&p, a->action);
	pg_p_text(&p, a->target);
	pg_p_int(&p, a->ok ? 1 : 0);
	pg_p_text(&p, a->detail);
	return pg_defer(st, PG_ACTIVITY_ADD, &p, 0);
}

struct activity_walk {
	store_activity_cb cb;
	void *arg;
};

static int
activity_row(void *arg, const PGresult *r, int i)
{
	struct activity_walk *w = arg;
	struct activity a;

	memset(&a, 0, sizeof(a));
	a.id = pg_int(r, i, 0);
	pg_text(r, i, 1, a.at, sizeof(a.at));
	pg_text(r, i, 2, a.actor, sizeof(a.actor));
	pg_text(r, i, 3, a.action, sizeof(a.action));
	pg_text(r, i, 4, a.target, sizeof(a.target));
	a.ok = (int)pg_int(r, i, 5);
	pg_text(r, i, 6, a.detail, sizeof(a.detail));
	return w->cb(w->arg, &a);
}

int
pg_activity_each(struct pg_store *st, int64_t limit, store_activity_cb cb,
    void *arg)
{
	struct activity_walk w = { cb, arg };
	struct pg_params p = { 0 };

	if (limit > 0)
		pg_p_int(&p, limit);
	else
		pg_p_text(&p, NULL);
	return pg_each(st, PG_ACTIVITY_EACH, &p, limit > 0 && limit <= 1000,
	    activity_row, &w);
}

int
pg_activity_find(struct pg_store *st, const char *action, int *found)
{
	struct pg_params p = { 0 };
	PGresult *r;
	int rc;

	*found = 0;
	pg_p_text(&p, action);
	if ((r = pg_run(st, PG_ACTIVITY_FIND, &p, &rc)) == NULL)
		return rc;
	*found = PQntuples(r) > 0;
	PQclear(r);
	return STORE_OK;
}

static void
activity_read_release(const PGresult *r, int i, void *row)
{
	struct release *rel = row;

	memset(rel, 0, sizeof(*rel));
	rel->id = pg_int(r, i, 0);
	pg_text(r, i, 1, rel->version, sizeof(rel->version));
	pg_text(r, i, 2, rel->git_commit, sizeof(rel->git_commit));
	rel->schema_version = (int)pg_int(r, i, 3);
	pg_text(r, i, 4, rel->at, sizeof(rel->at));
	pg_text(r, i, 5, rel->host, sizeof(rel->host));
	pg_text(r, i, 6, rel->os_user, sizeof(rel->os_user));
}

int
pg_release_list(struct pg_store *st, struct release **out, size_t *n)
{
	PGresult *r;
	int rc;

	*out = NULL;
	*n = 0;
	if ((r = pg_run(st, PG_RELEASE_LIST, NULL, &rc)) == NULL)
		return rc;
	return pg_collect(r, sizeof(**out), activity_read_release,
	    (void **)out, n);
}
