# test_tui_login.sh — the screens' login form, in tmux: a refusal that
# says nothing of which part was wrong (and is recorded), and each role
# landing where it should and seeing only what it may.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

setup() {
	ff demo
	expect_rc 0
}

login_refused() {
	local before after
	before=$(q "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0")
	tui_start bad
	tui_login bad reviewer wrong-password
	tui_wait bad "Login refused: unknown login or wrong password"
	tui_wait_q "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0" \
	    "$((before + 1))" "refused logins recorded"
	# The form stays, the password field is emptied, nothing else shows.
	tui_has bad "Password"
	tui_lacks bad "wrong-password"
	tui_lacks bad "Withdrawals"
	# An unknown login gets the very same sentence.
	tui_keys bad C-a C-k
	tui_keys bad BTab C-u
	tui_type bad nobody
	tui_keys bad Tab
	tui_type bad demo
	tui_keys bad Enter
	tui_wait_q "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0" \
	    "$((before + 2))" "refused logins recorded"
	tui_wait bad "Login refused: unknown login or wrong password"
	tui_has bad "Password"
	eq "$(q "SELECT detail FROM activity WHERE action = 'login' AND ok = 0 AND actor = 'reviewer' ORDER BY id DESC LIMIT 1")" \
	    "wrong password" "recorded reason of the first refusal"
	eq "$(q "SELECT actor FROM activity WHERE action = 'login' AND ok = 0 ORDER BY id DESC LIMIT 1")" \
	    "nobody" "the second refusal is about the login typed"
	# Esc at the login leaves the program.
	tui_keys bad Escape
	tui_ended bad
}

login_reviewer() {
	tui_start rev
	tui_login rev reviewer demo
	tui_wait rev "[2 Withdrawals]"
	tui_has rev "reviewer (reviewer)"
	tui_has rev "pending applications, oldest first"
	tui_lacks rev "5 Audit"
	# The audit is for auditors.
	tui_keys rev 5
	tui_wait rev "5 (Audit) is for auditors."
	tui_has rev "[2 Withdrawals]"
	tui_quit rev
}

login_auditor() {
	tui_start aud
	tui_login aud auditor demo
	tui_wait aud "[1 Accounts]"
	tui_has aud "auditor (auditor)"
	tui_has aud "5 Audit"
	tui_has aud "QD02"
	tui_has aud "ZC01"
	# Approving is for reviewers.
	tui_keys aud 2
	tui_wait aud "[2 Withdrawals]"
	tui_keys aud a
	tui_wait aud "a (approve) is for reviewers."
	tui_quit aud
}

login_admin() {
	tui_start adm
	tui_login adm admin demo
	tui_wait adm "[1 Accounts]"
	tui_has adm "admin (admin)"
	tui_quit adm
}

# --user fills in the login; the operator types only the password, which
# never shows.
login_staff_prefilled() {
	tui_start stf -- --user staff
	tui_wait stf "Password"
	tui_has stf "staff"
	tui_type stf demo
	tui_keys stf Enter
	tui_wait stf "[1 Accounts]"
	tui_has stf "staff (staff ZC01)"
	tui_has stf "ZC01"
	tui_has stf "诸城分公司"
	tui_lacks stf "QD02"
	tui_lacks stf "LDN1"
	tui_has stf "1 branch"
	tui_quit stf
}

check setup setup
check "login refused, recorded, says nothing of which" login_refused
check "reviewer lands on the pending queue" login_reviewer
check "auditor lands on accounts" login_auditor
check "admin logs in" login_admin
check "staff logs in (login prefilled) and sees one branch" login_staff_prefilled
finish
