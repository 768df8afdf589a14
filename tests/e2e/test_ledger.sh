#!/usr/bin/env bash
# test_ledger.sh — "fundflow ledger": JSON fields and values, newest
# first, --branch / --limit / --since / --until, CSV, and --format journal
# as a journal hledger can read.
. "$(dirname "$0")/lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB
FIELDS="seq branch kind buss_type ref pre_amount amount post_amount at actor hash"

# entry BRANCH SEQ FIELD: from the last --json output.
entry() {
	jsql "SELECT json_extract(value, '\$.$3') FROM j, json_each(j.doc)
	      WHERE json_extract(value, '\$.branch') = '$1' AND json_extract(value, '\$.seq') = $2"
}
# All values of FIELD in the last --json output, one a line, in order.
values() {
	jsql "SELECT json_extract(value, '\$.$1') FROM j, json_each(j.doc) ORDER BY key"
}
count_json() { jsql "SELECT json_array_length(doc) FROM j"; }

# Checks a journal file the way hledger reads one: transactions start with
# a date at column 0, postings are indented and carry an account, two
# spaces, and an amount; every transaction balances to zero (or leaves one
# amount out); dates are in order.  Prints "OK N" (transactions) or a
# reason.
journal_check() {
	awk '
	function num(s,   t) { t = s; gsub(/[^0-9.+-]/, "", t); return t + 0 }
	function close_tx() {
		if (intx) {
			if (np < 2) { bad = "transaction at line " txline " has " np " posting(s)"; exit }
			if (noamt > 1) { bad = "transaction at line " txline " leaves out more than one amount"; exit }
			if (noamt == 0 && (sum > 0.0001 || sum < -0.0001)) { bad = "transaction at line " txline " does not balance (" sum ")"; exit }
		}
		intx = 0
	}
	/^[ \t]*$/ { close_tx(); next }
	/^[;#*%|]/ { next }
	/^[0-9][0-9][0-9][0-9][-\/.][0-9][0-9][-\/.][0-9][0-9]/ {
		close_tx()
		d = substr($0, 1, 10); gsub(/[\/.]/, "-", d)
		if (d < lastd) { bad = "date " d " at line " NR " after " lastd " (not in date order)"; exit }
		lastd = d
		intx = 1; txline = NR; np = 0; noamt = 0; sum = 0; ntx++
		next
	}
	/^[ \t]+;/ { next }
	/^[ \t]+[^ \t]/ {
		if (!intx) { bad = "posting outside a transaction at line " NR; exit }
		line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]*;.*$/, "", line)
		np++
		# account, then two or more spaces (or a tab), then the amount
		if (match(line, /(  +|\t)[^ \t]/)) {
			acct = substr(line, 1, RSTART - 1); amt = substr(line, RSTART)
			sub(/^[ \t]+/, "", amt)
			if (amt !~ /[0-9]/) { bad = "amount without digits at line " NR ": " amt; exit }
			sum += num(amt)
			tot[acct] += num(amt)
		} else {
			noamt++
		}
		next
	}
	{ bad = "unexpected line " NR ": " $0; exit }
	END {
		if (bad == "") close_tx()
		if (bad != "") { print bad; exit }
		printf "OK %d\n", ntx
		for (a in tot) printf "%s\t%.2f\n", a, tot[a] > sums
	}' sums="$T/.sums" "$1"
}
# journal_account CODE AMOUNT: after journal_check, some account whose
# name holds CODE sums to AMOUNT (the branch's balance).
journal_account() {
	awk -F '\t' -v c="$1" -v a="$2" 'index($1, c) && $2 == a { f = 1 } END { exit !f }' "$T/.sums" ||
	    fail "no account naming $1 in the journal sums to $2 (accounts: $(tr '\t\n' '= ' < "$T/.sums"))"
}

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	ffas root branch add ZC01 诸城分公司
	expect_rc 0
	ffas root branch add QD02 青岛分公司
	expect_rc 0
	add_user aud auditor
	add_user rev reviewer
	add_user s1 staff ZC01
	{
		ev m-1 ZC01 1 ORD-1 125.00
		ev m-2 ZC01 1 ORD-2 300.00
		ev m-3 ZC01 8 DEP-1 50.00
		ev m-4 QD02 1 Q-1 10.00
	} > "$T/in.jsonl"
	ff ingest "$T/in.jsonl"
	expect_rc 0
	ffas s1 --json withdraw apply --branch ZC01 --amount 100 --note "ledger test"
	expect_rc 0
	ffas rev withdraw approve "$(jx '$.id')"
	expect_rc 0
	eq "$(q "SELECT count(*) FROM ledger")" 5 "ledger entries"
}

