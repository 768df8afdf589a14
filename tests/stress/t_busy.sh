#!/usr/bin/env bash
# t_busy.sh — a writer that holds the lock longer than busy_timeout
# (issue 4, item 6).
#
# busy_timeout_ms = 300 in a config file (FUNDFLOW_CONFIG).  The lock is
# held twice over: by the sqlite3 shell in BEGIN IMMEDIATE (SQLite's own
# lock), and by a fundflow process inside its write transaction (the
# writers' queue in front of the lock, then the lock).  Every writing
# command then ends with exit 75 and a clear "busy" message within a
# bounded time, and the database is byte-for-byte the same as before
# (.dump); reading commands go on working; the screens stay responsive
# (an approval on the Withdrawals screen says busy, and the program
# still moves between screens and quits).  Once the lock is gone the same
# commands go through.
. "$(dirname "$0")/lib.sh"

DB=$T/busy.db
dbcopy "$BASE/demo.db" "$DB"
cat > busy.cfg <<'EOF'
database = { busy_timeout_ms = 300; };
EOF
export FUNDFLOW_CONFIG=$T/busy.cfg
export FUNDFLOW_NEW_PASSWORD=demo
printf '%s\n' \
	'{"event_id":"busy-1","branch":"ZC01","buss_type":1,"ref_id":"BUSY-1","amount":"10.00"}' \
	'{"event_id":"busy-2","branch":"QD02","buss_type":1,"ref_id":"BUSY-2","amount":"11.00"}' > events.jsonl
