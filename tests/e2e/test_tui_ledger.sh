# test_tui_ledger.sh — the Ledger screen on a large demo history
# (demo --entries 200000), in tmux: scrolled deep by keyset pages, to the
# oldest entry and back, each position checked against the database; an
# entry's details with its hash; and the audit's progress on it.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo
TUI_WAIT=40

# The reference of ZC01's entry of sequence number $1.
ref_at() {
	q "SELECT COALESCE(i.ref_id, 'W' || l.withdrawal_id) FROM ledger l
	   LEFT JOIN income i ON i.id = l.income_id
	   WHERE l.account_id = $(branch_id ZC01) AND l.seq = $1"
}

# Its before, amount and after as the row shows them (amounts are never
# cut, whatever the width).
row_at() {
	q "SELECT printf('%,d.%02d %,d.%02d %,d.%02d',
	     pre_amount / 100, pre_amount % 100, amount / 100, amount % 100,
	     post_amount / 100, post_amount % 100)
	   FROM ledger WHERE account_id = $(branch_id ZC01) AND seq = $1"
}

# The screen shows that row: its three amounts in a row, apart by blanks.
has_row() {
	local a b c
	read -r a b c <<< "$(row_at "$1")"
	tui_screen lg | grep -qE -- "$a +$b +$c" ||
	    tui_fail lg "no row with the amounts of ZC01 seq $1 ($a $b $c)"
}

setup() {
	ff demo --entries 200000
	expect_rc 0
	ge "$(q "SELECT count(*) FROM ledger")" 150000 "ledger entries of the large demo"
	tui_start lg
	tui_login lg auditor demo
	tui_wait lg "[1 Accounts]"
}

deep_scroll() {
	local head page at want
	head=$(q "SELECT max(seq) FROM ledger WHERE account_id = $(branch_id ZC01)")
	# Accounts, sorted by code: ZC01 is the last; Enter opens its ledger.
	tui_keys lg G Enter
	tui_wait lg "Ledger of ZC01, newest first"
	tui_wait lg "seq $head of $head"
	has_row "$head"
	# One page down tells the page size; then two hundred more.
	tui_keys lg NPage
	tui_wait_gone lg "seq $head of $head"
	at=$(tui_screen lg | sed -n 2p | sed -n 's/.*seq \([0-9]*\) of.*/\1/p')
	page=$((head - at))
	[ "$page" -ge 10 ] && [ "$page" -le 40 ] || tui_fail lg "odd page size $page"
	tui_keys lg -N 200 NPage
	want=$((head - 201 * page))
	tui_wait lg "seq $want of $head"
	has_row "$want"
	has_row $((want - 5))
	# And back up a little: the window is read again above.
	tui_keys lg -N 3 PPage
	want=$((want + 3 * page))
	tui_wait lg "seq $want of $head"
	has_row "$want"
}

oldest_and_back() {
	local head
	head=$(q "SELECT max(seq) FROM ledger WHERE account_id = $(branch_id ZC01)")
	tui_keys lg G
	tui_wait lg "seq 1 of $head"
	has_row 1
	tui_keys lg -N 5 k
	tui_wait lg "seq 6 of $head"
	tui_keys lg -N 250 k
	tui_wait lg "seq 256 of $head"
	has_row 256
	tui_keys lg g
	tui_wait lg "seq $head of $head"
}

entry_details() {
	local head hash
	head=$(q "SELECT max(seq) FROM ledger WHERE account_id = $(branch_id ZC01)")
	tui_keys lg G
	tui_wait lg "seq 1 of $head"
	hash=$(q "SELECT lower(hex(hash)) FROM ledger WHERE account_id = $(branch_id ZC01) AND seq = 1")
	tui_keys lg Enter
	tui_wait lg "Hash          $hash"
	tui_has lg "Source: income"
	tui_has lg "$(ref_at 1)"
	tui_keys lg q
	tui_wait_gone lg "Source: income"
	# q goes back to Accounts, where the ledger was opened from.
	tui_keys lg q
	tui_wait lg "[1 Accounts]"
}

every_branch_oldest() {
	local oldest
	tui_keys lg 3
	tui_wait lg "[3 Ledger]"
	tui_keys lg /
	tui_wait lg "Filter the ledger"
	tui_keys lg C-u Enter Enter Enter Enter Enter
	tui_wait lg "Every ledger, newest first"
	tui_keys lg G
	oldest=$(q "SELECT min(id) FROM ledger")
	tui_wait lg "entry $oldest ("
}

audit_progress() {
	local n
	n=$(q "SELECT printf('%,d', count(*)) FROM ledger")
	tui_keys lg 5
	tui_wait lg "Checking the ledger"
	tui_wait lg "entries, " 120
	tui_has lg "$n entries"
	tui_has lg "Audit "
}

finish_session() {
	tui_quit lg
}

check setup setup
check "ledger scrolled deep by keyset pages" deep_scroll
check "ledger to the oldest entry and back" oldest_and_back
check "ledger entry details with hash and source" entry_details
check "every branch's ledger to its oldest entry" every_branch_oldest
check "audit shows its progress on a large ledger" audit_progress
check "quit" finish_session
finish
