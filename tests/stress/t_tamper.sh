#!/usr/bin/env bash
# t_tamper.sh — tamper evidence (issue 4, item 9).
#
# Edits made behind the program's back with the sqlite3 shell, each on a
# fresh copy of the demo company whose digest was written first: guards
# dropped, an index dropped, a trigger weakened under its own name; and,
# with the guards put back exactly as they were (so that only the data
# can tell), an entry's amount, hash or time changed, an account's
# balance, withdrawable or total changed, ledger rows deleted (the last
# and one in the middle), an income deleted, a decided application's
# status changed, a second income for a reference, a whole chain rewritten
# with fresh hashes, the digest's head changed.  `audit` (or `audit
# --verify-digest`) must exit 1 and name what is wrong: the check, the
# branch, the entry or object.
. "$(dirname "$0")/lib.sh"

dbcopy "$BASE/demo.db" "$T/base.db"
"$FUNDFLOW" --db "$T/base.db" --user auditor audit --digest "$T/base.digest" > /dev/null 2>&1 ||
	{ notok tamper.setup "cannot write the digest"; exit 1; }
sqlite3 "$T/base.db" 'PRAGMA wal_checkpoint(TRUNCATE)' > /dev/null

# Entries to pick on: one in the middle of SGP3's chain, the last of
# HAM2's, an approved application, an income.
DB=$T/base.db
mid=$(q "SELECT l.id FROM ledger l JOIN branch b ON b.id = l.account_id WHERE b.code = 'SGP3' AND l.kind = 'income' ORDER BY l.seq LIMIT 1 OFFSET 10")
mid_seq=$(q "SELECT seq FROM ledger WHERE id = $mid")
last=$(q "SELECT l.id FROM ledger l JOIN branch b ON b.id = l.account_id WHERE b.code = 'HAM2' ORDER BY l.seq DESC LIMIT 1")
approved=$(q "SELECT id FROM withdrawal WHERE status = 'approved' ORDER BY id LIMIT 1")
appr_branch=$(q "SELECT b.code FROM withdrawal w JOIN branch b ON b.id = w.branch_id WHERE w.id = $approved")
income=$(q "SELECT i.id FROM income i JOIN branch b ON b.id = i.branch_id WHERE b.code = 'QD02' ORDER BY i.id LIMIT 1 OFFSET 5")
income_entry=$(q "SELECT id FROM ledger WHERE income_id = $income")
note "entries: middle SGP3 #$mid (seq $mid_seq), last HAM2 #$last, approved application $approved ($appr_branch), QD02 income $income (entry #$income_entry)"

# Runs SQL with the named guards dropped, then puts them back exactly as
# they were (the same SQL text).
guarded_sql() { # "TRIGGER..." SQL
	local names=$1 sql=$2 n restore=
	for n in $names; do
		restore="$restore$(q "SELECT sql FROM sqlite_master WHERE name = '$n'");"$'\n'
	done
	{
		for n in $names; do echo "DROP TRIGGER $n;"; done
		echo "$sql"
		printf '%s\n' "$restore"
	} | sqlite3 -bail "$DB"
}

# One scenario: fresh copy, the tamper command, then the audit must fail
# and say each of the PATTERNS (extended regexps, one per line of output
# or anywhere).
scenario() { # NAME AUDIT-ARGS TAMPER-FUNCTION PATTERN...
	local name=$1 args=$2 fn=$3 p missing=
	shift 3
	dbcopy "$T/base.db" "$T/t.db"
	cp "$T/base.digest" "$T/t.digest"
	DB=$T/t.db
	if ! $fn > "$T/tamper.err" 2>&1; then
		notok "tamper.$name" "the tampering itself failed: $(head -c 300 "$T/tamper.err")"
		return
	fi
	# shellcheck disable=SC2086
	ff --db "$DB" --user auditor audit $args
	for p in "$@"; do
		grep -qE -- "$p" "$OUT" "$ERR" || missing="$missing [$p]"
	done
	if [ "$RC" != 1 ]; then
		notok "tamper.$name" "audit exit $RC, not 1: $(head -c 400 "$OUT")"
	elif [ -n "$missing" ]; then
		notok "tamper.$name" "the audit does not say$missing: $(head -c 600 "$OUT" | tr '\n' ' ')"
	else
		ok "tamper.$name"
	fi
}

