/*
 * screen.h — what the terminal screens share: the screen interface, the
 * context every screen works in (struct tui), the modal dialogs, and the
 * painting helpers.
 *
 * Each ui/screen_*.c exports one `const struct screen`, listed once in
 * tui_screens[] (ui/tui.c).  A screen's key() turns an action (never a raw
 * key: ui/keys.c maps keys to actions and checks their preconditions) into
 * a change of its state and returns TUI_* flags; its draw() takes const
 * state and only paints.  All rules live in the model: screens call model
 * functions and show what they return.
 *
 * The frame: row 0 the title bar (tabs, operator), rows 1 .. LINES-3 the
 * screen's body, row LINES-2 the key hints, row LINES-1 the status line.
 * Lists start at TUI_LIST_TOP (a subheader and a column header above).
 */
#ifndef FF_SCREEN_H
#define FF_SCREEN_H

#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include "model/ff.h"
#include "keys.h"
#include "width.h"

struct cli;
struct tui;

/* What a key handler asks of the loop (combined with |). */
#define TUI_PASS	0	/* not handled here */
#define TUI_DONE	1	/* handled; paint again */
#define TUI_RELOAD	2	/* read the current screen's data again */
#define TUI_SWITCH	4	/* go to t->want (pushing the current screen when
				   t->want_push is set, so that Back returns) */
#define TUI_QUIT	8	/* leave the program */
#define TUI_KEEP	16	/* a form's submit: keep the form open */

/* The screens, in tab order; the number key is the index plus one. */
enum tui_screen_id {
	SCR_ACCOUNTS = 0,
	SCR_WITHDRAWALS,
	SCR_LEDGER,
	SCR_INCOMES,
	SCR_AUDIT,
	SCR_RELEASES,
	SCR_COUNT
};
#define SCR_BIT(id) (1u << (id))

struct screen {
	const char *name;		/* "Withdrawals" */
	unsigned roles;			/* SCOPE() mask of who may open it;
					   0: everyone */
	/* Allocates the screen's state (once per login). */
	void *(*init)(struct tui *t);
	void (*free)(void *st);
	/* Reads the data from the model again, keeping the selection; on a
	 * failure it leaves the old data and says why on the status line. */
	void (*load)(struct tui *t, void *st);
	/* Acts on an action whose preconditions hold; returns TUI_* flags. */
	int (*key)(struct tui *t, void *st, enum tui_action a);
	/* Paints rows 1 .. LINES-3; nothing else. */
	void (*draw)(const struct tui *t, const void *st);
	/* 1 when a row is selected (for actions that need one). */
	int (*selected)(const void *st);
};

extern const struct screen screen_accounts;
extern const struct screen screen_withdrawals;
extern const struct screen screen_ledger;
extern const struct screen screen_incomes;
extern const struct screen screen_audit;
extern const struct screen screen_releases;

/* The one table of screens, indexed by enum tui_screen_id. */
extern const struct screen *const tui_screens[SCR_COUNT];

/* ---- modal dialogs (ui/tui_modal.c) -------------------------------------- */

#define TUI_FIELD_CHARS 500	/* characters a field holds at most */

/* A one-line text field, edited in place. */
struct tui_field {
	char label[32];
	wchar_t text[TUI_FIELD_CHARS + 1];
	int len, pos;			/* characters, cursor */
	int max_bytes;			/* UTF-8 bytes allowed */
	int secret;			/* no echo at all (passwords) */
};

enum tui_modal_kind {
	MODAL_NONE = 0,
	MODAL_CONFIRM,			/* y confirms, any other key cancels */
	MODAL_FORM,			/* fields; Enter on the last submits */
	MODAL_INFO			/* text; scrolls; other keys close it */
};

enum tui_style {
	STY_NORMAL = 0,
	STY_TITLE,			/* the title bar */
	STY_TAB,			/* the current screen in the title bar */
	STY_HEADER,			/* column headers */
	STY_SELECTED,			/* the selected row */
	STY_NEGATIVE,			/* amounts below zero */
	STY_WARN,			/* not enough, conflicts */
	STY_ERROR,			/* the status line, for refusals */
	STY_OK,				/* the status line, for results */
	STY_DIM,			/* hints, secondary text */
	STY_BOX,			/* dialog frames */
	STY_MARK,			/* rows an audit finding names */
	STY_COUNT
};

