#!/usr/bin/env bash
# test_setup.sh — creating a database, refusing unusable ones, the release
# record, file permissions, configuration errors, and where the database
# path comes from.
. "$(dirname "$0")/lib.sh"

ADMIN=root

t_init() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	[ -f "$DB" ] || fail "init did not create $DB (the config's database.path)"
	eq "$(q "SELECT role || ':' || active FROM operator WHERE login = 'root'")" \
	    "admin:1" "the first operator"
	eq "$(q "SELECT count(*) FROM operator")" 1 "operators after init"
	eq "$(q "PRAGMA user_version")" 5 "PRAGMA user_version"
	eq "$(q "PRAGMA journal_mode")" wal "journal mode"
	case $(q "SELECT pwhash FROM operator WHERE login = 'root'") in
	'$argon2id$'*) ;;
	*) fail "the admin's password is not an argon2id hash" ;;
	esac
}

t_init_login() {
	ffas root user list
	expect_rc 0
	out_has root
	FUNDFLOW_PASSWORD=wrong ff --user root user list
	expect_rc 77
}

t_init_twice() {
	local before
	before=$(state_of)
	FUNDFLOW_NEW_PASSWORD=other ff init --admin root
	expect_rc 1
	err_nonempty
	FUNDFLOW_NEW_PASSWORD=other ff init --admin second
	expect_rc 1
	eq "$(state_of)" "$before" "database state after refused inits"
	eq "$(q "SELECT count(*) FROM operator")" 1 "operators"
	# The old password still works; the refused init's does not.
	ffas root user list
	expect_rc 0
	FUNDFLOW_PASSWORD=other ff --user root user list
	expect_rc 77
}

t_init_needs_password() {
	ff --db "$T/nopw.db" init --admin root
	expect_rc 64
	[ ! -e "$T/nopw.db" ] || [ "$(qdb "$T/nopw.db" "SELECT count(*) FROM operator" 2>/dev/null)" = "" ] ||
	    [ "$(qdb "$T/nopw.db" "SELECT count(*) FROM operator" 2>/dev/null)" = 0 ] ||
	    fail "init without a new password created an admin"
	FUNDFLOW_NEW_PASSWORD=x ff --db "$T/nologin.db" init
	expect_rc 64
}

t_missing_db() {
	ff --db "$T/missing.db" ingest /dev/null
	expect_rc 69
	err_nonempty
	! ls "$T"/missing.db* >/dev/null 2>&1 || fail "a command on a missing database created $(ls "$T"/missing.db*)"
	FUNDFLOW_PASSWORD=x ff --db "$T/missing2.db" --user root accounts
	expect_rc 69
	[ ! -e "$T/missing2.db" ] || fail "accounts on a missing database created it"
	ff --db "$T/nodir/missing.db" releases
	expect_rc 69
}

t_not_a_db() {
	printf 'this is not a database, just text\n%.0s' $(seq 200) > "$T/junk.db"
	local sum
	sum=$(sha256sum < "$T/junk.db")
	ff --db "$T/junk.db" ingest /dev/null
	expect_rc 69
	err_nonempty
	eq "$(sha256sum < "$T/junk.db")" "$sum" "a file that is not a database was changed"
}

t_foreign_db() {
	# Another program's SQLite database (schema version 0 with tables of
	# its own) is not a fundflow database: a command other than init must
	# not turn it into one.
	qdb "$T/foreign.db" "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hello')"
	local before
	before=$(qdb "$T/foreign.db" ".schema" | sha256sum)
	ff --db "$T/foreign.db" ingest /dev/null
	expect_rc 69
	err_nonempty
	eq "$(qdb "$T/foreign.db" ".schema" | sha256sum)" "$before" "schema of the foreign database"
}

t_empty_file() {
	# An empty file (say, made by touch) is no fundflow database either:
	# only init and demo create one.
	: > "$T/empty.db"
	ff --db "$T/empty.db" ingest /dev/null
	expect_rc 69
	eq "$(stat -c %s "$T/empty.db")" 0 "size of the empty file after a refused command"
}

