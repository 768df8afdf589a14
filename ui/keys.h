/*
 * keys.h — the screens' keys: named actions, what each needs, and which
 * keys call it.  One table of actions (help text and preconditions, in the
 * manner of neomutt's IndexFunctions[] with its CHECK_* flags) and one
 * table of keys live in ui/keys.c; the `?` help and the hint line are
 * generated from them, so that neither can drift from what the keys do.
 */
#ifndef FF_KEYS_H
#define FF_KEYS_H

#include <stddef.h>

#include "store/types.h"

enum tui_action {
	ACT_NONE = 0,
	/* moving */
	ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM,
	/* everywhere */
	ACT_OPEN, ACT_BACK, ACT_HELP, ACT_REDRAW,
	ACT_SCREEN1, ACT_SCREEN2, ACT_SCREEN3, ACT_SCREEN4, ACT_SCREEN5,
	ACT_SCREEN6, ACT_NEXT_SCREEN, ACT_PREV_SCREEN,
	/* on some screens */
	ACT_FILTER, ACT_SORT, ACT_SORT_REVERSE, ACT_CONFLICTS, ACT_RERUN,
	/* acting */
	ACT_APPLY, ACT_CANCEL, ACT_APPROVE, ACT_REJECT, ACT_EXPORT,
	ACT_COUNT
};

/* Preconditions beyond role and screen. */
#define KEYS_NEEDS_ROW	0x1	/* a row must be selected */
#define KEYS_HINT	0x2	/* shown on the hint line */

struct keys_action {
	enum tui_action action;
	const char *name;	/* "approve" */
	const char *help;	/* one line for the help screen */
	const char *who;	/* the roles, in words, for refusals: "reviewers" */
	unsigned roles;		/* SCOPE() mask; 0: every role */
	unsigned screens;	/* SCR_BIT() mask; 0: every screen */
	unsigned flags;
};

/* The action table entry of a (never NULL: ACT_NONE has one too). */
const struct keys_action *keys_action(enum tui_action a);

/* The action bound to a key: code is a character (fn 0) or a KEY_* code
 * (fn 1).  ACT_NONE when the key is bound to nothing. */
enum tui_action keys_lookup(int code, int fn);

/* The keys of a, as the help shows them ("j, Down"), into buf. */
char *keys_labels(enum tui_action a, char *buf, size_t sz);
/* The first key of a ("a"). */
const char *keys_label(enum tui_action a);

/*
 * Why action a cannot run now, or NULL when it can: the role, the screen
 * (given by its id and the names of all screens) or the selection.  The
 * sentence is written into buf.
 */
const char *keys_refusal(enum tui_action a, enum role role, int screen,
    int has_row, const char *const *screen_names, char *buf, size_t sz);

/*
 * The help text for role on screen, one line at a time: calls line(arg,
 * text, heading) for each.  Actions the role may not use are left out;
 * those of other screens are listed under the screens they work on.
 */
void keys_help(enum role role, int screen, const char *const *screen_names,
    void (*line)(void *arg, const char *text, int heading), void *arg);

/* The hint line for role on screen ("a approve  r reject  ? help"). */
void keys_hints(enum role role, int screen, char *buf, size_t sz);

#endif
