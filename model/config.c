/*
 * config.c — the libconfig settings file and the built-in defaults; see
 * config.h.
 *
 * A file is read whole into memory (at most CONFIG_FILE_MAX bytes), checked
 * by a small pre-scan, parsed by libconfig from that text, and then walked
 * setting by setting: every name must be known and every value valid, or
 * the load fails with "FILE:LINE: what is wrong".  The pre-scan exists
 * because of three things libconfig 1.5 does: it silently wraps an integer
 * that does not fit in 32 bits ("busy_timeout_ms = 4294972296" reads as
 * 5000), it follows an @include to any file, and it leaks the text of a
 * string met where the grammar allows none ("a = { b = 1, \"x\" };").  All
 * three are refused here with the line they are on.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event.h"
#include "store/store.h"
#include "store/xmalloc.h"

#define CONFIG_FILE_MAX		(1024 * 1024)
#define CONFIG_BUILTIN		"built-in defaults"
#define CONFIG_PREFETCH_DEFAULT	4096	/* = ingest's group of events */
/* The installed configuration: make install's CONFDIR, compiled in. */
#ifndef FF_SYSCONFDIR
#define FF_SYSCONFDIR		"/etc/fundflow"
#endif
#define CONFIG_ETC_PATH		FF_SYSCONFDIR "/fundflow.cfg"
#define CONFIG_TIMEOUT_MAX	600000
#define CONFIG_DEPTH_MAX	32	/* nesting of { ( [ in a file */

/* The token before the one being scanned, as far as strings care. */
enum config_prev {
	CONFIG_PREV_OTHER = 0,
	CONFIG_PREV_ASSIGN,		/* '=' or ':' */
	CONFIG_PREV_OPEN,		/* '(' or '[' */
	CONFIG_PREV_COMMA,
	CONFIG_PREV_STRING
};

/* Where messages point: the file name, and the error being built. */
struct config_ctx {
	const char *name;
	char **err;
};

static const struct buss_type config_default_types[] = {
	{ .code = 1, .name = "Sales income", .withdrawable = 1, .repeatable = 0 },
	{ .code = 2, .name = "Service fees", .withdrawable = 1, .repeatable = 0 },
	{ .code = 3, .name = "Commission", .withdrawable = 1, .repeatable = 0 },
	{ .code = 8, .name = "Deposit", .withdrawable = 0, .repeatable = 0 },
	{ .code = 16, .name = "Adjustment", .withdrawable = 1, .repeatable = 1 },
	{ .code = 17, .name = "Bonus", .withdrawable = 1, .repeatable = 1 },
};

