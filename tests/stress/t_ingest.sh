#!/usr/bin/env bash
# t_ingest.sh — at-least-once ingest (issue 4, item 3).
#
# A stream of more than 20,000 event lines (ffstress gen): every key once,
# a third of the lines redeliveries (half of them under new message ids),
# shuffled, spread over three feeders whose parts overlap, a few bad
# lines; then, in a second phase, conflicting payloads (each delivered
# twice) among more redeliveries.  Three real `fundflow ingest -`
# processes read their parts through a pipe; a supervisor SIGKILLs them at
# random moments and each killed feeder starts again from the start of its
# part.  Afterwards: exactly one income per key, exactly as generated,
# every conflicting payload kept once, and balances, withdrawable amounts,
# incomes and conflicts equal to those of one clean run of the clean
# stream on a copy of the same database.  (Conflicts come in the second
# phase only: which of two payloads of a key becomes the income is decided
# by arrival, so a comparison with one clean run needs the originals in
# first; within each phase everything is reordered.)
. "$(dirname "$0")/lib.sh"

DB=$T/ingest.db
CLEAN=$T/clean.db
dbcopy "$BASE/demo.db" "$DB"
dbcopy "$BASE/demo.db" "$CLEAN"
keys=$([ "$SOAK" = 1 ] && echo 100000 || echo 14000)
kills=$([ "$SOAK" = 1 ] && echo 60 || echo 9)
mkdir -p gen
"$FFSTRESS" gen "$SEED" "$keys" 3 gen > /dev/null || { notok ingest.gen "gen failed"; exit 1; }
note "seed $SEED: $(cat gen/counts.txt); $kills kills"
lines=$(cat gen/p[12]-*.jsonl | wc -l)
WHY="only $lines lines"
check ingest.stream-size test "$lines" -ge 20000

# One feeder: its part, through a pipe, again from the start until a run
# ends on its own (exit 0, or 65 for the bad lines).
# The pipe carries the part in bursts of 100 lines, as a queue consumer
# would, so that ingest commits group by group and a kill lands mid-way.
feeder() { # PHASE K
	local f=gen/p$1-$2.jsonl rc runs=0
	mkdir -p "parts.$1.$2"
	split -l 100 -d -a 4 "$f" "parts.$1.$2/"
	while :; do
		runs=$((runs + 1))
		for c in "parts.$1.$2"/*; do cat "$c"; sleep 0.03; done |
			"$FUNDFLOW" --db "$DB" --json ingest - >> "feed.$1.$2.out" 2>> "feed.$1.$2.err" &
		echo $! > "cur.$2"
		wait $!
		rc=$?
		if [ $rc = 0 ] || [ $rc = 65 ]; then break; fi
		[ $rc = 137 ] || { echo "exit $rc" >> feed.bad; break; }
	done
	rm -f "cur.$2"
	echo "$runs" > "runs.$1.$2"
}
done_kills=0
start=$SECONDS
for phase in 1 2; do
	pids=()
	for k in 0 1 2; do feeder $phase $k & pids+=($!); done
	want=$((phase == 1 ? kills * 2 / 3 : kills - done_kills))
	got=0
	while [ $got -lt $want ]; do
		sleep "0.$(printf '%03d' $((40 + $(rnd 300))))"
		k=$(rnd 3)
		pid=$(cat "cur.$k" 2>/dev/null) || { ls cur.* > /dev/null 2>&1 || break; continue; }
		# The pipeline's last process is fundflow.
		if kill -9 "$pid" 2>/dev/null; then got=$((got + 1)); fi
	done
	done_kills=$((done_kills + got))
	wait_all 600 "${pids[@]}" || echo "phase $phase hung" >> feed.bad
done
note "$done_kills feeders killed; runs per feeder: $(cat runs.* | tr '\n' ' '); $((SECONDS - start))s"
WHY="only $done_kills feeders killed"
check ingest.feeders-killed test $done_kills -ge $((kills * 2 / 3))
WHY="$(cat feed.bad 2>/dev/null) $(grep -vh '^line ' feed.*.err | head -n 3)"
check ingest.feeders-finish test ! -e feed.bad

# One clean run of the clean stream.
"$FUNDFLOW" --db "$CLEAN" --json ingest gen/canon.jsonl > clean.out 2> clean.err
WHY="clean run: $(cat clean.out clean.err | head -c 300)"
check ingest.clean-run test $? = 0

incomes() { # FILE
	qdb "$1" "SELECT i.buss_type || '|' || i.ikey || '|' || b.code || '|' || i.amount || '|' || i.withdrawable
		FROM income i JOIN branch b ON b.id = i.branch_id" | sort
}
conflicts() { # FILE
	qdb "$1" "SELECT c.buss_type || '|' || i.ikey || '|' || b.code || '|' || c.amount || '|' || c.event_id
		FROM income_conflict c JOIN income i ON i.id = c.income_id JOIN branch b ON b.id = c.branch_id" | sort
}
accounts() { # FILE
	qdb "$1" "SELECT b.code || '|' || a.balance || '|' || a.withdrawable || '|' || a.total_withdrawn || '|' ||
		(SELECT COUNT(*) FROM ledger WHERE account_id = a.branch_id)
		FROM account a JOIN branch b ON b.id = a.branch_id ORDER BY b.code"
}
incomes "$DB" > got.incomes
incomes "$CLEAN" > clean.incomes
WHY="$(diff clean.incomes got.incomes | head -n 6 | tr '\n' ' ')"
check ingest.incomes-as-clean-run cmp -s clean.incomes got.incomes
dups=$(q "SELECT COUNT(*) FROM (SELECT 1 FROM income GROUP BY buss_type, ikey HAVING COUNT(*) > 1)")
q "SELECT i.buss_type || '|' || i.ikey || '|' || b.code || '|' || i.amount FROM income i
   JOIN branch b ON b.id = i.branch_id WHERE i.ref_id LIKE 'S$SEED-%'" | sort > got.generated
sort gen/incomes.txt > want.generated
WHY="$dups keys twice; $(diff want.generated got.generated | head -n 6 | tr '\n' ' ')"
check ingest.one-income-per-key test "$dups" = 0 -a -z "$(diff want.generated got.generated)"
conflicts "$DB" > got.conflicts
conflicts "$CLEAN" > clean.conflicts
q "SELECT c.buss_type || '|' || i.ikey || '|' || b.code || '|' || c.amount || '|' || c.event_id
   FROM income_conflict c JOIN income i ON i.id = c.income_id JOIN branch b ON b.id = c.branch_id
   WHERE c.ref_id LIKE 'S$SEED-%'" | sort > got.gconflicts
sort -u gen/conflicts.txt > want.gconflicts
WHY="$(diff clean.conflicts got.conflicts | head -n 4 | tr '\n' ' ') $(diff want.gconflicts got.gconflicts | head -n 4 | tr '\n' ' ')"
check ingest.conflicts-all-kept-once test -z "$(diff clean.conflicts got.conflicts; diff want.gconflicts got.gconflicts)"
accounts "$DB" > got.accounts
accounts "$CLEAN" > clean.accounts
WHY="$(diff clean.accounts got.accounts | head -n 6 | tr '\n' ' ')"
check ingest.balances-as-clean-run cmp -s clean.accounts got.accounts
check ingest.audit-clean db_sound "$DB"

# Reached the end: every check has spoken for itself above.
exit 0
