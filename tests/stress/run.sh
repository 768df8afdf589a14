#!/usr/bin/env bash
# run.sh — fundflow's robustness tests (issue 4): races, kill -9, I/O
# errors and out-of-memory, a busy lock, fuzz corpus replay, hostile text,
# tampering, file modes.
#
#   FUNDFLOW=... FFSTRESS=... FFSHIM_SO=... FUZZ_REPLAY=... \
#       tests/stress/run.sh [t_NAME.sh ...]
#
# (make stress / make soak set those.)  Runs every tests/stress/t_*.sh, or
# those named, one after the other (each is itself concurrent), each in a
# fresh temporary directory.  Prints each script's "ok" / "not ok" lines
# and "#" details, and ends with exactly "stress: N passed, N failed"
# (N counts checks); exit status 1 when anything failed.
#
# Environment: SEED (default: from the clock; printed, so that a run can
# be replayed with SEED=N), STRESS_SOAK=1 (the large counts),
# STRESS_KEEP=1 (keep the temporary directories), STRESS_TIMEOUT
# (seconds per script; default 900, soak 7200).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${FUNDFLOW:=$root/build/asan/fundflow}"
: "${FFSTRESS:=$root/build/asan/ffstress}"
: "${FFSHIM_SO:=$root/build/asan/ffshim.so}"
: "${FUZZ_REPLAY:=$root/build/asan/fuzz_replay}"
export FUNDFLOW FFSTRESS FFSHIM_SO FUZZ_REPLAY
export STRESS_ROOT=$root STRESS_SOAK=${STRESS_SOAK:-0}

