/*
 * keys.c — the action table and the key table; see keys.h.
 *
 * To add a key: give its action a line in keys_actions[] (what it does,
 * who may, where, what it needs) and bind it in keys_table[].  The help
 * screen, the hint line and the refusals follow by themselves.
 */
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "model/scope.h"
#include "screen.h"

#define ANY		0u
#define STAFF		SCOPE(ROLE_STAFF)
#define REVIEWER	SCOPE(ROLE_REVIEWER)
#define AUDITOR		SCOPE(ROLE_AUDITOR)
#define LISTS		(SCR_BIT(SCR_ACCOUNTS) | SCR_BIT(SCR_WITHDRAWALS) | \
			 SCR_BIT(SCR_LEDGER) | SCR_BIT(SCR_INCOMES))

/* Indexed by enum tui_action. */
static const struct keys_action keys_actions[ACT_COUNT] = {
	[ACT_NONE] = { ACT_NONE, "", "", "", ANY, ANY, 0 },
	[ACT_UP] = { ACT_UP, N_("up"), N_("move up one row"), "", ANY, ANY, 0 },
	[ACT_DOWN] = { ACT_DOWN, N_("down"), N_("move down one row"), "", ANY, ANY, 0 },
	[ACT_PGUP] = { ACT_PGUP, N_("page up"), N_("move up one page"), "", ANY, ANY, 0 },
	[ACT_PGDN] = { ACT_PGDN, N_("page down"), N_("move down one page"), "", ANY,
	    ANY, 0 },
	[ACT_TOP] = { ACT_TOP, N_("first"), N_("go to the first row (the newest in "
	    "the ledger)"), "", ANY, ANY, 0 },
	[ACT_BOTTOM] = { ACT_BOTTOM, N_("last"), N_("go to the last row (the oldest "
	    "in the ledger)"), "", ANY, ANY, 0 },
	[ACT_OPEN] = { ACT_OPEN, N_("open"), N_("open the selected row: a branch's "
	    "ledger, the details of an entry, application, income or release, "
	    "a finding's entries"), "", ANY, ANY, KEYS_NEEDS_ROW | KEYS_HINT },
	[ACT_BACK] = { ACT_BACK, N_("back"), N_("back: drop the filter, or return "
	    "to the previous screen; quit from the top (asks first)"), "", ANY,
	    ANY, 0 },
	[ACT_HELP] = { ACT_HELP, N_("help"), N_("this help"), "", ANY, ANY, 0 },
	[ACT_REDRAW] = { ACT_REDRAW, N_("redraw"), N_("redraw the terminal"), "", ANY,
	    ANY, 0 },
	[ACT_SCREEN1] = { ACT_SCREEN1, N_("Accounts"), N_("Accounts: every branch's "
	    "balance, withdrawable and pending"), "", ANY, ANY, 0 },
	[ACT_SCREEN2] = { ACT_SCREEN2, N_("Withdrawals"), N_("Withdrawals: the "
	    "pending queue, and by the filter the decided ones"), "", ANY, ANY, 0 },
	[ACT_SCREEN3] = { ACT_SCREEN3, N_("Ledger"), N_("Ledger: the history, newest "
	    "first"), "", ANY, ANY, 0 },
	[ACT_SCREEN4] = { ACT_SCREEN4, N_("Incomes"), N_("Incomes, and the "
	    "conflicting deliveries kept for review"), "", ANY, ANY, 0 },
	[ACT_SCREEN5] = { ACT_SCREEN5, N_("Audit"), N_("Audit: check every "
	    "invariant"), N_("auditors"), AUDITOR, ANY, 0 },
	[ACT_SCREEN6] = { ACT_SCREEN6, N_("Releases"), N_("Releases: every program "
	    "version that opened this database"), "", ANY, ANY, 0 },
	[ACT_NEXT_SCREEN] = { ACT_NEXT_SCREEN, N_("next screen"), N_("the next "
	    "screen"), "", ANY, ANY, 0 },
	[ACT_PREV_SCREEN] = { ACT_PREV_SCREEN, N_("previous screen"), N_("the "
	    "previous screen"), "", ANY, ANY, 0 },
	[ACT_FILTER] = { ACT_FILTER, N_("filter"), N_("filter: branch, status, "
	    "business type, dates, reference"), "", ANY, LISTS, KEYS_HINT },
	[ACT_SORT] = { ACT_SORT, N_("sort"), N_("sort by the next column"), "", ANY,
	    SCR_BIT(SCR_ACCOUNTS), KEYS_HINT },
	[ACT_SORT_REVERSE] = { ACT_SORT_REVERSE, N_("reverse"), N_("reverse the "
	    "order"), "", ANY, SCR_BIT(SCR_ACCOUNTS), 0 },
	[ACT_CONFLICTS] = { ACT_CONFLICTS, N_("conflicts"), N_("switch between the "
	    "incomes and the conflicts kept for review"), "", ANY,
	    SCR_BIT(SCR_INCOMES), KEYS_HINT },
	[ACT_RERUN] = { ACT_RERUN, N_("run again"), N_("run the checks again"),
	    N_("auditors"), AUDITOR, SCR_BIT(SCR_AUDIT), KEYS_HINT },
	[ACT_APPLY] = { ACT_APPLY, N_("new"), N_("apply for a withdrawal from your "
	    "branch"), N_("branch staff"), STAFF, SCR_BIT(SCR_WITHDRAWALS),
	    KEYS_HINT },
	[ACT_CANCEL] = { ACT_CANCEL, N_("cancel"), N_("cancel the selected pending "
	    "application (asks first)"), N_("branch staff"), STAFF,
	    SCR_BIT(SCR_WITHDRAWALS), KEYS_NEEDS_ROW | KEYS_HINT },
	[ACT_APPROVE] = { ACT_APPROVE, N_("approve"), N_("approve the selected "
	    "application (shows the result, asks first)"), N_("reviewers"),
	    REVIEWER, SCR_BIT(SCR_WITHDRAWALS), KEYS_NEEDS_ROW | KEYS_HINT },
	[ACT_REJECT] = { ACT_REJECT, N_("reject"), N_("reject the selected "
	    "application (asks for the reason)"), N_("reviewers"), REVIEWER,
	    SCR_BIT(SCR_WITHDRAWALS), KEYS_NEEDS_ROW | KEYS_HINT },
	[ACT_EXPORT] = { ACT_EXPORT, N_("export"), N_("export what the screen lists "
	    "as CSV into the current directory"), N_("auditors"), AUDITOR, ANY,
	    KEYS_HINT },
};

