#!/usr/bin/env bash
# test_ingest.sh — income events through "fundflow ingest": applied,
# duplicates (with and without a new message id), conflicts, repeatable
# types, deposits, JSON-number amounts, malformed lines, stdin, the JSON
# summary, the ledger chain, and feeders racing each other.
. "$(dirname "$0")/lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB

# Counts of what ingest may change.
counts() {
	q "SELECT (SELECT count(*) FROM income) || ' ' || (SELECT count(*) FROM ledger)
	    || ' ' || (SELECT count(*) FROM income_conflict)
	    || ' ' || (SELECT total(balance) FROM account)"
}

# summary_is APPLIED DUPLICATE CONFLICT REJECTED: the plain summary line.
summary_is() {
	local want="applied $1, duplicate $2, conflict $3, rejected $4"
	grep -qxF "$want" "$OUT" || fail_run "summary is not \"$want\""
}

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	ffas root branch add ZC01 诸城分公司
	expect_rc 0
	ffas root branch add QD02 青岛分公司
	expect_rc 0
	ffas root branch add LDN1 "London Branch"
	expect_rc 0
	eq "$(q "SELECT count(*) FROM account")" 3 "accounts for three branches"
	add_user aud auditor
}

t_applied() {
	ev m-0001 ZC01 1 ORD-1 125.00 > "$T/a.jsonl"
	ff ingest "$T/a.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	eq "$(acct ZC01)" "12500|12500|0" "ZC01 balance|withdrawable|withdrawn"
	eq "$(q "SELECT seq, kind, pre_amount, amount, post_amount FROM ledger")" \
	    "1|income|0|12500|12500" "the first ledger entry"
	eq "$(q "SELECT buss_type, ref_id, event_id, amount, withdrawable, occurred_at FROM income")" \
	    "1|ORD-1|m-0001|12500|1|2018-06-06T08:47:43+08:00" "the income row"
	eq "$(q "SELECT length(hash) FROM ledger")" 32 "hash length"
}

t_duplicate_same_id() {
	local before
	before=$(state_of)
	ff ingest "$T/a.jsonl"
	expect_rc 0
	summary_is 0 1 0 0
	eq "$(state_of)" "$before" "state after a redelivery"
}

t_duplicate_new_id() {
	local before
	before=$(state_of)
	ev m-0001-again ZC01 1 ORD-1 125.00 > "$T/b.jsonl"
	ev m-0001-third ZC01 1 ORD-1 125 >> "$T/b.jsonl"
	printf '{"event_id":"m-0001-4","branch":"ZC01","buss_type":1,"ref_id":"ORD-1","amount":125}\n' >> "$T/b.jsonl"
	ff ingest "$T/b.jsonl"
	expect_rc 0
	summary_is 0 3 0 0
	eq "$(state_of)" "$before" "state after redeliveries with new message ids"
}

t_conflict_amount() {
	local before
	before=$(q "SELECT count(*) FROM income") 
	ev m-0002 ZC01 1 ORD-1 130.00 > "$T/c.jsonl"
	ff ingest "$T/c.jsonl"
	expect_rc 0
	summary_is 0 0 1 0
	eq "$(acct ZC01)" "12500|12500|0" "ZC01 after a conflict"
	eq "$(q "SELECT count(*) FROM income")" "$before" "incomes after a conflict"
	eq "$(q "SELECT buss_type || '|' || ref_id || '|' || amount FROM income_conflict")" \
	    "1|ORD-1|13000" "the kept conflict"
	eq "$(q "SELECT i.amount FROM income_conflict c JOIN income i ON i.id = c.income_id")" \
	    12500 "the conflict points at the original income"
	# The same conflicting event again is not a new kind of change.
	ff ingest "$T/c.jsonl"
	expect_rc 0
	eq "$(acct ZC01)" "12500|12500|0" "ZC01 after the conflict again"
	eq "$(q "SELECT count(*) FROM income")" "$before" "incomes after the conflict again"
}

