/*
 * test_auth.c — operators: the first admin, logging in (and every way a
 * login is refused, all alike to the person trying), and the admin's
 * keeping of operators.  Password hashing is slow by design, so each test
 * hashes only a few times.
 */
#include "testlib.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/auth.h"
#include "store/store.h"
#include "store/xmalloc.h"

static int64_t	operators(struct testlib *);
static int64_t	login_refusals(struct testlib *);
static char	*pwhash_of(struct testlib *, const char *);
static void	expect_login_refused(struct testlib *, const char *,
		    const char *, const char *, char *);

static void	test_valid_login(void **);
static void	test_password_ok(void **);
static void	test_init_admin_invalid(void **);
static void	test_init_admin(void **);
static void	test_login(void **);
static void	test_login_refused(void **);
static void	test_user_add_validation(void **);
static void	test_user_add(void **);
static void	test_passwd(void **);
static void	test_disable(void **);
static void	test_user_list(void **);
static void	test_four_eyes(void **);

static int64_t
operators(struct testlib *t)
{
	return testlib_sql_int(t->path, "SELECT COUNT(*) FROM operator");
}

static int64_t
login_refusals(struct testlib *t)
{
	return testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE action = 'login' AND ok = 0");
}

static char *
pwhash_of(struct testlib *t, const char *login)
{
	char *sql = xasprintf("SELECT pwhash FROM operator WHERE login = '%s'",
	    login);
	char *h = testlib_sql_text(t->path, sql);

	free(sql);
	return h;
}

/*
 * login / password is refused with FF_AUTH and the message every refusal
 * gives (msg: the first one seen, or "" to learn it), and recorded as a
 * refused login whose detail contains why.
 */
static void
expect_login_refused(struct testlib *t, const char *login,
    const char *password, const char *why, char *msg)
{
	struct session s;
	struct ff_err err = { 0 };
	int64_t n = login_refusals(t);
	char *detail;

	memset(&s, 0x55, sizeof(s));
	if (auth_login(t->ff, login, password, &s, &err) != FF_AUTH)
		fail_msg("login %s / %s: not refused", login ? login : "(null)",
		    password ? password : "(null)");
	assert_int_equal(s.op.id, 0);
	assert_string_equal(s.op.login, "");
	if (msg[0] == '\0')
		snprintf(msg, sizeof(err.msg), "%s", err.msg);
	else if (strcmp(msg, err.msg) != 0)
		fail_msg("login %s: \"%s\", but another refusal said \"%s\"",
		    login ? login : "(null)", err.msg, msg);
	assert_int_equal(login_refusals(t), n + 1);
	detail = testlib_sql_text(t->path, "SELECT detail FROM activity "
	    "ORDER BY id DESC LIMIT 1");
	if (strstr(detail, why) == NULL)
		fail_msg("login %s: recorded \"%s\", want \"%s\"",
		    login ? login : "(null)", detail, why);
	free(detail);
}

static void
test_valid_login(void **state)
{
	static const char *const good[] = { "a", "admin", "li.ming", "x_y-z",
	    "someone@example.com", "A9", NULL };
	static const char *const bad[] = { "", " ", "a b", "admin ", "名字",
	    "x/y", "x;y", "'", "a\nb", "é", "x:y", NULL };
	char max[FF_LOGIN_MAX + 2];

	(void)state;
	for (size_t i = 0; good[i] != NULL; i++)
		if (!auth_valid_login(good[i]))
			fail_msg("refused login \"%s\"", good[i]);
	for (size_t i = 0; bad[i] != NULL; i++)
		if (auth_valid_login(bad[i]))
			fail_msg("accepted login \"%s\"", bad[i]);
	memset(max, 'a', FF_LOGIN_MAX);
	max[FF_LOGIN_MAX] = '\0';
	assert_true(auth_valid_login(max));
	max[FF_LOGIN_MAX] = 'a';
	max[FF_LOGIN_MAX + 1] = '\0';
	assert_false(auth_valid_login(max));
}

