#!/bin/bash
# test_schema.sh — the PostgreSQL schema guards what store/schema.c guards.
#
# Starts a throwaway cluster (tests/pg/cluster.sh), makes a schema-5
# database, and through psql as ff_app (the role fundflow connects as) and
# ff_owner checks each guarantee, each refusal by its SQLSTATE and exact
# text.  Prints "ok N - what" / "not ok N - what"; exits 1 on any failure.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CLUSTER=$HERE/cluster.sh
DIR=$(mktemp -d /tmp/ffpg.XXXXXX)
trap '"$CLUSTER" stop "$DIR"' EXIT
trap 'exit 130' INT TERM

"$CLUSTER" start "$DIR"
APP=$("$CLUSTER" newdb "$DIR" fftest)
OWNER=$("$CLUSTER" conninfo "$DIR" fftest ff_owner)
export PGPASSFILE=$DIR/pgpass
unset PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGOPTIONS PGSERVICE

n=0 failed=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift; local l; for l in "$@"; do echo "#   $l"; done
}

# psql CONN SQL: runs SQL (one simple query: one transaction) and leaves
# stdout+stderr in OUT and the exit status in RC.
run() {
	local conn=$1 sql=$2
	RC=0
	OUT=$(psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-c "$sql" "$conn" 2>&1) || RC=$?
}
conn_of() { case $1 in app) echo "$APP" ;; owner) echo "$OWNER" ;; esac; }

