/* test_config.c — the configuration file: defaults, shape, every refusal. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/config.h"
#include "store/xmalloc.h"

#define ACCEPTANCE \
	"database = { path = \"fundflow.db\"; busy_timeout_ms = 5000; };\n" \
	"money = { currency = \"CNY\"; };\n" \
	"business_types = (\n" \
	"  { code = 1; name = \"Sales income\"; withdrawable = true; " \
	    "repeatable = false; },\n" \
	"  { code = 16; name = \"Adjustment\"; withdrawable = true; " \
	    "repeatable = true; }\n" \
	");\n" \
	"display = { color = true; };\n"

static void	write_file(const char *, const char *);
static void	expect_error(const char *, const char *, const char *);
static void	expect_quiet(const char *, const char *, const char *,
		    const char *);
static void	expect_same(const struct config *, const struct config *);
static void	isolate_env(const char *);

static void	test_free_null(void **);
static void	test_defaults(void **);
static void	test_empty_text(void **);
static void	test_acceptance_shape(void **);
static void	test_partial_groups(void **);
static void	test_types_replace(void **);
static void	test_int64_and_hex(void **);
static void	test_unicode_name(void **);
static void	test_invalid_values(void **);
static void	test_unknown_settings(void **);
static void	test_wrong_shapes(void **);
static void	test_feeder(void **);
static void	test_syntax_error(void **);
static void	test_file_errors(void **);
static void	test_missing_explicit(void **);
static void	test_env_search(void **);
static void	test_xdg_search(void **);
static void	test_home_search(void **);
static void	test_assets_equal_defaults(void **);

/* Writes text to path, replacing it. */
static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/*
 * Loads text as "t.cfg" and expects a refusal that begins "t.cfg:LINE: "
 * (prefix) and contains what.
 */
static void
expect_error(const char *text, const char *prefix, const char *what)
{
	struct config *cfg = (struct config *)1;
	char *err = NULL;

	if (config_load_string(text, "t.cfg", &cfg, &err) != -1)
		fail_msg("accepted: %s", text);
	assert_null(cfg);
	assert_non_null(err);
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, what) == NULL)
		fail_msg("for %s\n got: %s\n want: %s ... %s", text, err,
		    prefix, what);
	free(err);
}

/* As expect_error, and the message quotes nothing of the file: the text
 * secret (a name or a value the file holds) is not in it. */
static void
expect_quiet(const char *text, const char *prefix, const char *what,
    const char *secret)
{
	struct config *cfg = (struct config *)1;
	char *err = NULL;

	expect_error(text, prefix, what);
	assert_int_equal(config_load_string(text, "t.cfg", &cfg, &err), -1);
	if (strstr(err, secret) != NULL)
		fail_msg("for %s\n the error echoes \"%s\": %s", text, secret,
		    err);
	free(err);
}

/* Two configurations say the same (the source aside). */
static void
expect_same(const struct config *a, const struct config *b)
{
	size_t i;

	if (a->db_path == NULL || b->db_path == NULL)
		assert_ptr_equal(a->db_path, b->db_path);
	else
		assert_string_equal(a->db_path, b->db_path);
	assert_int_equal(a->busy_timeout_ms, b->busy_timeout_ms);
	assert_string_equal(a->currency, b->currency);
	assert_int_equal(a->color, b->color);
	assert_int_equal(a->ntypes, b->ntypes);
	for (i = 0; i < a->ntypes; i++) {
		assert_int_equal(a->types[i].code, b->types[i].code);
		assert_string_equal(a->types[i].name, b->types[i].name);
		assert_int_equal(a->types[i].withdrawable,
		    b->types[i].withdrawable);
		assert_int_equal(a->types[i].repeatable, b->types[i].repeatable);
	}
}

/* No FUNDFLOW_CONFIG, XDG_CONFIG_HOME = xdg (or unset), HOME = xdg too. */
static void
isolate_env(const char *xdg)
{
	unsetenv("FUNDFLOW_CONFIG");
	if (xdg != NULL) {
		setenv("XDG_CONFIG_HOME", xdg, 1);
		setenv("HOME", xdg, 1);
	} else
		unsetenv("XDG_CONFIG_HOME");
}

