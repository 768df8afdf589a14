/*
 * statements.c — the SQL of every statement the store runs, indexed by
 * enum stmt_id (internal.h).  Each is prepared once per connection, on
 * first use, with SQLITE_PREPARE_PERSISTENT, then bound, stepped and reset.
 * The column order of each SELECT is what the reader beside its caller
 * expects.
 */
#include "internal.h"

#define BRANCH_COLS "id, code, name, active, created_at FROM branch "
#define ACCOUNT_COLS \
	"a.branch_id, COALESCE(b.code, '?'), COALESCE(b.name, '?'), a.balance, " \
	"a.withdrawable, a.total_withdrawn, " \
	"(SELECT COUNT(*) FROM withdrawal w WHERE w.status = 'pending' " \
	"  AND w.branch_id = a.branch_id), " \
	"(SELECT ff_sum(w.amount) FROM withdrawal w " \
	"  WHERE w.status = 'pending' AND w.branch_id = a.branch_id) " \
	"FROM account a LEFT JOIN branch b ON b.id = a.branch_id "
#define OPERATOR_COLS \
	"o.id, o.login, o.name, o.role, COALESCE(o.branch_id, 0), " \
	"COALESCE(b.code, ''), o.active, o.pwhash, o.created_at, " \
	"COALESCE(o.created_by, 0), COALESCE(o.confirmed_by, 0), o.alone, " \
	"o.must_change, o.awaiting, COALESCE(o.awaiting_by, 0), " \
	"COALESCE(x.login, ''), o.awaiting_pwhash " \
	"FROM operator o LEFT JOIN branch b ON b.id = o.branch_id " \
	"LEFT JOIN operator x ON x.id = o.awaiting_by "
#define INCOME_COLS \
	"i.id, i.branch_id, COALESCE(b.code, '?'), i.buss_type, i.ref_id, " \
	"i.event_id, i.ikey, i.amount, i.withdrawable, i.occurred_at, " \
	"i.received_at FROM income i LEFT JOIN branch b ON b.id = i.branch_id "
#define CONFLICT_COLS \
	"c.id, c.income_id, c.branch_id, COALESCE(b.code, '?'), c.buss_type, " \
	"c.ref_id, c.event_id, c.amount, c.occurred_at, c.received_at " \
	"FROM income_conflict c LEFT JOIN branch b ON b.id = c.branch_id "
#define LEDGER_COLS \
	"l.id, l.account_id, COALESCE(b.code, '?'), l.seq, l.kind, " \
	"COALESCE(l.income_id, l.withdrawal_id, 0), l.pre_amount, l.amount, " \
	"l.post_amount, l.at, l.actor, l.hash, COALESCE(i.buss_type, 0), " \
	"COALESCE(i.ref_id, 'W' || l.withdrawal_id, '') "
/* What of an entry's source (income i, withdrawal w) its hash covers. */
#define SOURCE_COLS \
	"COALESCE(i.buss_type, 0), COALESCE(i.ikey, ''), " \
	"COALESCE(i.ref_id, ''), COALESCE(i.event_id, ''), " \
	"COALESCE(i.withdrawable, 0), COALESCE(w.applicant_id, 0), " \
	"COALESCE(w.decided_by, 0), COALESCE(w.status, ''), " \
	"COALESCE(w.flow, 0) "
#define LEDGER_FROM \
	"FROM ledger l LEFT JOIN branch b ON b.id = l.account_id " \
	"LEFT JOIN income i ON i.id = l.income_id "
/* ?2 business type (0 all, -1 withdrawals), ?3 reference, ?4 since,
 * ?5 until, ?7 limit (-1: none). */
#define LEDGER_FILTER \
	"AND (?2 = 0 OR (?2 = -1 AND l.kind = 'withdrawal') OR i.buss_type = ?2) " \
	"AND (?3 IS NULL OR COALESCE(i.ref_id, 'W' || l.withdrawal_id) = ?3) " \
	"AND (?4 IS NULL OR l.at >= ?4) AND (?5 IS NULL OR l.at < ?5) "
