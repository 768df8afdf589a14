/*
 * cmd_consume.c — "fundflow consume [URL] [--queue NAME] [--prefetch N]
 * [--once] [--declare]": the feeder reading a RabbitMQ queue itself
 * (model/source_amqp.c), acknowledging a message only once its income is
 * committed.  The settings come from the configuration's feeder group;
 * the command line overrides them.  The password only ever comes from
 * feeder.password_file: a URL with one is refused (it shows in `ps`).
 * Prints ingest's summary at the end; a status line every few seconds on
 * a terminal; reconnections and refused messages on stderr.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model/config.h"
#include "model/income.h"
#include "model/priv.h"
#include "model/source.h"
#include "store/secret.h"
#include "width.h"

#define CMD_CONSUME_QUEUE	"incomes"
#define CMD_CONSUME_STATUS_MS	2000

static int cmd_consume_exec(struct cli *c);

const struct cmd_entry cmd_consume_entry = {
	.name = "consume",
	.usage = "[URL] [--queue NAME] [--prefetch N] [--once] [--declare]",
	.help = "feed income events from a RabbitMQ queue; no login",
	.needs = CMD_DB,
	.exec = cmd_consume_exec,
};

struct cmd_consume_state {
	int tty;			/* stderr is a terminal: status line */
	int status_shown;		/* a status line is on the screen */
	int64_t t0_ms, last_ms;
	int64_t last_done;		/* events done at the last status */
};

static volatile sig_atomic_t cmd_consume_stop;

static void cmd_consume_signal(int);
static int64_t cmd_consume_ms(void);
static void cmd_consume_clear(struct cmd_consume_state *);
static void cmd_consume_report(void *, const char *);
static void cmd_consume_reject(void *, int64_t, const char *, int,
    const char *);
static void cmd_consume_group(void *, const struct ingest_counts *, int64_t);
static int cmd_consume_password(const char *, char *, size_t);

static void
cmd_consume_signal(int sig)
{
	(void)sig;
	cmd_consume_stop = 1;
}

static int64_t
cmd_consume_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Takes the status line off the terminal before another line is printed. */
static void
cmd_consume_clear(struct cmd_consume_state *st)
{
	if (st->status_shown) {
		fputs("\r\033[K", stderr);
		st->status_shown = 0;
	}
}

static void
cmd_consume_report(void *arg, const char *sentence)
{
	char *safe = width_sanitize(sentence);

	cmd_consume_clear(arg);
	fprintf(stderr, "fundflow: consume: %s\n", safe);
	free(safe);
}

static void
cmd_consume_reject(void *arg, int64_t msgno, const char *id, int line,
    const char *reason)
{
	char *safe = width_sanitize(reason), *sid = width_sanitize(id);

	cmd_consume_clear(arg);
	if (*id != '\0')
		fprintf(stderr, "message %lld (id %s) line %d: %s; sent to the "
		    "dead letters\n", (long long)msgno, sid, line, safe);
	else
		fprintf(stderr, "message %lld line %d: %s; sent to the dead "
		    "letters\n", (long long)msgno, line, safe);
	free(safe);
	free(sid);
}

static void
cmd_consume_group(void *arg, const struct ingest_counts *n, int64_t lag)
{
	struct cmd_consume_state *st = arg;
	int64_t now = cmd_consume_ms(), done;

	if (!st->tty || now - st->last_ms < CMD_CONSUME_STATUS_MS)
		return;
	done = n->applied + n->duplicate + n->conflict + n->rejected;
	fprintf(stderr, "\r\033[Kconsume: applied %lld, duplicate %lld, "
	    "conflict %lld, rejected %lld; %.0f events/s",
	    (long long)n->applied, (long long)n->duplicate,
	    (long long)n->conflict, (long long)n->rejected,
	    (double)(done - st->last_done) * 1000.0 /
	    (double)(now - st->last_ms));
	if (lag >= 0)
		fprintf(stderr, "; %lld waiting in the queue", (long long)lag);
	fflush(stderr);
	st->status_shown = 1;
	st->last_ms = now;
	st->last_done = done;
}

/*
 * The first line of feeder.password_file, read with the caller's own
 * rights, without following a link, checked on the descriptor read: a
 * regular file nobody but its owner (and its group) may read, only its
 * owner may change.  0, or an exit code with the sentence printed.
 */
static int
cmd_consume_password(const char *path, char *buf, size_t bufsz)
{
	enum secret_rc src;
	int fd = priv_open_user(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY, 0);

	if (fd < 0) {
		cli_error("consume: %s: cannot read the broker's password "
		    "(feeder.password_file): %s", path, strerror(errno));
		return EXIT_IOERR;
	}
	src = secret_read_fd(fd, buf, bufsz);
	close(fd);
	if (src == SECRET_UNSAFE) {
		cli_error("consume: %s: refused as the broker's password file: "
		    "others may read it or change it (make it mode 0600, or "
		    "0640 for a service group)", path);
		return EXIT_DENIED;
	}
	if (src == SECRET_EMPTY) {
		cli_error("consume: %s: the broker's password file is empty",
		    path);
		return EXIT_DENIED;
	}
	return 0;
}