# ok ROLE WHAT SQL [EXPECTED-OUTPUT]
ok() {
	run "$(conn_of "$1")" "$3"
	if [[ $RC -ne 0 ]]; then
		fail "$2" "psql exited $RC" "$OUT"
	elif [[ $# -ge 4 && "$OUT" != "$4" ]]; then
		fail "$2" "expected: $4" "got:      $OUT"
	else
		pass "$2"
	fi
}

# refused ROLE WHAT "SQLSTATE: message" SQL — the first error is exactly it.
refused() {
	local got
	run "$(conn_of "$1")" "$4"
	got=$(printf '%s\n' "$OUT" | grep -m1 '^ERROR:' || true)
	if [[ $RC -eq 0 ]]; then
		fail "$2" "accepted, expected: ERROR:  $3" "$OUT"
	elif [[ "$got" != "ERROR:  $3" ]]; then
		fail "$2" "expected: ERROR:  $3" "got:      $got"
	else
		pass "$2"
	fi
}

T="'2026-01-01T00:00:00Z'"
H="'\\x$(printf 'ab%.0s' $(seq 32))'::bytea"
LEDGER="INSERT INTO ledger (account_id, seq, kind, income_id, withdrawal_id,
  pre_amount, amount, post_amount, at, actor, hash) VALUES"
CHECK=23514

# --- the cluster ------------------------------------------------------------
PORT=$(cat "$DIR/port") SU=$(cat "$DIR/superuser")
ok app "the cluster keeps fsync and synchronous_commit on, listens on 127.0.0.1" \
	"SELECT current_setting('fsync'), current_setting('synchronous_commit'),
	        current_setting('listen_addresses'), current_setting('port')" \
	"on|on|127.0.0.1|$PORT"
nopw() {   # nopw WHAT CONNINFO: refused without a password
	local rc=0 out
	out=$(PGPASSFILE=/dev/null psql -X -w -At -c 'SELECT 1' "$2" 2>&1) || rc=$?
	if [[ $rc -ne 0 ]]; then pass "$1"; else fail "$1" "connected: $out"; fi
}
nopw "ff_app needs its password on the socket" "$APP"
nopw "the superuser needs a password over TCP" \
	"host=127.0.0.1 port=$PORT dbname=postgres user=$SU"
run "host=127.0.0.1 port=$PORT dbname=fftest user=ff_app" \
	"SELECT current_user, inet_server_addr()"
what="ff_app connects over TCP on 127.0.0.1 with its password"
if [[ $RC -eq 0 && $OUT == "ff_app|127.0.0.1" ]]; then pass "$what"; else fail "$what" "$OUT"; fi

# --- the schema as made ---------------------------------------------------
# The program sends schema.sql and grants.sql each as one PQexec; psql -c
# sends a string the same way (one simple query, one transaction).  The
# database made so has the same schema as the one cluster.sh made with -f.
SUCONN="host=$DIR/sock port=$PORT dbname=postgres user=$SU"
EXEC=$("$CLUSTER" conninfo "$DIR" ffexec ff_owner)
what="schema.sql and grants.sql apply as one query string each, to the same schema"
if psql -X -q -c "CREATE DATABASE ffexec OWNER ff_owner" "$SUCONN" &&
   psql -X -q -c "$(cat "$HERE/../../store/pg/schema.sql")" "$EXEC" &&
   psql -X -q -c "$(sed -e 's/__OWNER__/"ff_owner"/g' -e 's/__APP__/"ff_app"/g' \
		"$HERE/../../store/pg/grants.sql")" "$EXEC"; then
	dump() { "${PGBIN:-/usr/lib/postgresql/15/bin}/pg_dump" -s \
		"host=$DIR/sock port=$PORT dbname=$1 user=$SU" |
		sed -E '/^\\(un)?restrict /d'; }   # a random key per dump
	if diff <(dump fftest) <(dump ffexec) >"$DIR/dump.diff"; then
		pass "$what"
	else
		fail "$what" "$(head -20 "$DIR/dump.diff")"
	fi
else
	fail "$what" "psql failed"
fi
ok app "the database is at schema 5" "SELECT version FROM schema_version" 5
ok app "every table of schema 5 is there" \
	"SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables
	 WHERE schemaname = 'public'" \
	"account activity branch chain_rehash income income_conflict ledger operator release_record schema_version withdrawal"
ok app "the indexes of schema 5 are there" \
	"SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes
	 WHERE schemaname = 'public' AND indexname IN ('income_by_ref',
	   'withdrawal_by_status', 'ledger_by_income', 'ledger_by_withdrawal',
	   'conflict_by_income')" \
	"conflict_by_income income_by_ref ledger_by_income ledger_by_withdrawal withdrawal_by_status"
ok app "ledger_by_withdrawal is a partial unique index" \
	"SELECT indexdef FROM pg_indexes WHERE indexname = 'ledger_by_withdrawal'" \
	"CREATE UNIQUE INDEX ledger_by_withdrawal ON public.ledger USING btree (withdrawal_id) WHERE (withdrawal_id IS NOT NULL)"
ok app "ff_app owns nothing and is no member of ff_owner" \
	"SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'ff_app'::regrole)
	      + (SELECT count(*) FROM pg_proc WHERE proowner = 'ff_app'::regrole),
	        pg_has_role('ff_app', 'ff_owner', 'MEMBER')" "0|f"

# --- a valid sequence, each step as the app would commit it --------------
ok app "add two branches, each with an empty account" \
	"INSERT INTO branch (code, name, created_at) VALUES ('ZC01', '诸城分公司', $T);
	 INSERT INTO account (branch_id) VALUES (currval('branch_id_seq'));
	 INSERT INTO branch (code, name, created_at) VALUES ('QD02', '青岛分公司', $T);
	 INSERT INTO account (branch_id) SELECT id FROM branch WHERE code = 'QD02'
	   RETURNING branch_id" 2
ok app "add operators (ids drawn with RETURNING)" \
	"INSERT INTO operator (login, role, branch_id, pwhash, created_at) VALUES
	   ('admin1', 'admin', NULL, 'h', $T), ('admin2', 'admin', NULL, 'h', $T),
	   ('rev1', 'reviewer', NULL, 'h', $T), ('staff1', 'staff', 1, 'h', $T)
	 RETURNING id" "1
2
3
4"
ok app "an income" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (1, 3, 'R100', 'R:R100', 10000, 1, $T)"
ok app "its ledger entry, seq 1 from zero" \
	"$LEDGER (1, 1, 'income', 1, NULL, 0, 10000, 10000, $T, 'ingest', $H)"
ok app "the account follows it" \
	"UPDATE account SET balance = 10000, withdrawable = 10000 WHERE branch_id = 1"
ok app "a pending application" \
	"INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
	 VALUES (1, 3000, 'rent', 4, $T, 1) RETURNING id, status" "1|pending"
ok app "approve it: its ledger entry seq 2, the account, the decision" \
	"$LEDGER (1, 2, 'withdrawal', NULL, 1, 10000, -3000, 7000, $T, 'rev1', $H);
	 UPDATE account SET balance = 7000, withdrawable = 7000, total_withdrawn = 3000
	   WHERE branch_id = 1;
	 UPDATE withdrawal SET status = 'approved', decided_by = 3, decided_at = $T
	   WHERE id = 1"
ok app "the account and its chain after the sequence" \
	"SELECT a.balance, a.withdrawable, a.total_withdrawn,
	        string_agg(l.seq || ':' || l.pre_amount || '>' || l.post_amount, ' ' ORDER BY l.seq)
	 FROM account a JOIN ledger l ON l.account_id = a.branch_id
	 WHERE a.branch_id = 1 GROUP BY a.branch_id" "7000|7000|3000|1:0>10000 2:10000>7000"
ok app "a second pending application, a second income (no entry yet)" \
	"INSERT INTO withdrawal (branch_id, amount, applicant_id, applied_at, flow)
	   VALUES (1, 500, 4, $T, 1);
	 INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (1, 3, 'R101', 'R:R101', 500, 1, $T)"
ok app "activity, a kept conflict, a release and a re-hash record" \
	"INSERT INTO activity (at, actor, action, target, ok) VALUES ($T, 'rev1', 'approve', 'w1', 1);
	 INSERT INTO income_conflict (income_id, branch_id, buss_type, ref_id, event_id,
	   amount, received_at) VALUES (1, 1, 3, 'R100', 'e2', 9999, $T);
	 INSERT INTO release_record (version, git_commit, schema_version, at, host, os_user)
	   VALUES ('1.0.0', 'abc', 5, $T, 'h', 'u');
	 INSERT INTO chain_rehash (account_id, seq, old_head, new_head, at)
	   VALUES (1, 2, $H, $H, $T)"
ok app "a redelivered conflict is dropped by ON CONFLICT DO NOTHING" \
	"INSERT INTO income_conflict (income_id, branch_id, buss_type, ref_id, event_id,
	   amount, received_at) VALUES (1, 1, 3, 'R100', 'e2', 9999, $T)
	 ON CONFLICT DO NOTHING RETURNING id" ""
