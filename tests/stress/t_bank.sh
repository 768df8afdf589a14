#!/usr/bin/env bash
# t_bank.sh — bank conservation under concurrency (issue 4, item 1).
#
# Eight writer processes on the demo company at once: three feeders
# (the real `fundflow ingest`, fed in chunks: distinct events and
# redeliveries, some under new message ids, conflicting payloads, a few
# bad lines), three staff applying and now and then cancelling, two
# reviewers approving and rejecting (ffstress: many operations per
# login, through the model exactly as the command line does).  Meanwhile
# an auditor reads: ffstress watch checks every snapshot, each in ONE read
# transaction (sum of balances = applied incomes - approved withdrawals,
# per account too, no negative figure, account = newest ledger entry),
# and `fundflow accounts --json` / `audit` run in a loop (no negative
# balance, withdrawable <= balance, total withdrawn and incomes received
# never go down).  At the end: every acknowledged operation present,
# incomes exactly as generated, conflicts all kept, audit clean.
. "$(dirname "$0")/lib.sh"

DB=$T/bank.db
dbcopy "$BASE/demo.db" "$DB"
keys=$([ "$SOAK" = 1 ] && echo 60000 || echo 9000)
applies=$([ "$SOAK" = 1 ] && echo 5000 || echo 1000)
note "seed $SEED: $keys event keys, 3 x $applies applications"
mkdir -p gen
"$FFSTRESS" gen "$SEED" "$keys" 3 gen > /dev/null || { notok bank.gen "gen failed"; exit 1; }
note "$(cat gen/counts.txt)"
stop=$T/stop
rm -f "$stop"

# The auditors.
"$FFSTRESS" watch "$DB" "$stop" > watch.out 2> watch.err &
watch_pid=$!
auditor_loop() {
	local prev_tot= prev_in=0 n=0 bad=0 out
	while [ ! -e "$stop" ]; do
		out=$("$FUNDFLOW" --db "$DB" --user auditor --json accounts 2>>cli.err)
		if [ $? -ne 0 ]; then echo "accounts failed"; bad=$((bad + 1)); continue; fi
		# fen, per branch: balance withdrawable total_withdrawn
		line=$(printf '%s' "$out" | jq -r '[.[] | [.branch,
			(.balance | sub("\\.";"") | tonumber),
			(.withdrawable | sub("\\.";"") | tonumber),
			(.total_withdrawn | sub("\\.";"") | tonumber)]] |
			(map(select(.[1] < 0 or .[2] < 0 or .[2] > .[1] or .[3] < 0)) | length),
			(map(.[1] + .[3]) | add),
			(map(.[0] + ":" + (.[3] | tostring)) | join(" "))' | tr '\n' '|')
		IFS='|' read -r neg received tot <<< "$line"
		if [ "$neg" != 0 ]; then echo "negative or withdrawable > balance: $out"; bad=$((bad + 1)); fi
		# balance + total withdrawn = everything ever received: never less.
		if [ "$received" -lt "$prev_in" ]; then
			echo "incomes received went down: $prev_in -> $received"; bad=$((bad + 1))
		fi
		prev_in=$received
		if [ -n "$prev_tot" ]; then
			for kv in $tot; do
				b=${kv%%:*} v=${kv#*:}
				for pv in $prev_tot; do
					if [ "${pv%%:*}" = "$b" ] && [ "$v" -lt "${pv#*:}" ]; then
						echo "total withdrawn of $b went down"; bad=$((bad + 1))
					fi
				done
			done
		fi
		prev_tot=$tot
		n=$((n + 1))
		if [ $((n % 4)) = 0 ]; then
			"$FUNDFLOW" --db "$DB" --user auditor audit > audit.mid 2>&1 ||
				{ echo "mid-run audit: $(head -c 400 audit.mid)"; bad=$((bad + 1)); }
		fi
	done
	echo "reads $n bad $bad"
}
auditor_loop > auditor.out 2>&1 &
auditor_pid=$!

