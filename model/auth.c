/* auth.c — operators and logging in; see auth.h. */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "scope.h"
#include "text.h"
#include "store/store.h"

#define AUTH_PASSWORD_MAX 1024

static int auth_check_login(const char *login, struct ff_err *err);
static int auth_hash(const char *password, char out[FF_PWHASH_MAX],
    struct ff_err *err);

int
auth_init_library(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int
auth_valid_login(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FF_LOGIN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
		    c == '@'))
			return 0;
	}
	return 1;
}

/* A login to create: plain text (named by its character when not, so that
 * the refusal never echoes a control or bidi character), then the login
 * alphabet. */
static int
auth_check_login(const char *login, struct ff_err *err)
{
	char why[TEXT_REFUSAL_MAX];

	if (text_refusal("login", login, why, sizeof(why)) != 0)
		return ff_fail(err, FF_INVALID, "%s", why);
	if (login == NULL || !auth_valid_login(login))
		return ff_fail(err, FF_INVALID, "\"%s\" is not a valid login (1 to "
		    "%d of A-Z a-z 0-9 . _ - @)", login ? login : "",
		    FF_LOGIN_MAX);
	return FF_OK;
}

int
auth_password_ok(const char *password, struct ff_err *err)
{
	size_t n = password ? strlen(password) : 0;

	if (n == 0)
		return ff_fail(err, FF_INVALID, "the password must not be empty");
	if (n > AUTH_PASSWORD_MAX)
		return ff_fail(err, FF_INVALID, "the password is too long (at "
		    "most %d bytes)", AUTH_PASSWORD_MAX);
	return FF_OK;
}

static int
auth_hash(const char *password, char out[FF_PWHASH_MAX], struct ff_err *err)
{
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ff_fail(err, FF_INTERNAL, "not enough memory to hash the "
		    "password");
	return FF_OK;
}

int
auth_login(struct ff *ff, const char *login, const char *password,
    struct session *out, struct ff_err *err)
{
	/* Verified when the login is unknown, so that a wrong login takes as
	 * long as a wrong password: an argon2id hash of a string no one
	 * types, with the same parameters as real ones. */
	static const char dummy[crypto_pwhash_STRBYTES] = "$argon2id$v=19$m=65536,t=2,p=1$"
	    "GjLLnY4lA+Un4qfhlDX2Mw$IB43VXaWTd43bx04Z2gdHxwDHSWYDHvMsFG+Ggl8Cvc";
	struct operator op;
	const char *why = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (login == NULL || !auth_valid_login(login) || password == NULL) {
		why = "malformed login";
		if (crypto_pwhash_str_verify(dummy, "x", 1) == 0)
			why = "malformed login";	/* never: equal time only */
		goto refused;
	}
	rc = store_operator_get(ff->st, login, &op);
	if (rc == STORE_NOTFOUND) {
		why = "unknown login";
		if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
			why = "unknown login";	/* equal time only */
		goto refused;
	}
	if (rc != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot log in");
	if (crypto_pwhash_str_verify(op.pwhash, password, strlen(password)) != 0) {
		why = "wrong password";
		goto refused;
	}
	if (!op.active) {
		why = "operator disabled";
		goto refused;
	}
	if (strcmp(op.awaiting, "grant") == 0) {
		ff_activity(ff, login, "login", "", 0, "awaiting confirmation");
		return ff_fail(err, FF_AUTH, "login refused: the account of "
		    "\"%s\" awaits a second admin's confirmation (fundflow user "
		    "confirm %s) before it can be used", login, login);
	}
	out->op = op;
	sodium_memzero(out->op.pwhash, sizeof(out->op.pwhash));
	sodium_memzero(out->op.awaiting_pwhash, sizeof(out->op.awaiting_pwhash));
	store_set_actor(ff->st, op.login);
	return FF_OK;
refused:
	ff_activity(ff, login && auth_valid_login(login) ? login : "?", "login",
	    "", 0, why);
	return ff_fail(err, FF_AUTH, "login refused: unknown login or wrong "
	    "password");
}

int
auth_init_admin(struct ff *ff, const char *login, const char *password,
    struct ff_err *err)
{
	struct operator op;
	int64_t n;
	int rc;