ok app "a release already recorded is dropped by ON CONFLICT DO NOTHING" \
	"INSERT INTO release_record (version, git_commit, schema_version, at, host, os_user)
	   VALUES ('1.0.0', 'abc', 5, $T, 'h2', 'u2') ON CONFLICT DO NOTHING RETURNING id" ""
ok app "the guards work whatever the session's search_path" \
	"SET search_path = ''; INSERT INTO public.activity (at, actor, action, ok)
	   VALUES ($T, 'x', 'y', 0) RETURNING ok" 0

# --- the chain --------------------------------------------------------------
refused app "a gap in the chain is refused" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"$LEDGER (1, 4, 'income', 2, NULL, 7000, 500, 7500, $T, 'ingest', $H)"
refused app "an entry that does not start where the chain ends is refused" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"$LEDGER (1, 3, 'income', 2, NULL, 6999, 500, 7499, $T, 'ingest', $H)"
refused app "a second entry at a place in the chain is refused" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"$LEDGER (1, 2, 'income', 2, NULL, 10000, 500, 10500, $T, 'ingest', $H)"
refused app "an empty account's first entry starts at zero" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (2, 3, 'Q1', 'R:Q1', 100, 1, $T);
	 $LEDGER (2, 1, 'income', currval('income_id_seq'), NULL, 5, 100, 105, $T, 'i', $H)"