t_conflict_branch() {
	ev m-0003 QD02 1 ORD-1 125.00 > "$T/d.jsonl"
	ff ingest "$T/d.jsonl"
	expect_rc 0
	summary_is 0 0 1 0
	eq "$(acct QD02)" "0|0|0" "QD02 after a conflict on another branch's key"
	eq "$(q "SELECT count(*) FROM income_conflict c JOIN branch b ON b.id = c.branch_id WHERE b.code = 'QD02'")" \
	    1 "conflict rows for QD02"
	eq "$(q "SELECT count(*) FROM ledger")" 1 "ledger entries"
}

t_same_ref_other_type() {
	# The key is (buss_type, ref_id): the same reference under type 8 is
	# a different event.
	ev m-0004 ZC01 8 ORD-1 125.00 > "$T/e.jsonl"
	ff ingest "$T/e.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
}

t_deposit() {
	# (after t_same_ref_other_type: a deposit of 125.00 already)
	eq "$(acct ZC01)" "25000|12500|0" "ZC01 after a deposit"
	eq "$(q "SELECT withdrawable FROM income WHERE buss_type = 8")" 0 "deposit income's withdrawable flag"
	ev m-0005 ZC01 8 DEP-1 1000.00 > "$T/f.jsonl"
	ff ingest "$T/f.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	eq "$(acct ZC01)" "125000|12500|0" "ZC01 after another deposit"
}

t_repeatable() {
	{
		ev adj-1 QD02 16 ADJ-REF 10.00
		ev adj-2 QD02 16 ADJ-REF 10.00
		ev adj-3 QD02 16 ADJ-REF 10.00
		ev adj-1 QD02 16 ADJ-REF 10.00
	} > "$T/g.jsonl"
	ff ingest "$T/g.jsonl"
	expect_rc 0
	summary_is 3 1 0 0
	eq "$(acct QD02)" "3000|3000|0" "QD02 after three repeats of a repeatable type"
	# Same event id with another amount: a conflict.
	ev adj-2 QD02 16 ADJ-REF 11.00 > "$T/h.jsonl"
	ff ingest "$T/h.jsonl"
	expect_rc 0
	summary_is 0 0 1 0
	eq "$(acct QD02)" "3000|3000|0" "QD02 after a conflicting repeat"
}

t_json_numbers() {
	{
		printf '{"event_id":"n-1","branch":"LDN1","buss_type":1,"ref_id":"N-1","amount":99.5}\n'
		printf '{"event_id":"n-2","branch":"LDN1","buss_type":1,"ref_id":"N-2","amount":100}\n'
		printf '{"event_id":"n-3","branch":"LDN1","buss_type":1,"ref_id":"N-3","amount":0.01}\n'
		printf '{"event_id":"n-4","branch":"LDN1","buss_type":1,"ref_id":"N-4","amount":1234567.89}\n'
		printf '{"event_id":"n-5","branch":"LDN1","buss_type":1,"ref_id":"N-5","amount":0.07}\n'
		printf '{"event_id":"n-6","branch":"LDN1","buss_type":1,"ref_id":"N-6","amount":"0.5"}\n'
	} > "$T/n.jsonl"
	ff ingest "$T/n.jsonl"
	expect_rc 0
	summary_is 6 0 0 0
	eq "$(q "SELECT group_concat(amount, ',') FROM (SELECT amount FROM income WHERE ref_id LIKE 'N-%' ORDER BY ref_id)")" \
	    "9950,10000,1,123456789,7,50" "amounts in fen"
	eq "$(acct LDN1)" "123476797|123476797|0" "LDN1 after JSON-number amounts"
}

