/* ff.c — opening the database for the model, errors, time, activity. */
#include "ff.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "chain.h"
#include "priv.h"
#include "text.h"
#include "store/store.h"
#include "store/xmalloc.h"

#ifndef FF_VERSION
#define FF_VERSION "0.0.0"
#endif
#ifndef FF_GIT_COMMIT
#define FF_GIT_COMMIT ""
#endif

static void ff_release_info(const struct ff *ff, struct release *r);

const char *
ff_version(void)
{
	return FF_VERSION;
}

const char *
ff_git_commit(void)
{
	return FF_GIT_COMMIT;
}

const char *
ff_strerror(int rc)
{
	static const char *const names[] = {
		"done", "refused", "not found", "invalid input", "database busy",
		"permission refused", "login refused", "input/output error",
		"unusable database", "internal error",
	};

	if (rc < 0 || rc >= (int)(sizeof(names) / sizeof(names[0])))
		return "unknown error";
	return names[rc];
}

int
ff_fail(struct ff_err *err, enum ff_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->rc = rc;
		err->relogin = 0;
		err->again = 0;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return rc;
}

int
ff_store_fail(struct ff *ff, struct ff_err *err, int src, const char *doing)
{
	const char *detail = store_errmsg(ff ? ff->st : NULL);

	switch (src) {
	case STORE_BUSY:
		/* The queue names the writer it waited for, PostgreSQL the
		 * account that was held and how long; SQLite's own lock (a
		 * writer outside the queue) names nobody. */
		if (strncmp(detail, "another writer ", 15) == 0)
			return ff_fail(err, FF_BUSY, "%s: the database is busy "
			    "(%s); nothing was changed, try again", doing,
			    detail);
		return ff_fail(err, FF_BUSY, "%s: the database is busy (another "
		    "operator is writing); nothing was changed, try again", doing);
	case STORE_NOTFOUND:
		return ff_fail(err, FF_NOTFOUND, "%s: not found", doing);
	case STORE_CONSTRAINT:
		return ff_fail(err, FF_REFUSED, "%s: the database refused the "
		    "change (%s); nothing was changed", doing, detail);
	case STORE_IOERR:
	case STORE_READONLY:
	case STORE_CANTOPEN:
		return ff_fail(err, FF_IO, "%s: %s (%s); nothing was changed",
		    doing, store_strerror(src), detail);
	case STORE_UNKNOWN:
		return ff_fail(err, FF_IO, "%s: %s while saving (%s); the "
		    "change may or may not have been kept, so check before "
		    "trying again", doing, store_is_server(ff ? ff->path : "") ?
		    "the connection to the database server was lost" :
		    "the disk failed", detail);
	case STORE_GONE:
		return ff_fail(err, FF_SCHEMA, "%s: the database server cannot "
		    "be reached (%s); nothing was changed", doing, detail);
	case STORE_RETRY:
		ff_fail(err, FF_BUSY, "%s: the database undid this change to "
		    "break a deadlock with another writer (%s); nothing was "
		    "changed, try again", doing, detail);
		if (err != NULL)
			err->again = 1;
		return FF_BUSY;
	case STORE_LOST:
		/* Asked again on a new connection: not kept for certain. */
		return ff_fail(err, FF_BUSY, "%s: the connection to the "
		    "database server was lost while saving, and the server did "
		    "not keep the change; nothing was changed, try again", doing);
	case STORE_CORRUPT:
	case STORE_NEWER:
		return ff_fail(err, FF_SCHEMA, "%s: %s (%s)", doing,
		    store_strerror(src), detail);
	default:
		return ff_fail(err, FF_INTERNAL, "%s: %s (%s)", doing,
		    store_strerror(src), detail);
	}
}