refused app "an empty account's first entry is seq 1" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (2, 3, 'Q1', 'R:Q1', 100, 1, $T);
	 $LEDGER (2, 2, 'income', currval('income_id_seq'), NULL, 0, 100, 100, $T, 'i', $H)"
refused app "post_amount = pre_amount + amount (CHECK)" \
	"$CHECK: new row for relation \"ledger\" violates check constraint \"ledger_check\"" \
	"$LEDGER (1, 3, 'income', 2, NULL, 7000, 500, 7600, $T, 'ingest', $H)"
refused app "a hash is 32 bytes (CHECK)" \
	"$CHECK: new row for relation \"ledger\" violates check constraint \"ledger_hash_check\"" \
	"$LEDGER (1, 3, 'income', 2, NULL, 7000, 500, 7500, $T, 'ingest', '\\x00')"

# --- the source -------------------------------------------------------------
refused app "an entry whose amount is not its income's is refused" \
	"$CHECK: ledger entry does not match its income" \
	"$LEDGER (1, 3, 'income', 2, NULL, 7000, 600, 7600, $T, 'ingest', $H)"
refused app "an entry for another branch's income is refused" \
	"$CHECK: ledger entry does not match its income" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (2, 3, 'Q1', 'R:Q1', 100, 1, $T);
	 $LEDGER (1, 3, 'income', currval('income_id_seq'), NULL, 7000, 100, 7100, $T, 'i', $H)"
refused app "a second entry for one income is refused" \
	"$CHECK: ledger entries are append-only" \
	"$LEDGER (1, 3, 'income', 1, NULL, 7000, 10000, 17000, $T, 'ingest', $H)"
refused app "an entry for a decided application is refused" \
	"$CHECK: ledger entry does not match a pending application" \
	"$LEDGER (1, 3, 'withdrawal', NULL, 1, 7000, -3000, 4000, $T, 'rev1', $H)"
refused app "an entry that is not the application's amount is refused" \
	"$CHECK: ledger entry does not match a pending application" \
	"$LEDGER (1, 3, 'withdrawal', NULL, 2, 7000, -400, 6600, $T, 'rev1', $H)"

# --- the account ------------------------------------------------------------
refused app "a balance other than the newest entry's is refused" \
	"$CHECK: account balance must equal its newest ledger entry" \
	"UPDATE account SET balance = 7001 WHERE branch_id = 1"
refused app "an account without entries stays at zero" \
	"$CHECK: account balance must equal its newest ledger entry" \
	"UPDATE account SET balance = 1 WHERE branch_id = 2"
refused app "withdrawable never exceeds the balance (CHECK)" \
	"$CHECK: new row for relation \"account\" violates check constraint \"account_check\"" \
	"UPDATE account SET withdrawable = 7001 WHERE branch_id = 1"
refused app "an account starts at zero" \
	"$CHECK: an account starts at zero" \
	"INSERT INTO branch (code, name, created_at) VALUES ('X3', 'x', $T);
	 INSERT INTO account (branch_id, balance) VALUES (currval('branch_id_seq'), 5)"
refused app "ff_app cannot change an account's branch (no column right)" \
	"42501: permission denied for table account" \
	"UPDATE account SET branch_id = 2 WHERE branch_id = 1"
refused owner "an account's branch is fixed (owner)" \
	"$CHECK: an account's branch is fixed" \
	"UPDATE account SET branch_id = 2 WHERE branch_id = 1"

# --- applications -----------------------------------------------------------
refused app "a decided application is final" \
	"$CHECK: a decided application is final" \
	"UPDATE withdrawal SET reason = 'again' WHERE id = 1"
