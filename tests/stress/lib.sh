# lib.sh — helpers for the robustness scripts (bash; sourced, not run).
#
# run.sh starts each tests/stress/t_*.sh in a fresh temporary directory
# $T (also its working directory) with:
#   FUNDFLOW   the sanitized fundflow binary
#   FFSTRESS   the test driver (tests/stress/ffstress.c)
#   FFSHIM_SO  the fault-injecting LD_PRELOAD library (tests/stress/shim.c)
#   BASE       a folder with demo.db (fundflow demo) and small.db (two
#              branches, one operator of each role, eight incomes, four
#              pending applications) made once per run (run.sh); copy
#              them, never change them
#   SEED       this run's seed; SOAK=1 (STRESS_SOAK) for the large counts
#   FUNDFLOW_CONFIG  a config file (busy_timeout_ms = 5000)
# A script prints "ok NAME" or "not ok NAME: WHY" per check (and "#"
# lines of detail); run.sh counts them.

set -u
T=$(pwd)
export FUNDFLOW_PASSWORD=demo
SOAK=${STRESS_SOAK:-0}
_failed_here=0

ok() { printf 'ok %s\n' "$1"; }
notok() {
	local name=$1
	shift
	printf 'not ok %s: %s\n' "$name" "$*"
	_failed_here=1
}
# check NAME CONDITION-COMMAND... : ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name" "${WHY:-$*}"; fi
	WHY=
}
note() { printf '# %s\n' "$*"; }

# The real binary, with its exit code in $RC, stdout in $OUT, stderr in
# $ERR (files in $T).
OUT=$T/.out
ERR=$T/.err
RC=0
ff() {
	"$FUNDFLOW" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	cat "$ERR" >> "$T/all.err"
	return 0
}
# The sanitizer runtime must come first when the shim is preloaded into
# the sanitized binary: LD_PRELOAD="$ASAN_RT $UBSAN_RT $FFSHIM_SO".
ASAN_RT=$(gcc -print-file-name=libasan.so 2>/dev/null)
UBSAN_RT=$(gcc -print-file-name=libubsan.so 2>/dev/null)

q() { sqlite3 -batch "$DB" "$@"; }
qdb() { local f=$1; shift; sqlite3 -batch "$f" "$@"; }

# A copy of a database file (no WAL: the bases are closed cleanly).
dbcopy() { rm -f "$2" "$2-wal" "$2-shm" "$2-queue"; cp "$1" "$2"; }

# Integrity, audit, conservation of one database; sets WHY.
db_sound() { # FILE
	local f=$1 ic
	ic=$(sqlite3 -batch "$f" 'PRAGMA integrity_check' 2>&1)
	if [ "$ic" != ok ]; then WHY="integrity_check: $ic"; return 1; fi
	if ! "$FFSTRESS" check "$f" > "$T/.check" 2>&1; then
		WHY="conservation: $(tr '\n' ' ' < "$T/.check")"; return 1
	fi
	"$FUNDFLOW" --db "$f" --user auditor audit > "$T/.audit" 2>&1
	if [ $? -ne 0 ]; then
		WHY="audit: $(head -c 600 "$T/.audit" | tr '\n' ' ')"; return 1
	fi
	return 0
}

# A number from the seed: rnd N -> 0..N-1 (bash's RANDOM, seeded below).
RANDOM=$((SEED % 32768))
rnd() { echo $(( (RANDOM * 32768 + RANDOM) % $1 )); }

# Waits for the pids given, at most SECONDS; kills what is left; returns
# non-zero when something had to be killed.
wait_all() { # SECONDS PID...
	local limit=$1 p left=0
	shift
	local end=$((SECONDS + limit))
	for p in "$@"; do
		while kill -0 "$p" 2>/dev/null; do
			if [ $SECONDS -ge $end ]; then
				kill -9 "$p" 2>/dev/null
				left=1
				break
			fi
			sleep 0.05
		done
	done
	return $left
}
