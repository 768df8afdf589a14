/*
 * tui_export.c — the screens' `e` (export), one routine for every screen:
 * a new CSV file in the current directory, never one that exists already;
 * see screen.h.  The columns are the listing's (ui/listing.h), the same
 * table the command line's --csv prints, so a screen's export and the
 * command line can never drift apart; every cell is written by
 * out_csv_cell (formula cells marked, control characters as U+FFFD).
 */
#include "screen.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "listing.h"
#include "model/priv.h"

static FILE *tui_export_open(const char *what, char *name, size_t namesz);
static void tui_export_remove(const char *name);

/* A new file fundflow-WHAT-STAMP[-N].csv: the stream, its name in name;
 * or NULL with the reason in name. */
static FILE *
tui_export_open(const char *what, char *name, size_t namesz)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int n = 1; n < 100; n++) {
		FILE *f;
		int fd;

		if (n == 1)
			snprintf(name, namesz, "fundflow-%s-%s.csv", what, stamp);
		else
			snprintf(name, namesz, "fundflow-%s-%s-%d.csv", what,
			    stamp, n);
		/* In the operator's folder, with their own rights. */
		fd = priv_open_user(name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW, 0644);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			break;
		if ((f = fdopen(fd, "w")) == NULL) {
			close(fd);
			tui_export_remove(name);
			break;
		}
		return f;
	}
	snprintf(name, namesz, "cannot create an export file in the current "
	    "directory: %s", strerror(errno ? errno : EEXIST));
	return NULL;
}

/* The file was created with the operator's rights: removed with them. */
static void
tui_export_remove(const char *name)
{
	priv_user_begin();
	unlink(name);
	priv_user_end();
}

void
tui_export(struct tui *t, const struct listing *l, tui_export_fill *fill,
    void *arg)
{
	struct listing_out *lo;
	struct ff_err err;
	char name[512];
	int64_t rows;
	FILE *f;
	int bad;

	if ((f = tui_export_open(l->name, name, sizeof(name))) == NULL) {
		tui_error(t, "%s", name);
		return;
	}
	lo = listing_begin(l, f, OUT_CSV, t->cfg);
	if (fill(t, arg, lo, &err) != FF_OK) {
		listing_abort(lo);
		fclose(f);
		tui_export_remove(name);
		tui_fail(t, &err);
		return;
	}
	rows = listing_count(lo);
	listing_end(lo);
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		tui_export_remove(name);
		tui_error(t, _("Export failed while writing %s; nothing was kept."),
		    name);
		return;
	}
	tui_info(t, _("Exported %lld row%s to %s"), (long long)rows,
	    rows == 1 ? "" : "s", name);
}