refused app "an approval without its ledger entry is refused" \
	"$CHECK: an approved application needs its ledger entry" \
	"UPDATE withdrawal SET status = 'approved', decided_by = 3, decided_at = $T WHERE id = 2"
refused app "a cancelled application with a ledger entry is refused" \
	"$CHECK: only an approved application has a ledger entry" \
	"$LEDGER (1, 3, 'withdrawal', NULL, 2, 7000, -500, 6500, $T, 'rev1', $H);
	 UPDATE withdrawal SET status = 'cancelled', decided_by = 4, decided_at = $T WHERE id = 2"
refused app "an application starts pending" \
	"$CHECK: an application starts pending" \
	"INSERT INTO withdrawal (branch_id, amount, applicant_id, applied_at, flow,
	   status, decided_by, decided_at) VALUES (1, 5, 4, $T, 1, 'approved', 3, $T)"
refused app "ff_app cannot change an application's amount (no column right)" \
	"42501: permission denied for table withdrawal" \
	"UPDATE withdrawal SET amount = 1 WHERE id = 2"
refused owner "only the decision of an application changes (owner)" \
	"$CHECK: only the decision of an application changes" \
	"UPDATE withdrawal SET amount = 1 WHERE id = 2"
refused app "a rejection needs a reason (CHECK)" \
	"$CHECK: new row for relation \"withdrawal\" violates check constraint \"withdrawal_check2\"" \
	"UPDATE withdrawal SET status = 'rejected', decided_by = 3, decided_at = $T,
	   reason = '  ' WHERE id = 2"

# --- incomes ----------------------------------------------------------------
refused app "a second income for one business key is a unique violation" \
	"23505: duplicate key value violates unique constraint \"income_buss_type_ikey_key\"" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (1, 3, 'R100', 'R:R100', 10000, 1, $T)"
refused app "an income key is its reference or its event (CHECK)" \
	"$CHECK: new row for relation \"income\" violates check constraint \"income_check\"" \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (1, 3, 'R102', 'R:R103', 1, 1, $T)"

# --- branches and operators -------------------------------------------------
refused app "a branch code is letters, digits and ._- (CHECK)" \
	"$CHECK: new row for relation \"branch\" violates check constraint \"branch_code_check\"" \
	"INSERT INTO branch (code, name, created_at) VALUES (E'ZC\\n', 'x', $T)"
refused app "ff_app cannot change a branch's code (no column right)" \
	"42501: permission denied for table branch" \
	"UPDATE branch SET code = 'ZC09' WHERE id = 1"
refused owner "a branch's code is fixed (owner)" \
	"$CHECK: a branch's code is fixed" \
	"UPDATE branch SET code = 'ZC09' WHERE id = 1"
ok app "a branch's name and state change" \
	"UPDATE branch SET name = '诸城', active = 1 WHERE id = 1"
refused owner "an operator's login and role are fixed (owner)" \
	"$CHECK: an operator's login and role are fixed" \
	"UPDATE operator SET role = 'admin' WHERE login = 'rev1'"
refused owner "who added an operator is fixed (owner)" \
	"$CHECK: who added an operator is fixed" \
	"UPDATE operator SET created_by = 1 WHERE login = 'rev1'"
ok app "an admin asks for a change of another operator" \
	"UPDATE operator SET awaiting = 'grant', awaiting_by = 1 WHERE login = 'admin2'"
refused app "the asking admin cannot confirm it" \
	"$CHECK: a change is confirmed by another admin than the one who asked for it" \
	"UPDATE operator SET awaiting = '', awaiting_by = NULL, confirmed_by = 1 WHERE login = 'admin2'"
refused app "the changed operator cannot confirm it" \
	"$CHECK: an operator cannot confirm a change of their own" \
	"UPDATE operator SET awaiting = '', awaiting_by = NULL, confirmed_by = 2 WHERE login = 'admin2'"
