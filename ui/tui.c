/*
 * tui.c — the terminal screens' entry point and their one loop.
 *
 * The loop reads get_wch() with a short timeout, handles KEY_RESIZE
 * itself (with a "terminal too small" frame below 80x24), polls
 * ff_data_version() about every 500 ms so that other processes' commits
 * appear by themselves, and otherwise turns keys into actions
 * (ui/keys.c), checks their preconditions, and hands them to the open
 * dialog or the current screen.  Handlers change state and return TUI_*
 * flags; painting happens here, after them, in one pass: erase, draw the
 * frame, the screen and any dialog into the virtual screen, then one
 * doupdate(), so nothing flickers.  Signal handlers only set a flag.
 */
#include "tui.h"
#include "i18n.h"

#include <ctype.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "model/scope.h"
#include "screen.h"
#include "store/xmalloc.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_TICK_MS	100	/* get_wch timeout */
#define TUI_POLL_MS	500	/* data_version poll interval */

/* The one table of screens, in tab order. */
const struct screen *const tui_screens[SCR_COUNT] = {
	[SCR_ACCOUNTS] = &screen_accounts,
	[SCR_WITHDRAWALS] = &screen_withdrawals,
	[SCR_LEDGER] = &screen_ledger,
	[SCR_INCOMES] = &screen_incomes,
	[SCR_AUDIT] = &screen_audit,
	[SCR_RELEASES] = &screen_releases,
};

static volatile sig_atomic_t tui_signalled;

static void tui_on_signal(int sig);
static int tui_too_small(void);
static void tui_paint_title(const struct tui *t);
static void tui_paint_small(void);
static void tui_load(struct tui *t);
static int tui_poll(struct tui *t);
static int tui_dispatch(struct tui *t, int code, int fn);
static int tui_action(struct tui *t, enum tui_action a);
static void tui_help(struct tui *t);
static int tui_quit_yes(struct tui *t, void *owner, int64_t target);
static void tui_apply(struct tui *t, int flags);
static int64_t tui_ms(void);
static SCREEN *tui_curses_start(struct tui *t);
static void tui_loop(struct tui *t);

static void
tui_on_signal(int sig)
{
	tui_signalled = sig;
}

static int64_t
tui_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const *
tui_names(void)
{
	static const char *names[SCR_COUNT];

	for (int i = 0; i < SCR_COUNT; i++)
		names[i] = _(tui_screens[i]->name);
	return names;
}

/* ---- the status line ----------------------------------------------------- */

static void
tui_vstatus(struct tui *t, enum tui_style s, const char *fmt, va_list ap)
{
	vsnprintf(t->status, sizeof(t->status), fmt, ap);
	t->status_style = s;
}

void
tui_info(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_vstatus(t, STY_OK, fmt, ap);
	va_end(ap);
}

void
tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_vstatus(t, STY_ERROR, fmt, ap);
	va_end(ap);
}

void
tui_fail(struct tui *t, const struct ff_err *err)
{
	const char *m = err->msg[0] ? err->msg : ff_strerror(err->rc);
	size_t n = strlen(m);

	tui_error(t, "%c%s%s", toupper((unsigned char)m[0]), m + 1,
	    n > 0 && m[n - 1] != '.' ? "." : "");
	if (err->relogin && t->logged_in) {
		snprintf(t->relogin_user, sizeof(t->relogin_user), "%s",
		    t->sess.op.login);
		explicit_bzero(&t->sess, sizeof(t->sess));
		t->logged_in = 0;
		t->relogin = 1;
	}
}

/*
 * After a stale session was logged out: what the screens hold was read
 * with the old rights and goes; the login form opens over any dialog,
 * with the refusal still on the status line.
 */
static void
tui_relogin(struct tui *t)
{
	char status[sizeof(t->status)];

	t->relogin = 0;
	memcpy(status, t->status, sizeof(status));
	tui_modal_close(t);
	for (int i = 0; i < SCR_COUNT; i++) {
		if (t->state[i] != NULL)
			tui_screens[i]->free(t->state[i]);
		t->state[i] = NULL;
	}
	t->nback = 0;
	tui_login_open(t, t->relogin_user);
	memcpy(t->status, status, sizeof(status));
	t->status_style = STY_ERROR;
}

/* ---- painting ------------------------------------------------------------ */

static int
tui_too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
}

