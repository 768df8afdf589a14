/*
 * tui_login.c — the login form: a login field and a password field that
 * echoes nothing.  Tab or Enter moves to the password, Enter logs in, Esc
 * leaves.  A refusal says nothing of which part was wrong (the model
 * records the real reason); the password is wiped as soon as it is used.
 */
#include "screen.h"
#include "i18n.h"

#include <string.h>

#include "cli.h"
#include "model/auth.h"
#include "model/demo.h"

static int tui_login_submit(struct tui *t, void *owner, struct tui_modal *m);

void
tui_login_open(struct tui *t, const char *user)
{
	struct tui_modal *m = tui_modal_open(t, MODAL_FORM, NULL,
	    _("fundflow: log in"));
	struct tui_field *login;

	tui_modal_pair(m, STY_DIM, _("Database"), t->cli->db_path);
	if (demo_detect(t->ff))
		tui_modal_line(m, STY_DIM, _("A demo: log in as admin, reviewer, "
		    "auditor or staff; password %s"), DEMO_PASSWORD);
	login = tui_modal_field(m, _("Login"), FF_LOGIN_MAX, 0);
	tui_modal_field(m, _("Password"), 1024, 1);
	if (user != NULL && *user) {
		tui_field_set(login, user);
		m->focus = 1;
	}
	snprintf(m->prompt, sizeof(m->prompt), "Tab or Enter: password   Enter: "
	    "log in   Esc: quit");
	m->submit = tui_login_submit;
	m->quit_on_cancel = 1;
}

static int
tui_login_submit(struct tui *t, void *owner, struct tui_modal *m)
{
	char login[FF_LOGIN_MAX * 4 + 8], password[1024 * 4 + 8];
	struct session s;
	struct ff_err err;
	int rc;

	(void)owner;
	tui_field_get(&m->fields[0], login, sizeof(login));
	tui_field_get(&m->fields[1], password, sizeof(password));
	if (login[0] == '\0') {
		explicit_bzero(password, sizeof(password));
		m->focus = 0;
		tui_error(t, _("Type your login first."));
		return TUI_KEEP;
	}
	memset(&err, 0, sizeof(err));
	rc = auth_login(t->ff, login, password, &s, &err);
	explicit_bzero(password, sizeof(password));
	tui_field_clear(&m->fields[1]);
	if (rc != FF_OK) {
		m->focus = 1;
		tui_fail(t, &err);
		return TUI_KEEP;
	}
	if (s.op.must_change) {
		/* A reset password is the admin's: the screens open only
		 * once the operator has set their own. */
		explicit_bzero(&s, sizeof(s));
		m->focus = 1;
		tui_error(t, _("Your password was reset by an admin; set your own "
		    "first: fundflow --user %s user passwd"), login);
		return TUI_KEEP;
	}
	t->sess = s;
	explicit_bzero(&s, sizeof(s));
	return tui_session_start(t);
}
