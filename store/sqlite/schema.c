/*
 * schema.c — the numbered migrations.  Migration N takes a database from
 * schema version N-1 to N; each runs in one exclusive transaction and sets
 * PRAGMA user_version.  A released migration is never edited: a change of
 * schema is a new migration at the end.
 *
 * The schema guards the invariants of DESIGN.md a second time, below the
 * model: unique income keys and ledger sources, CHECK constraints on every
 * figure, a trigger that refuses any ledger entry that does not continue
 * its account's chain, a trigger that keeps each account equal to its
 * ledger, triggers that make decided applications final, and triggers that
 * refuse UPDATE and DELETE on incomes, ledger entries, activity and the
 * release record.
 */
#include "internal.h"

static const char schema_v1[] =
"CREATE TABLE branch (\n"
"  id INTEGER PRIMARY KEY,\n"
"  code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 16\n"
"    AND code NOT GLOB '*[^A-Za-z0-9._-]*'),\n"
"  name TEXT NOT NULL CHECK (length(name) > 0),\n"
"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),\n"
"  created_at TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TABLE account (\n"
"  branch_id INTEGER PRIMARY KEY REFERENCES branch(id),\n"
"  balance INTEGER NOT NULL DEFAULT 0,\n"
"  withdrawable INTEGER NOT NULL DEFAULT 0,\n"
"  total_withdrawn INTEGER NOT NULL DEFAULT 0,\n"
"  CHECK (withdrawable >= 0 AND withdrawable <= balance),\n"
"  CHECK (total_withdrawn >= 0)\n"
") STRICT;\n"
"CREATE TABLE operator (\n"
"  id INTEGER PRIMARY KEY,\n"
"  login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 64),\n"
"  name TEXT NOT NULL DEFAULT '',\n"
"  role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'auditor', 'staff')),\n"
"  branch_id INTEGER REFERENCES branch(id),\n"
"  pwhash TEXT NOT NULL,\n"
"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),\n"
"  created_at TEXT NOT NULL,\n"
"  CHECK ((role = 'staff') = (branch_id IS NOT NULL))\n"
") STRICT;\n"
"CREATE TABLE income (\n"
"  id INTEGER PRIMARY KEY,\n"
"  branch_id INTEGER NOT NULL REFERENCES branch(id),\n"
"  buss_type INTEGER NOT NULL CHECK (buss_type > 0),\n"
"  ref_id TEXT NOT NULL CHECK (length(ref_id) > 0),\n"
"  event_id TEXT NOT NULL DEFAULT '',\n"
"  ikey TEXT NOT NULL CHECK (ikey = 'R:' || ref_id OR ikey = 'E:' || event_id),\n"
"  amount INTEGER NOT NULL CHECK (amount > 0),\n"
"  withdrawable INTEGER NOT NULL CHECK (withdrawable IN (0, 1)),\n"
"  occurred_at TEXT NOT NULL DEFAULT '',\n"
"  received_at TEXT NOT NULL,\n"
"  UNIQUE (buss_type, ikey)\n"
") STRICT;\n"
/* By reference: the seed's watch query and the screens' reference
 * filter read it in order instead of sorting every income. */