t_busy_75() {
	# Another process holds the write lock longer than busy_timeout_ms:
	# "database busy", exit 75, nothing changed.
	printf 'database = { busy_timeout_ms = 300; };\nbusiness_types = ( { code = 1; name = "Sales"; } );\n' > "$T/short.cfg"
	ffas root branch add BZ01 "Busy branch"
	expect_rc 0
	ev busy-1 BZ01 1 BUSY-1 1.00 > "$T/busy.jsonl"
	local before holder t0 t1
	before=$(state_of)
	{ echo "BEGIN IMMEDIATE;"; sleep 4; echo "ROLLBACK;"; } | sqlite3 "$DB" &
	holder=$!
	sleep 0.5
	t0=$(date +%s%N)
	ff --config "$T/short.cfg" --db "$DB" ingest "$T/busy.jsonl"
	t1=$(date +%s%N)
	local rc1=$RC
	FUNDFLOW_PASSWORD=$(pw_of root) ff --config "$T/short.cfg" --db "$DB" --user root branch add BZ02 "Busy two"
	local rc2=$RC
	wait "$holder"
	RC=$rc1
	expect_rc 75
	err_nonempty
	[ $(( (t1 - t0) / 1000000 )) -lt 3500 ] || fail "ingest waited $(( (t1 - t0) / 1000000 )) ms with busy_timeout_ms = 300"
	RC=$rc2
	expect_rc 75
	eq "$(state_of)" "$before" "state after busy refusals"
	# Once the lock is gone, the same commands go through.
	ff --config "$T/short.cfg" --db "$DB" ingest "$T/busy.jsonl"
	expect_rc 0
}

t_mode_0600() {
	eq "$(stat -c %a "$DB")" 600 "mode of the database file"
	local f
	for f in "$DB"-*; do
		[ ! -e "$f" ] || eq "$(stat -c %a "$f")" 600 "mode of $(basename "$f")"
	done
	FUNDFLOW_NEW_PASSWORD=x ff --db "$T/umask.db" init --admin a
	expect_rc 0
	eq "$(stat -c %a "$T/umask.db")" 600 "mode of a database made with --db"
	FUNDFLOW_PASSWORD=x ff --db "$T/umask.db" --user a user list
	expect_rc 0
	eq "$(stat -c %a "$T/umask.db")" 600 "mode of the database after use"
}

t_release_once() {
	local v
	v=$(cat "$E2E_ROOT/VERSION" 2>/dev/null)
	eq "$(q "SELECT count(*) FROM release_record")" 1 "release records after init and a few commands"
	eq "$(q "SELECT schema_version FROM release_record")" 5 "schema_version of the release record"
	[ -n "$(q "SELECT host FROM release_record")" ] || fail "release record without host"
	[ -n "$(q "SELECT os_user FROM release_record")" ] || fail "release record without OS user"
	q "SELECT at FROM release_record" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' ||
	    fail "release record time is not ISO 8601: $(q "SELECT at FROM release_record")"
	if [ -n "$v" ]; then
		eq "$(q "SELECT version FROM release_record")" "$v" "release record version (VERSION file)"
	fi
	# More commands by the same program: still one record.
	ff ingest /dev/null
	expect_rc 0
	ffas root user list
	ffas root releases
	expect_rc 0
	eq "$(q "SELECT count(*) FROM release_record")" 1 "release records after more commands"
}

t_release_other_version() {
	# An older program once opened this database: its record stays, ours
	# is not written again, and "releases" shows both.
	q "INSERT INTO release_record (version, git_commit, schema_version, at, host, os_user)
	   VALUES ('0.0.1-old', 'abcdef', 1, '2018-06-06T14:01:24+08:00', 'oldhost', 'deploy')"
	ffas root releases
	expect_rc 0
	out_has 0.0.1-old
	out_has oldhost
	eq "$(q "SELECT count(*) FROM release_record")" 2 "release records"
	ffas root --json releases
	expect_rc 0
	json_is array
	eq "$(jsql "SELECT json_array_length(doc) FROM j")" 2 "records in releases --json"
}

