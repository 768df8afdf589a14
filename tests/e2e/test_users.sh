#!/usr/bin/env bash
# test_users.sh — operators and branches: user add / disable / passwd /
# list, branch add / list, login failures (one message for all, each
# recorded), and what each role may not do.
. "$(dirname "$0")/lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB

failed_logins() {
	q "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0"
}

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	ffas root branch add ZC01 诸城分公司
	expect_rc 0
	ffas root branch add LDN1 "London Branch"
	expect_rc 0
}

t_user_add() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of rev) ffas root user add rev --role reviewer --name "Li Na"
	expect_rc 0
	add_user aud auditor
	add_user s1 staff ZC01
	add_user adm2 admin
	eq "$(q "SELECT role || '|' || name || '|' || active || '|' || (branch_id IS NULL) FROM operator WHERE login = 'rev'")" \
	    "reviewer|Li Na|1|1" "the reviewer row"
	eq "$(q "SELECT role || '|' || b.code FROM operator o JOIN branch b ON b.id = o.branch_id WHERE login = 's1'")" \
	    "staff|ZC01" "the staff row"
	case $(q "SELECT pwhash FROM operator WHERE login = 'rev'") in
	'$argon2id$'*) ;;
	*) fail "the password is not stored as an argon2id hash" ;;
	esac
	eq "$(q "SELECT count(*) FROM operator WHERE instr(pwhash, 'pw-rev') > 0")" 0 "password in clear in the database"
	ffas rev --json accounts
	expect_rc 0
	ffas s1 --json accounts
	expect_rc 0
	ffas adm2 user list
	expect_rc 0
}

t_user_add_refusals() {
	local before
	before=$(q "SELECT count(*) FROM operator")
	FUNDFLOW_NEW_PASSWORD=x ffas root user add s9 --role staff
	expect_rc 64 1
	err_nonempty
	FUNDFLOW_NEW_PASSWORD=x ffas root user add s9 --role staff --branch NOPE
	expect_rc 1 64
	FUNDFLOW_NEW_PASSWORD=x ffas root user add x9 --role boss
	expect_rc 64
	FUNDFLOW_NEW_PASSWORD=x ffas root user add x9
	expect_rc 64
	FUNDFLOW_NEW_PASSWORD=x ffas root user add rev --role reviewer
	expect_rc 1
	err_nonempty
	FUNDFLOW_NEW_PASSWORD=x ffas root user add "" --role reviewer
	expect_rc 64
	# No new password and no terminal: nothing is created.
	ffas root user add x10 --role reviewer
	expect_rc 64
	FUNDFLOW_NEW_PASSWORD="" ffas root user add x11 --role reviewer
	expect_rc 64
	eq "$(q "SELECT count(*) FROM operator")" "$before" "operators after refused adds"
}

t_user_add_by_others() {
	local before who
	before=$(q "SELECT count(*) FROM operator")
	for who in rev aud s1; do
		FUNDFLOW_NEW_PASSWORD=x ffas "$who" user add "by-$who" --role reviewer
		expect_rc 77
		ffas "$who" branch add "B$who" "Branch of $who"
		expect_rc 77
		ffas "$who" user disable rev
		expect_rc 77
		FUNDFLOW_NEW_PASSWORD=x ffas "$who" user passwd root
		expect_rc 77
	done
	eq "$(q "SELECT count(*) FROM operator")" "$before" "operators"
	eq "$(q "SELECT count(*) FROM branch")" 2 "branches"
	eq "$(q "SELECT active FROM operator WHERE login = 'rev'")" 1 "rev still active"
	ffas root user list
	expect_rc 0
}

