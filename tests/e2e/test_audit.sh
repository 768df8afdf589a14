#!/usr/bin/env bash
# test_audit.sh — the audit on a clean demo, the digest, and a database
# attacked behind fundflow's back: dropped triggers, forged entries,
# changed accounts, deleted rows, planted duplicates.  Every attack is made
# on a copy of one demo database.
. "$(dirname "$0")/lib.sh"

E2E_PW=demo
ADMIN="admin"
export FUNDFLOW_DB=$DB

# attack NAME: a fresh copy of the demo as $DB for this check.
attack() {
	DB=$T/$1.db
	copy_db "$DB"
	export FUNDFLOW_DB=$DB
}
# The SQL that recreates a trigger, for attacks that put it back after.
trigger_sql() {
	q "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '$1'"
}
# Runs the audit (and keeps stdout + stderr together in $T/.audit).
audit() {
	ffas auditor audit "$@"
	cat "$OUT" "$ERR" > "$T/.audit"
}
audit_says() { # TEXT...: the audit's output names each
	local s
	for s in "$@"; do
		grep -qiF -- "$s" "$T/.audit" || fail_run "the audit's findings do not mention \"$s\""
	done
}
audit_says_any() { # TEXT...: at least one of them
	local s
	for s in "$@"; do
		grep -qiF -- "$s" "$T/.audit" && return 0
	done
	fail_run "the audit's findings mention none of: $*"
}

t_demo() {
	ff demo
	expect_rc 0
	ge "$(q "SELECT count(*) FROM ledger")" 1000 "ledger entries in the demo"
}

t_clean() {
	local before
	before=$(state_of)
	audit
	expect_rc 0
	eq "$(state_of)" "$before" "state after an audit"
	ffas staff audit
	expect_rc 77
}

t_digest() {
	audit --digest "$T/digest.txt"
	expect_rc 0
	[ -s "$T/digest.txt" ] || fail "no digest written"
	audit --verify-digest "$T/digest.txt"
	expect_rc 0
	# More history after the digest does not break it.
	{
		ev after-1 ZC01 1 AFTER-1 10.00
		ev after-2 QD02 1 AFTER-2 20.00
	} > "$T/after.jsonl"
	ff ingest "$T/after.jsonl"
	expect_rc 0
	ffas reviewer --json withdraw list --status pending
	local id
	id=$(jx '$[0].id')
	[ -n "$id" ] || fail_run "the demo has no pending application"
	ffas reviewer withdraw approve "$id"
	ffas reviewer2 withdraw approve "$id"
	audit --verify-digest "$T/digest.txt"
	expect_rc 0
	audit
	expect_rc 0
}

t_digest_missing() {
	audit --verify-digest "$T/no-such-digest.txt"
	expect_rc 74
	err_has no-such-digest.txt
}

t_digest_altered() {
	# The digest itself altered (one hex digit of a head hash changed).
	sed -E '0,/[0-9a-f]{64}/{/[0-9a-f]{64}/{s/[1-9a-f]$/0/;t;s/0$/1/}}' "$T/digest.txt" > "$T/digest-bad.txt"
	cmp -s "$T/digest.txt" "$T/digest-bad.txt" && fail "could not alter the digest"
	audit --verify-digest "$T/digest-bad.txt"
	expect_rc 1
}

t_tamper_amount() {
	attack tamper1
	local code seq
	code=$(q "SELECT code FROM ledger JOIN branch ON branch.id = account_id WHERE ledger.id = 5")
	seq=$(q "SELECT seq FROM ledger WHERE id = 5")
	q "DROP TRIGGER ledger_no_update; UPDATE ledger SET amount=amount+1, post_amount=post_amount+1 WHERE id=5"
	audit
	expect_rc 1
	audit_says ledger_no_update "$code"
	audit_says_any hash chain
	audit --verify-digest "$T/digest.txt"
	expect_rc 1
}

