/*
 * statements.c — the SQL of every statement the PostgreSQL engine runs,
 * indexed by enum pg_stmt (internal.h): the same statements as SQLite's
 * (store/sqlite/statements.c), in PostgreSQL's words.  Each is prepared
 * once per connection on first use.  The column order of each SELECT is
 * what the reader beside its caller expects.
 *
 * Where SQLite has one write lock, PostgreSQL locks rows: a write on an
 * account first locks that account's row (PG_ACCOUNT_LOCK), and a
 * decision locks its application (PG_WD_GET_LOCK), so two writers on one
 * account wait for each other and writers on different accounts do not.
 */
#include "store/pg/internal.h"

#define BRANCH_COLS "id, code, name, active, created_at FROM public.branch "
/* Pending totals past an int64 read as NULL: the account still shows. */
#define ACCOUNT_COLS \
	"a.branch_id, COALESCE(b.code, '?'), COALESCE(b.name, '?'), a.balance, " \
	"a.withdrawable, a.total_withdrawn, " \
	"(SELECT COUNT(*) FROM public.withdrawal w WHERE w.status = 'pending' " \
	"  AND w.branch_id = a.branch_id), " \
	"(SELECT CASE WHEN s > 9223372036854775807 THEN NULL ELSE s END FROM " \
	"  (SELECT COALESCE(SUM(w.amount), 0) AS s FROM public.withdrawal w " \
	"   WHERE w.status = 'pending' AND w.branch_id = a.branch_id) p) " \
	"FROM public.account a LEFT JOIN public.branch b ON b.id = a.branch_id "
#define OPERATOR_COLS \
	"o.id, o.login, o.name, o.role, COALESCE(o.branch_id, 0), " \
	"COALESCE(b.code, ''), o.active, o.pwhash, o.created_at, " \
	"COALESCE(o.created_by, 0), COALESCE(o.confirmed_by, 0), o.alone, " \
	"o.must_change, o.awaiting, COALESCE(o.awaiting_by, 0), " \
	"COALESCE(x.login, ''), o.awaiting_pwhash " \
	"FROM public.operator o LEFT JOIN public.branch b ON b.id = o.branch_id " \
	"LEFT JOIN public.operator x ON x.id = o.awaiting_by "
#define INCOME_COLS \
	"i.id, i.branch_id, COALESCE(b.code, '?'), i.buss_type, i.ref_id, " \
	"i.event_id, i.ikey, i.amount, i.withdrawable, i.occurred_at, " \
	"i.received_at FROM public.income i " \
	"LEFT JOIN public.branch b ON b.id = i.branch_id "
#define CONFLICT_COLS \
	"c.id, c.income_id, c.branch_id, COALESCE(b.code, '?'), c.buss_type, " \
	"c.ref_id, c.event_id, c.amount, c.occurred_at, c.received_at " \
	"FROM public.income_conflict c LEFT JOIN public.branch b ON b.id = c.branch_id "
#define LEDGER_COLS \
	"l.id, l.account_id, COALESCE(b.code, '?'), l.seq, l.kind, " \
	"COALESCE(l.income_id, l.withdrawal_id, 0), l.pre_amount, l.amount, " \
	"l.post_amount, l.at, l.actor, l.hash, COALESCE(i.buss_type, 0), " \
	"COALESCE(i.ref_id, 'W' || l.withdrawal_id, '') "
#define SOURCE_COLS \
	"COALESCE(i.buss_type, 0), COALESCE(i.ikey, ''), " \
	"COALESCE(i.ref_id, ''), COALESCE(i.event_id, ''), " \
	"COALESCE(i.withdrawable, 0), COALESCE(w.applicant_id, 0), " \
	"COALESCE(w.decided_by, 0), COALESCE(w.status, ''), " \
	"COALESCE(w.flow, 0) "
#define LEDGER_FROM \
	"FROM public.ledger l LEFT JOIN public.branch b ON b.id = l.account_id " \
	"LEFT JOIN public.income i ON i.id = l.income_id "
/* $2 business type (0 all, -1 withdrawals), $3 reference, $4 since,
 * $5 until, $7 limit (NULL: none). */
#define LEDGER_FILTER \
	"AND ($2::integer = 0 OR ($2 = -1 AND l.kind = 'withdrawal') " \
	"  OR i.buss_type = $2) " \
	"AND ($3::text IS NULL OR COALESCE(i.ref_id, 'W' || l.withdrawal_id) = $3) " \
	"AND ($4::text IS NULL OR l.at >= $4) AND ($5::text IS NULL OR l.at < $5) "
