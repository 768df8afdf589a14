#!/usr/bin/env bash
# test_withdraw.sh — the withdrawal flow through the command line: apply,
# approve, reject, cancel, list; every refusal with its exit code; the
# account before and after; racing reviewers.
. "$(dirname "$0")/lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB

# acc_field BRANCH FIELD: from the last "accounts --json".
acc_field() {
	jsql "SELECT json_extract(value, '\$.$2') FROM j, json_each(j.doc)
	      WHERE json_extract(value, '\$.branch') = '$1'"
}
# wd_field ID FIELD: from the last "withdraw list --json".
wd_field() {
	jsql "SELECT json_extract(value, '\$.$2') FROM j, json_each(j.doc)
	      WHERE json_extract(value, '\$.id') = $1"
}
# accounts_are BRANCH BALANCE WITHDRAWABLE WITHDRAWN PCOUNT PAMOUNT
accounts_are() {
	ffas aud --json accounts
	expect_rc 0
	json_is array
	eq "$(acc_field "$1" balance)|$(acc_field "$1" withdrawable)|$(acc_field "$1" total_withdrawn)|$(acc_field "$1" pending_count)|$(acc_field "$1" pending_amount)" \
	    "$2|$3|$4|$5|$6" "accounts --json for $1 (balance|withdrawable|total_withdrawn|pending_count|pending_amount)"
}
# What must not change when something is refused.
money_state() {
	q "SELECT * FROM account ORDER BY branch_id; SELECT * FROM ledger ORDER BY id;
	   SELECT id, status, decided_by, decided_at, reason FROM withdrawal ORDER BY id" | sha256sum
}
saved() { cat "$T/id_$1"; }
# apply_as LOGIN BRANCH AMOUNT [NOTE] -> saves nothing; leaves $OUT
apply_as() {
	ffas "$1" --json withdraw apply --branch "$2" --amount "$3" --note "${4:-test}"
}
refusals_of() { # LOGIN: refused actions recorded for this operator
	local id
	id=$(op_id "$1")
	q "SELECT count(*) FROM activity WHERE ok = 0 AND actor IN ('$1', '$id')"
}

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	ffas root branch add ZC01 诸城分公司
	expect_rc 0
	ffas root branch add QD02 青岛分公司
	expect_rc 0
	add_user rev1 reviewer
	add_user rev2 reviewer
	add_user aud auditor
	add_user s1 staff ZC01
	add_user s2 staff QD02
	{
		ev m-1 ZC01 1 ORD-1 1000.00
		ev m-2 ZC01 8 DEP-1 500.00
		ev m-3 QD02 1 ORD-2 200.00
	} > "$T/in.jsonl"
	ff ingest "$T/in.jsonl"
	expect_rc 0
	eq "$(acct ZC01)" "150000|100000|0" "ZC01 after ingest"
}

t_accounts_before() {
	accounts_are ZC01 1500.00 1000.00 0.00 0 0.00
	eq "$(acc_field ZC01 name)" 诸城分公司 "name of ZC01"
	accounts_are QD02 200.00 200.00 0.00 0 0.00
}

t_apply() {
	local ledger_before id
	ledger_before=$(q "SELECT count(*) FROM ledger")
	apply_as s1 ZC01 300 "Office rent"
	expect_rc 0
	json_is object
	id=$(jx '$.id')
	[ -n "$id" ] && [ "$id" -gt 0 ] 2>/dev/null || fail_run "no id in the applied application"
	echo "$id" > "$T/id_a"
	eq "$(jx '$.status')" pending "status of a new application"
	eq "$(jx '$.amount')" 300.00 "amount of the new application"
	eq "$(jx '$.branch')" ZC01 "branch of the new application"
	eq "$(acct ZC01)" "150000|100000|0" "ZC01 after apply (nothing moves)"
	eq "$(q "SELECT count(*) FROM ledger")" "$ledger_before" "ledger entries after apply"
	eq "$(q "SELECT status || '|' || amount || '|' || note FROM withdrawal WHERE id = $id")" \
	    "pending|30000|Office rent" "the application row"
	accounts_are ZC01 1500.00 1000.00 0.00 1 300.00
	# A second one: each fits what ZC01 may withdraw now, both together do not.
	apply_as s1 ZC01 800.00 "Renovation"
	expect_rc 0
	jx '$.id' > "$T/id_b"
	accounts_are ZC01 1500.00 1000.00 0.00 2 1100.00
}