#define TUI_MODAL_LINES	96
#define TUI_MODAL_WIDTH	320		/* bytes per line */
#define TUI_MODAL_FIELDS 5

struct tui_modal;
typedef int (*tui_yes_fn)(struct tui *t, void *owner, int64_t target);
typedef int (*tui_submit_fn)(struct tui *t, void *owner, struct tui_modal *m);

struct tui_modal {
	enum tui_modal_kind kind;
	char title[160];
	char lines[TUI_MODAL_LINES][TUI_MODAL_WIDTH];
	unsigned char style[TUI_MODAL_LINES];	/* enum tui_style per line */
	int nlines;
	int scroll;			/* first line shown (info) */
	char prompt[160];		/* the last line: what keys do */
	struct tui_field fields[TUI_MODAL_FIELDS];
	int nfields, focus;
	int64_t target;			/* the record the dialog is about */
	void *owner;			/* the screen state that opened it */
	tui_yes_fn yes;			/* confirm: on y */
	char cancelled[200];		/* confirm: the status line after any
					   other key */
	tui_submit_fn submit;		/* form: on Enter in the last field */
	int quit_on_cancel;		/* form: Esc leaves the program (login) */
};

/* Opens a dialog of kind with title; lines are added with tui_modal_line. */
struct tui_modal *tui_modal_open(struct tui *t, enum tui_modal_kind kind,
    void *owner, const char *title);