static void
test_free_null(void **state)
{
	(void)state;
	config_free(NULL);
	assert_null(config_type(NULL, 1));
}

static void
test_defaults(void **state)
{
	struct config *cfg = config_defaults();
	const struct buss_type *t;

	(void)state;
	assert_string_equal(cfg->source, "built-in defaults");
	assert_null(cfg->db_path);
	assert_int_equal(cfg->busy_timeout_ms, 5000);
	assert_string_equal(cfg->currency, "CNY");
	assert_int_equal(cfg->color, 1);
	assert_int_equal(cfg->ntypes, 6);
	assert_int_equal(cfg->types[0].code, 1);
	assert_string_equal(cfg->types[0].name, "Sales income");
	assert_int_equal(cfg->types[0].withdrawable, 1);
	assert_int_equal(cfg->types[0].repeatable, 0);
	assert_non_null(t = config_type(cfg, 2));
	assert_string_equal(t->name, "Service fees");
	assert_non_null(t = config_type(cfg, 3));
	assert_string_equal(t->name, "Commission");
	assert_non_null(t = config_type(cfg, 8));
	assert_string_equal(t->name, "Deposit");
	assert_int_equal(t->withdrawable, 0);
	assert_int_equal(t->repeatable, 0);
	assert_non_null(t = config_type(cfg, 16));
	assert_int_equal(t->withdrawable, 1);
	assert_int_equal(t->repeatable, 1);
	assert_non_null(t = config_type(cfg, 17));
	assert_string_equal(t->name, "Bonus");
	assert_int_equal(t->repeatable, 1);
	assert_null(config_type(cfg, 0));
	assert_null(config_type(cfg, 4));
	assert_null(config_type(cfg, -1));
	config_free(cfg);
}

static void
test_empty_text(void **state)
{
	struct config *cfg, *def = config_defaults();
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load_string("", "e.cfg", &cfg, &err), 0);
	assert_null(err);
	assert_string_equal(cfg->source, "e.cfg");
	expect_same(cfg, def);
	config_free(cfg);

	/* Comments only. */
	assert_int_equal(config_load_string("# nothing\n// here\n/* at\nall */\n",
	    "c.cfg", &cfg, &err), 0);
	expect_same(cfg, def);
	config_free(cfg);
	config_free(def);
}

static void
test_acceptance_shape(void **state)
{
	struct config *cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load_string(ACCEPTANCE, "a.cfg", &cfg, &err), 0);
	assert_null(err);
	assert_string_equal(cfg->db_path, "fundflow.db");
	assert_int_equal(cfg->busy_timeout_ms, 5000);
	assert_string_equal(cfg->currency, "CNY");
	assert_int_equal(cfg->color, 1);
	assert_int_equal(cfg->ntypes, 2);
	assert_int_equal(cfg->types[0].code, 1);
	assert_string_equal(cfg->types[0].name, "Sales income");
	assert_int_equal(cfg->types[0].withdrawable, 1);
	assert_int_equal(cfg->types[0].repeatable, 0);
	assert_int_equal(cfg->types[1].code, 16);
	assert_string_equal(cfg->types[1].name, "Adjustment");
	assert_int_equal(cfg->types[1].repeatable, 1);
	assert_null(config_type(cfg, 2));
	assert_ptr_equal(config_type(cfg, 16), &cfg->types[1]);
	config_free(cfg);
}