t_unknown_fields() {
	printf '{"event_id":"u-1","branch":"LDN1","buss_type":1,"ref_id":"U-1","amount":"1.00","extra":{"nested":[1,2,{"x":null}]},"tags":["a"],"flag":true,"note":"注释"}\n' > "$T/u.jsonl"
	ff ingest "$T/u.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	# Field order does not matter, occurred_at and event_id are optional
	# for a non-repeatable type.
	printf '{"amount":"2.00","ref_id":"U-2","buss_type":1,"branch":"LDN1"}\n' > "$T/u2.jsonl"
	ff ingest "$T/u2.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
}

# Every kind of malformed line; each must be rejected with its line
# number, and good lines between them still applied.
write_mixed() {
	local good='{"event_id":"g-%d","branch":"ZC01","buss_type":1,"ref_id":"GOOD-%d","amount":"1.00"}\n'
	{
		printf "$good" 1 1                                             # 1 good
		printf 'this is not json\n'                                    # 2
		printf '{"event_id":"b-3","branch":"ZC01","buss_type":1\n'     # 3 truncated
		printf '[1,2,3]\n'                                             # 4 array
		printf '"just a string"\n'                                     # 5
		printf '{"event_id":"b-6","buss_type":1,"ref_id":"B-6","amount":"1.00"}\n'            # 6 no branch
		printf '{"event_id":"b-7","branch":"ZC01","ref_id":"B-7","amount":"1.00"}\n'          # 7 no type
		printf '{"event_id":"b-8","branch":"ZC01","buss_type":1,"amount":"1.00"}\n'           # 8 no ref
		printf '{"event_id":"b-9","branch":"ZC01","buss_type":1,"ref_id":"B-9"}\n'            # 9 no amount
		printf '{"event_id":"b-10","branch":"XX99","buss_type":1,"ref_id":"B-10","amount":"1.00"}\n'   # 10 unknown branch
		printf '{"event_id":"b-11","branch":"ZC01","buss_type":99,"ref_id":"B-11","amount":"1.00"}\n'  # 11 unknown type
		printf '{"event_id":"b-12","branch":"ZC01","buss_type":1,"ref_id":"B-12","amount":"-5.00"}\n'  # 12 negative
		printf '{"event_id":"b-13","branch":"ZC01","buss_type":1,"ref_id":"B-13","amount":"0.00"}\n'   # 13 zero
		printf '{"event_id":"b-14","branch":"ZC01","buss_type":1,"ref_id":"B-14","amount":"1.234"}\n'  # 14 3 decimals
		printf '{"event_id":"b-15","branch":"ZC01","buss_type":1,"ref_id":"B-15","amount":"1e3"}\n'    # 15 exponent
		printf '{"event_id":"b-16","branch":"ZC01","buss_type":1,"ref_id":"B-16","amount":" 12.00"}\n' # 16 space
		printf '{"event_id":"b-17","branch":"ZC01","buss_type":1,"ref_id":"B-17","amount":"1,000.00"}\n' # 17 grouping
		printf '{"event_id":"b-18","branch":"ZC01","buss_type":1,"ref_id":"B-18","amount":""}\n'       # 18 empty
		printf '{"event_id":"b-19","branch":"ZC01","buss_type":1,"ref_id":"B-19","amount":"abc"}\n'    # 19 junk
		printf '{"event_id":"b-20","branch":"ZC01","buss_type":1,"ref_id":"B-20","amount":"99999999999999999999"}\n' # 20 overflow
		printf '{"event_id":"b-21","branch":"ZC01","buss_type":1,"ref_id":"B-21","amount":1.234}\n'    # 21 number, 3 decimals
		printf '{"event_id":"b-22","branch":"ZC01","buss_type":1,"ref_id":"B-22","amount":-5}\n'       # 22 negative number
		printf '{"event_id":"b-23","branch":"ZC01","buss_type":1,"ref_id":"B-23","amount":null}\n'     # 23 null
		printf '{"event_id":"b-24","branch":"ZC01","buss_type":1,"ref_id":"B-24","amount":true}\n'     # 24 bool
		printf '{"event_id":"b-25","branch":"ZC01","buss_type":0,"ref_id":"B-25","amount":"1.00"}\n'   # 25 type 0
		printf '{"event_id":"b-26","branch":"ZC01","buss_type":1.5,"ref_id":"B-26","amount":"1.00"}\n' # 26 fractional type
		printf '{"event_id":"b-27","branch":"ZC01","buss_type":1,"ref_id":"","amount":"1.00"}\n'       # 27 empty ref
		printf '{"event_id":"b-28","branch":"","buss_type":1,"ref_id":"B-28","amount":"1.00"}\n'       # 28 empty branch
		printf '{"branch":"ZC01","buss_type":16,"ref_id":"B-29","amount":"1.00"}\n'                    # 29 repeatable, no event_id
		printf '{"event_id":"b-30","branch":"ZC01","buss_type":1,"ref_id":"B-30\xff\xfe","amount":"1.00"}\n' # 30 bad UTF-8
		printf '{"event_id":"b-31","branch":"ZC01","buss_type":1,"ref_id":"B-31","amount":"1.00"}{"x":1}\n' # 31 trailing junk
		printf '{"event_id":"b-32","branch":"ZC01","buss_type":1,"ref_id":"B-32","amount":"+5.00"}\n'  # 32 plus sign
		printf '{"event_id":"b-33","branch":"ZC01","buss_type":1,"ref_id":"B-33","amount":"1.00","occurred_at":"yesterday"}\n' # 33 bad time
		printf '{"event_id":"b-34","branch":12,"buss_type":1,"ref_id":"B-34","amount":"1.00"}\n'       # 34 branch a number
		printf '{"event_id":"b-35","branch":"ZC01","buss_type":-1,"ref_id":"B-35","amount":"1.00"}\n'  # 35 negative type
		printf '{"event_id":"b-36","branch":"ZC01","buss_type":1,"ref_id":"B-36","amount":"1.00"\n'    # 36 unclosed
		printf '{"event_id":"b-37","branch":"ZC01","buss_type":1,"ref_id":"B-37","amount":"NaN"}\n'    # 37 NaN
		printf '{"event_id":"b-38","branch":"ZC01","buss_type":1,"ref_id":"B-38","amount":"0x10"}\n'   # 38 hex
		printf '{"event_id":"b-39","branch":"ZC01","buss_type":1,"ref_id":"B-39","amount":"92233720368547758.08"}\n' # 39 int64 overflow
		printf '{"event_id":"b-40","branch":"ZC01","buss_type":1,"ref_id":"B-40","amount":"-0.00"}\n'  # 40 minus zero
		printf "$good" 41 41                                           # 41 good
		printf 'null\n'                                                # 42
		printf '{}\n'                                                  # 43 empty object
		printf '{"event_id":"b-44","branch":"ZC01","buss_type":1,"ref_id":"B-44","amount":"1.00","amount":"2.00"}\n' # 44 duplicate key
		printf "$good" 45 45                                           # 45 good
	} > "$T/mixed.jsonl"
}
MIXED_GOOD="1 41 45"
MIXED_BAD=$(seq 2 40; echo 42 43 44)

