#!/bin/bash
# broker.sh — a throwaway RabbitMQ broker (AMQP 0-9-1) for the tests.
#
#   tests/mq/broker.sh start DIR     make and start a private broker in DIR
#   tests/mq/broker.sh url DIR       amqp://fundflow@127.0.0.1:PORT/%2Fff
#   tests/mq/broker.sh tls_url DIR   amqps://fundflow@127.0.0.1:TLS_PORT/%2Fff
#   tests/mq/broker.sh ctl DIR ARGS...   rabbitmqctl against this broker; a
#                                    vhost-scoped command (list_queues, ...)
#                                    without -p/--vhost gets -p /ff
#   tests/mq/broker.sh amqp DIR TOOL ARGS...   amqp-TOOL (amqp-tools: publish,
#                                    get, consume, declare-queue,
#                                    delete-queue) logged in as fundflow
#   tests/mq/broker.sh amqps DIR TOOL ARGS...  the same over TLS
#   tests/mq/broker.sh restart DIR   stop the broker, keeping its data, and
#                                    start it again on the same ports
#   tests/mq/broker.sh kill DIR      SIGKILL the broker (a crash); restart
#                                    (or stop) comes after
#   tests/mq/broker.sh pause DIR     SIGSTOP the broker (connections hang)
#   tests/mq/broker.sh resume DIR    SIGCONT it
#   tests/mq/broker.sh stop DIR      stop the broker and its epmd, remove DIR
#                                    (FFMQ_KEEP=1: keep DIR); idempotent
#
# Sourced, it defines ffmq_broker, which runs this script with the same
# arguments (so a failure never exits the caller's shell).
#
# DIR (e.g. from mktemp -d /tmp/ffmq.XXXXXX) ends up holding:
#   port, tls_port    the AMQP and AMQP-over-TLS ports, on 127.0.0.1 only
#   dist_port, epmd_port   the Erlang distribution port and the private epmd's
#   nodename          the node, ffmq-<random>@localhost
#   vhost             /ff
#   password          fundflow's password, 0600, on the first line
#   wrong_password    intruder's password, 0600: a wrong password for
#                     fundflow; intruder itself may log in but has no
#                     rights on /ff (so it is refused the vhost)
#   authfile, wrong_authfile   amqp-tools --authfile files (username:/password:
#                     lines) for fundflow and for fundflow with the wrong
#                     password, 0600
#   tls/ca.pem        the test CA; tls/server.pem, tls/server.key the
#                     broker's certificate (localhost, 127.0.0.1); no client
#                     certificate is asked for
#   beam.pid, epmd.pid   the Erlang VM's and the private epmd's process ids
#   log/rabbit.log    the broker's log; log/startup.log its stdout/stderr;
#                     log/epmd.log
#   .erlang.cookie, rabbitmq.conf, definitions.json, enabled_plugins (none),
#   rabbitmq-env.conf, advanced.config, mnesia/   the node's own files
#   rmq/              the node's RabbitMQ home: links to the package's
#                     scripts and to only the plugins it needs (make_home)
# Nothing of /etc/rabbitmq, /var/lib/rabbitmq, a system broker (5672, 25672)
# or a system epmd (4369) is used: the ports are free ones picked at start.
# Run as root, the broker runs as `rabbitmq` (the package's account) and DIR
# is given to it; otherwise as the caller.
# Needs Debian's rabbitmq-server, openssl, coreutils and util-linux's setpriv
# or runuser (as root); amqp/amqps need amqp-tools.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
	FFMQ_BROKER_SH=$(readlink -f "${BASH_SOURCE[0]}")
	ffmq_broker() { bash "$FFMQ_BROKER_SH" "$@"; }
	return 0
fi

set -eu
umask 022

RMQBIN=${RMQBIN:-/usr/lib/rabbitmq/bin}
VHOST=/ff
MARK=.ffmq-broker
START_TIMEOUT=${FFMQ_START_TIMEOUT:-90}
STOP_TIMEOUT=30

die() { echo "broker.sh: $*" >&2; exit 1; }

# The prefix that runs a command as the broker's account, the environment
# left to the command (every caller passes `env -i ...`).
if [[ $(id -u) -ne 0 ]]; then
	AS_SERVER=()
