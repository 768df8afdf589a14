/*
 * cli.h — the command line: what every command gets, and the command
 * table.  Each ui/cmd_*.c file exports one struct cmd_entry, like tmux's
 * cmd-*.c; ui/cmd.c lists them.
 */
#ifndef FF_CLI_H
#define FF_CLI_H

#include <stdio.h>

#include "model/ff.h"
#include "output.h"

/* Exit codes (sysexits), the contract scripts depend on. */
#define EXIT_DONE	0
#define EXIT_REFUSED	1	/* a business rule, or audit findings */
#define EXIT_USAGE	64
#define EXIT_REJECTED	65	/* input lines rejected */
#define EXIT_NOINPUT	66	/* the queue to consume does not exist */
#define EXIT_UNAVAIL	69	/* database unusable (too new, damaged) */
#define EXIT_SOFTWARE	70
#define EXIT_IOERR	74
#define EXIT_BUSY	75
#define EXIT_DENIED	77	/* login or permission refused */

/* What a command runs with. */
struct cli {
	const struct config *cfg;
	const char *db_path;		/* resolved: --db, env, config, default */
	const char *user;		/* --user, or NULL */
	enum out_format format;		/* --json, --csv, or a table */
	struct ff *ff;			/* opened for the command, if it asks */
	struct session sess;		/* logged in, if the command asks */
	int argc;			/* the command's own words and options */
	char **argv;
};

/* An option a command accepts: "--name VALUE" / "--name=VALUE", or a flag. */
struct cli_opt {
	const char *name;
	int has_arg;
	const char *value;		/* OUT: the value, or "" for a set flag */
};

enum cmd_needs {
	CMD_NO_DB = 0,			/* opens nothing itself */
	CMD_DB,				/* an existing database */
	CMD_LOGIN			/* an existing database and a login */
};

struct cmd_entry {
	const char *name;		/* "withdraw approve" */
	const char *usage;		/* "ID" */
	const char *help;		/* one line */
	enum cmd_needs needs;
	int owner_only;			/* 1: refused while privileged (init, demo) */
	int (*exec)(struct cli *c);
};

/* Every command, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];
/* The one command an operator whose password was reset may run. */
extern const struct cmd_entry cmd_user_passwd_entry;

/*
 * Parses c->argv against opts (names without the dashes).  Positional
 * words go to pos (at most maxpos; more is a usage error).  Returns 0, or
 * prints a usage message naming the command and returns EXIT_USAGE.
 */
int cli_parse(struct cli *c, const struct cmd_entry *e, struct cli_opt *opts,
    int nopts, const char **pos, int maxpos, int *npos);

/* Prints "fundflow: MESSAGE" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err's message and returns the exit code its rc calls for. */
int cli_fail(const struct ff_err *err);
/* Refuses anyone but the feeder (ingest, consume): no operator logs in,
 * the feeder is the account that owns the database (on a server: one
 * not reaching it through an installed fundflow's privilege).  0, or the
 * exit code with the sentence printed. */
int cli_check_feeder(struct cli *c, const char *cmd);
struct ingest_counts;
/* ingest's and consume's summary on stdout: a line, or with --json one
 * object {"applied","duplicate","conflict","rejected"}. */
void cli_print_counts(const struct cli *c, const struct ingest_counts *n);
/* The exit code of an ff_rc. */
int cli_exit_code(int ff_rc);

/* Parses a decimal id (> 0); returns 0 or prints a usage error and
 * returns EXIT_USAGE. */
int cli_parse_id(const char *what, const char *s, int64_t *out);
/* Parses an amount option strictly; same contract. */
int cli_parse_amount(const char *what, const char *s, money_t *out);

/* Logs c->user in: password from FUNDFLOW_PASSWORD, else a no-echo
 * prompt on a terminal.  Returns 0 or an exit code (message printed). */
int cli_login(struct cli *c);
/* Reads a new password: FUNDFLOW_NEW_PASSWORD, else asked twice without
 * echo on a terminal.  *out is freed by the caller (zeroed first). */
int cli_new_password(char **out);

/* Zeroes and frees a password from cli_new_password(); NULL is safe. */
void cli_free_secret(char *s);

#endif
