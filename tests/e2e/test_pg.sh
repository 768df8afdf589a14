#!/usr/bin/env bash
# test_pg.sh — fundflow on PostgreSQL: a throwaway PostgreSQL 15 cluster of
# its own (tests/pg/cluster.sh: initdb as an unprivileged account, Unix
# socket in a temporary folder, stopped and removed at the end), the
# owner and application roles, the same commands and the same answers as
# on SQLite, the guards the server holds, row locks per account, a feeder
# killed half-way, the server gone.
. "$(dirname "$0")/lib.sh"

ADMIN=root
CLUSTER_SH=$E2E_ROOT/tests/pg/cluster.sh
PGD=$(mktemp -d /tmp/ffpg.XXXXXX)
trap 'bash "$CLUSTER_SH" stop "$PGD" >/dev/null 2>&1' EXIT
if ! bash "$CLUSTER_SH" start "$PGD" > "$T/cluster.log" 2>&1; then
	echo "not ok cluster: the test cluster did not start: $(tail -n 3 "$T/cluster.log" | tr '\n' ' ')"
	finish
	exit 0
fi
PORT=$(cat "$PGD/port")
SOCK=$PGD/sock
SUPER=$(cat "$PGD/superuser")
export PGPASSFILE=$PGD/pgpass
# The application role fundflow grants to by default, with a password.
psql -qX -h "$SOCK" -p "$PORT" -U "$SUPER" -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE fundflow_app LOGIN PASSWORD 'fundflow-app-test'" >/dev/null
printf '*:*:*:fundflow_app:fundflow-app-test\n' >> "$PGPASSFILE"

# conn DB ROLE: the libpq keyword string for ROLE on database DB.
conn() { echo "host=$SOCK port=$PORT dbname=$1 user=$2"; }
# newdb NAME: an empty database the owner role owns.
newdb() {
	psql -qX -h "$SOCK" -p "$PORT" -U "$SUPER" -d postgres -v ON_ERROR_STOP=1 \
	    -c "CREATE DATABASE $1 OWNER ff_owner" >/dev/null
}
# pq DB ROLE SQL: psql's unaligned answer.
pq() { psql -qXAt -v ON_ERROR_STOP=1 -v VERBOSITY=terse "$(conn "$1" "$2")" -c "$3" 2>&1; }

APP=$(conn co fundflow_app)
OWN=$(conn co ff_owner)
newdb co

t_init_as_owner() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$OWN" init --admin root
	expect_rc 0
	out_has "created"
	eq "$(pq co ff_owner 'SELECT version FROM schema_version')" 5 "schema version"
	eq "$(pq co ff_owner "SELECT tableowner FROM pg_tables WHERE tablename = 'ledger'")" ff_owner "ledger's owner"
	eq "$(pq co ff_owner "SELECT has_table_privilege('fundflow_app', 'ledger', 'UPDATE')::text || has_table_privilege('fundflow_app', 'ledger', 'INSERT')::text")" falsetrue "fundflow_app's rights on ledger"
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$OWN" init --admin other
	expect_rc 1
	err_has "initialised already"
}
check "init as the owning role makes the schema and grants the application role" t_init_as_owner

t_owner_refused() {
	ffas root --db "$OWN" accounts
	expect_rc 77
	err_has "connected as the role that owns fundflow's tables"
	err_has "fundflow_app"
}
check "the owning role is refused for daily work" t_owner_refused

t_password_in_name() {
	ff --db "postgresql://fundflow_app:secret@localhost:$PORT/co" accounts --user root
	expect_rc 77
	err_has "holds a password"
	err_has "database.password_file"
	ff --db "$APP password=secret" accounts --user root
	expect_rc 77
	err_has "holds a password"
}
check "a password in the database name is refused" t_password_in_name