t_json_fields() {
	ffas aud --json ledger
	expect_rc 0
	json_is array
	eq "$(count_json)" 5 "entries in ledger --json"
	local f bad
	for f in $FIELDS; do
		eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_type(value, '\$.$f') IS NULL")" 0 "entries without $f"
	done
	for f in pre_amount amount post_amount; do
		eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_type(value, '\$.$f') <> 'text'")" 0 "entries whose $f is not a string"
		bad=$(values "$f" | grep -cvE '^-?[0-9]+\.[0-9]{2}$')
		eq "$bad" 0 "$f values not like \"1234.50\" ($(values "$f" | tr '\n' ' '))"
	done
	bad=$(values at | grep -cvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{2}:[0-9]{2}|Z)$')
	eq "$bad" 0 "times not ISO 8601 with offset ($(values at | head -n 2 | tr '\n' ' '))"
	bad=$(values hash | grep -cvE '^[0-9a-f]{64}$')
	eq "$bad" 0 "hashes not 64 lowercase hex digits"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_type(value, '\$.seq') <> 'integer'")" 0 "entries whose seq is not an integer"
	# Each hash is the one in the database.
	local want got
	want=$(q "SELECT lower(hex(hash)) FROM ledger ORDER BY account_id, seq" | tr '\n' ' ')
	got=$(jsql "SELECT json_extract(value, '\$.hash') FROM j, json_each(j.doc)
	            ORDER BY json_extract(value, '\$.branch') <> 'ZC01', json_extract(value, '\$.seq')" | tr '\n' ' ')
	eq "$got" "$want" "hashes in ledger --json vs the database"
}

t_values() {
	ffas aud --json ledger
	expect_rc 0
	eq "$(entry ZC01 1 kind)|$(entry ZC01 1 buss_type)|$(entry ZC01 1 ref)|$(entry ZC01 1 pre_amount)|$(entry ZC01 1 amount)|$(entry ZC01 1 post_amount)" \
	    "income|1|ORD-1|0.00|125.00|125.00" "ZC01 seq 1"
	eq "$(entry ZC01 3 buss_type)|$(entry ZC01 3 ref)|$(entry ZC01 3 pre_amount)|$(entry ZC01 3 post_amount)" \
	    "8|DEP-1|425.00|475.00" "ZC01 seq 3 (the deposit)"
	eq "$(entry ZC01 4 kind)|$(entry ZC01 4 pre_amount)|$(entry ZC01 4 amount)|$(entry ZC01 4 post_amount)|$(entry ZC01 4 actor)" \
	    "withdrawal|475.00|-100.00|375.00|rev" "ZC01 seq 4 (the approval)"
	eq "$(jsql "SELECT json_type(value, '\$.buss_type') FROM j, json_each(j.doc) WHERE json_extract(value, '\$.kind') = 'withdrawal'")" \
	    null "buss_type of a withdrawal entry"
	eq "$(entry QD02 1 amount)|$(entry QD02 1 post_amount)" "10.00|10.00" "QD02 seq 1"
}

t_newest_first() {
	ffas aud --json ledger
	expect_rc 0
	local ats sorted
	ats=$(values at)
	sorted=$(printf '%s\n' "$ats" | sort -r)
	eq "$(printf '%s' "$ats" | tr '\n' ' ')" "$(printf '%s' "$sorted" | tr '\n' ' ')" "times in order, newest first"
	eq "$(jsql "SELECT group_concat(json_extract(value, '\$.seq'), ',') FROM (SELECT value FROM j, json_each(j.doc) WHERE json_extract(value, '\$.branch') = 'ZC01' ORDER BY key)")" \
	    "4,3,2,1" "ZC01 seqs in output order"
}

t_branch_filter() {
	ffas aud --json ledger --branch ZC01
	expect_rc 0
	eq "$(count_json)" 4 "ZC01 entries"
	eq "$(values seq | tr '\n' ',')" "4,3,2,1," "ZC01 seqs, newest first"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_extract(value, '\$.branch') <> 'ZC01'")" 0 "other branches in --branch ZC01"
	ffas aud --json ledger --branch QD02
	expect_rc 0
	eq "$(count_json)" 1 "QD02 entries"
	ffas aud ledger --branch NOPE
	expect_rc 1 64
	ffas s1 --json ledger
	expect_rc 0
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_extract(value, '\$.branch') <> 'ZC01'")" 0 "other branches seen by staff of ZC01"
	ffas s1 ledger --branch QD02
	expect_rc 77
}

t_limit() {
	ffas aud --json ledger
	expect_rc 0
	local all
	all=$(jsql "SELECT json_extract(value, '\$.branch') || ':' || json_extract(value, '\$.seq') FROM j, json_each(j.doc) ORDER BY key LIMIT 2" | tr '\n' ' ')
	ffas aud --json ledger --limit 2
	expect_rc 0
	eq "$(count_json)" 2 "entries with --limit 2"
	eq "$(jsql "SELECT json_extract(value, '\$.branch') || ':' || json_extract(value, '\$.seq') FROM j, json_each(j.doc) ORDER BY key" | tr '\n' ' ')" \
	    "$all" "--limit 2 gives the two newest"
	ffas aud --json ledger --limit 1 --branch ZC01
	expect_rc 0
	eq "$(values seq)" 4 "newest ZC01 entry with --limit 1"
	local bad
	for bad in abc -1 2x ""; do
		ffas aud ledger --limit "$bad"
		expect_rc 64
	done
}

t_demo_db() {
	DB=$T/demo.db
	FUNDFLOW_DB=$DB ff demo
	expect_rc 0
}

t_since_until() {
	local DB=$T/demo.db E2E_PW=demo d n_after n_before n_on last
	export FUNDFLOW_DB=$DB
	d=$(q "SELECT substr(at, 1, 10) FROM ledger ORDER BY at LIMIT 1 OFFSET (SELECT count(*) / 2 FROM ledger)")
	n_after=$(q "SELECT count(*) FROM ledger WHERE substr(at, 1, 10) >= '$d'")
	n_before=$(q "SELECT count(*) FROM ledger WHERE substr(at, 1, 10) <= '$d'")
	n_on=$(q "SELECT count(*) FROM ledger WHERE substr(at, 1, 10) = '$d'")
	ffas auditor --json ledger --since "$d"
	expect_rc 0
	eq "$(count_json)" "$n_after" "entries with --since $d"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE substr(json_extract(value, '\$.at'), 1, 10) < '$d'")" 0 "entries before --since"
	ffas auditor --json ledger --until "$d"
	expect_rc 0
	eq "$(count_json)" "$n_before" "entries with --until $d (the day included)"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE substr(json_extract(value, '\$.at'), 1, 10) > '$d'")" 0 "entries after --until"
	ffas auditor --json ledger --since "$d" --until "$d"
	expect_rc 0
	eq "$(count_json)" "$n_on" "entries on $d"
	ffas auditor --json ledger --since "$d" --until "$d" --branch QD02 --limit 1000
	expect_rc 0
	eq "$(count_json)" "$(q "SELECT count(*) FROM ledger JOIN branch ON branch.id = account_id WHERE code = 'QD02' AND substr(at, 1, 10) = '$d'")" \
	    "QD02 entries on $d"
	last=$(q "SELECT substr(max(at), 1, 4) + 1 FROM ledger")
	ffas auditor --json ledger --since "$last-01-01"
	expect_rc 0
	eq "$(count_json)" 0 "entries since next year"
	eq "$(tr -d ' \n' < "$OUT")" "[]" "an empty result is []"
	local bad
	for bad in 2024-13-01 2024-02-30 not-a-date 20240101 ""; do
		ffas auditor ledger --since "$bad"
		expect_rc 64
	done
	ffas auditor ledger --until 2024-00-10
	expect_rc 64
}

t_json_chain_demo() {
	# The chain as the auditor lists it: in every branch, seq runs down by
	# one, and each entry starts where the one before it ended.
	local DB=$T/demo.db E2E_PW=demo
	export FUNDFLOW_DB=$DB
	ffas auditor --json ledger
	expect_rc 0
	eq "$(count_json)" "$(q "SELECT count(*) FROM ledger")" "entries listed"
	local breaks
	breaks=$(jsql "
	  , e AS (SELECT json_extract(value, '\$.branch') AS b, json_extract(value, '\$.seq') AS seq,
	        CAST(replace(json_extract(value, '\$.pre_amount'), '.', '') AS INTEGER) AS pre,
	        CAST(replace(json_extract(value, '\$.amount'), '.', '') AS INTEGER) AS amt,
	        CAST(replace(json_extract(value, '\$.post_amount'), '.', '') AS INTEGER) AS post
	      FROM j, json_each(j.doc)),
	    w AS (SELECT *, LAG(seq) OVER x AS pseq, LAG(post) OVER x AS ppost FROM e
	      WINDOW x AS (PARTITION BY b ORDER BY seq))
	  SELECT count(*) FROM w WHERE seq <> COALESCE(pseq, 0) + 1 OR pre <> COALESCE(ppost, 0) OR post <> pre + amt")
	eq "$breaks" 0 "chain breaks in ledger --json"
	ffas auditor --json accounts
	expect_rc 0
	cp "$OUT" "$T/accounts.json"
	ffas auditor --json ledger --limit 1 --branch SH06
	eq "$(values post_amount)" \
	    "$(sqlite3 :memory: "SELECT json_extract(value, '\$.balance') FROM json_each(CAST(readfile('$T/accounts.json') AS TEXT)) WHERE json_extract(value, '\$.branch') = 'SH06'")" \
	    "SH06's newest post_amount vs its balance"
}

t_csv() {
	ffas aud --csv ledger
	expect_rc 0
	local head
	head=$(head -n 1 "$OUT" | tr -d '\r')
	local f
	for f in $FIELDS; do
		case ",$head," in
		*",$f,"*) ;;
		*) fail_run "CSV header lacks $f: $head" ;;
		esac
	done
	eq "$(($(wc -l < "$OUT") - 1))" 5 "CSV rows"
	grep -q ',-100.00,' "$OUT" || fail_run "the withdrawal's amount -100.00 is not a CSV field"
	# Importable: sqlite3 reads it back with the same sum.
	sqlite3 :memory: ".import --csv $OUT l" "SELECT CAST(round(sum(amount) * 100) AS INTEGER) FROM l" > "$T/csvsum" 2>&1
	eq "$(cat "$T/csvsum")" "$(q "SELECT sum(amount) FROM ledger")" "sum of CSV amounts (fen)"
}

