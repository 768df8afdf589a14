#!/usr/bin/env bash
# t_hostile.sh — hostile text in every text field (issue 4, item 8).
#
# SQL-injection payloads, format strings, control characters (C0, DEL,
# C1, ANSI escapes), invalid UTF-8 (bad bytes, overlong, surrogates,
# truncated, beyond U+10FFFF), bidi overrides, emoji, CJK, empty, blank,
# exactly the limit and one past it, 100 kB — through branch names and
# codes, operator logins and names, notes, reasons, --user, --branch,
# --ref, and the event fields (event_id, ref_id, branch, occurred_at,
# also \u0000 and escapes).  Each must be stored exactly (the bytes read
# back equal, and --json gives the same string back) or refused with a
# clear error; nothing else changes (every line of the .dump before is
# still there, the schema identical); no raw escape character reaches the
# terminal.  Then text planted behind the program's back (control
# characters, invalid UTF-8 in a note) is shown safely by the listings
# (table, --json, --csv) and the screens.
. "$(dirname "$0")/lib.sh"

DB=$T/hostile.db
dbcopy "$BASE/small.db" "$DB"
export FUNDFLOW_NEW_PASSWORD=demo

hex() { od -An -v -tx1 | tr -d ' \n' | tr a-f A-F; }
long() { head -c "$1" /dev/zero | tr '\0' "${2:-x}"; }
cjk500=$(for _ in $(seq 166); do printf '诸'; done; printf 'ab')
payloads=(
	"'; DROP TABLE ledger; --"
	"Robert'); DELETE FROM income; --"
	"\" OR \"1\"=\"1"
	"x' UNION SELECT pwhash FROM operator --"
	"%s%s%s%n%x%p"
	"\\' \\\" \\\\ \\n"
	$'\x1b[31mred\x1b[0m\x1b]0;title\a'
	$'two\nlines'
	$'carriage\rreturn'
	$'tab\there'
	$'del\x7f'
	$'c1\xc2\x85next'
	$'bad\xff\xfe'
	$'bad\xc3\x28'
	$'overlong\xc0\xaf'
	$'surrogate\xed\xa0\x80'
	$'truncated\xe4\xb8'
	$'beyond\xf4\x90\x80\x80'
	$'\xe2\x80\xaeRTL override'
	$'zero\xe2\x80\x8bwidth'
	"😀 emoji 🏦"
	"诸城分公司"
	""
	"   "
	"$(long 200)"
	"$(long 201)"
	"$(long 500)"
	"$(long 501)"
	"$cjk500"
	"${cjk500}c"
	"$(long 100000 y)"
)

schema() { sqlite3 "$DB" "SELECT sql FROM sqlite_master ORDER BY name" | md5sum | cut -d' ' -f1; }
schema0=$(schema)
problems=0
prob() { echo "# $*" | head -c 400; echo; problems=$((problems + 1)); }
field_checks=0

# Runs one command with a payload; then: stored exactly or refused
# clearly, and every row that was there is still there, unchanged (but
# the one row the command is about, matching KEEP).  SQL reads back what
# was stored (hex) when the command succeeded; "" for a lookup.
try() { # WHAT PAYLOAD SQL KEEP -- ARGS...
	local what=$1 p=$2 sql=$3 keep=$4
	shift 5
	sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' | sort > before.dump
	ff --db "$DB" "$@"
	field_checks=$((field_checks + 1))
	if grep -q $'\x1b' "$ERR" "$OUT"; then prob "$what: a raw escape character reached the terminal"; fi
	if [ "$RC" = 0 ]; then
		if [ -n "$sql" ]; then
			got=$(sqlite3 "$DB" "$sql")
			want=$(printf '%s' "$p" | hex)
			[ "$got" = "$want" ] || prob "$what: accepted ($(printf '%q' "$p" | head -c 80)) but stored differently: $(printf '%s' "$got" | head -c 80)"
		fi
	elif [ "$RC" = 64 ] || [ "$RC" = 1 ] || [ "$RC" = 65 ] || [ "$RC" = 77 ]; then
		[ -s "$ERR" ] || prob "$what: refused (exit $RC) without a message"
		grep -qE 'ERROR: AddressSanitizer|runtime error' "$ERR" && prob "$what: sanitizer report"
	else
		prob "$what: exit $RC for $(printf '%q' "$p" | head -c 80): $(head -c 200 "$ERR")"
	fi
	sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' | sort > after.dump
	# A changed row shows as a line only in before.dump.
	if [ -n "$(comm -23 before.dump after.dump | grep -v "^INSERT INTO account\|^COMMIT\|^BEGIN${keep:+\\|$keep}")" ]; then
		prob "$what: other rows changed: $(comm -23 before.dump after.dump | head -n 2 | head -c 200)"
	fi
}