t_drop_guard() { q "DROP TRIGGER ledger_no_update"; }
scenario trigger-dropped "" t_drop_guard '^schema .*ledger_no_update'
t_drop_guard2() { q "DROP TRIGGER account_follows_ledger"; }
scenario account-trigger-dropped "" t_drop_guard2 '^schema .*account_follows_ledger'
t_drop_index() { q "DROP INDEX ledger_by_income"; }
scenario index-dropped "" t_drop_index '^schema .*ledger_by_income'
t_weaken() {
	q "DROP TRIGGER withdrawal_no_delete;
	   CREATE TRIGGER withdrawal_no_delete BEFORE DELETE ON withdrawal BEGIN SELECT 1; END;"
}
scenario trigger-weakened "" t_weaken '^schema .*withdrawal_no_delete'

t_amount() { guarded_sql ledger_no_update "UPDATE ledger SET amount = amount + 1, post_amount = post_amount + 1 WHERE id = $mid;"; }
scenario entry-amount-changed "" t_amount "^hash +SGP3 +$mid " "^chain +SGP3 +$mid " "^source +SGP3 +$mid "
t_hash() { guarded_sql ledger_no_update "UPDATE ledger SET hash = zeroblob(32) WHERE id = $mid;"; }
scenario entry-hash-changed "" t_hash "^hash +SGP3 +$mid "
t_time() { guarded_sql ledger_no_update "UPDATE ledger SET at = '2001-01-01T00:00:00+00:00' WHERE id = $mid;"; }
scenario entry-time-changed "" t_time "^hash +SGP3 +$mid "
# The whole chain rewritten with fresh hashes: only the digest can tell.
t_rewrite() {
	guarded_sql ledger_no_update "UPDATE ledger SET at = '2001-01-01T00:00:00+00:00', actor = 'mallory' WHERE id = $mid;" &&
	sqlite3 "$DB" 'DROP TRIGGER ledger_no_update' && "$FFSTRESS" rehash "$DB" SGP3 > /dev/null &&
	sqlite3 "$DB" "$(sqlite3 "$T/base.db" "SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'")"
}
scenario chain-rewritten-digest "--verify-digest $T/t.digest" t_rewrite '^digest +SGP3'
t_digest() {
	local h
	h=$(awk '$1 == "QD02" {print $3}' "$T/t.digest")
	sed -i "s/^QD02 \([0-9]*\) $h/QD02 \1 $(printf '%s' "$h" | tr '0-9a-f' '1-9a-f0')/" "$T/t.digest"
	! cmp -s "$T/t.digest" "$T/base.digest"
}
scenario digest-head-changed "--verify-digest $T/t.digest" t_digest '^digest +QD02'

t_balance() { guarded_sql account_follows_ledger "UPDATE account SET balance = balance + 100 WHERE branch_id = (SELECT id FROM branch WHERE code = 'JN03');"; }
scenario account-balance-changed "" t_balance '^account +JN03'
t_withdrawable() { q "UPDATE account SET withdrawable = withdrawable - 1 WHERE branch_id = (SELECT id FROM branch WHERE code = 'WF04')"; }
scenario account-withdrawable-changed "" t_withdrawable '^account +WF04'
t_total() { q "UPDATE account SET total_withdrawn = total_withdrawn + 5 WHERE branch_id = (SELECT id FROM branch WHERE code = 'YT05')"; }
scenario account-total-changed "" t_total '^account +YT05'