ok app "another operator confirms it" \
	"UPDATE operator SET awaiting = '', awaiting_by = NULL, confirmed_by = 3
	 WHERE login = 'admin2' RETURNING confirmed_by" 3

# --- nothing is removed, append-only stays so --------------------------------
for op in "UPDATE ledger SET actor = 'x'" "DELETE FROM ledger" "TRUNCATE ledger"; do
	refused app "ff_app: ${op%% *} on ledger is not permitted" \
		"42501: permission denied for table ledger" "$op"
	refused owner "owner: ${op%% *} on ledger is refused by trigger" \
		"$CHECK: ledger entries are append-only" "$op"
done
while IFS='|' read -r table set msg; do
	for op in "UPDATE $table SET $set" "DELETE FROM $table" "TRUNCATE $table CASCADE"; do
		refused owner "owner: ${op%% *} on $table is refused by trigger" \
			"$CHECK: $msg" "$op"
	done
	refused app "ff_app: DELETE on $table is not permitted" \
		"42501: permission denied for table $table" "DELETE FROM $table"
done <<-'EOF'
	income|amount = amount + 1|incomes are append-only
	income_conflict|amount = 1|kept conflicts are append-only
	activity|ok = 0|activity is append-only
	release_record|host = 'x'|the release record is append-only
	chain_rehash|at = 'x'|the re-hash record is append-only
EOF
while IFS='|' read -r table msg; do
	for op in "DELETE FROM $table" "TRUNCATE $table CASCADE"; do
		refused owner "owner: ${op%% *} on $table is refused by trigger" \
			"$CHECK: $msg" "$op"
	done
	refused app "ff_app: DELETE on $table is not permitted" \
		"42501: permission denied for table $table" "DELETE FROM $table"
	refused app "ff_app: TRUNCATE on $table is not permitted" \
		"42501: permission denied for table $table" "TRUNCATE $table CASCADE"
done <<-'EOF'
	branch|branches are never removed
	account|accounts are never removed
	operator|operators are disabled, never removed
	withdrawal|applications are never removed
EOF
refused app "ff_app cannot add a second schema_version row" \
	"42501: permission denied for table schema_version" \
	"INSERT INTO schema_version VALUES (6)"
refused owner "schema_version holds one row" \
	"23505: duplicate key value violates unique constraint \"schema_version_one_row\"" \
	"INSERT INTO schema_version VALUES (6)"
refused owner "the schema version is never removed" \
	"$CHECK: the schema version is never removed" "DELETE FROM schema_version"
refused owner "the schema version is never truncated" \
	"$CHECK: the schema version is never removed" "TRUNCATE schema_version"

# --- ff_app cannot step around the guards -----------------------------------
refused app "ff_app cannot disable the ledger's trigger" \
	"42501: must be owner of table ledger" \
	"ALTER TABLE ledger DISABLE TRIGGER ledger_guard"
refused app "ff_app cannot disable all the ledger's triggers" \
	"42501: must be owner of table ledger" "ALTER TABLE ledger DISABLE TRIGGER ALL"
refused app "ff_app cannot drop the ledger" \
	"42501: must be owner of table ledger" "DROP TABLE ledger"
refused app "ff_app cannot drop the ledger's trigger" \
	"42501: must be owner of relation ledger" "DROP TRIGGER ledger_guard ON ledger"
refused app "ff_app cannot replace a guard function" \
	"42501: permission denied for schema public" \
	"CREATE OR REPLACE FUNCTION public.ledger_guard() RETURNS trigger
	 LANGUAGE plpgsql AS \$\$ BEGIN RETURN NEW; END \$\$"
refused app "ff_app cannot create tables in public" \
	"42501: permission denied for schema public" "CREATE TABLE public.x (a int)"
refused app "ff_app cannot create temporary tables" \
	"42501: permission denied to create temporary tables in database \"fftest\"" \
	"CREATE TEMP TABLE ledger (a int)"
