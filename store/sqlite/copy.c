/* copy.c — a copy of a company goes to a server: SQLite refuses. */
#include <stdio.h>

#include "internal.h"

static int
copy_refuse(struct sq_store *st)
{
	snprintf(st->errmsg, sizeof(st->errmsg), "a copy of a company goes to "
	    "a PostgreSQL database, not to a SQLite file");
	return STORE_ERROR;
}

int
sq_branch_put(struct sq_store *st, const struct branch *b)
{
	(void)b;
	return copy_refuse(st);
}

int
sq_operator_put(struct sq_store *st, const struct operator *op, int links)
{
	(void)op;
	(void)links;
	return copy_refuse(st);
}

int
sq_withdrawal_put(struct sq_store *st, const struct withdrawal *w)
{
	(void)w;
	return copy_refuse(st);
}

int
sq_conflict_put(struct sq_store *st, const struct conflict *c)
{
	(void)c;
	return copy_refuse(st);
}

int
sq_activity_put(struct sq_store *st, const struct activity *a)
{
	(void)a;
	return copy_refuse(st);
}

int
sq_release_put(struct sq_store *st, const struct release *r)
{
	(void)r;
	return copy_refuse(st);
}

int
sq_ids_settle(struct sq_store *st)
{
	return copy_refuse(st);
}
