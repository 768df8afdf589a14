/*
 * main.c — fundflow's entry point: global options, the configuration,
 * the database path, then one command (ui/cmd_*.c) or the screens.
 *
 *   fundflow [--db PATH] [--config FILE] [--user LOGIN] [--json|--csv]
 *            [COMMAND ...]
 *
 * The database comes from --db, else $FUNDFLOW_DB, else the
 * configuration's database.url (PostgreSQL) or database.path (a SQLite
 * file), else ./fundflow.db; a PostgreSQL connection string anywhere
 * picks that engine (store/store.h).  Installed setgid
 * and run by an operator (model/priv.h), only the installed
 * configuration names the database: the options and the environment that
 * would name another are refused (exit 77).
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "model/auth.h"
#include "model/config.h"
#include "model/priv.h"
#include "store/xmalloc.h"
#include "tui.h"

#define DEFAULT_DB "fundflow.db"

static void main_usage(FILE *f);
static const struct cmd_entry *main_find(int nwords, char **words, int *used);
static int main_privileged(const char *db, const char *config_path,
    struct config **cfg, const char **out_db);

static void
main_usage(FILE *f)
{
	fprintf(f, "usage: fundflow [--db PATH] [--config FILE] [--user LOGIN] "
	    "[--json|--csv] [COMMAND ...]\n\nWith no command, fundflow opens "
	    "its screens.  Commands:\n");
	for (const struct cmd_entry *const *e = cmd_table; *e; e++)
		fprintf(f, "  %-18s %-42s %s\n", (*e)->name, (*e)->usage,
		    (*e)->help);
	fprintf(f, "\nExit codes: 0 done, 1 refused or audit findings, 64 usage, "
	    "65 input lines rejected,\n75 database busy, 77 login or "
	    "permission refused.  See README.md.\n");
}

/* The command named by the first one or two words (longest first). */
static const struct cmd_entry *
main_find(int nwords, char **words, int *used)
{
	for (int take = nwords >= 2 ? 2 : nwords; take >= 1; take--) {
		char name[64];

		if (take == 2)
			snprintf(name, sizeof(name), "%s %s", words[0], words[1]);
		else
			snprintf(name, sizeof(name), "%s", words[0]);
		for (const struct cmd_entry *const *e = cmd_table; *e; e++) {
			if (strcmp((*e)->name, name) == 0) {
				*used = take;
				return *e;
			}
		}
	}
	return NULL;
}

/*
 * The configuration and the database of a privileged fundflow: the
 * installed configuration alone.  Returns 0 with *cfg and *out_db, or
 * prints why not and returns the exit code.
 */