t_apply_refusals() {
	local before
	before=$(q "SELECT count(*) FROM withdrawal")
	apply_as s1 ZC01 1000.01
	expect_rc 1
	err_nonempty
	apply_as s1 ZC01 1200       # within the balance, beyond withdrawable
	expect_rc 1
	apply_as s1 ZC01 0
	expect_rc 1 64
	apply_as s1 ZC01 0.00
	expect_rc 1 64
	local bad
	for bad in -5 abc 1.234 1e3 "1,000" " 10" "10 " "" +5 0x10 99999999999999999999; do
		apply_as s1 ZC01 "$bad"
		expect_rc 64
	done
	ffas s1 withdraw apply --branch ZC01
	expect_rc 64
	eq "$(q "SELECT count(*) FROM withdrawal")" "$before" "applications after refused applies"
}

t_apply_other_branch() {
	local before
	before=$(money_state)
	apply_as s1 QD02 10
	expect_rc 77
	err_nonempty
	apply_as s2 ZC01 10
	expect_rc 77
	eq "$(money_state)" "$before" "state after applies for another branch"
	eq "$(q "SELECT count(*) FROM withdrawal WHERE branch_id = $(branch_id QD02)")" 0 "QD02 applications"
	ge "$(refusals_of s1)" 1 "activity rows (ok = 0) for s1's refused apply"
	ge "$(refusals_of s2)" 1 "activity rows (ok = 0) for s2's refused apply"
}

t_apply_other_roles() {
	local before who
	before=$(q "SELECT count(*) FROM withdrawal")
	for who in rev1 aud root; do
		apply_as "$who" ZC01 10
		expect_rc 77
		err_nonempty
	done
	eq "$(q "SELECT count(*) FROM withdrawal")" "$before" "applications after refused roles"
	ge "$(refusals_of rev1)" 1 "activity rows for the reviewer's refused apply"
	ge "$(refusals_of aud)" 1 "activity rows for the auditor's refused apply"
	ge "$(refusals_of root)" 1 "activity rows for the admin's refused apply"
}

t_wrong_password() {
	local before
	before=$(q "SELECT count(*) FROM withdrawal")
	FUNDFLOW_PASSWORD=nope ff --user s1 withdraw apply --branch ZC01 --amount 10
	expect_rc 77
	FUNDFLOW_PASSWORD=nope ff --user rev1 withdraw approve "$(saved a)"
	expect_rc 77
	eq "$(q "SELECT count(*) FROM withdrawal")" "$before" "applications"
	eq "$(q "SELECT status FROM withdrawal WHERE id = $(saved a)")" pending "status after a wrong-password approve"
}

t_approve_wrong_roles() {
	local before who
	before=$(money_state)
	for who in aud s1 s2 root; do
		ffas "$who" withdraw approve "$(saved a)"
		expect_rc 77
		ffas "$who" withdraw reject "$(saved a)" --reason "no"
		expect_rc 77
	done
	eq "$(money_state)" "$before" "state after approvals by the wrong roles"
	ge "$(refusals_of aud)" 2 "activity rows for the auditor's refusals"
}