#define SEQ_OF(id) "(SELECT seq FROM public.ledger WHERE id = " id ")"
#define WD_COLS \
	"w.id, w.branch_id, COALESCE(b.code, '?'), w.amount, w.note, " \
	"w.applicant_id, COALESCE(a.login, ''), w.applied_at, w.flow, w.status, " \
	"COALESCE(w.decided_by, 0), COALESCE(d.login, ''), " \
	"COALESCE(w.decided_at, ''), w.reason FROM public.withdrawal w " \
	"LEFT JOIN public.branch b ON b.id = w.branch_id " \
	"LEFT JOIN public.operator a ON a.id = w.applicant_id " \
	"LEFT JOIN public.operator d ON d.id = w.decided_by "
/* Many rows to a statement: arrays, one parameter a column. */
#define INCOME_ROWS \
	"INSERT INTO public.income (id, branch_id, buss_type, ref_id, " \
	"event_id, ikey, amount, withdrawable, occurred_at, received_at) " \
	"SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], " \
	"$4::text[], $5::text[], $6::text[], $7::bigint[], $8::integer[], " \
	"$9::text[], $10::text[])"
#define LEDGER_ROWS \
	"INSERT INTO public.ledger (id, account_id, seq, kind, income_id, " \
	"withdrawal_id, pre_amount, amount, post_amount, at, actor, hash) " \
	"SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], " \
	"$4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], " \
	"$9::bigint[], $10::text[], $11::text[], $12::bytea[])"