/* Rows written many to a statement, ids chosen by the writer: see
 * sq_income_add_rows() and sq_ledger_add_rows(). */
#define ROWS32(r) ROWS8(r) "," ROWS8(r) "," ROWS8(r) "," ROWS8(r)
#define ROWS8(r) r "," r "," r "," r "," r "," r "," r "," r
#define INCOME_ROW_COLS "INSERT INTO income (id, branch_id, buss_type, " \
	"ref_id, event_id, ikey, amount, withdrawable, occurred_at, " \
	"received_at) VALUES "
#define INCOME_ROW "(?,?,?,?,?,?,?,?,?,?)"
#define LEDGER_ROW_COLS "INSERT INTO ledger (id, account_id, seq, kind, " \
	"income_id, withdrawal_id, pre_amount, amount, post_amount, at, actor, " \
	"hash) VALUES "
#define LEDGER_ROW "(?,?,?,?,?,?,?,?,?,?,?,?)"
#define SEQ_OF(id) "(SELECT seq FROM ledger WHERE id = " id ")"
#define WD_COLS \
	"w.id, w.branch_id, COALESCE(b.code, '?'), w.amount, w.note, " \
	"w.applicant_id, COALESCE(a.login, ''), w.applied_at, w.flow, w.status, " \
	"COALESCE(w.decided_by, 0), COALESCE(d.login, ''), " \
	"COALESCE(w.decided_at, ''), w.reason FROM withdrawal w " \
	"LEFT JOIN branch b ON b.id = w.branch_id " \
	"LEFT JOIN operator a ON a.id = w.applicant_id " \
	"LEFT JOIN operator d ON d.id = w.decided_by "