static void
test_password_ok(void **state)
{
	struct ff_err err = { 0 };
	char *pw = xmalloc(1026);

	(void)state;
	assert_int_equal(auth_password_ok(NULL, &err), FF_INVALID);
	assert_int_equal(auth_password_ok("", &err), FF_INVALID);
	assert_int_equal(auth_password_ok("x", &err), FF_OK);
	assert_int_equal(auth_password_ok("密码 with spaces", &err), FF_OK);
	memset(pw, 'p', 1024);
	pw[1024] = '\0';
	assert_int_equal(auth_password_ok(pw, &err), FF_OK);
	pw[1024] = 'p';
	pw[1025] = '\0';
	assert_int_equal(auth_password_ok(pw, &err), FF_INVALID);
	free(pw);
}

static void
test_init_admin_invalid(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };

	assert_int_equal(auth_init_admin(t->ff, "bad login", "pw", &err),
	    FF_INVALID);
	assert_int_equal(auth_init_admin(t->ff, "", "pw", &err), FF_INVALID);
	assert_int_equal(auth_init_admin(t->ff, "admin", "", &err), FF_INVALID);
	assert_int_equal(operators(t), 0);
}

static void
test_init_admin(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	char *h;

	assert_int_equal(auth_init_admin(t->ff, "boss", "s3cret", &err), FF_OK);
	assert_int_equal(operators(t), 1);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM operator "
	    "WHERE login = 'boss' AND role = 'admin' AND branch_id IS NULL "
	    "AND active = 1"), 1);
	h = pwhash_of(t, "boss");
	assert_memory_equal(h, "$argon2id$", strlen("$argon2id$"));
	assert_null(strstr(h, "s3cret"));
	free(h);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE ok = 1 AND actor = 'boss'"), 1);

	/* Twice: refused, nothing added. */
	assert_int_equal(auth_init_admin(t->ff, "boss2", "other", &err),
	    FF_REFUSED);
	assert_int_equal(auth_init_admin(t->ff, "boss", "s3cret", &err),
	    FF_REFUSED);
	assert_int_equal(operators(t), 1);
}

static void
test_login(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct ff_err err = { 0 };
	static const char zero[FF_PWHASH_MAX];

	testlib_admin(t);
	assert_int_equal(auth_login(t->ff, "admin", TESTLIB_PASSWORD, &s, &err),
	    FF_OK);
	assert_string_equal(s.op.login, "admin");
	assert_int_equal(s.op.role, ROLE_ADMIN);
	assert_int_equal(s.op.id, t->admin.op.id);
	assert_int_equal(s.op.active, 1);
	/* the session does not carry the hash around */
	assert_memory_equal(s.op.pwhash, zero, sizeof(zero));
	assert_int_equal(login_refusals(t), 0);
}

static void
test_login_refused(void **state)
{
	struct testlib *t = *state;
	struct ff_err err = { 0 };
	char msg[sizeof(err.msg)] = "";

	testlib_admin(t);
	testlib_operator(t, "rev", ROLE_REVIEWER, NULL, NULL);
	expect_login_refused(t, "admin", "wrong", "password", msg);
	expect_login_refused(t, "admin", TESTLIB_PASSWORD "x", "password", msg);
	expect_login_refused(t, "admin", "", "", msg);
	expect_login_refused(t, "nobody", TESTLIB_PASSWORD, "unknown", msg);
	expect_login_refused(t, "Admin", TESTLIB_PASSWORD, "unknown", msg);
	expect_login_refused(t, "bad login!", TESTLIB_PASSWORD, "", msg);
	expect_login_refused(t, NULL, TESTLIB_PASSWORD, "", msg);
	expect_login_refused(t, "admin", NULL, "", msg);

	/* disabled: the right password does not help, and says the same */
	assert_int_equal(auth_user_disable(t->ff, &t->admin, "rev", &err), FF_OK);
	expect_login_refused(t, "rev", TESTLIB_PASSWORD, "disabled", msg);
	/* the message tells nothing of which part was wrong */
	assert_null(strstr(msg, "disabled"));
	assert_null(strstr(msg, "nobody"));
	/* nothing about the refusals changed any operator */
	assert_int_equal(operators(t), 2);
}