"CREATE INDEX income_by_ref ON income (ref_id, buss_type);\n"
"CREATE TABLE income_conflict (\n"
"  id INTEGER PRIMARY KEY,\n"
"  income_id INTEGER NOT NULL REFERENCES income(id),\n"
"  branch_id INTEGER NOT NULL REFERENCES branch(id),\n"
"  buss_type INTEGER NOT NULL,\n"
"  ref_id TEXT NOT NULL,\n"
"  event_id TEXT NOT NULL DEFAULT '',\n"
"  amount INTEGER NOT NULL,\n"
"  occurred_at TEXT NOT NULL DEFAULT '',\n"
"  received_at TEXT NOT NULL,\n"
"  UNIQUE (income_id, branch_id, amount, event_id)\n"
") STRICT;\n"
"CREATE TABLE withdrawal (\n"
"  id INTEGER PRIMARY KEY,\n"
"  branch_id INTEGER NOT NULL REFERENCES branch(id),\n"
"  amount INTEGER NOT NULL CHECK (amount > 0),\n"
"  note TEXT NOT NULL DEFAULT '',\n"
"  applicant_id INTEGER NOT NULL REFERENCES operator(id),\n"
"  applied_at TEXT NOT NULL,\n"
"  flow INTEGER NOT NULL,\n"
"  status TEXT NOT NULL DEFAULT 'pending'\n"
"    CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),\n"
"  decided_by INTEGER REFERENCES operator(id),\n"
"  decided_at TEXT,\n"
"  reason TEXT NOT NULL DEFAULT '',\n"
"  CHECK ((status = 'pending') = (decided_by IS NULL)),\n"
"  CHECK ((status = 'pending') = (decided_at IS NULL)),\n"
"  CHECK (status <> 'rejected' OR length(trim(reason)) > 0),\n"
"  CHECK (status <> 'approved' OR decided_by <> applicant_id)\n"
") STRICT;\n"
"CREATE INDEX withdrawal_by_status ON withdrawal (status, branch_id);\n"
"CREATE TABLE ledger (\n"
"  id INTEGER PRIMARY KEY,\n"
"  account_id INTEGER NOT NULL REFERENCES account(branch_id),\n"
"  seq INTEGER NOT NULL CHECK (seq >= 1),\n"
"  kind TEXT NOT NULL CHECK (kind IN ('income', 'withdrawal')),\n"
"  income_id INTEGER REFERENCES income(id),\n"
"  withdrawal_id INTEGER REFERENCES withdrawal(id),\n"
"  pre_amount INTEGER NOT NULL,\n"
"  amount INTEGER NOT NULL,\n"
"  post_amount INTEGER NOT NULL,\n"
"  at TEXT NOT NULL,\n"
"  actor TEXT NOT NULL,\n"
"  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
"  UNIQUE (account_id, seq),\n"
"  CHECK (post_amount = pre_amount + amount),\n"
"  CHECK ((kind = 'income' AND income_id IS NOT NULL\n"
"          AND withdrawal_id IS NULL AND amount > 0)\n"
"      OR (kind = 'withdrawal' AND withdrawal_id IS NOT NULL\n"
"          AND income_id IS NULL AND amount < 0))\n"
") STRICT;\n"
/* One entry per source; partial, so the NULL side costs nothing. */
"CREATE UNIQUE INDEX ledger_by_income ON ledger (income_id)\n"
"  WHERE income_id IS NOT NULL;\n"
"CREATE UNIQUE INDEX ledger_by_withdrawal ON ledger (withdrawal_id)\n"
"  WHERE withdrawal_id IS NOT NULL;\n"
"CREATE TABLE activity (\n"
"  id INTEGER PRIMARY KEY,\n"
"  at TEXT NOT NULL,\n"
"  actor TEXT NOT NULL,\n"
"  action TEXT NOT NULL,\n"
"  target TEXT NOT NULL DEFAULT '',\n"
"  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),\n"
"  detail TEXT NOT NULL DEFAULT ''\n"
") STRICT;\n"
"CREATE TABLE release_record (\n"
"  id INTEGER PRIMARY KEY,\n"
"  version TEXT NOT NULL,\n"
"  git_commit TEXT NOT NULL DEFAULT '',\n"
"  schema_version INTEGER NOT NULL,\n"
"  at TEXT NOT NULL,\n"
"  host TEXT NOT NULL,\n"
"  os_user TEXT NOT NULL,\n"
"  UNIQUE (version, git_commit)\n"
") STRICT;\n"
/* Every ledger entry, in one trigger (one program run per insert):
 * the chain — seq continues 1..n and pre_amount is the previous post;
 * with UNIQUE (account_id, seq) one point lookup proves it, since seq n
 * can only follow an existing n-1 that ends where it starts; the source
 * — an income of that branch and amount, or a pending application of
 * that branch whose amount is the debit; and no overwriting (see the
 * no_replace triggers below). */
