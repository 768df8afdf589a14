#!/usr/bin/env bash
# test_man.sh — the manual pages (doc/fundflow.1, doc/fundflow.cfg.5) and
# the bash completion (doc/fundflow.bash), held to the program: both pages
# pass `mandoc -T lint -W warning` and `man --warnings` without a word;
# every command `fundflow --help` lists has its subsection under COMMANDS,
# holding every option of its usage and every option its ui/cmd_*.c
# parses; the global options of ui/main.c, the exit codes of ui/cli.h, the
# environment the code reads, the keys of ui/keys.c and the screens, and
# every setting model/config.c knows are documented; the completion loads
# in a bare bash, completes commands, two-word commands, options and
# branch codes (only when no prompt can happen, never hanging, never
# printing into the terminal); `make install` into a DESTDIR places the
# pages and the completion.
. "$(dirname "$0")/lib.sh"

R=$E2E_ROOT
MAN1=$R/doc/fundflow.1
MAN5=$R/doc/fundflow.cfg.5
COMP=$R/doc/fundflow.bash

# ---- helpers ----------------------------------------------------------------

need() { # TOOL...
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
		    fail "$t is not installed (apt-get install $t; make deps)"
	done
}

# The page as text, 80 columns, without overstrikes.
render() { # PAGE OUTFILE
	mandoc -T ascii -O width=80 "$1" | col -bx > "$2" ||
	    fail "mandoc cannot render $1"
}

# The lines of one top-level section (a line of its own at column 0).
section() { # TEXTFILE TITLE
	awk -v t="$2" '$0 == t { on = 1; next } on && /^[^ ]/ { exit } on' "$1"
}

# The lines of one subsection ("   NAME") of a section.
subsection() { # TEXTFILE SECTION NAME
	section "$1" "$2" |
	    awk -v n="   $3" '$0 == n { on = 1; next }
	        on && /^ ? ? ?[^ ]/ { exit } on'
}

# The commands of `fundflow --help`, one a line ("withdraw approve").
help_commands() {
	awk '/^With no command/ { on = 1; next } on && /^$/ { exit }
	    on && /^  [a-z]/ { n = substr($0, 3, 18); sub(/ +$/, "", n); print n }' \
	    "$T/help.txt"
}

# The options in the usage of command NAME in `fundflow --help`.
help_options() { # NAME
	awk -v n="$1" '/^With no command/ { on = 1; next } on && /^$/ { exit }
	    on && /^  [a-z]/ { c = substr($0, 3, 18); sub(/ +$/, "", c)
	        if (c == n) print substr($0, 22) }' "$T/help.txt" |
	    grep -oE -- '--[a-z][a-z-]*' | sort -u
}

# A token of a text, split at spaces, commas and brackets.
has_token() { # FILE TOKEN
	awk -v w="$2" '{ gsub(/[,()]/, " "); for (i = 1; i <= NF; i++)
	    if ($i == w) { f = 1; exit } } END { exit !f }' "$1"
}