t_password_file() {
	local cfg=$T/pw.cfg
	printf 'fundflow-app-test\n' > "$T/app.pw"
	chmod 0644 "$T/app.pw"
	printf 'database = { url = "%s"; password_file = "%s"; };\n' "$APP" "$T/app.pw" > "$cfg"
	FUNDFLOW_PASSWORD=$(pw_of root) PGPASSFILE=/nonexistent FUNDFLOW_CONFIG=$cfg \
	    ff --user root accounts
	expect_rc 77
	err_has "others may read it"
	chmod 0600 "$T/app.pw"
	FUNDFLOW_PASSWORD=$(pw_of root) PGPASSFILE=/nonexistent FUNDFLOW_CONFIG=$cfg \
	    ff --user root accounts
	expect_rc 0
	out_has "BRANCH"
	# A link to a good file is not followed (another account could swap
	# what it points to).
	ln -s "$T/app.pw" "$T/app.link"
	printf 'database = { url = "%s"; password_file = "%s"; };\n' "$APP" "$T/app.link" > "$T/link.cfg"
	FUNDFLOW_PASSWORD=$(pw_of root) PGPASSFILE=/nonexistent FUNDFLOW_CONFIG=$T/link.cfg \
	    ff --user root accounts
	expect_rc 77
	err_has "cannot read the database password"
	err_has "Too many levels of symbolic links"
	printf 'wrong\n' > "$T/app.pw"
	FUNDFLOW_PASSWORD=$(pw_of root) PGPASSFILE=/nonexistent FUNDFLOW_CONFIG=$cfg \
	    ff --user root accounts
	expect_rc 69
	err_has "cannot connect to the database server"
	err_has "password authentication failed"
}
check "database.url with a password_file of mode 0600 only" t_password_file

t_setup_and_flow() {
	export FUNDFLOW_DB=$APP
	ffas root branch add ZC01 "诸城分公司"
	expect_rc 0
	ffas root branch add QD02 "青岛分公司"
	expect_rc 0
	add_user rev reviewer
	add_user rev2 reviewer
	add_user aud auditor
	add_user zc staff ZC01
	{
		printf '{"event_id":"e1","branch":"ZC01","buss_type":1,"ref_id":"ORD-1","amount":1000}\n'
		printf '{"event_id":"e1","branch":"ZC01","buss_type":1,"ref_id":"ORD-1","amount":1000}\n'
		printf '{"event_id":"e2","branch":"ZC01","buss_type":1,"ref_id":"ORD-1","amount":7}\n'
		printf '{"event_id":"e3","branch":"QD02","buss_type":8,"ref_id":"DEP-1","amount":500}\n'
		printf '{"event_id":"e4","branch":"NOPE","buss_type":1,"ref_id":"X","amount":1}\n'
	} > "$T/ev.jsonl"
	ffin "$T/ev.jsonl" --json ingest -
	expect_rc 65
	err_has 'line 5: unknown branch "NOPE"'
	eq "$(jx '$.applied')|$(jx '$.duplicate')|$(jx '$.conflict')|$(jx '$.rejected')" "2|1|1|1" "ingest counts"
	ffas zc --json withdraw apply --branch ZC01 --amount 300 --note rent
	expect_rc 0
	ffas zc withdraw apply --branch ZC01 --amount 1200
	expect_rc 1
	err_has "ZC01 can withdraw at most 1,000.00 now"
	ffas rev withdraw approve 1
	expect_rc 0
	ffas rev2 withdraw approve 1
	expect_rc 1
	err_has "approved"
	ffas aud --json accounts
	expect_rc 0
	eq "$(jq -r '.[] | select(.branch == "ZC01") | "\(.balance)|\(.withdrawable)|\(.total_withdrawn)"' "$OUT")" "700.00|700.00|300.00" "ZC01 after the approval"
	eq "$(jq -r '.[] | select(.branch == "QD02") | "\(.balance)|\(.withdrawable)"' "$OUT")" "500.00|0.00" "QD02 (a deposit)"
	ffas aud audit
	expect_rc 0
	out_has "audit clean"
}
check "branches, operators, ingest and the flow on PostgreSQL" t_setup_and_flow