static void
tui_paint_small(void)
{
	char l1[64], l2[64];
	const char *lines[3];
	int y0;

	snprintf(l1, sizeof(l1), "%dx%d is less than %dx%d:", COLS, LINES,
	    TUI_MIN_COLS, TUI_MIN_LINES);
	snprintf(l2, sizeof(l2), "enlarge the window (q quits)");
	lines[0] = "Terminal too small";
	lines[1] = l1;
	lines[2] = l2;
	y0 = LINES > 3 ? (LINES - 3) / 2 : 0;
	for (int i = 0; i < 3 && y0 + i < LINES; i++) {
		int w = width_str(lines[i]);
		int x = COLS > w ? (COLS - w) / 2 : 0;

		tui_put(y0 + i, x, COLS - x, lines[i], WIDTH_LEFT,
		    i == 0 ? A_BOLD : A_NORMAL);
	}
}

static void
tui_paint_title(const struct tui *t)
{
	attr_t title = tui_attr(t, STY_TITLE);
	char who[FF_LOGIN_MAX + FF_CODE_MAX + 48], tabs[SCR_COUNT][48];
	int x = 1, w, need = 0, style;

	tui_fill(0, 0, title);
	if (t->sess.op.role == ROLE_STAFF)
		snprintf(who, sizeof(who), "%s (staff %s)", t->sess.op.login,
		    t->sess.op.branch_code);
	else if (t->logged_in)
		snprintf(who, sizeof(who), "%s (%s)", t->sess.op.login,
		    role_name(t->sess.op.role));
	else
		snprintf(who, sizeof(who), "version %s", ff_version());
	/* The tabs: named and roomy when the operator's name still fits
	 * beside them, then tighter, then only the current one named. */
	for (style = 0; style < 3; style++) {
		need = style == 0 ? 10 : 0;
		for (int i = 0; t->logged_in && i < SCR_COUNT; i++) {
			if (!tui_role_in(t, tui_screens[i]->roles)) {
				tabs[i][0] = '\0';
				continue;
			}
			if (i == t->cur)
				snprintf(tabs[i], sizeof(tabs[i]), "[%d %s]", i + 1,
				    _(tui_screens[i]->name));
			else if (style < 2)
				snprintf(tabs[i], sizeof(tabs[i]), " %d %s ", i + 1,
				    _(tui_screens[i]->name));
			else
				snprintf(tabs[i], sizeof(tabs[i]), " %d ", i + 1);
			need += width_str(tabs[i]);
		}
		if (need + width_str(who) + 3 <= COLS)
			break;
	}
	if (style == 0) {
		tui_put(0, x, 8, _("fundflow"), WIDTH_LEFT, title | A_BOLD);
		x += 10;
	}
	for (int i = 0; t->logged_in && i < SCR_COUNT; i++) {
		if (tabs[i][0] == '\0')
			continue;
		w = width_str(tabs[i]);
		tui_put(0, x, w, tabs[i], WIDTH_LEFT,
		    i == t->cur ? tui_attr(t, STY_TAB) : title);
		x += w;
	}
	w = width_str(who);
	if (COLS - w - 1 > x)
		tui_put(0, COLS - w - 1, w, who, WIDTH_LEFT, title);
}