t_login_failures() {
	local n0 m_wrong m_unknown m_disabled
	n0=$(failed_logins)
	FUNDFLOW_PASSWORD=wrong ff --user rev accounts
	expect_rc 77
	err_nonempty
	m_wrong=$(cat "$ERR")
	FUNDFLOW_PASSWORD=wrong ff --user nobody accounts
	expect_rc 77
	m_unknown=$(cat "$ERR")
	eq "$m_unknown" "$m_wrong" "message for an unknown login vs a wrong password"
	grep -qiE 'nobody' "$ERR" && fail_run "the message repeats the login (tells which part was wrong?)"
	eq "$(failed_logins)" "$((n0 + 2))" "failed-login activity rows"
	# Case matters, and so does every character.
	FUNDFLOW_PASSWORD=PW-REV ff --user rev accounts
	expect_rc 77
	FUNDFLOW_PASSWORD="pw-rev " ff --user rev accounts
	expect_rc 77
	FUNDFLOW_PASSWORD="" ff --user rev accounts
	expect_rc 77
	ff --user rev accounts            # no password at all, no terminal
	expect_rc 77
	ge "$(failed_logins)" "$((n0 + 5))" "failed-login activity rows"
	echo "$m_wrong" > "$T/m_wrong"
}

t_disable() {
	local n0
	ffas root user disable rev
	expect_rc 0
	eq "$(q "SELECT active FROM operator WHERE login = 'rev'")" 0 "rev's active flag"
	n0=$(failed_logins)
	ffas rev accounts
	expect_rc 77
	eq "$(cat "$ERR")" "$(cat "$T/m_wrong")" "message for a disabled operator vs a wrong password"
	eq "$(failed_logins)" "$((n0 + 1))" "failed-login activity rows after a disabled login"
	ffas root user disable nobody
	expect_rc 1
	ffas root --json user list
	expect_rc 0
	json_is array
	grep -q '"rev"' "$OUT" || fail_run "user list --json does not list the disabled rev"
	# The password of a disabled operator can be reset, but they still
	# cannot log in.
	FUNDFLOW_NEW_PASSWORD=pw-rev-new ffas root user passwd rev
	expect_rc 0 1
	FUNDFLOW_PASSWORD=pw-rev-new ff --user rev accounts
	expect_rc 77
}

t_passwd_admin() {
	# Two admins (root, adm2): a reset awaits the other's confirmation;
	# until then the old password works and the new one does not.
	FUNDFLOW_NEW_PASSWORD=pw-aud-2 ffas root user passwd aud
	expect_rc 0
	out_has "the reset awaits a second admin's confirmation: fundflow user confirm aud"
	ffas aud accounts
	expect_rc 0
	FUNDFLOW_PASSWORD=pw-aud-2 ff --user aud accounts
	expect_rc 77
	ffas root user confirm aud
	expect_rc 77
	err_has 'you asked for this change of "aud" yourself; another admin must confirm it'
	ffas adm2 user confirm aud
	expect_rc 0
	out_has 'confirmed the reset of "aud"; the new password must be changed at the next login'
	ffas aud accounts
	expect_rc 77
	# The new password opens nothing but setting one's own.
	FUNDFLOW_PASSWORD=pw-aud-2 ff --user aud accounts
	expect_rc 77
	err_has 'your password was reset by an admin; set your own first: fundflow --user aud user passwd'
	FUNDFLOW_PASSWORD=pw-aud-2 FUNDFLOW_NEW_PASSWORD=pw-aud-3 ff --user aud user passwd rev
	expect_rc 77
	FUNDFLOW_PASSWORD=pw-aud-2 FUNDFLOW_NEW_PASSWORD=pw-aud-2 ff --user aud user passwd
	expect_rc 0
	FUNDFLOW_PASSWORD=pw-aud-2 ff --user aud accounts
	expect_rc 0
	ffas adm2 user confirm aud
	expect_rc 1
	err_has 'nothing of "aud" awaits confirmation'
	ffas root user passwd aud
	expect_rc 64
	FUNDFLOW_NEW_PASSWORD=x ffas root user passwd nobody
	expect_rc 1
}