t_malformed() {
	write_mixed
	local before_income before_ledger before_conflict n
	before_income=$(q "SELECT count(*) FROM income")
	before_ledger=$(q "SELECT count(*) FROM ledger")
	before_conflict=$(q "SELECT count(*) FROM income_conflict")
	ff ingest "$T/mixed.jsonl"
	expect_rc 65
	n=$(echo $MIXED_BAD | wc -w)
	summary_is 3 0 0 "$n"
	local missing="" k
	for k in $MIXED_BAD; do
		grep -qE "^line $k: .+" "$ERR" || missing="$missing $k"
	done
	[ -z "$missing" ] || fail_run "no \"line N: reason\" on stderr for lines:$missing"
	for k in $MIXED_GOOD; do
		! grep -qE "^line $k:" "$ERR" || fail_run "good line $k reported as rejected"
	done
	eq "$(grep -cE '^line [0-9]+: ' "$ERR")" "$n" "rejection lines on stderr"
	eq "$(q "SELECT count(*) FROM income")" "$((before_income + 3))" "incomes (only the 3 good lines)"
	eq "$(q "SELECT count(*) FROM ledger")" "$((before_ledger + 3))" "ledger entries"
	eq "$(q "SELECT count(*) FROM income_conflict")" "$before_conflict" "conflicts"
	eq "$(q "SELECT group_concat(ref_id, ',') FROM (SELECT ref_id FROM income WHERE ref_id LIKE 'GOOD-%' ORDER BY id)")" \
	    "GOOD-1,GOOD-41,GOOD-45" "the good lines applied"
	eq "$(q "SELECT count(*) FROM income WHERE ref_id LIKE 'B-%'")" 0 "incomes from bad lines"
}

