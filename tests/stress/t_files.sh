#!/usr/bin/env bash
# t_files.sh — file access (issue 4, item 10).
#
# The database, its WAL and shared-memory files and the writers' queue
# file beside it are created 0600 (0660 with database.group_access =
# true), whatever the umask (000, 022, 077): checked while a fundflow
# process holds the database open inside a write transaction, so that
# every side file exists.  Backups are owner-only.  The feeder's ingest is
# refused to anyone but the owner of the database file (run as nobody).
# `make install` runs into a temporary DESTDIR (with SVCGROUP=root, so no
# group is created on this machine): the program setgid, the data folder
# 2770, the installed configuration turning group_access on — and that
# installed program with that configuration creates a 0660 database.
. "$(dirname "$0")/lib.sh"

mode() { stat -c '%a' "$1" 2>/dev/null || echo missing; }
export FUNDFLOW_NEW_PASSWORD=demo

files_case() { # NAME UMASK GROUP(0|1) WANT
	local name=$1 um=$2 group=$3 want=$4 db=$T/$1.db f bad=
	cat > "$T/$name.cfg" <<EOF
database = { busy_timeout_ms = 5000; group_access = $([ "$group" = 1 ] && echo true || echo false); };
EOF
	(
		umask "$um"
		export FUNDFLOW_CONFIG=$T/$name.cfg
		"$FUNDFLOW" --db "$db" init --admin admin > /dev/null 2>&1 || exit 3
		"$FFSTRESS" hold "$db" 4000 > "$T/$name.hold" 2>&1 &
		hp=$!
		for _ in $(seq 100); do grep -q held "$T/$name.hold" && break; sleep 0.05; done
		for f in "$db" "$db-wal" "$db-shm" "$db-queue"; do
			echo "$(basename "$f") $(mode "$f")"
		done > "$T/$name.modes"
		kill "$hp"
		wait "$hp" 2>/dev/null
		"$FUNDFLOW" --db "$db" --user admin backup "$T/$name.bak" > /dev/null 2>&1
		echo "backup $(mode "$T/$name.bak")" >> "$T/$name.modes"
	)
	while read -r f m; do
		case $f in
		backup) [ "$m" = 600 ] || bad="$bad $f=$m" ;;
		*) [ "$m" = "$want" ] || bad="$bad $f=$m" ;;
		esac
	done < "$T/$name.modes"
	WHY="want $want (backup 600):$bad"
	check "files.$name" test -z "$bad"
}
files_case owner-umask-022 022 0 600
files_case owner-umask-000 000 0 600
files_case owner-umask-077 077 0 600
files_case group-umask-022 022 1 660
files_case group-umask-000 000 1 660
files_case group-umask-077 077 1 660