# Completes the words given (the last is the one being completed) in a
# bare bash, the way bash calls the function; COMPREPLY one a line in
# $OUT, the shell's stderr in $ERR.
comp() {
	LAST_CMD="complete: $*"
	bash --norc --noprofile -u "$T/drive.sh" "$COMP" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
cat > "$T/drive.sh" <<'EOF'
. "$1" || exit 9
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_fundflow fundflow "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' ${COMPREPLY[@]+"${COMPREPLY[@]}"}
EOF
replies() { tr '\n' ' ' < "$OUT" | sed 's/ $//'; }

"$FUNDFLOW" --help > "$T/help.txt" 2>&1
command -v mandoc >/dev/null 2>&1 && {
	render "$MAN1" "$T/man1.txt"
	render "$MAN5" "$T/man5.txt"
}

# ---- the pages ----------------------------------------------------------------

t_lint() {
	local p out rc
	need mandoc
	for p in "$MAN1" "$MAN5"; do
		[ -s "$p" ] || fail "$p is missing"
		out=$(mandoc -T lint -W warning "$p" 2>&1)
		rc=$?
		eq "$out" "" "mandoc -T lint -W warning $(basename "$p")"
		eq "$rc" 0 "exit code of mandoc -T lint on $(basename "$p")"
	done
}

t_man_warnings() {
	local p out rc
	need man
	for p in "$MAN1" "$MAN5"; do
		out=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
		rc=$?
		eq "$out" "" "man --warnings -l $(basename "$p")"
		eq "$rc" 0 "exit code of man -l $(basename "$p")"
	done
}

t_sections() {
	local s
	need mandoc
	for s in NAME SYNOPSIS DESCRIPTION COMMANDS "GLOBAL OPTIONS" \
	    "SCREENS AND KEYS" "EXIT STATUS" ENVIRONMENT FILES SECURITY \
	    EXAMPLES "SEE ALSO"; do
		[ -n "$(section "$T/man1.txt" "$s")" ] ||
		    fail "fundflow.1 has no section $s"
	done
	for s in NAME DESCRIPTION "SEARCH ORDER" "THE INSTALLED CONFIGURATION" \
	    SETTINGS EXAMPLES "SEE ALSO"; do
		[ -n "$(section "$T/man5.txt" "$s")" ] ||
		    fail "fundflow.cfg.5 has no section $s"
	done
}

t_help_commands() {
	local n=0 c first
	need mandoc
	"$FUNDFLOW" help > "$T/help2.txt" 2>&1
	cmp -s "$T/help.txt" "$T/help2.txt" ||
	    fail "fundflow help and fundflow --help differ"
	while IFS= read -r c; do
		n=$((n + 1))
		first=$(subsection "$T/man1.txt" COMMANDS "$c" | awk 'NF { print; exit }')
		case $first in
		"       fundflow $c" | "       fundflow $c "*) ;;
		*) fail "COMMANDS has no subsection \"$c\" starting with its synopsis (got: [$first])" ;;
		esac
	done < <(help_commands)
	ge "$n" 20 "commands listed by fundflow --help"
}

t_help_options() {
	local n=0 c o
	need mandoc
	while IFS= read -r c; do
		subsection "$T/man1.txt" COMMANDS "$c" > "$T/sub.txt"
		while IFS= read -r o; do
			n=$((n + 1))
			grep -qE -- "^       $o( |\$)" "$T/sub.txt" ||
			    fail "the subsection of \"$c\" has no entry for $o (from its usage in --help)"
		done < <(help_options "$c")
	done < <(help_commands)
	ge "$n" 21 "options in the usages of fundflow --help"
}

# Every { "name", 0|1, NULL } option a ui/cmd_*.c parses is documented in
# the subsection of one of the commands that file defines.
t_source_options() {
	local n=0 f o c found
	local -a names
	need mandoc
	for f in "$R"/ui/cmd_*.c; do
		mapfile -t names < <(grep -oE '\.name *= *"[a-z ]+"' "$f" |
		    sed 's/.*"\(.*\)"/\1/')
		[ "${#names[@]}" -gt 0 ] || continue
		while IFS= read -r o; do
			n=$((n + 1))
			found=0
			for c in "${names[@]}"; do
				subsection "$T/man1.txt" COMMANDS "$c" |
				    grep -qE -- "^       --$o( |\$)" && found=1
			done
			[ "$found" = 1 ] ||
			    fail "--$o of $(basename "$f") has no entry in the subsection of ${names[*]}"
		done < <(grep -oE '\{ *"[a-z][a-z-]*", *[01], *NULL *\}' "$f" |
		    sed 's/{ *"\([^"]*\)".*/\1/')
	done
	ge "$n" 21 "options parsed in ui/cmd_*.c"
}

t_global_options() {
	local n=0 o
	need mandoc
	section "$T/man1.txt" "GLOBAL OPTIONS" > "$T/glob.txt"
	while IFS= read -r o; do
		n=$((n + 1))
		grep -qE -- "^       $o([ ,]|\$)|, $o([ ,]|\$)" "$T/glob.txt" ||
		    fail "GLOBAL OPTIONS has no entry for $o (ui/main.c)"
	done < <(grep -oE 'str(n)?cmp\(a, "-[a-z-]+"' "$R/ui/main.c" |
	    sed 's/.*"\(.*\)"/\1/' | sort -u)
	ge "$n" 7 "global options in ui/main.c"
	# And those of the usage line of --help.
	for o in $(head -n 1 "$T/help.txt" | grep -oE -- '--[a-z]+'); do
		grep -qE -- "^       $o" "$T/glob.txt" ||
		    fail "GLOBAL OPTIONS has no entry for $o (the usage line)"
	done
}

