#!/usr/bin/env bash
# test_csv_text.sh — hostile text (security items 8 and 10): text with
# control, bidi or invisible format characters is refused where it is
# typed (exit 64, the sentence names the field and the character, the
# database unchanged); formula-looking text is stored as typed, and the
# CSV of the command line (--csv) and of the screens' export (e) gives
# exact bytes: "'" before a cell starting with = + - @, amounts left as
# numbers, control characters planted behind the program's back as U+FFFD.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB
HYPER='=HYPERLINK("http://evil.example/","click")'
FFFD=$'\xef\xbf\xbd'

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	ffas root branch add ZC01 "$HYPER"
	expect_rc 0
	ffas root branch add QD02 "@SUM(A1:A9)"
	expect_rc 0
	add_user s1 staff ZC01
	add_user rev reviewer
	add_user aud auditor
	printf '%s\n' \
	    "$(ev e1 ZC01 1 R-1 100.00)" "$(ev e2 QD02 1 R-2 50.00)" > "$T/ev.jsonl"
	ff ingest "$T/ev.jsonl"
	expect_rc 0
}

newpw_ffas() { FUNDFLOW_NEW_PASSWORD=x ffas "$@"; }

# One refusal: exit 64, the sentence, nothing changed.
refused() { # SENTENCE -- COMMAND...
	local want=$1 before
	shift 2
	before=$(state_of)
	"$@"
	expect_rc 64
	err_has "$want"
	eq "$(state_of)" "$before" "the database after a refusal"
}

t_refusals() {
	local rlo=$'\xe2\x80\xae' zwsp=$'\xe2\x80\x8b' bom=$'\xef\xbb\xbf'
	refused "the branch name contains U+202E (a bidi control), which is not allowed" -- \
	    ffas root branch add EV1 "Good ${rlo}lanigiro"
	refused "the branch code contains U+202E (a bidi control), which is not allowed" -- \
	    ffas root branch add "EV${rlo}1" "Evil"
	refused "the branch name contains U+001B (a control character), which is not allowed" -- \
	    ffas root branch add EV2 $'red\x1b[31m'
	refused "the login contains U+200B (an invisible format character), which is not allowed" -- \
	    newpw_ffas root user add "ro${zwsp}ot" --role auditor
	refused "the name contains U+2066 (a bidi control), which is not allowed" -- \
	    newpw_ffas root user add lina --role auditor --name $'Li \xe2\x81\xa6Na'
	refused "the note contains U+FEFF (an invisible format character), which is not allowed" -- \
	    ffas s1 withdraw apply --branch ZC01 --amount 1 --note "${bom}note"
	refused "the note contains invalid UTF-8 (byte 0xFF), which is not allowed" -- \
	    ffas s1 withdraw apply --branch ZC01 --amount 1 --note $'bad\xff'
	ffas s1 --json withdraw apply --branch ZC01 --amount 1 --note "ok"
	expect_rc 0
	local id
	id=$(jx '$.id')
	refused "the reason contains U+202E (a bidi control), which is not allowed" -- \
	    ffas rev withdraw reject "$id" --reason "no ${rlo}kcab"
	refused "the reason contains U+001B (a control character), which is not allowed" -- \
	    ffas rev withdraw reject "$id" --reason $'\x1b]0;title\a'
	eq "$(q "SELECT status FROM withdrawal WHERE id = $id")" pending "the application after refused reasons"
	# Ingest: the line is rejected as malformed, with its number.
	printf '%s\n' '{"event_id":"b1","branch":"ZC01","buss_type":1,"ref_id":"R\u202e9","amount":"1.00"}' \
	    '{"event_id":"b\u200b2","branch":"ZC01","buss_type":1,"ref_id":"R-9","amount":"1.00"}' \
	    > "$T/bad.jsonl"
	printf '{"event_id":"b3","branch":"ZC01","buss_type":1,"ref_id":"R-8","amount":"1.00","x":true\0}\n' >> "$T/bad.jsonl"
	printf '{"event_id":"b4","branch":"ZC01","buss_type":1,"ref_id":"R-7","amount":1\0,"x":1}\n' >> "$T/bad.jsonl"
	local before
	before=$(state_of)
	ff ingest "$T/bad.jsonl"
	expect_rc 65
	err_has 'line 1: "ref_id" must be text without control characters: U+202E (a bidi control) is not allowed'
	err_has 'line 2: "event_id" must be text without control characters: U+200B (an invisible format character) is not allowed'
	err_has 'line 3: not valid JSON: a NUL byte is not allowed (column 87)'
	err_has 'line 4: not valid JSON: a NUL byte is not allowed (column 73)'
	out_has "applied 0, duplicate 0, conflict 0, rejected 4"
	eq "$(state_of)" "$before" "the database after rejected lines"
}