static void
test_partial_groups(void **state)
{
	struct config *cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load_string(
	    "money = { currency = \"USD\"; };\n"
	    "display = { color = false; };\n"
	    "database = { busy_timeout_ms = 0; };\n"
	    "database2_is_not_here = 0;\n", "p.cfg", &cfg, &err), -1);
	assert_string_equal(err, "p.cfg:4: unknown setting (known: database, "
	    "money, business_types, display, feeder)");
	free(err);

	assert_int_equal(config_load_string(
	    "money = { currency = \"USD\"; };\n"
	    "display = { color = false; };\n"
	    "database = { };\n", "p.cfg", &cfg, &err), 0);
	assert_null(cfg->db_path);
	assert_int_equal(cfg->busy_timeout_ms, 5000);
	assert_string_equal(cfg->currency, "USD");
	assert_int_equal(cfg->color, 0);
	assert_int_equal(cfg->ntypes, 6);
	config_free(cfg);

	assert_int_equal(config_load_string(
	    "database = { busy_timeout_ms = 0; path = \"/var/lib/ff.db\"; };",
	    "p.cfg", &cfg, &err), 0);
	assert_int_equal(cfg->busy_timeout_ms, 0);
	assert_string_equal(cfg->db_path, "/var/lib/ff.db");
	config_free(cfg);

	assert_int_equal(config_load_string(
	    "database = { busy_timeout_ms = 600000; };", "p.cfg", &cfg, &err),
	    0);
	assert_int_equal(cfg->busy_timeout_ms, 600000);
	config_free(cfg);

	/* Comments between tokens, ':' for '=', ',' after a setting, and
	 * strings split in parts. */
	assert_int_equal(config_load_string(
	    "database : { path = /* here */ \"a\" # one\n"
	    "  \"b.db\", busy_timeout_ms = 10 };\n"
	    "business_types = ( # types\n"
	    "  { code = 1; name = // the name\n \"One\"; }\n"
	    ");", "p.cfg", &cfg, &err), 0);
	assert_string_equal(cfg->db_path, "ab.db");
	assert_int_equal(cfg->busy_timeout_ms, 10);
	assert_string_equal(cfg->types[0].name, "One");
	config_free(cfg);
}

static void
test_types_replace(void **state)
{
	struct config *cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load_string(
	    "business_types = ( { code = 2147483647; name = \"Big\"; } );",
	    "r.cfg", &cfg, &err), 0);
	assert_int_equal(cfg->ntypes, 1);
	assert_int_equal(cfg->types[0].code, INT32_MAX);
	assert_int_equal(cfg->types[0].withdrawable, 1);
	assert_int_equal(cfg->types[0].repeatable, 0);
	assert_null(config_type(cfg, 1));
	config_free(cfg);

	assert_int_equal(config_load_string(
	    "business_types = (\n"
	    "  { name = \"Deposit\"; code = 8; withdrawable = false; },\n"
	    "  { code = 9; name = \"Refund\"; repeatable = true; }\n"
	    ");", "r.cfg", &cfg, &err), 0);
	assert_int_equal(cfg->ntypes, 2);
	assert_int_equal(cfg->types[0].code, 8);
	assert_int_equal(cfg->types[0].withdrawable, 0);
	assert_int_equal(cfg->types[1].withdrawable, 1);
	assert_int_equal(cfg->types[1].repeatable, 1);
	config_free(cfg);
}

static void
test_int64_and_hex(void **state)
{
	struct config *cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load_string(
	    "database = { busy_timeout_ms = 7000L; };\n"
	    "business_types = ( { code = 0x10; name = \"Hex\"; } );",
	    "i.cfg", &cfg, &err), 0);
	assert_int_equal(cfg->busy_timeout_ms, 7000);
	assert_int_equal(cfg->types[0].code, 16);
	config_free(cfg);
}

static void
test_unicode_name(void **state)
{
	struct config *cfg;
	char *err = NULL;
	char name[FF_NAME_MAX + 1], text[400];

	(void)state;
	assert_int_equal(config_load_string(
	    "business_types = ( { code = 5; name = \"诸城分公司收入\"; } );",
	    "u.cfg", &cfg, &err), 0);
	assert_string_equal(cfg->types[0].name, "诸城分公司收入");
	config_free(cfg);

	/* Exactly FF_NAME_MAX bytes is fine; one more is not. */
	memset(name, 'n', FF_NAME_MAX);
	name[FF_NAME_MAX] = '\0';
	snprintf(text, sizeof(text),
	    "business_types = ( { code = 5; name = \"%s\"; } );", name);
	assert_int_equal(config_load_string(text, "u.cfg", &cfg, &err), 0);
	assert_int_equal(strlen(cfg->types[0].name), FF_NAME_MAX);
	config_free(cfg);
	snprintf(text, sizeof(text),
	    "business_types = (\n { code = 5; name = \"%sx\"; } );", name);
	expect_error(text, "t.cfg:2: ", "too long (at most 200 bytes)");
}

