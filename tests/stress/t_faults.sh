#!/usr/bin/env bash
# t_faults.sh — I/O errors and out-of-memory (issue 4, item 5).
#
# ffstress sweep, in-process through the shim VFS and SQLITE_CONFIG_MALLOC:
# for N = 1, 2, ... the Nth write fails (SQLITE_IOERR_WRITE, or SQLITE_FULL),
# or the Nth sync, or the Nth allocation — once, and persistently (every
# call from the Nth on, through the close) — during ingest, approve,
# reject, apply and cancel, until the operation runs through untouched.
# After each: with no fault, integrity_check ok, conservation, audit
# clean; the database holds the state before or the state after the
# operation (ingest: whole first groups), never part of it; an operation
# reported done is there; a failure is reported as one ("cannot ...: disk
# I/O error ..."), never as success or as a business refusal, and does
# not claim "nothing was changed" when it was; run again, the operation
# ends as one clean run would.  Bounded run: every N for writes and syncs
# everywhere and for the allocations of approve (once); every 4th N (from
# a seeded start) for the other allocation sweeps.  Soak: every N
# everywhere.
#
# Then the real binary with the shim preloaded: exit codes and messages
# (74 for I/O, never 0 for a lost commit) over approve and ingest.
. "$(dirname "$0")/lib.sh"

S=$BASE/small.db
printf '%s\n' \
	'{"event_id":"f-1","branch":"ZC01","buss_type":1,"ref_id":"F-1","amount":"10.00"}' \
	'{"event_id":"f-2","branch":"QD02","buss_type":8,"ref_id":"F-2","amount":"20.50"}' \
	'{"event_id":"f-3","branch":"ZC01","buss_type":16,"ref_id":"F-3","amount":"3.00"}' \
	'{"event_id":"f-1b","branch":"ZC01","buss_type":1,"ref_id":"F-1","amount":"10.00"}' \
	'{"event_id":"f-4","branch":"ZC01","buss_type":1,"ref_id":"BASE-1","amount":"999.00"}' \
	'{"event_id":"f-5","branch":"NOPE","buss_type":1,"ref_id":"F-5","amount":"1.00"}' \
	> events.jsonl
for i in $(seq 6 20); do
	printf '{"event_id":"f-%d","branch":"%s","buss_type":2,"ref_id":"F-%d","amount":"%d.%02d"}\n' \
		$i "$([ $((i % 2)) = 0 ] && echo ZC01 || echo QD02)" $i $i $((i % 100)) >> events.jsonl
done

jobs_max=2
sweep_job() { # NAME STRIDE MODE PERSIST OP [ARG]
	local name=$1 stride=$2
	shift 2
	local start=1
	[ "$stride" -gt 1 ] && start=$((1 + SEED % stride))
	SWEEP_STRIDE=$stride SWEEP_START=$start "$FFSTRESS" sweep "$S" "$T/w.$name.db" "$@" > "sweep.$name.out" 2>&1
	echo $? > "sweep.$name.rc"
}
names=()
running=0
launch() { # NAME STRIDE ARGS...
	names+=("$1")
	sweep_job "$@" &
	running=$((running + 1))
	if [ $running -ge $jobs_max ]; then wait -n; running=$((running - 1)); fi
}
ops=("approve 1" "reject 2" "apply" "cancel 3" "ingest $T/events.jsonl")
# The steps start with frames in the WAL, as on a live system; syncs are
# swept again with a fresh WAL (SWEEP_COLD=1: its header is synced first).
for op in "${ops[@]}"; do
	o=${op%% *}
	for p in 0 1; do
		# shellcheck disable=SC2086
		SWEEP_COLD=1 launch "$o.fail_sync.cold.$([ $p = 1 ] && echo persistent || echo once)" 1 fail_sync $p $op
	done
done
for op in "${ops[@]}"; do
	o=${op%% *}
	for mode in fail_write full fail_sync fail_malloc; do
		for p in 0 1; do
			stride=1
			if [ $mode = fail_malloc ] && [ "$SOAK" != 1 ]; then
				[ $o = approve ] && [ $p = 0 ] || stride=4
			fi
			# shellcheck disable=SC2086
			launch "$o.$mode.$([ $p = 1 ] && echo persistent || echo once)" $stride $mode $p $op
		done
	done
done
wait
for name in "${names[@]}"; do
	grep '^# sweep' "sweep.$name.out"
	WHY="$(grep -v '^# sweep\|one clean run' "sweep.$name.out" | head -n 4 | tr '\n' ' ')"
	check "faults.$name" test "$(cat "sweep.$name.rc")" = 0
done

# The real binary: the approval of application 1 and the ingest, with a
# write, a sync or an allocation failing from the Nth on.
real_fault() { # NAME SPEC-KIND N... -- CMD...
	local name=$1 kind=$2 ns=() n problems=0 before after got
	shift 2
	while [ "$1" != -- ]; do ns+=("$1"); shift; done
	shift
	dbcopy "$S" "$T/r.db"
	DB=$T/r.db
	before=$("$FFSTRESS" state "$DB")
	"$FUNDFLOW" --db "$DB" "$@" > /dev/null 2>&1 < "$T/events.jsonl"
	after=$("$FFSTRESS" state "$DB")
	for n in "${ns[@]}"; do
		dbcopy "$S" "$T/r.db"
		FFSHIM="$kind=$n,persist=1,arm_on_lock=2" LD_PRELOAD="$ASAN_RT $UBSAN_RT $FFSHIM_SO" \
			"$FUNDFLOW" --db "$DB" "$@" > "$T/r.out" 2> "$T/r.err" < "$T/events.jsonl"
		rc=$?
		cat "$T/r.err" >> all.err
		got=$("$FFSTRESS" state "$DB")
		case $rc in
		0|65) [ "$got" = "$after" ] || { echo "# $kind=$n: exit $rc but the operation is not in the database"; problems=$((problems + 1)); } ;;
		74|70|75)
			grep -qiE 'disk|I/O|memory|full' "$T/r.err" ||
				{ echo "# $kind=$n: exit $rc, unclear: $(head -c 200 "$T/r.err")"; problems=$((problems + 1)); }
			[ "$got" = "$before" ] || [ "$got" = "$after" ] || [ "${1:-}" = ingest ] ||
				{ echo "# $kind=$n: exit $rc and part of the operation in the database"; problems=$((problems + 1)); } ;;
		*) echo "# $kind=$n: exit $rc: $(head -c 200 "$T/r.err")"; problems=$((problems + 1)) ;;
		esac
		db_sound "$DB" || { echo "# $kind=$n: $WHY"; problems=$((problems + 1)); }
	done
	DB=
	WHY="$problems problem(s) (above)"
	check "faults.real.$name.$kind" test $problems -eq 0
}
seq_n() { seq 1 "$1"; }
FUNDFLOW_PASSWORD=demo real_fault approve fail_write $(seq_n 12) -- --user reviewer withdraw approve 1
FUNDFLOW_PASSWORD=demo real_fault approve fail_sync 1 2 3 -- --user reviewer withdraw approve 1
FUNDFLOW_PASSWORD=demo real_fault approve fail_malloc 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 -- --user reviewer withdraw approve 1
real_fault ingest fail_write $(seq_n 12) -- ingest -
real_fault ingest fail_malloc 1 3 10 30 100 300 1000 -- ingest -

# Reached the end: every check has spoken for itself above.
exit 0