"CREATE TRIGGER ledger_guard BEFORE INSERT ON ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'ledger entry does not continue its account''s chain')\n"
"  WHERE NOT CASE WHEN NEW.seq = 1 THEN NEW.pre_amount = 0\n"
"    ELSE EXISTS (SELECT 1 FROM ledger WHERE account_id = NEW.account_id\n"
"                 AND seq = NEW.seq - 1 AND post_amount = NEW.pre_amount)\n"
"    END;\n"
"  SELECT RAISE(ABORT, 'ledger entry does not match its income')\n"
"  WHERE NEW.kind = 'income' AND NOT EXISTS (SELECT 1 FROM income\n"
"    WHERE id = NEW.income_id AND branch_id = NEW.account_id\n"
"      AND amount = NEW.amount);\n"
"  SELECT RAISE(ABORT, 'ledger entry does not match a pending application')\n"
"  WHERE NEW.kind = 'withdrawal' AND NOT EXISTS (SELECT 1 FROM withdrawal\n"
"    WHERE id = NEW.withdrawal_id AND branch_id = NEW.account_id\n"
"      AND amount = -NEW.amount AND status = 'pending');\n"
"  SELECT RAISE(ABORT, 'ledger entries are append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM ledger WHERE id = NEW.id)\n"
"     OR EXISTS (SELECT 1 FROM ledger\n"
"                WHERE account_id = NEW.account_id AND seq = NEW.seq)\n"
"     OR EXISTS (SELECT 1 FROM ledger WHERE income_id = NEW.income_id)\n"
"     OR EXISTS (SELECT 1 FROM ledger\n"
"                WHERE withdrawal_id = NEW.withdrawal_id);\n"
"END;\n"
"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'ledger entries are append-only');\n"
"END;\n"
"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'ledger entries are append-only');\n"
"END;\n"
"CREATE TRIGGER income_no_update BEFORE UPDATE ON income BEGIN\n"
"  SELECT RAISE(ABORT, 'incomes are append-only');\n"
"END;\n"
"CREATE TRIGGER income_no_delete BEFORE DELETE ON income BEGIN\n"
"  SELECT RAISE(ABORT, 'incomes are append-only');\n"
"END;\n"
"CREATE TRIGGER conflict_no_update BEFORE UPDATE ON income_conflict BEGIN\n"
"  SELECT RAISE(ABORT, 'kept conflicts are append-only');\n"
"END;\n"
"CREATE TRIGGER conflict_no_delete BEFORE DELETE ON income_conflict BEGIN\n"
"  SELECT RAISE(ABORT, 'kept conflicts are append-only');\n"
"END;\n"
"CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN\n"
"  SELECT RAISE(ABORT, 'activity is append-only');\n"
"END;\n"
"CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN\n"
"  SELECT RAISE(ABORT, 'activity is append-only');\n"
"END;\n"
"CREATE TRIGGER release_no_update BEFORE UPDATE ON release_record BEGIN\n"
"  SELECT RAISE(ABORT, 'the release record is append-only');\n"
"END;\n"
"CREATE TRIGGER release_no_delete BEFORE DELETE ON release_record BEGIN\n"
"  SELECT RAISE(ABORT, 'the release record is append-only');\n"
"END;\n"
/* An account is created empty, is never removed, and always equals the
 * newest entry of its chain. */
"CREATE TRIGGER account_new_empty BEFORE INSERT ON account BEGIN\n"
"  SELECT RAISE(ABORT, 'an account starts at zero')\n"
"  WHERE NEW.balance <> 0 OR NEW.withdrawable <> 0 OR NEW.total_withdrawn <> 0;\n"
"END;\n"
"CREATE TRIGGER account_follows_ledger BEFORE UPDATE ON account BEGIN\n"
"  SELECT RAISE(ABORT, 'an account''s branch is fixed')\n"
"  WHERE NEW.branch_id IS NOT OLD.branch_id;\n"
"  SELECT RAISE(ABORT, 'account balance must equal its newest ledger entry')\n"
"  WHERE NEW.balance IS NOT COALESCE((SELECT post_amount FROM ledger\n"
"    WHERE account_id = NEW.branch_id ORDER BY seq DESC LIMIT 1), 0);\n"
"END;\n"
"CREATE TRIGGER account_no_delete BEFORE DELETE ON account BEGIN\n"
"  SELECT RAISE(ABORT, 'accounts are never removed');\n"
"END;\n"
"CREATE TRIGGER branch_fixed BEFORE UPDATE ON branch BEGIN\n"
"  SELECT RAISE(ABORT, 'a branch''s code is fixed')\n"
"  WHERE NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code;\n"
"END;\n"
"CREATE TRIGGER branch_no_delete BEFORE DELETE ON branch BEGIN\n"
"  SELECT RAISE(ABORT, 'branches are never removed');\n"
"END;\n"
"CREATE TRIGGER operator_fixed BEFORE UPDATE ON operator BEGIN\n"
"  SELECT RAISE(ABORT, 'an operator''s login and role are fixed')\n"
"  WHERE NEW.id IS NOT OLD.id OR NEW.login IS NOT OLD.login\n"
"     OR NEW.role IS NOT OLD.role OR NEW.branch_id IS NOT OLD.branch_id;\n"
"END;\n"
"CREATE TRIGGER operator_no_delete BEFORE DELETE ON operator BEGIN\n"
"  SELECT RAISE(ABORT, 'operators are disabled, never removed');\n"
"END;\n"
/* Applications start pending; a decision is final and changes nothing
 * but the decision; approved ones and only they have a ledger entry. */
