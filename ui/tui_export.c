/*
 * tui_export.c — where the screens' `e` (export) writes: a new CSV file in
 * the current directory, never one that exists already; see screen.h.
 * The rows themselves go through ui/output.h (OUT_CSV), so every cell is
 * written by out_csv_cell, the one CSV cell writer the command line's
 * --csv uses too (formula cells marked, control characters as U+FFFD).
 */
#include "screen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/priv.h"

FILE *
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
			priv_user_begin();
			unlink(name);
			priv_user_end();
			break;
		}
		return f;
	}
	snprintf(name, namesz, "cannot create an export file in the current "
	    "directory: %s", strerror(errno ? errno : EEXIST));
	return NULL;
}

void
tui_export_done(struct tui *t, FILE *f, const char *name, long rows)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		priv_user_begin();
		unlink(name);
		priv_user_end();
		tui_error(t, "Export failed while writing %s; nothing was kept.",
		    name);
		return;
	}
	tui_info(t, "Exported %ld row%s to %s", rows, rows == 1 ? "" : "s",
	    name);
}