t_malformed_only() {
	# Each bad line on its own: rejected as line 1, nothing changes.
	local before k line
	before=$(state_of)
	for k in 3 10 11 14 21 29 30 33; do
		sed -n "${k}p" "$T/mixed.jsonl" > "$T/one.jsonl"
		ff ingest "$T/one.jsonl"
		expect_rc 65
		summary_is 0 0 0 1
		grep -qE '^line 1: .+' "$ERR" || fail_run "bad line $k alone: no \"line 1: reason\""
	done
	eq "$(state_of)" "$before" "state after only bad lines"
}

t_hostile_lines() {
	# A 2 MB line, a NUL byte, JSON nested 100000 deep, a last line
	# without its newline: the bad ones rejected, the good ones applied,
	# no crash.
	local before
	before=$(q "SELECT count(*) FROM income")
	{
		printf '{"event_id":"h-1","branch":"ZC01","buss_type":1,"ref_id":"'
		head -c 2000000 /dev/zero | tr '\0' 'x'
		printf '","amount":"1.00"}\n'
		printf '{"event_id":"h-2","branch":"ZC01","buss_type":1,"ref_id":"H-2\0x","amount":"1.00"}\n'
		awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; printf "\n" }'
		printf '{"event_id":"h-4","branch":"ZC01","buss_type":1,"ref_id":"H-4","amount":"1.00","x":'
		awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"a\":"; printf "1"; for (i = 0; i < 100000; i++) printf "}"; printf "}\n" }'
		printf '{"event_id":"h-5","branch":"ZC01","buss_type":1,"ref_id":"H-5","amount":"1.00"}'
	} > "$T/hostile.jsonl"
	ff ingest "$T/hostile.jsonl"
	expect_rc 65
	local k
	for k in 1 2 3; do
		grep -qE "^line $k: .+" "$ERR" || fail_run "hostile line $k not rejected with its number"
	done
	grep -qE '^line 5:' "$ERR" && fail_run "the last line (no newline at the end) was rejected"
	eq "$(q "SELECT count(*) FROM income WHERE ref_id = 'H-5'")" 1 "the last line without a newline applied"
	eq "$(q "SELECT count(*) FROM income WHERE ref_id LIKE 'xxxx%' OR ref_id LIKE 'H-2%'")" 0 "incomes from hostile lines"
	[ "$(q "SELECT count(*) FROM income")" -le "$((before + 2))" ] || fail "more incomes than good lines"
}

t_stdin() {
	ev s-1 QD02 1 STDIN-1 5.00 > "$T/s.jsonl"
	ffin "$T/s.jsonl" ingest -
	expect_rc 0
	summary_is 1 0 0 0
	ev s-2 QD02 1 STDIN-2 6.00 > "$T/s2.jsonl"
	ffin "$T/s2.jsonl" ingest
	expect_rc 0
	summary_is 1 0 0 0
	ev s-1 QD02 1 STDIN-1 5.00 | "$FUNDFLOW" ingest - > "$OUT" 2> "$ERR"
	RC=$?
	LAST_CMD="... | fundflow ingest -"
	expect_rc 0
	summary_is 0 1 0 0
	eq "$(acct QD02)" "4100|4100|0" "QD02 after stdin events"
}