static void
test_invalid_values(void **state)
{
	(void)state;
	/* busy_timeout_ms */
	expect_error("\ndatabase = { busy_timeout_ms = -1; };", "t.cfg:2: ",
	    "database.busy_timeout_ms must be from 0 to 600000");
	expect_quiet("database = {\n busy_timeout_ms = 600001; };",
	    "t.cfg:2: ", "must be from 0 to 600000", "600001");
	expect_error("database = { busy_timeout_ms = \"5000\"; };",
	    "t.cfg:1: ", "busy_timeout_ms must be a whole number");
	expect_error("database = { busy_timeout_ms = 5.0; };", "t.cfg:1: ",
	    "must be a whole number");
	expect_error("database = { busy_timeout_ms = true; };", "t.cfg:1: ",
	    "must be a whole number");
	/* libconfig alone would wrap this to 5000. */
	expect_error("\n\ndatabase = { busy_timeout_ms = 4294972296; };",
	    "t.cfg:3: ", "out of range");
	expect_error("database = { busy_timeout_ms = 99999999999L; };",
	    "t.cfg:1: ", "must be from 0 to 600000");
	/* path */
	expect_error("database = { path = \"\"; };", "t.cfg:1: ",
	    "database.path is empty");
	expect_error("database = { path = 5; };", "t.cfg:1: ",
	    "database.path must be a string");
	/* currency */
	expect_error("money = { currency = \"cny\"; };", "t.cfg:1: ",
	    "three capital letters");
	expect_error("money = { currency = \"CNYX\"; };", "t.cfg:1: ",
	    "three capital letters");
	expect_error("money = { currency = \"CN\"; };", "t.cfg:1: ",
	    "three capital letters");
	expect_error("money = { currency = \"\"; };", "t.cfg:1: ",
	    "three capital letters");
	expect_error("money = { currency = 156; };", "t.cfg:1: ",
	    "three capital letters");
	expect_error("money = { currency = \"C1Y\"; };", "t.cfg:1: ",
	    "three capital letters");
	/* display */
	expect_error("display = { color = \"yes\"; };", "t.cfg:1: ",
	    "display.color must be true or false");
	expect_error("display = { color = 1; };", "t.cfg:1: ",
	    "must be true or false");
	/* business types */
	expect_quiet("business_types = (\n{ code = 0; name = \"Z\"; });",
	    "t.cfg:2: ", "code must be from 1 to 2147483647", "not 0");
	expect_error("business_types = (\n{ code = -4; name = \"Z\"; });",
	    "t.cfg:2: ", "code must be from 1 to 2147483647");
	expect_quiet("business_types = (\n{ code = 2147483648; name = \"Z\"; });",
	    "t.cfg:2: ", "out of range", "2147483648");
	expect_error("business_types = (\n{ code = 2147483648L; name = \"Z\"; });",
	    "t.cfg:2: ", "code must be from 1 to 2147483647");
	expect_quiet("business_types = (\n{ code = 0x100000001; name = \"Z\"; });",
	    "t.cfg:2: ", "does not fit in 32 bits", "0x100000001");
	expect_error("business_types = ({ code = \"1\"; name = \"Z\"; });",
	    "t.cfg:1: ", "code must be a whole number");
	expect_error("business_types = ({ code = 1.5; name = \"Z\"; });",
	    "t.cfg:1: ", "code must be a whole number");
	expect_error("business_types = (\n"
	    "  { code = 16; name = \"A\"; },\n"
	    "  { code = 17; name = \"B\"; },\n"
	    "  { code = 16; name = \"C\"; }\n);",
	    "t.cfg:4: ", "a business type code appears twice");
	expect_quiet("business_types = (\n"
	    "  { code = 16; name = \"A\"; },\n"
	    "  { code = 16; name = \"C\"; }\n);",
	    "t.cfg:3: ", "appears twice", "16");
	expect_error("business_types = (\n{ code = 1; name = \"\"; });",
	    "t.cfg:2: ", "business type name is empty");
	expect_error("business_types = ({ code = 1; name = 7; });",
	    "t.cfg:1: ", "name must be a string");
	expect_error("business_types = (\n\n{ code = 1; name = \"a\\tb\"; });",
	    "t.cfg:3: ", "without control characters");
	expect_error("business_types = ({ code = 1; name = \"a\\x01b\"; });",
	    "t.cfg:1: ", "without control characters");
	expect_error("business_types = ({ code = 1; name = \"bad \xff\"; });",
	    "t.cfg:1: ", "UTF-8");
	expect_error("business_types = ({ code = 1; name = \"\xc0\xaf\"; });",
	    "t.cfg:1: ", "UTF-8");
	expect_error("business_types = (\n{ code = 1; name = \"N\"; "
	    "withdrawable = 1; });", "t.cfg:2: ",
	    "withdrawable must be true or false");
	expect_error("business_types = ({ code = 1; name = \"N\"; "
	    "repeatable = \"yes\"; });", "t.cfg:1: ",
	    "repeatable must be true or false");
	expect_error("business_types = (\n  { name = \"N\"; }\n);",
	    "t.cfg:2: ", "business type without a code");
	expect_quiet("business_types = (\n  { code = 4; }\n);",
	    "t.cfg:2: ", "a business type without a name", "4");
}

