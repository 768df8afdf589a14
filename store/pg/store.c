/* store.c — the PostgreSQL connection: open, close, transactions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/internal.h"
#include "store/xmalloc.h"

int
pg_is_conninfo(const char *name)
{
	const char *p = name;

	if (strncmp(name, "postgresql://", 13) == 0 ||
	    strncmp(name, "postgres://", 11) == 0)
		return 1;
	/* libpq keywords: "host=... dbname=...", a word then '='. */
	while (*p == ' ')
		p++;
	if (!islower((unsigned char)*p))
		return 0;
	while (islower((unsigned char)*p) || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	return *p == '=';
}

int
pg_todo(struct pg_store *st, const char *what)
{
	snprintf(st->errmsg, sizeof(st->errmsg),
	    "%s is not available on PostgreSQL yet", what);
	return STORE_ERROR;
}
