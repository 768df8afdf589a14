#!/usr/bin/env bash
# t_races.sh — approval races (issue 4, item 4).
#
# Four reviewer processes race from the same moment over the same
# applications, each in its own seeded order, approving (3 in 4) or
# rejecting: per branch the applications add up to more than the branch
# can withdraw (each affordable alone when applied for), some were made
# by the racing reviewers themselves (crafted with sqlite3: reviewers
# cannot apply) and one is of a flow this fundflow does not know.  Then:
# each application decided at most once and debited at most once, the
# own ones never decided by their applicant, the unknown flow untouched,
# no approval beyond what the branch could withdraw, withdrawable never
# below zero, every refusal recorded, audit clean.  Also through the real
# command line: four `fundflow withdraw approve ID` at once, exactly one
# wins.
. "$(dirname "$0")/lib.sh"

DB=$T/races.db
dbcopy "$BASE/demo.db" "$DB"
rounds=$([ "$SOAK" = 1 ] && echo 25 || echo 3)
cli_rounds=$([ "$SOAK" = 1 ] && echo 30 || echo 5)
note "seed $SEED: $rounds model rounds, $cli_rounds command-line rounds"
export FUNDFLOW_NEW_PASSWORD=demo
for r in reviewer3 reviewer4; do
	ff --db "$DB" --user admin user add "$r" --role reviewer
	[ $RC = 0 ] || { notok races.setup "user add $r: $(cat "$ERR")"; exit 1; }
done
racers=(reviewer reviewer2 reviewer3 reviewer4)
branches=(ZC01 QD02 JN03 WF04)
staffs=(staff clerk.qd02 clerk.jn03 clerk.wf04)

problems=0
prob() { echo "# $*"; problems=$((problems + 1)); }
# Each round first brings fresh money to the racing branches (a round
# spends what they can withdraw).
topup() { # TAG
	local b
	for b in "${branches[@]}"; do
		printf '{"event_id":"race-%s-%s","branch":"%s","buss_type":1,"ref_id":"RACE-%s-%s","amount":"100000.00"}\n' \
			"$1" "$b" "$b" "$1" "$b"
	done > "topup.$1.jsonl"
	ff --db "$DB" ingest "$T/topup.$1.jsonl"
	[ $RC = 0 ] || prob "top-up $1: exit $RC: $(cat "$ERR")"
}
for round in $(seq 1 "$rounds"); do
	ids=()
	topup "$round"
	# Per branch: five applications of a third of what it can withdraw
	# each: at most three can be approved.
	declare -A before_w before_t
	for i in 0 1 2 3; do
		b=${branches[$i]}
		w=$(q "SELECT withdrawable FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = '$b'")
		before_w[$b]=$w
		before_t[$b]=$(q "SELECT total_withdrawn FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = '$b'")
		amt=$((w / 3 + 1 + $(rnd 100)))
		for k in 1 2 3 4 5; do
			ff --db "$DB" --user "${staffs[$i]}" --json withdraw apply --branch "$b" \
				--amount "$((amt / 100)).$(printf '%02d' $((amt % 100)))" --note "race $round $k"
			if [ $RC != 0 ]; then prob "apply $b: $(cat "$ERR")"; continue; fi
			ids+=("$(jq -r 'if type == "array" then .[0].id else .id end' "$OUT")")
		done
	done
	# Own applications (one per racer, on SH06) and one of an unknown flow.
	now=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
	for r in "${racers[@]}"; do
		ids+=("$(q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
			SELECT b.id, 100, 'own $r $round', o.id, '$now', 2 FROM branch b, operator o
			WHERE b.code = 'SH06' AND o.login = '$r' RETURNING id")")
	done
	flow_id=$(q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
		SELECT b.id, 100, 'old flow $round', o.id, '$now', 1 FROM branch b, operator o
		WHERE b.code = 'SH06' AND o.login = 'clerk.sh06' RETURNING id")
	ids+=("$flow_id")
	start=$(( $(date +%s%3N) + 700 ))
	pids=()
	for i in 0 1 2 3; do
		"$FFSTRESS" race "$DB" "${racers[$i]}" $((SEED + round * 10 + i)) "race.$round.$i" \
			"$start" 25 "${ids[@]}" > "race.$round.$i.out" 2>&1 &
		pids+=($!)
	done
	rc_all=0
	for p in "${pids[@]}"; do wait "$p" || rc_all=1; done
	[ $rc_all = 0 ] || prob "round $round: a racer failed: $(grep -h '^error' race.$round.* | head -n 3)"

	# Decided at most once, as acknowledged.
	cat race.$round.[0-3] > race.$round.all
	for id in "${ids[@]}"; do
		wins=$(grep -cE "^(approve|reject) $id " race.$round.all)
		st=$(q "SELECT status || '|' || COALESCE(decided_by, '') || '|' || applicant_id || '|' ||
			(SELECT COUNT(*) FROM ledger WHERE withdrawal_id = w.id) FROM withdrawal w WHERE id = $id")
		IFS='|' read -r status by applicant entries <<< "$st"
		[ "$wins" -le 1 ] || prob "application $id decided $wins times"
		if [ "$status" = pending ]; then
			[ "$wins" = 0 ] || prob "application $id acknowledged but still pending"
		else
			[ "$wins" = 1 ] || prob "application $id is $status without one acknowledged decision"
			win=$(grep -E "^(approve|reject) $id " race.$round.all | cut -d' ' -f1)
			case $win/$status in
			approve/approved|reject/rejected) ;;
			*) prob "application $id acknowledged $win but is $status" ;;
			esac
		fi
		[ "$entries" = "$([ "$status" = approved ] && echo 1 || echo 0)" ] ||
			prob "application $id ($status) has $entries ledger entries"
		[ -z "$by" ] || [ "$by" != "$applicant" ] || prob "application $id decided by its own applicant"
	done
	# Own ones: each racer that met its own was told so.
	for i in 0 1 2 3; do
		r=${racers[$i]}
		own=$(q "SELECT w.id FROM withdrawal w JOIN operator o ON o.id = w.applicant_id WHERE o.login = '$r' AND w.note = 'own $r $round'")
		if grep -qE "^(approve|reject) $own $r\$" race.$round.all; then
			prob "$r decided its own application $own"
		fi
		if ! grep -qE "^refused $own $r .*(your own|already)" race.$round.all; then
			prob "$r was not told that application $own is its own: $(grep "^refused $own $r" race.$round.all)"
		fi
	done
	# The unknown flow: never decided, every racer told why.
	[ "$(q "SELECT status FROM withdrawal WHERE id = $flow_id")" = pending ] || prob "the application of an unknown flow was decided"
	[ "$(grep -c "^refused $flow_id .*flow" race.$round.all)" = 4 ] || prob "not every racer was told about the unknown flow"
	# Money: approvals never beyond what each branch could withdraw.
	for b in "${branches[@]}"; do
		st=$(q "SELECT a.withdrawable || '|' || a.total_withdrawn FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = '$b'")
		IFS='|' read -r w t <<< "$st"
		debited=$((t - before_t[$b]))
		[ "$w" -ge 0 ] || prob "$b withdrawable $w below zero"
		[ $((before_w[$b] - debited)) = "$w" ] || prob "$b: withdrawable $w is not ${before_w[$b]} - $debited"
		[ "$debited" -le "${before_w[$b]}" ] || prob "$b: approved $debited beyond the ${before_w[$b]} it could withdraw"
		n=$(q "SELECT COUNT(*) FROM withdrawal w JOIN branch b ON b.id = w.branch_id WHERE b.code = '$b' AND w.note LIKE 'race $round %' AND w.status = 'approved'")
		[ "$n" -le 3 ] || prob "$b: $n of five applications of a third each approved"
	done
	refusals=$(grep -c '^refused' race.$round.all)
	note "round $round: $(grep -c '^approve' race.$round.all) approved, $(grep -c '^reject' race.$round.all) rejected, $refusals refused"
	unset before_w before_t