t_approve() {
	local a=$(saved a) rid
	rid=$(op_id rev1)
	ffas rev1 withdraw approve "$a"
	expect_rc 0
	eq "$(acct ZC01)" "120000|70000|30000" "ZC01 after approval (balance|withdrawable|withdrawn)"
	eq "$(q "SELECT kind || '|' || pre_amount || '|' || amount || '|' || post_amount || '|' || seq FROM ledger WHERE withdrawal_id = $a")" \
	    "withdrawal|150000|-30000|120000|3" "the approval's ledger entry"
	eq "$(q "SELECT status || '|' || decided_by FROM withdrawal WHERE id = $a")" "approved|$rid" "the application"
	accounts_are ZC01 1200.00 700.00 300.00 1 800.00
	ffas rev1 --json withdraw list
	expect_rc 0
	json_is array
	eq "$(wd_field "$a" status)" approved "status in withdraw list"
	eq "$(wd_field "$a" decided_by)" rev1 "decided_by in withdraw list"
	eq "$(wd_field "$a" applicant)" s1 "applicant in withdraw list"
	eq "$(wd_field "$a" amount)" 300.00 "amount in withdraw list"
	eq "$(wd_field "$a" note)" "Office rent" "note in withdraw list"
	wd_field "$a" decided_at | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{2}:[0-9]{2}|Z)$' ||
	    fail_run "decided_at is not ISO 8601 with offset: $(wd_field "$a" decided_at)"
	wd_field "$a" applied_at | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([+-][0-9]{2}:[0-9]{2}|Z)$' ||
	    fail_run "applied_at is not ISO 8601 with offset: $(wd_field "$a" applied_at)"
}

t_approve_beyond() {
	local b=$(saved b) before
	before=$(money_state)
	ffas rev2 withdraw approve "$b"
	expect_rc 1
	err_nonempty
	grep -qiE 'withdraw|700' "$ERR" || fail_run "the refusal does not say why (withdrawable 700.00 < 800.00)"
	eq "$(money_state)" "$before" "state after an approval beyond withdrawable"
	eq "$(q "SELECT status FROM withdrawal WHERE id = $b")" pending "status after the refused approval"
	eq "$(acct ZC01)" "120000|70000|30000" "ZC01 after the refused approval"
	ge "$(refusals_of rev2)" 1 "activity rows (ok = 0) for the refused approval"
}

t_double_decide() {
	local a=$(saved a) before
	before=$(money_state)
	ffas rev2 withdraw approve "$a"
	expect_rc 1
	ffas rev1 withdraw approve "$a"
	expect_rc 1
	ffas rev2 withdraw reject "$a" --reason "too late"
	expect_rc 1
	ffas s1 withdraw cancel "$a"
	expect_rc 1
	eq "$(money_state)" "$before" "state after deciding a decided application"
	eq "$(q "SELECT count(*) FROM ledger WHERE withdrawal_id = $a")" 1 "ledger entries of the application"
}

t_reject_needs_reason() {
	local b=$(saved b) before
	before=$(money_state)
	ffas rev1 withdraw reject "$b"
	expect_rc 64
	ffas rev1 withdraw reject "$b" --reason ""
	expect_rc 64
	ffas rev1 withdraw reject "$b" --reason "   "
	expect_rc 64
	ffas rev1 withdraw reject "$b" --reason "$(printf '\t \n')"
	expect_rc 64
	eq "$(money_state)" "$before" "state after rejects without a reason"
}

t_reject() {
	local b=$(saved b)
	ffas rev1 withdraw reject "$b" --reason "Exceeds what ZC01 may withdraw"
	expect_rc 0
	eq "$(q "SELECT status || '|' || reason FROM withdrawal WHERE id = $b")" \
	    "rejected|Exceeds what ZC01 may withdraw" "the rejected application"
	eq "$(q "SELECT count(*) FROM ledger WHERE withdrawal_id = $b")" 0 "ledger entries of a rejected application"
	eq "$(acct ZC01)" "120000|70000|30000" "ZC01 after a rejection"
	accounts_are ZC01 1200.00 700.00 300.00 0 0.00
	ffas rev1 withdraw cancel "$b"
	expect_rc 1 77
	ffas s1 withdraw cancel "$b"
	expect_rc 1
}

