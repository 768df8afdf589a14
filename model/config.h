/*
 * config.h — the libconfig settings file and the built-in defaults.
 *
 * Search order (first that applies wins): the path given (--config), else
 * $FUNDFLOW_CONFIG, else $XDG_CONFIG_HOME/fundflow/fundflow.cfg (with
 * XDG_CONFIG_HOME defaulting to $HOME/.config), else
 * /etc/fundflow/fundflow.cfg, else the built-in defaults that
 * assets/fundflow.cfg documents.  A path given explicitly (option or
 * environment) must exist; the two default locations are skipped when absent.
 * A file that exists but is malformed or holds an unknown or invalid setting
 * is an error that names the file and the line.
 */
#ifndef FF_CONFIG_H
#define FF_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "store/types.h"

struct buss_type {
	int32_t code;			/* > 0, unique */
	char name[FF_NAME_MAX + 1];
	int withdrawable;		/* counts into the withdrawable amount */
	int repeatable;			/* keyed by event id, not reference */
};

struct config {
	char *source;			/* file read, or "built-in defaults" */
	char *db_path;			/* database.path; NULL when not set */
	char *db_url;			/* database.url (PostgreSQL); NULL */
	char *db_password_file;		/* database.password_file; NULL */
	char *db_app_role;		/* database.app_role; NULL: the
					   default, fundflow_app */
	int busy_timeout_ms;		/* database.busy_timeout_ms, default 5000 */
	char currency[8];		/* money.currency, default "CNY" */
	int group_access;		/* database.group_access, default 0: new
					   database files are rw for the owner's
					   group too (a service group) */
	int color;			/* display.color, default 1 */
	/* feeder = { ... }: the broker `fundflow consume` reads (model/
	 * source_amqp.c); NULL / 0 when not set. */
	char *mq_url;			/* feeder.url, amqp:// or amqps://,
					   never with a password */
	char *mq_queue;			/* feeder.queue, default "incomes" */
	char *mq_password_file;		/* feeder.password_file */
	char *mq_cacert;		/* feeder.cacert (amqps) */
	int mq_prefetch;		/* feeder.prefetch, default 4096 */
	int mq_heartbeat_s;		/* feeder.heartbeat_s, default 30 */
	struct buss_type *types;	/* business_types, in file order */
	size_t ntypes;
};

/*
 * Finds and loads the configuration by the search order above.  explicit_path
 * may be NULL.  On success returns 0 and *out is a config the caller frees
 * with config_free().  On failure returns -1, *out is NULL and *err is a
 * message the caller frees ("FILE:LINE: what is wrong").
 */
int config_load(const char *explicit_path, struct config **out, char **err);

/*
 * Loads the installed configuration alone (FF_SYSCONFDIR/fundflow.cfg,
 * compiled in; the built-in defaults when there is none), as a privileged
 * fundflow must: refused unless it is a regular file owned by root and
 * writable by root alone (-2, with *err saying so).  Otherwise the same
 * contract as config_load.
 */
int config_load_installed(struct config **out, char **err);
/* The installed configuration's path (compiled in). */
const char *config_installed_path(void);

/* Loads exactly one file; same contract as config_load. */
int config_load_file(const char *path, struct config **out, char **err);

/* Loads a configuration from text in memory (tests, fuzzing); name is used
 * in messages.  Same contract as config_load. */
int config_load_string(const char *text, const char *name, struct config **out,
    char **err);

/* The built-in defaults; never fails; caller frees with config_free(). */
struct config *config_defaults(void);

/* The business type with this code, or NULL. */
const struct buss_type *config_type(const struct config *cfg, int32_t code);

/* 1 when an amqp:// (or any scheme://) URL carries a password in its
 * user part ("user:secret@host"), which would show in `ps` or in a file
 * operators read. */
int config_url_has_password(const char *url);

/* Frees cfg; config_free(NULL) is safe. */
void config_free(struct config *cfg);

#endif