done
all_refusals=$(cat race.*.all | grep -c '^refused')
recorded=$(q "SELECT COUNT(*) FROM activity WHERE ok = 0 AND action IN ('withdraw.approve', 'withdraw.reject')")
[ "$recorded" -ge "$all_refusals" ] || prob "$all_refusals refusals, $recorded recorded in the activity journal"
WHY="$problems problem(s) (above)"
check races.decided-once-debited-once test $problems -eq 0
check races.audit-clean db_sound "$DB"

# The real command line: four approvals of one application at once.
problems=0
topup cli
for round in $(seq 1 "$cli_rounds"); do
	ff --db "$DB" --user staff --json withdraw apply --branch ZC01 --amount 1.00 --note "cli race $round"
	if [ $RC != 0 ]; then prob "round $round: apply: $(cat "$ERR")"; continue; fi
	id=$(jq -r 'if type == "array" then .[0].id else .id end' "$OUT")
	pids=()
	for i in 0 1 2 3; do
		"$FUNDFLOW" --db "$DB" --user "${racers[$i]}" withdraw approve "$id" > "cli.$round.$i.out" 2> "cli.$round.$i.err" &
		pids+=($!)
	done
	codes=
	for p in "${pids[@]}"; do wait "$p"; codes="$codes $?"; done
	wins=$(echo "$codes" | tr ' ' '\n' | grep -c '^0$')
	losses=$(echo "$codes" | tr ' ' '\n' | grep -c '^1$')
	[ "$wins" = 1 ] && [ "$losses" = 3 ] || prob "round $round: exit codes$codes"
	for i in 0 1 2 3; do
		if [ -s "cli.$round.$i.err" ] && ! grep -q "already approved" "cli.$round.$i.err"; then
			prob "round $round: unclear refusal: $(cat "cli.$round.$i.err")"
		fi
	done
	[ "$(q "SELECT COUNT(*) FROM ledger WHERE withdrawal_id = $id")" = 1 ] || prob "round $round: not exactly one ledger entry"
done
WHY="$problems problem(s) (above)"
check races.cli-exactly-one-wins test $problems -eq 0
check races.cli-audit-clean db_sound "$DB"

# Reached the end: every check has spoken for itself above.
exit 0