"CREATE TRIGGER withdrawal_new_pending BEFORE INSERT ON withdrawal BEGIN\n"
"  SELECT RAISE(ABORT, 'an application starts pending')\n"
"  WHERE NEW.status <> 'pending';\n"
"END;\n"
"CREATE TRIGGER withdrawal_decide BEFORE UPDATE ON withdrawal BEGIN\n"
"  SELECT RAISE(ABORT, 'a decided application is final')\n"
"  WHERE OLD.status <> 'pending';\n"
"  SELECT RAISE(ABORT, 'only the decision of an application changes')\n"
"  WHERE NEW.id IS NOT OLD.id OR NEW.branch_id IS NOT OLD.branch_id\n"
"     OR NEW.amount IS NOT OLD.amount OR NEW.note IS NOT OLD.note\n"
"     OR NEW.applicant_id IS NOT OLD.applicant_id\n"
"     OR NEW.applied_at IS NOT OLD.applied_at OR NEW.flow IS NOT OLD.flow;\n"
"  SELECT RAISE(ABORT, 'an approved application needs its ledger entry')\n"
"  WHERE NEW.status = 'approved'\n"
"    AND NOT EXISTS (SELECT 1 FROM ledger WHERE withdrawal_id = NEW.id);\n"
"  SELECT RAISE(ABORT, 'only an approved application has a ledger entry')\n"
"  WHERE NEW.status <> 'approved'\n"
"    AND EXISTS (SELECT 1 FROM ledger WHERE withdrawal_id = NEW.id);\n"
"END;\n"
"CREATE TRIGGER withdrawal_no_delete BEFORE DELETE ON withdrawal BEGIN\n"
"  SELECT RAISE(ABORT, 'applications are never removed');\n"
"END;\n"
/* No overwriting.  INSERT OR REPLACE deletes the row it collides with
 * without firing DELETE triggers (unless the connection turned
 * recursive_triggers on), so each guarded table also refuses an insert
 * that would collide: a new row is always new. */
"CREATE TRIGGER income_no_replace BEFORE INSERT ON income BEGIN\n"
"  SELECT RAISE(ABORT, 'incomes are append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM income WHERE id = NEW.id)\n"
"     OR EXISTS (SELECT 1 FROM income\n"
"                WHERE buss_type = NEW.buss_type AND ikey = NEW.ikey);\n"
"END;\n"
"CREATE TRIGGER activity_no_replace BEFORE INSERT ON activity BEGIN\n"
"  SELECT RAISE(ABORT, 'activity is append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM activity WHERE id = NEW.id);\n"
"END;\n"
"CREATE TRIGGER release_no_replace BEFORE INSERT ON release_record BEGIN\n"
"  SELECT RAISE(ABORT, 'the release record is append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM release_record WHERE id = NEW.id);\n"
"  SELECT RAISE(IGNORE) WHERE EXISTS (SELECT 1 FROM release_record\n"
"    WHERE version = NEW.version AND git_commit = NEW.git_commit);\n"
"END;\n"
"CREATE TRIGGER conflict_no_replace BEFORE INSERT ON income_conflict BEGIN\n"
"  SELECT RAISE(ABORT, 'kept conflicts are append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM income_conflict WHERE id = NEW.id);\n"
"  SELECT RAISE(IGNORE) WHERE EXISTS (SELECT 1 FROM income_conflict\n"
"    WHERE income_id = NEW.income_id AND branch_id = NEW.branch_id\n"
"      AND amount = NEW.amount AND event_id = NEW.event_id);\n"
"END;\n"
"CREATE TRIGGER withdrawal_no_replace BEFORE INSERT ON withdrawal BEGIN\n"
"  SELECT RAISE(ABORT, 'applications are never replaced')\n"
"  WHERE EXISTS (SELECT 1 FROM withdrawal WHERE id = NEW.id);\n"
"END;\n"
"CREATE TRIGGER operator_no_replace BEFORE INSERT ON operator BEGIN\n"
"  SELECT RAISE(ABORT, 'operators are never replaced')\n"
"  WHERE EXISTS (SELECT 1 FROM operator WHERE id = NEW.id)\n"
"     OR EXISTS (SELECT 1 FROM operator WHERE login = NEW.login);\n"
"END;\n"
"CREATE TRIGGER branch_no_replace BEFORE INSERT ON branch BEGIN\n"
"  SELECT RAISE(ABORT, 'branches are never replaced')\n"
"  WHERE EXISTS (SELECT 1 FROM branch WHERE id = NEW.id)\n"
"     OR EXISTS (SELECT 1 FROM branch WHERE code = NEW.code);\n"
"END;\n"
"CREATE TRIGGER account_no_replace BEFORE INSERT ON account BEGIN\n"
"  SELECT RAISE(ABORT, 'accounts are never replaced')\n"
"  WHERE EXISTS (SELECT 1 FROM account WHERE branch_id = NEW.branch_id);\n"
"END;\n";