t_del_last() { guarded_sql ledger_no_delete "DELETE FROM ledger WHERE id = $last;"; }
scenario last-entry-deleted "" t_del_last '^account +HAM2' '^source +HAM2'
t_del_mid() { guarded_sql ledger_no_delete "DELETE FROM ledger WHERE id = $mid;"; }
scenario middle-entry-deleted "" t_del_mid '^chain +SGP3' '^source +SGP3'
t_del_income() { guarded_sql income_no_delete "PRAGMA foreign_keys = OFF; DELETE FROM income WHERE id = $income;"; }
scenario income-deleted "" t_del_income "^source +QD02 +$income_entry "
t_status() { guarded_sql withdrawal_decide "UPDATE withdrawal SET status = 'rejected', reason = 'x' WHERE id = $approved;"; }
scenario approved-made-rejected "" t_status "^source +$appr_branch .*$approved"
t_dup() {
	q "INSERT INTO income (branch_id, buss_type, ref_id, event_id, ikey, amount, withdrawable, received_at)
	   SELECT branch_id, buss_type, ref_id, 'forged', 'E:forged', amount, withdrawable, received_at FROM income WHERE id = $income"
}
scenario second-income-for-a-reference "" t_dup '^duplicate ' '^source +QD02'

# The source of an entry is hashed with it (chain format 2): an income's
# reference, key, event id or withdrawable flag, an application's
# applicant, each rewritten with the guards dropped and put back, is a
# "hash" finding naming the entry.
t_ref() { guarded_sql income_no_update "UPDATE income SET ref_id = 'FORGED-1', ikey = 'R:FORGED-1' WHERE id = $income;"; }
scenario income-ref-rewritten "" t_ref "^hash +QD02 +$income_entry "
t_ikey() { guarded_sql income_no_update "UPDATE income SET event_id = 'forged-key', ikey = 'E:forged-key' WHERE id = $income;"; }
scenario income-key-rewritten "" t_ikey "^hash +QD02 +$income_entry "
t_event() { guarded_sql income_no_update "UPDATE income SET event_id = 'forged-event' WHERE id = $income;"; }
scenario income-event-rewritten "" t_event "^hash +QD02 +$income_entry "
t_wdable() { guarded_sql income_no_update "UPDATE income SET withdrawable = 1 - withdrawable WHERE id = $income;"; }
scenario income-withdrawable-flipped "" t_wdable "^hash +QD02 +$income_entry "
appr_entry=$(q "SELECT id FROM ledger WHERE withdrawal_id = $approved")
t_applicant() {
	guarded_sql withdrawal_decide "UPDATE withdrawal SET applicant_id = (SELECT id FROM operator
	    WHERE role = 'staff' AND id <> applicant_id AND id <> decided_by LIMIT 1) WHERE id = $approved;"
}
scenario applicant-changed "" t_applicant "^hash +$appr_branch +$appr_entry "
# The key rewritten and the chain re-hashed over it: only the digest tells.
t_ikey_rehash() {
	t_ikey && sqlite3 "$DB" 'DROP TRIGGER ledger_no_update' &&
	"$FFSTRESS" rehash "$DB" QD02 > /dev/null &&
	sqlite3 "$DB" "$(sqlite3 "$T/base.db" "SELECT sql FROM sqlite_master WHERE name = 'ledger_no_update'")"
}
scenario key-rewritten-rehashed-digest "--verify-digest $T/t.digest" t_ikey_rehash '^digest +QD02'
# The incident's story: the key rewritten, then the event redelivered is
# credited a second time; the audit names the rewritten entry.
t_redeliver() {
	local ev
	ev=$(q "SELECT json_object('event_id', event_id, 'branch', 'QD02', 'buss_type', buss_type,
	    'ref_id', ref_id, 'amount', printf('%d.%02d', amount / 100, amount % 100))
	    FROM income WHERE id = $income")
	t_ref && printf '%s\n' "$ev" > "$T/again.jsonl" &&
	"$FUNDFLOW" --db "$DB" ingest "$T/again.jsonl" > /dev/null
}
scenario rewritten-key-redelivered "" t_redeliver "^hash +QD02 +$income_entry "

# The untouched copy is clean, and verifies against its digest.
dbcopy "$T/base.db" "$T/t.db"
DB=$T/t.db
ff --db "$DB" --user auditor audit --verify-digest "$T/base.digest"
WHY="exit $RC: $(head -c 300 "$OUT")"
check tamper.untouched-is-clean test "$RC" = 0

# Reached the end: every check has spoken for itself above.
exit 0