static int	config_fail(struct config_ctx *, unsigned, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	config_fail_at(struct config_ctx *, const config_setting_t *,
		    const char *, ...) __attribute__((format(printf, 3, 4)));
static int	config_prescan(struct config_ctx *, const char *, size_t);
static int	config_prescan_number(struct config_ctx *, const char *,
		    size_t, unsigned);
static int	config_parse(const char *, size_t, const char *,
		    struct config **, char **);
static int	config_apply(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_database(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_money(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_display(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_feeder(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_types(struct config_ctx *, const config_setting_t *,
		    struct config *);
static int	config_one_type(struct config_ctx *, const config_setting_t *,
		    struct buss_type *);
static int	config_get_int(struct config_ctx *, const config_setting_t *,
		    const char *, long long, long long, long long *);
static int	config_get_bool(struct config_ctx *, const config_setting_t *,
		    const char *, int *);
static int	config_read_all(const char *, char **, size_t *, char **);
static int	config_read_fd(int, const char *, char **, size_t *, char **);
static int	config_try_default(const char *, struct config **, char **,
		    int *);

/*
 * Builds "NAME:LINE: message" into *ctx->err (replacing nothing: the first
 * error wins).  Always returns -1 so callers can "return config_fail(...)".
 */
static int
config_fail(struct config_ctx *ctx, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (*ctx->err != NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*ctx->err = xasprintf("%s:%u: %s", ctx->name, line, msg);
	return -1;
}

/* config_fail at the line of setting s. */
static int
config_fail_at(struct config_ctx *ctx, const config_setting_t *s,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return config_fail(ctx, config_setting_source_line(s), "%s", msg);
}

struct config *
config_defaults(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	size_t n = sizeof(config_default_types) / sizeof(config_default_types[0]);

	cfg->source = xstrdup(CONFIG_BUILTIN);
	cfg->db_path = NULL;
	cfg->busy_timeout_ms = 5000;
	cfg->mq_prefetch = CONFIG_PREFETCH_DEFAULT;
	cfg->mq_heartbeat_s = 30;
	memcpy(cfg->currency, "CNY", 4);
	cfg->color = 1;
	cfg->types = xreallocarray(NULL, n, sizeof(*cfg->types));
	memcpy(cfg->types, config_default_types, n * sizeof(*cfg->types));
	cfg->ntypes = n;
	return cfg;
}

const struct buss_type *
config_type(const struct config *cfg, int32_t code)
{
	size_t i;

	if (cfg == NULL)
		return NULL;
	for (i = 0; i < cfg->ntypes; i++) {
		if (cfg->types[i].code == code)
			return &cfg->types[i];
	}
	return NULL;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->source);
	free(cfg->db_path);
	free(cfg->db_url);
	free(cfg->db_password_file);
	free(cfg->db_app_role);
	free(cfg->mq_url);
	free(cfg->mq_queue);
	free(cfg->mq_password_file);
	free(cfg->mq_cacert);
	free(cfg->types);
	free(cfg);
}

int
config_load_string(const char *text, const char *name, struct config **out,
    char **err)
{
	*out = NULL;
	*err = NULL;
	if (name == NULL)
		name = "(string)";
	if (text == NULL)
		text = "";
	return config_parse(text, strlen(text), name, out, err);
}

int
config_load_file(const char *path, struct config **out, char **err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	*err = NULL;
	if (path == NULL || *path == '\0') {
		*err = xstrdup("configuration file name is empty");
		return -1;
	}
	if (config_read_all(path, &text, &len, err) == -1)
		return -1;
	rc = config_parse(text, len, path, out, err);
	free(text);
	return rc;
}

int
config_load(const char *explicit_path, struct config **out, char **err)
{
	const char *env, *xdg, *home;
	char *path;
	int found = 0, rc;

	*out = NULL;
	*err = NULL;
	if (explicit_path != NULL)
		return config_load_file(explicit_path, out, err);
	env = getenv("FUNDFLOW_CONFIG");
	if (env != NULL && *env != '\0')
		return config_load_file(env, out, err);

	/* XDG says a relative XDG_CONFIG_HOME is to be ignored. */
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	path = NULL;
	if (xdg != NULL && xdg[0] == '/')
		path = xasprintf("%s/fundflow/fundflow.cfg", xdg);
	else if (home != NULL && *home != '\0')
		path = xasprintf("%s/.config/fundflow/fundflow.cfg", home);
	if (path != NULL) {
		rc = config_try_default(path, out, err, &found);
		free(path);
		if (found)
			return rc;
	}
	rc = config_try_default(CONFIG_ETC_PATH, out, err, &found);
	if (found)
		return rc;
	*out = config_defaults();
	return 0;
}

const char *
config_installed_path(void)
{
	return CONFIG_ETC_PATH;
}

int
config_load_installed(struct config **out, char **err)
{
	struct stat sb;
	char *text;
	size_t len;
	int fd, rc;

	*out = NULL;
	*err = NULL;
	/* Only root may have written what decides where the data is: the
	 * file (checked on the descriptor that is read) must not be
	 * writable by anyone else. */
	fd = open(CONFIG_ETC_PATH, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT) {
			*out = config_defaults();
			return 0;
		}
		*err = xasprintf("%s: cannot open the installed configuration: "
		    "%s", CONFIG_ETC_PATH, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != 0 ||
	    (sb.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		*err = xasprintf("%s: the installed configuration must be a "
		    "regular file owned by root and writable by root alone; "
		    "fundflow does not run with it", CONFIG_ETC_PATH);
		return -2;
	}
	if (config_read_fd(fd, CONFIG_ETC_PATH, &text, &len, err) == -1)
		return -1;
	rc = config_parse(text, len, CONFIG_ETC_PATH, out, err);
	free(text);
	return rc;
}

/*
 * Loads path if it exists (*found = 1, returns what config_load_file does);
 * when it does not exist sets *found = 0 and returns 0.
 */
static int
config_try_default(const char *path, struct config **out, char **err,
    int *found)
{
	struct stat sb;

	*found = 0;
	if (stat(path, &sb) == -1 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	*found = 1;
	return config_load_file(path, out, err);
}

/*
 * Reads the whole of path into a fresh NUL-terminated buffer (*text, the
 * caller frees; *len excludes the NUL).  Returns 0, or -1 with *err set.
 */
static int
config_read_all(const char *path, char **text, size_t *len, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*text = NULL;
	*len = 0;
	if (fd < 0) {
		*err = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	return config_read_fd(fd, path, text, len, err);
}

/* config_read_all's reading, from fd (closed here) named path. */
static int
config_read_fd(int fd, const char *path, char **text, size_t *len, char **err)
{
	FILE *fp;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	int rc = -1;

	*text = NULL;
	*len = 0;
	if ((fp = fdopen(fd, "r")) == NULL) {
		*err = xasprintf("%s: cannot open: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n > CONFIG_FILE_MAX) {
			*err = xasprintf("%s: too large (more than %d bytes)",
			    path, CONFIG_FILE_MAX);
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(fp);
	return rc;
}

/*
 * Parses len bytes of text (NUL-terminated at text[len]) named name.  Same
 * contract as config_load.
 */
static int
config_parse(const char *text, size_t len, const char *name,
    struct config **out, char **err)
{
	struct config_ctx ctx = { .name = name, .err = err };
	struct config *cfg = NULL;
	config_t cf;
	int rc = -1;

	*out = NULL;
	*err = NULL;
	config_init(&cf);
	config_set_options(&cf, 0);
	if (config_prescan(&ctx, text, len) == -1)
		goto out;
	if (config_read_string(&cf, text) != CONFIG_TRUE) {
		const char *what = config_error_text(&cf);

		config_fail(&ctx, (unsigned)config_error_line(&cf), "%s",
		    what != NULL ? what : "syntax error");
		goto out;
	}
	cfg = config_defaults();
	free(cfg->source);
	cfg->source = xstrdup(name);
	if (config_apply(&ctx, config_root_setting(&cf), cfg) == -1)
		goto out;
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	config_free(cfg);
	config_destroy(&cf);
	return rc;
}

/*
 * Walks the text as libconfig's scanner would (strings, comments, names,
 * numbers, brackets) and refuses what libconfig would mishandle: an integer
 * without an 'L' suffix that does not fit in 32 bits, a NUL byte, an
 * @include, nesting deeper than CONFIG_DEPTH_MAX, and a string where the
 * grammar allows none (only after '=', ':', '(', '[', another string, or a
 * ',' inside a list or array).  Returns 0 or -1 with the error set.
 */
static int
config_prescan(struct config_ctx *ctx, const char *s, size_t len)
{
	enum config_prev prev = CONFIG_PREV_OTHER, was;
	char nest[CONFIG_DEPTH_MAX];
	unsigned line = 1;
	size_t i = 0, j, depth = 0;
	char c;

	while (i < len) {
		c = s[i];
		was = prev;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
		    c != '\f' && c != '\v')
			prev = CONFIG_PREV_OTHER;
		if (c == '\0')
			return config_fail(ctx, line, "NUL byte in the file");
		if (c == '\n') {
			line++;
			i++;
		} else if (c == '=' || c == ':') {
			prev = CONFIG_PREV_ASSIGN;
			i++;
		} else if (c == ',') {
			if (depth > 0 && nest[depth - 1] != '{')
				prev = CONFIG_PREV_COMMA;
			i++;
		} else if (c == '{' || c == '(' || c == '[') {
			if (depth == CONFIG_DEPTH_MAX)
				return config_fail(ctx, line,
				    "groups and lists nested too deeply");
			nest[depth++] = c;
			if (c != '{')
				prev = CONFIG_PREV_OPEN;
			i++;
		} else if (c == '}' || c == ')' || c == ']') {
			if (depth > 0)
				depth--;
			i++;
		} else if (c == '"') {
			if (was == CONFIG_PREV_OTHER)
				return config_fail(ctx, line,
				    "syntax error (a string where none belongs)");
			prev = CONFIG_PREV_STRING;
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				if (s[i] == '\n')
					line++;
				else if (s[i] == '\0')
					return config_fail(ctx, line,
					    "NUL byte in the file");
			}
			i++;
		} else if (c == '#' || (c == '/' && i + 1 < len &&
		    s[i + 1] == '/')) {
			prev = was;	/* a comment is not a token */
			while (i < len && s[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			prev = was;
			for (i += 2; i < len && !(s[i] == '*' && i + 1 < len &&
			    s[i + 1] == '/'); i++) {
				if (s[i] == '\n')
					line++;
			}
			i += 2;
		} else if (c == '@') {
			return config_fail(ctx, line,
			    "@include and other directives are not supported");
		} else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '*') {
			for (i++; i < len && ((s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
			    s[i] == '_' || s[i] == '*'); i++)
				;
		} else if ((c >= '0' && c <= '9') || c == '-' || c == '+' ||
		    c == '.') {
			j = i + 1;
			while (j < len && ((s[j] >= '0' && s[j] <= '9') ||
			    (s[j] >= 'A' && s[j] <= 'Z') ||
			    (s[j] >= 'a' && s[j] <= 'z') || s[j] == '.' ||
			    ((s[j] == '+' || s[j] == '-') &&
			    (s[j - 1] == 'e' || s[j - 1] == 'E'))))
				j++;
			if (config_prescan_number(ctx, s + i, j - i, line) == -1)
				return -1;
			i = j;
		} else
			i++;
	}
	return 0;
}

/*
 * Checks one number token of n bytes: a plain decimal or hexadecimal
 * integer (no 'L') must fit in 32 bits as libconfig stores it.  Floats,
 * 64-bit integers and junk are left to libconfig and the checks after it.
 */
static int
config_prescan_number(struct config_ctx *ctx, const char *t, size_t n,
    unsigned line)
{
	size_t i = 0, digits = 0;
	unsigned long long v = 0, limit = 2147483647ULL;
	int neg = 0;

	if (n > 0 && (t[n - 1] == 'L' || t[n - 1] == 'l'))
		return 0;
	if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
		for (i = 2; i < n && t[i] == '0'; i++)
			;
		if (n - i > 8)
			return config_fail(ctx, line,
			    "a number does not fit in 32 bits");
		return 0;
	}
	if (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-';
		i = 1;
	}
	for (; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return 0;	/* a float, or not a number at all */
		if (v <= limit + 1)
			v = v * 10 + (unsigned long long)(t[i] - '0');
		digits++;
	}
	if (digits == 0)
		return 0;
	if (v > limit + (neg ? 1 : 0))
		return config_fail(ctx, line,
		    "a number is out of range (at most 2147483647)");
	return 0;
}

/* Takes the settings of the root group into cfg. */
static int
config_apply(struct config_ctx *ctx, const config_setting_t *root,
    struct config *cfg)
{
	const config_setting_t *s;
	const char *name;
	int i, n;

	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(root, (unsigned)i);
		name = config_setting_name(s);
		if (name == NULL)
			return config_fail_at(ctx, s, "setting without a name");
		if (strcmp(name, "database") == 0) {
			if (config_database(ctx, s, cfg) == -1)
				return -1;
		} else if (strcmp(name, "money") == 0) {
			if (config_money(ctx, s, cfg) == -1)
				return -1;
		} else if (strcmp(name, "business_types") == 0) {
			if (config_types(ctx, s, cfg) == -1)
				return -1;
		} else if (strcmp(name, "display") == 0) {
			if (config_display(ctx, s, cfg) == -1)
				return -1;
		} else if (strcmp(name, "feeder") == 0) {
			if (config_feeder(ctx, s, cfg) == -1)
				return -1;
		} else
			return config_fail_at(ctx, s, "unknown setting (known: "
			    "database, money, business_types, display, feeder)");
	}
	return 0;
}

/* A string setting into *out (replacing what was there); -1 when it is
 * not a non-empty string. */
static int
config_string(struct config_ctx *ctx, const config_setting_t *s,
    const char *what, char **out)
{
	const char *v;

	if (config_setting_type(s) != CONFIG_TYPE_STRING ||
	    (v = config_setting_get_string(s)) == NULL)
		return config_fail_at(ctx, s, "%s must be a string", what);
	if (*v == '\0')
		return config_fail_at(ctx, s, "%s is empty", what);
	free(*out);
	*out = xstrdup(v);
	return 0;
}

/* database = { path = "..."; url = "postgresql://..."; password_file =
 * "..."; app_role = "..."; busy_timeout_ms = N; group_access = B; }; */
static int
config_database(struct config_ctx *ctx, const config_setting_t *g,
    struct config *cfg)
{
	const config_setting_t *s;
	const char *name, *v;
	long long ms;
	int i, n;

	if (!config_setting_is_group(g))
		return config_fail_at(ctx, g,
		    "database must be a group: database = { ... };");
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		name = config_setting_name(s);
		if (strcmp(name, "path") == 0) {
			if (config_setting_type(s) != CONFIG_TYPE_STRING ||
			    (v = config_setting_get_string(s)) == NULL)
				return config_fail_at(ctx, s,
				    "database.path must be a string");
			if (*v == '\0')
				return config_fail_at(ctx, s,
				    "database.path is empty");
			free(cfg->db_path);
			cfg->db_path = xstrdup(v);
		} else if (strcmp(name, "url") == 0) {
			if (config_string(ctx, s, "database.url", &cfg->db_url) != 0)
				return -1;
			if (!store_is_server(cfg->db_url))
				return config_fail_at(ctx, s, "database.url must be "
				    "a PostgreSQL connection string (postgresql://"
				    "HOST/DB, or \"host=... dbname=...\"); a SQLite "
				    "file is database.path");
		} else if (strcmp(name, "password_file") == 0) {
			if (config_string(ctx, s, "database.password_file",
			    &cfg->db_password_file) != 0)
				return -1;
		} else if (strcmp(name, "app_role") == 0) {
			if (config_string(ctx, s, "database.app_role",
			    &cfg->db_app_role) != 0)
				return -1;
		} else if (strcmp(name, "busy_timeout_ms") == 0) {
			if (config_get_int(ctx, s, "database.busy_timeout_ms",
			    0, CONFIG_TIMEOUT_MAX, &ms) == -1)
				return -1;
			cfg->busy_timeout_ms = (int)ms;
		} else if (strcmp(name, "group_access") == 0) {
			if (config_get_bool(ctx, s, "database.group_access",
			    &cfg->group_access) == -1)
				return -1;
		} else
			return config_fail_at(ctx, s,
			    "unknown setting in database (known: path, url, "
			    "password_file, app_role, busy_timeout_ms, "
			    "group_access)");
	}
	if (cfg->db_path != NULL && cfg->db_url != NULL)
		return config_fail_at(ctx, g, "database.path and database.url "
		    "both name a database; keep one");
	return 0;
}

/* feeder = { url = "amqp://USER@HOST:PORT/VHOST"; queue = "incomes";
 * password_file = "..."; prefetch = N; heartbeat_s = N; cacert = "..."; };
 * The URL is checked for a password here (the file is often readable by
 * every operator); the rest of it when consume connects. */
static int
config_feeder(struct config_ctx *ctx, const config_setting_t *g,
    struct config *cfg)
{
	const config_setting_t *s;
	const char *name;
	long long v;
	int i, n;

	if (!config_setting_is_group(g))
		return config_fail_at(ctx, g,
		    "feeder must be a group: feeder = { ... };");
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		name = config_setting_name(s);
		if (strcmp(name, "url") == 0) {
			if (config_string(ctx, s, "feeder.url", &cfg->mq_url) != 0)
				return -1;
			if (strncmp(cfg->mq_url, "amqp://", 7) != 0 &&
			    strncmp(cfg->mq_url, "amqps://", 8) != 0)
				return config_fail_at(ctx, s, "feeder.url must "
				    "start with amqp:// or amqps://");
			if (config_url_has_password(cfg->mq_url))
				return config_fail_at(ctx, s, "feeder.url holds "
				    "a password; put it in feeder.password_file");
		} else if (strcmp(name, "queue") == 0) {
			if (config_string(ctx, s, "feeder.queue",
			    &cfg->mq_queue) != 0)
				return -1;
		} else if (strcmp(name, "password_file") == 0) {
			if (config_string(ctx, s, "feeder.password_file",
			    &cfg->mq_password_file) != 0)
				return -1;
		} else if (strcmp(name, "cacert") == 0) {
			if (config_string(ctx, s, "feeder.cacert",
			    &cfg->mq_cacert) != 0)
				return -1;
		} else if (strcmp(name, "prefetch") == 0) {
			if (config_get_int(ctx, s, "feeder.prefetch", 1, 65535,
			    &v) == -1)
				return -1;
			cfg->mq_prefetch = (int)v;
		} else if (strcmp(name, "heartbeat_s") == 0) {
			if (config_get_int(ctx, s, "feeder.heartbeat_s", 0, 3600,
			    &v) == -1)
				return -1;
			cfg->mq_heartbeat_s = (int)v;
		} else
			return config_fail_at(ctx, s,
			    "unknown setting in feeder (known: url, queue, "
			    "password_file, prefetch, heartbeat_s, cacert)");
	}
	return 0;
}

int
config_url_has_password(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;

	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	/* userinfo is what comes before the last '@' of the authority. */
	at = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			at = q;
	return at != NULL && memchr(p, ':', (size_t)(at - p)) != NULL;
}

/* money = { currency = "CNY"; }; */
static int
config_money(struct config_ctx *ctx, const config_setting_t *g,
    struct config *cfg)
{
	const config_setting_t *s;
	const char *name, *v;
	int i, n;

	if (!config_setting_is_group(g))
		return config_fail_at(ctx, g,
		    "money must be a group: money = { ... };");
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		name = config_setting_name(s);
		if (strcmp(name, "currency") != 0)
			return config_fail_at(ctx, s,
			    "unknown setting in money (known: currency)");
		v = config_setting_type(s) == CONFIG_TYPE_STRING ?
		    config_setting_get_string(s) : NULL;
		if (v == NULL || strlen(v) != 3 ||
		    v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' ||
		    v[2] < 'A' || v[2] > 'Z')
			return config_fail_at(ctx, s, "money.currency must be "
			    "three capital letters, like \"CNY\"");
		memcpy(cfg->currency, v, 4);
	}
	return 0;
}

/* display = { color = true; }; */
static int
config_display(struct config_ctx *ctx, const config_setting_t *g,
    struct config *cfg)
{
	const config_setting_t *s;
	const char *name;
	int i, n;

	if (!config_setting_is_group(g))
		return config_fail_at(ctx, g,
		    "display must be a group: display = { ... };");
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		name = config_setting_name(s);
		if (strcmp(name, "color") != 0)
			return config_fail_at(ctx, s,
			    "unknown setting in display (known: color)");
		if (config_get_bool(ctx, s, "display.color", &cfg->color) == -1)
			return -1;
	}
	return 0;
}

/*
 * business_types = ( { code = 1; name = "..."; ... }, ... ); replaces the
 * built-in list entirely.
 */
static int
config_types(struct config_ctx *ctx, const config_setting_t *l,
    struct config *cfg)
{
	const config_setting_t *e;
	struct buss_type *types;
	int i, n;
	size_t k;

	if (!config_setting_is_list(l))
		return config_fail_at(ctx, l, "business_types must be a list "
		    "of groups: business_types = ( { code = 1; ... } );");
	n = config_setting_length(l);
	if (n <= 0)
		return config_fail_at(ctx, l,
		    "business_types is empty: list at least one type");
	types = xcalloc((size_t)n, sizeof(*types));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(l, (unsigned)i);
		if (config_one_type(ctx, e, &types[i]) == -1)
			goto fail;
		for (k = 0; k < (size_t)i; k++) {
			if (types[k].code == types[i].code) {
				config_fail_at(ctx, e, "a business type code "
				    "appears twice");
				goto fail;
			}
		}
	}
	free(cfg->types);
	cfg->types = types;
	cfg->ntypes = (size_t)n;
	return 0;
fail:
	free(types);
	return -1;
}

/* One { code; name; withdrawable; repeatable; } group into *t. */
static int
config_one_type(struct config_ctx *ctx, const config_setting_t *g,
    struct buss_type *t)
{
	const config_setting_t *s;
	const char *name, *v;
	long long code;
	int i, n, have_code = 0, have_name = 0;
	size_t vlen;

	if (!config_setting_is_group(g))
		return config_fail_at(ctx, g, "each business type must be a "
		    "group: { code = 1; name = \"...\"; }");
	t->withdrawable = 1;
	t->repeatable = 0;
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, (unsigned)i);
		name = config_setting_name(s);
		if (strcmp(name, "code") == 0) {
			if (config_get_int(ctx, s, "business type code", 1,
			    INT32_MAX, &code) == -1)
				return -1;
			t->code = (int32_t)code;
			have_code = 1;
		} else if (strcmp(name, "name") == 0) {
			if (config_setting_type(s) != CONFIG_TYPE_STRING ||
			    (v = config_setting_get_string(s)) == NULL)
				return config_fail_at(ctx, s,
				    "business type name must be a string");
			vlen = strlen(v);
			if (vlen == 0)
				return config_fail_at(ctx, s,
				    "business type name is empty");
			if (vlen > FF_NAME_MAX)
				return config_fail_at(ctx, s, "business type "
				    "name is too long (at most %d bytes)",
				    FF_NAME_MAX);
			if (!event_valid_text(v, vlen))
				return config_fail_at(ctx, s, "business type "
				    "name must be UTF-8 text without control "
				    "characters");
			memcpy(t->name, v, vlen + 1);
			have_name = 1;
		} else if (strcmp(name, "withdrawable") == 0) {
			if (config_get_bool(ctx, s, "business type withdrawable",
			    &t->withdrawable) == -1)
				return -1;
		} else if (strcmp(name, "repeatable") == 0) {
			if (config_get_bool(ctx, s, "business type repeatable",
			    &t->repeatable) == -1)
				return -1;
		} else
			return config_fail_at(ctx, s, "unknown setting in "
			    "a business type (known: code, name, withdrawable, "
			    "repeatable)");
	}
	if (!have_code)
		return config_fail_at(ctx, g, "business type without a code");
	if (!have_name)
		return config_fail_at(ctx, g, "a business type without a name");
	return 0;
}

/* An integer setting (32 or 64 bits) within lo..hi into *out. */
static int
config_get_int(struct config_ctx *ctx, const config_setting_t *s,
    const char *what, long long lo, long long hi, long long *out)
{
	long long v;
	int type = config_setting_type(s);

	if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
		return config_fail_at(ctx, s, "%s must be a whole number "
		    "from %lld to %lld", what, lo, hi);
	v = config_setting_get_int64(s);
	if (v < lo || v > hi)
		return config_fail_at(ctx, s, "%s must be from %lld to %lld",
		    what, lo, hi);
	*out = v;
	return 0;
}

/* A boolean setting (true / false) into *out. */
static int
config_get_bool(struct config_ctx *ctx, const config_setting_t *s,
    const char *what, int *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return config_fail_at(ctx, s, "%s must be true or false", what);
	*out = config_setting_get_bool(s) ? 1 : 0;
	return 0;
}
