/*
 * screen_releases.c — screen 6, Releases: every program version that
 * opened this database (version, commit, schema, when, host, OS user),
 * newest first.
 */
#include "screen.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "model/accounts.h"
#include "store/xmalloc.h"

enum { RC_AT, RC_VERSION, RC_COMMIT, RC_SCHEMA, RC_HOST, RC_USER, RC_NCOLS };

static const struct tui_col screen_releases_cols[RC_NCOLS] = {
	{ N_("FIRST OPENED"), 10, 19, WIDTH_LEFT, 0, 0 },
	{ N_("VERSION"), 5, 20, WIDTH_LEFT, 0, 0 },
	{ N_("COMMIT"), 6, 14, WIDTH_LEFT, 0, 0 },
	{ N_("SCHEMA"), -1, 0, WIDTH_RIGHT, 0, 0 },
	{ N_("HOST"), 6, 0, WIDTH_LEFT, 1, 0 },
	{ N_("OS USER"), 6, 16, WIDTH_LEFT, 0, 0 },
};

struct screen_releases {
	struct release *rows;		/* oldest first, as the model gives */
	int n;
	struct tui_cursor c;		/* over the rows newest first */
};

static void *screen_releases_init(struct tui *t);
static void screen_releases_free(void *p);
static void screen_releases_load(struct tui *t, void *p);
static const struct release *screen_releases_row(
    const struct screen_releases *st, int i);
static void screen_releases_cells(const struct release *r, int tcols,
    char at[32], char schema[16], const char *cells[RC_NCOLS]);
static int screen_releases_export_fill(struct tui *t, void *arg,
    struct listing_out *lo, struct ff_err *err);
static int screen_releases_key(struct tui *t, void *p, enum tui_action a);
static void screen_releases_draw(const struct tui *t, const void *p);
static int screen_releases_selected(const void *p);

static void *
screen_releases_init(struct tui *t)
{
	(void)t;
	return xcalloc(1, sizeof(struct screen_releases));
}

static void
screen_releases_free(void *p)
{
	struct screen_releases *st = p;

	if (st == NULL)
		return;
	free(st->rows);
	free(st);
}

static void
screen_releases_load(struct tui *t, void *p)
{
	struct screen_releases *st = p;
	struct release *rows;
	struct ff_err err;
	size_t n;

	if (accounts_releases(t->ff, &t->sess, &rows, &n, &err) != FF_OK) {
		tui_fail(t, &err);
		return;
	}
	free(st->rows);
	st->rows = rows;
	st->n = (int)n;
	if (st->c.cur >= st->n)
		st->c.cur = st->n > 0 ? st->n - 1 : 0;
}

/* Row i of the screen (newest first). */
static const struct release *
screen_releases_row(const struct screen_releases *st, int i)
{
	return &st->rows[st->n - 1 - i];
}

static void
screen_releases_cells(const struct release *r, int tcols, char at[32],
    char schema[16], const char *cells[RC_NCOLS])
{
	tui_time(r->at, tcols, at, 32);
	snprintf(schema, 16, "%d", r->schema_version);
	cells[RC_AT] = at;
	cells[RC_VERSION] = r->version;
	cells[RC_COMMIT] = r->git_commit;
	cells[RC_SCHEMA] = schema;
	cells[RC_HOST] = r->host;
	cells[RC_USER] = r->os_user;
}

/* The rows in the screen's order, newest first. */
static int
screen_releases_export_fill(struct tui *t, void *arg, struct listing_out *lo,
    struct ff_err *err)
{
	const struct screen_releases *st = arg;

	(void)t;
	(void)err;
	for (int i = 0; i < st->n; i++)
		listing_row(lo, screen_releases_row(st, i));
	return FF_OK;
}

static int
screen_releases_key(struct tui *t, void *p, enum tui_action a)
{
	struct screen_releases *st = p;

	if (tui_cursor_move(&st->c, a, st->n, t->page))
		return TUI_DONE;
	if (a == ACT_OPEN) {
		const struct release *r = screen_releases_row(st, st->c.cur);
		struct tui_modal *m;
		char title[96], schema[16];

		snprintf(title, sizeof(title), "Release %s", r->version);
		m = tui_modal_open(t, MODAL_INFO, st, title);
		tui_modal_pair(m, STY_NORMAL, _("First opened"), r->at);
		tui_modal_pair(m, STY_NORMAL, _("Version"), r->version);
		tui_modal_pair(m, STY_NORMAL, _("Commit"), r->git_commit[0] ?
		    r->git_commit : "(unknown)");
		snprintf(schema, sizeof(schema), "%d", r->schema_version);
		tui_modal_pair(m, STY_NORMAL, _("Schema"), schema);
		tui_modal_pair(m, STY_NORMAL, _("Host"), r->host);
		tui_modal_pair(m, STY_NORMAL, _("OS user"), r->os_user);
		return TUI_DONE;
	}
	if (a == ACT_EXPORT) {
		tui_export(t, &listing_releases, screen_releases_export_fill, st);
		return TUI_DONE;
	}
	return TUI_PASS;
}

static void
screen_releases_draw(const struct tui *t, const void *p)
{
	const struct screen_releases *st = p;
	char at[32], schema[16], sub[128];
	const char *cells[RC_NCOLS];
	int nat[RC_NCOLS] = { 0 }, w[RC_NCOLS], rows = tui_list_rows(), top;

	snprintf(sub, sizeof(sub), "%d release%s opened this database, newest "
	    "first (this one is %s)", st->n, st->n == 1 ? "" : "s", ff_version());
	tui_put(1, 1, COLS - 2, sub, WIDTH_LEFT, A_NORMAL);
	for (int i = 0; i < st->n; i++) {
		screen_releases_cells(screen_releases_row(st, i), 19, at, schema,
		    cells);
		for (int k = 0; k < RC_NCOLS; k++)
			if (width_str(cells[k]) > nat[k])
				nat[k] = width_str(cells[k]);
	}
	tui_layout(screen_releases_cols, nat, RC_NCOLS, COLS, w);
	tui_header(t, 2, screen_releases_cols, w, RC_NCOLS);
	top = tui_scroll_top(st->c.top, st->c.cur, st->n, rows);
	for (int r = 0; r < rows && top + r < st->n; r++) {
		screen_releases_cells(screen_releases_row(st, top + r), w[RC_AT],
		    at, schema, cells);
		tui_row(TUI_LIST_TOP + r, screen_releases_cols, w, RC_NCOLS, cells,
		    NULL, top + r == st->c.cur ? tui_attr(t, STY_SELECTED) :
		    A_NORMAL);
	}
}

static int
screen_releases_selected(const void *p)
{
	const struct screen_releases *st = p;

	return st->n > 0;
}

const struct screen screen_releases = {
	.name = N_("Releases"),
	.roles = 0,
	.init = screen_releases_init,
	.free = screen_releases_free,
	.load = screen_releases_load,
	.key = screen_releases_key,
	.draw = screen_releases_draw,
	.selected = screen_releases_selected,
};
