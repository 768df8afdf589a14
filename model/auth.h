/*
 * auth.h — operators: logging in, the first admin, and the admin's
 * keeping of operators.  Passwords are stored only as argon2id hashes
 * (libsodium crypto_pwhash_str).  A refused login says nothing of which
 * part was wrong, and is recorded with the real reason in the activity
 * journal; a disabled operator cannot log in.
 */
#ifndef FF_AUTH_H
#define FF_AUTH_H

#include <stddef.h>

#include "ff.h"

/* Initialises libsodium; call once before anything else here. */
int auth_init_library(void);

/* Checks login and password; on success *out is the session. */
int auth_login(struct ff *ff, const char *login, const char *password,
    struct session *out, struct ff_err *err);

/* Creates the first admin of an empty database (FF_REFUSED when it has
 * operators already). */
int auth_init_admin(struct ff *ff, const char *login, const char *password,
    struct ff_err *err);

/* Admin: adds an operator; branch_code is required for staff and refused
 * for other roles. */
int auth_user_add(struct ff *ff, const struct session *s, const char *login,
    enum role role, const char *branch_code, const char *name,
    const char *password, struct ff_err *err);

/* Sets login's password: an admin for anyone, anyone for themselves
 * (login NULL or their own). */
int auth_user_passwd(struct ff *ff, const struct session *s, const char *login,
    const char *password, struct ff_err *err);

/*
 * Four-eyes on the admin's powers: while the company has two or more
 * admins, granting reviewer or admin (auth_user_add), enabling a disabled
 * operator and resetting another's password only ask for the change; a
 * second admin makes it with auth_user_confirm.  With one admin they are
 * made at once, marked "alone" (the audit warns).  A reset password must
 * be changed at the next login.
 */
/* Admin: enables a disabled operator. */
int auth_user_enable(struct ff *ff, const struct session *s, const char *login,
    struct ff_err *err);
/* Admin: confirms the change of login another admin asked for; *what is
 * the change ("grant", "enable", "reset"). */
int auth_user_confirm(struct ff *ff, const struct session *s, const char *login,
    char what[8], struct ff_err *err);
/* login's record, without its hashes (what a command just did to it). */
int auth_user_state(struct ff *ff, const char *login, struct operator *out,
    struct ff_err *err);

/* Admin: disables login (never themselves). */
int auth_user_disable(struct ff *ff, const struct session *s, const char *login,
    struct ff_err *err);

/* Admin: every operator; *out is an array the caller frees. */
int auth_user_list(struct ff *ff, const struct session *s,
    struct operator **out, size_t *n, struct ff_err *err);

/* Checks a new password (non-empty, at most 1024 bytes, no NUL). */
int auth_password_ok(const char *password, struct ff_err *err);

/* 1 when s is a valid login: 1..64 bytes of A-Z a-z 0-9 . _ - @. */
int auth_valid_login(const char *s);

#endif