# The writers.
# A feeder, for one phase of the generated stream (phase 2, the
# conflicting payloads, starts when every feeder is through phase 1, so
# that the original of each key is the income).
feeder() { # PHASE K
	local k=$2 f rc all=0
	mkdir -p "chunks$1.$k"
	split -l 300 -d -a 4 "gen/p$1-$k.jsonl" "chunks$1.$k/c"
	for f in "chunks$1.$k"/*; do
		"$FUNDFLOW" --db "$DB" --json ingest "$f" >> "feeder$k.out" 2>> "feeder$k.err"
		rc=$?
		# 65: the generator's bad lines, rejected as they should be.
		if [ $rc -ne 0 ] && [ $rc -ne 65 ]; then all=$rc; fi
	done
	return $all
}
start=$SECONDS
feeders() {
	local k pids=() rc=0
	for k in 0 1 2; do feeder 1 $k & pids+=($!); done
	for k in "${pids[@]}"; do wait "$k" || rc=1; done
	pids=()
	for k in 0 1 2; do feeder 2 $k & pids+=($!); done
	for k in "${pids[@]}"; do wait "$k" || rc=1; done
	return $rc
}
pids=()
feeders & pids+=($!)
s=0
for login in staff clerk.qd02 clerk.jn03; do
	"$FFSTRESS" staff "$DB" "$login" "$applies" $((SEED + s)) "ack.$login" > "staff.$login.out" 2> "staff.$login.err" &
	pids+=($!)
	s=$((s + 1))
done
rpids=()
for login in reviewer reviewer2; do
	"$FFSTRESS" review "$DB" "$login" $((SEED + s)) "ack.$login" "$stop" > "review.$login.out" 2> "review.$login.err" &
	rpids+=($!)
	s=$((s + 1))
done

limit=$([ "$SOAK" = 1 ] && echo 3000 || echo 400)
werr=0
for p in "${pids[@]}"; do
	wait_all "$limit" "$p" || werr=1
	wait "$p" || werr=1
done
touch "$stop"
for p in "${rpids[@]}"; do
	wait_all 120 "$p" || werr=1
	wait "$p" || werr=1
done
wait_all 60 "$watch_pid" "$auditor_pid"
wait "$watch_pid"
watch_rc=$?
wait "$auditor_pid"
took=$((SECONDS - start))

cat staff.*.out review.*.out watch.out
note "auditor: $(tail -n 1 auditor.out)"
WHY="a writer failed or hung: $(cat staff.*.err review.*.err feeder*.err 2>/dev/null | grep -v '^line ' | head -c 600)"
check bank.writers test $werr -eq 0

# Operations: every ingested line, every application attempt, every
# decision attempt (refusals included).
ingested=$(cat feeder*.out | jq -s 'map(.applied + .duplicate + .conflict + .rejected) | add')
staffops=$(cat staff.*.out | sed -n 's/.*applied \([0-9]*\), cancelled \([0-9]*\), refused \([0-9]*\).*/\1 \2 \3/p' | awk '{s += $1 + $2 + $3} END {print s + 0}')
revops=$(cat review.*.out | sed -n 's/.*approved \([0-9]*\), rejected \([0-9]*\), refused \([0-9]*\).*/\1 \2 \3/p' | awk '{s += $1 + $2 + $3} END {print s + 0}')
total=$((ingested + staffops + revops))
note "operations: $total in ${took}s (ingest lines $ingested, staff $staffops, reviewers $revops)"
WHY="only $total operations"
check bank.operations test "$total" -ge 20000

WHY="$(grep -h violation watch.out)"
check bank.every-snapshot-conserves test "$watch_rc" -eq 0
WHY="$(grep -v '^reads' auditor.out | head -n 5 | tr '\n' ' ')"
check bank.accounts-json grep -q '^reads [1-9][0-9]* bad 0$' auditor.out

"$FFSTRESS" verify "$DB" ack.* > verify.out 2>&1
WHY="$(cat verify.out)"
check bank.acknowledged-present test $? -eq 0

# Incomes exactly as generated (first payload of each key wins: the
# conflicting ones come after), conflicts all kept, once each.
q "SELECT i.buss_type || '|' || i.ikey || '|' || b.code || '|' || i.amount FROM income i
   JOIN branch b ON b.id = i.branch_id WHERE i.ref_id LIKE 'S$SEED-%'" | sort > incomes.got
sort gen/incomes.txt > incomes.want
WHY="incomes differ from the generated ones: $(diff incomes.want incomes.got | head -n 6 | tr '\n' ' ')"
check bank.one-income-per-key cmp -s incomes.want incomes.got
q "SELECT c.buss_type || '|' || i.ikey || '|' || b.code || '|' || c.amount || '|' || c.event_id
   FROM income_conflict c JOIN income i ON i.id = c.income_id JOIN branch b ON b.id = c.branch_id
   WHERE c.ref_id LIKE 'S$SEED-%'" | sort > conflicts.got
sort -u gen/conflicts.txt > conflicts.want
WHY="kept conflicts differ: $(diff conflicts.want conflicts.got | head -n 6 | tr '\n' ' ')"
check bank.conflicts-kept-once cmp -s conflicts.want conflicts.got

WHY="applications still pending: $(q "SELECT COUNT(*) FROM withdrawal WHERE status = 'pending' AND note GLOB 'T[0-9]*.[0-9]*'")"
check bank.all-decided test "$(q "SELECT COUNT(*) FROM withdrawal WHERE status = 'pending' AND note GLOB 'T[0-9]*.[0-9]*'")" = 0
check bank.audit-clean db_sound "$DB"

# Reached the end: every check has spoken for itself above.
exit 0