t_exit_codes() {
	local n=0 code
	need mandoc
	section "$T/man1.txt" "EXIT STATUS" > "$T/exit.txt"
	for code in $(awk '$1 == "#define" && $2 ~ /^EXIT_/ { print $3 }' "$R/ui/cli.h") \
	    66; do
		n=$((n + 1))
		grep -qE "^       $code( |\$)" "$T/exit.txt" ||
		    fail "EXIT STATUS has no entry for $code"
	done
	ge "$n" 10 "exit codes (ui/cli.h and consume's 66)"
}

t_environment() {
	local n=0 v
	need mandoc
	section "$T/man1.txt" ENVIRONMENT > "$T/env.txt"
	for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$R/ui" "$R/model" "$R/store" \
	    --include='*.c' --exclude-dir=third_party | sed 's/.*"\(.*\)".*/\1/' |
	    sort -u) PGPASSFILE; do
		n=$((n + 1))
		has_token "$T/env.txt" "$v" ||
		    fail "ENVIRONMENT does not name $v (read by the code)"
	done
	ge "$n" 8 "environment variables"
}

t_keys() {
	local n=0 k s
	need mandoc
	section "$T/man1.txt" "SCREENS AND KEYS" > "$T/keys.txt"
	# Every key label of ui/keys.c's key table.
	while IFS= read -r k; do
		n=$((n + 1))
		has_token "$T/keys.txt" "$k" ||
		    fail "SCREENS AND KEYS does not list the key $k (ui/keys.c)"
	done < <(grep -oE 'ACT_[A-Z0-9_]+, "[^"]+" *\}' "$R/ui/keys.c" |
	    sed 's/.*, "\(.*\)" *}/\1/')
	ge "$n" 30 "key labels in ui/keys.c"
	# Every screen, by its number and name.
	n=0
	for s in $(grep -hoE '^[[:space:]]+\.name = (N_\()?"[A-Za-z]+"' "$R"/ui/screen_*.c |
	    sed 's/.*"\(.*\)"/\1/'); do
		n=$((n + 1))
		grep -qE "^       [1-6] $s\$" "$T/keys.txt" ||
		    fail "SCREENS AND KEYS has no entry for the screen $s"
	done
	ge "$n" 6 "screens"
}

# fundflow consume (ui/cmd_consume.c, coming): documented with its options.
t_consume() {
	local o
	need mandoc
	subsection "$T/man1.txt" COMMANDS consume > "$T/sub.txt"
	for o in --queue --prefetch --once --declare --json; do
		grep -qE -- "^       $o( |\$)" "$T/sub.txt" ||
		    fail "consume has no entry for $o"
	done
	for o in amqps:// NAME.dead feeder.password_file; do
		grep -qF -- "$o" "$T/sub.txt" || fail "consume does not mention $o"
	done
}

# Every setting model/config.c knows (its "known: ..." lists) has its
# entry in fundflow.cfg(5).
t_cfg_settings() {
	local n=0 line group names s
	need mandoc
	tr '\n' ' ' < "$R/model/config.c" | sed 's/"[[:space:]]*"//g' |
	    grep -oE 'unknown setting( in [a-z_ ]+)? \(known: [a-z_, ]+\)' > "$T/known.txt"
	while IFS= read -r line; do
		group=$(printf '%s' "$line" | sed -n 's/^unknown setting in \([a-z_ ]*\) (.*/\1/p')
		names=$(printf '%s' "$line" | sed 's/.*known: \(.*\))/\1/; s/,/ /g')
		for s in $names; do
			n=$((n + 1))
			case $group in
			"")	[ -n "$(subsection "$T/man5.txt" SETTINGS "$s")" ] ||
				    fail "SETTINGS has no subsection $s" ;;
			"a business type")
				subsection "$T/man5.txt" SETTINGS business_types |
				    grep -qE "^       $s \(" ||
				    fail "business_types has no entry for $s" ;;
			*)	subsection "$T/man5.txt" SETTINGS "$group" |
				    grep -qE "^       $s \(" ||
				    fail "$group has no entry for $s" ;;
			esac
		done
	done < "$T/known.txt"
	ge "$n" 20 "settings known to model/config.c"
}

# ---- the completion -----------------------------------------------------------

t_comp_loads() {
	local out
	out=$(bash --norc --noprofile -u -c '. "$1" && complete -p fundflow' _ "$COMP" 2>&1)
	eq "$out" "complete -F _fundflow fundflow" "loading the completion"
}