t_json_summary() {
	ev j-1 LDN1 1 JSON-1 3.00 > "$T/j.jsonl"
	ev j-1 LDN1 1 JSON-1 3.00 >> "$T/j.jsonl"
	ev j-2 LDN1 1 JSON-1 4.00 >> "$T/j.jsonl"
	echo 'garbage' >> "$T/j.jsonl"
	ff --json ingest "$T/j.jsonl"
	expect_rc 65
	json_is object
	eq "$(tr -d ' \n\r\t' < "$OUT")" '{"applied":1,"duplicate":1,"conflict":1,"rejected":1}' "ingest --json output"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc)")" 4 "keys in the JSON summary"
	eq "$(jsql "SELECT group_concat(type, ',') FROM j, json_each(j.doc)")" "integer,integer,integer,integer" "types of the counts"
	grep -qE '^line 4: .+' "$ERR" || fail_run "rejected line 4 not on stderr"
	ev j-3 LDN1 1 JSON-3 3.00 > "$T/j2.jsonl"
	ff ingest --json "$T/j2.jsonl"
	expect_rc 0
	eq "$(tr -d ' \n\r\t' < "$OUT")" '{"applied":1,"duplicate":0,"conflict":0,"rejected":0}' "ingest --json (option after the command)"
}

t_missing_file() {
	local before
	before=$(state_of)
	ff ingest "$T/no-such-file.jsonl"
	expect_rc 74
	err_has no-such-file.jsonl
	eq "$(state_of)" "$before" "state"
}

t_reference() {
	# An independent reference: every applied income is one ledger entry,
	# and each balance is the sum of its incomes (no withdrawals here).
	eq "$(q "SELECT count(*) FROM income")" "$(q "SELECT count(*) FROM ledger")" "incomes vs ledger entries"
	eq "$(q "SELECT count(*) FROM income i WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.income_id = i.id AND l.amount = i.amount AND l.account_id = i.branch_id)")" \
	    0 "incomes without their ledger entry"
	eq "$(q "SELECT count(*) FROM account a WHERE balance <> (SELECT total(amount) FROM income WHERE branch_id = a.branch_id)
	     OR withdrawable <> (SELECT total(amount) FROM income WHERE branch_id = a.branch_id AND withdrawable = 1)")" \
	    0 "accounts that differ from the sum of their incomes"
	eq "$(chain_breaks)" 0 "ledger chain breaks (plain SQL: seq gaps, pre <> previous post, balance <> last post)"
	eq "$(q "SELECT count(*) FROM (SELECT buss_type, ref_id FROM income WHERE buss_type <> 16 GROUP BY buss_type, ref_id HAVING count(*) > 1)")" \
	    0 "duplicate incomes (the seed's first query)"
	eq "$(q "SELECT count(*) FROM ledger a WHERE a.pre_amount IN (SELECT pre_amount FROM ledger b WHERE b.account_id = a.account_id AND b.seq = a.seq + 1)")" \
	    0 "neighbouring entries with the same pre_amount (the seed's second query)"
}