t_passwd_self() {
	FUNDFLOW_PASSWORD=pw-s1 FUNDFLOW_NEW_PASSWORD=pw-s1-2 ff --user s1 user passwd
	expect_rc 0
	FUNDFLOW_PASSWORD=pw-s1 ff --user s1 accounts
	expect_rc 77
	FUNDFLOW_PASSWORD=pw-s1-2 ff --user s1 accounts
	expect_rc 0
	# The old password does not change anything.
	FUNDFLOW_PASSWORD=pw-s1 FUNDFLOW_NEW_PASSWORD=evil ff --user s1 user passwd
	expect_rc 77
	FUNDFLOW_PASSWORD=pw-s1-2 ff --user s1 accounts
	expect_rc 0
	FUNDFLOW_PASSWORD=pw-s1-2 FUNDFLOW_NEW_PASSWORD=pw-s1 ff --user s1 user passwd s1
	expect_rc 0
	ffas s1 accounts
	expect_rc 0
}

t_user_list() {
	ffas root --json user list
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" "$(q "SELECT count(*) FROM operator")" "operators listed"
	local l
	for l in root rev aud s1 adm2; do
		grep -q "\"$l\"" "$OUT" || fail_run "user list --json lacks $l"
	done
	grep -q 'argon2' "$OUT" && fail_run "user list shows password hashes"
	ffas root user list
	expect_rc 0
	grep -q argon2 "$OUT" && fail_run "user list shows password hashes"
	ffas root --csv user list
	expect_rc 0
	eq "$(($(wc -l < "$OUT") - 1))" "$(q "SELECT count(*) FROM operator")" "CSV rows of user list"
}

t_branches() {
	ffas root branch add QD02 青岛分公司
	expect_rc 0
	ffas root branch add QD02 "Another"
	expect_rc 1
	local bad
	for bad in "bad code" "" "ZC/01" "ÄÖ" "ABCDEFGHIJKLMNOPQ"; do
		ffas root branch add "$bad" "Name"
		expect_rc 64
	done
	ffas root branch add NONAME ""
	expect_rc 64
	ffas root branch add ONLYCODE
	expect_rc 64
	ffas root --json branch list
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 3 "branches listed"
	grep -q '青岛分公司' "$OUT" || fail_run "branch list lost the Chinese name"
	eq "$(q "SELECT name FROM branch WHERE code = 'QD02'")" 青岛分公司 "the stored name"
	eq "$(q "SELECT count(*) FROM account")" 3 "accounts (one per branch)"
	ffas root branch list
	expect_rc 0
	grep -q '诸城分公司' "$OUT" || fail_run "branch list (table) lost the Chinese name"
}

t_awkward_names() {
	# Names with a comma, quotes, a backslash and CJK survive JSON and CSV.
	local name='Smith, "Jones" \ 合伙 & Co'
	ffas root branch add AWK1 "$name"
	expect_rc 0
	eq "$(q "SELECT name FROM branch WHERE code = 'AWK1'")" "$name" "the stored name"
	ffas root --json branch list
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_extract(value, '\$.name') FROM j, json_each(j.doc) WHERE json_extract(value, '\$.code') = 'AWK1' OR json_extract(value, '\$.branch') = 'AWK1'")" \
	    "$name" "the name in branch list --json"
	ffas root --csv branch list
	expect_rc 0
	sqlite3 :memory: ".import --csv $OUT b" "SELECT count(*) FROM b" > "$T/csvn" 2>&1
	eq "$(cat "$T/csvn")" "$(q "SELECT count(*) FROM branch")" "rows of branch list --csv read back by sqlite3"
	grep -qF "$name" <(sqlite3 :memory: ".import --csv $OUT b" "SELECT * FROM b") ||
	    fail_run "branch list --csv does not read back the name $name"
	ffas root --json accounts --branch AWK1
	expect_rc 0
	json_is array
	eq "$(jx '$[0].name')" "$name" "the name in accounts --json"
	FUNDFLOW_NEW_PASSWORD=x ffas root user add "o.brien" --role reviewer --name "$name"
	expect_rc 0
	ffas root --json user list
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_extract(value, '\$.name') FROM j, json_each(j.doc) WHERE json_extract(value, '\$.login') = 'o.brien'")" \
	    "$name" "the operator's name in user list --json"
}