t_journal() {
	ffas aud ledger --format journal
	expect_rc 0
	cp "$OUT" "$T/small.journal"
	local r
	r=$(journal_check "$T/small.journal")
	eq "$r" "OK 5" "journal check (transactions)"
	journal_account ZC01 375.00
	journal_account QD02 10.00
	grep -q 'ORD-1' "$T/small.journal" || fail "the journal does not name reference ORD-1"
	if command -v hledger >/dev/null 2>&1; then
		hledger -f "$T/small.journal" check > "$T/hl.out" 2>&1 || fail "hledger check: $(head -c 400 "$T/hl.out")"
	fi
	ffas aud ledger --format journal --branch QD02
	expect_rc 0
	eq "$(journal_check "$OUT")" "OK 1" "journal of QD02 alone"
	ffas aud ledger --format bogus
	expect_rc 64
}

t_journal_demo() {
	local DB=$T/demo.db E2E_PW=demo r
	export FUNDFLOW_DB=$DB
	ffas auditor ledger --format journal
	expect_rc 0
	cp "$OUT" "$T/demo.journal"
	r=$(journal_check "$T/demo.journal")
	eq "$r" "OK $(q "SELECT count(*) FROM ledger")" "journal of the demo (transactions)"
	local code
	for code in ZC01 SH06 LDN1; do
		journal_account "$code" "$(q "SELECT printf('%.2f', balance / 100.0) FROM account JOIN branch ON branch.id = branch_id WHERE code = '$code'")"
	done
	if command -v hledger >/dev/null 2>&1; then
		hledger -f "$T/demo.journal" check ordereddates > "$T/hl.out" 2>&1 ||
		    fail "hledger check: $(head -c 400 "$T/hl.out")"
	fi
}

check setup_company t_setup
check json_fields_and_formats t_json_fields
check json_values t_values
check newest_first t_newest_first
check branch_filter_and_scope t_branch_filter
check limit t_limit
check demo_database t_demo_db
check since_until t_since_until
check json_chain_of_demo t_json_chain_demo
check csv t_csv
check journal_small t_journal
check journal_of_demo t_journal_demo
finish
