/*
 * copy.c — writing a company copied from another database: every row with
 * the id it had, through the same guards as any write (store.h, "copying
 * a company"), then each id sequence moved past the ids written.
 */
#include <string.h>

#include "store/pg/internal.h"

/* An id, or NULL for 0 (no such reference). */
static void
copy_ref(struct pg_params *p, int64_t id)
{
	if (id != 0)
		pg_p_int(p, id);
	else
		pg_p_text(p, NULL);
}

int
pg_branch_put(struct pg_store *st, const struct branch *b)
{
	struct pg_params p = { 0 };
	int rc;

	pg_p_int(&p, b->id);
	pg_p_text(&p, b->code);
	pg_p_text(&p, b->name);
	pg_p_int(&p, b->active ? 1 : 0);
	pg_p_text(&p, b->created_at);
	if ((rc = pg_simple_params(st, "INSERT INTO public.branch (id, code, "
	    "name, active, created_at) VALUES ($1, $2, $3, $4, $5)", &p)) !=
	    STORE_OK)
		return rc;
	p.n = 0;
	pg_p_int(&p, b->id);
	return pg_simple_params(st, "INSERT INTO public.account (branch_id) "
	    "VALUES ($1)", &p);
}

int
pg_operator_put(struct pg_store *st, const struct operator *op, int links)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, op->id);
	if (links) {
		copy_ref(&p, op->confirmed_by);
		pg_p_text(&p, op->awaiting);
		copy_ref(&p, op->awaiting_by);
		pg_p_text(&p, op->awaiting_pwhash);
		return pg_simple_params(st, "UPDATE public.operator SET "
		    "confirmed_by = $2, awaiting = $3, awaiting_by = $4, "
		    "awaiting_pwhash = $5 WHERE id = $1", &p);
	}
	pg_p_text(&p, op->login);
	pg_p_text(&p, op->name);
	pg_p_text(&p, role_name(op->role));
	copy_ref(&p, op->branch_id);
	pg_p_text(&p, op->pwhash);
	pg_p_int(&p, op->active ? 1 : 0);
	pg_p_text(&p, op->created_at);
	copy_ref(&p, op->created_by);
	pg_p_int(&p, op->alone ? 1 : 0);
	pg_p_int(&p, op->must_change ? 1 : 0);
	return pg_simple_params(st, "INSERT INTO public.operator (id, login, "
	    "name, role, branch_id, pwhash, active, created_at, created_by, "
	    "alone, must_change) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	    "$10, $11)", &p);
}

int
pg_withdrawal_put(struct pg_store *st, const struct withdrawal *w)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, w->id);
	pg_p_int(&p, w->branch_id);
	pg_p_int(&p, w->amount);
	pg_p_text(&p, w->note);
	pg_p_int(&p, w->applicant_id);
	pg_p_text(&p, w->applied_at);
	pg_p_int(&p, w->flow);
	return pg_simple_params(st, "INSERT INTO public.withdrawal (id, "
	    "branch_id, amount, note, applicant_id, applied_at, flow) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7)", &p);
}

int
pg_conflict_put(struct pg_store *st, const struct conflict *c)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, c->id);
	pg_p_int(&p, c->income_id);
	pg_p_int(&p, c->branch_id);
	pg_p_int(&p, c->buss_type);
	pg_p_text(&p, c->ref_id);
	pg_p_text(&p, c->event_id);
	pg_p_int(&p, c->amount);
	pg_p_text(&p, c->occurred_at);
	pg_p_text(&p, c->received_at);
	return pg_simple_params(st, "INSERT INTO public.income_conflict (id, "
	    "income_id, branch_id, buss_type, ref_id, event_id, amount, "
	    "occurred_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9)", &p);
}

int
pg_activity_put(struct pg_store *st, const struct activity *a)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, a->id);
	pg_p_text(&p, a->at);
	pg_p_text(&p, a->actor);
	pg_p_text(&p, a->action);
	pg_p_text(&p, a->target);
	pg_p_int(&p, a->ok ? 1 : 0);
	pg_p_text(&p, a->detail);
	return pg_simple_params(st, "INSERT INTO public.activity (id, at, "
	    "actor, action, target, ok, detail) VALUES ($1, $2, $3, $4, $5, "
	    "$6, $7)", &p);
}

/* The copy's own release (recorded when the target was opened) is kept;
 * the source's record comes first by its ids. */
int
pg_release_put(struct pg_store *st, const struct release *r)
{
	struct pg_params p = { 0 };

	pg_p_int(&p, r->id);
	pg_p_text(&p, r->version);
	pg_p_text(&p, r->git_commit);
	pg_p_int(&p, r->schema_version);
	pg_p_text(&p, r->at);
	pg_p_text(&p, r->host);
	pg_p_text(&p, r->os_user);
	return pg_simple_params(st, "INSERT INTO public.release_record (id, "
	    "version, git_commit, schema_version, at, host, os_user) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", &p);
}

int
pg_ids_settle(struct pg_store *st)
{
	static const char *const tables[] = { "branch", "operator", "income",
	    "income_conflict", "withdrawal", "ledger", "activity",
	    "release_record" };
	char sql[256];
	int rc;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence("
		    "'public.%s', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) "
		    "FROM public.%s), 1))", tables[i], tables[i]);
		if ((rc = pg_simple(st, sql)) != STORE_OK)
			return rc;
	}
	st->nincome_ids = st->nentry_ids = 0;
	return STORE_OK;
}
