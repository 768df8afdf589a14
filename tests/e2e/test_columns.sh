#!/usr/bin/env bash
# test_columns.sh — one column table per listing (issue 15): for each
# listing the command line's --csv header is exactly the names scripts
# read (the ones they read before, a new column only appended), --json
# has the same keys in the same order, and the screen's export (e, in
# tmux) of the same listing has the same header; where the screen exports
# the same rows, the whole file equals the command line's --csv.
# Activity has no screen: its header is pinned on the command line alone.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

H_ACCOUNTS=branch,name,balance,withdrawable,total_withdrawn,pending_count,pending_amount
H_WITHDRAWALS=id,branch,amount,status,applicant,applied_at,decided_by,decided_at,reason,note,flow,withdrawable_now
H_LEDGER=id,seq,branch,kind,buss_type,type_name,ref,pre_amount,amount,post_amount,at,actor,hash
H_INCOMES=id,branch,buss_type,type_name,ref_id,event_id,amount,withdrawable,occurred_at,received_at
H_CONFLICTS=id,income_id,branch,buss_type,ref_id,event_id,amount,received_at
H_AUDIT=check,branch,entry,other_entry,finding
H_ACTIVITY=id,at,actor,action,target,ok,detail
H_RELEASES=id,version,git_commit,schema_version,at,host,os_user

setup() {
	ff demo
	expect_rc 0
	[ "$(q "SELECT count(*) FROM income_conflict")" -gt 0 ] ||
	    fail "setup: the demo keeps no conflict to list"
	# A copy with one ledger entry changed behind fundflow's back, so
	# that the audit has findings to list.
	copy_db "$T/tampered.db"
	qdb "$T/tampered.db" "DROP TRIGGER ledger_no_update;
	    UPDATE ledger SET amount = amount + 100, post_amount = post_amount + 100
	    WHERE id = (SELECT id FROM ledger ORDER BY id LIMIT 1 OFFSET 10);" ||
	    fail "setup: could not tamper with the copy"
	tui_start sc
	tui_login sc auditor demo
	tui_wait sc "[1 Accounts]"
	tui_start ta -- --db "$T/tampered.db"
	tui_login ta auditor demo
	tui_wait ta "[1 Accounts]"
}

# The command line's CSV of a listing: stdout kept in $T/cli-NAME.csv;
# its header must be WANT exactly, and its JSON keys the same.
cli_listing() { # NAME WANT RC ARGS...
	local name=$1 want=$2 rc=$3 keys
	shift 3
	ffas auditor --csv "$@"
	expect_rc "$rc"
	cp "$OUT" "$T/cli-$name.csv"
	eq "$(head -n 1 "$T/cli-$name.csv" | tr -d '\r')" "$want" "the CSV header of fundflow $*"
	ffas auditor --json "$@"
	expect_rc "$rc"
	json_is array
	keys=$(jsql "SELECT group_concat(key, ',') FROM j, json_each(json_extract(doc, '\$[0]'))")
	eq "$keys" "$want" "the JSON keys of fundflow $* (its first object)"
}

# The screen's export of what session S shows now; the file's name in
# $EXPORTED.
screen_export() { # SESSION NAME
	local s=$1 name=$2
	tui_keys "$s" e
	tui_wait "$s" "to fundflow-$name-"
	EXPORTED=$(tui_screen "$s" | tail -n 1 |
	    sed -n "s/.* to \(fundflow-$name-[0-9-]*\.csv\).*/\1/p")
	[ -n "$EXPORTED" ] && [ -f "$T/$EXPORTED" ] ||
	    tui_fail "$s" "no $name export file named on the status line"
	eq "$(head -n 1 "$T/$EXPORTED" | tr -d '\r')" "$(head -n 1 "$T/cli-$name.csv" | tr -d '\r')" \
	    "the header of the screen's $name export against the command line's"
}

