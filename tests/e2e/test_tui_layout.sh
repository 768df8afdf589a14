# test_tui_layout.sh — how the screens sit in the terminal, in tmux:
# Chinese names aligned by display width, resize below 80x24 and back,
# NO_COLOR honoured, and no crash whatever is typed.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo

grouped() {
	qdb :memory: "SELECT printf('%,d.%02d', $1 / 100, $1 % 100)"
}

# Display columns from the left edge to the end of branch CODE's balance
# on the Accounts screen of session NAME.
balance_end() { # NAME CODE
	local line bal prefix
	bal=$(grouped "$(q "SELECT balance FROM account WHERE branch_id = $(branch_id "$2")")")
	line=$(tui_screen "$1" | grep -E "^ $2 " | head -n 1)
	[ -n "$line" ] || tui_fail "$1" "no row for $2"
	case $line in
	*"$bal"*) ;;
	*) tui_fail "$1" "the row of $2 lacks its balance $bal" ;;
	esac
	prefix=${line%%"$bal"*}$bal
	tui_cols "$prefix"
}

# Display columns from the left edge to where the text after the name
# starts: the name column's end.
name_end() { # NAME CODE NAME_TEXT
	local line prefix
	line=$(tui_screen "$1" | grep -E "^ $2 " | head -n 1)
	prefix=${line%%"$3"*}$3
	tui_cols "$prefix"
}

setup() {
	ff demo
	expect_rc 0
	# A branch whose name is too long for its column at any width.
	ffas admin branch add XJ07 "新疆维吾尔自治区乌鲁木齐市天山区分公司"
	expect_rc 0
	tui_start ly
	tui_login ly auditor demo
	tui_wait ly "[1 Accounts]"
}

cjk_alignment() {
	local zc ldn sh hdr
	tui_has ly "诸城分公司"
	tui_has ly "London Branch"
	zc=$(balance_end ly ZC01)
	ldn=$(balance_end ly LDN1)
	sh=$(balance_end ly SH06)
	eq "$zc" "$ldn" "column where ZC01's balance ends (vs LDN1)"
	eq "$sh" "$ldn" "column where SH06's balance ends (vs LDN1)"
	# The balance column starts at the same column after either name:
	# the padding after 诸城分公司 is four columns less than after
	# "London Branch" (13 columns against 10).
	hdr=$(tui_screen ly | grep -E '^ CODE' | head -n 1)
	hdr=${hdr%%BALANCE*}BALANCE
	eq "$(tui_cols "$hdr")" "$ldn" "end of the BALANCE header"
	# Cut to its column with an ellipsis, and still aligned.
	tui_screen ly | grep -qE '^ XJ07 +新疆[^ ]*… ' || tui_fail ly "the long name is not cut with an ellipsis"
	eq "$(balance_end ly XJ07)" "$ldn" "column where XJ07's balance ends (vs LDN1)"
	# Narrower: every row still ends its balance at the same column.
	_tmux resize-window -t ly -x 80 -y 24
	tui_wait_gone ly "上海浦东分公司   "
	sleep 0.3
	for code in ZC01 QD02 JN03 WF04 YT05 SH06 HAM2 SGP3 NYC4 XJ07; do
		eq "$(balance_end ly "$code")" "$(balance_end ly LDN1)" "at 80 columns, $code vs LDN1"
	done
	_tmux resize-window -t ly -x 100 -y 30
	tui_wait ly "上海浦东分公司"
}