elif command -v setpriv >/dev/null; then
	AS_SERVER=(setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups --)
else
	AS_SERVER=(runuser -u rabbitmq --)
fi
as_server() { "${AS_SERVER[@]}" "$@"; }

# The whole environment of the broker and of its rabbitmqctl: nothing of the
# caller's (a stray RABBITMQ_* or ERL_* must not leak in), everything in DIR.
# The epmd is ours (started by start_epmd), so neither the VM nor the CLI
# may start one; distribution listens on 127.0.0.1 only; the CLI's own
# distribution port is an ephemeral one (0..0), not 35672-35682.
broker_env() {
	local dir=$1
	local erl_args='-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}'
	ENV=(env -i
		PATH=/usr/sbin:/usr/bin:/sbin:/bin
		HOME="$dir"
		LANG=C.UTF-8 LC_ALL=C.UTF-8
		ERL_EPMD_PORT="$(cat "$dir/epmd_port")"
		ERL_EPMD_ADDRESS=127.0.0.1
		ERL_CRASH_DUMP="$dir/log/erl_crash.dump"
		RABBITMQ_NODENAME="$(cat "$dir/nodename")"
		RABBITMQ_USE_LONGNAME=false
		RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
		RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
		RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
		RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
		RABBITMQ_PLUGINS_EXPAND_DIR="$dir/mnesia/plugins-expand"
		RABBITMQ_MNESIA_BASE="$dir/mnesia"
		RABBITMQ_LOG_BASE="$dir/log"
		RABBITMQ_LOGS="$dir/log/rabbit.log"
		RABBITMQ_PID_FILE="$dir/beam.pid"
		RABBITMQ_DIST_PORT="$(cat "$dir/dist_port")"
		RABBITMQ_CTL_DIST_PORT_MIN=0
		RABBITMQ_CTL_DIST_PORT_MAX=0
		RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$erl_args"
		RABBITMQ_CTL_ERL_ARGS="$erl_args")
	[[ ! -d $dir/rmq/sbin ]] || ENV+=(RABBITMQ_SCRIPTS_DIR="$dir/rmq/sbin")
}

# The folder of the rabbitmq-server and rabbitmqctl scripts to run: DIR's
# own home (make_home) if it has one, the package's otherwise.
sbin() { if [[ -d $1/rmq/sbin ]]; then echo "$1/rmq/sbin"; else echo "$RMQBIN"; fi; }