approve_id=$(q "SELECT w.id FROM withdrawal w JOIN account a ON a.branch_id = w.branch_id
	WHERE w.status = 'pending' AND a.withdrawable >= w.amount AND w.branch_id <> 1 ORDER BY w.id LIMIT 1")
reject_id=$(q "SELECT id FROM withdrawal WHERE status = 'pending' AND branch_id <> 1 AND id <> $approve_id ORDER BY id LIMIT 1")
cancel_id=$(q "SELECT id FROM withdrawal WHERE status = 'pending' AND branch_id = 1 ORDER BY id LIMIT 1")
note "approve $approve_id, reject $reject_id, cancel $cancel_id"

writes=(
	"apply|--user staff withdraw apply --branch ZC01 --amount 1.00 --note busy"
	"approve|--user reviewer withdraw approve $approve_id"
	"reject|--user reviewer withdraw reject $reject_id --reason busy"
	"cancel|--user staff withdraw cancel $cancel_id"
	"ingest|ingest $T/events.jsonl"
	"user-add|--user admin user add busyuser --role auditor"
	"branch-add|--user admin branch add BZ01 Busy"
	"user-disable|--user admin user disable clerk.sh06"
	"user-passwd|--user admin user passwd reviewer2"
)
reads=(
	"accounts|--user auditor accounts"
	"withdraw-list|--user reviewer withdraw list"
	"ledger|--user auditor ledger --limit 5"
	"incomes|--user auditor incomes --limit 5"
	"releases|--user auditor releases"
)

dump() { sqlite3 "$DB" .dump | md5sum | cut -d' ' -f1; }
ms() { date +%s%3N; }

attack() { # HOLDER
	local holder=$1 entry name args before t0 took
	for entry in "${writes[@]}"; do
		name=${entry%%|*}
		args=${entry#*|}
		before=$(dump)
		t0=$(ms)
		# shellcheck disable=SC2086
		ff --db "$DB" $args
		took=$(( $(ms) - t0 ))
		after=$(dump)
		if [ "$RC" != 75 ]; then
			notok "busy.$holder.$name" "exit $RC after ${took}ms, not 75: $(head -c 300 "$ERR")"
		elif ! grep -qi 'busy' "$ERR"; then
			notok "busy.$holder.$name" "no clear message: $(head -c 300 "$ERR")"
		elif [ "$took" -ge 4000 ]; then
			notok "busy.$holder.$name" "took ${took}ms with a 300 ms busy timeout"
		elif [ "$before" != "$after" ]; then
			notok "busy.$holder.$name" "exit 75, but the database changed"
		else
			ok "busy.$holder.$name"
		fi
	done
	for entry in "${reads[@]}"; do
		name=${entry%%|*}
		args=${entry#*|}
		t0=$(ms)
		# shellcheck disable=SC2086
		ff --db "$DB" $args
		took=$(( $(ms) - t0 ))
		WHY="exit $RC after ${took}ms: $(head -c 300 "$ERR")"
		check "busy.$holder.$name.reads-on" test "$RC" = 0 -a "$took" -lt 4000
	done
}

# 1. The sqlite3 shell holds SQLite's write lock.
rm -f lockfifo
mkfifo lockfifo
sqlite3 "$DB" < lockfifo > lock.out 2>&1 &
lock_pid=$!
exec 3> lockfifo
echo "PRAGMA busy_timeout = 100; BEGIN IMMEDIATE; SELECT 'locked';" >&3
for _ in $(seq 100); do grep -q locked lock.out && break; sleep 0.05; done
if grep -q locked lock.out; then
	attack sqlite3
else
	notok busy.sqlite3.lock "the sqlite3 shell could not take the lock: $(cat lock.out)"
fi
echo "ROLLBACK;" >&3
exec 3>&-
wait $lock_pid

# 2. A fundflow process inside its write transaction.
"$FFSTRESS" hold "$DB" 60000 > hold.out 2>&1 &
hold_pid=$!
for _ in $(seq 200); do grep -q held hold.out && break; sleep 0.05; done
if grep -q held hold.out; then
	attack fundflow
	# 3. The screens stay responsive.
	if command -v tmux > /dev/null; then
		sock=$T/tmux.sock
		tm() { tmux -S "$sock" -f /dev/null "$@"; }
		screen() { tm capture-pane -p -t tui 2>/dev/null; }
		wait_screen() { # TEXT SECS
			local i
			for i in $(seq $(($2 * 10))); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
			return 1
		}
		tm new-session -d -s tui -x 100 -y 30 \
			"cd $T && env LC_ALL=C.UTF-8 FUNDFLOW_CONFIG=$T/busy.cfg $FUNDFLOW --db $DB 2>$T/tui.err; echo \$? > $T/tui.rc"
		ok_tui=1
		wait_screen Password 20 || ok_tui=0
		tm send-keys -t tui -l reviewer; tm send-keys -t tui Tab; tm send-keys -t tui -l demo; tm send-keys -t tui Enter
		wait_screen "[2 Withdrawals]" 20 || ok_tui=0
		tm send-keys -t tui 2
		tm send-keys -t tui g
		tm send-keys -t tui a
		wait_screen "Approve application" 10 || ok_tui=0
		before=$(dump)
		t0=$(ms)
		tm send-keys -t tui y
		wait_screen "busy" 10 || ok_tui=0
		took=$(( $(ms) - t0 ))
		WHY="the screen did not say busy (${took}ms): $(screen | tail -n 3 | tr '\n' ' ')"
		check busy.tui.says-busy test $ok_tui = 1
		WHY="the database changed"
		check busy.tui.nothing-changed test "$before" = "$(dump)"
		tm send-keys -t tui 1
		ok_tui=1
		wait_screen "[1 Accounts]" 10 || ok_tui=0
		tm send-keys -t tui q
		sleep 0.3
		tm send-keys -t tui y
		for _ in $(seq 100); do [ -e tui.rc ] && break; sleep 0.1; done
		WHY="after the busy message the screens did not respond: $(screen | tail -n 5 | tr '\n' ' ')"
		check busy.tui.stays-responsive test $ok_tui = 1 -a "$(cat tui.rc 2>/dev/null)" = 0
		tm kill-server > /dev/null 2>&1
	fi
else
	notok busy.fundflow.lock "ffstress hold did not take the lock: $(cat hold.out)"
fi
kill "$hold_pid" 2>/dev/null
wait "$hold_pid" 2>/dev/null

# 4. The last connection's checkpoint at its close takes SQLite's
#    exclusive lock: a reader stopped there (SIGSTOP, a debugger) holds up
#    whoever opens the database next.  That one gives up after the busy
#    timeout, told who holds it, as behind a writer stopped in its
#    transaction; the stopped one, continued, ends well.
stopped() { # PID: 0 once it is stopped (state T), within 20 s
	local i
	for i in $(seq 400); do
		[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = T ] && return 0
		sleep 0.05
	done
	return 1
}
before=$(dump)
FFSHIM=stop_on_exclusive=1 LD_PRELOAD="$ASAN_RT $UBSAN_RT $FFSHIM_SO" \
	"$FUNDFLOW" --db "$DB" --user auditor accounts > close.out 2>&1 < /dev/null &
closer=$!
if stopped "$closer"; then
	t0=$(ms)
	ff --db "$DB" --user staff withdraw apply --branch ZC01 --amount 1.00 --note closing
	took=$(( $(ms) - t0 ))
	WHY="exit $RC after ${took}ms: $(head -c 300 "$ERR")"
	named=0
	grep -qF "(pid $closer, operator auditor, stopped inside its write transaction) held the database for more than 300 ms" "$ERR" && named=1
	check busy.closing.holder-named test "$RC" = 75 -a "$took" -lt 4000 -a "$named" = 1
else
	notok busy.closing.holder-named "the reader did not stop at its close: $(head -c 300 close.out)"
fi
kill -CONT "$closer" 2>/dev/null
wait "$closer"
crc=$?
WHY="exit $crc: $(head -c 300 close.out)"
check busy.closing.closer-ends test "$crc" = 0
WHY="the database changed"
check busy.closing.nothing-changed test "$before" = "$(dump)"

# The lock gone, the same writes go through.
ff --db "$DB" --user staff withdraw apply --branch ZC01 --amount 1.00 --note after
WHY="exit $RC: $(cat "$ERR")"
check busy.after.apply test "$RC" = 0
ff --db "$DB" --user reviewer withdraw approve "$approve_id"
WHY="exit $RC: $(cat "$ERR")"
check busy.after.approve test "$RC" = 0
ff --db "$DB" ingest "$T/events.jsonl"
WHY="exit $RC: $(cat "$ERR")"
check busy.after.ingest test "$RC" = 0
check busy.after.audit-clean db_sound "$DB"

# Reached the end: every check has spoken for itself above.
exit 0