	if ((rc = auth_check_login(login, err)) != FF_OK)
		return rc;
	if ((rc = auth_password_ok(password, err)) != FF_OK)
		return rc;
	memset(&op, 0, sizeof(op));
	snprintf(op.login, sizeof(op.login), "%s", login);
	snprintf(op.name, sizeof(op.name), "Administrator");
	op.role = ROLE_ADMIN;
	if ((rc = auth_hash(password, op.pwhash, err)) != FF_OK)
		return rc;
	ff_now(ff, op.created_at);
	if ((rc = store_begin(ff->st)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot initialise");
	if ((rc = store_operator_count(ff->st, &n)) != STORE_OK)
		goto fail;
	if (n > 0) {
		store_rollback(ff->st);
		return ff_fail(err, FF_REFUSED, "this database is initialised "
		    "already; ask its admin for an account");
	}
	if ((rc = store_operator_add(ff->st, &op)) != STORE_OK)
		goto fail;
	if ((rc = ff_activity_tx(ff, login, "init", login, 1,
	    "first admin")) != STORE_OK)
		goto fail;
	if ((rc = store_commit(ff->st)) != STORE_OK)
		goto fail;
	return FF_OK;
fail:
	store_rollback(ff->st);
	return ff_store_fail(ff, err, rc, "cannot initialise");
}

int
auth_user_add(struct ff *ff, const struct session *s, const char *login,
    enum role role, const char *branch_code, const char *name,
    const char *password, struct ff_err *err)
{
	struct operator op, old;
	struct branch b;
	char detail[96], why[TEXT_REFUSAL_MAX];
	int rc;

	memset(&b, 0, sizeof(b));
	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN), "adding operators", err)) != FF_OK)
		return rc;
	if ((rc = auth_check_login(login, err)) != FF_OK)
		return rc;
	if (role == ROLE_STAFF && (branch_code == NULL || !*branch_code))
		return ff_fail(err, FF_INVALID, "staff need a branch (--branch CODE)");
	if (role != ROLE_STAFF && branch_code != NULL)
		return ff_fail(err, FF_INVALID, "only staff belong to a branch");
	if (name != NULL && text_refusal("name", name, why, sizeof(why)) != 0)
		return ff_fail(err, FF_INVALID, "%s", why);
	if (name != NULL && strlen(name) > FF_NAME_MAX)
		return ff_fail(err, FF_INVALID, "the name must be plain text of at "
		    "most %d bytes", FF_NAME_MAX);
	if ((rc = auth_password_ok(password, err)) != FF_OK)
		return rc;
	memset(&op, 0, sizeof(op));
	snprintf(op.login, sizeof(op.login), "%s", login);
	snprintf(op.name, sizeof(op.name), "%s", name ? name : "");
	op.role = role;
	if ((rc = auth_hash(password, op.pwhash, err)) != FF_OK)
		return rc;
	ff_now(ff, op.created_at);
	if ((rc = ff_begin(ff, s, "cannot add the operator", err)) != FF_OK)
		return rc;
	op.created_by = s->op.id;
	if (role == ROLE_REVIEWER || role == ROLE_ADMIN) {
		int64_t admins;

		if ((rc = store_operator_admins(ff->st, &admins)) != STORE_OK)
			goto fail;
		if (admins >= 2) {
			snprintf(op.awaiting, sizeof(op.awaiting), "grant");
			op.awaiting_by = s->op.id;
		} else {
			op.alone = 1;
		}
	}
	if (role == ROLE_STAFF) {
		rc = store_branch_get(ff->st, branch_code, &b);
		if (rc == STORE_NOTFOUND) {
			store_rollback(ff->st);
			return ff_fail(err, FF_NOTFOUND, "there is no branch \"%s\"",
			    branch_code);
		}
		if (rc != STORE_OK)
			goto fail;
		op.branch_id = b.id;
	}
	rc = store_operator_get(ff->st, login, &old);
	if (rc == STORE_OK) {
		store_rollback(ff->st);
		return ff_fail(err, FF_REFUSED, "there is an operator \"%s\" "
		    "already", login);
	}
	if (rc != STORE_NOTFOUND)
		goto fail;
	if ((rc = store_operator_add(ff->st, &op)) != STORE_OK)
		goto fail;
	snprintf(detail, sizeof(detail), "role %s%s%s%s", role_name(role),
	    role == ROLE_STAFF ? " of " : "", role == ROLE_STAFF ? b.code : "",
	    op.awaiting[0] ? "; awaits a second admin's confirmation" :
	    op.alone ? "; by one admin alone (the company has one admin)" : "");
	if ((rc = ff_activity_tx(ff, s->op.login, "user.add", login, 1,
	    detail)) != STORE_OK)
		goto fail;
	if ((rc = store_commit(ff->st)) != STORE_OK)
		goto fail;
	return FF_OK;