refused app "ff_app cannot move a sequence" \
	"42501: permission denied for sequence ledger_id_seq" \
	"SELECT setval('ledger_id_seq', 1)"
refused app "ff_app cannot turn triggers off for its session" \
	"42501: permission denied to set parameter \"session_replication_role\"" \
	"SET session_replication_role = replica"
refused app "ff_app cannot become ff_owner" \
	"42501: permission denied to set role \"ff_owner\"" "SET ROLE ff_owner"
refused owner "a temporary table named ledger does not fool the guard" \
	"$CHECK: ledger entry does not continue its account's chain" \
	"CREATE TEMP TABLE ledger (account_id bigint, seq bigint, post_amount bigint,
	   income_id bigint, withdrawal_id bigint, id bigint);
	 INSERT INTO pg_temp.ledger VALUES (1, 9, 123, NULL, NULL, NULL);
	 SET search_path = pg_temp, public;
	 INSERT INTO public.ledger (account_id, seq, kind, income_id, pre_amount,
	   amount, post_amount, at, actor, hash)
	 VALUES (1, 10, 'income', 2, 123, 500, 623, $T, 'x', $H)"

# --- concurrency --------------------------------------------------------------
# A session holds a transaction open (a coprocess psql); another's statement
# must wait for it (seen in pg_stat_activity, no sleeps), then is decided.

# wait_blocked: until some backend of ff_app waits on a lock.
wait_blocked() {
	local i
	for i in $(seq 1 500); do
		run "$APP" "SELECT count(*) FROM pg_stat_activity
		            WHERE usename = 'ff_app' AND wait_event_type = 'Lock'"
		[[ $OUT == 1 ]] && return 0
	done
	return 1
}
# hold SQL: starts a coprocess psql in a transaction that ran SQL.
hold() {
	coproc HOLD { psql -X -q -At -v ON_ERROR_STOP=1 "$APP" 2>&1; }
	printf 'BEGIN;\n%s;\n\\echo held\n' "$1" >&"${HOLD[1]}"
	local line pid=$HOLD_PID
	read -r -t 30 line <&"${HOLD[0]}" || line="(no answer)"
	[[ $line == held ]] && return 0
	echo "#   holder: $line"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	return 1
}
release() {
	local pid=$HOLD_PID line
	printf '%s;\n\\echo done\n\\q\n' "$1" >&"${HOLD[1]}"
	read -r -t 30 line <&"${HOLD[0]}" || line="(no answer)"
	wait "$pid" || true
	[[ $line == done ]]
}
concurrent() {   # concurrent WHAT HOLD-SQL COMMIT-SQL OTHER-SQL "SQLSTATE: message"
	local what=$1 got
	if ! hold "$2"; then fail "$what" "the holding transaction failed"; return; fi
	( run "$APP" "$4"; printf '%s\n' "$OUT" >"$DIR/other.out"; exit "$RC" ) &
	local other=$!
	if ! wait_blocked; then
		fail "$what" "the second transaction never waited"
		release ROLLBACK; wait "$other" || true; return
	fi
	release "$3" || fail "$what (the holder commits)"
	local orc=0; wait "$other" || orc=$?
	got=$(grep -m1 '^ERROR:' "$DIR/other.out" || true)
	if [[ $orc -ne 0 && "$got" == "ERROR:  $5" ]]; then
		pass "$what"
	else
		fail "$what" "expected: ERROR:  $5" "got:      $got (rc $orc)"
	fi
}
concurrent "two entries at one place of a chain: the second waits, then is refused" \
	"$LEDGER (1, 3, 'income', 2, NULL, 7000, 500, 7500, $T, 'ingest', $H);
	 UPDATE account SET balance = 7500, withdrawable = 7500 WHERE branch_id = 1" \
	COMMIT \
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable,
	   received_at) VALUES (1, 3, 'R104', 'R:R104', 9, 1, $T);
	 $LEDGER (1, 3, 'income', currval('income_id_seq'), NULL, 7000, 9, 7009, $T, 'i', $H)" \
	"23505: duplicate key value violates unique constraint \"ledger_account_id_seq_key\""