static void
test_user_add_validation(void **state)
{
	static const char *const bad_logins[] = { "", "a b", "名字", "x/y",
	    "'; DROP TABLE operator; --", NULL };
	struct testlib *t = *state;
	struct session rev;
	struct ff_err err = { 0 };

	testlib_admin(t);
	testlib_branch(t, "A");
	testlib_operator(t, "rev", ROLE_REVIEWER, NULL, &rev);
	for (size_t i = 0; bad_logins[i] != NULL; i++)
		assert_int_equal(auth_user_add(t->ff, &t->admin, bad_logins[i],
		    ROLE_REVIEWER, NULL, NULL, "pw", &err), FF_INVALID);
	/* staff need a branch, others must not have one */
	assert_int_equal(auth_user_add(t->ff, &t->admin, "s1", ROLE_STAFF, NULL,
	    NULL, "pw", &err), FF_INVALID);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "s1", ROLE_STAFF, "",
	    NULL, "pw", &err), FF_INVALID);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "r1", ROLE_REVIEWER, "A",
	    NULL, "pw", &err), FF_INVALID);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "a1", ROLE_AUDITOR, "A",
	    NULL, "pw", &err), FF_INVALID);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "a2", ROLE_ADMIN, "A",
	    NULL, "pw", &err), FF_INVALID);
	/* a name that is not plain text, an empty password */
	assert_int_equal(auth_user_add(t->ff, &t->admin, "r2", ROLE_REVIEWER,
	    NULL, "tab\there", "pw", &err), FF_INVALID);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "r3", ROLE_REVIEWER,
	    NULL, NULL, "", &err), FF_INVALID);
	/* only an admin adds operators */
	assert_int_equal(auth_user_add(t->ff, &rev, "r4", ROLE_REVIEWER, NULL,
	    NULL, "pw", &err), FF_DENIED);
	/* an unknown branch; a login taken */
	assert_int_equal(auth_user_add(t->ff, &t->admin, "s2", ROLE_STAFF, "ZZ",
	    NULL, "pw", &err), FF_NOTFOUND);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "rev", ROLE_AUDITOR,
	    NULL, NULL, "pw", &err), FF_REFUSED);
	assert_int_equal(operators(t), 2);
}

static void
test_user_add(void **state)
{
	struct testlib *t = *state;
	struct session s;
	struct ff_err err = { 0 };
	char *h;

	testlib_admin(t);
	testlib_branch(t, "A");
	assert_int_equal(auth_user_add(t->ff, &t->admin, "li.ming", ROLE_STAFF,
	    "A", "李明", "pw-li", &err), FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM operator "
	    "o JOIN branch b ON b.id = o.branch_id WHERE o.login = 'li.ming' "
	    "AND o.role = 'staff' AND b.code = 'A' AND o.name = '李明' "
	    "AND o.active = 1"), 1);
	h = pwhash_of(t, "li.ming");
	assert_memory_equal(h, "$argon2id$", strlen("$argon2id$"));
	free(h);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE action = 'user.add' AND target = 'li.ming' AND ok = 1 "
	    "AND actor = 'admin'"), 1);
	assert_int_equal(auth_login(t->ff, "li.ming", "pw-li", &s, &err), FF_OK);
	assert_int_equal(s.op.role, ROLE_STAFF);
	assert_string_equal(s.op.branch_code, "A");
	assert_string_equal(s.op.name, "李明");
}