#define CTRL(c) ((c) & 0x1f)

struct keys_bind {
	int code;
	int fn;			/* code is a KEY_* value */
	enum tui_action action;
	const char *label;	/* NULL: not shown in help (a synonym) */
};

/* Every key; the first binding of an action is the one hints show. */
static const struct keys_bind keys_table[] = {
	{ 'k', 0, ACT_UP, "k" },
	{ KEY_UP, 1, ACT_UP, "Up" },
	{ 'j', 0, ACT_DOWN, "j" },
	{ KEY_DOWN, 1, ACT_DOWN, "Down" },
	{ KEY_PPAGE, 1, ACT_PGUP, "PgUp" },
	{ CTRL('b'), 0, ACT_PGUP, "Ctrl-B" },
	{ KEY_NPAGE, 1, ACT_PGDN, "PgDn" },
	{ CTRL('f'), 0, ACT_PGDN, "Ctrl-F" },
	{ ' ', 0, ACT_PGDN, "Space" },
	{ 'g', 0, ACT_TOP, "g" },
	{ KEY_HOME, 1, ACT_TOP, "Home" },
	{ 'G', 0, ACT_BOTTOM, "G" },
	{ KEY_END, 1, ACT_BOTTOM, "End" },
	{ '\r', 0, ACT_OPEN, "Enter" },
	{ '\n', 0, ACT_OPEN, NULL },
	{ KEY_ENTER, 1, ACT_OPEN, NULL },
	{ 'q', 0, ACT_BACK, "q" },
	{ 27, 0, ACT_BACK, "Esc" },
	{ '?', 0, ACT_HELP, "?" },
	{ KEY_F(1), 1, ACT_HELP, "F1" },
	{ CTRL('l'), 0, ACT_REDRAW, "Ctrl-L" },
	{ '1', 0, ACT_SCREEN1, "1" },
	{ '2', 0, ACT_SCREEN2, "2" },
	{ '3', 0, ACT_SCREEN3, "3" },
	{ '4', 0, ACT_SCREEN4, "4" },
	{ '5', 0, ACT_SCREEN5, "5" },
	{ '6', 0, ACT_SCREEN6, "6" },
	{ '\t', 0, ACT_NEXT_SCREEN, "Tab" },
	{ KEY_BTAB, 1, ACT_PREV_SCREEN, "Shift-Tab" },
	{ '/', 0, ACT_FILTER, "/" },
	{ 's', 0, ACT_SORT, "s" },
	{ 'S', 0, ACT_SORT_REVERSE, "S" },
	{ 'v', 0, ACT_CONFLICTS, "v" },
	{ 'R', 0, ACT_RERUN, "R" },
	{ 'n', 0, ACT_APPLY, "n" },
	{ 'c', 0, ACT_CANCEL, "c" },
	{ 'a', 0, ACT_APPROVE, "a" },
	{ 'r', 0, ACT_REJECT, "r" },
	{ 'e', 0, ACT_EXPORT, "e" },
};
#define KEYS_NBIND (sizeof(keys_table) / sizeof(keys_table[0]))