t_stream() {
	# 1500 events, every tenth redelivered under a new message id, every
	# 50th conflicting: exact counts and sums against awk's reference.
	awk 'BEGIN {
		split("ZC01 QD02 LDN1", br, " ");
		for (i = 1; i <= 1500; i++) {
			b = br[i % 3 + 1]; amt = (i * 37) % 100000 + 1;
			printf "{\"event_id\":\"st-%d\",\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"ST-%d\",\"amount\":\"%d.%02d\"}\n", i, b, i, amt / 100, amt % 100;
			if (i % 10 == 0)
				printf "{\"event_id\":\"st-%d-r\",\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"ST-%d\",\"amount\":\"%d.%02d\"}\n", i, b, i, amt / 100, amt % 100;
			if (i % 50 == 0)
				printf "{\"event_id\":\"st-%d-x\",\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"ST-%d\",\"amount\":\"%d.%02d\"}\n", i, b, i, (amt + 1) / 100, (amt + 1) % 100;
		}
	}' > "$T/stream.jsonl"
	local sum_before want
	sum_before=$(q "SELECT total(balance) FROM account")
	want=$(awk 'BEGIN { s = 0; for (i = 1; i <= 1500; i++) s += (i * 37) % 100000 + 1; print s }')
	ff ingest "$T/stream.jsonl"
	expect_rc 0
	summary_is 1500 150 30 0
	eq "$(q "SELECT CAST(total(balance) - $sum_before AS INTEGER) FROM account")" "$want" "sum of balances added by the stream (fen)"
	eq "$(chain_breaks)" 0 "ledger chain breaks after the stream"
}

t_concurrent() {
	# Four feeders race over overlapping streams: every event applied
	# exactly once, the chain intact.
	awk 'BEGIN { for (i = 1; i <= 300; i++)
		printf "{\"event_id\":\"cc-%d\",\"branch\":\"%s\",\"buss_type\":1,\"ref_id\":\"CC-%d\",\"amount\":\"%d.00\"}\n", i, (i % 2 ? "ZC01" : "QD02"), i, i }' > "$T/cc.jsonl"
	local before pids="" p bad=0
	before=$(q "SELECT total(balance) FROM account")
	for p in 1 2 3 4; do
		if [ "$p" -eq 2 ]; then tac "$T/cc.jsonl" > "$T/cc$p.jsonl"; else cp "$T/cc.jsonl" "$T/cc$p.jsonl"; fi
		"$FUNDFLOW" ingest "$T/cc$p.jsonl" > "$T/cc$p.out" 2> "$T/cc$p.err" &
		pids="$pids $!"
	done
	for p in $pids; do wait "$p" || bad=$((bad + 1)); done
	cat "$T"/cc?.err > "$ERR"
	LAST_CMD="4 x fundflow ingest cc.jsonl (concurrently)"
	RC=$bad
	_after_run
	[ "$bad" -eq 0 ] || fail_run "$bad of 4 concurrent feeders failed: $(cat "$T"/cc?.out "$T"/cc?.err | head -c 600)"
	local applied
	applied=$(cat "$T"/cc?.out | sed -n 's/^applied \([0-9]*\),.*/\1/p' | awk '{ s += $1 } END { print s }')
	eq "$applied" 300 "applied events summed over the four feeders"
	eq "$(q "SELECT count(*) FROM income WHERE ref_id LIKE 'CC-%'")" 300 "incomes from the racing feeders"
	eq "$(q "SELECT CAST(total(balance) - $before AS INTEGER) FROM account")" 4515000 "balance added (sum 1..300 yuan)"
	eq "$(chain_breaks)" 0 "ledger chain breaks after racing feeders"
}

t_overflow() {
	# The largest amount there is, then one fen more into the same
	# account: the sum would overflow, so the line is rejected, nothing
	# wraps, nothing changes.
	ffas root branch add BIG1 "Big branch"
	expect_rc 0
	ev big-1 BIG1 1 BIG-1 92233720368547758.07 > "$T/big1.jsonl"
	ff ingest "$T/big1.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	eq "$(acct BIG1)" "9223372036854775807|9223372036854775807|0" "BIG1 at the maximum"
	local before
	before=$(state_of)
	ev big-2 BIG1 1 BIG-2 0.01 > "$T/big2.jsonl"
	ev big-3 BIG1 8 BIG-3 0.01 >> "$T/big2.jsonl"
	ff ingest "$T/big2.jsonl"
	expect_rc 65
	summary_is 0 0 0 2
	grep -qE '^line 1: .+' "$ERR" || fail_run "no \"line 1: reason\" for the overflowing event"
	eq "$(state_of)" "$before" "state after overflowing events"
	FUNDFLOW_PASSWORD=$(pw_of aud) ff --user aud --json accounts --branch BIG1 2>/dev/null
	if [ "$RC" -eq 0 ]; then
		eq "$(jx '$[0].balance')" 92233720368547758.07 "BIG1's balance in accounts --json"
	fi
}