i=0
for p in "${payloads[@]}"; do
	i=$((i + 1))
	# A branch name (admin) and a branch code.
	code=$(printf 'H%03d' $i)
	try "branch name #$i" "$p" "SELECT hex(name) FROM branch WHERE code = '$code'" "" -- \
		--user admin branch add "$code" "$p"
	try "branch code #$i" "$p" "SELECT hex(code) FROM branch ORDER BY id DESC LIMIT 1" "" -- \
		--user admin branch add "$p" "Hostile $i"
	# An operator login and name.
	try "login #$i" "$p" "SELECT hex(login) FROM operator ORDER BY id DESC LIMIT 1" "" -- \
		--user admin user add "$p" --role auditor
	try "operator name #$i" "$p" "SELECT hex(name) FROM operator WHERE login = 'name$i'" "" -- \
		--user admin user add "name$i" --role auditor --name "$p"
	# A note, then a reason (on the application just made, if any).
	try "note #$i" "$p" "SELECT hex(note) FROM withdrawal ORDER BY id DESC LIMIT 1" "" -- \
		--user staff withdraw apply --branch ZC01 --amount 0.01 --note "$p"
	wid=$(q "SELECT id FROM withdrawal WHERE status = 'pending' AND branch_id = 1 ORDER BY id DESC LIMIT 1")
	try "reason #$i" "$p" "SELECT hex(reason) FROM withdrawal WHERE id = $wid" "^INSERT INTO withdrawal VALUES($wid," -- \
		--user reviewer withdraw reject "$wid" --reason "$p"
	# Lookups: nothing may be found or changed (every third payload in
	# the bounded run).
	[ "$SOAK" = 1 ] || [ $((i % 3)) = 0 ] || [[ $p == *$'\x1b'* ]] || continue
	try "--user #$i" "$p" "" "" -- --user "$p" accounts
	try "--branch #$i" "$p" "" "" -- --user auditor accounts --branch "$p"
	if [ "$RC" = 0 ] && [ -n "$p" ]; then prob "--branch #$i: an unknown branch listed"; fi
	try "--ref #$i" "$p" "" "" -- --user auditor ledger --ref "$p" --limit 3
done

# The event fields, through ingest: valid strings escaped by jq, raw bytes
# as they are.
: > events.jsonl
n=0
for p in "${payloads[@]}"; do
	for field in ref_id event_id branch occurred_at; do
		n=$((n + 1))
		if printf '%s' "$p" | iconv -f UTF-8 -t UTF-8 > /dev/null 2>&1; then
			jq -cn --arg v "$p" --arg f "$field" --arg n "$n" \
				'{event_id: ("h-" + $n), branch: "ZC01", buss_type: 1, ref_id: ("H-" + $n), amount: "1.00"} + {($f): $v}' >> events.jsonl
		else
			printf '{"event_id":"h-%d","branch":"ZC01","buss_type":1,"ref_id":"H-%d","amount":"1.00","%s":"%s"}\n' \
				$n $n "$field" "$p" >> events.jsonl
		fi
	done
done
# And escapes only JSON can carry.
for e in '\u0000' 'a\u0000b' '\u001b[2J' '\ud800' '\udc00x' '\uffff' '\u2028' 'line\nfeed'; do
	n=$((n + 1))
	printf '{"event_id":"h-%d","branch":"ZC01","buss_type":1,"ref_id":"%s","amount":"1.00"}\n' $n "$e" >> events.jsonl