static void
test_passwd(void **state)
{
	struct testlib *t = *state;
	struct session rev, s;
	struct ff_err err = { 0 };
	char *admin_before, *admin_after, *rev_before, *rev_after;

	testlib_admin(t);
	testlib_operator(t, "rev", ROLE_REVIEWER, NULL, &rev);
	admin_before = pwhash_of(t, "admin");
	rev_before = pwhash_of(t, "rev");

	/* not for another operator, unless admin */
	assert_int_equal(auth_user_passwd(t->ff, &rev, "admin", "taken", &err),
	    FF_DENIED);
	admin_after = pwhash_of(t, "admin");
	assert_string_equal(admin_before, admin_after);
	free(admin_after);
	/* an empty password, an unknown operator */
	assert_int_equal(auth_user_passwd(t->ff, &rev, NULL, "", &err),
	    FF_INVALID);
	assert_int_equal(auth_user_passwd(t->ff, &t->admin, "nobody", "x", &err),
	    FF_NOTFOUND);

	/* one's own */
	assert_int_equal(auth_user_passwd(t->ff, &rev, NULL, "new-1", &err),
	    FF_OK);
	rev_after = pwhash_of(t, "rev");
	assert_string_not_equal(rev_before, rev_after);
	assert_memory_equal(rev_after, "$argon2id$", strlen("$argon2id$"));
	free(rev_after);
	assert_int_equal(auth_login(t->ff, "rev", "new-1", &s, &err), FF_OK);
	assert_int_equal(auth_login(t->ff, "rev", TESTLIB_PASSWORD, &s, &err),
	    FF_AUTH);
	/* by the (only) admin: a reset, to be changed at the next login; a
	 * session opened before it is stale (naming oneself works too) */
	assert_int_equal(auth_user_passwd(t->ff, &t->admin, "rev", "new-2", &err),
	    FF_OK);
	assert_int_equal(auth_user_passwd(t->ff, &rev, "rev", "new-3", &err),
	    FF_DENIED);
	assert_int_equal(err.relogin, 1);
	assert_int_equal(auth_login(t->ff, "rev", "new-2", &s, &err), FF_OK);
	assert_int_equal(s.op.must_change, 1);
	assert_int_equal(auth_user_passwd(t->ff, &s, "rev", "new-3", &err),
	    FF_OK);
	assert_int_equal(auth_login(t->ff, "rev", "new-3", &s, &err), FF_OK);
	assert_int_equal(s.op.must_change, 0);
	/* the admin's own is untouched by all this */
	admin_after = pwhash_of(t, "admin");
	assert_string_equal(admin_before, admin_after);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE action = 'user.passwd' AND ok = 1"), 3);
	free(admin_before);
	free(admin_after);
	free(rev_before);
}

static void
test_disable(void **state)
{
	struct testlib *t = *state;
	struct session rev;
	struct ff_err err = { 0 };

	testlib_admin(t);
	testlib_operator(t, "rev", ROLE_REVIEWER, NULL, &rev);
	testlib_operator(t, "aud", ROLE_AUDITOR, NULL, NULL);
	assert_int_equal(auth_user_disable(t->ff, &t->admin, "admin", &err),
	    FF_REFUSED);
	assert_int_equal(auth_user_disable(t->ff, &rev, "aud", &err), FF_DENIED);
	assert_int_equal(auth_user_disable(t->ff, &rev, "rev", &err), FF_DENIED);
	assert_int_equal(auth_user_disable(t->ff, &t->admin, "nobody", &err),
	    FF_NOTFOUND);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM operator "
	    "WHERE active = 0"), 0);
	assert_int_equal(auth_user_disable(t->ff, &t->admin, "rev", &err), FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT active FROM operator "
	    "WHERE login = 'rev'"), 0);
	assert_int_equal(testlib_sql_int(t->path, "SELECT active FROM operator "
	    "WHERE login = 'aud'"), 1);
	assert_int_equal(testlib_sql_int(t->path, "SELECT COUNT(*) FROM activity "
	    "WHERE action = 'user.disable' AND target = 'rev' AND ok = 1"), 1);
}

static void
test_user_list(void **state)
{
	static const char zero[FF_PWHASH_MAX];
	struct testlib *t = *state;
	struct session aud, staff;
	struct operator *list = NULL;
	struct ff_err err = { 0 };
	size_t n = 0;

	testlib_admin(t);
	testlib_branch(t, "A");
	testlib_operator(t, "aud", ROLE_AUDITOR, NULL, &aud);
	testlib_operator(t, "staff", ROLE_STAFF, "A", &staff);
	assert_int_equal(auth_user_list(t->ff, &t->admin, &list, &n, &err), FF_OK);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_memory_equal(list[i].pwhash, zero, sizeof(zero));
	free(list);
	assert_int_equal(auth_user_list(t->ff, &aud, &list, &n, &err), FF_OK);
	assert_int_equal(n, 3);
	free(list);
	list = (struct operator *)1;
	assert_int_equal(auth_user_list(t->ff, &staff, &list, &n, &err),
	    FF_DENIED);
	assert_null(list);
}

