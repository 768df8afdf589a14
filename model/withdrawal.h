/*
 * withdrawal.h — the withdrawal flow (the seed's new flow):
 *
 *   pending → approved | rejected | cancelled      (the last three final)
 *
 * Apply (staff of the branch) records the application only.  Approve
 * (reviewer, never the applicant) checks inside one exclusive transaction
 * that the application is still pending, of a flow this program knows,
 * and that the branch's withdrawable amount covers it now; then debits
 * balance and withdrawable, credits total withdrawn, writes the ledger
 * entry and the status.  Reject (reviewer, reason required) and cancel
 * (staff of the branch) change the status only.  Every refusal changes
 * nothing and is recorded in the activity journal.
 */
#ifndef FF_WITHDRAWAL_H
#define FF_WITHDRAWAL_H

#include <stddef.h>

#include "ff.h"

/* Applies for amount from branch_code; on success *out is the new
 * application. */
int withdrawal_apply(struct ff *ff, const struct session *s,
    const char *branch_code, money_t amount, const char *note,
    struct withdrawal *out, struct ff_err *err);

/* Approves application id; on success *out is it, decided, and *acct the
 * branch's account after the debit (either may be NULL): its id, code,
 * balance, withdrawable and total withdrawn; the approval does not read
 * the branch's name or pending applications (name empty, pending count
 * and amount -1). */
int withdrawal_approve(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct account *acct, struct ff_err *err);

/* Rejects application id with a reason (required, not blank). */
int withdrawal_reject(struct ff *ff, const struct session *s, int64_t id,
    const char *reason, struct withdrawal *out, struct ff_err *err);

/* Cancels the branch's pending application id. */
int withdrawal_cancel(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct ff_err *err);

/* One application, within the operator's view. */
int withdrawal_get(struct ff *ff, const struct session *s, int64_t id,
    struct withdrawal *out, struct ff_err *err);

/*
 * Applications oldest first, within the operator's view.  branch_code may
 * be NULL (all the operator may see); status is -1 or an enum wd_status.
 * *out is an array the caller frees.
 */
int withdrawal_list(struct ff *ff, const struct session *s,
    const char *branch_code, int status, struct withdrawal **out, size_t *n,
    struct ff_err *err);

#endif