done
lines=$(wc -l < events.jsonl)
sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' | sort > before.dump
ff --db "$DB" --json ingest "$T/events.jsonl"
summary=$(cat "$OUT")
applied=$(jq -r .applied <<< "$summary" 2>/dev/null)
rejected=$(jq -r .rejected <<< "$summary" 2>/dev/null)
WHY="exit $RC, summary $summary, $lines lines"
check hostile.ingest-every-line-accounted test "$RC" = 65 -a $((applied + rejected)) -eq "$lines" -a \
	"$(grep -c '^line [0-9]*: ' "$ERR")" = "$rejected"
grep -q $'\x1b' "$ERR" && prob "ingest: a raw escape character in the rejection messages"
# Each applied line stored exactly: compare what jq reads from the line
# with what the database holds, for the line's ref_id and event_id.
ln=0
while IFS= read -r line; do
	ln=$((ln + 1))
	grep -q "^line $ln: " "$ERR" && continue
	ref=$(printf '%s' "$line" | jq -j .ref_id)
	eid=$(printf '%s' "$line" | jq -j .event_id)
	got=$(q "SELECT hex(ref_id) || '|' || hex(event_id) FROM income WHERE event_id = '$(printf '%s' "$eid" | sed "s/'/''/g")'")
	want="$(printf '%s' "$ref" | hex)|$(printf '%s' "$eid" | hex)"
	[ "$got" = "$want" ] || prob "ingest line $ln: applied but stored as $got"
done < events.jsonl
sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' | sort > after.dump
[ -z "$(comm -23 before.dump after.dump | grep -v '^INSERT INTO account')" ] || prob "ingest: other rows changed"

WHY="$problems problem(s) over $field_checks field tries (above)"
check hostile.stored-exactly-or-refused test $problems -eq 0
WHY="the schema changed"
check hostile.schema-untouched test "$(schema)" = "$schema0"
check hostile.audit-clean db_sound "$DB"

# Bidi and invisible format characters (security item 10): every one is
# refused in every typed field, exit 64, the sentence naming the field and
# the character (never echoing it), the database unchanged.
problems=0
refusals=0
# The UTF-8 bytes of U+HHHH (below U+10000), whatever the locale.
utf8() {
	local c=$((16#$1))
	if ((c < 0x80)); then
		printf "\\x$(printf %02x $c)"
	elif ((c < 0x800)); then
		printf "\\x$(printf %02x $((0xC0 | c >> 6)))\\x$(printf %02x $((0x80 | (c & 0x3F))))"
	else
		printf "\\x$(printf %02x $((0xE0 | c >> 12)))\\x$(printf %02x $((0x80 | (c >> 6 & 0x3F))))\\x$(printf %02x $((0x80 | (c & 0x3F))))"
	fi
}
ff --db "$DB" --user staff --json withdraw apply --branch ZC01 --amount 0.01 --note "to be rejected"
wid=$(jq -r .id "$OUT" 2>/dev/null)
[ "$RC" = 0 ] && [ -n "$wid" ] || prob "no pending application for the reasons: exit $RC"
for cp in 061C 200B 200C 200D 200E 200F 202A 202B 202C 202D 202E 2060 2061 2062 2063 2064 2066 2067 2068 2069 FEFF 001B 0085; do
	ch=$(utf8 $cp)
	case $cp in
	061C|200E|200F|202?|206[6-9]) kind="a bidi control" ;;
	001B|0085) kind="a control character" ;;
	*) kind="an invisible format character" ;;
	esac
	for field in "branch name" "branch code" login name note reason; do
		case $field in
		"branch name") args=(--user admin branch add HB1 "x${ch}y") ;;
		"branch code") args=(--user admin branch add "H${ch}1" "Hostile") ;;
		login) args=(--user admin user add "l${ch}n" --role auditor) ;;
		name) args=(--user admin user add hname --role auditor --name "a${ch}b") ;;
		note) args=(--user staff withdraw apply --branch ZC01 --amount 0.01 --note "n${ch}") ;;
		reason) args=(--user reviewer withdraw reject "$wid" --reason "${ch}r") ;;
		esac
		sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' > before.dump
		ff --db "$DB" "${args[@]}"
		refusals=$((refusals + 1))
		want="the $field contains U+$cp ($kind), which is not allowed"
		[ "$RC" = 64 ] || prob "$field U+$cp: exit $RC, not 64"
		grep -qF -- "$want" "$ERR" || prob "$field U+$cp: no \"$want\": $(head -c 200 "$ERR")"
		grep -qF -- "$ch" "$ERR" && prob "$field U+$cp: the refusal echoes the character"
		sqlite3 "$DB" .dump | grep -v '^INSERT INTO activity' > after.dump
		cmp -s before.dump after.dump || prob "$field U+$cp: the database changed"
	done