void
tui_paint(struct tui *t)
{
	char hints[512];

	erase();
	curs_set(0);
	if (tui_too_small()) {
		tui_paint_small();
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	tui_paint_title(t);
	if (t->logged_in) {
		tui_screens[t->cur]->draw(t, t->state[t->cur]);
		keys_hints(t->sess.op.role, t->cur, hints, sizeof(hints));
		tui_put(LINES - 2, 1, COLS - 2, hints, WIDTH_LEFT,
		    tui_attr(t, STY_DIM));
	} else {
		tui_put(2, 2, COLS - 4, _("Fund accounts of the branch offices: "
		    "balances, withdrawals, the ledger and its audit."),
		    WIDTH_LEFT, A_NORMAL);
	}
	tui_put(LINES - 1, 0, COLS - 1, t->status, WIDTH_LEFT,
	    tui_attr(t, t->status_style));
	tui_modal_draw(t);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- screens ------------------------------------------------------------- */

int
tui_goto(struct tui *t, int id, int push)
{
	const struct screen *s;

	if (id < 0 || id >= SCR_COUNT)
		return TUI_PASS;
	s = tui_screens[id];
	if (!tui_role_in(t, s->roles)) {
		tui_error(t, _("The %s screen is for %s."), _(s->name),
		    _(keys_action((enum tui_action)(ACT_SCREEN1 + id))->who));
		return TUI_DONE;
	}
	t->want = id;
	t->want_push = push;
	return TUI_SWITCH;
}

/* Reads the current screen's data again (noting the data version first,
 * so that a commit made meanwhile is seen at the next poll). */
static void
tui_load(struct tui *t)
{
	int64_t v;

	if (ff_data_version(t->ff, &v) == FF_OK)
		t->data_version = v;
	tui_screens[t->cur]->load(t, t->state[t->cur]);
}

/* Polls the data version; reads the screen again when another process
 * has committed since.  Returns 1 when it did. */
static int
tui_poll(struct tui *t)
{
	int64_t v;
	int rc;

	if (!t->logged_in)
		return 0;
	/* A server that went away: said once, tried again at every poll
	 * (the store connects again by itself), said again when back. */
	if ((rc = ff_data_version(t->ff, &v)) != FF_OK) {
		if (rc == FF_SCHEMA && !t->lost) {
			t->lost = 1;
			tui_error(t, _("The connection to the database was lost; "
			    "trying again. Nothing is changed meanwhile."));
			return 1;
		}
		return 0;
	}
	if (t->lost) {
		t->lost = 0;
		tui_info(t, _("Connected to the database again."));
		tui_load(t);
		return 1;
	}
	if (v == t->data_version)
		return 0;
	tui_load(t);
	return 1;
}

int
tui_session_start(struct tui *t)
{
	for (int i = 0; i < SCR_COUNT; i++)
		if (t->state[i] == NULL)
			t->state[i] = tui_screens[i]->init(t);
	t->logged_in = 1;
	t->nback = 0;
	tui_info(t, _("Logged in as %s (%s). ? shows the keys."), t->sess.op.login,
	    role_name(t->sess.op.role));
	return tui_goto(t, t->sess.op.role == ROLE_REVIEWER ? SCR_WITHDRAWALS :
	    SCR_ACCOUNTS, 0);
}

/* Applies a handler's flags (but TUI_QUIT, which the loop reads). */
static void
tui_apply(struct tui *t, int flags)
{
	if (flags & TUI_SWITCH) {
		if (t->want_push && t->want != t->cur) {
			if (t->nback == TUI_BACK_MAX) {
				memmove(t->back, t->back + 1,
				    (TUI_BACK_MAX - 1) * sizeof(t->back[0]));
				t->nback--;
			}
			t->back[t->nback++] = t->cur;
		} else if (!t->want_push) {
			t->nback = 0;
		}
		t->cur = t->want;
		tui_load(t);
	} else if (flags & TUI_RELOAD) {
		tui_load(t);
	}
}

/* ---- help and quitting --------------------------------------------------- */

static void
tui_help_line(void *arg, const char *text, int heading)
{
	tui_modal_line(arg, heading ? STY_HEADER : STY_NORMAL, "%s", text);
}

static void
tui_help(struct tui *t)
{
	struct tui_modal *m;
	char title[96];

	snprintf(title, sizeof(title), "Keys (%s, %s)", t->sess.op.login,
	    role_name(t->sess.op.role));
	m = tui_modal_open(t, MODAL_INFO, NULL, title);
	keys_help(t->sess.op.role, t->cur, tui_names(), tui_help_line, m);
}

static int
tui_quit_yes(struct tui *t, void *owner, int64_t target)
{
	(void)t;
	(void)owner;
	(void)target;
	return TUI_QUIT;
}

/* ---- keys ---------------------------------------------------------------- */

/* An action whose preconditions hold. */
static int
tui_action(struct tui *t, enum tui_action a)
{
	const struct screen *s = tui_screens[t->cur];
	void *st = t->state[t->cur];
	int flags;

	switch (a) {
	case ACT_SCREEN1: case ACT_SCREEN2: case ACT_SCREEN3:
	case ACT_SCREEN4: case ACT_SCREEN5: case ACT_SCREEN6:
		return tui_goto(t, (int)(a - ACT_SCREEN1), 0);
	case ACT_NEXT_SCREEN:
	case ACT_PREV_SCREEN:
		for (int i = 1; i < SCR_COUNT; i++) {
			int id = (t->cur + (a == ACT_NEXT_SCREEN ? i :
			    SCR_COUNT - i)) % SCR_COUNT;

			if (tui_role_in(t, tui_screens[id]->roles))
				return tui_goto(t, id, 0);
		}
		return TUI_DONE;
	case ACT_HELP:
		tui_help(t);
		return TUI_DONE;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return TUI_DONE;
	case ACT_BACK:
		if ((flags = s->key(t, st, a)) != TUI_PASS)
			return flags;
		if (t->nback > 0) {
			t->cur = t->back[--t->nback];
			tui_load(t);
			return TUI_DONE;
		}
		{
			struct tui_modal *m = tui_modal_open(t, MODAL_CONFIRM,
			    NULL, _("Quit fundflow?"));

			tui_modal_line(m, STY_NORMAL, _("Nothing is lost: every "
			    "change is saved when it is made."));
			snprintf(m->prompt, sizeof(m->prompt), "y quits; any "
			    "other key stays");
			m->yes = tui_quit_yes;
		}
		return TUI_DONE;
	default:
		flags = s->key(t, st, a);
		if (flags == TUI_PASS)
			return TUI_DONE;
		return flags;
	}
}

/* One key (code a character, or a KEY_* code when fn). */
static int
tui_dispatch(struct tui *t, int code, int fn)
{
	enum tui_action a;
	const char *why;
	char buf[200];
	int has_row;

	if (t->modal.kind != MODAL_NONE)
		return tui_modal_key(t, code, fn);
	if (!t->logged_in) {
		tui_login_open(t, t->cli->user);
		return TUI_DONE;
	}
	a = keys_lookup(code, fn);
	if (a == ACT_NONE) {
		tui_error(t, _("That key does nothing here; ? shows the keys."));
		return TUI_DONE;
	}
	has_row = tui_screens[t->cur]->selected(t->state[t->cur]);
	why = keys_refusal(a, t->sess.op.role, t->cur, has_row, tui_names(),
	    buf, sizeof(buf));
	if (why != NULL) {
		tui_error(t, "%s.", why);
		return TUI_DONE;
	}
	t->status[0] = '\0';
	return tui_action(t, a);
}

/* ---- the entry point ----------------------------------------------------- */

/*
 * Starts curses on the terminal: locale first, then the terminal, keys
 * as they come (Esc after 25 ms), no echo, and colours unless NO_COLOR
 * or the configuration says otherwise.  Returns the screen, or NULL with
 * the reason printed (curses is then not running).
 */
static SCREEN *
tui_curses_start(struct tui *t)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
	SCREEN *scr;
	char *cup;

	setlocale(LC_ALL, "");
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		cli_error(_("cannot start the screens on this terminal (TERM=%s)"),
		    term ? term : "");
		return NULL;
	}
	set_term(scr);
	/* A terminal that cannot move the cursor (TERM=dumb) would show
	 * nothing at all: say so instead. */
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		cli_error(_("this terminal (TERM=%s) cannot show the screens; use a "
		    "command instead (fundflow --help lists them)"),
		    term ? term : "");
		return NULL;
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	scrollok(stdscr, FALSE);
	timeout(TUI_TICK_MS);
	tui_styles_init(t, has_colors() && t->cfg->color &&
	    (nc == NULL || *nc == '\0'));
	return scr;
}