# Text planted behind the program's back: ESC, CR, LF, DEL, C1, bad bytes.
plant() {
	q "UPDATE branch SET name = CAST(X'403D31' || X'1B5B324A' AS TEXT) WHERE code = 'QD02'" 2>/dev/null ||
	    fail "cannot plant a branch name"
	q "INSERT INTO withdrawal (branch_id, amount, note, applicant_id, applied_at, flow)
	   VALUES ($(branch_id ZC01), 250, CAST(X'2B31' || X'0D0A' || X'1B5D303B70776E6564' || X'07' || X'7F' || X'C285' || X'FF' AS TEXT),
	   $(op_id s1), '2026-01-01T00:00:00+00:00', 2)"
}

t_csv_command_line() {
	ffas s1 --json withdraw apply --branch ZC01 --amount 12.50 --note "-3"
	expect_rc 0
	local a b
	a=$(jx '$.id')
	ffas rev --json withdraw reject "$a" --reason "+1 $HYPER"
	expect_rc 0
	ffas s1 --json withdraw apply --branch ZC01 --amount 0.5 --note "@SUM(1)"
	expect_rc 0
	b=$(jx '$.id')
	plant
	local p
	p=$(q "SELECT max(id) FROM withdrawal")
	ffas aud --csv branch list
	expect_rc 0
	local c1 c2
	c1=$(q "SELECT created_at FROM branch WHERE code = 'ZC01'")
	c2=$(q "SELECT created_at FROM branch WHERE code = 'QD02'")
	eq "$(cat "$OUT")" "$(printf 'code,name,active,created_at\r\nQD02,%s,1,%s\r\nZC01,"%s",1,%s\r' \
	    "'@=1${FFFD}[2J" "$c2" "'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")" "$c1")" \
	    "branch list --csv bytes"
	ffas aud --csv withdraw list --branch ZC01
	expect_rc 0
	local at_a at_b dec_a
	at_a=$(q "SELECT applied_at FROM withdrawal WHERE id = $a")
	dec_a=$(q "SELECT decided_at FROM withdrawal WHERE id = $a")
	at_b=$(q "SELECT applied_at FROM withdrawal WHERE id = $b")
	grep -qF -- "$(printf '%s,ZC01,12.50,rejected,s1,%s,rev,%s,"%s",'"'"'-3,2,100.00\r' "$a" "$at_a" "$dec_a" \
	    "'+1 =HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")")" "$OUT" ||
	    fail_run "withdraw list --csv: the rejected application's row is not as expected"
	grep -qF -- "$(printf '%s,ZC01,0.50,pending,s1,%s,,,,'"'"'@SUM(1),2,100.00\r' "$b" "$at_b")" "$OUT" ||
	    fail_run "withdraw list --csv: the pending application's row is not as expected"
	grep -qF -- "$(printf '%s,ZC01,2.50,pending,s1,2026-01-01T00:00:00+00:00,,,,'"'"'+1%s%s%s]0;pwned%s%s%s%s,2,100.00\r' \
	    "$p" "$FFFD" "$FFFD" "$FFFD" "$FFFD" "$FFFD" "$FFFD" "$FFFD")" "$OUT" ||
	    fail_run "withdraw list --csv: the planted note is not neutralised as expected"
	LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$OUT" && fail_run "withdraw list --csv: a control character in the CSV"
	# The amount of a withdrawal in the ledger stays a number.
	ffas rev withdraw approve "$b"
	expect_rc 0
	ffas aud --csv ledger --branch ZC01
	expect_rc 0
	grep -q ',100.00,-0.50,99.50,' "$OUT" || fail_run "ledger --csv: the withdrawal's amounts are not plain numbers"
	return 0
}

t_csv_screen_export() {
	tui_config
	tui_start ex
	tui_login ex aud "$(pw_of aud)"
	tui_wait ex "[1 Accounts]"
	tui_keys ex e
	tui_wait ex "Exported "
	local f
	f=$(tui_screen ex | tail -n 1 | sed -n 's/.* to \(fundflow-accounts-[0-9-]*\.csv\).*/\1/p')
	[ -n "$f" ] && [ -f "$T/$f" ] || tui_fail ex "no export file named on the status line"
	grep -qxF -- "$(printf 'ZC01,"%s",99.50,99.50,0.50,2,3.50\r' "'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")")" "$T/$f" ||
	    fail "the export's ZC01 row is not as expected: $(cat -A "$T/$f" | head -c 600)"
	grep -qxF -- "$(printf 'QD02,%s,50.00,50.00,0.00,0,0.00\r' "'@=1${FFFD}[2J")" "$T/$f" ||
	    fail "the export's QD02 row is not as expected: $(cat -A "$T/$f" | head -c 600)"
	LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$T/$f" && fail "a control character in the export"
	tui_quit ex
}

check setup t_setup
check "typed text with control, bidi or format characters is refused (64, named, unchanged)" t_refusals
check "--csv: formula cells marked, numbers left, controls as U+FFFD (exact bytes)" t_csv_command_line
check "screen export: the same cells as --csv (exact bytes)" t_csv_screen_export
finish