done
WHY="$problems problem(s) over $refusals refusals (above)"
check hostile.format-characters-refused-64-named test $problems -eq 0

# Text planted behind the program's back: shown safely.
problems=0
# ESC [2J (clear), ESC ]0;pwned BEL (title), LF, CR, TAB, 0xFF, C3 28, DEL.
q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
   VALUES (1, 1, CAST(X'1B5B324A1B5D303B70776E6564070A0D09FFC3287F' AS TEXT),
   (SELECT id FROM operator WHERE login = 'staff'), '2026-01-01T00:00:00+00:00', 2)"
planted=$(q "SELECT MAX(id) FROM withdrawal")
ff --db "$DB" --user reviewer withdraw list --status pending
[ "$RC" = 0 ] || prob "withdraw list with planted text: exit $RC: $(head -c 200 "$ERR")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$OUT"; then prob "withdraw list: control characters reach the terminal"; fi
ff --db "$DB" --user reviewer --json withdraw list --status pending
[ "$RC" = 0 ] || prob "withdraw list --json with planted text: exit $RC: $(head -c 200 "$ERR")"
jq -e . "$OUT" > /dev/null 2>&1 || prob "withdraw list --json with planted text is not valid JSON"
ff --db "$DB" --user reviewer --csv withdraw list --status pending
[ "$RC" = 0 ] || prob "withdraw list --csv with planted text: exit $RC"
WHY="$problems problem(s) (above)"
check hostile.planted-text-listed-safely test $problems -eq 0

if command -v tmux > /dev/null; then
	sock=$T/tmux.sock
	tm() { tmux -S "$sock" -f /dev/null "$@"; }
	screen() { tm capture-pane -p -t tui 2>/dev/null; }
	wait_screen() { local i; for i in $(seq $(($2 * 10))); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done; return 1; }
	tm new-session -d -s tui -x 100 -y 30 \
		"cd $T && env LC_ALL=C.UTF-8 $FUNDFLOW --db $DB 2>$T/tui.err; echo \$? > $T/tui.rc"
	good=1
	wait_screen Password 20 || good=0
	tm send-keys -t tui -l reviewer; tm send-keys -t tui Tab; tm send-keys -t tui -l demo; tm send-keys -t tui Enter
	wait_screen "[2 Withdrawals]" 20 || good=0
	tm send-keys -t tui G
	wait_screen "#$planted" 5 || wait_screen " $planted " 5 || good=0
	# The frame is intact: the tab line on top, nothing cleared or moved.
	top=$(screen | head -n 1)
	case $top in *"[2 Withdrawals]"*) ;; *) good=0 ;; esac
	tm send-keys -t tui Enter
	sleep 0.5
	case $(screen | head -n 1) in *fundflow*) ;; *) good=0 ;; esac
	tm send-keys -t tui Escape q
	sleep 0.3
	tm send-keys -t tui y
	for _ in $(seq 50); do [ -e tui.rc ] && break; sleep 0.1; done
	WHY="the screens did not show the planted text safely: rc $(cat tui.rc 2>/dev/null); $(screen | head -n 4 | tr '\n' ' ')"
	check hostile.screens-show-planted-text-safely test $good = 1 -a "$(cat tui.rc 2>/dev/null)" = 0
	tm kill-server > /dev/null 2>&1 || true
fi

# Reached the end: every check has spoken for itself above.
exit 0