t_newer_schema() {
	cp "$DB" "$T/new.db"
	qdb "$T/new.db" "PRAGMA user_version = 99" >/dev/null
	local before rel
	before=$(state_of "$T/new.db")
	rel=$(qdb "$T/new.db" "SELECT count(*) FROM release_record")
	ff --db "$T/new.db" ingest /dev/null
	expect_rc 69
	err_nonempty
	printf '%s' "$(ev n-1 ZC01 1 ORD-NEW 1.00)" > "$T/new.jsonl"
	ff --db "$T/new.db" ingest "$T/new.jsonl"
	expect_rc 69
	FUNDFLOW_PASSWORD=$(pw_of root) ff --db "$T/new.db" --user root accounts
	expect_rc 69
	FUNDFLOW_PASSWORD=$(pw_of root) ff --db "$T/new.db" --user root releases
	expect_rc 69
	FUNDFLOW_NEW_PASSWORD=x ff --db "$T/new.db" init --admin again
	expect_rc 69 1
	eq "$(qdb "$T/new.db" "PRAGMA user_version")" 99 "user_version after refusals"
	eq "$(qdb "$T/new.db" "SELECT count(*) FROM release_record")" "$rel" "release records of a refused database"
	eq "$(state_of "$T/new.db")" "$before" "state of a refused database"
	ls "$T"/new.db.bak* >/dev/null 2>&1 &&
	    fail "a migration backup was made of a database that is too new: $(ls "$T"/new.db.bak*)"
	return 0
}

t_bad_config() {
	cat > "$T/bad.cfg" <<'EOF'
database = { path = "fundflow.db"; busy_timeout_ms = 5000; };
money = { currency = "CNY"; };
business_types = (
  { code = 1; name = "Sales income"; withdrawable = = true; }
);
EOF
	ff --config "$T/bad.cfg" ingest /dev/null
	expect_rc 64
	err_has bad.cfg
	grep -qE 'bad\.cfg:4|line 4' "$ERR" || fail_run "the error does not name line 4"
	# The same through FUNDFLOW_CONFIG.
	FUNDFLOW_CONFIG=$T/bad.cfg ff ingest /dev/null
	expect_rc 64
	err_has bad.cfg
	# An unknown setting, a wrong type, a duplicate code.
	printf 'database = {\n  path = "x.db";\n  busy_timout_ms = 5;\n};\n' > "$T/typo.cfg"
	ff --config "$T/typo.cfg" ingest /dev/null
	expect_rc 64
	err_has typo.cfg
	grep -qE 'typo\.cfg:3|line 3' "$ERR" || fail_run "the error does not name line 3"
	printf 'money = {\n  currency = 5;\n};\n' > "$T/type.cfg"
	ff --config "$T/type.cfg" ingest /dev/null
	expect_rc 64
	err_has type.cfg
	printf 'business_types = (\n { code = 1; name = "A"; },\n { code = 1; name = "B"; }\n);\n' > "$T/dup.cfg"
	ff --config "$T/dup.cfg" ingest /dev/null
	expect_rc 64
	err_has dup.cfg
	ff --config "$T/does-not-exist.cfg" ingest /dev/null
	expect_rc 64 74
	err_has does-not-exist.cfg
}