# DIR/rmq: a RabbitMQ home of DIR's own, links to the package's scripts and
# CLI, and a plugins folder with only the applications the broker runs
# (rabbit and what its .app files need, transitively: some 20 of 70). The
# package's own puts all 70 on the Erlang code path, and every module
# loaded (about 1000 at boot, in each rabbitmqctl run too) is looked for
# in each folder: start and rabbitmqctl take about half the CPU this way.
# FFMQ_FULL_HOME=1, or a package laid out otherwise: the package's home.
make_home() {
	local dir=$1 real app todo a d deps
	local -A app_dir=() app_deps=() need=()
	[[ ${FFMQ_FULL_HOME:-} != 1 ]] || return 0
	real=$(readlink -f "$RMQBIN/rabbitmq-server") || return 0
	real=${real%/sbin/rabbitmq-server}
	[[ -d $real/plugins && -d $real/escript && -d $real/sbin ]] || return 0
	# Each plugin's name, folder and the applications its .app needs.
	while read -r a d deps; do
		app_dir[$a]=$d
		app_deps[$a]=$deps
	done < <(awk '
		function flush(  s, m, deps, d, a) {
			if (fn == "") return
			s = buf; gsub(/[ \t\r]/, "", s); deps = ""
			while (match(s, /(included_|optional_)?applications,\[[^]]*\]/)) {
				m = substr(s, RSTART, RLENGTH)
				sub(/^[a-z_]*,\[/, "", m); sub(/\]$/, "", m); gsub(/,/, " ", m)
				deps = deps " " m
				s = substr(s, RSTART + RLENGTH)
			}
			d = fn; sub(/\/ebin\/[^\/]*$/, "", d)
			a = fn; sub(/^.*\//, "", a); sub(/\.app$/, "", a)
			print a, d, deps
		}
		FNR == 1 { flush(); fn = FILENAME; buf = "" }
		{ buf = buf $0 }
		END { flush() }' "$real"/plugins/*/ebin/*.app 2>/dev/null)
	# rabbit's closure; OTP's own applications are not in plugins/.
	todo=rabbit
	while [[ -n ${todo// /} ]]; do
		read -r app todo <<<"$todo"
		[[ -z ${need[$app]:-} && -n ${app_dir[$app]:-} ]] || continue
		need[$app]=${app_dir[$app]}
		todo="$todo ${app_deps[$app]}"
	done
	# Not the layout expected (.ez archives?): the package's home.
	[[ -n ${need[rabbit]:-} && -n ${need[rabbit_common]:-} && -n ${need[rabbitmq_prelaunch]:-} ]] ||
		return 0
	mkdir -p "$dir/rmq/sbin" "$dir/rmq/plugins"
	ln -s "$real"/sbin/* "$dir/rmq/sbin/"
	ln -s "$real/escript" "$dir/rmq/escript"
	ln -s "${need[@]}" "$dir/rmq/plugins/"
}

# Free ports: not listened on now (/proc/net/tcp{,6}), below the kernel's
# ephemeral range (so no outgoing connection holds them), not 25672 (a
# system broker's distribution port), all different.
PICKED=" "
pick_port() {
	local p hex lo i
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
	(( lo > 21000 )) || lo=61000
	for i in $(seq 1 200); do
		p=$(( 20000 + ($(od -An -N4 -tu4 /dev/urandom) % (lo - 20000)) ))
		[[ $p -ne 25672 && $PICKED != *" $p "* ]] || continue
		hex=$(printf ':%04X ' "$p")
		if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -q "$hex"; then
			PICKED="$PICKED$p "
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

# Whether PORT is listened on (state 0A) at 127.0.0.1.
listening() {
	grep -q "^ *[0-9]*: 0100007F:$(printf '%04X' "$1") 00000000:0000 0A " /proc/net/tcp
}

# Whether process PID is alive (not a zombie) and its environment or command
# line holds WHAT (so a recycled pid is never taken for ours).
proc_is() {
	local pid=$1 what=$2
	[[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
	{ tr '\0' '\n' <"/proc/$pid/environ"; tr '\0' '\n' <"/proc/$pid/cmdline"; } \
		2>/dev/null | grep -qxF -- "$what"
}
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != [ZX] ]]
}
pid_of() { local p=; [[ -f $1 ]] && read -r p <"$1"; echo "${p:-0}"; }
beam_alive() { proc_is "$(pid_of "$1/beam.pid")" "RABBITMQ_MNESIA_BASE=$1/mnesia"; }
epmd_alive() { proc_is "$(pid_of "$1/epmd.pid")" "$(cat "$1/epmd_port" 2>/dev/null)"; }
launcher_alive() { proc_is "$(pid_of "$1/launcher.pid")" "RABBITMQ_MNESIA_BASE=$1/mnesia"; }

# Waits until COMMAND succeeds or SECONDS pass.
wait_for() {
	local secs=$1 end; shift
	end=$(( $(date +%s) + secs ))
	until "$@"; do
		(( $(date +%s) < end )) || return 1
		sleep 0.1
	done
}

log_tail() {
	local dir=$1 f
	for f in "$dir/log/startup.log" "$dir/log/rabbit.log" "$dir/log/epmd.log"; do
		[[ -s $f ]] || continue
		echo "--- tail of $f" >&2
		tail -n 25 "$f" >&2
	done
}

# A random string of N hex digits.
rand_hex() { od -An -N"$(( ($1 + 1) / 2 ))" -tx1 /dev/urandom | tr -d ' \n' | cut -c1-"$1"; }

# rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password)).
password_hash() {
	local pw=$1 salt digest
	salt=$(mktemp); digest=$(mktemp)
	head -c 4 /dev/urandom >"$salt"
	{ cat "$salt"; printf '%s' "$pw"; } | openssl dgst -sha256 -binary >"$digest"
	cat "$salt" "$digest" | base64 -w0
	rm -f "$salt" "$digest"
}

# A CA and a certificate for localhost / 127.0.0.1 (also as a DNS name, for
# clients such as librabbitmq 0.11 that match only DNS names), EC P-256.
make_tls() {
	local t=$1/tls
	mkdir -m 0755 "$t"
	openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-keyout "$t/ca.key" -out "$t/ca.pem" -days 30 -subj "/CN=fundflow test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>>"$t/openssl.log"
	openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=localhost" \
		2>>"$t/openssl.log"
	printf '%s\n' "basicConstraints=CA:FALSE" \
		"keyUsage=critical,digitalSignature,keyEncipherment" \
		"extendedKeyUsage=serverAuth" \
		"subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:127.0.0.1" >"$t/server.ext"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
		-set_serial "0x$(rand_hex 16)" -days 30 -extfile "$t/server.ext" \
		-out "$t/server.pem" 2>>"$t/openssl.log"
	chmod 0600 "$t/ca.key" "$t/server.key"
	rm -f "$t/server.csr"
}

write_config() {
	local dir=$1
	cat >"$dir/rabbitmq.conf" <<-EOF
		listeners.tcp.default = 127.0.0.1:$(cat "$dir/port")
		listeners.ssl.default = 127.0.0.1:$(cat "$dir/tls_port")
		ssl_options.cacertfile = $dir/tls/ca.pem
		ssl_options.certfile = $dir/tls/server.pem
		ssl_options.keyfile = $dir/tls/server.key
		ssl_options.verify = verify_none
		ssl_options.fail_if_no_peer_cert = false
		load_definitions = $dir/definitions.json
		log.file.level = info
		log.console = false
		disk_free_limit.absolute = 10MB
		collect_statistics_interval = 1000
	EOF
}

# Starts DIR's epmd (foreground, in its own process group) and waits for it.
start_epmd() {
	local dir=$1 port
	port=$(cat "$dir/epmd_port")
	broker_env "$dir"
	(cd "$dir" && exec setsid "${AS_SERVER[@]}" "${ENV[@]}" epmd -port "$port" \
		-address 127.0.0.1) </dev/null >>"$dir/log/epmd.log" 2>&1 &
	echo $! >"$dir/epmd.pid"
	wait_for 30 eval 'epmd_alive "$dir" && listening "$port"'
}

# Whether the broker is up: its log says so, it is registered with its epmd
# on its distribution port (what rabbitmqctl needs), and both listeners
# answer, the plain one with an AMQP Connection.Start frame. (Cheaper than
# a `rabbitmqctl await_startup`, another Erlang VM, which takes seconds of
# CPU on a loaded machine.)
broker_ready() {
	local dir=$1 port node
	port=$(cat "$dir/port")
	node=$(cat "$dir/nodename")
	grep -q 'Server startup complete' "$dir/log/rabbit.log" 2>/dev/null || return 1
	epmd -port "$(cat "$dir/epmd_port")" -names 2>/dev/null |
		grep -qx "name ${node%@*} at port $(cat "$dir/dist_port")" || return 1
	listening "$port" && listening "$(cat "$dir/tls_port")" || return 1
	[[ $(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" &&
		printf "AMQP\0\0\11\1" >&3 && head -c 1 <&3 | od -An -tx1' _ "$port" \
		2>/dev/null) == " 01" ]]
}

# Whether the last launch failed because a port was taken.
port_clash() {
	grep -qi 'eaddrinuse\|already in use\|address in use\|cannot bind\|failed to bind' \
		"$1/log/startup.log" "$1/log/rabbit.log" "$1/log/epmd.log" 2>/dev/null
}

# Launches the broker on DIR's ports and waits until it serves AMQP; on failure sets LAUNCH_ERROR and returns 1,
# leaving what runs to the caller.
LAUNCH_ERROR=
launch() {
	local dir=$1 end launcher
	if beam_alive "$dir"; then
		LAUNCH_ERROR="$dir: the broker runs already"
		return 1
	fi
	if ! epmd_alive "$dir" && ! start_epmd "$dir"; then
		LAUNCH_ERROR="epmd did not listen on 127.0.0.1:$(cat "$dir/epmd_port")"
		return 1
	fi
	rm -f "$dir/beam.pid"
	[[ ! -s $dir/log/rabbit.log ]] || cat "$dir/log/rabbit.log" >>"$dir/log/rabbit.log.old"
	: >"$dir/log/startup.log"
	: >"$dir/log/rabbit.log"
	[[ $(id -u) -ne 0 ]] || chown rabbitmq:rabbitmq "$dir/log/startup.log" "$dir/log/rabbit.log"
	broker_env "$dir"
	(cd "$dir" && exec setsid "${AS_SERVER[@]}" "${ENV[@]}" "$(sbin "$dir")/rabbitmq-server") \
		</dev/null >>"$dir/log/startup.log" 2>&1 &
	launcher=$!
	echo "$launcher" >"$dir/launcher.pid"
	end=$(( $(date +%s) + START_TIMEOUT ))
	until broker_ready "$dir"; do
		# Our own child (its pid not reused before we wait for it), maybe
		# not yet exec'd into the environment launcher_alive looks for.
		if ! alive "$launcher" && ! beam_alive "$dir"; then
			LAUNCH_ERROR="the broker exited while starting"
			return 1
		fi
		if (( $(date +%s) >= end )); then
			LAUNCH_ERROR="the broker did not start within ${START_TIMEOUT}s"
			return 1
		fi
		sleep 0.2
	done
}

# A failed launch: the logs, nothing left running, DIR kept for a look.
launch_failed() {
	local dir=$1
	log_tail "$dir"
	stop_processes "$dir" || true
	die "$LAUNCH_ERROR (logs in $dir/log)"
}

cmd_start() {
	local dir=$1 tries pw wpw
	[[ $dir == /* ]] || dir=$(pwd)/$dir
	[[ -x $RMQBIN/rabbitmq-server ]] ||
		die "$RMQBIN/rabbitmq-server missing: apt-get install rabbitmq-server"
	command -v openssl >/dev/null || die "openssl missing: apt-get install openssl"
	command -v epmd >/dev/null || die "epmd missing: apt-get install erlang-base"
	[[ -e $dir/$MARK ]] && die "$dir: a broker was started there already (restart?)"
	mkdir -p "$dir"
	[[ -z $(ls -A "$dir") ]] || die "$dir is not empty"
	# DIR is ours from here on (stop removes only a DIR with this mark).
	: >"$dir/$MARK"
	chmod 0755 "$dir"
	if [[ $(id -u) -eq 0 ]]; then
		id rabbitmq >/dev/null 2>&1 || die "no account rabbitmq (apt-get install rabbitmq-server)"
		chown rabbitmq:rabbitmq "$dir"
		as_server test -w "$dir" ||
			die "$dir: rabbitmq cannot write there (a parent folder closed to it?)"
	fi
	mkdir -m 0755 "$dir/log" "$dir/mnesia"
	echo "ffmq-$(rand_hex 8)@localhost" >"$dir/nodename"
	echo "$VHOST" >"$dir/vhost"
	(umask 077
	 rand_hex 20 | tr 'a-f0-9' 'A-P' >"$dir/.erlang.cookie"
	 pw=$(rand_hex 32); wpw=$(rand_hex 32)
	 printf '%s\n' "$pw" >"$dir/password"
	 printf '%s\n' "$wpw" >"$dir/wrong_password"
	 printf 'username:fundflow\npassword:%s\n' "$pw" >"$dir/authfile"
	 printf 'username:fundflow\npassword:%s\n' "$wpw" >"$dir/wrong_authfile"
	 cat >"$dir/definitions.json" <<-EOF
		{
		  "users": [
		    {"name": "fundflow", "password_hash": "$(password_hash "$pw")",
		     "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []},
		    {"name": "intruder", "password_hash": "$(password_hash "$wpw")",
		     "hashing_algorithm": "rabbit_password_hashing_sha256", "tags": []}
		  ],
		  "vhosts": [{"name": "$VHOST"}],
		  "permissions": [
		    {"user": "fundflow", "vhost": "$VHOST",
		     "configure": ".*", "write": ".*", "read": ".*"}
		  ]
		}
	EOF
	)
	chmod 0400 "$dir/.erlang.cookie"
	echo '[].' >"$dir/enabled_plugins"
	echo '[].' >"$dir/advanced.config"
	echo '# broker.sh: everything is in the environment' >"$dir/rabbitmq-env.conf"
	make_tls "$dir"
	make_home "$dir"
	if [[ $(id -u) -eq 0 ]]; then
		chown rabbitmq:rabbitmq "$dir/log" "$dir/mnesia" "$dir/.erlang.cookie" \
			"$dir/definitions.json" "$dir/tls/server.key"
	fi

	for tries in 1 2 3 4 5; do
		PICKED=" "
		pick_port >"$dir/port"
		pick_port >"$dir/tls_port"
		pick_port >"$dir/dist_port"
		pick_port >"$dir/epmd_port"
		write_config "$dir"
		launch "$dir" && return 0
		if ! port_clash "$dir" || [[ $tries -eq 5 ]]; then
			launch_failed "$dir"
		fi
		stop_processes "$dir"
		cat "$dir/log/epmd.log" "$dir/log/startup.log" >>"$dir/log/clash.log" 2>/dev/null || true
		: >"$dir/log/epmd.log"
	done
}

# The live processes started for DIR: all have DIR's environment (the
# launcher, the VM and its port programs, epmd, a running rabbitmqctl). A
# zombie's environment reads empty, so it is not counted.
our_pids() {
	grep -lzxF -- "RABBITMQ_MNESIA_BASE=$1/mnesia" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
	return 0
}
none_left() { [[ -z $(our_pids "$1") ]]; }

# Stops the broker (SIGTERM: a clean shutdown; SIGKILL after STOP_TIMEOUT),
# then its epmd and anything else of DIR's; the data stays.
stop_processes() {
	local dir=$1 pid sig
	pid=$(pid_of "$dir/beam.pid")
	if beam_alive "$dir"; then
		kill -CONT "$pid" 2>/dev/null || true
		kill -TERM "$pid" 2>/dev/null || true
		if ! wait_for "$STOP_TIMEOUT" eval '! beam_alive "$dir"'; then
			echo "broker.sh: the broker (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; SIGKILL" >&2
			kill -KILL "$pid" 2>/dev/null || true
			wait_for 10 eval '! beam_alive "$dir"' || die "the broker (pid $pid) did not die"
		fi
	fi
	# The launching shell (its own process group) ends with the VM; one
	# whose VM never wrote its pid file is killed through it.
	pid=$(pid_of "$dir/launcher.pid")
	for sig in TERM KILL; do
		launcher_alive "$dir" || break
		kill -"$sig" -- "-$pid" 2>/dev/null || kill -"$sig" "$pid" 2>/dev/null || true
		wait_for 10 eval '! launcher_alive "$dir"' || true
	done
	pid=$(pid_of "$dir/epmd.pid")
	for sig in TERM KILL; do
		epmd_alive "$dir" || break
		kill -"$sig" "$pid" 2>/dev/null || true
		wait_for 10 eval '! epmd_alive "$dir"' || true
	done
	# The VM's port programs leave with it; make sure of it.
	if ! wait_for 5 none_left "$dir"; then
		# shellcheck disable=SC2046
		kill -KILL $(our_pids "$dir") 2>/dev/null || true
		wait_for 10 none_left "$dir" ||
			die "processes of $dir do not die: $(our_pids "$dir" | tr '\n' ' ')"
	fi
}

absdir() {
	local d=$1
	[[ $d == /* ]] || d=$(pwd)/$d
	echo "$d"
}
need_broker() {
	[[ -f $1/$MARK && -f $1/port ]] || die "$1: no broker started there"
}

cmd_stop() {
	local dir=$1
	[[ -e $dir ]] || return 0
	[[ -f $dir/$MARK ]] || die "$dir was not made by broker.sh start; not touching it"
	[[ -f $dir/epmd_port ]] && stop_processes "$dir"
	[[ ${FFMQ_KEEP:-} == 1 ]] || rm -rf -- "$dir"
}

cmd_restart() {
	local dir=$1
	need_broker "$dir"
	stop_processes "$dir"
	launch "$dir" || launch_failed "$dir"
}

cmd_signal() {
	local dir=$1 sig=$2 pid
	need_broker "$dir"
	pid=$(pid_of "$dir/beam.pid")
	beam_alive "$dir" || die "$dir: the broker does not run"
	kill -"$sig" "$pid"
	if [[ $sig == KILL ]]; then
		wait_for 10 eval '! beam_alive "$dir"' || die "the broker (pid $pid) did not die"
	fi
}

# rabbitmqctl as the broker's account with its environment. A vhost-scoped
# command without -p/--vhost is given -p /ff.
VHOST_COMMANDS=" list_queues list_exchanges list_bindings list_consumers
 list_permissions list_policies set_policy clear_policy purge_queue
 delete_queue list_parameters list_operator_policies "
ctl() {
	local dir=$1 a cmd='' has_vhost=0 i=0 n=0
	shift
	for a in "$@"; do
		case $a in
		-p|--vhost|--vhost=*|-p?*) has_vhost=1 ;;
		-*) ;;
		*) [[ -n $cmd ]] || { cmd=$a; n=$i; } ;;
		esac
		i=$((i + 1))
	done
	# Without our epmd, rabbitmqctl would start one (on DIR's port; -start_epmd
	# false notwithstanding) that outlives it.
	epmd_alive "$dir" || die "$dir: the broker is stopped (restart it first)"
	broker_env "$dir"
	if [[ -n $cmd && $has_vhost -eq 0 && $VHOST_COMMANDS == *" $cmd "* ]]; then
		set -- "${@:1:n+1}" -p "$VHOST" "${@:n+2}"
	fi
	(cd "$dir" && as_server "${ENV[@]}" "$(sbin "$dir")/rabbitmqctl" "$@")
}

# amqp-TOOL as fundflow in DIR's vhost. Plain: the password from
# DIR/authfile, never on the command line. TLS: Debian's amqp-tools 0.11
# refuse --ssl without an amqps:// URL ("the --ssl option specifies an SSL
# connection but the --url option does not"), so the password goes in the
# URL there; the broker is verified against DIR/tls/ca.pem.
amqp_tool() {
	local dir=$1 tls=$2 tool=$3
	shift 3
	command -v "amqp-$tool" >/dev/null || die "amqp-$tool missing: apt-get install amqp-tools"
	if [[ $tls == 1 ]]; then
		"amqp-$tool" --url "amqps://fundflow:$(head -n 1 "$dir/password")@127.0.0.1:$(cat "$dir/tls_port")/%2Fff" \
			--ssl --cacert "$dir/tls/ca.pem" "$@"
	else
		"amqp-$tool" --server 127.0.0.1 --port "$(cat "$dir/port")" \
			--vhost "$VHOST" --authfile "$dir/authfile" "$@"
	fi
}

case ${1:-} in
start) [[ $# -eq 2 ]] || die "usage: $0 start DIR"; cmd_start "$2" ;;
stop) [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; cmd_stop "$(absdir "$2")" ;;
restart) [[ $# -eq 2 ]] || die "usage: $0 restart DIR"; cmd_restart "$(absdir "$2")" ;;
kill) [[ $# -eq 2 ]] || die "usage: $0 kill DIR"; cmd_signal "$(absdir "$2")" KILL ;;
pause) [[ $# -eq 2 ]] || die "usage: $0 pause DIR"; cmd_signal "$(absdir "$2")" STOP ;;
resume) [[ $# -eq 2 ]] || die "usage: $0 resume DIR"; cmd_signal "$(absdir "$2")" CONT ;;
url|tls_url)
	[[ $# -eq 2 ]] || die "usage: $0 $1 DIR"
	d=$(absdir "$2"); need_broker "$d"
	if [[ $1 == url ]]; then
		printf 'amqp://fundflow@127.0.0.1:%s/%%2Fff\n' "$(cat "$d/port")"
	else
		printf 'amqps://fundflow@127.0.0.1:%s/%%2Fff\n' "$(cat "$d/tls_port")"
	fi ;;
ctl)
	[[ $# -ge 3 ]] || die "usage: $0 ctl DIR ARGS..."
	d=$(absdir "$2"); need_broker "$d"; shift 2
	ctl "$d" "$@" ;;
amqp|amqps)
	[[ $# -ge 3 ]] || die "usage: $0 $1 DIR TOOL ARGS..."
	t=0; [[ $1 == amqps ]] && t=1
	d=$(absdir "$2"); need_broker "$d"; tool=$3; shift 3
	amqp_tool "$d" "$t" "$tool" "$@" ;;
*) die "usage: $0 start|url|tls_url|ctl|amqp|amqps|restart|kill|pause|resume|stop DIR ..." ;;
esac