static void
test_unknown_settings(void **state)
{
	(void)state;
	/* The line and the settings that are known; never the name the
	 * file holds (a file the operator may not read must not leak). */
	expect_quiet("database = {\n  busy_timeout = 5000;\n};", "t.cfg:2: ",
	    "unknown setting in database (known: path, url, password_file, "
	    "app_role, busy_timeout_ms, "
	    "group_access)", "busy_timeout =");
	expect_quiet("database = { path = \"x\"; pth = \"y\"; };", "t.cfg:1: ",
	    "unknown setting in database", "pth");
	/* The server: a connection string only, and one database named. */
	expect_error("database = { url = \"/var/lib/fundflow.db\"; };",
	    "t.cfg:1: ", "database.url must be a PostgreSQL connection string");
	expect_error("database = {\n path = \"a.db\";\n url = "
	    "\"postgresql://db/ff\";\n};", "t.cfg:1: ",
	    "database.path and database.url both name a database");
	expect_error("database = { password_file = \"\"; };", "t.cfg:1: ",
	    "database.password_file is empty");
	expect_quiet("money = { currency = \"CNY\"; decimals = 2; };",
	    "t.cfg:1: ", "unknown setting in money (known: currency)",
	    "decimals");
	expect_quiet("display = { colour = true; };", "t.cfg:1: ",
	    "unknown setting in display (known: color)", "colour");
	expect_quiet("business_types = (\n{ code = 1; name = \"A\"; "
	    "withdrawble = true; });", "t.cfg:2: ",
	    "unknown setting in a business type", "withdrawble");
	expect_quiet("# comment\nbusiness_type = ();", "t.cfg:2: ",
	    "unknown setting (known: database, money, business_types, "
	    "display, feeder)", "business_type ");
	expect_quiet("version = 1;", "t.cfg:1: ", "unknown setting", "version");
	expect_quiet("secret_token = \"hunter2\";", "t.cfg:1: ",
	    "unknown setting", "secret_token");
	expect_quiet("secret_token = \"hunter2\";", "t.cfg:1: ",
	    "unknown setting", "hunter2");
}

/* feeder = { ... } (fundflow consume): defaults, every setting, and a
 * password in the URL refused without being echoed. */
