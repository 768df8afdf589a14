/* scope.c — role and branch checks; see scope.h. */
#include "scope.h"

#include <string.h>

#include "store/store.h"

int
scope_role(const struct session *s, unsigned mask, const char *what,
    struct ff_err *err)
{
	if (mask & SCOPE(s->op.role))
		return FF_OK;
	return ff_fail(err, FF_DENIED, "%s is not for a %s", what,
	    role_name(s->op.role));
}

int
scope_branch(struct ff *ff, const struct session *s, const char *code,
    int64_t *branch_id, struct branch *b, struct ff_err *err)
{
	struct branch tmp;
	int rc;

	if (b == NULL)
		b = &tmp;
	*branch_id = 0;
	if (code == NULL) {
		if (s->op.role != ROLE_STAFF)
			return FF_OK;
		code = s->op.branch_code;
	}
	/* Staff learn nothing of other branches, not even whether they exist. */
	if (s->op.role == ROLE_STAFF && strcmp(code, s->op.branch_code) != 0)
		return ff_fail(err, FF_DENIED, "%s may only see branch %s",
		    s->op.login, s->op.branch_code);
	rc = store_branch_get(ff->st, code, b);
	if (rc == STORE_NOTFOUND)
		return ff_fail(err, FF_NOTFOUND, "there is no branch \"%s\"", code);
	if (rc != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the branch");
	if (s->op.role == ROLE_STAFF && b->id != s->op.branch_id)
		return ff_fail(err, FF_DENIED, "%s may only see branch %s, not %s",
		    s->op.login, s->op.branch_code, b->code);
	*branch_id = b->id;
	return FF_OK;
}