static int
cmd_consume_exec(struct cli *c)
{
	struct cli_opt opts[] = {
		{ "queue", 1, NULL }, { "prefetch", 1, NULL },
		{ "once", 0, NULL }, { "declare", 0, NULL },
	};
	const char *pos[1] = { NULL };
	char password[256] = "";
	struct source_amqp_opts so;
	struct cmd_consume_state st;
	struct consume_opts co;
	struct ingest_counts n;
	struct sigaction sa;
	struct source src;
	struct ff_err err;
	int npos, rc;

	if ((rc = cli_parse(c, &cmd_consume_entry, opts, 4, pos, 1, &npos)) != 0)
		return rc;
	memset(&so, 0, sizeof(so));
	so.url = npos == 1 ? pos[0] : c->cfg->mq_url;
	if (so.url == NULL) {
		cli_error("consume: no broker: give its URL (amqp://USER@HOST:"
		    "PORT/VHOST) or set feeder.url in the configuration");
		return EXIT_USAGE;
	}
	if (strncmp(so.url, "amqp://", 7) != 0 &&
	    strncmp(so.url, "amqps://", 8) != 0) {
		cli_error("consume: %s is not a broker URL (amqp://USER@HOST:"
		    "PORT/VHOST, or amqps:// for TLS)", so.url);
		return EXIT_USAGE;
	}
	if (config_url_has_password(so.url)) {
		cli_error("consume: refused: the URL holds a password, which "
		    "any user on this host could read in the list of processes; "
		    "put it in the file feeder.password_file names");
		return EXIT_USAGE;
	}
	so.queue = opts[0].value != NULL ? opts[0].value :
	    c->cfg->mq_queue != NULL ? c->cfg->mq_queue : CMD_CONSUME_QUEUE;
	/* A short string on the wire, and NAME.dead must fit as well. */
	if (*so.queue == '\0' || strlen(so.queue) > 200 ||
	    strcspn(so.queue, "\t\r\n") != strlen(so.queue)) {
		cli_error("consume: --queue: \"%s\" is not a queue name (1 to "
		    "200 characters, no control characters)", so.queue);
		return EXIT_USAGE;
	}
	so.prefetch = c->cfg->mq_prefetch;
	if (opts[1].value != NULL) {
		int64_t v;

		if ((rc = cli_parse_id("consume: --prefetch", opts[1].value,
		    &v)) != 0)
			return rc;
		if (v > 65535) {
			cli_error("consume: --prefetch: %s is more than the "
			    "broker allows (65535)", opts[1].value);
			return EXIT_USAGE;
		}
		so.prefetch = (int)v;
	}
	so.once = opts[2].value != NULL;
	so.declare = opts[3].value != NULL;
	so.heartbeat_s = c->cfg->mq_heartbeat_s;
	so.cacert = c->cfg->mq_cacert;
	if ((rc = cli_check_feeder(c, "consume")) != 0)
		return rc;
	/* Opened by the feeder itself: never a privilege another's. */
	if (priv_held()) {
		cli_error("consume: only the feeder's own account may consume");
		return EXIT_DENIED;
	}
	if (c->cfg->mq_password_file != NULL) {
		if ((rc = cmd_consume_password(c->cfg->mq_password_file,
		    password, sizeof(password))) != 0)
			return rc;
		so.password = password;
	}

	memset(&st, 0, sizeof(st));
	st.tty = isatty(STDERR_FILENO);
	st.t0_ms = st.last_ms = cmd_consume_ms();
	so.stop = &cmd_consume_stop;
	so.report = cmd_consume_report;
	so.arg = &st;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_consume_signal;	/* no SA_RESTART: wake waits */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;		/* a broken socket says so itself */
	sigaction(SIGPIPE, &sa, NULL);

	rc = source_amqp_open(&so, &src, &err);
	explicit_bzero(password, sizeof(password));
	if (rc != FF_OK) {
		if (cmd_consume_stop)
			return EXIT_DONE;
		return cli_fail(&err);
	}
	memset(&co, 0, sizeof(co));
	co.on_reject = cmd_consume_reject;
	co.on_group = cmd_consume_group;
	co.arg = &st;
	co.stop = &cmd_consume_stop;
	co.group_max = so.prefetch;
	rc = income_consume(c->ff, &src, &co, &n, &err);
	src.ops->close(src.self);
	cmd_consume_clear(&st);
	cli_print_counts(c, &n);
	if (rc != FF_OK)
		return cli_fail(&err);
	if (cmd_consume_stop)
		return EXIT_DONE;	/* stopped: the group in hand is settled */
	return n.rejected > 0 ? EXIT_REJECTED : EXIT_DONE;
}
