#!/usr/bin/env bash
# t_crash.sh — kill -9 crash loop (issue 4, item 2).
#
# Part 1: six writers (two feeders running the real `fundflow ingest`
# chunk by chunk, two staff, two reviewers) restart whenever they die; a
# supervisor SIGKILLs a random one at a random moment, KILLS times, and a
# third of the restarts carry a shim fault that SIGKILLs the writer at a
# random Nth write or sync of its own (FFSHIM, logged with its N).  A
# killed feeder starts again from the start of its stream.  Afterwards:
# integrity_check ok, audit clean, conservation holds, every acknowledged
# operation present exactly once, every unacknowledged one all or nothing
# (each application whole: its activity, its ledger entry exactly when
# approved), one income per key exactly as generated.
#
# Part 2: kills at chosen points inside a transaction, every N until the
# operation runs through: ffstress sweep (in-process, a child per N) for
# approve, reject, apply, cancel and ingest, before and after the Nth
# write and sync; and the real binary with the shim preloaded, killed at
# every Nth write of an ingest and of an approval.
. "$(dirname "$0")/lib.sh"

DB=$T/crash.db
dbcopy "$BASE/demo.db" "$DB"
kills=$([ "$SOAK" = 1 ] && echo 220 || echo 30)
keys=$([ "$SOAK" = 1 ] && echo 12000 || echo 3000)
note "seed $SEED: $kills kills, $keys event keys"
mkdir -p gen
"$FFSTRESS" gen "$SEED" "$keys" 2 gen > /dev/null || { notok crash.gen "gen failed"; exit 1; }
stop=$T/stop
rm -f "$stop"
: > shim.log
export FFSHIM_LOG=$T/shim.log

