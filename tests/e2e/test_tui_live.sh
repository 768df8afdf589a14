# test_tui_live.sh — the screens follow other processes' commits without
# a key press (PRAGMA data_version), in tmux: an ingest from the shell
# shows its new balance and ledger entry; an application made on the
# command line enters a reviewer's queue.  And the Audit screen: findings
# on a tampered copy, Enter on one opens the ledger at its entries, e
# exports the findings as CSV into the current directory; the four-eyes
# warnings follow the findings as rows.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

grouped() {
	qdb :memory: "SELECT printf('%,d.%02d', $1 / 100, $1 % 100)"
}

setup() {
	ff demo
	expect_rc 0
	tui_start au
	tui_login au auditor demo
	tui_wait au "[1 Accounts]"
	tui_start rv
	tui_login rv reviewer demo
	tui_wait rv "[2 Withdrawals]"
}

ingest_shows_by_itself() {
	local bal new
	bal=$(q "SELECT balance FROM account WHERE branch_id = $(branch_id ZC01)")
	new=$((bal + 123456))
	tui_has au "$(grouped "$bal")"
	ev live-0001 ZC01 1 LIVE-REF-0001 1234.56 > "$T/ev1.jsonl"
	ff ingest "$T/ev1.jsonl"
	expect_rc 0
	eq "$(q "SELECT balance FROM account WHERE branch_id = $(branch_id ZC01)")" "$new" "balance after ingest"
	# No key is sent: the screen must notice by itself, within a second
	# or so (a few under the sanitizers).
	tui_wait au "$(grouped "$new")" 5
	tui_lacks au "$(grouped "$bal")"
	# The ledger, at its top, follows the newest entries.
	tui_keys au 3
	tui_wait au "[3 Ledger]"
	tui_wait au "LIVE-REF-0001"
	ev live-0002 LDN1 1 LIVE-REF-0002 77.01 > "$T/ev2.jsonl"
	ff ingest "$T/ev2.jsonl"
	expect_rc 0
	tui_wait au "LIVE-REF-0002" 5
	tui_keys au 1
	tui_wait au "[1 Accounts]"
}

queue_follows_applications() {
	local id
	tui_lacks rv "Live test application"
	FUNDFLOW_PASSWORD=demo ff --user clerk.qd02 withdraw apply --branch QD02 \
	    --amount 10.00 --note "Live test application"
	expect_rc 0
	id=$(q "SELECT max(id) FROM withdrawal")
	tui_wait rv "Live test application" 5
	tui_has rv " $id QD02"
	# And leaves it when another reviewer decides it elsewhere.
	FUNDFLOW_PASSWORD=demo ff --user reviewer2 withdraw reject "$id" --reason "not needed"
	expect_rc 0
	tui_wait_gone rv "Live test application" 5
	tui_quit rv
}

audit_findings() {
	local n entry other seq line row
	cp "$DB" "$T/tampered.db"
	# Change one ZC01 entry behind fundflow's back (the guard dropped
	# first): its chain and its hash no longer hold.
	entry=$(q "SELECT id FROM ledger WHERE account_id = $(branch_id ZC01) ORDER BY seq LIMIT 1 OFFSET 10")
	qdb "$T/tampered.db" "DROP TRIGGER ledger_no_update;
	    UPDATE ledger SET amount = amount + 100, post_amount = post_amount + 100 WHERE id = $entry;" ||
	    fail "setup: could not tamper with the copy"
	tui_start ta -- --db "$T/tampered.db"
	tui_login ta auditor demo
	tui_wait ta "[1 Accounts]"
	tui_keys ta 5
	tui_wait ta "Audit FAILED"
	tui_has ta "The audit found"
	# The demo company has one admin: the four-eyes warnings are rows
	# after the findings, counted on the summary line.
	tui_has ta ", 3 warnings"
	tui_screen ta | grep -qE '^ warning +the company has one admin' ||
	    tui_fail ta "no warning row for the company's one admin"
	# The chain finding names the changed entry and the one after it.
	other=$(qdb "$T/tampered.db" "SELECT id FROM ledger WHERE account_id = $(branch_id ZC01) ORDER BY seq LIMIT 1 OFFSET 11")
	line=$(tui_screen ta | grep -nE "^ chain +ZC01 +$entry +$other " | head -n 1 | cut -d: -f1)
	[ -n "$line" ] || tui_fail ta "no chain finding naming entries $entry and $other"
	row=$((line - 4))
	[ "$row" -gt 0 ] && tui_keys ta -N "$row" j
	tui_keys ta Enter
	tui_wait ta "[3 Ledger]"
	tui_wait ta "marked: the audit finding's entries"
	seq=$(qdb "$T/tampered.db" "SELECT seq FROM ledger WHERE id = $entry")
	tui_has ta "Ledger of ZC01"
	tui_has ta "seq $seq of"
	# Back to the findings, and export them.
	tui_keys ta q
	tui_wait ta "[5 Audit]"
	n=$(tui_screen ta | grep -cE '^ (chain|hash|account|duplicate|source|schema|digest) ')
	tui_keys ta e
	tui_wait ta "Exported "
	f=$(tui_screen ta | tail -n 1 | sed -n 's/.* to \(fundflow-audit-[0-9-]*\.csv\).*/\1/p')
	[ -n "$f" ] && [ -f "$T/$f" ] || tui_fail ta "no export file named on the status line"
	eq "$(head -n 1 "$T/$f" | tr -d "\r")" "check,branch,entry,other_entry,finding" "CSV header"
	ge "$(($(wc -l < "$T/$f") - 1))" "$n" "findings exported"
	grep -q "^chain,ZC01,$entry,$other," "$T/$f" || fail "the chain finding is not in $f"
	tui_quit ta
}

finish_session() {
	tui_quit au
}

check setup setup
check "an ingest from the shell appears without a key press" ingest_shows_by_itself
check "the pending queue follows other processes" queue_follows_applications
check "audit findings: Enter opens their entries, e exports CSV" audit_findings
check "quit" finish_session
finish