# Ingest only by the owner of the file.  Everything nobody runs is copied
# into a folder of its own, so that this passes from a checkout nobody
# can enter (/root, 0700).  nobody may write the database through its
# group (the folder and file are nogroup's, not writable by others): what
# refuses it is the owner check alone, with its sentence.
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1 && command -v setpriv > /dev/null; then
	pub=$(mktemp -d /tmp/fundflow-owner.XXXXXX)
	cp "$FUNDFLOW" "$pub/fundflow"
	cp "$BASE/small.db" "$pub/o.db"
	printf '{"event_id":"o-1","branch":"ZC01","buss_type":1,"ref_id":"O-1","amount":"1.00"}\n' > "$pub/e.jsonl"
	cp "$FUNDFLOW_CONFIG" "$pub/f.cfg"
	chgrp nogroup "$pub" "$pub/o.db"
	chmod 0775 "$pub"
	chmod 0660 "$pub/o.db"
	chmod 0755 "$pub/fundflow"
	chmod 0644 "$pub/e.jsonl" "$pub/f.cfg"
	before=$(sqlite3 "$pub/o.db" "SELECT COUNT(*) FROM income")
	# The sanitizer runtime wants a writable cwd for nothing; run from /.
	(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env FUNDFLOW_CONFIG="$pub/f.cfg" "$pub/fundflow" --db "$pub/o.db" ingest "$pub/e.jsonl") > "$T/nobody.out" 2> "$T/nobody.err"
	rc=$?
	after=$(sqlite3 "$pub/o.db" "SELECT COUNT(*) FROM income")
	WHY="exit $rc ($(head -c 200 "$T/nobody.err")), incomes $before -> $after"
	check files.ingest-only-by-owner test $rc = 77 -a "$before" = "$after" -a \
		-n "$(grep -F 'only the account that owns' "$T/nobody.err")"
	# consume likewise, refused before any broker is asked (none listens
	# on port 1: a refusal that came after connecting would say 69).
	(cd / && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		env FUNDFLOW_CONFIG="$pub/f.cfg" "$pub/fundflow" --db "$pub/o.db" consume amqp://fundflow@127.0.0.1:1/x --once) > "$T/nobody.out" 2> "$T/nobody.err"
	rc=$?
	after=$(sqlite3 "$pub/o.db" "SELECT COUNT(*) FROM income")
	WHY="exit $rc ($(head -c 200 "$T/nobody.err")), incomes $before -> $after"
	check files.consume-only-by-owner test $rc = 77 -a "$before" = "$after" -a \
		-n "$(grep -F 'consume: only the account that owns' "$T/nobody.err")"
	rm -rf "$pub"
else
	note "skipped ingest-only-by-owner: needs root, the nobody user and setpriv"
fi

# make install into a temporary DESTDIR, from a sandbox copy of the
# Makefile's inputs (the recipe as it stands; no build, no new group).
if [ "$(id -u)" = 0 ]; then
	sb=$T/sandbox
	dest=$T/dest
	mkdir -p "$sb/assets" "$dest"
	cp "$STRESS_ROOT/Makefile" "$sb/"
	cp "$STRESS_ROOT/assets/fundflow.cfg" "$sb/assets/"
	# The manual pages, the completion and the catalogues it installs.
	for d in doc po; do
		[ -d "$STRESS_ROOT/$d" ] && cp -r "$STRESS_ROOT/$d" "$sb/"
	done
	cp "$FUNDFLOW" "$sb/fundflow"
	make -s -C "$sb" -o fundflow install DESTDIR="$dest" SVCGROUP=root > "$T/install.out" 2>&1
	rc=$?
	bin=$dest/usr/local/bin/fundflow
	cfg=$dest/etc/fundflow/fundflow.cfg
	bad=
	[ $rc = 0 ] || bad="$bad make-install-exit-$rc($(tail -c 200 "$T/install.out"))"
	[ "$(stat -c '%a %G' "$bin" 2>/dev/null)" = "2755 root" ] || bad="$bad bin=$(stat -c '%a %G' "$bin" 2>/dev/null)"
	[ "$(mode "$dest/var/lib/fundflow")" = 2770 ] || bad="$bad datadir=$(mode "$dest/var/lib/fundflow")"
	grep -qE '^[[:space:]]*group_access = true;' "$cfg" 2>/dev/null || bad="$bad config-without-group_access"
	grep -qE '^[[:space:]]*path = "/var/lib/fundflow/fundflow.db";' "$cfg" 2>/dev/null || bad="$bad config-without-path"
	[ "$(mode "$dest/usr/local/share/man/man1/fundflow.1")" = 644 ] || bad="$bad man1=$(mode "$dest/usr/local/share/man/man1/fundflow.1")"
	[ "$(mode "$dest/usr/local/share/bash-completion/completions/fundflow")" = 644 ] || bad="$bad completion"
	# The installed program and configuration make a group database.
	(umask 077; FUNDFLOW_CONFIG=$cfg "$bin" --db "$dest/var/lib/fundflow/x.db" init --admin admin) > /dev/null 2>&1 ||
		bad="$bad installed-init-failed"
	[ "$(mode "$dest/var/lib/fundflow/x.db")" = 660 ] || bad="$bad installed-db=$(mode "$dest/var/lib/fundflow/x.db")"
	WHY="$bad"
	check files.make-install test -z "$bad"
else
	note "skipped make-install: needs root (install -g)"
fi

# Reached the end: every check has spoken for itself above.
exit 0
