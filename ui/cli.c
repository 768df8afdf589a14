/* cli.c — option parsing, errors, exit codes, passwords; see cli.h. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "model/auth.h"
#include "model/income.h"
#include "model/priv.h"
#include "width.h"
#include "store/xmalloc.h"

#define CLI_PASSWORD_MAX 1024

void
cli_error(const char *fmt, ...)
{
	va_list ap;
	char buf[2048], *safe;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Messages quote what was typed or stored: never let its control
	 * bytes (terminal escapes) reach the terminal. */
	safe = width_sanitize(buf);
	fprintf(stderr, "fundflow: %s\n", safe);
	free(safe);
}

int
cli_exit_code(int rc)
{
	switch (rc) {
	case FF_OK:
		return EXIT_DONE;
	case FF_REFUSED:
	case FF_NOTFOUND:
		return EXIT_REFUSED;
	case FF_INVALID:
		return EXIT_USAGE;
	case FF_BUSY:
		return EXIT_BUSY;
	case FF_DENIED:
	case FF_AUTH:
		return EXIT_DENIED;
	case FF_IO:
		return EXIT_IOERR;
	case FF_SCHEMA:
	case FF_UNREACHABLE:
		return EXIT_UNAVAIL;
	case FF_NOINPUT:
		return EXIT_NOINPUT;
	default:
		return EXIT_SOFTWARE;
	}
}

int
cli_check_feeder(struct cli *c, const char *cmd)
{
	unsigned owner;

	/* No operator logs in: the feeder is the account that owns the
	 * database.  Installed setgid, fundflow lets operators open the file,
	 * so the owner check is what keeps them from feeding incomes: made on
	 * the file the store has open, never on a path looked up apart. */
	if (ff_db_is_server(c->db_path)) {
		/* On a server the database's roles decide who writes; an
		 * installed fundflow reaches it with the team's credentials,
		 * which are not the feeder's. */
		if (priv_held()) {
			cli_error("%s: only the feeder's own account, with "
			    "its own credentials for %s, may %s", cmd, c->db_path,
			    cmd);
			return EXIT_DENIED;
		}
	} else if (ff_db_owner(c->ff, &owner) != FF_OK) {
		cli_error("%s: cannot tell who owns %s: %s", cmd, c->db_path,
		    strerror(errno));
		return EXIT_IOERR;
	} else if (getuid() != 0 && getuid() != (uid_t)owner) {
		cli_error("%s: only the account that owns %s (the feeder) "
		    "may %s", cmd, c->db_path, cmd);
		return EXIT_DENIED;
	}
	return 0;
}

void
cli_print_counts(const struct cli *c, const struct ingest_counts *n)
{
	if (c->format == OUT_JSON)
		printf("{\"applied\":%lld,\"duplicate\":%lld,\"conflict\":%lld,"
		    "\"rejected\":%lld}\n", (long long)n->applied,
		    (long long)n->duplicate, (long long)n->conflict,
		    (long long)n->rejected);
	else
		printf("applied %lld, duplicate %lld, conflict %lld, rejected "
		    "%lld\n", (long long)n->applied, (long long)n->duplicate,
		    (long long)n->conflict, (long long)n->rejected);
}

int
cli_fail(const struct ff_err *err)
{
	cli_error("%s", err->msg);
	return cli_exit_code(err->rc);
}

int
cli_parse(struct cli *c, const struct cmd_entry *e, struct cli_opt *opts,
    int nopts, const char **pos, int maxpos, int *npos)
{
	*npos = 0;
	for (int i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];

		if (strcmp(a, "--") == 0) {
			for (i++; i < c->argc; i++) {
				if (*npos >= maxpos)
					goto too_many;
				pos[(*npos)++] = c->argv[i];
			}
			break;
		}
		if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			int k;

			for (k = 0; k < nopts; k++)
				if (strlen(opts[k].name) == len &&
				    strncmp(opts[k].name, name, len) == 0)
					break;
			if (k == nopts) {
				cli_error("%s: unknown option --%.*s (usage: fundflow "
				    "%s %s)", e->name, (int)len, name, e->name,
				    e->usage);
				return EXIT_USAGE;
			}
			if (!opts[k].has_arg) {
				if (eq) {
					cli_error("%s: --%s takes no value", e->name,
					    opts[k].name);
					return EXIT_USAGE;
				}
				opts[k].value = "";
				continue;
			}
			if (eq) {
				opts[k].value = eq + 1;
			} else if (i + 1 < c->argc) {
				opts[k].value = c->argv[++i];
			} else {
				cli_error("%s: --%s needs a value", e->name,
				    opts[k].name);
				return EXIT_USAGE;
			}
			continue;
		}
		if (*npos >= maxpos)
			goto too_many;
		pos[(*npos)++] = a;
	}
	return 0;
too_many:
	cli_error("%s: too many arguments (usage: fundflow %s %s)", e->name,
	    e->name, e->usage);
	return EXIT_USAGE;
}

int
cli_parse_id(const char *what, const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = s && *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (v <= 0 || errno != 0 || *end != '\0') {
		cli_error("%s: \"%s\" is not a number like 12", what, s ? s : "");
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

int
cli_parse_amount(const char *what, const char *s, money_t *out)
{
	if (s == NULL || money_parse(s, MONEY_UNSIGNED, out) != 0) {
		cli_error("%s: \"%s\" is not an amount like 1234.56 (digits, at "
		    "most two decimals, no sign or separators)", what, s ? s : "");
		return EXIT_USAGE;
	}
	return 0;
}

/* Reads one line from the terminal without echo into a fresh string. */
static char *
cli_read_secret(const char *prompt)
{
	struct termios old, quiet;
	char buf[CLI_PASSWORD_MAX + 2];
	int echo_off = 0;
	size_t n;

	if (!isatty(STDIN_FILENO))
		return NULL;
	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	if (fgets(buf, sizeof(buf), stdin) == NULL)
		buf[0] = '\0';
	if (echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	{
		char *p = xstrdup(buf);

		explicit_bzero(buf, sizeof(buf));
		return p;
	}
}

void
cli_free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

int
cli_login(struct cli *c)
{
	struct ff_err err;
	const char *env = getenv("FUNDFLOW_PASSWORD");
	char *pw = NULL;
	int rc;

	if (c->user == NULL || *c->user == '\0') {
		cli_error("this command needs an operator: --user LOGIN");
		return EXIT_USAGE;
	}
	if (env != NULL)
		pw = xstrdup(env);
	else if ((pw = cli_read_secret("Password: ")) == NULL) {
		cli_error("no password: set FUNDFLOW_PASSWORD or run on a terminal");
		return EXIT_DENIED;
	}
	rc = auth_login(c->ff, c->user, pw, &c->sess, &err);
	cli_free_secret(pw);
	if (rc != FF_OK)
		return cli_fail(&err);
	return 0;
}

int
cli_new_password(char **out)
{
	const char *env = getenv("FUNDFLOW_NEW_PASSWORD");
	char *a, *b;

	*out = NULL;
	if (env != NULL) {
		*out = xstrdup(env);
		return 0;
	}
	if ((a = cli_read_secret("New password: ")) == NULL) {
		cli_error("no new password: set FUNDFLOW_NEW_PASSWORD or run on a "
		    "terminal");
		return EXIT_USAGE;
	}
	if ((b = cli_read_secret("Repeat the new password: ")) == NULL ||
	    strcmp(a, b) != 0) {
		cli_error("the two passwords differ; nothing was changed");
		cli_free_secret(a);
		cli_free_secret(b);
		return EXIT_USAGE;
	}
	cli_free_secret(b);
	*out = a;
	return 0;
}
