#!/usr/bin/env bash
# run.sh — fundflow's end-to-end tests: the real binary, driven through its
# command line.
#
#   FUNDFLOW=/abs/path/to/fundflow tests/e2e/run.sh [test_NAME.sh ...]
#
# Runs every tests/e2e/test_*.sh (or those named), each in a fresh
# temporary directory that is removed afterwards, with LC_ALL=C.UTF-8,
# FUNDFLOW_CONFIG naming a config file written there, and HOME and
# XDG_CONFIG_HOME pointing inside it, so that no user file is read or
# touched.  A script prints "ok NAME" / "not ok NAME: WHY" per check; this
# prints "PASS script: NAME" / "FAIL script: NAME: WHY" per check and ends
# with exactly "e2e: N passed, N failed" (N counts checks).  Exit status 1
# when anything failed.
#
# Environment: FUNDFLOW (default ./fundflow at the repository root),
# E2E_JOBS (scripts run at once; default the number of CPUs),
# E2E_KEEP=1 (keep the temporary directories), E2E_TIMEOUT (seconds per
# script, default 600).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${FUNDFLOW:=$root/fundflow}"
case $FUNDFLOW in
/*) ;;
*) FUNDFLOW=$(pwd)/$FUNDFLOW ;;
esac
export FUNDFLOW

if [ ! -x "$FUNDFLOW" ]; then
	echo "FAIL e2e: no executable fundflow at $FUNDFLOW (set FUNDFLOW)"
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "FAIL e2e: the sqlite3 command-line tool is needed (apt-get install sqlite3)"
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi

# Sanitizer findings get an exit code no test expects (86), and leave
# their report on stderr, where lib.sh looks for it.
export ASAN_OPTIONS="exitcode=86:abort_on_error=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LC_ALL=C.UTF-8
unset FUNDFLOW_DB FUNDFLOW_PASSWORD FUNDFLOW_NEW_PASSWORD FUNDFLOW_CONFIG
unset LANG LANGUAGE NO_COLOR

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		t=$(basename "$t")
		tests+=("$here/${t%.sh}.sh")
	done
else
	tests=("$here"/test_*.sh)
fi

jobs_max=${E2E_JOBS:-$(nproc 2>/dev/null || echo 2)}
timeout_s=${E2E_TIMEOUT:-600}
logs=$(mktemp -d "${TMPDIR:-/tmp}/fundflow-e2e-logs.XXXXXX")
trap 'rm -rf "$logs"' EXIT

write_config() {
	cat > "$1" <<'EOF'
database = { path = "fundflow.db"; busy_timeout_ms = 5000; };
money = { currency = "CNY"; };
business_types = (
  { code = 1; name = "Sales income"; withdrawable = true; repeatable = false; },
  { code = 8; name = "Deposit"; withdrawable = false; repeatable = false; },
  { code = 16; name = "Adjustment"; withdrawable = true; repeatable = true; }
);
EOF
}

run_one() { # SCRIPT LOG
	local script=$1 log=$2 tmp rc start
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/fundflow-e2e.XXXXXX")
	mkdir -p "$tmp/home" "$tmp/xdg"
	write_config "$tmp/fundflow.cfg"
	start=$(date +%s)
	(
		cd "$tmp" &&
		HOME=$tmp/home XDG_CONFIG_HOME=$tmp/xdg \
		FUNDFLOW_CONFIG=$tmp/fundflow.cfg E2E_TMP=$tmp \
		E2E_LIB=$here/lib.sh E2E_ROOT=$root \
		timeout "$timeout_s" bash "$script"
	) > "$log" 2>&1
	rc=$?
	echo "$rc $(( $(date +%s) - start ))" > "$log.rc"
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "# kept $tmp" >> "$log"
	else
		rm -rf "$tmp"
	fi
}

# Longest first (the scripts named last take longest), so that the run
# ends sooner; the report below is in name order all the same.
order=()
for ((i = ${#tests[@]} - 1; i >= 0; i--)); do order+=("${tests[i]}"); done
running=0
for t in "${order[@]}"; do
	name=$(basename "$t" .sh)
	if [ ! -f "$t" ]; then
		echo "no such test: $t" > "$logs/$name.log"
		echo "127 0" > "$logs/$name.log.rc"
		continue
	fi
	run_one "$t" "$logs/$name.log" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs_max" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

pass=0
fail=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	log=$logs/$name.log
	read -r rc secs < "$log.rc"
	done_seen=0
	infail=0
	while IFS= read -r line; do
		case $line in
		"ok "*)
			pass=$((pass + 1))
			infail=0
			echo "PASS $name: ${line#ok }"
			;;
		"not ok "*)
			fail=$((fail + 1))
			infail=1
			echo "FAIL $name: ${line#not ok }"
			;;
		"# done")
			done_seen=1
			;;
		"#"*)
			[ "$infail" = 1 ] && echo "    ${line#\#}"
			;;
		*)
			# Stray output of the script itself: show it.
			echo "    | $line"
			;;
		esac
	done < "$log"
	if [ "$done_seen" != 1 ]; then
		fail=$((fail + 1))
		echo "FAIL $name: the script stopped before its end (exit $rc)"
	fi
	echo "# $name: ${secs}s"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