t_cancel() {
	local c before who
	apply_as s1 ZC01 50 "Mistake"
	expect_rc 0
	c=$(jx '$.id')
	echo "$c" > "$T/id_c"
	before=$(money_state)
	for who in s2 rev1 aud root; do
		ffas "$who" withdraw cancel "$c"
		expect_rc 77
	done
	eq "$(money_state)" "$before" "state after cancels by others"
	ffas s1 withdraw cancel "$c"
	expect_rc 0
	eq "$(q "SELECT status FROM withdrawal WHERE id = $c")" cancelled "status after cancel"
	eq "$(acct ZC01)" "120000|70000|30000" "ZC01 after a cancel"
	ffas s1 withdraw cancel "$c"
	expect_rc 1
	ffas rev1 withdraw approve "$c"
	expect_rc 1
}

t_not_found() {
	ffas rev1 withdraw approve 99999
	expect_rc 1
	err_nonempty
	ffas rev1 withdraw reject 99999 --reason x
	expect_rc 1
	ffas s1 withdraw cancel 99999
	expect_rc 1 77
	local bad
	for bad in abc 0 -1 1.5 "" 12abc; do
		ffas rev1 withdraw approve "$bad"
		expect_rc 64
	done
	ffas rev1 withdraw approve
	expect_rc 64
}

t_approver_is_applicant() {
	# Reviewers cannot apply, so plant an application "by" rev1 straight
	# in (a copy of) the database: rev1 still may not decide it.
	local id before DB=$T/plant1.db
	copy_db "$DB"
	export FUNDFLOW_DB=$DB
	q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
	   SELECT $(branch_id ZC01), 1000, 'planted', $(op_id rev1), applied_at, flow
	   FROM withdrawal ORDER BY id LIMIT 1"
	id=$(q "SELECT max(id) FROM withdrawal")
	before=$(money_state)
	ffas rev1 withdraw approve "$id"
	expect_rc 1 77
	err_nonempty
	eq "$(money_state)" "$before" "state after approving one's own application"
	ffas rev1 withdraw reject "$id" --reason "my own"
	expect_rc 1 77
	eq "$(money_state)" "$before" "state after rejecting one's own application"
	ffas rev2 withdraw reject "$id" --reason "planted by the test"
	expect_rc 0
}

t_unknown_flow() {
	# An application of a flow the program does not know is never
	# decided (DESIGN: a future change of rules can never deduct twice).
	local id before DB=$T/plant2.db
	copy_db "$DB"
	export FUNDFLOW_DB=$DB
	q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
	   SELECT branch_id, 1000, 'old flow', applicant_id, applied_at, flow + 100
	   FROM withdrawal WHERE applicant_id = $(op_id s1) ORDER BY id LIMIT 1"
	id=$(q "SELECT max(id) FROM withdrawal")
	before=$(money_state)
	ffas rev1 withdraw approve "$id"
	expect_rc 1
	err_nonempty
	eq "$(money_state)" "$before" "state after approving an application of an unknown flow"
	ffas rev1 withdraw reject "$id" --reason "unknown flow"
	expect_rc 1
	ffas s1 withdraw cancel "$id"
	expect_rc 1
	eq "$(money_state)" "$before" "state after deciding an application of an unknown flow"
}