t_same_as_sqlite() {
	newdb demo
	ff --db "$(conn demo ff_owner)" demo
	expect_rc 0
	ff --db "$T/demo.db" demo
	expect_rc 0
	local e
	for e in "$(conn demo fundflow_app)" "$T/demo.db"; do
		E2E_PW=demo ffas auditor --db "$e" --json accounts
		expect_rc 0
		cp "$OUT" "$T/acc.$([ "$e" = "$T/demo.db" ] && echo sq || echo pg)"
		E2E_PW=demo ffas auditor --db "$e" --json ledger --branch QD02
		expect_rc 0
		jq -c '.[] | [.seq, .branch, .kind, .amount, .after, .reference]' "$OUT" \
		    > "$T/led.$([ "$e" = "$T/demo.db" ] && echo sq || echo pg)"
		E2E_PW=demo ffas auditor --db "$e" audit
		expect_rc 0
		sed 's/.*audit clean: //' "$OUT" > "$T/aud.$([ "$e" = "$T/demo.db" ] && echo sq || echo pg)"
	done
	cmp -s "$T/acc.sq" "$T/acc.pg" || fail "accounts --json differ: $(diff "$T/acc.sq" "$T/acc.pg" | head -5)"
	[ -s "$T/led.sq" ] || fail "no ledger rows"
	cmp -s "$T/led.sq" "$T/led.pg" || fail "ledger of QD02 differs: $(diff "$T/led.sq" "$T/led.pg" | head -5)"
	cmp -s "$T/aud.sq" "$T/aud.pg" || fail "audit differs: $(cat "$T/aud.sq") / $(cat "$T/aud.pg")"
	ff --db "$(conn demo ff_owner)" demo
	expect_rc 1
	err_has "holds a fundflow database already"
}
check "the demo on both engines: the same accounts, ledger and audit" t_same_as_sqlite