t_dropped_triggers() {
	# The guards the brief names, one at a time...
	local trg all missing=""
	for trg in ledger_no_update ledger_no_delete income_no_update income_no_delete \
	    activity_no_update activity_no_delete account_follows_ledger; do
		[ -n "$(trigger_sql "$trg")" ] || fail "the schema has no trigger $trg"
		attack "drop-$trg"
		q "DROP TRIGGER $trg"
		audit
		expect_rc 1
		audit_says "$trg"
	done
	# ...and every trigger of the schema, all dropped at once: each named.
	attack drop-all
	all=$(q "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
	[ "$(echo "$all" | wc -l)" -ge 10 ] || fail "only $(echo "$all" | wc -l) triggers in the schema"
	for trg in $all; do q "DROP TRIGGER $trg"; done
	audit
	expect_rc 1
	for trg in $all; do
		grep -qF -- "$trg" "$T/.audit" || missing="$missing $trg"
	done
	[ -z "$missing" ] || fail_run "the audit does not report these dropped triggers:$missing"
}

t_replace_attack() {
	# INSERT OR REPLACE deletes the old row without firing DELETE
	# triggers: either the schema refuses it or the audit finds it.
	attack replace
	local id
	id=$(q "SELECT id FROM ledger WHERE account_id = $(branch_id YT05) AND seq = 4")
	if q "INSERT OR REPLACE INTO ledger (id, account_id, seq, kind, income_id, withdrawal_id, pre_amount, amount, post_amount, at, actor, hash)
	      SELECT id, account_id, seq, kind, income_id, withdrawal_id, pre_amount, amount + 1, post_amount + 1, at, actor, hash
	      FROM ledger WHERE id = $id" 2> "$T/replace.err"; then
		audit
		expect_rc 1
		audit_says YT05
	else
		eq "$(q "SELECT amount FROM ledger WHERE id = $id")" "$(qdb "$T/fundflow.db" "SELECT amount FROM ledger WHERE id = $id")" "the entry after a refused REPLACE"
	fi
	attack replace-income
	if q "INSERT OR REPLACE INTO income SELECT id, branch_id, buss_type, ref_id, event_id, ikey, amount + 100, withdrawable, occurred_at, received_at
	      FROM income WHERE id = (SELECT income_id FROM ledger WHERE account_id = $(branch_id YT05) AND kind = 'income' ORDER BY seq LIMIT 1)" 2> "$T/replace.err"; then
		audit
		expect_rc 1
		audit_says YT05
	fi
	return 0
}

t_balance_behind_back() {
	attack balance
	local sql
	sql=$(trigger_sql account_follows_ledger)
	q "DROP TRIGGER account_follows_ledger;
	   UPDATE account SET balance = balance + 100 WHERE branch_id = $(branch_id ZC01)"
	audit
	expect_rc 1
	audit_says account_follows_ledger ZC01
	# The same with the trigger put back: the balance alone is found.
	q "$sql;"
	audit
	expect_rc 1
	audit_says ZC01
}

t_withdrawable_behind_back() {
	# No trigger guards these columns: only the audit can notice.
	attack withdrawable
	q "UPDATE account SET withdrawable = withdrawable - 1 WHERE branch_id = $(branch_id QD02)"
	audit
	expect_rc 1
	audit_says QD02
	attack withdrawn
	q "UPDATE account SET total_withdrawn = total_withdrawn + 100 WHERE branch_id = $(branch_id JN03)"
	audit
	expect_rc 1
	audit_says JN03
}

t_row_deleted() {
	local sql id
	attack delete-mid
	sql=$(trigger_sql ledger_no_delete)
	id=$(q "SELECT id FROM ledger WHERE account_id = $(branch_id ZC01) AND seq = 10")
	q "DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE id = $id; $sql;"
	audit
	expect_rc 1
	audit_says ZC01
	audit --verify-digest "$T/digest.txt"
	expect_rc 1
	# The newest entry deleted and the account made to agree: the income
	# it came from is left without its entry.
	attack delete-last
	q "DROP TRIGGER ledger_no_delete; DROP TRIGGER account_follows_ledger;
	   DELETE FROM ledger WHERE account_id = $(branch_id QD02)
	     AND seq = (SELECT max(seq) FROM ledger WHERE account_id = $(branch_id QD02));
	   UPDATE account SET balance = (SELECT post_amount FROM ledger WHERE account_id = branch_id ORDER BY seq DESC LIMIT 1)
	   WHERE branch_id = $(branch_id QD02)"
	audit
	expect_rc 1
	audit_says QD02
	# An income row deleted.
	attack delete-income
	q "DROP TRIGGER income_no_delete; PRAGMA foreign_keys = OFF;
	   DELETE FROM income WHERE id = (SELECT income_id FROM ledger WHERE account_id = $(branch_id LDN1) AND kind = 'income' ORDER BY seq LIMIT 1)"
	audit
	expect_rc 1
	audit_says LDN1
}

t_forged_consistent() {
	# An old income entry forged +1.00 with everything after it, the
	# income, and the account made consistent, and every trigger put back:
	# only the hash chain can tell.
	attack forged
	local acc seq inc s1 s2 s3
	acc=$(branch_id WF04)
	seq=3
	inc=$(q "SELECT income_id FROM ledger WHERE account_id = $acc AND seq = $seq AND kind = 'income'")
	[ -n "$inc" ] || fail "WF04's third entry is not an income"
	s1=$(trigger_sql ledger_no_update)
	s2=$(trigger_sql income_no_update)
	s3=$(trigger_sql account_follows_ledger)
	q "DROP TRIGGER ledger_no_update; DROP TRIGGER income_no_update; DROP TRIGGER account_follows_ledger;
	   UPDATE income SET amount = amount + 100 WHERE id = $inc;
	   UPDATE ledger SET amount = amount + 100, post_amount = post_amount + 100 WHERE account_id = $acc AND seq = $seq;
	   UPDATE ledger SET pre_amount = pre_amount + 100, post_amount = post_amount + 100 WHERE account_id = $acc AND seq > $seq;
	   UPDATE account SET balance = balance + 100,
	     withdrawable = withdrawable + 100 * (SELECT withdrawable FROM income WHERE id = $inc)
	     WHERE branch_id = $acc;
	   $s1; $s2; $s3;"
	eq "$(chain_breaks)" 0 "chain breaks visible to plain SQL after the forgery"
	audit
	expect_rc 1
	audit_says WF04 hash
	audit --verify-digest "$T/digest.txt"
	expect_rc 1
}

t_planted_duplicate() {
	# A second income for an existing (type, reference) of a
	# non-repeatable type, slipped past the unique key by an event-id key.
	attack duplicate
	local ref
	ref=$(q "SELECT ref_id FROM income WHERE buss_type = 1 ORDER BY id LIMIT 1 OFFSET 7")
	q "INSERT INTO income (branch_id, buss_type, ref_id, event_id, ikey, amount, withdrawable, occurred_at, received_at)
	   SELECT branch_id, buss_type, ref_id, 'planted', 'E:planted', amount, withdrawable, occurred_at, received_at
	   FROM income WHERE buss_type = 1 AND ref_id = '$ref'"
	audit
	expect_rc 1
	audit_says "$ref"
}

t_status_forged() {
	# An approved application turned into a rejected one: its ledger entry
	# and the branch's total withdrawn now disagree with it.
	attack status
	local id sql
	id=$(q "SELECT id FROM withdrawal WHERE status = 'approved' ORDER BY id LIMIT 1")
	sql=$(trigger_sql withdrawal_decide)
	q "DROP TRIGGER withdrawal_decide;
	   UPDATE withdrawal SET status = 'rejected', reason = 'forged' WHERE id = $id; $sql;"
	audit
	expect_rc 1
	audit_says_any "$id" withdraw
}

t_backup_audits_clean() {
	ffas auditor backup "$T/backup.db"
	expect_rc 0
	eq "$(qdb "$T/backup.db" "PRAGMA integrity_check")" ok "integrity of the backup"
	FUNDFLOW_PASSWORD=demo ff --db "$T/backup.db" --user auditor audit --verify-digest "$T/digest.txt"
	expect_rc 0
	ffas staff backup "$T/backup2.db"
	expect_rc 77
	[ ! -e "$T/backup2.db" ] || fail "a refused backup left a file"
}

t_original_still_clean() {
	audit
	expect_rc 0
	eq "$(chain_breaks)" 0 "chain breaks in the original"
}

check demo_database t_demo
check clean_audit_0 t_clean
check digest_write_and_verify t_digest
check digest_missing_file_74 t_digest_missing
check digest_altered_refused t_digest_altered
check tampered_entry_found t_tamper_amount
check dropped_triggers_reported t_dropped_triggers
check replace_attacks t_replace_attack
check balance_changed_behind_back t_balance_behind_back
check withdrawable_changed_behind_back t_withdrawable_behind_back
check deleted_rows_found t_row_deleted
check forged_consistent_history_found_by_hash t_forged_consistent
check planted_duplicate_income_found t_planted_duplicate
check forged_decision_found t_status_forged
check backup_is_clean_copy t_backup_audits_clean
check original_still_clean t_original_still_clean
finish