# The whole export equals the command line's CSV, byte for byte.
same_file() { # NAME
	cmp -s "$T/$EXPORTED" "$T/cli-$1.csv" ||
	    fail "the screen's $1 export differs from the command line's --csv: $(diff "$T/cli-$1.csv" "$T/$EXPORTED" | head -n 4 | tr '\n' ' ')"
}

t_accounts() {
	cli_listing accounts "$H_ACCOUNTS" 0 accounts
	tui_keys sc 1
	tui_wait sc "[1 Accounts]"
	screen_export sc accounts
	same_file accounts
}

# The auditor's screen shows the pending queue, oldest first.
t_withdrawals() {
	cli_listing withdrawals "$H_WITHDRAWALS" 0 withdraw list --status pending
	tui_keys sc 2
	tui_wait sc "[2 Withdrawals]"
	screen_export sc withdrawals
	same_file withdrawals
}

t_ledger() {
	cli_listing ledger "$H_LEDGER" 0 ledger
	tui_keys sc 3
	tui_wait sc "[3 Ledger]"
	screen_export sc ledger
	same_file ledger
}

t_incomes() {
	cli_listing incomes "$H_INCOMES" 0 incomes
	tui_keys sc 4
	tui_wait sc "[4 Incomes]"
	screen_export sc incomes
	same_file incomes
}

t_conflicts() {
	cli_listing conflicts "$H_CONFLICTS" 0 incomes --conflicts
	tui_keys sc 4
	tui_wait sc "[4 Incomes]"
	tui_keys sc v
	screen_export sc conflicts
	same_file conflicts
	tui_keys sc v
}

t_audit() {
	local db=$FUNDFLOW_DB
	FUNDFLOW_DB=$T/tampered.db
	export FUNDFLOW_DB
	cli_listing audit "$H_AUDIT" 1 audit
	FUNDFLOW_DB=$db
	tui_keys ta 5
	tui_wait ta "Audit FAILED"
	screen_export ta audit
	same_file audit
	ge "$(($(wc -l < "$T/$EXPORTED") - 1))" 1 "findings exported"
}

# The screen lists the releases newest first, the command line oldest
# first: the same rows the other way round.
t_releases() {
	cli_listing releases "$H_RELEASES" 0 releases
	tui_keys sc 6
	tui_wait sc "[6 Releases]"
	screen_export sc releases
	eq "$(tail -n +2 "$T/$EXPORTED" | tac)" "$(tail -n +2 "$T/cli-releases.csv")" \
	    "the screen's releases export, newest first, against the command line's"
}

t_activity() {
	cli_listing activity "$H_ACTIVITY" 0 activity --limit 5
}

# An action prints the application's own columns: the listing's, but the
# branch's figures read with a listing (withdrawable_now).
t_action_object() {
	local keys
	ffas clerk.qd02 --json withdraw apply --branch QD02 --amount 1.00 --note columns
	expect_rc 0
	keys=$(jsql "SELECT group_concat(key, ',') FROM j, json_each(doc)")
	eq "$keys" "${H_WITHDRAWALS%,withdrawable_now}" "the keys of withdraw apply --json"
}

quit_all() {
	tui_quit sc
	tui_quit ta
}

# Unset in the runner; the command line finds the test's database by it.
export FUNDFLOW_DB=$DB
check setup setup
check "accounts: the same columns from the command line and the screen" t_accounts
check "withdrawals: the same columns (withdrawable_now appended)" t_withdrawals
check "ledger: the same columns from the command line and the screen" t_ledger
check "incomes: the same columns from the command line and the screen" t_incomes
check "conflicts: the same columns from the command line and the screen" t_conflicts
check "audit findings: the same columns from the command line and the screen" t_audit
check "releases: the same columns from the command line and the screen" t_releases
check "activity: the command line's columns as scripts read them" t_activity
check "withdraw apply --json: the application's own columns" t_action_object
check quit quit_all
finish