t_comp_basic() {
	comp fundflow wi
	eq "$RC" 0 "exit of the completion"
	eq "$(replies)" "withdraw" "fundflow wi<TAB>"
	[ ! -s "$ERR" ] || fail_run "the completion wrote to stderr"
	comp fundflow withdraw ""
	eq "$(replies)" "apply approve reject cancel list" "fundflow withdraw <TAB>"
	comp fundflow ledger --
	grep -qx -- --branch "$OUT" || fail_run "fundflow ledger --<TAB> lacks --branch"
	comp fundflow --db x.db --user a ledger --b
	eq "$(replies)" "--branch --before" "fundflow --db x.db --user a ledger --b<TAB>"
	comp fundflow --user a user add b --role ""
	eq "$(replies)" "admin reviewer auditor staff" "--role <TAB>"
	comp fundflow withdraw list --status=p
	eq "$(replies)" "--status=pending" "--status=p<TAB> as one word"
	comp fundflow withdraw list --status = a
	eq "$(replies)" "approved" "--status = a<TAB> split at ="
	mkdir -p "$T/files" && : > "$T/files/events.jsonl"
	comp fundflow ingest "$T/files/ev"
	eq "$(replies)" "$T/files/events.jsonl" "ingest FILE<TAB>"
	comp fundflow audit --digest "$T/files/ev"
	eq "$(replies)" "$T/files/events.jsonl" "audit --digest FILE<TAB>"
	[ ! -s "$ERR" ] || fail_run "the completion wrote to stderr"
}