resize_small_and_back() {
	# A dialog open while the window shrinks comes back with it.
	tui_keys ly '?'
	tui_wait ly "Keys (auditor, auditor)"
	_tmux resize-window -t ly -x 70 -y 20
	tui_wait ly "Terminal too small"
	tui_has ly "70x20 is less than 80x24"
	tui_lacks ly "Keys (auditor"
	tui_keys ly j k G
	_tmux resize-window -t ly -x 80 -y 23
	tui_wait ly "80x23 is less than 80x24"
	_tmux resize-window -t ly -x 79 -y 24
	tui_wait ly "79x24 is less than 80x24"
	_tmux resize-window -t ly -x 100 -y 30
	tui_wait_gone ly "Terminal too small"
	tui_wait ly "Keys (auditor, auditor)"
	tui_keys ly Escape
	tui_wait_gone ly "Keys (auditor"
	tui_wait ly "[1 Accounts]"
	tui_has ly "诸城分公司"
	# Exactly 80x24 is enough.
	_tmux resize-window -t ly -x 80 -y 24
	tui_wait ly "[1 Accounts]"
	tui_lacks ly "too small"
	_tmux resize-window -t ly -x 100 -y 30
	tui_wait ly "上海浦东分公司"
	tui_alive ly
}

# Any SGR colour (foreground 30-37 / 90-97, background 40-47 / 100-107,
# or 38/48 extended) in a screen captured with its attributes.
has_colour() {
	_tmux capture-pane -e -p -t "$1" |
	    grep -qE $'\e\\[([0-9]+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]+)*m'
}

no_color() {
	has_colour ly || tui_fail ly "no colour on a colour terminal (NO_COLOR unset)"
	tui_start nc NO_COLOR=1
	tui_login nc auditor demo
	tui_wait nc "[1 Accounts]"
	tui_keys nc 2
	tui_wait nc "[2 Withdrawals]"
	! has_colour nc || tui_fail nc "colour with NO_COLOR=1"
	# Still readable: the selection, the tabs and the warnings are text.
	tui_has nc "[2 Withdrawals]"
	tui_has nc "! = the branch cannot cover it now"
	_tmux capture-pane -e -p -t nc | grep -qE $'\e\\[([0-9]+;)*7(;[0-9]+)*m' ||
	    tui_fail nc "no reverse video for the selection without colour"
	tui_quit nc
}

# Keys of every kind, on every screen, in forms and dialogs; the program
# must live through them and end cleanly.
never_crash() {
	local long
	long=$(printf 'x%.0s' $(seq 1 700))
	for s in 1 2 3 4 5 6; do
		tui_keys ly "$s"
		tui_keys ly j j k PPage NPage NPage Home End G g Left Right Up Down \
		    F2 F5 F12 IC DC BSpace Tab BTab C-a C-b C-d C-e C-f C-g C-k \
		    C-n C-o C-p C-t C-u C-v C-w C-x C-y Space 0 7 8 9 '$' '#' '%' \
		    '[' ']' '{' '}' '<' '>' '~' '!' '@' '*' '(' ')' '|' '\;' "'" '"' ',' '.' \
		    x z Z X b B w W t T u U i I o O p P h H l L m M
		tui_type ly "中文輸入テスト한국어 éü ñ"
		tui_keys ly Enter
		tui_keys ly Escape Escape
		tui_keys ly /
		tui_type ly "$long"
		tui_type ly "中文"
		tui_keys ly C-a DC End BSpace Left Left C-w Tab
		tui_type ly $'\t\x01\x7f'
		tui_keys ly -l $'bad\xff\xfe bxtes'
		tui_keys ly Up Tab BTab Escape
		tui_keys ly '?' NPage NPage End Home q
		tui_keys ly Enter Escape
		tui_keys ly s S v R e
		tui_alive ly
	done
	# Half a terminal escape sequence, then more keys.
	tui_keys ly -l $'\e['
	tui_keys ly -l $'\eO'
	tui_keys ly 1
	tui_wait ly "[1 Accounts]"
	tui_alive ly
	tui_quit ly
}

check setup setup
check "CJK names aligned by display width" cjk_alignment
check "resize below 80x24 and back" resize_small_and_back
check "NO_COLOR honoured, readable without colour" no_color
check "never a crash, whatever is typed" never_crash
finish
