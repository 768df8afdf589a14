#!/bin/bash
# cluster.sh — a throwaway PostgreSQL 15 cluster for the tests.
#
#   tests/pg/cluster.sh start DIR      make and start a cluster in DIR
#   tests/pg/cluster.sh newdb DIR NAME  a schema-5 database NAME; prints the
#                                       libpq connection string for ff_app
#   tests/pg/cluster.sh conninfo DIR NAME ROLE   the string for another role
#   tests/pg/cluster.sh pause DIR      stop the server, keeping its data
#   tests/pg/cluster.sh resume DIR     start it again (same port)
#   tests/pg/cluster.sh stop DIR       stop the server and remove DIR
#
# Sourced, it defines ffpg_cluster, which runs this script with the same
# arguments (so a failure never exits the caller's shell).
#
# DIR (e.g. from mktemp -d /tmp/ffpg.XXXXXX; keep it short, the socket path
# must fit in 107 bytes) ends up holding:
#   data/          the cluster, 0700, owned by the server's account
#   sock/          the Unix socket directory
#   log            the server log
#   port           the TCP port on 127.0.0.1, also the socket's port number
#   superuser      the superuser role (the server account's name); it alone
#                  may connect without a password, and only on the socket
#   app.password   ff_app's password, 0600
#   owner.password ff_owner's password, 0600
#   pgpass         a libpq password file for ff_app and ff_owner, 0600
# Run as root the server runs as `postgres`; otherwise as the caller.
# Needs only Debian's postgresql-15 package, coreutils and util-linux's
# runuser or setpriv (when run as root).

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
	FFPG_CLUSTER_SH=$(readlink -f "${BASH_SOURCE[0]}")
	ffpg_cluster() { bash "$FFPG_CLUSTER_SH" "$@"; }
	return 0
fi

set -eu
umask 022

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA_SQL=${FFPG_SCHEMA_SQL:-$HERE/../../store/pg/schema.sql}
GRANTS_SQL=${FFPG_GRANTS_SQL:-$HERE/../../store/pg/grants.sql}
APP_PASSWORD=app-secret-for-tests
OWNER_PASSWORD=owner-secret-for-tests
MARK=.ffpg-cluster
START_TIMEOUT=60

die() { echo "cluster.sh: $*" >&2; exit 1; }

# The account the server runs as.
server_account() {
	if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi
}

# Runs a command as the server's account (DIR's files stay readable).
as_server() {
	if [[ $(id -u) -ne 0 ]]; then
		"$@"
	elif command -v runuser >/dev/null; then
		runuser -u postgres -- "$@"
	else
		setpriv --reuid=postgres --regid=postgres --init-groups \
			--reset-env -- "$@"
	fi
}

# A port nobody listens on now (by /proc/net/tcp{,6}); the start retries
# with another if the server still cannot bind it.
pick_port() {
	local p hex i
	for i in $(seq 1 50); do
		p=$(( 20000 + ($(od -An -N2 -tu2 /dev/urandom) % 40000) ))
		hex=$(printf ':%04X ' "$p")
		if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q "$hex"; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# psql as the superuser, on the socket, no password.
su_psql() {
	local dir=$1; shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$(cat "$dir/port")" \
		-U "$(cat "$dir/superuser")" "$@"
}

# Single quotes for an SQL literal (the passwords are fixed, but be exact).
sql_lit() { printf "'%s'" "${1//\'/\'\'}"; }

cmd_start() {
	local dir=$1 acct port tries
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -e $dir/data ]] && die "$dir/data exists: a cluster is already there"
	mkdir -p "$dir"
	# DIR is ours from here on (stop removes only a DIR with this mark).
	: >"$dir/$MARK"
	chmod 0755 "$dir"
	acct=$(server_account)
	mkdir -m 0700 "$dir/data"
	mkdir -m 0755 "$dir/sock"
	: >"$dir/log"
	if [[ $(id -u) -eq 0 ]]; then
		chown postgres:postgres "$dir/data" "$dir/sock" "$dir/log"
	fi
	echo "$acct" >"$dir/superuser"
	(umask 077
	 printf '%s\n' "$APP_PASSWORD" >"$dir/app.password"
	 printf '%s\n' "$OWNER_PASSWORD" >"$dir/owner.password"
	 printf '*:*:*:ff_app:%s\n*:*:*:ff_owner:%s\n' \
		"$APP_PASSWORD" "$OWNER_PASSWORD" >"$dir/pgpass")

	(cd "$dir" && as_server "$PGBIN/initdb" -D "$dir/data" -U "$acct" \
		-E UTF8 --locale=C -A trust --no-instructions) >"$dir/initdb.log" 2>&1 \
		|| { cat "$dir/initdb.log" >&2; die "initdb failed"; }

	# Trust only the superuser, only on the socket; passwords for the rest.
	as_server tee "$dir/data/pg_hba.conf" >/dev/null <<-EOF
		local all $acct trust
		local all all scram-sha-256
		host all all 127.0.0.1/32 scram-sha-256
	EOF

	for tries in 1 2 3 4 5; do
		port=$(pick_port)
		echo "$port" >"$dir/port"
		as_server tee "$dir/data/postgresql.auto.conf" >/dev/null <<-EOF
			listen_addresses = '127.0.0.1'
			port = $port
			unix_socket_directories = '$dir/sock'
			unix_socket_permissions = 0777
			fsync = on
			synchronous_commit = on
			shared_buffers = 64MB
			max_connections = 100
			password_encryption = 'scram-sha-256'
			logging_collector = off
			log_line_prefix = '%m [%p] %q%u@%d '
		EOF
		if (cd "$dir" && as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" \
			-w -t "$START_TIMEOUT" -s start) >>"$dir/initdb.log" 2>&1; then
			break
		fi
		if ! grep -q 'could not bind\|Address already in use' "$dir/log"; then
			tail -n 20 "$dir/log" >&2
			die "the server did not start"
		fi
		[[ $tries -eq 5 ]] && die "no port could be bound"
	done

	su_psql "$dir" -d postgres <<-EOF
		SET password_encryption = 'scram-sha-256';
		CREATE ROLE ff_owner LOGIN PASSWORD $(sql_lit "$OWNER_PASSWORD");
		CREATE ROLE ff_app LOGIN PASSWORD $(sql_lit "$APP_PASSWORD");
	EOF
}