static void
test_feeder(void **state)
{
	struct config *cfg;
	char *err = NULL;

	(void)state;
	cfg = config_defaults();
	assert_null(cfg->mq_url);
	assert_null(cfg->mq_queue);
	assert_int_equal(cfg->mq_prefetch, 4096);
	assert_int_equal(cfg->mq_heartbeat_s, 30);
	config_free(cfg);

	assert_int_equal(config_load_string(
	    "feeder = { url = \"amqps://fundflow@mq.example:5671/%2Fff\";\n"
	    "  queue = \"incomes\"; password_file = \"/etc/fundflow/mq.pw\";\n"
	    "  prefetch = 1; heartbeat_s = 0; cacert = \"/etc/ca.pem\"; };\n",
	    "f.cfg", &cfg, &err), 0);
	assert_string_equal(cfg->mq_url, "amqps://fundflow@mq.example:5671/%2Fff");
	assert_string_equal(cfg->mq_queue, "incomes");
	assert_string_equal(cfg->mq_password_file, "/etc/fundflow/mq.pw");
	assert_string_equal(cfg->mq_cacert, "/etc/ca.pem");
	assert_int_equal(cfg->mq_prefetch, 1);
	assert_int_equal(cfg->mq_heartbeat_s, 0);
	config_free(cfg);

	expect_quiet("feeder = { url = \"amqp://fundflow:hunter2@mq/x\"; };",
	    "t.cfg:1: ", "feeder.url holds a password", "hunter2");
	/* The user part ends at the last '@'; a ':' after it is the port. */
	expect_quiet("feeder = { url = \"amqp://a@b:s3cr@t@mq:5672/x\"; };",
	    "t.cfg:1: ", "feeder.url holds a password", "s3cr");
	assert_int_equal(config_url_has_password("amqp://fundflow@mq:5672/x"), 0);
	assert_int_equal(config_url_has_password("amqp://mq:5672/a@b"), 0);
	assert_int_equal(config_url_has_password("amqp://u:p@mq"), 1);
	expect_error("feeder = { url = \"http://mq/\"; };", "t.cfg:1: ",
	    "feeder.url must start with amqp:// or amqps://");
	expect_error("feeder = { prefetch = 0; };", "t.cfg:1: ",
	    "feeder.prefetch");
	expect_error("feeder = { prefetch = 65536; };", "t.cfg:1: ",
	    "feeder.prefetch");
	expect_error("feeder = { heartbeat_s = -1; };", "t.cfg:1: ",
	    "feeder.heartbeat_s");
	expect_error("feeder = { queue = \"\"; };", "t.cfg:1: ",
	    "feeder.queue is empty");
	expect_error("feeder = { password = \"x\"; };", "t.cfg:1: ",
	    "unknown setting in feeder (known: url, queue, password_file, "
	    "prefetch, heartbeat_s, cacert)");
	expect_error("feeder = 1;", "t.cfg:1: ", "feeder must be a group");
}

static void
test_wrong_shapes(void **state)
{
	(void)state;
	expect_error("database = \"fundflow.db\";", "t.cfg:1: ",
	    "database must be a group");
	expect_error("money = \"CNY\";", "t.cfg:1: ", "money must be a group");
	expect_error("display = true;", "t.cfg:1: ", "display must be a group");
	expect_error("display = ( { color = true; } );", "t.cfg:1: ",
	    "display must be a group");
	expect_error("business_types = [1, 2];", "t.cfg:1: ",
	    "business_types must be a list");
	expect_error("business_types = { code = 1; };", "t.cfg:1: ",
	    "business_types must be a list");
	expect_error("\nbusiness_types = ();", "t.cfg:2: ",
	    "business_types is empty");
	expect_error("business_types = (\n 5 );", "t.cfg:2: ",
	    "each business type must be a group");
	expect_error("business_types = ( ( { code = 1; name = \"A\"; } ) );",
	    "t.cfg:1: ", "each business type must be a group");
	expect_error("\n@include \"/etc/passwd\"\n", "t.cfg:2: ",
	    "@include");
}

static void
test_syntax_error(void **state)
{
	(void)state;
	expect_error("database = {\n  path = \"x\";\n  busy_timeout_ms = ;\n};",
	    "t.cfg:3: ", "syntax error");
	expect_error("money = { currency = \"CNY\" ", "t.cfg:1: ",
	    "syntax error");
	expect_error("a = 1;\n\na = 2;\n", "t.cfg:3: ", "duplicate setting");
	expect_error("database = { path = \"unterminated; };\n",
	    "t.cfg:", "");
	expect_error("}", "t.cfg:1: ", "syntax error");
	/* Strings where the grammar allows none (libconfig would leak them). */
	expect_error("database = {\n path = \"x\",\n \"y\" };", "t.cfg:3: ",
	    "syntax error");
	expect_error("money \"CNY\";", "t.cfg:1: ", "syntax error");
	expect_error("\"x\"", "t.cfg:1: ", "syntax error");
	expect_error("a = (1 \"x\");", "t.cfg:1: ", "syntax error");
	expect_error("a = \"x\"; \"y\"", "t.cfg:1: ", "syntax error");
	expect_error("a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1", "t.cfg:1: ",
	    "nested too deeply");
}