/* Appends a line (printf-style) in style s; extra lines are dropped. */
void tui_modal_line(struct tui_modal *m, enum tui_style s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends "label  value" with the label padded to a fixed width. */
void tui_modal_pair(struct tui_modal *m, enum tui_style s, const char *label,
    const char *value);
/* Adds a field to a form. */
struct tui_field *tui_modal_field(struct tui_modal *m, const char *label,
    int max_bytes, int secret);
/* Closes the dialog (a secret field is wiped). */
void tui_modal_close(struct tui *t);
/* Handles one key while a dialog is open; returns TUI_* flags. */
int tui_modal_key(struct tui *t, int code, int fn);
/* Paints the open dialog over the frame. */
void tui_modal_draw(const struct tui *t);

/* Field text as UTF-8 into out (outsz bytes). */
void tui_field_get(const struct tui_field *f, char *out, size_t outsz);
/* Sets field text from UTF-8 (bad bytes and control characters dropped). */
void tui_field_set(struct tui_field *f, const char *utf8);
/* Wipes the text. */
void tui_field_clear(struct tui_field *f);

/* ---- the context --------------------------------------------------------- */

#define TUI_BACK_MAX 8

/* A request to show the ledger at an entry (from Accounts or Audit). */
struct tui_ledger_jump {
	int set;
	char branch[FF_CODE_MAX + 1];	/* "" for all */
	int64_t entry, other;		/* entries to select and mark, or 0 */
};

struct tui {
	struct cli *cli;
	struct ff *ff;
	const struct config *cfg;
	struct session sess;
	int logged_in;
	int lost;			/* the database server was lost */
	int relogin;			/* logged out by a stale session: the
					 * loop opens the login form */
	char relogin_user[FF_LOGIN_MAX + 1];
	int cur;			/* the screen shown (enum tui_screen_id) */
	void *state[SCR_COUNT];
	int want, want_push;		/* for TUI_SWITCH */
	int back[TUI_BACK_MAX], nback;
	struct tui_ledger_jump jump;
	struct tui_modal modal;
	unsigned modal_gen;		/* counts dialogs opened */
	char status[600];
	enum tui_style status_style;
	int color;			/* colours in use */
	attr_t attrs[STY_COUNT];
	int page;			/* rows a page moves (the list height) */
	int64_t data_version;
};

/* Sets the status line (printf-style); info or error. */
void tui_info(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tui_error(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Shows a model failure as a sentence: the message with a capital.  A
 * failure that says the session is stale (an admin disabled or changed
 * the operator) also logs out: the loop then opens the login form. */
void tui_fail(struct tui *t, const struct ff_err *err);

/* Paints the whole frame now and updates the terminal (progress of a
 * long model call; the loop paints otherwise). */
void tui_paint(struct tui *t);

/* Asks the loop to show screen id, remembering the current one for Back. */
int tui_goto(struct tui *t, int id, int push);

/* 1 when the operator's role is in mask (SCOPE() bits; 0 means all). */
int tui_role_in(const struct tui *t, unsigned mask);

/* ---- painting (ui/tui_draw.c) -------------------------------------------- */

#define TUI_LIST_TOP	3	/* first list row */

/* Rows a list has on this terminal. */
int tui_list_rows(void);

/* The attribute of a style (colour or, without colour, a mono attribute). */
attr_t tui_attr(const struct tui *t, enum tui_style s);
/* Sets up t->attrs for colour or monochrome, and notes whether the
 * locale can show more than ASCII (else such text is painted as '?'). */
void tui_styles_init(struct tui *t, int color);

/*
 * Paints the UTF-8 text s at (y, x) cut or padded to exactly cols columns
 * (ui/width.h: CJK counted as two, bad bytes and control characters made
 * safe), in attribute a.  Nothing is painted past the right edge.
 */
void tui_put(int y, int x, int cols, const char *s, enum width_align al,
    attr_t a);
/* Fills row y from column x to the edge with spaces in attribute a. */
void tui_fill(int y, int x, attr_t a);

/* A table column: its title, how wide it may be, where its text sits. */
struct tui_col {
	const char *title;
	int min;			/* never narrower; -1: never narrower
					   than its text (amounts); 0: may
					   go entirely when room is short */
	int max;			/* never wider (0: as wide as its text) */
	enum width_align align;
	int flex;			/* takes what is left (one column) */
	int give;			/* when too wide, drops to min before the
					   others (times: the date alone) */
};

#define TUI_MAX_COLS 12

/*
 * Chooses column widths for a table of width columns: each column gets the
 * width of its widest text (natural, measured by the caller, at least its
 * title and min, at most max) if everything fits; otherwise the columns
 * marked give drop to their min, then the others shrink from the right,
 * then the flexible one, each down to its min (a column with min < 0
 * never shrinks), then columns with min 0 go (width 0, not painted); the
 * flexible column takes what is left over.  OUT: w[i].
 */
void tui_layout(const struct tui_col *c, const int *natural, int n, int width,
    int *w);
/* Paints a header row or a data row of cells at row y (one space between
 * columns, one at the left edge); attrs (may be NULL) per cell, base for
 * the gaps and cells without their own. */
void tui_row(int y, const struct tui_col *c, const int *w, int n,
    const char *const *cells, const attr_t *attrs, attr_t base);
void tui_header(const struct tui *t, int y, const struct tui_col *c,
    const int *w, int n);

/* The first list row to show so that cur is visible (top is a hint). */
int tui_scroll_top(int top, int cur, int n, int rows);

/* A cursor over a list of n rows: moves for the movement actions; returns
 * 1 when a was one of them. */
struct tui_cursor {
	int cur, top;
};
int tui_cursor_move(struct tui_cursor *c, enum tui_action a, int n, int page);

/* n with thousands grouped ("197,398") into buf (at least 32 bytes). */
char *tui_count(int64_t n, char *buf);

/* "2026-11-26T14:59:24+00:00" shown in cols columns: seconds, minutes, or
 * the date alone. */
void tui_time(const char *iso, int cols, char *out, size_t outsz);

/* ---- export (ui/tui_export.c) -------------------------------------------- */

struct listing;
struct listing_out;

/* Gives a screen's rows to lo (listing_row, ui/listing.h) and returns
 * FF_OK, or an ff_rc with err set when the model failed half-way. */
typedef int tui_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err);

/*
 * The one export of every screen (`e`): the listing l, through the same
 * column table as the command line's --csv, into a new CSV file in the
 * current directory named fundflow-NAME-YYYYMMDD-HHMMSS.csv (NAME is
 * l->name; a number is added if it exists), created with the operator's
 * own rights and never over an existing file.  fill(t, arg, ...) gives
 * the rows.  The status line says how many rows went where, or why
 * nothing was kept (a failed file is removed).
 */
void tui_export(struct tui *t, const struct listing *l, tui_export_fill *fill,
    void *arg);

/* ---- login (ui/tui_login.c) ---------------------------------------------- */

/* Opens the login form (login prefilled from --user). */
void tui_login_open(struct tui *t, const char *user);
/* After a login: sets up every screen and shows the role's first one
 * (ui/tui.c).  Returns TUI_* flags. */
int tui_session_start(struct tui *t);

#endif
