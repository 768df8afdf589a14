# tui_lib.sh — driving the terminal screens in tmux (bash; sourced by the
# tests/e2e/test_tui_*.sh scripts after lib.sh).
#
# Each screen session runs the real binary in a detached tmux session on
# a private server (a socket inside the test's directory), 100x30, under
# LC_ALL=C.UTF-8, with its stderr kept in $T/tui-NAME.err and its exit
# code written to $T/tui-NAME.rc when it ends.  Waits poll capture-pane
# with a timeout instead of sleeping.
#
# tui_config                 write a config with the demo's business types
# tui_start NAME [ENV=V...] [-- ARGS]   start fundflow --db $DB [ARGS]
# tui_keys NAME KEY...       tmux send-keys (Enter, Tab, Escape, NPage…)
# tui_type NAME TEXT         type TEXT literally
# tui_screen NAME            the screen as text
# tui_wait NAME TEXT [SECS]  until the screen shows TEXT (fixed string)
# tui_wait_gone NAME TEXT [SECS]
# tui_login NAME LOGIN PASSWORD
# tui_quit NAME              q, y; the program must end with 0 and no
#                            sanitizer report
# tui_alive NAME             the program is still running
# tui_wait_q SQL WANT WHAT   until the database gives WANT

TUI_SOCK=$T/tmux.sock
TUI_WAIT=${TUI_WAIT:-20}

_tmux() { tmux -S "$TUI_SOCK" -f /dev/null "$@"; }

tui_cleanup() { _tmux kill-server >/dev/null 2>&1; }
trap tui_cleanup EXIT

# The demo's business types (the runner's config has fewer).
tui_config() {
	cat > "$T/tui.cfg" <<'EOF'
database = { busy_timeout_ms = 5000; };
money = { currency = "CNY"; };
business_types = (
  { code = 1;  name = "Sales income"; withdrawable = true;  repeatable = false; },
  { code = 2;  name = "Service fees"; withdrawable = true;  repeatable = false; },
  { code = 3;  name = "Commission";   withdrawable = true;  repeatable = false; },
  { code = 8;  name = "Deposit";      withdrawable = false; repeatable = false; },
  { code = 16; name = "Adjustment";   withdrawable = true;  repeatable = true;  },
  { code = 17; name = "Bonus";        withdrawable = true;  repeatable = true;  }
);
EOF
	export FUNDFLOW_CONFIG=$T/tui.cfg
}

# The terminal is TUI_COLS x TUI_LINES (default 100 x 30) from the start:
# a size is given here rather than by resizing a window the program is
# already drawing in.
tui_start() { # NAME [VAR=VALUE ...] [-- ARGS...]
	local name=$1 envs=() args=() q
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--) shift; args=("$@"); break ;;
		*=*) envs+=("$1") ;;
		esac
		shift
	done
	rm -f "$T/tui-$name.rc" "$T/tui-$name.err"
	q=$(printf '%q ' env "${envs[@]}" LC_ALL=C.UTF-8 "$FUNDFLOW" --db "$DB" "${args[@]}")
	_tmux new-session -d -s "$name" -x "${TUI_COLS:-100}" -y "${TUI_LINES:-30}" \
	    "cd $(printf '%q' "$T") && $q 2>$(printf '%q' "$T/tui-$name.err"); echo \$? > $(printf '%q' "$T/tui-$name.rc")" ||
	    fail "tmux could not start a session"
	_tmux set-option -t "$name" remain-on-exit off >/dev/null 2>&1
}

tui_keys() { local name=$1; shift; _tmux send-keys -t "$name" "$@"; }
tui_type() { _tmux send-keys -t "$1" -l -- "$2"; }
tui_screen() { _tmux capture-pane -p -t "$1" 2>/dev/null; }

# Fails with the screen (and the program's stderr) as the diagnosis.
tui_fail() { # NAME WHY
	{
		echo "screen of $1:"
		tui_screen "$1"
		if [ -s "$T/tui-$1.err" ]; then echo "stderr:"; head -c 2000 "$T/tui-$1.err"; fi
	} > "$T/.diag"
	fail "$2"
}

tui_wait() { # NAME TEXT [SECS]
	local name=$1 text=$2 secs=${3:-$TUI_WAIT} i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		tui_screen "$name" | grep -qF -- "$text" && return 0
		if [ -e "$T/tui-$name.rc" ]; then
			tui_fail "$name" "the program ended (exit $(cat "$T/tui-$name.rc")) before showing \"$text\""
		fi
		sleep 0.1
		i=$((i + 1))
	done
	tui_fail "$name" "the screen did not show \"$text\" within ${secs}s"
}

tui_wait_gone() { # NAME TEXT [SECS]
	local name=$1 text=$2 secs=${3:-$TUI_WAIT} i=0
	while [ "$i" -lt $((secs * 10)) ]; do
		tui_screen "$name" | grep -qF -- "$text" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	tui_fail "$name" "the screen still shows \"$text\" after ${secs}s"
}

# The screen shows / lacks TEXT now.
tui_has() { tui_screen "$1" | grep -qF -- "$2" || tui_fail "$1" "the screen lacks \"$2\""; }
tui_lacks() { ! tui_screen "$1" | grep -qF -- "$2" || tui_fail "$1" "the screen should not show \"$2\""; }

tui_login() { # NAME LOGIN PASSWORD
	tui_wait "$1" "Password"
	tui_type "$1" "$2"
	tui_keys "$1" Tab
	tui_type "$1" "$3"
	tui_keys "$1" Enter
}

tui_alive() {
	[ ! -e "$T/tui-$1.rc" ] || tui_fail "$1" "the program ended (exit $(cat "$T/tui-$1.rc"))"
}

# Waits for the program to end; it must end with 0 and no sanitizer report.
tui_ended() { # NAME
	local i=0
	while [ ! -s "$T/tui-$1.rc" ] && [ "$i" -lt $((TUI_WAIT * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$T/tui-$1.rc" ] || tui_fail "$1" "the program did not end"
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$T/tui-$1.err" 2>/dev/null; then
		{ echo "stderr:"; head -c 3000 "$T/tui-$1.err"; } > "$T/.diag"
		fail "sanitizer report from the screens ($1)"
	fi
	eq "$(cat "$T/tui-$1.rc")" 0 "exit code of the screens ($1)"
}

tui_quit() { # NAME
	tui_keys "$1" q
	tui_wait "$1" "Quit fundflow?"
	tui_keys "$1" y
	tui_ended "$1"
}

# Polls the database until SQL gives WANT.
tui_wait_q() { # SQL WANT WHAT [SECS]
	local secs=${4:-$TUI_WAIT} i=0 got
	while [ "$i" -lt $((secs * 10)) ]; do
		got=$(q "$1")
		[ "$got" = "$2" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "$3: expected [$2], got [$got]"
}

# Display columns of a line of text: each CJK character takes two.
tui_cols() {
	local s=$1 wide
	wide=${s//[ -~]/}
	wide=${wide//[…│─]/}
	echo $(( ${#s} + ${#wide} ))
}