fail:
	store_rollback(ff->st);
	return ff_store_fail(ff, err, rc, "cannot add the operator");
}

/* Loads login for a change by s inside an open transaction. */
static int
auth_target(struct ff *ff, const char *login, struct operator *op,
    struct ff_err *err)
{
	int rc = store_operator_get(ff->st, login, op);

	if (rc == STORE_NOTFOUND)
		return ff_fail(err, FF_NOTFOUND, "there is no operator \"%s\"",
		    login);
	if (rc != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot read the operator");
	return FF_OK;
}

int
auth_user_passwd(struct ff *ff, const struct session *s, const char *login,
    const char *password, struct ff_err *err)
{
	struct operator op;
	char pwhash[FF_PWHASH_MAX];
	const char *detail;
	int rc;

	if (login == NULL)
		login = s->op.login;
	if (strcmp(login, s->op.login) != 0 &&
	    (rc = scope_role(s, SCOPE(ROLE_ADMIN), "setting another operator's "
	    "password", err)) != FF_OK)
		return rc;
	if ((rc = auth_password_ok(password, err)) != FF_OK)
		return rc;
	if ((rc = auth_hash(password, pwhash, err)) != FF_OK)
		return rc;
	rc = strcmp(login, s->op.login) == 0 ?
	    ff_begin_passwd(ff, s, "cannot set the password", err) :
	    ff_begin(ff, s, "cannot set the password", err);
	if (rc != FF_OK)
		return rc;
	if ((rc = auth_target(ff, login, &op, err)) != FF_OK) {
		store_rollback(ff->st);
		return rc;
	}
	if (op.id == s->op.id) {
		/* One's own: it ends a reset's must-change, and an awaited
		 * reset is dropped (the password is the operator's own). */
		rc = store_operator_set_pwhash(ff->st, op.id, pwhash, 0, 0);
		detail = "";
	} else {
		int64_t admins;

		if ((rc = store_operator_admins(ff->st, &admins)) != STORE_OK)
			goto fail;
		if (admins >= 2) {
			rc = store_operator_await(ff->st, op.id, "reset", s->op.id,
			    pwhash);
			detail = "reset; awaits a second admin's confirmation";
		} else {
			rc = store_operator_set_pwhash(ff->st, op.id, pwhash, 1,
			    1);
			detail = "reset by one admin alone (the company has one "
			    "admin); to be changed at the next login";
		}
	}
	explicit_bzero(pwhash, sizeof(pwhash));
	if (rc != STORE_OK ||
	    (rc = ff_activity_tx(ff, s->op.login, "user.passwd", login, 1,
	    detail)) != STORE_OK || (rc = store_commit(ff->st)) != STORE_OK)
		goto fail;
	return FF_OK;
fail:
	store_rollback(ff->st);
	return ff_store_fail(ff, err, rc, "cannot set the password");
}

int
auth_user_disable(struct ff *ff, const struct session *s, const char *login,
    struct ff_err *err)
{
	struct operator op;
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN), "disabling operators",
	    err)) != FF_OK)
		return rc;
	if (strcmp(login, s->op.login) == 0)
		return ff_fail(err, FF_REFUSED, "you cannot disable yourself");
	if ((rc = ff_begin(ff, s, "cannot disable the operator", err)) !=
	    FF_OK)
		return rc;
	if ((rc = auth_target(ff, login, &op, err)) != FF_OK) {
		store_rollback(ff->st);
		return rc;
	}
	if ((rc = store_operator_set_active(ff->st, op.id, 0, 0)) != STORE_OK ||
	    (rc = ff_activity_tx(ff, s->op.login, "user.disable", login, 1,
	    "")) != STORE_OK || (rc = store_commit(ff->st)) != STORE_OK) {
		store_rollback(ff->st);
		return ff_store_fail(ff, err, rc, "cannot disable the operator");
	}
	return FF_OK;
}

