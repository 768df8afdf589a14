# test_tui_stale.sh — an operator's rights are read inside every write,
# not only at login: a reviewer the admin disables while their screen is
# open, with the approval dialog up, cannot approve from it; the refusal
# says why, nothing changes but the activity line that records it, and the
# login form comes back (where the disabled login is then refused); and
# a password the admin reset opens no screen until the operator sets
# their own.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

pending_state() { q "SELECT status FROM withdrawal WHERE id = $1"; }

setup() {
	ff demo
	expect_rc 0
	tui_start rv
	tui_login rv reviewer demo
	tui_wait rv "[2 Withdrawals]"
}

disabled_while_deciding() {
	local id n before
	id=$(q "SELECT w.id FROM withdrawal w JOIN account a ON a.branch_id = w.branch_id
	        WHERE w.status = 'pending' AND a.withdrawable >= w.amount ORDER BY w.id LIMIT 1")
	[ -n "$id" ] || fail "setup: the demo has no application its branch can cover"
	n=$(q "SELECT count(*) FROM withdrawal WHERE status = 'pending' AND id < $id")
	tui_keys rv g
	[ "$n" -gt 0 ] && tui_keys rv -N "$n" j
	tui_wait rv "#$id "
	tui_keys rv a
	tui_wait rv "Approve application $id?"
	ffas admin user disable reviewer
	expect_rc 0
	before=$(state_of)
	tui_keys rv y
	tui_wait rv "your operator account was disabled or changed by an admin"
	tui_wait rv "fundflow: log in"
	tui_lacks rv "Approve application $id?"
	eq "$(pending_state "$id")" pending "status after the refusal"
	eq "$(state_of)" "$before" "database state after the refusal"
	eq "$(q "SELECT count(*) FROM ledger WHERE withdrawal_id = $id")" 0 "ledger entries"
	eq "$(q "SELECT actor || ' ' || ok || ' ' || detail FROM activity WHERE action = 'session.stale' ORDER BY id DESC LIMIT 1")" \
	    "reviewer 0 the operator was disabled since login; refused: cannot approve" \
	    "refusal recorded"
}

login_again_refused() {
	# The form keeps the login; the password is asked again.
	tui_type rv demo
	tui_keys rv Enter
	tui_wait rv "Login refused: unknown login or wrong password"
	tui_keys rv Escape
	tui_ended rv
}

# A password the admin reset is the admin's: the screens do not open
# with it; the form says to set one's own first.
reset_password_at_the_form() {
	FUNDFLOW_NEW_PASSWORD=reset-1 ffas admin user passwd staff
	expect_rc 0
	tui_start st
	tui_login st staff reset-1
	tui_wait st "Your password was reset by an admin; set your own first: fundflow --user staff user passwd"
	tui_lacks st "[1 Accounts]"
	tui_keys st Escape
	tui_ended st
}

check setup setup
check "disabled while deciding: refused, back to the login form" disabled_while_deciding
check "the disabled login is refused at the form" login_again_refused
check "a reset password opens no screen" reset_password_at_the_form
finish