conninfo() {
	local dir=$1 name=$2 role=$3
	printf 'host=%s port=%s dbname=%s user=%s\n' \
		"$dir/sock" "$(cat "$dir/port")" "$name" "$role"
}

cmd_newdb() {
	local dir=$1 name=$2
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -f $dir/$MARK && -f $dir/port ]] || die "$dir: no cluster started there"
	[[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name: lower case, digits, _"
	su_psql "$dir" -d postgres -c "CREATE DATABASE $name OWNER ff_owner"
	PGPASSFILE=$dir/pgpass psql -X -q -v ON_ERROR_STOP=1 -1 \
		-f "$SCHEMA_SQL" "$(conninfo "$dir" "$name" ff_owner)" >/dev/null
	sed -e 's/__OWNER__/"ff_owner"/g' -e 's/__APP__/"ff_app"/g' "$GRANTS_SQL" |
		PGPASSFILE=$dir/pgpass psql -X -q -v ON_ERROR_STOP=1 -1 \
			"$(conninfo "$dir" "$name" ff_owner)" >/dev/null
	conninfo "$dir" "$name" ff_app
}

# Whether DIR's postmaster runs (its pid is a live postgres, not a zombie).
postmaster_alive() {
	local pid stat
	[[ -f $1/data/postmaster.pid ]] || return 1
	read -r pid <"$1/data/postmaster.pid" || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != [ZX] ]] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-D $1/data"
}

cmd_stop() {
	local dir=$1
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -e $dir ]] || return 0
	[[ -f $dir/$MARK ]] || die "$dir was not made by cluster.sh start; not removing it"
	# A server killed on purpose (crash tests) leaves its pid file behind,
	# and may linger a moment as a zombie: stop only a live postmaster.
	if postmaster_alive "$dir"; then
		(cd "$dir" && as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w \
			-t "$START_TIMEOUT" -s stop) ||
		! postmaster_alive "$dir" ||
		(cd "$dir" && as_server "$PGBIN/pg_ctl" -D "$dir/data" -m immediate \
			-w -t "$START_TIMEOUT" -s stop) ||
		! postmaster_alive "$dir" || die "the server did not stop"
	fi
	rm -rf -- "$dir"
}

# The server stopped with its data kept (a restart mid-session), and
# started again on the same port.
cmd_pause() {
	local dir=$1
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -f $dir/$MARK ]] || die "$dir was not made by cluster.sh start"
	(cd "$dir" && as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w \
		-t "$START_TIMEOUT" -s stop)
}
cmd_resume() {
	local dir=$1
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -f $dir/$MARK ]] || die "$dir was not made by cluster.sh start"
	(cd "$dir" && as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" \
		-w -t "$START_TIMEOUT" -s start)
}

case ${1:-} in
pause) [[ $# -eq 2 ]] || die "usage: $0 pause DIR"; cmd_pause "$2" ;;
resume) [[ $# -eq 2 ]] || die "usage: $0 resume DIR"; cmd_resume "$2" ;;
start) [[ $# -eq 2 ]] || die "usage: $0 start DIR"; cmd_start "$2" ;;
newdb) [[ $# -eq 3 ]] || die "usage: $0 newdb DIR NAME"; cmd_newdb "$2" "$3" ;;
conninfo)
	[[ $# -eq 4 ]] || die "usage: $0 conninfo DIR NAME ROLE"
	d=$2; [[ $d == /* ]] || d=$(pwd)/$d
	conninfo "$d" "$3" "$4" ;;
stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; cmd_stop "$2" ;;
*) die "usage: $0 start|newdb|conninfo|pause|resume|stop DIR ..." ;;
esac