/* The loop: paint when something changed, read one key (or time out and
 * poll the data version), act on it.  Returns when the operator quits or
 * a signal asks to. */
static void
tui_loop(struct tui *t)
{
	int64_t next_poll = 0;
	int dirty = 1;

	while (!tui_signalled) {
		wint_t ch;
		int r, flags;

		if (dirty) {
			tui_paint(t);
			dirty = 0;
		}
		r = get_wch(&ch);
		if (tui_signalled)
			break;
		if (r == ERR) {
			int64_t now = tui_ms();

			if (now >= next_poll) {
				next_poll = now + TUI_POLL_MS;
				dirty = tui_poll(t);
			}
			continue;
		}
		dirty = 1;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (tui_too_small()) {
			/* Only quitting works until the window is large enough. */
			if (r == OK && (ch == 'q' || ch == 'Q'))
				break;
			continue;
		}
		t->page = tui_list_rows();
		flags = tui_dispatch(t, (int)ch, r == KEY_CODE_YES);
		if (flags & TUI_QUIT)
			break;
		if (t->relogin)
			tui_relogin(t);
		else
			tui_apply(t, flags);
	}
}

int
tui_main(struct cli *c)
{
	struct tui *t;
	struct ff_err err;
	struct sigaction sa;
	SCREEN *scr;
	int rc = EXIT_DONE;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error(_("the screens need a terminal; give a command instead "
		    "(fundflow --help lists them)"));
		return EXIT_USAGE;
	}
	t = xcalloc(1, sizeof(*t));
	t->cli = c;
	t->cfg = c->cfg;
	if (ff_open(c->cfg, c->db_path, 0, &t->ff, &err) != FF_OK) {
		free(t);
		return cli_fail(&err);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);	/* Ctrl-\ ends cleanly, no core */
	if ((scr = tui_curses_start(t)) == NULL) {
		rc = EXIT_USAGE;
		goto out;
	}
	ff_data_version(t->ff, &t->data_version);
	tui_login_open(t, c->user);
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		tui_error(t, _("The locale is not UTF-8 (see LANG / LC_ALL): Chinese "
		    "names cannot show and will look like ?."));
	tui_loop(t);
	tui_modal_close(t);
	erase();
	refresh();
	endwin();
	delscreen(scr);
out:
	for (int i = 0; i < SCR_COUNT; i++)
		if (t->state[i] != NULL)
			tui_screens[i]->free(t->state[i]);
	explicit_bzero(&t->sess, sizeof(t->sess));
	ff_close(t->ff);
	free(t);
	return rc;
}