t_list() {
	local n
	apply_as s2 QD02 50 "QD02 travel"
	expect_rc 0
	echo "$(jx '$.id')" > "$T/id_q"
	ffas rev1 --json withdraw list
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" "$(q "SELECT count(*) FROM withdrawal")" "applications listed for a reviewer"
	local f
	for f in id branch amount status applicant applied_at decided_by decided_at reason note; do
		eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_type(value, '\$.$f') IS NULL")" 0 "applications without field $f"
	done
	ffas rev1 --json withdraw list --status pending
	expect_rc 0
	n=$(q "SELECT count(*) FROM withdrawal WHERE status = 'pending'")
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" "$n" "pending applications listed"
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_extract(value, '\$.status') <> 'pending'")" 0 "non-pending in --status pending"
	for f in approved rejected cancelled; do
		ffas aud --json withdraw list --status "$f"
		expect_rc 0
		eq "$(jsql "SELECT json_array_length(doc) FROM j")" "$(q "SELECT count(*) FROM withdrawal WHERE status = '$f'")" "$f applications listed"
	done
	ffas rev1 --json withdraw list --branch QD02
	expect_rc 0
	eq "$(jsql "SELECT group_concat(DISTINCT json_extract(value, '\$.branch')) FROM j, json_each(j.doc)")" QD02 "branches in --branch QD02"
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 1 "QD02 applications"
	ffas rev1 --json withdraw list --branch ZC01 --status approved
	expect_rc 0
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 1 "approved ZC01 applications"
	# Staff see their own branch only.
	ffas s1 --json withdraw list
	expect_rc 0
	eq "$(jsql "SELECT group_concat(DISTINCT json_extract(value, '\$.branch')) FROM j, json_each(j.doc)")" ZC01 "branches staff of ZC01 see"
	ffas s1 withdraw list --branch QD02
	expect_rc 77
	ffas rev1 withdraw list --status bogus
	expect_rc 64
	ffas rev1 withdraw list --branch NOPE
	expect_rc 1 64
	ffas rev1 --csv withdraw list
	expect_rc 0
	head -n 1 "$OUT" | grep -q status || fail_run "withdraw list --csv: no header"
	eq "$(($(wc -l < "$OUT") - 1))" "$(q "SELECT count(*) FROM withdrawal")" "CSV rows"
}

t_accounts_scope() {
	ffas s1 --json accounts
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT group_concat(json_extract(value, '\$.branch')) FROM j, json_each(j.doc)")" ZC01 "accounts staff of ZC01 see"
	ffas s1 accounts --branch QD02
	expect_rc 77
	ffas s2 --json ledger
	expect_rc 0
	eq "$(jsql "SELECT count(*) FROM j, json_each(j.doc) WHERE json_extract(value, '\$.branch') <> 'QD02'")" 0 "ledger entries of other branches seen by QD02 staff"
	ffas s2 ledger --branch ZC01
	expect_rc 77
	ffas rev1 --json accounts
	expect_rc 0
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 2 "accounts a reviewer sees"
	ffas s1 audit
	expect_rc 77
}

t_small_amounts() {
	apply_as s1 ZC01 0.5 "half a yuan"
	expect_rc 0
	eq "$(jx '$.amount')" 0.50 "amount 0.5 printed"
	local id
	id=$(jx '$.id')
	ffas rev2 withdraw approve "$id"
	expect_rc 0
	eq "$(acct ZC01)" "119950|69950|30050" "ZC01 after approving 0.50"
}

t_awkward_note() {
	local note
	note=$(printf 'Line one, "quoted"; it'"'"'s \\ 备注')
	ffas s2 --json withdraw apply --branch QD02 --amount 1 --note "$note"
	expect_rc 0
	json_is object
	local id
	id=$(jx '$.id')
	eq "$(q "SELECT note FROM withdrawal WHERE id = $id")" "$note" "the stored note"
	ffas s2 withdraw apply --branch QD02 --amount 1 --note "$(printf 'two\nlines')"
	expect_rc 64
	ffas rev1 --json withdraw list --branch QD02
	expect_rc 0
	json_is array
	eq "$(wd_field "$id" note)" "$note" "the note in withdraw list --json"
	ffas rev1 --csv withdraw list --branch QD02
	expect_rc 0
	eq "$(sqlite3 :memory: ".import --csv $OUT w" "SELECT count(*) FROM w WHERE note = '$(printf '%s' "$note" | sed "s/'/''/g")'")" 1 \
	    "the note read back from withdraw list --csv"
	ffas s2 withdraw cancel "$id"
	expect_rc 0
}