const char *const sq_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_USER_VERSION] = "PRAGMA user_version",

	[ST_BRANCH_ADD] = "INSERT INTO branch (code, name, active, created_at) "
	    "VALUES (?1, ?2, 1, ?3)",
	[ST_ACCOUNT_ADD] = "INSERT INTO account (branch_id) VALUES (?1)",
	[ST_BRANCH_GET] = "SELECT " BRANCH_COLS "WHERE code = ?1",
	[ST_BRANCH_GET_ID] = "SELECT " BRANCH_COLS "WHERE id = ?1",
	[ST_BRANCH_LIST] = "SELECT " BRANCH_COLS "ORDER BY code",
	[ST_ACCOUNT_LIST] = "SELECT " ACCOUNT_COLS
	    "WHERE ?1 = 0 OR a.branch_id = ?1 ORDER BY b.code",
	[ST_ACCOUNT_GET] = "SELECT balance, withdrawable, total_withdrawn "
	    "FROM account WHERE branch_id = ?1",
	[ST_ACCOUNT_SET] = "UPDATE account SET balance = ?2, withdrawable = ?3, "
	    "total_withdrawn = ?4 WHERE branch_id = ?1",
	[ST_LEDGER_HEAD] = "SELECT seq, post_amount, hash FROM ledger "
	    "WHERE account_id = ?1 ORDER BY seq DESC LIMIT 1",

	[ST_OPERATOR_ADD] = "INSERT INTO operator (login, name, role, branch_id, "
	    "pwhash, active, created_at, created_by, alone, awaiting, "
	    "awaiting_by) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9, ?10)",
	[ST_OPERATOR_GET] = "SELECT " OPERATOR_COLS "WHERE o.login = ?1",
	[ST_OPERATOR_SET_PW] = "UPDATE operator SET pwhash = ?2, "
	    "must_change = ?3, alone = (alone OR ?4), "
	    "awaiting = iif(awaiting = 'reset', '', awaiting), "
	    "awaiting_by = iif(awaiting = 'reset', NULL, awaiting_by), "
	    "awaiting_pwhash = '' WHERE id = ?1",
	[ST_OPERATOR_SET_ACTIVE] = "UPDATE operator SET active = ?2, "
	    "alone = (alone OR ?3) WHERE id = ?1",
	[ST_OPERATOR_AWAIT] = "UPDATE operator SET awaiting = ?2, "
	    "awaiting_by = ?3, awaiting_pwhash = ?4 WHERE id = ?1",
	/* The awaited change takes effect, confirmed by ?2. */
	[ST_OPERATOR_CONFIRM] = "UPDATE operator SET "
	    "active = iif(awaiting = 'enable', 1, active), "
	    "pwhash = iif(awaiting = 'reset', awaiting_pwhash, pwhash), "
	    "must_change = iif(awaiting = 'reset', 1, must_change), "
	    "confirmed_by = ?2, awaiting = '', awaiting_by = NULL, "
	    "awaiting_pwhash = '' WHERE id = ?1 AND awaiting <> ''",
	[ST_OPERATOR_ADMINS] = "SELECT COUNT(*) FROM operator WHERE "
	    "role = 'admin' AND active = 1 AND awaiting <> 'grant'",
	[ST_OPERATOR_LIST] = "SELECT " OPERATOR_COLS "ORDER BY o.login",
	[ST_OPERATOR_COUNT] = "SELECT COUNT(*) FROM operator",

	[ST_INCOME_FIND] = "SELECT id, branch_id, amount FROM income "
	    "WHERE buss_type = ?1 AND ikey = ?2",
	[ST_INCOME_ADD] = "INSERT INTO income (branch_id, buss_type, ref_id, "
	    "event_id, ikey, amount, withdrawable, occurred_at, received_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_INCOME_ADD_ROW] = INCOME_ROW_COLS INCOME_ROW,
	[ST_INCOME_ADD_ROWS] = INCOME_ROW_COLS ROWS32(INCOME_ROW),
	[ST_INCOME_MAX_ID] = "SELECT COALESCE(MAX(id), 0) FROM income",
	[ST_CONFLICT_ADD] = "INSERT OR IGNORE INTO income_conflict (income_id, "
	    "branch_id, buss_type, ref_id, event_id, amount, occurred_at, "
	    "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_INCOME_EACH] = "SELECT " INCOME_COLS
	    "WHERE i.id < ?3 AND (?1 = 0 OR i.branch_id = ?1) "
	    "AND (?2 = 0 OR i.buss_type = ?2) ORDER BY i.id DESC LIMIT ?4",
	[ST_CONFLICT_EACH] = "SELECT " CONFLICT_COLS
	    "WHERE ?1 = 0 OR c.branch_id = ?1 ORDER BY c.id DESC",

	[ST_LEDGER_SET_HASH] = "UPDATE ledger SET hash = ?2 WHERE id = ?1",
	[ST_REHASH_ADD] = "INSERT INTO chain_rehash (account_id, seq, old_head, "
	    "new_head, at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_REHASH_LIST] = "SELECT account_id, seq, old_head, new_head, at "
	    "FROM chain_rehash ORDER BY account_id",
	[ST_LEDGER_ADD] = "INSERT INTO ledger (account_id, seq, kind, income_id, "
	    "withdrawal_id, pre_amount, amount, post_amount, at, actor, hash) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[ST_LEDGER_ADD_ROW] = LEDGER_ROW_COLS LEDGER_ROW,
	[ST_LEDGER_ADD_ROWS] = LEDGER_ROW_COLS ROWS32(LEDGER_ROW),
	[ST_LEDGER_EACH] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.id < ?6 " LEDGER_FILTER "ORDER BY l.id DESC LIMIT ?7",
	[ST_LEDGER_EACH_ACCOUNT] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.account_id = ?1 AND l.seq < COALESCE(" SEQ_OF("?6")
	    ", 9223372036854775807) " LEDGER_FILTER "ORDER BY l.seq DESC LIMIT ?7",
	[ST_LEDGER_EACH_ASC] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.id > ?6 " LEDGER_FILTER "ORDER BY l.id ASC LIMIT ?7",
	[ST_LEDGER_EACH_ACCOUNT_ASC] = "SELECT " LEDGER_COLS LEDGER_FROM
	    "WHERE l.account_id = ?1 AND l.seq > COALESCE(" SEQ_OF("?6") ", 0) "
	    LEDGER_FILTER "ORDER BY l.seq ASC LIMIT ?7",
	[ST_LEDGER_MAX_ID] = "SELECT COALESCE(MAX(id), 0) FROM ledger",
	/* One entry with what of its source the hash covers. */
	[ST_LEDGER_GET] = "SELECT " LEDGER_COLS ", " SOURCE_COLS LEDGER_FROM
	    "LEFT JOIN withdrawal w ON w.id = l.withdrawal_id WHERE l.id = ?1",

	[ST_WD_ADD] = "INSERT INTO withdrawal (branch_id, amount, note, "
	    "applicant_id, applied_at, flow) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_WD_GET] = "SELECT " WD_COLS "WHERE w.id = ?1",
	[ST_WD_DECIDE] = "UPDATE withdrawal SET status = ?2, decided_by = ?3, "
	    "decided_at = ?4, reason = ?5 WHERE id = ?1 AND status = 'pending'",
	[ST_WD_LIST] = "SELECT " WD_COLS "WHERE (?1 = 0 OR w.branch_id = ?1) "
	    "AND (?2 IS NULL OR w.status = ?2) ORDER BY w.id",

	[ST_ACTIVITY_ADD] = "INSERT INTO activity (at, actor, action, target, ok, "
	    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ACTIVITY_EACH] = "SELECT id, at, actor, action, target, ok, detail "
	    "FROM activity ORDER BY id DESC LIMIT ?1",
	[ST_ACTIVITY_FIND] = "SELECT 1 FROM activity WHERE action = ?1 "
	    "ORDER BY id LIMIT 1",
	[ST_RELEASE_FIND] = "SELECT 1 FROM release_record "
	    "WHERE version = ?1 AND git_commit = ?2",
	[ST_RELEASE_ADD] = "INSERT OR IGNORE INTO release_record (version, "
	    "git_commit, schema_version, at, host, os_user) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_RELEASE_LIST] = "SELECT id, version, git_commit, schema_version, at, "
	    "host, os_user FROM release_record ORDER BY id",

	/* The audit's walk: no branch join (the model knows the codes) and
	 * only what the checks read. */
	[ST_AUDIT_CHAIN] = "SELECT l.id, l.account_id, l.seq, "
	    "l.kind = 'withdrawal', COALESCE(l.income_id, l.withdrawal_id, 0), "
	    "l.pre_amount, l.amount, l.post_amount, l.at, l.actor, l.hash, "
	    "i.id IS NOT NULL OR w.id IS NOT NULL, "
	    "COALESCE(i.branch_id, w.branch_id, 0), "
	    "COALESCE(i.amount, -w.amount, 0), w.status, "
	    "COALESCE(i.withdrawable, 0), " SOURCE_COLS "FROM ledger l "
	    "LEFT JOIN income i ON i.id = l.income_id "
	    "LEFT JOIN withdrawal w ON w.id = l.withdrawal_id ORDER BY l.id",
	/* The seed's first watch query, over the whole history. */
	[ST_AUDIT_DUP_REF] = "SELECT buss_type, ref_id, COUNT(*) "
	    "FROM income GROUP BY ref_id, buss_type HAVING COUNT(*) > 1",
	/* A group's first and last income, asked for the groups reported
	 * only (two more aggregates over every income cost the walk above
	 * a third more). */
	[ST_AUDIT_DUP_IDS] = "SELECT MIN(id), MAX(id) FROM income "
	    "WHERE ref_id = ?1 AND buss_type = ?2",
	[ST_AUDIT_INCOMES] = "SELECT id, branch_id, amount, withdrawable "
	    "FROM income ORDER BY id",
	[ST_AUDIT_WITHDRAWALS] = "SELECT id, branch_id, amount, 0, status "
	    "FROM withdrawal ORDER BY id",
	[ST_AUDIT_SCHEMA] = "SELECT type, name, COALESCE(sql, '') FROM sqlite_master "
	    "WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
};
