# test_tui_review.sh — a reviewer's day on the Withdrawals screen, in
# tmux: approve with confirmation, confirmation declined, reject without
# and with a reason, and the model's refusal of an approval beyond what
# the branch can withdraw; each checked on the screen and in the database.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

# An amount in fen as the screens show it: 1,234.56.
grouped() {
	qdb :memory: "SELECT printf('%,d.%02d', $1 / 100, $1 % 100)"
}

# Moves the cursor of session NAME onto pending application ID.
select_app() { # NAME ID
	local n
	n=$(q "SELECT count(*) FROM withdrawal WHERE status = 'pending' AND id < $2")
	tui_keys "$1" g
	[ "$n" -gt 0 ] && tui_keys "$1" -N "$n" j
	tui_wait "$1" "#$2 "
}

pending_state() { q "SELECT status FROM withdrawal WHERE id = $1"; }

setup() {
	ff demo
	expect_rc 0
	tui_start rv
	tui_login rv reviewer demo
	tui_wait rv "[2 Withdrawals]"
}

approve_confirmed() {
	local id bid amount bal wd
	id=$(q "SELECT w.id FROM withdrawal w JOIN account a ON a.branch_id = w.branch_id
	        WHERE w.status = 'pending' AND a.withdrawable >= w.amount ORDER BY w.id LIMIT 1")
	[ -n "$id" ] || fail "setup: the demo has no application its branch can cover"
	bid=$(q "SELECT branch_id FROM withdrawal WHERE id = $id")
	amount=$(q "SELECT amount FROM withdrawal WHERE id = $id")
	bal=$(q "SELECT balance FROM account WHERE branch_id = $bid")
	wd=$(q "SELECT withdrawable FROM account WHERE branch_id = $bid")
	select_app rv "$id"
	tui_keys rv a
	tui_wait rv "Approve application $id?"
	# The confirmation: branch, amount, balance and withdrawable after.
	tui_has rv "$(q "SELECT code FROM branch WHERE id = $bid")"
	tui_has rv "$(grouped "$amount")"
	tui_has rv "Balance       $(grouped "$bal") -> $(grouped $((bal - amount)))"
	tui_has rv "Withdrawable  $(grouped "$wd") -> $(grouped $((wd - amount)))"
	eq "$(pending_state "$id")" pending "status while the dialog is open"
	tui_keys rv y
	tui_wait rv "Approved application $id"
	tui_has rv "balance now $(grouped $((bal - amount))), withdrawable $(grouped $((wd - amount)))"
	eq "$(pending_state "$id")" approved "status after y"
	eq "$(q "SELECT o.login FROM withdrawal w JOIN operator o ON o.id = w.decided_by WHERE w.id = $id")" \
	    reviewer "decided by"
	eq "$(q "SELECT balance || ' ' || withdrawable FROM account WHERE branch_id = $bid")" \
	    "$((bal - amount)) $((wd - amount))" "balance and withdrawable after"
	eq "$(q "SELECT amount FROM ledger WHERE withdrawal_id = $id")" "-$amount" "ledger entry"
	eq "$(chain_breaks)" 0 "chain breaks"
	# The application left the queue.
	tui_wait_gone rv "#$id "
}

approve_declined() {
	local id before
	id=$(q "SELECT id FROM withdrawal WHERE status = 'pending' ORDER BY id LIMIT 1")
	before=$(state_of)
	select_app rv "$id"
	tui_keys rv a
	tui_wait rv "Approve application $id?"
	tui_keys rv n
	tui_wait rv "Not approved: application $id is still pending."
	tui_lacks rv "Approve application $id?"
	# Enter, from habit, is "anything else" too.
	tui_keys rv a
	tui_wait rv "Approve application $id?"
	tui_keys rv Enter
	tui_wait_gone rv "Approve application $id?"
	tui_has rv "Not approved: application $id is still pending."
	eq "$(pending_state "$id")" pending "status after declining"
	eq "$(state_of)" "$before" "database state after declining"
}

reject_without_reason() {
	local id before
	id=$(q "SELECT id FROM withdrawal WHERE status = 'pending' ORDER BY id LIMIT 1")
	before=$(state_of)
	select_app rv "$id"
	tui_keys rv r
	tui_wait rv "Reject application $id?"
	tui_keys rv Enter
	tui_wait rv "A reason is required."
	# Blanks are no reason either; the form stays open for one.
	tui_type rv "   "
	tui_keys rv Enter
	tui_wait rv "A reason is required."
	tui_has rv "Reject application $id?"
	eq "$(pending_state "$id")" pending "status after an empty reason"
	tui_keys rv Escape
	tui_wait rv "Cancelled; nothing was changed."
	tui_lacks rv "Reject application $id?"
	eq "$(state_of)" "$before" "database state"
}

reject_with_reason() {
	local id
	id=$(q "SELECT id FROM withdrawal WHERE status = 'pending' ORDER BY id LIMIT 1")
	select_app rv "$id"
	tui_keys rv r
	tui_wait rv "Reject application $id?"
	tui_type rv "Missing invoice 发票 for the transfer"
	tui_keys rv Enter
	tui_wait rv "Rejected application $id"
	eq "$(pending_state "$id")" rejected "status"
	eq "$(q "SELECT reason FROM withdrawal WHERE id = $id")" \
	    "Missing invoice 发票 for the transfer" "reason stored"
	eq "$(q "SELECT count(*) FROM ledger WHERE withdrawal_id = $id")" 0 "ledger entries of a rejection"
}

refusal_beyond_withdrawable() {
	local id bid before have
	id=$(q "SELECT id FROM withdrawal WHERE note = 'Branch renovation, second part' AND status = 'pending'")
	[ -n "$id" ] || fail "setup: the demo lacks ZC01's \"Branch renovation, second part\""
	bid=$(q "SELECT branch_id FROM withdrawal WHERE id = $id")
	have=$(q "SELECT withdrawable FROM account WHERE branch_id = $bid")
	[ "$have" -lt "$(q "SELECT amount FROM withdrawal WHERE id = $id")" ] ||
	    fail "setup: ZC01 can cover application $id"
	before=$(state_of)
	select_app rv "$id"
	# The queue marks it; the confirmation warns; the model refuses.
	tui_has rv "$(grouped "$have") !"
	tui_keys rv a
	tui_wait rv "Approve application $id?"
	tui_has rv "Not enough: ZC01 can withdraw only $(grouped "$have") now"
	tui_keys rv y
	tui_wait rv "ZC01 can withdraw only $(grouped "$have") now, less than the"
	eq "$(pending_state "$id")" pending "status after the refusal"
	eq "$(state_of)" "$before" "database state after the refusal"
	eq "$(q "SELECT ok FROM activity WHERE action = 'withdraw.approve' AND target = 'withdrawal $id' ORDER BY id DESC LIMIT 1")" \
	    0 "refusal recorded"
}

finish_session() {
	tui_quit rv
}

check setup setup
check "approve with confirmation" approve_confirmed
check "confirmation declined (n, Enter)" approve_declined
check "reject without a reason is refused" reject_without_reason
check "reject with a reason" reject_with_reason
check "approval beyond the withdrawable amount refused" refusal_beyond_withdrawable
check "quit" finish_session
finish