t_race_two_applications() {
	# Two applications of 400 against 699.50 withdrawable, approved at the
	# same moment by two reviewers: exactly one goes through.
	local d e r1 r2
	apply_as s1 ZC01 400 "race 1"; expect_rc 0; d=$(jx '$.id')
	apply_as s1 ZC01 400 "race 2"; expect_rc 0; e=$(jx '$.id')
	FUNDFLOW_PASSWORD=$(pw_of rev1) "$FUNDFLOW" --user rev1 withdraw approve "$d" > "$T/r1.out" 2> "$T/r1.err" &
	local p1=$!
	FUNDFLOW_PASSWORD=$(pw_of rev2) "$FUNDFLOW" --user rev2 withdraw approve "$e" > "$T/r2.out" 2> "$T/r2.err" &
	local p2=$!
	wait "$p1"; r1=$?
	wait "$p2"; r2=$?
	cat "$T/r1.err" "$T/r2.err" > "$ERR"; LAST_CMD="rev1 approve $d & rev2 approve $e"; RC="$r1/$r2"; _after_run
	case "$r1/$r2" in
	0/1|1/0) ;;
	*) fail_run "expected one approval to succeed (0) and one to be refused (1)" ;;
	esac
	eq "$(acct ZC01)" "79950|29950|70050" "ZC01 after the race"
	eq "$(q "SELECT count(*) FROM withdrawal WHERE id IN ($d, $e) AND status = 'approved'")" 1 "approved among the two"
	eq "$(chain_breaks)" 0 "ledger chain breaks"
}

t_race_same_application() {
	local f r1 r2
	apply_as s1 ZC01 10 "race same"; expect_rc 0; f=$(jx '$.id')
	FUNDFLOW_PASSWORD=$(pw_of rev1) "$FUNDFLOW" --user rev1 withdraw approve "$f" > "$T/r1.out" 2> "$T/r1.err" &
	local p1=$!
	FUNDFLOW_PASSWORD=$(pw_of rev2) "$FUNDFLOW" --user rev2 withdraw approve "$f" > "$T/r2.out" 2> "$T/r2.err" &
	local p2=$!
	wait "$p1"; r1=$?
	wait "$p2"; r2=$?
	cat "$T/r1.err" "$T/r2.err" > "$ERR"; LAST_CMD="rev1 & rev2 approve $f"; RC="$r1/$r2"; _after_run
	case "$r1/$r2" in
	0/1|1/0) ;;
	*) fail_run "expected exactly one approval of the same application" ;;
	esac
	eq "$(q "SELECT count(*) FROM ledger WHERE withdrawal_id = $f")" 1 "ledger entries of the application"
	eq "$(acct ZC01)" "78950|28950|71050" "ZC01 after approving the same application twice at once"
}

t_race_mixed() {
	# A feeder streams incomes into ZC01 while two reviewers approve ZC01
	# applications: every writer's entry continues the chain.
	local a1 a2 pf p1 p2 rf r1 r2 bal0
	apply_as s1 ZC01 5 "mixed 1"; expect_rc 0; a1=$(jx '$.id')
	apply_as s1 ZC01 6 "mixed 2"; expect_rc 0; a2=$(jx '$.id')
	awk 'BEGIN { for (i = 1; i <= 400; i++)
		printf "{\"event_id\":\"mx-%d\",\"branch\":\"ZC01\",\"buss_type\":1,\"ref_id\":\"MX-%d\",\"amount\":\"0.01\"}\n", i, i }' > "$T/mx.jsonl"
	bal0=$(q "SELECT balance FROM account WHERE branch_id = $(branch_id ZC01)")
	"$FUNDFLOW" ingest "$T/mx.jsonl" > "$T/mf.out" 2> "$T/mf.err" &
	pf=$!
	FUNDFLOW_PASSWORD=$(pw_of rev1) "$FUNDFLOW" --user rev1 withdraw approve "$a1" > "$T/m1.out" 2> "$T/m1.err" &
	p1=$!
	FUNDFLOW_PASSWORD=$(pw_of rev2) "$FUNDFLOW" --user rev2 withdraw approve "$a2" > "$T/m2.out" 2> "$T/m2.err" &
	p2=$!
	wait "$pf"; rf=$?
	wait "$p1"; r1=$?
	wait "$p2"; r2=$?
	cat "$T/mf.err" "$T/m1.err" "$T/m2.err" > "$ERR"
	LAST_CMD="ingest 400 events & rev1 approve $a1 & rev2 approve $a2"
	RC="$rf/$r1/$r2"
	_after_run
	[ "$RC" = 0/0/0 ] || fail_run "expected all three writers to succeed"
	eq "$(q "SELECT balance FROM account WHERE branch_id = $(branch_id ZC01)")" "$((bal0 + 400 - 1100))" "ZC01's balance after the mixed race"
	eq "$(chain_breaks)" 0 "ledger chain breaks after the mixed race"
}

