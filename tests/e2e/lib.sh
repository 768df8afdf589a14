# lib.sh — helpers for the end-to-end scripts (bash; sourced, not run).
#
# run.sh starts each tests/e2e/test_*.sh in a fresh temporary directory
# (also its working directory, $T) with FUNDFLOW (the binary),
# FUNDFLOW_CONFIG (a config file in $T), LC_ALL=C.UTF-8, HOME and
# XDG_CONFIG_HOME inside $T.  A script is a list of checks:
#
#     check NAME FUNCTION [ARGS...]
#
# runs FUNCTION in a subshell and prints "ok NAME" or "not ok NAME: WHY"
# (followed by "#" diagnostic lines); the assertions below end the
# subshell at the first failure.  A script ends with "finish", which prints
# "# done" so that run.sh can tell a script that died half-way.
#
# ff ARGS             run the binary; stdout in $OUT, stderr in $ERR, exit
#                     code in $RC; stdin is /dev/null (ffin FILE ARGS: FILE)
# ffas LOGIN ARGS     the same as operator LOGIN (--user LOGIN, password
#                     from pw_of LOGIN in FUNDFLOW_PASSWORD)
# expect_rc CODE...   the last exit code is one of CODE
# out_has / err_has / out_lacks / err_lacks TEXT   (fixed strings)
# eq GOT WANT WHAT    equality, with a message naming WHAT
# q SQL               sqlite3 on $DB (qdb FILE SQL: on another file)
# jx PATH             json_extract of the last stdout ($OUT) at PATH
# jsql SQL            SQL run with a CTE j(doc) holding the last stdout
# state_of [FILE]     a hash of every table but activity and release_record
# chain_breaks [FILE] the number of ledger rows that break the chain
# copy_db DEST        a consistent copy of the test database, to tamper with

set -u

T=${E2E_TMP:-$(pwd)}
E2E_ROOT=${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DB=$T/fundflow.db
OUT=$T/.out
ERR=$T/.err
RC=0
: > "$T/.san"
_E2E_CHECK=

# The password of an operator in these tests: "pw-LOGIN", or $E2E_PW for
# every one (the demo's operators all have "demo").
pw_of() {
	if [ -n "${E2E_PW:-}" ]; then printf '%s' "$E2E_PW"; else printf 'pw-%s' "$1"; fi
}

# Quotes a command line for messages.
_cmdline() {
	local s="fundflow" a
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9._/:=@%+,-]*|'') s="$s '${a//\'/\'\\\'\'}'" ;;
		*) s="$s $a" ;;
		esac
	done
	printf '%s' "$s"
}

_after_run() {
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$ERR" 2>/dev/null; then
		{
			printf 'sanitizer report from: %s\n' "$LAST_CMD"
			grep -E 'ERROR:|runtime error:|SUMMARY:|^    #[0-9] ' "$ERR" | head -n 12
		} >> "$T/.san"
	fi
}

# The password variables in effect, for messages that must be repeatable.
_envline() {
	[ -z "${FUNDFLOW_PASSWORD+x}" ] || printf 'FUNDFLOW_PASSWORD=%s ' "$FUNDFLOW_PASSWORD"
	[ -z "${FUNDFLOW_NEW_PASSWORD+x}" ] || printf 'FUNDFLOW_NEW_PASSWORD=%s ' "$FUNDFLOW_NEW_PASSWORD"
}

ff() {
	LAST_CMD=$(_envline)$(_cmdline "$@")
	"$FUNDFLOW" "$@" >"$OUT" 2>"$ERR" </dev/null
	RC=$?
	_after_run
	return 0
}

# ffin FILE ARGS: like ff, with FILE as stdin.
ffin() {
	local in=$1
	shift
	LAST_CMD="$(_envline)$(_cmdline "$@") < $(basename "$in")"
	"$FUNDFLOW" "$@" >"$OUT" 2>"$ERR" <"$in"
	RC=$?
	_after_run
	return 0
}

ffas() {
	local login=$1
	shift
	FUNDFLOW_PASSWORD=$(pw_of "$login") ff --user "$login" "$@"
}

