#!/usr/bin/env bash
# test_demo.sh — "fundflow demo": a believable company whose operators can
# log in, whose history has every kind of application and a conflict, that
# is not overwritten by accident, and that scales with --entries.
. "$(dirname "$0")/lib.sh"

E2E_PW=demo
ADMIN="admin"
export FUNDFLOW_DB=$DB

t_demo() {
	ff demo
	expect_rc 0
	[ -f "$DB" ] || fail "demo did not create $DB"
	out_has admin
	out_has reviewer
	out_has auditor
	out_has staff
	out_has demo
	eq "$(stat -c %a "$DB")" 600 "mode of the demo database"
}

t_branches() {
	ge "$(q "SELECT count(*) FROM branch")" 8 "branches"
	eq "$(q "SELECT code || ' ' || name FROM branch ORDER BY id LIMIT 1")" "ZC01 诸城分公司" "the first branch"
	eq "$(q "SELECT name FROM branch WHERE code = 'QD02'")" 青岛分公司 "QD02"
	eq "$(q "SELECT name FROM branch WHERE code = 'LDN1'")" "London Branch" "LDN1"
	ge "$(q "SELECT count(*) FROM branch WHERE name GLOB '*[A-Za-z]*'")" 1 "branches with Latin names"
	ge "$(q "SELECT count(*) FROM branch WHERE name NOT GLOB '*[A-Za-z]*'")" 3 "branches with Chinese names"
	eq "$(q "SELECT count(*) FROM account")" "$(q "SELECT count(*) FROM branch")" "one account per branch"
}

t_logins() {
	ffas admin branch list
	expect_rc 0
	out_has 诸城分公司
	ffas reviewer --json withdraw list --status pending
	expect_rc 0
	json_is array
	ffas auditor audit
	expect_rc 0
	ffas staff --json accounts
	expect_rc 0
	eq "$(jsql "SELECT group_concat(json_extract(value, '\$.branch')) FROM j, json_each(j.doc)")" ZC01 "what staff sees"
	eq "$(jsql "SELECT json_extract(value, '\$.name') FROM j, json_each(j.doc)")" 诸城分公司 "ZC01's name in JSON"
	ffas reviewer2 --json accounts
	expect_rc 0
	ffas clerk.qd02 --json accounts
	expect_rc 0
	eq "$(jsql "SELECT group_concat(json_extract(value, '\$.branch')) FROM j, json_each(j.doc)")" QD02 "what clerk.qd02 sees"
	FUNDFLOW_PASSWORD=demo2 ff --user admin branch list
	expect_rc 77
	eq "$(q "SELECT role FROM operator WHERE login = 'admin'")|$(q "SELECT role FROM operator WHERE login = 'reviewer'")|$(q "SELECT role FROM operator WHERE login = 'auditor'")|$(q "SELECT role FROM operator WHERE login = 'staff'")" \
	    "admin|reviewer|auditor|staff" "roles of the demo logins"
}

t_history() {
	local s
	for s in approved rejected cancelled pending; do
		ge "$(q "SELECT count(*) FROM withdrawal WHERE status = '$s'")" 1 "$s applications"
	done
	ge "$(q "SELECT count(*) FROM income_conflict")" 1 "kept conflicts"
	ge "$(q "SELECT count(*) FROM income")" 500 "incomes"
	ge "$(q "SELECT count(DISTINCT substr(occurred_at, 1, 7)) FROM income")" 3 "months of incomes"
	ge "$(q "SELECT count(*) FROM withdrawal WHERE status = 'rejected' AND length(trim(reason)) > 0")" 1 "rejections with a reason"
	eq "$(chain_breaks)" 0 "ledger chain breaks"
	eq "$(q "SELECT count(*) FROM account a WHERE total_withdrawn <> (SELECT total(amount) FROM withdrawal WHERE branch_id = a.branch_id AND status = 'approved')
	     OR withdrawable <> (SELECT total(amount) FROM income WHERE branch_id = a.branch_id AND withdrawable = 1)
	                       - (SELECT total(amount) FROM withdrawal WHERE branch_id = a.branch_id AND status = 'approved')
	     OR withdrawable < 0 OR withdrawable > balance")" 0 "accounts breaking invariant 4"
	eq "$(q "SELECT count(*) FROM (SELECT 1 FROM income WHERE buss_type <> 16 GROUP BY buss_type, ref_id HAVING count(*) > 1)")" 0 "duplicate incomes"
}