/*
 * Four-eyes: with one admin a grant is made at once and marked alone;
 * with two, a grant, a reset and an enabling await the other admin, who
 * alone may confirm (never the one who asked, never the account itself),
 * and the schema holds the same rule and keeps who added an operator.
 */
static void
test_four_eyes(void **state)
{
	struct testlib *t = *state;
	struct session adm2, r1, s;
	struct ff_err err = { 0 };
	char what[8];

	testlib_admin(t);
	assert_int_equal(auth_user_add(t->ff, &t->admin, "adm2", ROLE_ADMIN, NULL,
	    NULL, TESTLIB_PASSWORD, &err), FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT alone FROM operator "
	    "WHERE login = 'adm2'"), 1);
	testlib_session(t->ff, "adm2", &adm2);

	assert_int_equal(auth_user_add(t->ff, &t->admin, "r1", ROLE_REVIEWER,
	    NULL, NULL, TESTLIB_PASSWORD, &err), FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT alone FROM operator "
	    "WHERE login = 'r1'"), 0);
	assert_int_equal(auth_login(t->ff, "r1", TESTLIB_PASSWORD, &s, &err),
	    FF_AUTH);
	assert_non_null(strstr(err.msg, "awaits a second admin's confirmation"));
	testlib_sql_refused(t->path, "UPDATE operator SET awaiting = '', "
	    "awaiting_by = NULL, confirmed_by = awaiting_by WHERE login = 'r1'",
	    "a change is confirmed by another admin than the one who asked");
	testlib_sql_refused(t->path, "UPDATE operator SET created_by = NULL "
	    "WHERE login = 'r1'", "who added an operator is fixed");
	assert_int_equal(auth_user_confirm(t->ff, &t->admin, "r1", what, &err),
	    FF_DENIED);
	assert_int_equal(auth_user_confirm(t->ff, &adm2, "r1", what, &err),
	    FF_OK);
	assert_string_equal(what, "grant");
	assert_int_equal(auth_login(t->ff, "r1", TESTLIB_PASSWORD, &r1, &err),
	    FF_OK);
	assert_int_equal(auth_user_confirm(t->ff, &adm2, "r1", what, &err),
	    FF_REFUSED);

	/* A reset of adm2 asked by admin: not adm2's to confirm. */
	assert_int_equal(auth_user_passwd(t->ff, &t->admin, "adm2", "new-pw",
	    &err), FF_OK);
	assert_int_equal(auth_login(t->ff, "adm2", "new-pw", &s, &err), FF_AUTH);
	assert_int_equal(auth_user_confirm(t->ff, &adm2, "adm2", what, &err),
	    FF_DENIED);
	assert_non_null(strstr(err.msg, "a change of your own account"));
	/* The operator's own change drops the awaited reset. */
	assert_int_equal(auth_user_passwd(t->ff, &adm2, NULL, "own-pw", &err),
	    FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT awaiting = '' FROM "
	    "operator WHERE login = 'adm2'"), 1);

	/* Enabling awaits too; the reviewer cannot confirm anything. */
	assert_int_equal(auth_user_disable(t->ff, &t->admin, "r1", &err), FF_OK);
	assert_int_equal(auth_user_enable(t->ff, &t->admin, "r1", &err), FF_OK);
	assert_int_equal(testlib_sql_int(t->path, "SELECT active FROM operator "
	    "WHERE login = 'r1'"), 0);
	assert_int_equal(auth_user_confirm(t->ff, &r1, "r1", what, &err),
	    FF_DENIED);
	assert_int_equal(auth_login(t->ff, "adm2", "own-pw", &adm2, &err), FF_OK);
	assert_int_equal(auth_user_confirm(t->ff, &adm2, "r1", what, &err),
	    FF_OK);
	assert_string_equal(what, "enable");
	assert_int_equal(testlib_sql_int(t->path, "SELECT active FROM operator "
	    "WHERE login = 'r1'"), 1);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, testlib_setup, testlib_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_login),
		cmocka_unit_test(test_password_ok),
		T(test_init_admin_invalid),
		T(test_init_admin),
		T(test_login),
		T(test_login_refused),
		T(test_user_add_validation),
		T(test_user_add),
		T(test_passwd),
		T(test_disable),
		T(test_user_list),
		T(test_four_eyes),
	};
#undef T

	if (auth_init_library() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