static void
test_file_errors(void **state)
{
	char *dir = testlib_tmpdir(), *path, *err = NULL, *want;
	struct config *cfg = (struct config *)1;

	(void)state;
	path = xasprintf("%s/bad.cfg", dir);
	write_file(path, "# a comment\n\ndatabase = { busy_timeout = 1; };\n");
	assert_int_equal(config_load_file(path, &cfg, &err), -1);
	assert_null(cfg);
	want = xasprintf("%s:3: unknown setting in database (known: path, "
	    "url, password_file, app_role, busy_timeout_ms, group_access)",
	    path);
	assert_non_null(err);
	assert_memory_equal(err, want, strlen(want));
	free(want);
	free(err);

	write_file(path, "money = {\n currency = \"CNY\"\n currency = \"EUR\"; };");
	assert_int_equal(config_load_file(path, &cfg, &err), -1);
	want = xasprintf("%s:3: ", path);
	assert_memory_equal(err, want, strlen(want));
	free(want);
	free(err);

	/* A NUL byte would hide the rest of the file from libconfig. */
	{
		FILE *fp = fopen(path, "w");

		assert_non_null(fp);
		fwrite("money = {};\n\0display = 1;\n", 1, 26, fp);
		fclose(fp);
	}
	assert_int_equal(config_load_file(path, &cfg, &err), -1);
	want = xasprintf("%s:2: NUL byte", path);
	assert_memory_equal(err, want, strlen(want));
	free(want);
	free(err);

	/* A good file names itself as the source. */
	write_file(path, ACCEPTANCE);
	assert_int_equal(config_load_file(path, &cfg, &err), 0);
	assert_string_equal(cfg->source, path);
	assert_string_equal(cfg->db_path, "fundflow.db");
	config_free(cfg);

	/* A directory is not a configuration file. */
	assert_int_equal(config_load_file(dir, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(strstr(err, dir));
	free(err);

	assert_int_equal(config_load_file("", &cfg, &err), -1);
	free(err);

	unlink(path);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_missing_explicit(void **state)
{
	struct config *cfg = (struct config *)1;
	char *err = NULL;
	char *dir = testlib_tmpdir(), *path = xasprintf("%s/none.cfg", dir);

	(void)state;
	assert_int_equal(config_load(path, &cfg, &err), -1);
	assert_null(cfg);
	assert_non_null(err);
	assert_memory_equal(err, path, strlen(path));
	assert_non_null(strstr(err, "cannot open"));
	free(err);

	/* Even with a good FUNDFLOW_CONFIG, the explicit path is the one. */
	setenv("FUNDFLOW_CONFIG", "assets/fundflow.cfg", 1);
	assert_int_equal(config_load(path, &cfg, &err), -1);
	free(err);
	unsetenv("FUNDFLOW_CONFIG");

	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_env_search(void **state)
{
	char *dir = testlib_tmpdir(), *path, *missing, *err = NULL;
	struct config *cfg;

	(void)state;
	isolate_env(dir);
	path = xasprintf("%s/env.cfg", dir);
	missing = xasprintf("%s/missing.cfg", dir);
	write_file(path, "money = { currency = \"EUR\"; };\n");
	setenv("FUNDFLOW_CONFIG", path, 1);
	assert_int_equal(config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg->source, path);
	assert_string_equal(cfg->currency, "EUR");
	config_free(cfg);

	/* An explicit path beats the environment. */
	write_file(missing, "money = { currency = \"USD\"; };\n");
	assert_int_equal(config_load(missing, &cfg, &err), 0);
	assert_string_equal(cfg->currency, "USD");
	config_free(cfg);
	unlink(missing);

	/* FUNDFLOW_CONFIG naming a missing file is an error, not a skip. */
	setenv("FUNDFLOW_CONFIG", missing, 1);
	assert_int_equal(config_load(NULL, &cfg, &err), -1);
	assert_null(cfg);
	assert_memory_equal(err, missing, strlen(missing));
	free(err);

	/* A bad file found through the environment names itself and a line. */
	write_file(path, "\nmoney = { currency = \"EURO\"; };\n");
	setenv("FUNDFLOW_CONFIG", path, 1);
	assert_int_equal(config_load(NULL, &cfg, &err), -1);
	{
		char *want = xasprintf("%s:2: money.currency", path);

		assert_memory_equal(err, want, strlen(want));
		free(want);
	}
	free(err);

	unsetenv("FUNDFLOW_CONFIG");
	unlink(path);
	free(path);
	free(missing);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_xdg_search(void **state)
{
	char *dir = testlib_tmpdir(), *sub, *path, *err = NULL;
	struct config *cfg;
	struct stat sb;

	(void)state;
	isolate_env(dir);
	sub = xasprintf("%s/fundflow", dir);
	path = xasprintf("%s/fundflow.cfg", sub);

	/* Nothing there: the next place, then the built-in defaults. */
	assert_int_equal(config_load(NULL, &cfg, &err), 0);
	if (stat("/etc/fundflow/fundflow.cfg", &sb) == -1) {
		assert_string_equal(cfg->source, "built-in defaults");
		assert_null(cfg->db_path);
	}
	config_free(cfg);

	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(path, "database = { path = \"xdg.db\"; };\n");
	assert_int_equal(config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg->source, path);
	assert_string_equal(cfg->db_path, "xdg.db");
	config_free(cfg);

	/* A bad file in the default place is an error, not a skip. */
	write_file(path, "database = { path = \"xdg.db\"; }\ndisplay = 3;\n");
	assert_int_equal(config_load(NULL, &cfg, &err), -1);
	{
		char *want = xasprintf("%s:2: display must be a group", path);

		assert_memory_equal(err, want, strlen(want));
		free(want);
	}
	free(err);

	/* FUNDFLOW_CONFIG comes before XDG. */
	setenv("FUNDFLOW_CONFIG", "assets/fundflow.cfg", 1);
	if (access("assets/fundflow.cfg", R_OK) == 0) {
		assert_int_equal(config_load(NULL, &cfg, &err), 0);
		assert_string_equal(cfg->source, "assets/fundflow.cfg");
		config_free(cfg);
	}
	unsetenv("FUNDFLOW_CONFIG");

	/* A relative XDG_CONFIG_HOME is ignored (HOME is used instead). */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	assert_int_equal(config_load(NULL, &cfg, &err), 0);
	assert_string_not_equal(cfg->source, path);
	config_free(cfg);

	unlink(path);
	rmdir(sub);
	free(sub);
	free(path);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_home_search(void **state)
{
	char *dir = testlib_tmpdir(), *d1, *d2, *path, *err = NULL;
	struct config *cfg;

	(void)state;
	isolate_env(NULL);
	setenv("HOME", dir, 1);
	d1 = xasprintf("%s/.config", dir);
	d2 = xasprintf("%s/fundflow", d1);
	path = xasprintf("%s/fundflow.cfg", d2);
	assert_int_equal(mkdir(d1, 0700), 0);
	assert_int_equal(mkdir(d2, 0700), 0);
	write_file(path, "display = { color = false; };\n");
	assert_int_equal(config_load(NULL, &cfg, &err), 0);
	assert_string_equal(cfg->source, path);
	assert_int_equal(cfg->color, 0);
	config_free(cfg);

	unlink(path);
	rmdir(d2);
	rmdir(d1);
	free(path);
	free(d2);
	free(d1);
	testlib_rmdir(dir);
	free(dir);
}

static void
test_assets_equal_defaults(void **state)
{
	const char *path = "assets/fundflow.cfg";
	struct config *cfg, *def = config_defaults();
	char *err = NULL;

	(void)state;
	if (access(path, R_OK) != 0)
		path = "../assets/fundflow.cfg";
	if (config_load_file(path, &cfg, &err) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg->source, path);
	expect_same(cfg, def);
	config_free(cfg);
	config_free(def);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_acceptance_shape),
		cmocka_unit_test(test_partial_groups),
		cmocka_unit_test(test_types_replace),
		cmocka_unit_test(test_int64_and_hex),
		cmocka_unit_test(test_unicode_name),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_unknown_settings),
		cmocka_unit_test(test_wrong_shapes),
		cmocka_unit_test(test_feeder),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_missing_explicit),
		cmocka_unit_test(test_env_search),
		cmocka_unit_test(test_xdg_search),
		cmocka_unit_test(test_home_search),
		cmocka_unit_test(test_assets_equal_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