const struct keys_action *
keys_action(enum tui_action a)
{
	if ((unsigned)a >= ACT_COUNT)
		a = ACT_NONE;
	return &keys_actions[a];
}

enum tui_action
keys_lookup(int code, int fn)
{
	for (size_t i = 0; i < KEYS_NBIND; i++)
		if (keys_table[i].code == code && keys_table[i].fn == !!fn)
			return keys_table[i].action;
	return ACT_NONE;
}

char *
keys_labels(enum tui_action a, char *buf, size_t sz)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < KEYS_NBIND; i++) {
		if (keys_table[i].action != a || keys_table[i].label == NULL)
			continue;
		k += (size_t)snprintf(buf + k, k < sz ? sz - k : 0, "%s%s",
		    k ? ", " : "", keys_table[i].label);
		if (k >= sz)
			break;
	}
	return buf;
}

const char *
keys_label(enum tui_action a)
{
	for (size_t i = 0; i < KEYS_NBIND; i++)
		if (keys_table[i].action == a && keys_table[i].label != NULL)
			return keys_table[i].label;
	return "";
}

static const char *keys_tr(const char *s);
static const char *keys_screen_of(unsigned mask, const char *const *names);
static int keys_help_group(enum role role, int screen, int which,
    const char *const *names, void (*line)(void *arg, const char *text,
    int heading), void *arg);

/* A string of the tables above in the user's language ("" stays ""). */
static const char *
keys_tr(const char *s)
{
	return *s ? _(s) : s;
}

/* The first screen of mask, by name, for "works on the X screen". */
static const char *
keys_screen_of(unsigned mask, const char *const *names)
{
	for (int i = 0; i < SCR_COUNT; i++)
		if (mask & SCR_BIT(i))
			return names[i];
	return "?";
}