t_copy() {
	newdb moved
	ff copy "$T/demo.db" "$(conn moved ff_owner)"
	expect_rc 0
	out_has "audit clean"
	local src dst
	src=$(sed -n 's/^source chain heads: //p' "$OUT")
	dst=$(sed -n 's/^target chain heads: //p' "$OUT")
	[ ${#src} -eq 64 ] || fail_run "no source chain heads"
	eq "$dst" "$src" "the chain heads of the copy"
	local cmd
	for cmd in accounts ledger "withdraw list" incomes releases "user list"; do
		# shellcheck disable=SC2086
		E2E_PW=demo ffas admin --db "$T/demo.db" --json $cmd
		expect_rc 0
		cp "$OUT" "$T/copy.sq"
		# shellcheck disable=SC2086
		E2E_PW=demo ffas admin --db "$(conn moved fundflow_app)" --json $cmd
		expect_rc 0
		cmp -s "$T/copy.sq" "$OUT" || fail "$cmd --json differs after the copy: $(diff "$T/copy.sq" "$OUT" | head -4)"
	done
	E2E_PW=demo ffas auditor --db "$(conn moved fundflow_app)" audit
	expect_rc 0
	out_has "audit clean"
	ff copy "$T/demo.db" "$(conn moved ff_owner)"
	expect_rc 1
	err_has "is not empty"
	ff copy "$T/demo.db" "$T/other.db"
	expect_rc 64
	err_has "copy goes from a SQLite file to a PostgreSQL database"
}
check "copy of a demo company: every listing the same on PostgreSQL, audit clean" t_copy

t_app_role_cannot() {
	eq "$(pq co fundflow_app "UPDATE ledger SET amount = 1")" "ERROR:  permission denied for table ledger" "UPDATE as fundflow_app"
	eq "$(pq co fundflow_app "ALTER TABLE ledger DISABLE TRIGGER USER")" "ERROR:  must be owner of table ledger" "DISABLE TRIGGER as fundflow_app"
	eq "$(pq co fundflow_app "DELETE FROM income")" "ERROR:  permission denied for table income" "DELETE as fundflow_app"
	eq "$(pq co ff_owner "UPDATE ledger SET amount = 1")" "ERROR:  ledger entries are append-only" "UPDATE as the owner"
}
check "the application role cannot change the ledger or its guards" t_app_role_cannot

t_tamper_found() {
	export FUNDFLOW_DB=$APP
	pq co ff_owner "ALTER TABLE ledger DISABLE TRIGGER USER;
	    ALTER TABLE account DISABLE TRIGGER USER;
	    UPDATE ledger SET amount = amount + 100, post_amount = post_amount + 100 WHERE seq = 1 AND account_id = (SELECT id FROM branch WHERE code = 'QD02');
	    UPDATE account SET balance = balance + 100 WHERE branch_id = (SELECT id FROM branch WHERE code = 'QD02')" >/dev/null
	ffas aud audit
	expect_rc 1
	out_has "QD02"
	out_has "trigger is disabled"
	pq co ff_owner "ALTER TABLE ledger ENABLE TRIGGER USER; ALTER TABLE account ENABLE TRIGGER USER" >/dev/null
	ffas aud audit
	expect_rc 1
	out_lacks "trigger is disabled"
	out_has "QD02"
}
check "a change made as the owner with the triggers off is found by audit" t_tamper_found

t_racing_reviewers() {
	local db=race
	newdb $db
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$(conn $db ff_owner)" init --admin root
	expect_rc 0
	export FUNDFLOW_DB=$(conn $db fundflow_app)
	local b i
	for b in A1 A2 A3 A4; do
		ffas root branch add $b "Branch $b"
		expect_rc 0
	done
	add_user rv1 reviewer
	add_user rv2 reviewer
	add_user st staff A1
	add_user au auditor
	: > "$T/race.jsonl"
	for b in A1 A2 A3 A4; do
		printf '{"event_id":"r-%s","branch":"%s","buss_type":1,"ref_id":"R-%s","amount":1000}\n' $b $b $b >> "$T/race.jsonl"
	done
	ffin "$T/race.jsonl" ingest -
	expect_rc 0
	# Ten applications of 300 on A1 (only three fit) and two reviewers
	# approving all of them at once.
	for i in $(seq 1 10); do
		ffas st withdraw apply --branch A1 --amount 300
		expect_rc 0
	done
	for i in $(seq 1 10); do
		( FUNDFLOW_PASSWORD=$(pw_of rv1) "$FUNDFLOW" --user rv1 withdraw approve "$i" >/dev/null 2>&1; echo $? > "$T/r1.$i" ) &
		( FUNDFLOW_PASSWORD=$(pw_of rv2) "$FUNDFLOW" --user rv2 withdraw approve "$i" >/dev/null 2>&1; echo $? > "$T/r2.$i" ) &
	done
	wait
	eq "$(pq $db ff_owner "SELECT count(*) FROM withdrawal WHERE status = 'approved'")" 3 "approved applications"
	eq "$(pq $db ff_owner "SELECT balance || '|' || withdrawable || '|' || total_withdrawn FROM account WHERE branch_id = (SELECT id FROM branch WHERE code = 'A1')")" "10000|10000|90000" "A1 in fen"
	eq "$(cat "$T"/r1.* "$T"/r2.* | grep -c '^0$')" 3 "approvals that succeeded"
	ffas au audit
	expect_rc 0
}
check "reviewers racing on one account: what fits is approved, once" t_racing_reviewers

t_account_held() {
	export FUNDFLOW_DB=$(conn race fundflow_app)
	add_user st2 staff A2
	add_user st3 staff A3
	ffas st2 --json withdraw apply --branch A2 --amount 100
	expect_rc 0
	local a2 a3 i
	a2=$(jx '$.id')
	ffas st3 --json withdraw apply --branch A3 --amount 100
	expect_rc 0
	a3=$(jx '$.id')
	# Another writer holds A2's account row and does not let go (as a
	# stopped process would): a decision on A2 gives up after
	# busy_timeout_ms, one on A3 goes through meanwhile.
	mkfifo "$T/hold.in"
	psql -qXAt "$(conn race ff_owner)" < "$T/hold.in" > "$T/hold.out" 2>&1 &
	local holder=$!
	exec 7> "$T/hold.in"
	echo "BEGIN; SELECT 1 FROM account WHERE branch_id = (SELECT id FROM branch WHERE code = 'A2') FOR UPDATE; SELECT 'held';" >&7
	for i in $(seq 1 200); do
		grep -q '^held$' "$T/hold.out" && break
		sleep 0.05
	done
	grep -q '^held$' "$T/hold.out" || fail "the holder did not take the lock: $(cat "$T/hold.out")"
	ffas rv1 withdraw approve "$a3"
	expect_rc 0
	ffas rv1 withdraw approve "$a2"
	expect_rc 75
	err_has "the database is busy"
	err_has "nothing was changed, try again"
	eq "$(pq race ff_owner "SELECT status FROM withdrawal WHERE id = $a2")" pending "A2's application while held"
	echo "ROLLBACK;" >&7
	exec 7>&-
	wait $holder
	ffas rv1 withdraw approve "$a2"
	expect_rc 0
	ffas au audit
	expect_rc 0
}
check "an account held by another writer: its decision waits and gives up (75), another branch's goes through" t_account_held

# A deadlock: another session holds A2's account and then asks for the
# application fundflow's approval holds while it waits for that account.
# The server undoes fundflow's transaction (the first to wait checks
# first: its deadlock_timeout, 4 s here, against the other's 60 s);
# fundflow makes the decision again, all its checks included, and it goes
# through once the other commits.  Without the retry: 75.
t_deadlock_retried() {
	export FUNDFLOW_DB=$(conn race fundflow_app)
	local id pid rc i cfg=$T/dl.cfg
	ffas st2 --json withdraw apply --branch A2 --amount 10
	expect_rc 0
	id=$(jx '$.id')
	printf '%s\ndatabase = { busy_timeout_ms = 30000; };\n' "$(grep -v '^database' "$FUNDFLOW_CONFIG")" > "$cfg"
	psql -qX -h "$SOCK" -p "$PORT" -U "$SUPER" -d postgres -v ON_ERROR_STOP=1 \
	    -c "ALTER ROLE fundflow_app IN DATABASE race SET deadlock_timeout = '4s'" >/dev/null
	rm -f "$T/dl.in"
	mkfifo "$T/dl.in"
	psql -qXAt "host=$SOCK port=$PORT dbname=race user=$SUPER" < "$T/dl.in" > "$T/dl.hold" 2>&1 &
	local holder=$!
	exec 8> "$T/dl.in"
	echo "SET deadlock_timeout = '60s'; BEGIN; SELECT 1 FROM account WHERE branch_id = (SELECT id FROM branch WHERE code = 'A2') FOR UPDATE; SELECT 'held';" >&8
	for i in $(seq 1 200); do
		grep -q '^held$' "$T/dl.hold" && break
		sleep 0.05
	done
	grep -q '^held$' "$T/dl.hold" || fail "the holder did not take the lock: $(cat "$T/dl.hold")"
	FUNDFLOW_CONFIG=$cfg FUNDFLOW_PASSWORD=$(pw_of rv1) "$FUNDFLOW" --user rv1 withdraw approve "$id" > "$T/dl.out" 2> "$T/dl.err" &
	pid=$!
	# (Another role's wait events are the superuser's to see.)
	waiting() { [ "$(psql -qXAt -h "$SOCK" -p "$PORT" -U "$SUPER" -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'race' AND application_name LIKE 'fundflow%' AND wait_event_type = 'Lock'")" = 1 ]; }
	for i in $(seq 1 200); do
		waiting && break
		sleep 0.05
	done
	waiting || fail "the approval never waited for the account"
	echo "SELECT 1 FROM withdrawal WHERE id = $id FOR UPDATE; SELECT 'second'; COMMIT; SELECT 'done';" >&8
	exec 8>&-
	wait "$holder"
	wait "$pid"
	rc=$?
	psql -qX -h "$SOCK" -p "$PORT" -U "$SUPER" -d postgres \
	    -c "ALTER ROLE fundflow_app IN DATABASE race RESET deadlock_timeout" >/dev/null
	grep -q '^second$' "$T/dl.hold" || fail "the holder never had the application: $(cat "$T/dl.hold")"
	eq "$rc" 0 "the approval's exit (stderr: $(cat "$T/dl.err"))"
	eq "$(pq race ff_owner "SELECT status FROM withdrawal WHERE id = $id")" approved "the application"
	eq "$(pq race ff_owner "SELECT count(*) FROM ledger WHERE kind = 'withdrawal' AND withdrawal_id = $id")" 1 "its ledger entries"
	ffas au audit
	expect_rc 0
}
check "a deadlock with another session: the server undoes the approval, fundflow makes it again" t_deadlock_retried

# cut_commit MODE NTH ARGS...: ffas/ff with the connection lost at COMMIT
# (tests/pg/pgshim.c, preloaded behind the sanitizers' runtimes).
cut_commit() {
	local mode=$1 nth=$2
	shift 2
	FFPGSHIM=$mode FFPGSHIM_NTH=$nth FFPGSHIM_LOG=$T/cut.log \
	    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so) $PGSHIM_SO" "$@"
}
t_commit_lost() {
	[ -n "${PGSHIM_SO:-}" ] && [ -f "$PGSHIM_SO" ] || fail "PGSHIM_SO is not built (make e2e builds it)"
	local n id t0 took bal want
	newdb cut
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$(conn cut ff_owner)" init --admin root
	expect_rc 0
	export FUNDFLOW_DB=$(conn cut fundflow_app)
	ffas root branch add ZC01 "诸城分公司"
	expect_rc 0
	ffas root branch add QD02 "青岛分公司"
	expect_rc 0
	add_user rev reviewer
	add_user aud auditor
	add_user zc staff ZC01
	printf '{"event_id":"c0","branch":"ZC01","buss_type":1,"ref_id":"C0","amount":1000}\n' > "$T/c0.jsonl"
	ff ingest "$T/c0.jsonl"
	expect_rc 0
	: > "$T/cut.log"
	n=$(pq cut ff_owner "SELECT count(*) FROM withdrawal")
	# COMMIT never reached the server: not kept, said so, 75.
	cut_commit before 1 ffas zc withdraw apply --branch ZC01 --amount 5 --note cut-before
	expect_rc 75
	err_has "the connection to the database server was lost while saving, and the server did not keep the change; nothing was changed, try again"
	eq "$(pq cut ff_owner "SELECT count(*) FROM withdrawal")" "$n" "applications after a COMMIT that never arrived"
	# The server has not noticed the connection gone and holds the
	# transaction open: it is ended, then known not kept, within the
	# busy timeout.
	t0=$(date +%s%N)
	cut_commit stall 1 ffas zc withdraw apply --branch ZC01 --amount 5 --note cut-stall
	took=$(( ($(date +%s%N) - t0) / 1000000 ))
	expect_rc 75
	err_has "the server did not keep the change"
	[ "$took" -lt 30000 ] || fail "the stalled COMMIT took ${took} ms to resolve"
	eq "$(pq cut ff_owner "SELECT count(*) FROM withdrawal")" "$n" "applications after a stalled COMMIT"
	eq "$(pq cut ff_owner "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cut' AND state LIKE 'idle in transaction%'")" 0 "sessions left idle in a transaction"
	# COMMIT kept, its answer lost: asked again, known kept, done once.
	cut_commit after 1 ffas zc --json withdraw apply --branch ZC01 --amount 6 --note cut-after
	expect_rc 0
	id=$(jx '$.id')
	eq "$(pq cut ff_owner "SELECT count(*) || '|' || max(amount) FROM withdrawal WHERE note = 'cut-after'")" "1|600" "the application kept once"
	cut_commit after 1 ffas rev withdraw approve "$id"
	expect_rc 0
	out_has "approved application $id"
	eq "$(pq cut ff_owner "SELECT count(*) FROM ledger WHERE withdrawal_id = $id")|$(pq cut ff_owner "SELECT status FROM withdrawal WHERE id = $id")" "1|approved" "the approval kept once"
	# A feeder's group not kept is applied again by itself.
	for i in $(seq 1 3000); do
		printf '{"event_id":"cut-%d","branch":"QD02","buss_type":1,"ref_id":"CUT-%d","amount":1}\n' "$i" "$i"
	done > "$T/cut.jsonl"
	bal=$(pq cut ff_owner "SELECT balance FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = 'QD02'")
	cut_commit before 1 ff --json ingest "$T/cut.jsonl"
	expect_rc 0
	eq "$(jx '$.applied')" 3000 "events applied"
	want=$((bal + 300000))
	eq "$(pq cut ff_owner "SELECT balance FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = 'QD02'")" "$want" "QD02's balance (fen)"
	eq "$(grep -c '^cut ' "$T/cut.log")" 5 "COMMITs cut"
	ffas aud audit
	expect_rc 0
	out_has "audit clean"
}
check "the connection lost at COMMIT: asked again, a change not kept says 75, one kept is done once" t_commit_lost

# A reviewer's fundflow really stopped (SIGSTOP) inside its approval, with
# the account's row locked: a decision on that branch gives up after the
# lock timeout (75, nothing changed), one on another branch goes through
# meanwhile, and the stopped one, continued, commits.
t_stopped_in_tx() {
	export FUNDFLOW_DB=$(conn cut fundflow_app)
	local a1 a2 b1 pid i state
	add_user qd staff QD02
	ffas zc --json withdraw apply --branch ZC01 --amount 10 --note stop-1
	expect_rc 0
	a1=$(jx '$.id')
	ffas zc --json withdraw apply --branch ZC01 --amount 10 --note stop-2
	expect_rc 0
	a2=$(jx '$.id')
	ffas qd --json withdraw apply --branch QD02 --amount 10 --note stop-3
	expect_rc 0
	b1=$(jx '$.id')
	# (A simple command, so that $! is fundflow itself.)
	FFPGSHIM=stop FFPGSHIM_NTH=1 FFPGSHIM_LOG=$T/cut.log FUNDFLOW_PASSWORD=$(pw_of rev) \
	    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so) $PGSHIM_SO" \
	    "$FUNDFLOW" --user rev withdraw approve "$a1" > "$T/stop.out" 2>&1 < /dev/null &
	pid=$!
	for i in $(seq 1 400); do
		state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1)
		[ "$state" = T ] && break
		sleep 0.05
	done
	[ "$state" = T ] || fail "the reviewer's fundflow did not stop in its transaction (state $state): $(cat "$T/stop.out") $(cat "$T/cut.log")"
	ffas rev withdraw approve "$a2"
	expect_rc 75
	err_has "cannot read the account: the database is busy (another writer held the account for more than 5000 ms); nothing was changed, try again"
	eq "$(pq cut ff_owner "SELECT status FROM withdrawal WHERE id = $a2")" pending "the application behind the stopped one"
	ffas rev withdraw approve "$b1"
	expect_rc 0
	kill -CONT "$pid"
	wait "$pid"
	eq "$?" 0 "the stopped approval, continued"
	eq "$(pq cut ff_owner "SELECT status FROM withdrawal WHERE id IN ($a1, $a2, $b1) ORDER BY id")" "$(printf 'approved\npending\napproved')" "the three applications"
	ffas aud audit
	expect_rc 0
	out_has "audit clean"
}
check "a fundflow stopped inside its approval: the same account waits and gives up (75), another goes on" t_stopped_in_tx