/* The conflicts kept for review, found from the income they collide with
 * (the screens show them beside it). */
static const char schema_v2[] =
"CREATE INDEX conflict_by_income ON income_conflict (income_id);\n";

/* The ledger's guard in fewer looks (it was a quarter of the cost of
 * ingesting an event): the chain and "no second entry at a place in it"
 * are one look at the account's newest entry, which must be seq - 1 and
 * end where the new one starts (or, for an empty account, the new one
 * is seq 1 from zero).  The source and the no-overwriting checks are as
 * in version 1. */
static const char schema_v3[] =
"DROP TRIGGER ledger_guard;\n"
"CREATE TRIGGER ledger_guard BEFORE INSERT ON ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'ledger entry does not continue its account''s chain')\n"
"  WHERE NOT COALESCE((SELECT seq = NEW.seq - 1 AND post_amount = NEW.pre_amount\n"
"      FROM ledger WHERE account_id = NEW.account_id\n"
"      ORDER BY seq DESC LIMIT 1),\n"
"    NEW.seq = 1 AND NEW.pre_amount = 0);\n"
"  SELECT RAISE(ABORT, 'ledger entry does not match its income')\n"
"  WHERE NEW.kind = 'income' AND NOT EXISTS (SELECT 1 FROM income\n"
"    WHERE id = NEW.income_id AND branch_id = NEW.account_id\n"
"      AND amount = NEW.amount);\n"
"  SELECT RAISE(ABORT, 'ledger entry does not match a pending application')\n"
"  WHERE NEW.kind = 'withdrawal' AND NOT EXISTS (SELECT 1 FROM withdrawal\n"
"    WHERE id = NEW.withdrawal_id AND branch_id = NEW.account_id\n"
"      AND amount = -NEW.amount AND status = 'pending');\n"
"  SELECT RAISE(ABORT, 'ledger entries are append-only')\n"
"  WHERE EXISTS (SELECT 1 FROM ledger WHERE id = NEW.id)\n"
"     OR EXISTS (SELECT 1 FROM ledger WHERE income_id = NEW.income_id)\n"
"     OR EXISTS (SELECT 1 FROM ledger\n"
"                WHERE withdrawal_id = NEW.withdrawal_id);\n"
"END;\n";

/*
 * Four-eyes on the admin's own powers: who added each operator, a change
 * (a grant of reviewer or admin, an enabling, a password reset) awaiting
 * a second admin's confirmation, the new hash of an awaited reset, and
 * whether a reset password must be changed at the next login.  Who added
 * an operator is fixed; an awaited change is never confirmed by the
 * admin who asked for it.
 */
