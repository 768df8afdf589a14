/* accounts.c — branches, accounts, history, releases; see accounts.h. */
#include "accounts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "scope.h"
#include "text.h"
#include "store/store.h"

int
accounts_branch_add(struct ff *ff, const struct session *s, const char *code,
    const char *name, struct ff_err *err)
{
	struct branch b, old;
	char why[TEXT_REFUSAL_MAX];
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN), "adding branches", err)) != FF_OK)
		return rc;
	/* Plain text first, so that a refusal names a control or bidi
	 * character instead of echoing it. */
	if (text_refusal("branch code", code, why, sizeof(why)) != 0)
		return ff_fail(err, FF_INVALID, "%s", why);
	if (!event_valid_code(code))
		return ff_fail(err, FF_INVALID, "\"%s\" is not a valid branch code "
		    "(1 to %d of A-Z a-z 0-9 . _ -)", code ? code : "",
		    FF_CODE_MAX);
	if (text_refusal("branch name", name, why, sizeof(why)) != 0)
		return ff_fail(err, FF_INVALID, "%s", why);
	if (name == NULL || !*name || strlen(name) > FF_NAME_MAX)
		return ff_fail(err, FF_INVALID, "the branch name must be plain "
		    "text of 1 to %d bytes", FF_NAME_MAX);
	memset(&b, 0, sizeof(b));
	snprintf(b.code, sizeof(b.code), "%s", code);
	snprintf(b.name, sizeof(b.name), "%s", name);
	ff_now(ff, b.created_at);
	if ((rc = ff_begin(ff, s, "cannot add the branch", err)) != FF_OK)
		return rc;
	rc = store_branch_get(ff->st, code, &old);
	if (rc == STORE_OK) {
		store_rollback(ff->st);
		return ff_fail(err, FF_REFUSED, "there is a branch %s already",
		    code);
	}
	if (rc != STORE_NOTFOUND ||
	    (rc = store_branch_add(ff->st, &b)) != STORE_OK ||
	    (rc = ff_activity_tx(ff, s->op.login, "branch.add", code, 1,
	    name)) != STORE_OK || (rc = store_commit(ff->st)) != STORE_OK) {
		store_rollback(ff->st);
		return ff_store_fail(ff, err, rc, "cannot add the branch");
	}
	return FF_OK;
}

int
accounts_branch_list(struct ff *ff, const struct session *s,
    struct branch **out, size_t *n, struct ff_err *err)
{
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_branch_list(ff->st, out, n)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot list the branches");
	if (s->op.role == ROLE_STAFF) {
		size_t k = 0;

		for (size_t i = 0; i < *n; i++)
			if ((*out)[i].id == s->op.branch_id)
				(*out)[k++] = (*out)[i];
		*n = k;
	}
	return FF_OK;
}

int
accounts_list(struct ff *ff, const struct session *s, const char *code,
    struct account **out, size_t *n, struct ff_err *err)
{
	int64_t bid;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = scope_branch(ff, s, code, &bid, NULL, err)) != FF_OK)
		return rc;
	if ((rc = store_account_list(ff->st, bid, out, n)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot list the accounts");
	return FF_OK;
}

int
accounts_releases(struct ff *ff, const struct session *s, struct release **out,
    size_t *n, struct ff_err *err)
{
	int rc;

	(void)s;
	if ((rc = store_release_list(ff->st, out, n)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the release record");
	return FF_OK;
}

int
accounts_date_bound(const char *in, int until, char out[FF_TIME_MAX],
    struct ff_err *err)
{
	struct tm tm;
	int y, m, d;
	char tail;
	time_t t;

	if (event_valid_time(in)) {
		/* Entries are stamped in UTC: bring the bound there too, so
		 * that text order is time order. */
		int hh, mi, ss, n = 0, oh = 0, om = 0;
		const char *z;

		sscanf(in, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &m, &d, &hh, &mi, &ss, &n);
		z = in + n;
		while (*z == '.' || (*z >= '0' && *z <= '9'))
			z++;	/* fractions of a second: below our resolution */
		if (*z == '+' || *z == '-') {
			sscanf(z + 1, "%2d:%2d", &oh, &om);
			if (*z == '-') {
				oh = -oh;
				om = -om;
			}
		}
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		tm.tm_hour = hh;
		tm.tm_min = mi;
		tm.tm_sec = ss;
		t = timegm(&tm) - (time_t)(oh * 3600 + om * 60);
		ff_format_time(t, out);
		return FF_OK;
	}
	if (strlen(in) != 10 ||
	    sscanf(in, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    in[4] != '-' || in[7] != '-' || y < 1970 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return ff_fail(err, FF_INVALID, "\"%s\" is not a date like "
		    "2026-01-31 or a time like 2026-01-31T08:00:00+00:00", in);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + (until ? 1 : 0);
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	if (!until && tm.tm_mday != d)
		return ff_fail(err, FF_INVALID, "%s is not a day of the calendar",
		    in);
	strftime(out, FF_TIME_MAX, "%Y-%m-%d", &tm);
	return FF_OK;
}

int
accounts_history(struct ff *ff, const struct session *s,
    const struct history_query *q,
    int (*cb)(void *arg, const struct ledger_entry *e), void *arg,
    struct ff_err *err)
{
	struct ledger_filter f;
	char since[FF_TIME_MAX], until[FF_TIME_MAX];
	int rc;

	memset(&f, 0, sizeof(f));
	if ((rc = scope_branch(ff, s, q->branch, &f.account_id, NULL, err)) != FF_OK)
		return rc;
	if (q->since) {
		if ((rc = accounts_date_bound(q->since, 0, since, err)) != FF_OK)
			return rc;
		f.since = since;
	}
	if (q->until) {
		if ((rc = accounts_date_bound(q->until, 1, until, err)) != FF_OK)
			return rc;
		f.until = until;
	}
	/* Within one branch, pages are anchored on the entry's seq: an
	 * anchor of another branch would give a wrong page, so it is
	 * refused. */
	if (f.account_id != 0 && (q->before_id > 0 || q->after_id > 0)) {
		int64_t anchor = q->before_id > 0 ? q->before_id : q->after_id;
		struct ledger_entry e;

		rc = store_ledger_get(ff->st, anchor, &e);
		if (rc == STORE_OK && e.account_id != f.account_id)
			rc = STORE_NOTFOUND;
		if (rc == STORE_NOTFOUND)
			return ff_fail(err, FF_INVALID, "entry %lld is not in "
			    "the ledger of %s", (long long)anchor, q->branch ?
			    q->branch : s->op.branch_code);
		if (rc != STORE_OK)
			return ff_store_fail(ff, err, rc, "cannot read the ledger");
	}
	f.buss_type = q->buss_type;
	f.ref = q->ref;
	f.before_id = q->before_id;
	f.after_id = q->after_id;
	f.oldest_first = q->oldest_first;
	f.limit = q->limit;
	if ((rc = store_ledger_each(ff->st, &f, cb, arg)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the ledger");
	return FF_OK;
}