static int
main_privileged(const char *db, const char *config_path, struct config **cfg,
    const char **out_db)
{
	static const char *const named[] = {
		"--db", "--config", "FUNDFLOW_DB", "FUNDFLOW_CONFIG",
	};
	const char *given[4];
	char *cfgerr = NULL;
	int rc;

	given[0] = db;
	given[1] = config_path;
	given[2] = getenv("FUNDFLOW_DB");
	given[3] = getenv("FUNDFLOW_CONFIG");
	for (int i = 0; i < 4; i++) {
		if (given[i] == NULL || *given[i] == '\0')
			continue;
		cli_error("%s is not allowed here: this fundflow is installed for "
		    "a team and runs with its group's rights, so only the "
		    "installed configuration (%s) names the database; run it "
		    "without %s", named[i], config_installed_path(), named[i]);
		return EXIT_DENIED;
	}
	if ((rc = config_load_installed(cfg, &cfgerr)) != 0) {
		cli_error("%s", cfgerr);
		free(cfgerr);
		return rc == -2 ? EXIT_DENIED : EXIT_USAGE;
	}
	if ((*cfg)->db_url != NULL) {
		*out_db = (*cfg)->db_url;
		return 0;
	}
	if ((*cfg)->db_path == NULL || (*cfg)->db_path[0] != '/') {
		cli_error("%s names no database by its full path (database.path) "
		    "or server (database.url); an installed fundflow opens no "
		    "other", config_installed_path());
		return EXIT_DENIED;
	}
	*out_db = (*cfg)->db_path;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli c;
	struct config *cfg = NULL;
	const char *config_path = NULL, *db = NULL;
	const struct cmd_entry *e;
	char **rest = xcalloc((size_t)argc + 1, sizeof(*rest));
	char *cfgerr = NULL;
	int nrest = 0, used = 0, rc = EXIT_DONE;
	struct ff_err err;

	/* First: what the environment may still say depends on it. */
	priv_init();
	setlocale(LC_ALL, "");
	i18n_init();
	signal(SIGPIPE, SIG_IGN);
	memset(&c, 0, sizeof(c));
	/* Global options may stand anywhere. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		size_t n = 0;

		if (strcmp(a, "--json") == 0) {
			c.format = OUT_JSON;
			continue;
		}
		if (strcmp(a, "--csv") == 0) {
			c.format = OUT_CSV;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			main_usage(stdout);
			free(rest);
			return EXIT_DONE;
		}
		if (strcmp(a, "--version") == 0) {
			printf("fundflow %s%s%s\n", ff_version(),
			    *ff_git_commit() ? " " : "", ff_git_commit());
			free(rest);
			return EXIT_DONE;
		}
		if (strncmp(a, "--db", 4) == 0 && (a[4] == '\0' || a[4] == '='))
			slot = &db, n = 4;
		else if (strncmp(a, "--config", 8) == 0 &&
		    (a[8] == '\0' || a[8] == '='))
			slot = &config_path, n = 8;
		else if (strncmp(a, "--user", 6) == 0 &&
		    (a[6] == '\0' || a[6] == '='))
			slot = &c.user, n = 6;
		if (slot == NULL) {
			rest[nrest++] = argv[i];
			continue;
		}
		if (a[n] == '=') {
			*slot = a + n + 1;
		} else if (i + 1 < argc) {
			*slot = argv[++i];
		} else {
			cli_error("%s needs a value", a);
			free(rest);
			return EXIT_USAGE;
		}
	}
	if (auth_init_library() != 0) {
		cli_error("cannot initialise libsodium");
		free(rest);
		return EXIT_SOFTWARE;
	}
	if (priv_held()) {
		if ((rc = main_privileged(db, config_path, &cfg, &db)) != 0) {
			config_free(cfg);
			free(rest);
			return rc;
		}
	} else {
		if (config_load(config_path, &cfg, &cfgerr) != 0) {
			cli_error("%s", cfgerr);
			free(cfgerr);
			free(rest);
			return EXIT_USAGE;
		}
		if (db == NULL || *db == '\0')
			db = getenv("FUNDFLOW_DB");
		if (db == NULL || *db == '\0')
			db = cfg->db_url;
		if (db == NULL || *db == '\0')
			db = cfg->db_path;
		if (db == NULL || *db == '\0')
			db = DEFAULT_DB;
	}
	c.cfg = cfg;
	c.db_path = db;

	if (nrest == 0) {
		rc = tui_main(&c);
		goto out;
	}
	if (strcmp(rest[0], "help") == 0) {
		main_usage(stdout);
		goto out;
	}
	if ((e = main_find(nrest, rest, &used)) == NULL) {
		cli_error("unknown command \"%s\"; 'fundflow --help' lists them",
		    rest[0]);
		rc = EXIT_USAGE;
		goto out;
	}
	if (e->owner_only && priv_held()) {
		cli_error("%s: refused: this fundflow is installed for a team and "
		    "runs with its group's rights; only the account that owns the "
		    "data (the feeder) may %s", e->name,
		    strcmp(e->name, "demo") == 0 ? "make a demo database" :
		    strcmp(e->name, "copy") == 0 ? "copy a company" :
		    "create a database");
		rc = EXIT_DENIED;
		goto out;
	}
	c.argc = nrest - used;
	c.argv = rest + used;
	if (e->needs != CMD_NO_DB) {
		if ((rc = ff_open(cfg, c.db_path, 0, &c.ff, &err)) != FF_OK) {
			rc = cli_fail(&err);
			goto out;
		}
		if (e->needs == CMD_LOGIN && (rc = cli_login(&c)) != 0)
			goto out;
		/* A reset password is the admin's: nothing is done with it
		 * but setting one's own (the model holds this too). */
		if (e->needs == CMD_LOGIN && c.sess.op.must_change &&
		    e != &cmd_user_passwd_entry) {
			cli_error("your password was reset by an admin; set your "
			    "own first: fundflow --user %s user passwd",
			    c.sess.op.login);
			rc = EXIT_DENIED;
			goto out;
		}
	}
	rc = e->exec(&c);
out:
	/* A listing cut short by a full disk or a closed pipe is not done. */
	if ((fflush(stdout) != 0 || ferror(stdout)) &&
	    (rc == EXIT_DONE || rc == EXIT_REFUSED || rc == EXIT_REJECTED)) {
		cli_error("cannot write the output: %s", strerror(errno));
		rc = EXIT_IOERR;
	}
	ff_close(c.ff);
	config_free(cfg);
	free(rest);
	return rc;
}