static const char schema_v4[] =
"ALTER TABLE operator ADD COLUMN created_by INTEGER REFERENCES operator(id);\n"
"ALTER TABLE operator ADD COLUMN confirmed_by INTEGER REFERENCES operator(id);\n"
"ALTER TABLE operator ADD COLUMN alone INTEGER NOT NULL DEFAULT 0\n"
"  CHECK (alone IN (0, 1));\n"
"ALTER TABLE operator ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0\n"
"  CHECK (must_change IN (0, 1));\n"
"ALTER TABLE operator ADD COLUMN awaiting TEXT NOT NULL DEFAULT ''\n"
"  CHECK (awaiting IN ('', 'grant', 'enable', 'reset'));\n"
"ALTER TABLE operator ADD COLUMN awaiting_by INTEGER REFERENCES operator(id);\n"
"ALTER TABLE operator ADD COLUMN awaiting_pwhash TEXT NOT NULL DEFAULT '';\n"
"CREATE TRIGGER operator_four_eyes BEFORE UPDATE ON operator BEGIN\n"
"  SELECT RAISE(ABORT, 'who added an operator is fixed')\n"
"  WHERE NEW.created_by IS NOT OLD.created_by;\n"
"  SELECT RAISE(ABORT, 'a change is confirmed by another admin than the one "
"who asked for it')\n"
"  WHERE OLD.awaiting <> '' AND NEW.awaiting = ''\n"
"    AND NEW.confirmed_by IS NOT OLD.confirmed_by\n"
"    AND NEW.confirmed_by IS OLD.awaiting_by;\n"
"  SELECT RAISE(ABORT, 'an operator cannot confirm a change of their own')\n"
"  WHERE OLD.awaiting <> '' AND NEW.awaiting = ''\n"
"    AND NEW.confirmed_by IS NOT OLD.confirmed_by AND NEW.confirmed_by = OLD.id;\n"
"END;\n";

/*
 * The chain hash covers the source (chain format 2): the migration opens
 * the ledger to one kind of update, the re-hash (store_open_opts.rehash,
 * which proves every format-1 chain first), then closes it again
 * (sq_migrations_after).  chain_rehash keeps each account's head before
 * and after, so that a digest taken before still verifies; it is
 * append-only like the ledger.
 */
static const char schema_v5[] =
"CREATE TABLE chain_rehash (\n"
"  account_id INTEGER PRIMARY KEY REFERENCES account(branch_id),\n"
"  seq INTEGER NOT NULL CHECK (seq > 0),\n"
"  old_head BLOB NOT NULL CHECK (length(old_head) = 32),\n"
"  new_head BLOB NOT NULL CHECK (length(new_head) = 32),\n"
"  at TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TRIGGER chain_rehash_no_update BEFORE UPDATE ON chain_rehash BEGIN\n"
"  SELECT RAISE(ABORT, 'the re-hash record is append-only');\n"
"END;\n"
"CREATE TRIGGER chain_rehash_no_delete BEFORE DELETE ON chain_rehash BEGIN\n"
"  SELECT RAISE(ABORT, 'the re-hash record is append-only');\n"
"END;\n"
"DROP TRIGGER ledger_no_update;\n"
"CREATE TEMP TRIGGER ledger_rehash_only BEFORE UPDATE ON main.ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'only the re-hash may change a ledger entry')\n"
"  WHERE NEW.id IS NOT OLD.id OR NEW.account_id IS NOT OLD.account_id\n"
"     OR NEW.seq IS NOT OLD.seq OR NEW.kind IS NOT OLD.kind\n"
"     OR NEW.income_id IS NOT OLD.income_id\n"
"     OR NEW.withdrawal_id IS NOT OLD.withdrawal_id\n"
"     OR NEW.pre_amount IS NOT OLD.pre_amount OR NEW.amount IS NOT OLD.amount\n"
"     OR NEW.post_amount IS NOT OLD.post_amount OR NEW.at IS NOT OLD.at\n"
"     OR NEW.actor IS NOT OLD.actor;\n"
"END;\n";

static const char schema_v5_after[] =
"DROP TRIGGER temp.ledger_rehash_only;\n"
"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN\n"
"  SELECT RAISE(ABORT, 'ledger entries are append-only');\n"
"END;\n";

const char *const sq_migrations[] = {
	schema_v1,
	schema_v2,
	schema_v3,
	schema_v4,
	schema_v5,
};

/* What runs after a migration's own step (NULL: nothing). */
const char *const sq_migrations_after[] = {
	NULL,
	NULL,
	NULL,
	NULL,
	schema_v5_after,
};

const int sq_nmigrations =
    (int)(sizeof(sq_migrations) / sizeof(sq_migrations[0]));