t_config_errors_quote_nothing() {
	# A file that is not a configuration (here: secrets, as in a password
	# file) is refused naming the file and the line, never what it holds.
	printf 'secret_token = "hunter2";\nother = 1;\n' > "$T/secret.cfg"
	ff --config "$T/secret.cfg" ingest /dev/null
	expect_rc 64
	err_has "$T/secret.cfg:1: unknown setting (known: database, money, business_types, display, feeder)"
	err_lacks secret_token
	err_lacks hunter2
	printf 'database = { path = "x.db"; busy_timeout_ms = 987654321; };\n' > "$T/value.cfg"
	FUNDFLOW_CONFIG=$T/value.cfg ff ingest /dev/null
	expect_rc 64
	err_has "$T/value.cfg:1: database.busy_timeout_ms must be from 0 to 600000"
	err_lacks 987654321
	printf 'password = "hunter2"\n' > "$T/syntax.cfg"
	ff --config "$T/syntax.cfg" ingest /dev/null
	expect_rc 64
	err_has "$T/syntax.cfg:"
	err_lacks hunter2
	err_lacks password
	# A group-readable file the operator cannot read: the open fails as
	# the operator, and the sentence names the file and why, no more.
	# (As root, run the operator's part as nobody.)
	local as=()
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv > /dev/null || return 0
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
		"${as[@]}" test -x "$FUNDFLOW" || return 0
	fi
	mkdir -p "$T/ro" && chmod 755 "$T" "$T/ro"
	printf 'secret_token = "hunter2";\n' > "$T/ro/group.cfg"
	chmod 640 "$T/ro/group.cfg"
	[ "$(id -u)" = 0 ] || chmod 600 "$T/ro/group.cfg"
	"${as[@]}" "$FUNDFLOW" --config "$T/ro/group.cfg" ingest /dev/null > "$OUT" 2> "$ERR" < /dev/null
	RC=$?
	expect_rc 64
	err_has "$T/ro/group.cfg: cannot open: Permission denied"
	err_lacks secret_token
	err_lacks hunter2
}

t_precedence() {
	mkdir -p "$T/p" "$T/p/sub"
	printf 'database = { path = "%s"; };\n' "$T/p/from-config.db" > "$T/p/c.cfg"
	# config
	FUNDFLOW_NEW_PASSWORD=x ff --config "$T/p/c.cfg" init --admin a
	expect_rc 0
	[ -f "$T/p/from-config.db" ] || fail "database.path of the config was not used"
	# FUNDFLOW_DB beats the config
	FUNDFLOW_DB=$T/p/from-env.db FUNDFLOW_NEW_PASSWORD=x ff --config "$T/p/c.cfg" init --admin a
	expect_rc 0
	[ -f "$T/p/from-env.db" ] || fail "FUNDFLOW_DB did not win over the config"
	# --db beats both, and may stand after the command
	FUNDFLOW_DB=$T/p/from-env.db FUNDFLOW_NEW_PASSWORD=x ff --config "$T/p/c.cfg" init --admin a --db "$T/p/from-opt.db"
	expect_rc 0
	[ -f "$T/p/from-opt.db" ] || fail "--db (after the command) did not win over FUNDFLOW_DB"
	# --config beats FUNDFLOW_CONFIG
	printf 'database = { path = "%s"; };\n' "$T/p/from-config2.db" > "$T/p/c2.cfg"
	FUNDFLOW_CONFIG=$T/p/c.cfg FUNDFLOW_NEW_PASSWORD=x ff --config "$T/p/c2.cfg" init --admin a
	expect_rc 0
	[ -f "$T/p/from-config2.db" ] || fail "--config did not win over FUNDFLOW_CONFIG"
	# nothing: ./fundflow.db in the working directory
	printf 'money = { currency = "CNY"; };\n' > "$T/p/nopath.cfg"
	( cd "$T/p/sub" && FUNDFLOW_NEW_PASSWORD=x ff --config "$T/p/nopath.cfg" init --admin a ) || true
	[ -f "$T/p/sub/fundflow.db" ] || fail "without --db, FUNDFLOW_DB or database.path the database is not ./fundflow.db"
	# Each database got exactly one admin: none was initialised twice.
	local f
	for f in from-config from-env from-opt from-config2 sub/fundflow; do
		eq "$(qdb "$T/p/$f.db" "SELECT count(*) FROM operator")" 1 "operators in $f.db"
	done
}

