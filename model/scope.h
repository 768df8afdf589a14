/*
 * scope.h — what each role may see and do.
 *
 * staff see and act on their own branch only; reviewers see every branch
 * and decide applications; auditors read everything and change nothing;
 * admins keep branches and operators and move no money.
 */
#ifndef FF_SCOPE_H
#define FF_SCOPE_H

#include "ff.h"

/*
 * Resolves the branch an operator asks to see.  code may be NULL: staff
 * then get their own branch, others "all" (*branch_id = 0).  Another
 * branch than their own is FF_DENIED for staff; an unknown code is
 * FF_NOTFOUND.  On success *branch_id (and *b when not NULL) are set.
 */
int scope_branch(struct ff *ff, const struct session *s, const char *code,
    int64_t *branch_id, struct branch *b, struct ff_err *err);

/* FF_OK when the session has one of the roles in mask (1 << ROLE_…),
 * else FF_DENIED with a sentence naming what is_for ("approving"). */
int scope_role(const struct session *s, unsigned mask, const char *what,
    struct ff_err *err);

#define SCOPE(r) (1u << (r))

#endif