# A writer: runs its command again and again until $stop exists; writes
# the current process's pid to cur.NAME; one restart in three carries a
# random shim kill point.
writer() { # NAME IDX KIND
	local name=$1 idx=$2 kind=$3 round=0 rc pid spec
	while [ ! -e "$stop" ]; do
		round=$((round + 1))
		spec=
		if [ $(( (idx * 7 + round * 13 + SEED) % 3 )) = 0 ]; then
			spec="kill_$([ $((round % 2)) = 0 ] && echo write || echo sync)=$(( (SEED + round * 31 + idx * 17) % 60 + 1 ))"
		fi
		case $kind in
		feed)
			# From the start of the stream, chunk by chunk.
			for f in "chunks$idx"/*; do
				[ -e "$stop" ] && break
				if [ -n "$spec" ]; then
					FFSHIM=$spec LD_PRELOAD="$ASAN_RT $UBSAN_RT $FFSHIM_SO" \
						"$FUNDFLOW" --db "$DB" --json ingest "$f" >> "$name.out" 2>> "$name.err" &
				else
					"$FUNDFLOW" --db "$DB" --json ingest "$f" >> "$name.out" 2>> "$name.err" &
				fi
				pid=$!
				echo "$pid" > "cur.$name"
				wait "$pid"
				rc=$?
				[ $rc = 137 ] && echo "round $round killed ($spec)" >> "$name.kills" && break
				[ $rc != 0 ] && [ $rc != 65 ] && echo "exit $rc" >> "$name.bad"
			done ;;
		staff|review)
			local seed=$((SEED * 1000 + idx * 100 + round))
			if [ $kind = staff ]; then
				FFSHIM=$spec "$FFSTRESS" staff "$DB" "$name" 100000 "$seed" "ack.$name" "$stop" >> "$name.out" 2>> "$name.err" &
			else
				FFSHIM=$spec "$FFSTRESS" review "$DB" "$name" "$seed" "ack.$name" "$stop" >> "$name.out" 2>> "$name.err" &
			fi
			pid=$!
			echo "$pid" > "cur.$name"
			wait "$pid"
			rc=$?
			[ $rc = 137 ] && echo "round $round killed ($spec)" >> "$name.kills"
			[ $rc != 0 ] && [ $rc != 137 ] && echo "exit $rc" >> "$name.bad"
			;;
		esac
	done
}
mkdir -p chunks0 chunks1
# Phase 1 of the generated stream only: originals, redeliveries (some
# under new message ids) and bad lines, no conflicting payloads (which of
# two payloads wins is decided by arrival; t_ingest.sh covers them).
split -l 250 -d -a 4 gen/p1-0.jsonl chunks0/c
split -l 250 -d -a 4 gen/p1-1.jsonl chunks1/c
names=(feeder0 feeder1 staff clerk.qd02 reviewer reviewer2)
kinds=(feed feed staff staff review review)
wpids=()
for i in 0 1 2 3 4 5; do
	writer "${names[$i]}" "$i" "${kinds[$i]}" &
	wpids+=($!)
done

# The supervisor.
done_kills=0
start=$SECONDS
while [ $done_kills -lt "$kills" ] && [ $((SECONDS - start)) -lt $((kills * 3 + 60)) ]; do
	sleep "0.$(printf '%03d' $((30 + $(rnd 270))))"
	i=$(rnd 6)
	pid=$(cat "cur.${names[$i]}" 2>/dev/null)
	[ -n "$pid" ] || continue
	if kill -9 "$pid" 2>/dev/null; then
		done_kills=$((done_kills + 1))
		echo "kill $done_kills: ${names[$i]} pid $pid" >> supervisor.log
	fi
done
touch "$stop"
wait_all 180 "${wpids[@]}"
note "supervisor: $done_kills SIGKILLs in $((SECONDS - start))s; the shim killed $(grep -c '^fired kill' shim.log) writers at their chosen write/sync"
WHY="only $done_kills kills"
check crash.kills test "$done_kills" -ge "$kills"
bad=$(cat ./*.bad 2>/dev/null)
WHY="a writer failed otherwise than by a kill: $(printf '%s' "$bad" | head -n 3 | tr '\n' ' ') $(grep -vh '^line ' ./*.err 2>/dev/null | grep -v '^#' | head -n 3 | tr '\n' ' ')"
check crash.writers-only-killed test -z "$bad"
unset FFSHIM_LOG

# Recovery: the feeders, fed again from the start (at-least-once), then
# the reviewers drain what is pending.
for i in 0 1; do
	for f in "chunks$i"/*; do
		"$FUNDFLOW" --db "$DB" --json ingest "$f" >> refeed.out 2>> refeed.err
		rc=$?
		[ $rc != 0 ] && [ $rc != 65 ] && echo "refeed exit $rc" >> refeed.bad
	done
done
WHY="feeding again after the crashes failed: $(head -c 300 refeed.bad 2>/dev/null) $(grep -v '^line ' refeed.err | head -c 300)"
check crash.refeed test ! -e refeed.bad

check crash.integrity-audit-conservation db_sound "$DB"
"$FFSTRESS" verify "$DB" ack.* > verify.out 2>&1
WHY="$(cat verify.out)"
check crash.acknowledged-once-unacknowledged-whole test $? -eq 0
note "$(cat verify.out)"
q "SELECT i.buss_type || '|' || i.ikey || '|' || b.code || '|' || i.amount FROM income i
   JOIN branch b ON b.id = i.branch_id WHERE i.ref_id LIKE 'S$SEED-%'" | sort > incomes.got
sort gen/incomes.txt > incomes.want
WHY="incomes differ from the generated ones: $(diff incomes.want incomes.got | head -n 6 | tr '\n' ' ')"
check crash.one-income-per-key cmp -s incomes.want incomes.got

# --- part 2: kills at chosen points ------------------------------------------
S=$BASE/small.db
printf '%s\n' \
	'{"event_id":"k-1","branch":"ZC01","buss_type":1,"ref_id":"K-1","amount":"10.00"}' \
	'{"event_id":"k-2","branch":"QD02","buss_type":8,"ref_id":"K-2","amount":"20.50"}' \
	'{"event_id":"k-3","branch":"ZC01","buss_type":16,"ref_id":"K-3","amount":"3.00"}' \
	'{"event_id":"k-1b","branch":"ZC01","buss_type":1,"ref_id":"K-1","amount":"10.00"}' \
	'{"event_id":"k-4","branch":"ZC01","buss_type":1,"ref_id":"BASE-1","amount":"999.00"}' \
	'{"event_id":"k-5","branch":"NOPE","buss_type":1,"ref_id":"K-5","amount":"1.00"}' \
	> events.jsonl
for i in $(seq 6 40); do
	printf '{"event_id":"k-%d","branch":"%s","buss_type":2,"ref_id":"K-%d","amount":"%d.%02d"}\n' \
		$i "$([ $((i % 2)) = 0 ] && echo ZC01 || echo QD02)" $i $i $((i % 100)) >> events.jsonl
done
sweep() { # NAME MODE OP [ARG]
	local name=$1
	shift
	"$FFSTRESS" sweep "$S" "$T/sweep.db" "$1" 0 "${@:2}" > "sweep.$name.out" 2>&1
	local rc=$?
	grep '^# sweep\|one clean run' "sweep.$name.out"
	WHY="$(grep -v '^# sweep' "sweep.$name.out" | head -n 6 | tr '\n' ' ')"
	check "crash.kill-at.$name" test $rc -eq 0
}
for mode in kill_write kill_write_after kill_sync kill_sync_after; do
	# kill_sync again with a fresh WAL (its header is synced first).
	if [ $mode = kill_sync ]; then
		SWEEP_COLD=1 sweep "approve.kill_sync.cold" kill_sync approve 1
		SWEEP_COLD=1 sweep "ingest.kill_sync.cold" kill_sync ingest "$T/events.jsonl"
	fi
	sweep "approve.$mode" $mode approve 1
	sweep "reject.$mode" $mode reject 2
	sweep "apply.$mode" $mode apply
	sweep "cancel.$mode" $mode cancel 3
	sweep "ingest.$mode" $mode ingest "$T/events.jsonl"
done

# The real binary: every Nth write of an ingest, then fed again.
real_sweep() { # NAME SPECKIND CMD...
	local name=$1 kind=$2 n=0 problems=0 want got ran_through=0
	shift 2
	dbcopy "$S" "$T/r.db"
	DB=$T/r.db
	"$FUNDFLOW" --db "$DB" "$@" > /dev/null 2>&1 < "$T/events.jsonl"
	want=$("$FFSTRESS" state "$DB")
	while [ $n -lt 200 ]; do
		n=$((n + 1))
		dbcopy "$S" "$T/r.db"
		: > "$T/r.log"
		FFSHIM_LOG=$T/r.log FFSHIM="$kind=$n" LD_PRELOAD="$ASAN_RT $UBSAN_RT $FFSHIM_SO" \
			"$FUNDFLOW" --db "$DB" "$@" > "$T/r.out" 2> "$T/r.err" < "$T/events.jsonl"
		rc=$?
		if [ $rc != 137 ]; then ran_through=1; fi
		if ! db_sound "$DB"; then echo "# $kind=$n: $WHY"; problems=$((problems + 1)); fi
		got=$("$FFSTRESS" state "$DB")
		if [ $rc = 0 ] || [ $rc = 65 ]; then
			[ "$got" = "$want" ] || { echo "# $kind=$n: acknowledged but not all there"; problems=$((problems + 1)); }
		fi
		# Again, with no fault: the same as one clean run.
		"$FUNDFLOW" --db "$DB" "$@" > /dev/null 2>&1 < "$T/events.jsonl"
		got=$("$FFSTRESS" state "$DB")
		[ "$got" = "$want" ] || { echo "# $kind=$n: after feeding again the database differs from one clean run"; problems=$((problems + 1)); }
		[ $ran_through = 1 ] && break
		[ $problems -gt 5 ] && break
	done
	DB=$T/crash.db
	note "real $name $kind: $n steps"
	WHY="$problems problem(s)"
	check "crash.real-kill-at.$name.$kind" test $problems -eq 0 -a $ran_through = 1
}
real_sweep ingest kill_write ingest -
real_sweep ingest kill_sync ingest -

# Reached the end: every check has spoken for itself above.
exit 0