concurrent "a cancel during an approval waits, then finds the application decided" \
	"$LEDGER (1, 4, 'withdrawal', NULL, 2, 7500, -500, 7000, $T, 'rev1', $H)" \
	"UPDATE account SET balance = 7000, withdrawable = 7000, total_withdrawn = 3500
	   WHERE branch_id = 1;
	 UPDATE withdrawal SET status = 'approved', decided_by = 3, decided_at = $T
	   WHERE id = 2; COMMIT" \
	"UPDATE withdrawal SET status = 'cancelled', decided_by = 4, decided_at = $T WHERE id = 2" \
	"$CHECK: a decided application is final"
ok app "after both races the chain and account agree" \
	"SELECT a.balance, a.total_withdrawn, max(l.seq), count(*)
	 FROM account a JOIN ledger l ON l.account_id = a.branch_id
	 WHERE a.branch_id = 1 GROUP BY a.branch_id" "7000|3500|4|4"

# --- live refresh -------------------------------------------------------------
# One listening session; each change is made by another session (\!), and
# the listener's next statement shows the notification.
notify_sql="LISTEN fundflow_changed;"
changes=(
	"INSERT INTO activity (at, actor, action, ok) VALUES ($T, 'a', 'b', 1)"
	"UPDATE branch SET active = 1 WHERE id = 2"
	"UPDATE account SET withdrawable = withdrawable WHERE branch_id = 1"
	"UPDATE operator SET name = 'R' WHERE login = 'rev1'"
	"INSERT INTO withdrawal (branch_id, amount, applicant_id, applied_at, flow) VALUES (1, 1, 4, $T, 1)"
	"INSERT INTO income (branch_id, buss_type, ref_id, ikey, amount, withdrawable, received_at) VALUES (2, 3, 'Q7', 'R:Q7', 70, 1, $T)"
	"INSERT INTO ledger (account_id, seq, kind, income_id, pre_amount, amount, post_amount, at, actor, hash) SELECT 2, 1, 'income', id, 0, 70, 70, $T, 'i', $H FROM income WHERE ref_id = 'Q7'"
	"INSERT INTO income_conflict (income_id, branch_id, buss_type, ref_id, event_id, amount, received_at) VALUES (1, 1, 3, 'R100', 'e3', 1, $T)"
)
script="LISTEN fundflow_changed;
SELECT 'before';"
for c in "${changes[@]}"; do
	script+="
\\! psql -X -q -v ON_ERROR_STOP=1 -c \"${c//\"/\\\"}\" \"$APP\" >/dev/null 2>&1 || echo CHANGE-FAILED
SELECT 'after';"
done
OUT=$(psql -X -q -At -v ON_ERROR_STOP=1 "$APP" <<<"$script" 2>&1) || true
got=$(grep -c '^Asynchronous notification "fundflow_changed" received from server process with PID [0-9]*\.$' <<<"$OUT" || true)
if [[ $got -eq ${#changes[@]} ]] && ! grep -q CHANGE-FAILED <<<"$OUT"; then
	pass "LISTEN fundflow_changed hears each of ${#changes[@]} tables' changes"
else
	fail "LISTEN fundflow_changed hears each of ${#changes[@]} tables' changes" \
		"heard $got" "$OUT"
fi
OUT=$(psql -X -q -At "$APP" <<<"LISTEN fundflow_changed;
SELECT 1 FROM branch LIMIT 1;
SELECT 2;" 2>&1) || true
if grep -q 'Asynchronous notification' <<<"$OUT"; then
	fail "a read notifies nobody" "$OUT"
else
	pass "a read notifies nobody"
fi

echo "1..$n"
if [[ $failed -ne 0 ]]; then
	echo "# $failed of $n failed"
	exit 1
fi