# Every command of --help completes, word by word, and so does every
# option of its usage.
t_comp_matches_help() {
	local n=0 c w1 w2 o
	while IFS= read -r c; do
		w1=${c%% *}
		comp fundflow "$w1"
		grep -qx -- "$w1" "$OUT" || fail_run "\"$w1\" does not complete"
		if [ "$c" != "$w1" ]; then
			w2=${c#* }
			comp fundflow "$w1" ""
			grep -qx -- "$w2" "$OUT" || fail_run "\"$c\" does not complete"
		fi
		# shellcheck disable=SC2086 # a family command is two words
		comp fundflow $c --
		while IFS= read -r o; do
			n=$((n + 1))
			grep -qx -- "$o" "$OUT" ||
			    fail_run "fundflow $c --<TAB> lacks $o (from its usage in --help)"
		done < <(help_options "$c")
		for o in --db --config --user --json --csv; do
			grep -qx -- "$o" "$OUT" || fail_run "fundflow $c --<TAB> lacks $o"
		done
	done < <(help_commands)
	ge "$n" 21 "options completed"
}

# Branch codes after --branch: from `branch list` when --user and
# FUNDFLOW_PASSWORD make a login possible without a prompt; otherwise
# nothing is run (no failed login in the journal).
t_comp_branches() {
	local want failed
	ff --db "$T/demo.db" demo --entries 200
	expect_rc 0
	FUNDFLOW_PASSWORD=demo ff --db "$T/demo.db" --user auditor --csv branch list
	expect_rc 0
	want=$(tail -n +2 "$OUT" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')
	ge "$(echo "$want" | wc -w)" 10 "branches of the demo"
	mkdir -p "$T/bin" && ln -sf "$FUNDFLOW" "$T/bin/fundflow"
	export PATH="$T/bin:$PATH"
	FUNDFLOW_PASSWORD=demo comp fundflow --db "$T/demo.db" --user auditor accounts --branch ""
	eq "$(replies)" "$want" "--branch <TAB> with --user and FUNDFLOW_PASSWORD"
	[ ! -s "$ERR" ] || fail_run "the completion wrote to stderr"
	FUNDFLOW_PASSWORD=demo comp fundflow --db="$T/demo.db" --user=staff ledger --branch Z
	eq "$(replies)" "ZC01" "--branch Z<TAB> as staff of ZC01"
	failed=$(qdb "$T/demo.db" "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0")
	comp fundflow --db "$T/demo.db" --user auditor accounts --branch ""
	eq "$(replies)" "" "--branch <TAB> without FUNDFLOW_PASSWORD"
	(unset FUNDFLOW_PASSWORD; comp fundflow --db "$T/demo.db" withdraw list --branch "")
	eq "$(qdb "$T/demo.db" "SELECT count(*) FROM activity WHERE action = 'login' AND ok = 0")" \
	    "$failed" "failed logins after completing without a password"
	FUNDFLOW_PASSWORD=wrong comp fundflow --db "$T/demo.db" --user auditor accounts --branch ""
	eq "$(replies)" "" "--branch <TAB> with a wrong password"
	[ ! -s "$ERR" ] || fail_run "the refused login reached the terminal"
}

# A listing that hangs or talks: the completion gives up within its
# timeout and prints nothing.
t_comp_no_hang() {
	local start took
	command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is missing"
	mkdir -p "$T/hang"
	printf '#!/bin/sh\necho "fundflow: some error" >&2\necho "code,name"\nsleep 30\necho LATE\n' \
	    > "$T/hang/fundflow"
	chmod +x "$T/hang/fundflow"
	start=$SECONDS
	PATH="$T/hang:$PATH" FUNDFLOW_PASSWORD=x comp fundflow --user a accounts --branch ""
	took=$((SECONDS - start))
	[ "$took" -le 6 ] || fail "the completion took ${took}s on a hanging listing"
	eq "$(replies)" "" "branch codes from a hanging listing"
	[ ! -s "$ERR" ] || fail_run "the hanging listing's stderr reached the terminal"
}

# ---- make install ---------------------------------------------------------------

# A real install into a DESTDIR, to the caller's own group (so that no
# group is made and nothing outside the DESTDIR is touched), without
# building (-o: the program under test is taken as it is).
t_install() {
	local d=$T/inst grp man=$T/inst/usr/local/share/man
	local comp=$T/inst/usr/local/share/bash-completion/completions/fundflow
	grp=$(id -gn)
	getent group "$grp" >/dev/null || fail "the caller's group $grp is not in the group database"
	make -s -C "$R" -o "$FUNDFLOW" install BIN="$FUNDFLOW" DESTDIR="$d" \
	    PREFIX=/usr/local SVCGROUP="$grp" DATADIR=/var/lib/fundflow \
	    CONFDIR=/etc/fundflow > "$T/make.log" 2>&1 ||
	    fail "make install failed: $(tail -n 5 "$T/make.log" | tr '\n' ' ')"
	cmp -s "$MAN1" "$man/man1/fundflow.1" || fail "man1/fundflow.1 is not doc/fundflow.1"
	cmp -s "$MAN5" "$man/man5/fundflow.cfg.5" || fail "man5/fundflow.cfg.5 is not doc/fundflow.cfg.5"
	cmp -s "$COMP" "$comp" || fail "the completion is not doc/fundflow.bash"
	eq "$(stat -c %a "$man/man1/fundflow.1" "$man/man5/fundflow.cfg.5" "$comp" | tr '\n' ' ')" \
	    "644 644 644 " "modes of the pages and the completion"
	eq "$(man -M "$man" -w fundflow)" "$man/man1/fundflow.1" "man -w fundflow"
	eq "$(man -M "$man" -w 5 fundflow.cfg)" "$man/man5/fundflow.cfg.5" "man -w 5 fundflow.cfg"
	# The defaults of MANDIR and BASHCOMPDIR follow PREFIX.
	make -n -s -C "$R" -o "$FUNDFLOW" install BIN="$FUNDFLOW" DESTDIR=/x \
	    PREFIX=/opt/ff SVCGROUP="$grp" > "$T/make-n.log" 2>&1
	grep -qF "doc/fundflow.1 /x/opt/ff/share/man/man1/fundflow.1" "$T/make-n.log" ||
	    fail "make -n install PREFIX=/opt/ff: no man1 under /x/opt/ff/share/man"
	grep -qF "doc/fundflow.bash /x/opt/ff/share/bash-completion/completions/fundflow" "$T/make-n.log" ||
	    fail "make -n install PREFIX=/opt/ff: no completion under /x/opt/ff/share/bash-completion"
	[ ! -e /x ] || fail "make -n made /x"
}

check man_pages_lint_clean t_lint
check man_pages_no_groff_warnings t_man_warnings
check man_pages_have_their_sections t_sections
check every_command_of_help_documented t_help_commands
check every_usage_option_documented t_help_options
check every_parsed_option_documented t_source_options
check global_options_documented t_global_options
check exit_codes_documented t_exit_codes
check environment_documented t_environment
check keys_and_screens_documented t_keys
check consume_documented t_consume
check config_settings_documented t_cfg_settings
check completion_loads_in_bare_bash t_comp_loads
check completion_commands_options_values t_comp_basic
check completion_covers_help t_comp_matches_help
check completion_branch_codes_without_prompt t_comp_branches
check completion_never_hangs_or_talks t_comp_no_hang
check make_install_places_pages_and_completion t_install
finish