t_accounts_view() {
	ffas auditor --json accounts
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" "$(q "SELECT count(*) FROM branch")" "accounts listed"
	# pending_count / pending_amount agree with the applications.
	local want got
	want=$(q "SELECT b.code || ':' || (SELECT count(*) FROM withdrawal w WHERE w.branch_id = b.id AND status = 'pending')
	            || ':' || printf('%.2f', (SELECT total(amount) FROM withdrawal w WHERE w.branch_id = b.id AND status = 'pending') / 100.0)
	          FROM branch b ORDER BY code" | tr '\n' ' ')
	got=$(jsql "SELECT json_extract(value, '\$.branch') || ':' || json_extract(value, '\$.pending_count') || ':' || json_extract(value, '\$.pending_amount')
	            FROM j, json_each(j.doc) ORDER BY json_extract(value, '\$.branch')" | tr '\n' ' ')
	eq "$got" "$want" "pending count and amount per branch"
	want=$(q "SELECT b.code || ':' || printf('%.2f', balance / 100.0) || ':' || printf('%.2f', withdrawable / 100.0) || ':' || printf('%.2f', total_withdrawn / 100.0)
	          FROM branch b JOIN account a ON a.branch_id = b.id ORDER BY code" | tr '\n' ' ')
	got=$(jsql "SELECT json_extract(value, '\$.branch') || ':' || json_extract(value, '\$.balance') || ':' || json_extract(value, '\$.withdrawable') || ':' || json_extract(value, '\$.total_withdrawn')
	            FROM j, json_each(j.doc) ORDER BY json_extract(value, '\$.branch')" | tr '\n' ' ')
	eq "$got" "$want" "balances per branch"
	# The table groups thousands and keeps the Chinese names.
	ffas auditor accounts
	expect_rc 0
	out_has 诸城分公司
	grep -qE '[0-9],[0-9]{3}\.[0-9]{2}' "$OUT" || fail_run "the accounts table does not group thousands"
}

t_no_overwrite() {
	local before
	before=$(state_of)
	ff demo
	expect_rc 1 64 73
	err_nonempty
	eq "$(state_of)" "$before" "the database after a refused demo"
	FUNDFLOW_NEW_PASSWORD=x ff init --admin x
	expect_rc 1
	eq "$(state_of)" "$before" "the database after a refused init"
}

t_force() {
	ffas reviewer --json withdraw list --status pending
	local id
	id=$(jx '$[0].id')
	ffas reviewer withdraw reject "$id" --reason "changed before --force"
	expect_rc 0
	ff demo --force
	expect_rc 0
	eq "$(q "SELECT count(*) FROM withdrawal WHERE reason = 'changed before --force'")" 0 "the rejection made before demo --force (a fresh demo)"
	eq "$(q "SELECT count(*) FROM operator WHERE login = 'admin'")" 1 "admins after --force"
	ffas auditor audit
	expect_rc 0
}

t_entries() {
	local DB=$T/big.db start secs n
	export FUNDFLOW_DB=$DB
	start=$(date +%s)
	ff demo --entries 20000
	expect_rc 0
	secs=$(( $(date +%s) - start ))
	n=$(q "SELECT count(*) FROM ledger")
	[ "$n" -ge 16000 ] && [ "$n" -le 24000 ] || fail "demo --entries 20000 made $n ledger entries (wanted about 20000)"
	[ "$secs" -le 60 ] || fail "demo --entries 20000 took ${secs}s"
	ffas auditor audit
	expect_rc 0
	eq "$(chain_breaks)" 0 "ledger chain breaks"
	ffas auditor --json ledger --limit 5
	expect_rc 0
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 5 "ledger --limit 5 on the big demo"
	ff demo --entries abc --db "$T/bad.db"
	expect_rc 64
	[ ! -e "$T/bad.db" ] || fail "a refused demo left $T/bad.db"
}

check demo_creates_database t_demo
check branches_chinese_and_latin t_branches
check demo_logins_work t_logins
check history_has_every_status_and_a_conflict t_history
check accounts_view_matches_database t_accounts_view
check refuses_to_overwrite t_no_overwrite
check force_rebuilds t_force
check entries_20000 t_entries
finish