const char *
keys_refusal(enum tui_action a, enum role role, int screen, int has_row,
    const char *const *screen_names, char *buf, size_t sz)
{
	const struct keys_action *k = keys_action(a);

	if (k->roles && !(k->roles & SCOPE(role))) {
		snprintf(buf, sz, _("%s (%s) is for %s"), keys_label(a),
		    keys_tr(k->name), keys_tr(k->who));
		return buf;
	}
	if (k->screens && !(k->screens & SCR_BIT(screen))) {
		snprintf(buf, sz, _("%s (%s) works on the %s screen"),
		    keys_label(a), keys_tr(k->name),
		    keys_screen_of(k->screens, screen_names));
		return buf;
	}
	if ((k->flags & KEYS_NEEDS_ROW) && !has_row) {
		snprintf(buf, sz, _("%s (%s): nothing is selected"),
		    keys_label(a), keys_tr(k->name));
		return buf;
	}
	return NULL;
}

/* Emits the help lines of the actions of one group (which: 0 every
 * screen, 1 this screen, 2 other screens); returns how many. */
static int
keys_help_group(enum role role, int screen, int which,
    const char *const *names,
    void (*line)(void *arg, const char *text, int heading), void *arg)
{
	char labels[64], text[256];
	int count = 0;

	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const struct keys_action *k = &keys_actions[a];
		int here;

		if (k->roles && !(k->roles & SCOPE(role)))
			continue;
		here = k->screens == 0 ? 0 : (k->screens & SCR_BIT(screen)) ? 1 : 2;
		if (here != which)
			continue;
		keys_labels((enum tui_action)a, labels, sizeof(labels));
		if (which == 2) {
			char where[128] = "";
			size_t n = 0;

			for (int i = 0; i < SCR_COUNT; i++)
				if (k->screens & SCR_BIT(i))
					n += (size_t)snprintf(where + n,
					    n < sizeof(where) ? sizeof(where) - n : 0,
					    "%s%s", n ? ", " : "", names[i]);
			snprintf(text, sizeof(text), "  %-20s %s (%s)", labels,
			    keys_tr(k->help), where);
		} else {
			snprintf(text, sizeof(text), "  %-20s %s", labels,
			    keys_tr(k->help));
		}
		line(arg, text, 0);
		count++;
	}
	return count;
}

void
keys_help(enum role role, int screen, const char *const *names,
    void (*line)(void *arg, const char *text, int heading), void *arg)
{
	char h[128];

	snprintf(h, sizeof(h), _("On the %s screen"), names[screen]);
	line(arg, h, 1);
	if (keys_help_group(role, screen, 1, names, line, arg) == 0)
		line(arg, _("  only the keys that work everywhere"), 0);
	line(arg, "", 0);
	line(arg, _("Everywhere"), 1);
	keys_help_group(role, screen, 0, names, line, arg);
	line(arg, "", 0);
	line(arg, _("On other screens"), 1);
	if (keys_help_group(role, screen, 2, names, line, arg) == 0)
		line(arg, _("  none"), 0);
	line(arg, "", 0);
	line(arg, _("In forms: Tab or Enter next field, Enter on the last "
	    "submits, Esc cancels;"), 0);
	line(arg, _("Left, Right, Home, End, Backspace, Delete, Ctrl-U edit "
	    "the text."), 0);
	line(arg, _("Other processes' changes appear by themselves within a "
	    "second."), 0);
}

void
keys_hints(enum role role, int screen, char *buf, size_t sz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const struct keys_action *k = &keys_actions[a];

		if (!(k->flags & KEYS_HINT) ||
		    (k->roles && !(k->roles & SCOPE(role))) ||
		    (k->screens && !(k->screens & SCR_BIT(screen))))
			continue;
		n += (size_t)snprintf(buf + n, n < sz ? sz - n : 0, "%s %s  ",
		    keys_label((enum tui_action)a), keys_tr(k->name));
		if (n >= sz)
			return;
	}
	snprintf(buf + n, n < sz ? sz - n : 0, _("1-6 screens  %s help  %s back"),
	    keys_label(ACT_HELP), keys_label(ACT_BACK));
}