int
auth_user_enable(struct ff *ff, const struct session *s, const char *login,
    struct ff_err *err)
{
	struct operator op;
	const char *detail;
	int64_t admins;
	int rc;

	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN), "enabling operators",
	    err)) != FF_OK)
		return rc;
	if ((rc = ff_begin(ff, s, "cannot enable the operator", err)) != FF_OK)
		return rc;
	if ((rc = auth_target(ff, login, &op, err)) != FF_OK) {
		store_rollback(ff->st);
		return rc;
	}
	if (op.active) {
		store_rollback(ff->st);
		return ff_fail(err, FF_REFUSED, "\"%s\" is enabled already",
		    login);
	}
	if ((rc = store_operator_admins(ff->st, &admins)) != STORE_OK)
		goto fail;
	if (admins >= 2) {
		rc = store_operator_await(ff->st, op.id, "enable", s->op.id, "");
		detail = "awaits a second admin's confirmation";
	} else {
		rc = store_operator_set_active(ff->st, op.id, 1, 1);
		detail = "by one admin alone (the company has one admin)";
	}
	if (rc != STORE_OK || (rc = ff_activity_tx(ff, s->op.login,
	    "user.enable", login, 1, detail)) != STORE_OK ||
	    (rc = store_commit(ff->st)) != STORE_OK)
		goto fail;
	return FF_OK;
fail:
	store_rollback(ff->st);
	return ff_store_fail(ff, err, rc, "cannot enable the operator");
}

int
auth_user_confirm(struct ff *ff, const struct session *s, const char *login,
    char what[8], struct ff_err *err)
{
	struct operator op;
	int rc;

	what[0] = '\0';
	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN), "confirming another admin's "
	    "change", err)) != FF_OK)
		return rc;
	if ((rc = ff_begin(ff, s, "cannot confirm", err)) != FF_OK)
		return rc;
	if ((rc = auth_target(ff, login, &op, err)) != FF_OK) {
		store_rollback(ff->st);
		return rc;
	}
	explicit_bzero(op.pwhash, sizeof(op.pwhash));
	explicit_bzero(op.awaiting_pwhash, sizeof(op.awaiting_pwhash));
	if (op.awaiting[0] == '\0')
		rc = ff_fail(err, FF_REFUSED, "nothing of \"%s\" awaits "
		    "confirmation", login);
	else if (op.awaiting_by == s->op.id)
		rc = ff_fail(err, FF_DENIED, "you asked for this change of "
		    "\"%s\" yourself; another admin must confirm it", login);
	else if (op.id == s->op.id)
		rc = ff_fail(err, FF_DENIED, "a change of your own account is "
		    "confirmed by another admin");
	if (rc != FF_OK) {
		store_rollback(ff->st);
		{
			char detail[96];

			snprintf(detail, sizeof(detail), "refused: %s",
			    op.awaiting[0] ? op.awaiting : "nothing awaits");
			ff_activity(ff, s->op.login, "user.confirm", login, 0,
			    detail);
		}
		return rc;
	}
	snprintf(what, 8, "%s", op.awaiting);
	{
		char detail[96];

		snprintf(detail, sizeof(detail), "%s asked by %s", op.awaiting,
		    op.awaiting_by_login);
		if ((rc = store_operator_confirm(ff->st, op.id, s->op.id)) !=
		    STORE_OK || (rc = ff_activity_tx(ff, s->op.login,
		    "user.confirm", login, 1, detail)) != STORE_OK ||
		    (rc = store_commit(ff->st)) != STORE_OK) {
			store_rollback(ff->st);
			return ff_store_fail(ff, err, rc, "cannot confirm");
		}
	}
	return FF_OK;
}

int
auth_user_state(struct ff *ff, const char *login, struct operator *out,
    struct ff_err *err)
{
	int rc = store_operator_get(ff->st, login, out);

	if (rc == STORE_OK) {
		explicit_bzero(out->pwhash, sizeof(out->pwhash));
		explicit_bzero(out->awaiting_pwhash,
		    sizeof(out->awaiting_pwhash));
		return FF_OK;
	}
	if (rc == STORE_NOTFOUND)
		return ff_fail(err, FF_NOTFOUND, "there is no operator \"%s\"",
		    login);
	return ff_store_fail(ff, err, rc, "cannot read the operator");
}

int
auth_user_list(struct ff *ff, const struct session *s, struct operator **out,
    size_t *n, struct ff_err *err)
{
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = scope_role(s, SCOPE(ROLE_ADMIN) | SCOPE(ROLE_AUDITOR),
	    "listing operators", err)) != FF_OK)
		return rc;
	if ((rc = store_operator_list(ff->st, out, n)) != STORE_OK)
		return ff_store_fail(ff, err, rc, "cannot list the operators");
	for (size_t i = 0; i < *n; i++) {
		sodium_memzero((*out)[i].pwhash, sizeof((*out)[i].pwhash));
		sodium_memzero((*out)[i].awaiting_pwhash,
		    sizeof((*out)[i].awaiting_pwhash));
	}
	return FF_OK;
}
