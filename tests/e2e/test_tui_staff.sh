# test_tui_staff.sh — branch staff in the screens, in tmux: applying (the
# form shows withdrawable and the other pending total; the model's
# refusals appear as they are), cancelling, and never seeing another
# branch, whatever they ask for.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

grouped() {
	qdb :memory: "SELECT printf('%,d.%02d', $1 / 100, $1 % 100)"
}

zc01() { branch_id ZC01; }

setup() {
	ff demo
	expect_rc 0
	tui_start st
	tui_login st staff demo
	tui_wait st "[1 Accounts]"
	tui_keys st 2
	tui_wait st "[2 Withdrawals]"
}

apply_refused_then_done() {
	local wd pend_n pend_amt before n0 id
	wd=$(q "SELECT withdrawable FROM account WHERE branch_id = $(zc01)")
	pend_n=$(q "SELECT count(*) FROM withdrawal WHERE status = 'pending' AND branch_id = $(zc01)")
	pend_amt=$(q "SELECT COALESCE(sum(amount), 0) FROM withdrawal WHERE status = 'pending' AND branch_id = $(zc01)")
	n0=$(q "SELECT count(*) FROM withdrawal")
	before=$(state_of)
	tui_keys st n
	tui_wait st "Apply for a withdrawal from ZC01"
	tui_has st "Withdrawable  $(grouped "$wd")"
	tui_has st "Other pending $pend_n applications, $(grouped "$pend_amt")"
	# Not an amount: the form says so and stays.
	tui_type st "12.345"
	tui_keys st Enter Enter
	tui_wait st "\"12.345\" is not an amount"
	# More than the branch can withdraw: the model's sentence.
	tui_keys st C-u
	tui_type st "$(( wd / 100 + 1000 )).00"
	tui_keys st Enter Enter
	tui_wait st "ZC01 can withdraw at most $(grouped "$wd") now"
	eq "$(state_of)" "$before" "database after the refusals"
	# A good one.
	tui_keys st Up C-u
	tui_type st "1234.50"
	tui_keys st Tab C-u
	tui_type st "Printer toner 墨粉"
	tui_keys st Enter
	tui_wait st "Applied: application"
	tui_lacks st "Apply for a withdrawal from ZC01"
	eq "$(q "SELECT count(*) FROM withdrawal")" "$((n0 + 1))" "applications"
	id=$(q "SELECT max(id) FROM withdrawal")
	eq "$(q "SELECT b.code || ' ' || w.amount || ' ' || w.status || ' ' || w.note || ' ' || o.login
	    FROM withdrawal w JOIN branch b ON b.id = w.branch_id JOIN operator o ON o.id = w.applicant_id
	    WHERE w.id = $id")" "ZC01 123450 pending Printer toner 墨粉 staff" "the new application"
	# Applying moves no money.
	eq "$(q "SELECT withdrawable FROM account WHERE branch_id = $(zc01)")" "$wd" "withdrawable after applying"
	tui_wait st "#$id ZC01"
}

cancel_own() {
	local id
	id=$(q "SELECT max(id) FROM withdrawal WHERE status = 'pending' AND branch_id = $(zc01)")
	tui_wait st "#$id ZC01"
	tui_keys st c
	tui_wait st "Cancel application $id?"
	tui_keys st x
	tui_wait st "Application $id is still pending."
	eq "$(q "SELECT status FROM withdrawal WHERE id = $id")" pending "status after declining"
	tui_keys st c
	tui_wait st "Cancel application $id?"
	tui_keys st y
	tui_wait st "Cancelled application $id"
	eq "$(q "SELECT status FROM withdrawal WHERE id = $id")" cancelled "status after y"
	# A decided application cannot be cancelled again.
	tui_keys st c
	tui_wait st "Application $id is cancelled; only a pending one can be cancelled."
	# Reviewing is not for staff.
	tui_keys st a
	tui_wait st "a (approve) is for reviewers."
}

other_branch_hidden() {
	# Withdrawals: asking for QD02 is refused by the model.
	tui_keys st /
	tui_wait st "Filter the applications"
	tui_keys st Down C-u
	tui_type st QD02
	tui_keys st Enter
	tui_wait st "Staff may only see branch ZC01."
	tui_has st "Filter the applications"
	tui_keys st Escape
	tui_wait_gone st "Filter the applications"
	tui_lacks st "clerk.qd02"
	# Accounts: one branch.
	tui_keys st 1
	tui_wait st "[1 Accounts]"
	tui_lacks st "QD02"
	tui_lacks st "青岛分公司"
	# Ledger: only ZC01 rows, and a QD02 filter refused.
	tui_keys st 3
	tui_wait st "[3 Ledger]"
	tui_screen st | sed -n '4,26p' | grep -E '^ [0-9]{4}-' > "$T/rows" || true
	[ -s "$T/rows" ] || tui_fail st "no ledger rows"
	! grep -v ' ZC01 ' "$T/rows" >/dev/null || tui_fail st "a ledger row of another branch"
	tui_keys st /
	tui_wait st "Filter the ledger"
	tui_type st QD02
	tui_keys st Enter Enter Enter Enter Enter
	tui_wait st "Staff may only see branch ZC01."
	tui_keys st Escape
	tui_wait_gone st "Filter the ledger"
	tui_screen st | sed -n '4,26p' | grep -E '^ [0-9]{4}-' > "$T/rows" || true
	! grep -v ' ZC01 ' "$T/rows" >/dev/null || tui_fail st "a ledger row of another branch after the filter"
	# Incomes likewise.
	tui_keys st 4
	tui_wait st "[4 Incomes]"
	tui_lacks st " QD02 "
}

finish_session() {
	tui_quit st
}

check setup setup
check "staff apply: refusals shown, then applied" apply_refused_then_done
check "staff cancel their pending application" cancel_own
check "staff cannot see another branch" other_branch_hidden
check "quit" finish_session
finish