const char *const pg_sql[PG_COUNT] = {
	[PG_BRANCH_ADD] = "INSERT INTO public.branch (code, name, active, "
	    "created_at) VALUES ($1, $2, 1, $3) RETURNING id",
	[PG_BRANCH_GET] = "SELECT " BRANCH_COLS "WHERE code = $1",
	[PG_BRANCH_GET_ID] = "SELECT " BRANCH_COLS "WHERE id = $1",
	[PG_BRANCH_LIST] = "SELECT " BRANCH_COLS "ORDER BY code COLLATE \"C\"",
	[PG_ACCOUNT_LIST] = "SELECT " ACCOUNT_COLS
	    "WHERE $1::bigint = 0 OR a.branch_id = $1 ORDER BY b.code COLLATE \"C\"",
	[PG_ACCOUNT_GET] = "SELECT balance, withdrawable, total_withdrawn "
	    "FROM public.account WHERE branch_id = $1",
	[PG_ACCOUNT_LOCK] = "SELECT balance, withdrawable, total_withdrawn "
	    "FROM public.account WHERE branch_id = $1 FOR UPDATE",
	[PG_ACCOUNT_SET] = "UPDATE public.account SET balance = $2, "
	    "withdrawable = $3, total_withdrawn = $4 WHERE branch_id = $1",
	[PG_LEDGER_HEAD] = "SELECT seq, post_amount, hash FROM public.ledger "
	    "WHERE account_id = $1 ORDER BY seq DESC LIMIT 1",

	[PG_OPERATOR_ADD] = "INSERT INTO public.operator (login, name, role, "
	    "branch_id, pwhash, active, created_at, created_by, alone, awaiting, "
	    "awaiting_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10) "
	    "RETURNING id",
	[PG_OPERATOR_GET] = "SELECT " OPERATOR_COLS "WHERE o.login = $1",
	[PG_OPERATOR_SET_PW] = "UPDATE public.operator SET pwhash = $2, "
	    "must_change = $3, alone = GREATEST(alone, $4), "
	    "awaiting = CASE WHEN awaiting = 'reset' THEN '' ELSE awaiting END, "
	    "awaiting_by = CASE WHEN awaiting = 'reset' THEN NULL "
	    "  ELSE awaiting_by END, "
	    "awaiting_pwhash = '' WHERE id = $1",
	[PG_OPERATOR_SET_ACTIVE] = "UPDATE public.operator SET active = $2, "
	    "alone = GREATEST(alone, $3) WHERE id = $1",
	[PG_OPERATOR_AWAIT] = "UPDATE public.operator SET awaiting = $2, "
	    "awaiting_by = $3, awaiting_pwhash = $4 WHERE id = $1",
	[PG_OPERATOR_CONFIRM] = "UPDATE public.operator SET "
	    "active = CASE WHEN awaiting = 'enable' THEN 1 ELSE active END, "
	    "pwhash = CASE WHEN awaiting = 'reset' THEN awaiting_pwhash "
	    "  ELSE pwhash END, "
	    "must_change = CASE WHEN awaiting = 'reset' THEN 1 "
	    "  ELSE must_change END, "
	    "confirmed_by = $2, awaiting = '', awaiting_by = NULL, "
	    "awaiting_pwhash = '' WHERE id = $1 AND awaiting <> ''",
	[PG_OPERATOR_ADMINS] = "SELECT COUNT(*) FROM public.operator WHERE "
	    "role = 'admin' AND active = 1 AND awaiting <> 'grant'",
	[PG_OPERATOR_LIST] = "SELECT " OPERATOR_COLS
	    "ORDER BY o.login COLLATE \"C\"",
	[PG_OPERATOR_COUNT] = "SELECT COUNT(*) FROM public.operator",

	[PG_INCOME_FIND] = "SELECT id, branch_id, amount FROM public.income "
	    "WHERE buss_type = $1 AND ikey = $2",
	/* $1, $2: the keys' types and ikeys, as arrays. */
	[PG_INCOME_PREFETCH] = "SELECT i.buss_type, i.ikey, i.id, i.branch_id, "
	    "i.amount FROM unnest($1::integer[], $2::text[]) AS k(t, key) "
	    "JOIN public.income i ON i.buss_type = k.t AND i.ikey = k.key",
	[PG_INCOME_ADD] = "INSERT INTO public.income (branch_id, buss_type, "
	    "ref_id, event_id, ikey, amount, withdrawable, occurred_at, "
	    "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
	[PG_INCOME_ADD_ROW] = "INSERT INTO public.income (id, branch_id, "
	    "buss_type, ref_id, event_id, ikey, amount, withdrawable, "
	    "occurred_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
	    "$9, $10)",
	[PG_INCOME_ADD_ROWS] = INCOME_ROWS,
	[PG_INCOME_IDS] = "SELECT nextval(pg_get_serial_sequence('public.income', "
	    "'id')) FROM generate_series(1, $1)",
	[PG_CONFLICT_ADD] = "INSERT INTO public.income_conflict (income_id, "
	    "branch_id, buss_type, ref_id, event_id, amount, occurred_at, "
	    "received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
	    "ON CONFLICT (income_id, branch_id, amount, event_id) DO NOTHING",
	[PG_INCOME_EACH] = "SELECT " INCOME_COLS
	    "WHERE i.id < $3 AND ($1::bigint = 0 OR i.branch_id = $1) "
	    "AND ($2::integer = 0 OR i.buss_type = $2) ORDER BY i.id DESC LIMIT $4",
	[PG_CONFLICT_EACH] = "SELECT " CONFLICT_COLS
	    "WHERE $1::bigint = 0 OR c.branch_id = $1 ORDER BY c.id DESC",

	[PG_REHASH_LIST] = "SELECT account_id, seq, old_head, new_head, at "
	    "FROM public.chain_rehash ORDER BY account_id",
	[PG_LEDGER_ADD] = "INSERT INTO public.ledger (account_id, seq, kind, "
	    "income_id, withdrawal_id, pre_amount, amount, post_amount, at, "
	    "actor, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
	    "RETURNING id",
	[PG_LEDGER_ADD_ROW] = "INSERT INTO public.ledger (id, account_id, seq, "
	    "kind, income_id, withdrawal_id, pre_amount, amount, post_amount, at, "
	    "actor, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "$12)",
	[PG_LEDGER_ADD_ROWS] = LEDGER_ROWS,
	[PG_LEDGER_IDS] = "SELECT nextval(pg_get_serial_sequence('public.ledger', "
	    "'id')) FROM generate_series(1, $1)",
	[PG_LEDGER_EACH] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.id < $6 AND $1::bigint = 0 " LEDGER_FILTER
	    "ORDER BY l.id DESC LIMIT $7",
	[PG_LEDGER_EACH_ACCOUNT] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.account_id = $1 AND l.seq < COALESCE(" SEQ_OF("$6::bigint")
	    ", 9223372036854775807) " LEDGER_FILTER "ORDER BY l.seq DESC LIMIT $7",
	[PG_LEDGER_EACH_ASC] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.id > $6 AND $1::bigint = 0 " LEDGER_FILTER
	    "ORDER BY l.id ASC LIMIT $7",
	[PG_LEDGER_EACH_ACCOUNT_ASC] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.account_id = $1 AND l.seq > COALESCE("
	    SEQ_OF("$6::bigint") ", 0) " LEDGER_FILTER
	    "ORDER BY l.seq ASC LIMIT $7",
	[PG_LEDGER_MAX_ID] = "SELECT COALESCE(MAX(id), 0) FROM public.ledger",
	[PG_LEDGER_GET] = "SELECT " LEDGER_COLS ", " SOURCE_COLS LEDGER_FROM
	    "LEFT JOIN public.withdrawal w ON w.id = l.withdrawal_id "
	    "WHERE l.id = $1",

	[PG_WD_ADD] = "INSERT INTO public.withdrawal (branch_id, amount, note, "
	    "applicant_id, applied_at, flow) VALUES ($1, $2, $3, $4, $5, $6) "
	    "RETURNING id",
	[PG_WD_GET] = "SELECT " WD_COLS "WHERE w.id = $1",
	[PG_WD_GET_LOCK] = "SELECT " WD_COLS "WHERE w.id = $1 FOR UPDATE OF w",
	[PG_WD_DECIDE] = "UPDATE public.withdrawal SET status = $2, "
	    "decided_by = $3, decided_at = $4, reason = $5 "
	    "WHERE id = $1 AND status = 'pending'",
	[PG_WD_LIST] = "SELECT " WD_COLS "WHERE ($1::bigint = 0 OR "
	    "w.branch_id = $1) AND ($2::text IS NULL OR w.status = $2) "
	    "ORDER BY w.id",

	[PG_ACTIVITY_ADD] = "INSERT INTO public.activity (at, actor, action, "
	    "target, ok, detail) VALUES ($1, $2, $3, $4, $5, $6)",
	[PG_ACTIVITY_EACH] = "SELECT id, at, actor, action, target, ok, detail "
	    "FROM public.activity ORDER BY id DESC LIMIT $1",
	[PG_ACTIVITY_FIND] = "SELECT 1 FROM public.activity WHERE action = $1 "
	    "ORDER BY id LIMIT 1",
	[PG_RELEASE_ADD] = "INSERT INTO public.release_record (version, "
	    "git_commit, schema_version, at, host, os_user) "
	    "VALUES ($1, $2, $3, $4, $5, $6) "
	    "ON CONFLICT (version, git_commit) DO NOTHING",
	[PG_RELEASE_LIST] = "SELECT id, version, git_commit, schema_version, at, "
	    "host, os_user FROM public.release_record ORDER BY id",

	/* The audit's walk, account by account in the order of each chain:
	 * ids come from a sequence, so across accounts they need not follow
	 * the order of commits. */
	[PG_AUDIT_CHAIN] = "SELECT l.id, l.account_id, l.seq, "
	    "(l.kind = 'withdrawal')::integer, "
	    "COALESCE(l.income_id, l.withdrawal_id, 0), "
	    "l.pre_amount, l.amount, l.post_amount, l.at, l.actor, l.hash, "
	    "(i.id IS NOT NULL OR w.id IS NOT NULL)::integer, "
	    "COALESCE(i.branch_id, w.branch_id, 0), "
	    "COALESCE(i.amount, -w.amount, 0), w.status, "
	    "COALESCE(i.withdrawable, 0), " SOURCE_COLS "FROM public.ledger l "
	    "LEFT JOIN public.income i ON i.id = l.income_id "
	    "LEFT JOIN public.withdrawal w ON w.id = l.withdrawal_id "
	    "ORDER BY l.account_id, l.seq",
	[PG_AUDIT_DUP_REF] = "SELECT buss_type, ref_id, COUNT(*) "
	    "FROM public.income GROUP BY ref_id, buss_type HAVING COUNT(*) > 1",
	[PG_AUDIT_DUP_IDS] = "SELECT MIN(id), MAX(id) FROM public.income "
	    "WHERE ref_id = $1 AND buss_type = $2",
	[PG_AUDIT_INCOMES] = "SELECT id, branch_id, amount, withdrawable "
	    "FROM public.income ORDER BY id",
	[PG_AUDIT_WITHDRAWALS] = "SELECT id, branch_id, amount, 0, status "
	    "FROM public.withdrawal ORDER BY id",
	/* Every guard of schema.sql, with whether it is there and on. */
	[PG_AUDIT_SCHEMA] = "SELECT c.relname, t.tgname, t.tgenabled "
	    "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c "
	    "ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n "
	    "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
	    "AND NOT t.tgisinternal ORDER BY c.relname, t.tgname",
	/* The feeders' turn ("fundflow feed"), held to the end of the
	 * transaction. */
	[PG_FEED_LOCK] = "SELECT pg_catalog.pg_advisory_xact_lock(7100231151)",
	[PG_SCHEMA_VERSION] = "SELECT version FROM public.schema_version",
};