# Adds an operator through the command line, as admin $ADMIN.
add_user() { # LOGIN ROLE [BRANCH]
	if [ $# -ge 3 ]; then
		FUNDFLOW_NEW_PASSWORD=$(pw_of "$1") ffas "$ADMIN" user add "$1" --role "$2" --branch "$3"
	else
		FUNDFLOW_NEW_PASSWORD=$(pw_of "$1") ffas "$ADMIN" user add "$1" --role "$2"
	fi
	[ "$RC" -eq 0 ] || fail_run "setup: user add $1 failed"
}

# ---- checks ---------------------------------------------------------------

fail() {
	printf '%s\n' "$*" > "$T/.why"
	exit 1
}

# A failure about the last command: names it and shows what it said.
fail_run() {
	{
		printf '%s [cmd: %s; exit %s]' "$*" "${LAST_CMD:-?}" "$RC"
	} > "$T/.why"
	{
		if [ -s "$ERR" ]; then echo "stderr:"; head -c 1500 "$ERR"; echo; fi
		if [ -s "$OUT" ]; then echo "stdout:"; head -c 1500 "$OUT"; echo; fi
	} > "$T/.diag"
	exit 1
}

check() {
	local name=$1 rc why
	shift
	rm -f "$T/.why" "$T/.diag"
	local san_before
	san_before=$(wc -l < "$T/.san")
	( "$@" )
	rc=$?
	if [ "$(wc -l < "$T/.san")" -ne "$san_before" ]; then
		if [ "$rc" -eq 0 ]; then
			printf 'sanitizer reported an error\n' > "$T/.why"
			: > "$T/.diag"
		fi
		tail -n +"$((san_before + 1))" "$T/.san" >> "$T/.diag"
		rc=1
	fi
	if [ "$rc" -eq 0 ]; then
		printf 'ok %s\n' "$name"
	else
		why=$(tr '\n' ' ' < "$T/.why" 2>/dev/null)
		printf 'not ok %s: %s\n' "$name" "${why:-exited $rc without a reason}"
		if [ -s "$T/.diag" ]; then sed 's/^/#   /' "$T/.diag"; fi
	fi
}

finish() {
	echo "# done"
}

expect_rc() {
	local c
	for c in "$@"; do
		[ "$RC" -eq "$c" ] && return 0
	done
	fail_run "expected exit $(printf '%s' "$*" | sed 's/ / or /g'), got $RC"
}

out_has() { grep -qF -- "$1" "$OUT" || fail_run "stdout lacks \"$1\""; }
err_has() { grep -qF -- "$1" "$ERR" || fail_run "stderr lacks \"$1\""; }
out_lacks() { ! grep -qF -- "$1" "$OUT" || fail_run "stdout should not contain \"$1\""; }
err_lacks() { ! grep -qF -- "$1" "$ERR" || fail_run "stderr should not contain \"$1\""; }
# Some message on stderr, whatever it says.
err_nonempty() { [ -s "$ERR" ] || fail_run "no message on stderr"; }

eq() { # GOT WANT WHAT
	[ "$1" = "$2" ] || fail "$3: expected [$2], got [$1]${LAST_CMD:+ (after: $LAST_CMD; exit $RC)}"
}

ge() { # GOT MIN WHAT
	[ "$1" -ge "$2" ] 2>/dev/null || fail "$3: expected at least $2, got [$1]"
}

qdb() {
	sqlite3 -batch -noheader -cmd '.timeout 5000' "$1" "$2"
}
q() { qdb "$DB" "$1"; }

jx() {
	sqlite3 -batch -noheader :memory: \
	    "SELECT json_extract(CAST(readfile('$OUT') AS TEXT), '$1')"
}
jsql() {
	sqlite3 -batch -noheader :memory: \
	    "WITH j(doc) AS (SELECT CAST(readfile('$OUT') AS TEXT)) $1"
}
# The last stdout is one valid JSON value of the given type (array, object).
json_is() {
	local t
	t=$(jsql "SELECT CASE WHEN json_valid(doc) THEN json_type(doc) ELSE 'invalid' END FROM j")
	[ "$t" = "$1" ] || fail_run "stdout is not a JSON $1 (json_type: $t)"
}

# A hash of everything that matters (not activity, not the release record).
state_of() {
	local f=${1:-$DB} t
	for t in branch account operator income income_conflict withdrawal ledger; do
		echo "== $t"
		qdb "$f" "SELECT * FROM $t ORDER BY rowid"
	done | sha256sum | cut -c1-16
}

# Ledger rows that break invariants 2 and 3, by plain SQL (independent of
# the program's audit): seq gaps, pre != previous post, post != pre+amount,
# and accounts whose balance is not the newest post_amount.
chain_breaks() {
	local f=${1:-$DB}
	qdb "$f" "
	WITH l AS (SELECT account_id, seq, pre_amount, amount, post_amount,
	    LAG(seq) OVER w AS pseq, LAG(post_amount) OVER w AS ppost
	  FROM ledger WINDOW w AS (PARTITION BY account_id ORDER BY seq))
	SELECT (SELECT count(*) FROM l
	  WHERE seq <> COALESCE(pseq, 0) + 1
	     OR pre_amount <> COALESCE(ppost, 0)
	     OR post_amount <> pre_amount + amount)
	 + (SELECT count(*) FROM account a
	  WHERE a.balance <> COALESCE((SELECT post_amount FROM ledger
	      WHERE account_id = a.branch_id ORDER BY seq DESC LIMIT 1), 0))"
}

# copy_db DEST [SRC]: a consistent copy (SQLite's backup), for tampering.
copy_db() {
	rm -f "$1" "$1-wal" "$1-shm"
	sqlite3 -batch "${2:-$T/fundflow.db}" ".backup '$1'" || fail "cannot copy the database to $1"
}

# The id of a branch / operator by code / login.
branch_id() { q "SELECT id FROM branch WHERE code = '$1'"; }
op_id() { q "SELECT id FROM operator WHERE login = '$1'"; }
# balance|withdrawable|total_withdrawn of a branch, in fen.
acct() {
	q "SELECT balance || '|' || withdrawable || '|' || total_withdrawn
	   FROM account JOIN branch ON branch.id = account.branch_id
	   WHERE code = '$1'"
}

# An income event line.
ev() { # EVENT_ID BRANCH TYPE REF AMOUNT
	printf '{"event_id":"%s","branch":"%s","buss_type":%s,"ref_id":"%s","amount":"%s","occurred_at":"2018-06-06T08:47:43+08:00"}\n' \
	    "$1" "$2" "$3" "$4" "$5"
}