t_unicode_ref() {
	ev u-9 ZC01 1 "订单-2018-06-06-一" 8.88 > "$T/uni.jsonl"
	ff ingest "$T/uni.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	eq "$(q "SELECT ref_id FROM income WHERE event_id = 'u-9'")" "订单-2018-06-06-一" "the stored reference"
	ffas aud --json ledger --branch ZC01 --limit 1
	expect_rc 0
	json_is array
	eq "$(jx '$[0].ref')" "订单-2018-06-06-一" "the reference in ledger --json"
	printf '{"event_id":"u-10","branch":"ZC01","buss_type":1,"ref_id":"Q\\"uote\\\\back","amount":"1.00"}\n' > "$T/esc.jsonl"
	ff ingest "$T/esc.jsonl"
	expect_rc 0
	summary_is 1 0 0 0
	ffas aud --json ledger --branch ZC01 --limit 1
	expect_rc 0
	json_is array
	eq "$(jx '$[0].ref')" 'Q"uote\back' "a reference with a quote and a backslash in ledger --json"
}

t_sigterm() {
	# A feeder stopped with SIGTERM mid-stream finishes what it has,
	# reports, and leaves the applied events applied.
	awk 'BEGIN { for (i = 1; i <= 5; i++)
		printf "{\"event_id\":\"t-%d\",\"branch\":\"QD02\",\"buss_type\":1,\"ref_id\":\"TERM-%d\",\"amount\":\"1.00\"}\n", i, i }' > "$T/term.jsonl"
	local pid rc
	{ cat "$T/term.jsonl"; sleep 4; } | "$FUNDFLOW" ingest - > "$OUT" 2> "$ERR" &
	pid=$!
	sleep 1.5
	kill -TERM "$pid"
	wait "$pid"
	RC=$?
	LAST_CMD="{ 5 events; sleep } | fundflow ingest - ; kill -TERM after 1.5 s"
	_after_run
	[ "$RC" -ne 143 ] || fail_run "ingest died of SIGTERM instead of finishing and reporting"
	summary_is 5 0 0 0
	eq "$(q "SELECT count(*) FROM income WHERE ref_id LIKE 'TERM-%'")" 5 "incomes from the interrupted stream"
	eq "$(chain_breaks)" 0 "ledger chain breaks"
}

t_audit_clean() {
	ffas aud audit
	expect_rc 0
}

check setup_company t_setup
check applied t_applied
check duplicate_same_message_id t_duplicate_same_id
check duplicate_new_message_id t_duplicate_new_id
check conflict_other_amount t_conflict_amount
check conflict_other_branch t_conflict_branch
check same_ref_other_type_is_new t_same_ref_other_type
check deposit_not_withdrawable t_deposit
check repeatable_type_keyed_by_event_id t_repeatable
check json_number_amounts t_json_numbers
check unknown_fields_ignored t_unknown_fields
check malformed_lines_rejected_with_line_numbers t_malformed
check malformed_line_alone_changes_nothing t_malformed_only
check hostile_lines t_hostile_lines
check stdin_dash_and_default t_stdin
check json_summary_exact_shape t_json_summary
check missing_input_file_74 t_missing_file
check matches_independent_reference t_reference
check stream_1500_events_with_redeliveries t_stream
check concurrent_feeders_apply_once t_concurrent
check unicode_and_escaped_references t_unicode_ref
check sigterm_finishes_and_reports t_sigterm
check audit_clean_after_ingest t_audit_clean
check balance_overflow_rejected t_overflow
finish