t_global_options_anywhere() {
	ffas root --db "$DB" accounts --json
	expect_rc 0
	json_is array
	FUNDFLOW_PASSWORD=$(pw_of root) ff accounts --user root --csv --db "$DB"
	expect_rc 0
	head -n 1 "$OUT" | grep -q branch || fail_run "--csv after the command: no header with branch"
}

t_usage() {
	ff frobnicate
	expect_rc 64
	ff withdraw
	expect_rc 64
	ffas root withdraw approve notanumber
	expect_rc 64
	ffas root accounts --no-such-option
	expect_rc 64
	FUNDFLOW_PASSWORD=$(pw_of root) ff accounts
	expect_rc 64
	ff --version
	expect_rc 0
	out_has "$(cat "$E2E_ROOT/VERSION")"
	ff --help
	expect_rc 0
	local c
	for c in init demo "branch add" "branch list" "user add" "user passwd" "user disable" \
	    "user list" ingest "withdraw apply" "withdraw approve" "withdraw reject" \
	    "withdraw cancel" "withdraw list" accounts ledger audit releases backup; do
		out_has "$c"
	done
}

t_output_error_74() {
	# Output that cannot be written (a full disk) is an I/O error, not
	# success: an export must never end truncated with exit 0.
	: > "$OUT"
	"$FUNDFLOW" ingest /dev/null > /dev/full 2> "$ERR"
	RC=$?
	LAST_CMD="fundflow ingest /dev/null > /dev/full"
	_after_run
	expect_rc 74
	local args
	for args in "--json accounts" "--csv accounts" "--json releases" "--json user list" "ledger --format journal"; do
		# shellcheck disable=SC2086
		FUNDFLOW_PASSWORD=$(pw_of root) "$FUNDFLOW" --user root $args > /dev/full 2> "$ERR"
		RC=$?
		LAST_CMD="FUNDFLOW_PASSWORD=$(pw_of root) fundflow --user root $args > /dev/full"
		_after_run
		expect_rc 74
		err_nonempty
	done
}

t_odd_paths() {
	mkdir -p "$T/my dir"
	FUNDFLOW_NEW_PASSWORD=x ff --db "$T/my dir/账本 2018.db" init --admin a
	expect_rc 0
	[ -f "$T/my dir/账本 2018.db" ] || fail "no database at a path with a space and CJK"
	FUNDFLOW_PASSWORD=x ff --db "$T/my dir/账本 2018.db" --user a --json releases
	expect_rc 0
	json_is array
}

t_backup() {
	ffas root backup "$T/copy.db"
	expect_rc 0
	eq "$(qdb "$T/copy.db" "PRAGMA integrity_check")" ok "integrity of the backup"
	eq "$(state_of "$T/copy.db")" "$(state_of)" "the backup's content"
	ffas root backup "$T/copy.db"
	expect_rc 1 64 74
	ffas root backup "$T/no/such/dir/copy.db"
	expect_rc 74
}

check init_creates_database t_init
check init_admin_can_log_in t_init_login
check init_twice_refused t_init_twice
check init_needs_password_and_admin t_init_needs_password
check missing_database_69 t_missing_db
check not_a_database_69 t_not_a_db
check foreign_sqlite_database_not_converted t_foreign_db
check empty_file_not_initialised_by_ingest t_empty_file
check database_file_mode_0600 t_mode_0600
check release_record_once_per_version t_release_once
check release_record_keeps_other_versions t_release_other_version
check newer_schema_refused_unchanged t_newer_schema
check bad_config_64_names_file_and_line t_bad_config
check config_errors_quote_nothing_of_the_file t_config_errors_quote_nothing
check db_path_precedence t_precedence
check global_options_anywhere t_global_options_anywhere
check usage_errors_64 t_usage
check output_write_error_74 t_output_error_74
check paths_with_spaces_and_cjk t_odd_paths
check backup_online_copy t_backup
check busy_75_changes_nothing t_busy_75
finish