passed=0
failed=0
summary() {
	echo "stress: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}
for b in "$FUNDFLOW" "$FFSTRESS" "$FFSHIM_SO"; do
	if [ ! -e "$b" ]; then
		echo "not ok setup: missing $b (make stress-build)"
		failed=1
		summary
	fi
done
for tool in sqlite3 jq timeout; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "not ok setup: the $tool command is needed"
		failed=1
		summary
	fi
done

if [ -z "${SEED:-}" ]; then
	SEED=$(date +%s%N | cut -c8-16)
fi
# Base 10 whatever it looks like: nine clock digits may start with 0,
# which shell arithmetic would read as octal.
case $SEED in
''|*[!0-9]*) echo "not ok setup: SEED must be a number, not '$SEED'"; exit 1 ;;
esac
SEED=$(( 10#$SEED % 1000000000 ))
export SEED
echo "# seed $SEED (replay: SEED=$SEED make stress$([ "$STRESS_SOAK" = 1 ] && echo ' (soak)'))"

# Sanitizer findings get an exit code no test expects (86).
export ASAN_OPTIONS="exitcode=86:abort_on_error=0:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LC_ALL=C.UTF-8
unset FUNDFLOW_DB FUNDFLOW_PASSWORD FUNDFLOW_NEW_PASSWORD LANG LANGUAGE NO_COLOR

top=$(mktemp -d "${TMPDIR:-/tmp}/fundflow-stress.XXXXXX")
cleanup() {
	# Nothing of ours may outlive the run.
	if [ -n "${cur_pgid:-}" ]; then kill -9 -- "-$cur_pgid" 2>/dev/null; fi
	if [ "${STRESS_KEEP:-0}" = 1 ]; then echo "# kept $top"; else rm -rf "$top"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BASE=$top/base
mkdir -p "$BASE/home"
export BASE HOME=$BASE/home XDG_CONFIG_HOME=$BASE/home/.config
cat > "$BASE/fundflow.cfg" <<'EOF'
database = { busy_timeout_ms = 5000; };
EOF
export FUNDFLOW_CONFIG=$BASE/fundflow.cfg

# The bases: the demo company, and a small company for the sweeps (each
# step of a sweep copies it).
make_bases() {
	local f=$BASE/small.db ev=$BASE/small-events.jsonl
	"$FUNDFLOW" --db "$BASE/demo.db" demo >/dev/null || return 1
	sqlite3 "$BASE/demo.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	FUNDFLOW_NEW_PASSWORD=demo "$FUNDFLOW" --db "$f" init --admin admin >/dev/null || return 1
	export FUNDFLOW_PASSWORD=demo FUNDFLOW_NEW_PASSWORD=demo
	"$FUNDFLOW" --db "$f" --user admin branch add ZC01 '诸城分公司' >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin branch add QD02 'Qingdao Office' >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin user add reviewer --role reviewer >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin user add reviewer2 --role reviewer >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin user add auditor --role auditor >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin user add staff --role staff --branch ZC01 >/dev/null &&
	"$FUNDFLOW" --db "$f" --user admin user add clerk.qd02 --role staff --branch QD02 >/dev/null ||
		return 1
	: > "$ev"
	for i in 1 2 3 4 5 6 7 8; do
		printf '{"event_id":"base-%d","branch":"%s","buss_type":%d,"ref_id":"BASE-%d","amount":"%d.%02d","occurred_at":"2026-01-0%dT08:00:00+08:00"}\n' \
			$i "$([ $((i % 3)) = 0 ] && echo QD02 || echo ZC01)" \
			"$([ $i = 5 ] && echo 8 || echo 1)" $i $((i * 1000)) $((i * 7)) $i >> "$ev"
	done
	"$FUNDFLOW" --db "$f" ingest "$ev" >/dev/null || return 1
	"$FUNDFLOW" --db "$f" --user staff withdraw apply --branch ZC01 --amount 1500 --note one >/dev/null &&
	"$FUNDFLOW" --db "$f" --user staff withdraw apply --branch ZC01 --amount 2500 --note two >/dev/null &&
	"$FUNDFLOW" --db "$f" --user staff withdraw apply --branch ZC01 --amount 100 --note three >/dev/null &&
	"$FUNDFLOW" --db "$f" --user clerk.qd02 withdraw apply --branch QD02 --amount 200 --note four >/dev/null ||
		return 1
	unset FUNDFLOW_PASSWORD FUNDFLOW_NEW_PASSWORD
	sqlite3 "$f" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
	rm -f "$BASE"/*.db-queue
}
if ! make_bases > "$BASE/setup.log" 2>&1; then
	echo "not ok setup: cannot make the base databases: $(tail -c 600 "$BASE/setup.log")"
	failed=1
	summary
fi

if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do
		t=$(basename "$t")
		tests+=("$here/${t%.sh}.sh")
	done
else
	tests=("$here"/t_*.sh)
fi

timeout_s=${STRESS_TIMEOUT:-$([ "$STRESS_SOAK" = 1 ] && echo 7200 || echo 900)}
for script in "${tests[@]}"; do
	name=$(basename "$script" .sh)
	dir=$top/$name
	mkdir -p "$dir"
	start=$SECONDS
	# Its own process group, so that whatever it leaves behind can be
	# ended with it.
	( cd "$dir" && exec setsid timeout -k 5 "$timeout_s" bash "$script" ) \
		> "$dir/.log" 2>&1 &
	cur_pgid=$!
	wait "$cur_pgid"
	rc=$?
	kill -9 -- "-$cur_pgid" 2>/dev/null
	cur_pgid=
	took=$((SECONDS - start))
	while IFS= read -r line; do
		case $line in
		"ok "*) passed=$((passed + 1)); echo "$line" ;;
		"not ok "*) failed=$((failed + 1)); echo "$line" ;;
		"#"*) echo "$line" ;;
		esac
	done < "$dir/.log"
	# Sanitizer reports anywhere in what the script's processes said.
	if grep -rqsE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$dir"; then
		failed=$((failed + 1))
		echo "not ok $name.sanitizers: a sanitizer reported:"
		grep -rhsE -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$dir" | head -n 30 | sed 's/^/# /'
	fi
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$dir/.log"; then
		failed=$((failed + 1))
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			echo "not ok $name: timed out after ${timeout_s}s"
		else
			echo "not ok $name: the script ended with status $rc"
		fi
		tail -n 15 "$dir/.log" | sed 's/^/# /'
	fi
	echo "# $name: ${took}s"
done
summary
