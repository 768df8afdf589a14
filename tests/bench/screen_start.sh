#!/usr/bin/env bash
# screen_start.sh FUNDFLOW DB — the screens' start-up, measured from outside
# through tmux (no hook in the program): milliseconds from launch to the
# first painted screen after an auditor's login (the login form's typing
# included), and the program's resident memory (KiB) once it is up.
# Prints "MS KIB".
set -u
ff=$1 db=$2
sock=ffbench$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT
now() { date +%s%3N; }
t0=$(now)
tmux -L "$sock" new-session -d -x 120 -y 40 "LC_ALL=C.UTF-8 exec $ff --db $db"
wait_for() {	# text, timeout seconds
	local end=$(( $(now) + $2 * 1000 ))
	while [ "$(now)" -lt "$end" ]; do
		tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q -- "$1" && return 0
		sleep 0.01
	done
	return 1
}
wait_for "Password" 20 || { echo "- -"; exit 0; }
tmux -L "$sock" send-keys auditor Tab demo Enter
# The accounts screen is painted once its last branch row is there.
wait_for "NYC4" 60 || { echo "- -"; exit 0; }
t1=$(now)
pid=$(tmux -L "$sock" display -p '#{pane_pid}')
kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
echo "$((t1 - t0)) ${kib:--}"