t_admin_moves_no_money() {
	printf '{"event_id":"m-1","branch":"ZC01","buss_type":1,"ref_id":"O-1","amount":"10.00"}\n' > "$T/in.jsonl"
	ff ingest "$T/in.jsonl"
	expect_rc 0
	ffas root withdraw apply --branch ZC01 --amount 1
	expect_rc 77
	ffas adm2 withdraw apply --branch ZC01 --amount 1
	expect_rc 77
	ffas s1 --json withdraw apply --branch ZC01 --amount 1
	expect_rc 0
	local id
	id=$(jx '$.id')
	ffas root withdraw approve "$id"
	expect_rc 77
	ffas aud withdraw approve "$id"
	expect_rc 77
	eq "$(q "SELECT status FROM withdrawal WHERE id = $id")" pending "status"
}

# Four-eyes with two admins: a reviewer granted by one awaits the other;
# it cannot log in until then.  An application is not approved through a
# reviewer the same admin added as the applicant; a reviewer the other
# admin added may.  Enabling awaits the other admin too.  One admin alone
# is allowed, and the audit warns of it.
t_four_eyes() {
	local id before
	FUNDFLOW_NEW_PASSWORD=pw-rv2 ffas root user add rv2 --role reviewer
	expect_rc 0
	out_has "added reviewer \"rv2\"; the grant awaits a second admin's confirmation: fundflow user confirm rv2"
	ffas rv2 accounts
	expect_rc 77
	err_has 'login refused: the account of "rv2" awaits a second admin'"'"'s confirmation'
	ffas root --json user list
	expect_rc 0
	eq "$(jsql "SELECT json_extract(value, '$.awaiting') || ' ' || json_extract(value, '$.awaiting_by') FROM j, json_each(j.doc) WHERE json_extract(value, '$.login') = 'rv2'")" \
	    "grant root" "user list: rv2 awaiting"
	ffas adm2 user confirm rv2
	expect_rc 0
	out_has 'confirmed the grant of "rv2"'
	ffas rv2 accounts
	expect_rc 0
	ffas s1 --json withdraw apply --branch ZC01 --amount 1
	expect_rc 0
	id=$(jx '$.id')
	before=$(state_of)
	ffas rv2 withdraw approve "$id"
	expect_rc 1
	err_has "application $id was made by an account the same admin added as yours; a reviewer added by another admin must decide it"
	eq "$(state_of)" "$before" "database after the refused approval"
	FUNDFLOW_NEW_PASSWORD=pw-rv3 ffas adm2 user add rv3 --role reviewer
	expect_rc 0
	ffas root user confirm rv3
	expect_rc 0
	ffas rv3 withdraw approve "$id"
	expect_rc 0
	eq "$(q "SELECT status FROM withdrawal WHERE id = $id")" approved "status"
	# Enabling the disabled rev awaits adm2.
	ffas root user enable rev
	expect_rc 0
	out_has "the enabling awaits a second admin's confirmation: fundflow user confirm rev"
	eq "$(q "SELECT active || awaiting FROM operator WHERE login = 'rev'")" 0enable "rev before confirmation"
	ffas adm2 user confirm rev
	expect_rc 0
	eq "$(q "SELECT active || awaiting FROM operator WHERE login = 'rev'")" 1 "rev after confirmation"
	ffas root user enable rev
	expect_rc 1
	err_has '"rev" is enabled already'
	# What one admin did alone is a warning of the audit, not a finding.
	FUNDFLOW_PASSWORD=pw-aud-2 ff --user aud audit
	expect_rc 0
	err_has 'fundflow: audit warning: operator adm2 (admin) was granted, enabled or reset by one admin alone'
	err_lacks 'the company has one admin'
}

check setup t_setup
check user_add_and_login t_user_add
check user_add_refusals t_user_add_refusals
check only_admin_manages_77 t_user_add_by_others
check login_failures_same_message_recorded t_login_failures
check disabled_cannot_log_in t_disable
check admin_resets_password t_passwd_admin
check own_password_change t_passwd_self
check user_list t_user_list
check branches t_branches
check awkward_names_in_json_and_csv t_awkward_names
check admin_and_auditor_move_no_money t_admin_moves_no_money
check four_eyes_on_grants_and_approvals t_four_eyes
finish