void
ff_format_time(time_t t, char buf[FF_TIME_MAX])
{
	/* The feeder stamps tens of thousands of incomes a second: the text
	 * of the last second formatted is kept (per thread). */
	static _Thread_local time_t last = (time_t)-1;
	static _Thread_local char last_text[FF_TIME_MAX];
	struct tm tm;

	if (t != last || t == (time_t)-1) {
		gmtime_r(&t, &tm);
		strftime(last_text, FF_TIME_MAX, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
		last = t;
	}
	memcpy(buf, last_text, FF_TIME_MAX);
}

void
ff_now(const struct ff *ff, char buf[FF_TIME_MAX])
{
	ff_format_time(ff && ff->clock ? ff->clock : time(NULL), buf);
}

static void
ff_release_info(const struct ff *ff, struct release *r)
{
	struct passwd *pw = getpwuid(geteuid());
	struct utsname u;

	memset(r, 0, sizeof(*r));
	snprintf(r->version, sizeof(r->version), "%s", ff_version());
	snprintf(r->git_commit, sizeof(r->git_commit), "%s", ff_git_commit());
	r->schema_version = STORE_SCHEMA_VERSION;
	ff_now(ff, r->at);
	if (gethostname(r->host, sizeof(r->host) - 1) != 0) {
		if (uname(&u) == 0)
			snprintf(r->host, sizeof(r->host), "%s", u.nodename);
		else
			snprintf(r->host, sizeof(r->host), "unknown");
	}
	if (pw != NULL)
		snprintf(r->os_user, sizeof(r->os_user), "%s", pw->pw_name);
	else
		snprintf(r->os_user, sizeof(r->os_user), "uid %u",
		    (unsigned)geteuid());
}

int
ff_open(const struct config *cfg, const char *path, int create,
    struct ff **out, struct ff_err *err)
{
	struct store_open_opts o;
	struct release rel;
	struct ff *ff;
	char *cause = NULL;
	int rc;

	*out = NULL;
	ff = xcalloc(1, sizeof(*ff));
	ff->cfg = cfg;
	ff->path = xstrdup(path);
	ff_release_info(ff, &rel);
	memset(&o, 0, sizeof(o));
	o.busy_timeout_ms = cfg->busy_timeout_ms;
	o.create = create & 1;
	o.group_rw = cfg->group_access;
	o.release = (create & FF_OPEN_BARE) ? NULL : &rel;
	o.installed = priv_held();
	o.gid = (unsigned)priv_group();
	o.rehash = chain_rehash_all;
	o.password_file = cfg->db_password_file;
	o.app_role = cfg->db_app_role;
	rc = store_open(path, &o, &ff->st, &cause);
	if (rc != STORE_OK) {
		enum ff_rc frc = rc == STORE_BUSY ? FF_BUSY :
		    rc == STORE_UNSAFE ? FF_DENIED :
		    rc == STORE_GONE ? FF_SCHEMA :
		    rc == STORE_NEWER || rc == STORE_CORRUPT ? FF_SCHEMA :
		    rc == STORE_CANTOPEN && !create ? FF_SCHEMA : FF_IO;

		ff_fail(err, frc, "%s", cause ? cause : store_strerror(rc));
		free(cause);
		ff_close(ff);
		return frc;
	}
	*out = ff;
	return FF_OK;
}

void
ff_close(struct ff *ff)
{
	if (ff == NULL)
		return;
	store_close(ff->st);
	free(ff->path);
	free(ff);
}

int
ff_db_is_server(const char *name)
{
	return store_is_server(name);
}

int
ff_db_remove(const char *name, char **cause)
{
	return store_remove(name, cause);
}

int
ff_db_owner(struct ff *ff, unsigned *uid)
{
	return store_file_owner(ff->st, uid) == 0 ? FF_OK : FF_IO;
}

/*
 * A writer that gave up waiting (busy) could not record who held it up:
 * the next write records it, in its own transaction, as a line of the
 * holder's (action busy.held, ok 0): pid, whether it was stopped inside
 * its write transaction, how long, how many gave up.
 */
static int
ff_activity_holder(struct ff *ff, const char *at)
{
	struct store_holder h;
	struct activity a;

	if (!store_take_holder(ff->st, &h))
		return STORE_OK;
	memset(&a, 0, sizeof(a));
	memcpy(a.at, at, sizeof(a.at));
	snprintf(a.actor, sizeof(a.actor), "%s", h.who[0] ? h.who : "?");
	snprintf(a.action, sizeof(a.action), "busy.held");
	snprintf(a.target, sizeof(a.target), "pid %d", h.pid);
	a.ok = 0;
	snprintf(a.detail, sizeof(a.detail), "held the database for more than "
	    "%d ms%s; %d write%s gave up waiting", h.waited_ms,
	    h.stopped && h.in_tx ? ", stopped inside its write transaction" :
	    h.stopped ? ", stopped" : h.in_tx ? " inside its write transaction" :
	    "", h.gave_up, h.gave_up == 1 ? "" : "s");
	return store_activity_add(ff->st, &a);
}

int
ff_activity_tx(struct ff *ff, const char *actor, const char *action,
    const char *target, int ok, const char *detail)
{
	struct activity a;
	int rc;

	memset(&a, 0, sizeof(a));
	ff_now(ff, a.at);
	snprintf(a.actor, sizeof(a.actor), "%s", actor);
	snprintf(a.action, sizeof(a.action), "%s", action);
	/* Targets and details may quote what an operator typed: stored
	 * as plain text whatever it held, never cut inside a character. */
	text_sanitize(a.target, sizeof(a.target), target);
	a.ok = ok;
	text_sanitize(a.detail, sizeof(a.detail), detail);
	if ((rc = store_activity_add(ff->st, &a)) != STORE_OK)
		return rc;
	return ff_activity_holder(ff, a.at);
}

void
ff_activity(struct ff *ff, const char *actor, const char *action,
    const char *target, int ok, const char *detail)
{
	if (store_begin(ff->st) != STORE_OK)
		return;
	if (ff_activity_tx(ff, actor, action, target, ok, detail) != STORE_OK ||
	    store_commit(ff->st) != STORE_OK)
		store_rollback(ff->st);
}

static int
ff_begin_as(struct ff *ff, const struct session *s, const char *doing,
    int own_password, struct ff_err *err)
{
	struct operator now;
	const char *why = NULL;
	int rc;

	if ((rc = store_begin(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, doing);
	if (s == NULL)
		return FF_OK;
	rc = store_operator_get(ff->st, s->op.login, &now);
	explicit_bzero(now.pwhash, sizeof(now.pwhash));
	explicit_bzero(now.awaiting_pwhash, sizeof(now.awaiting_pwhash));
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && now.id != s->op.id))
		why = "the operator is gone";
	else if (rc != STORE_OK) {
		store_rollback(ff->st);
		return ff_store_fail(ff, err, rc, doing);
	} else if (!now.active)
		why = "the operator was disabled";
	else if (now.role != s->op.role)
		why = "the operator's role was changed";
	else if (now.branch_id != s->op.branch_id)
		why = "the operator's branch was changed";
	else if (strcmp(now.awaiting, "grant") == 0)
		why = "the operator's rights await confirmation";
	else if (now.must_change != s->op.must_change)
		why = "the operator's password was reset";
	else if (now.must_change && !own_password) {
		store_rollback(ff->st);
		ff_activity(ff, s->op.login, "session.must-change", "", 0, doing);
		return ff_fail(err, FF_DENIED, "%s: your password was reset by "
		    "an admin; set your own first (fundflow user passwd)",
		    doing);
	}
	if (why == NULL)
		return FF_OK;
	store_rollback(ff->st);
	{
		char detail[160];

		snprintf(detail, sizeof(detail), "%s since login; refused: %s",
		    why, doing);
		ff_activity(ff, s->op.login, "session.stale", "", 0, detail);
	}
	ff_fail(err, FF_DENIED, "%s: your operator account was disabled or "
	    "changed by an admin since you logged in (%s); nothing was "
	    "changed, log in again", doing, why);
	err->relogin = 1;
	return FF_DENIED;
}

int
ff_begin(struct ff *ff, const struct session *s, const char *doing,
    struct ff_err *err)
{
	return ff_begin_as(ff, s, doing, 0, err);
}

int
ff_begin_passwd(struct ff *ff, const struct session *s, const char *doing,
    struct ff_err *err)
{
	return ff_begin_as(ff, s, doing, 1, err);
}

int
ff_data_version(struct ff *ff, int64_t *out)
{
	int rc = store_data_version(ff->st, out);

	return rc == STORE_OK ? FF_OK : rc == STORE_GONE ? FF_SCHEMA : FF_IO;
}