t_invariants() {
	eq "$(chain_breaks)" 0 "ledger chain breaks"
	eq "$(q "SELECT count(*) FROM account a WHERE total_withdrawn <> (SELECT total(amount) FROM withdrawal WHERE branch_id = a.branch_id AND status = 'approved')
	     OR withdrawable <> (SELECT total(amount) FROM income WHERE branch_id = a.branch_id AND withdrawable = 1)
	                       - (SELECT total(amount) FROM withdrawal WHERE branch_id = a.branch_id AND status = 'approved')")" \
	    0 "accounts whose withdrawable / total withdrawn differ from their sources"
	eq "$(q "SELECT count(*) FROM withdrawal w WHERE (status = 'approved') <> EXISTS (SELECT 1 FROM ledger WHERE withdrawal_id = w.id)")" \
	    0 "applications with a wrong number of ledger entries"
	ffas aud audit
	expect_rc 0
}

t_activity() {
	local n
	n=$(q "SELECT count(*) FROM activity WHERE ok = 1 AND actor IN ('rev1', '$(op_id rev1)') AND action LIKE '%approve%'")
	ge "$n" 1 "activity rows for rev1's approvals"
	n=$(q "SELECT count(*) FROM activity WHERE ok = 1 AND actor IN ('s1', '$(op_id s1)') AND (action LIKE '%apply%' OR action LIKE '%appl%')")
	ge "$n" 1 "activity rows for s1's applications"
	n=$(q "SELECT count(*) FROM activity WHERE ok = 1 AND actor IN ('rev1', '$(op_id rev1)') AND action LIKE '%reject%'")
	ge "$n" 1 "activity rows for rev1's rejection"
	n=$(q "SELECT count(*) FROM activity WHERE ok = 1 AND actor IN ('s1', '$(op_id s1)') AND action LIKE '%cancel%'")
	ge "$n" 1 "activity rows for s1's cancel"
}

check setup_company t_setup
check accounts_before t_accounts_before
check apply_records_only t_apply
check apply_refusals t_apply_refusals
check staff_other_branch_77 t_apply_other_branch
check reviewer_auditor_admin_cannot_apply_77 t_apply_other_roles
check wrong_password_77 t_wrong_password
check approve_by_wrong_roles_77 t_approve_wrong_roles
check approve_moves_money t_approve
check approve_beyond_withdrawable_refused t_approve_beyond
check decided_is_final t_double_decide
check reject_needs_reason_64 t_reject_needs_reason
check reject_changes_status_only t_reject
check cancel_by_own_staff_only t_cancel
check not_found_1_bad_id_64 t_not_found
check approver_is_not_applicant t_approver_is_applicant
check unknown_flow_never_decided t_unknown_flow
check list_filters_and_fields t_list
check role_scope_of_reads t_accounts_scope
check small_amounts t_small_amounts
check awkward_note_in_json_and_csv t_awkward_note
check race_two_approvals_one_wins t_race_two_applications
check race_same_application_once t_race_same_application
check race_feeder_and_reviewers t_race_mixed
check invariants_and_audit t_invariants
check activity_of_actions t_activity
finish