t_kill_mid_ingest() {
	local db=kill n i
	newdb $db
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$(conn $db ff_owner)" init --admin root
	expect_rc 0
	export FUNDFLOW_DB=$(conn $db fundflow_app)
	for b in K1 K2 K3; do
		ffas root branch add $b "Branch $b"
		expect_rc 0
	done
	add_user au auditor
	: > "$T/k.jsonl"
	for i in $(seq 1 20000); do
		printf '{"event_id":"k-%d","branch":"K%d","buss_type":1,"ref_id":"K-%d","amount":%d}\n' \
		    $i $(( i % 3 + 1 )) $i $(( i % 97 + 1 ))
	done >> "$T/k.jsonl"
	"$FUNDFLOW" ingest "$T/k.jsonl" >/dev/null 2>&1 &
	local pid=$!
	# Kill it once some groups are committed and more are coming.
	for i in $(seq 1 600); do
		n=$(pq $db ff_owner "SELECT count(*) FROM income")
		[ "$n" -ge 2000 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	n=$(pq $db ff_owner "SELECT count(*) FROM income")
	[ "$n" -lt 20000 ] || fail "the feeder finished before it was killed ($n incomes)"
	ff ingest "$T/k.jsonl"
	expect_rc 0
	eq "$(pq $db ff_owner "SELECT count(*) FROM income")" 20000 "incomes after the rerun"
	local want
	want=$(awk -F'"amount":' '{ split($2, a, "}"); s += a[1] * 100 } END { printf "%d", s }' "$T/k.jsonl")
	eq "$(pq $db ff_owner "SELECT sum(balance) FROM account")" "$want" "balances (fen) against the file"
	ffas au audit
	expect_rc 0
	out_has "audit clean"
}
check "kill -9 mid-ingest on PostgreSQL: the rerun credits the rest, nothing twice" t_kill_mid_ingest

t_racing_feeders() {
	local db=feed i
	newdb $db
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$(conn $db ff_owner)" init --admin root
	expect_rc 0
	export FUNDFLOW_DB=$(conn $db fundflow_app)
	for b in F1 F2 F3 F4 F5; do
		ffas root branch add $b "Branch $b"
		expect_rc 0
	done
	add_user au auditor
	# One feed, and the same feed backwards: two feeders take the same
	# accounts in opposite orders, so PostgreSQL ends some of their
	# groups to break deadlocks; each applies such a group again.
	for i in $(seq 1 6000); do
		printf '{"event_id":"f-%d","branch":"F%d","buss_type":1,"ref_id":"F-%d","amount":%d}\n' \
		    $i $(( i % 5 + 1 )) $i $(( i % 89 + 1 ))
	done > "$T/f.jsonl"
	tac "$T/f.jsonl" > "$T/f.rev"
	( "$FUNDFLOW" --json ingest "$T/f.jsonl" > "$T/f1.out" 2> "$T/f1.err"; echo $? > "$T/f1.rc" ) &
	( "$FUNDFLOW" --json ingest "$T/f.rev" > "$T/f2.out" 2> "$T/f2.err"; echo $? > "$T/f2.rc" ) &
	wait
	eq "$(cat "$T/f1.rc")|$(cat "$T/f2.rc")" "0|0" "both feeders' exit codes ($(cat "$T/f1.err" "$T/f2.err" | head -3))"
	eq "$(( $(jq .applied "$T/f1.out") + $(jq .applied "$T/f2.out") ))" 6000 "applied by the two"
	eq "$(( $(jq .duplicate "$T/f1.out") + $(jq .duplicate "$T/f2.out") ))" 6000 "duplicates seen by the two"
	eq "$(pq $db ff_owner "SELECT count(*) FROM income")" 6000 "incomes"
	local want
	want=$(awk -F'"amount":' '{ split($2, a, "}"); s += a[1] * 100 } END { printf "%d", s }' "$T/f.jsonl")
	eq "$(pq $db ff_owner "SELECT sum(balance) FROM account")" "$want" "balances (fen) against the file"
	ffas au audit
	expect_rc 0
}
check "two feeders racing over the same accounts: each event credited once" t_racing_feeders

t_backup_refused() {
	ffas root --db "$APP" backup "$T/x.bak"
	expect_rc 74
	err_has "pg_dump"
	[ ! -e "$T/x.bak" ] || [ ! -s "$T/x.bak" ] || fail "a backup file was written"
}
check "backup on PostgreSQL names pg_dump" t_backup_refused

t_newer_schema() {
	pq co ff_owner "ALTER TABLE schema_version DISABLE TRIGGER USER; UPDATE schema_version SET version = 6; ALTER TABLE schema_version ENABLE TRIGGER USER" >/dev/null
	ffas root --db "$APP" accounts
	expect_rc 69
	err_has "schema version 6"
	pq co ff_owner "ALTER TABLE schema_version DISABLE TRIGGER USER; UPDATE schema_version SET version = 5; ALTER TABLE schema_version ENABLE TRIGGER USER" >/dev/null
}
check "a database of a newer schema is refused" t_newer_schema

t_screens_reconnect() {
	. "$E2E_ROOT/tests/e2e/tui_lib.sh"
	local old=$DB
	DB=$(conn demo fundflow_app)
	E2E_PW=demo
	tui_start s
	tui_login s auditor demo
	tui_wait s "ZC01"
	# Another process's commit reaches the open screen (NOTIFY).
	printf '{"event_id":"live-1","branch":"HAM2","buss_type":1,"ref_id":"LIVE-1","amount":1000000}\n' > "$T/live.jsonl"
	ff --db "$DB" ingest "$T/live.jsonl"
	expect_rc 0
	ffas auditor --db "$DB" accounts --branch HAM2
	expect_rc 0
	local now
	now=$(awk '$1 == "HAM2" { print $4 }' "$OUT")
	[ -n "$now" ] || fail_run "no balance of HAM2"
	tui_wait s "$now"
	bash "$CLUSTER_SH" pause "$PGD" || fail "the server did not stop"
	tui_wait s "The connection to the database was lost"
	tui_alive s
	bash "$CLUSTER_SH" resume "$PGD" || fail "the server did not start again"
	tui_wait s "Connected to the database again"
	tui_keys s 2
	tui_wait s "Withdrawals"
	tui_quit s
	DB=$old
}
check "the screens on PostgreSQL: live refresh, and a server restart survived" t_screens_reconnect

t_server_gone() {
	bash "$CLUSTER_SH" stop "$PGD" >/dev/null 2>&1
	local t0=$SECONDS
	ffas root --db "$APP" accounts
	expect_rc 69
	err_has "cannot connect to the database server"
	[ $((SECONDS - t0)) -le 12 ] || fail "took $((SECONDS - t0)) s"
	ffas root --db "host=127.0.0.1 port=1 dbname=co user=fundflow_app connect_timeout=2" accounts
	expect_rc 69
	err_has "cannot connect to the database server"
}
check "the server gone: a sentence and exit 69" t_server_gone

finish
