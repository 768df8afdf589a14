#!/usr/bin/env bash
# test_consume.sh — "fundflow consume" against a real RabbitMQ of its own
# (tests/mq/broker.sh: Debian's rabbitmq-server on loopback, its own node,
# ports and data folder, stopped and removed at the end): 20,000 events
# with exact redeliveries, same-key conflicts, malformed bodies and bodies
# of several lines, the consumer SIGKILLed several times and the broker
# restarted under it; balances against a reference computed here; the
# dead-letter queue holding exactly the refused messages; SIGTERM
# settling the group in hand; the refusals (password in the URL, a
# password file others may read, wrong credentials, a vhost refused, an
# unreachable broker, a missing queue, a deleted queue) and TLS.
. "$(dirname "$0")/lib.sh"

ADMIN=root
export FUNDFLOW_DB=$DB
BROKER_SH=$E2E_ROOT/tests/mq/broker.sh
: "${MQTOOL:=$E2E_ROOT/build/asan/mqtool}"
MQ=$(mktemp -d /tmp/ffmq.XXXXXX)
CONSUMER=0
PGD=
trap '[ "$CONSUMER" != 0 ] && kill -9 "$CONSUMER" 2>/dev/null; bash "$BROKER_SH" stop "$MQ" >/dev/null 2>&1; [ -n "$PGD" ] && bash "$E2E_ROOT/tests/pg/cluster.sh" stop "$PGD" >/dev/null 2>&1' EXIT
if ! bash "$BROKER_SH" start "$MQ" > "$T/broker.log" 2>&1; then
	echo "not ok broker: the test broker did not start: $(tail -n 3 "$T/broker.log" | tr '\n' ' ')"
	finish
	exit 0
fi
URL=$(bash "$BROKER_SH" url "$MQ")
TLS_URL=$(bash "$BROKER_SH" tls_url "$MQ")
# The feeder's password file, as the feeder (this test) owns it.
cp "$MQ/password" "$T/mq.password"
chmod 0600 "$T/mq.password"
cp "$MQ/wrong_password" "$T/wrong.password"
chmod 0600 "$T/wrong.password"
BASE_CFG=$(cat "$FUNDFLOW_CONFIG")

# feeder_cfg URL QUEUE PASSWORD_FILE [MORE]: the feeder group in the config.
feeder_cfg() {
	printf '%s\nfeeder = { url = "%s"; queue = "%s"; password_file = "%s"; prefetch = 500; heartbeat_s = %s; %s };\n' \
	    "$BASE_CFG" "$1" "$2" "$3" "${HEARTBEAT:-10}" "${4:-}" > "$FUNDFLOW_CONFIG"
}
mq() { "$MQTOOL" "$1" "$URL" "$2" "$T/mq.password" "${@:3}"; }
# depth QUEUE: its ready messages (a passive declare).
depth() { mq count "$1" 2>/dev/null | cut -d' ' -f1; }
ctl() { bash "$BROKER_SH" ctl "$MQ" "$@" 2>/dev/null; }
# wait_until SECONDS CMD...: polls CMD until it succeeds.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}
incomes() { q "SELECT count(*) FROM income"; }
balances() {
	q "SELECT code || ' ' || balance FROM account JOIN branch ON branch.id = account.branch_id ORDER BY code"
}

# The events, and what they must come to, computed here without fundflow:
# batch1.txt one message per line (0x1f joins the events of one body);
# dead.txt the bodies that must end in the dead letters; ref.txt each
# branch's balance in fen; batch2.txt conflicts and duplicates of batch 1,
# conflicts.txt the (type|ref|amount) each conflict keeps.
make_events() {
	awk -v seed=20261207 -v n=20000 -v t="$T" '
	function amt(c) { return sprintf("%d.%02d", int(c / 100), c % 100) }
	function newev(   b, ty, c, e) {
		k++
		b = br[int(rand() * 3)]
		ty = rand() < 0.8 ? 1 : 8
		c = 1 + int(rand() * 99999)
		bal[b] += c; nvalid++
		ref[k] = "R" k; typ[k] = ty; cents[k] = c; brk[k] = b
		e = sprintf("{\"event_id\":\"e%d\",\"branch\":\"%s\",\"buss_type\":%d,\"ref_id\":\"R%d\",\"amount\":\"%s\",\"occurred_at\":\"2026-12-07T08:00:00+08:00\"}", k, b, ty, k, amt(c))
		return e
	}
	BEGIN {
		srand(seed); br[0] = "LDN1"; br[1] = "QD02"; br[2] = "ZC01"
		for (i = 1; i <= n; i++) {
			r = rand()
			if (r < 0.006) {
				m = sprintf("{\"event_id\":\"bad-%d\",\"branch\":\"ZC01\",\"buss_type\":1,", i)
				print m > (t "/dead.txt")
			} else if (r < 0.01) {
				m = sprintf("not json %d", i)
				print m > (t "/dead.txt")
			} else if (r < 0.013) {
				m = sprintf("{\"event_id\":\"nob-%d\",\"branch\":\"NOPE\",\"buss_type\":1,\"ref_id\":\"N%d\",\"amount\":\"1.00\"}", i, i)
				print m > (t "/dead.txt")
			} else if (r < 0.113 && nm > 0) {
				m = msg[1 + int(rand() * nm)]	# an exact redelivery
			} else if (r < 0.16) {
				m = newev()
				for (j = int(rand() * 3); j >= 0; j--)
					m = m "\037" newev()
				msg[++nm] = m
			} else {
				m = newev()
				msg[++nm] = m
				single[++ns] = m
			}
			print m > (t "/batch1.txt")
		}
		for (b in bal) print b, bal[b] > (t "/ref.txt")
		print nvalid > (t "/nvalid.txt")
		# Batch 2: 150 conflicts (a known key, another amount) and 50
		# exact duplicates of one-event messages.
		for (i = 1; i <= 200; i++) {
			if (i <= 150) {
				x = 1 + int(i * k / 151)	# distinct keys
				m = sprintf("{\"event_id\":\"c%d\",\"branch\":\"%s\",\"buss_type\":%d,\"ref_id\":\"%s\",\"amount\":\"%s\"}", i, brk[x], typ[x], ref[x], amt(cents[x] + 100))
				print typ[x] "|" ref[x] "|" (cents[x] + 100) > (t "/conflicts.txt")
			} else
				m = single[1 + int(rand() * ns)]
			print m > (t "/batch2.txt")
		}
	}'
}

t_setup() {
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff init --admin root
	expect_rc 0
	for b in ZC01 QD02 LDN1; do
		ffas root branch add "$b" "Branch $b"
		expect_rc 0
	done
	add_user aud auditor
	make_events
	eq "$(wc -l < "$T/batch1.txt")" 20000 "messages in batch 1"
	ge "$(wc -l < "$T/dead.txt")" 150 "malformed and refused messages"
	eq "$(wc -l < "$T/batch2.txt")" 200 "messages in batch 2"
	eq "$(sort -u "$T/conflicts.txt" | wc -l)" 150 "distinct conflicts"
}

t_password_in_url() {
	local before
	before=$(state_of)
	ff consume "amqp://fundflow:secret@127.0.0.1:1/%2Fff" --once
	expect_rc 64
	err_has "the URL holds a password"
	err_lacks "secret"
	printf '%s\nfeeder = { url = "amqp://fundflow:secret@127.0.0.1/x"; };\n' "$BASE_CFG" > "$FUNDFLOW_CONFIG"
	ff consume --once
	expect_rc 64
	err_has "feeder.url holds a password"
	err_lacks "secret"
	printf '%s\n' "$BASE_CFG" > "$FUNDFLOW_CONFIG"
	ff consume --once
	expect_rc 64
	err_has "no broker: give its URL"
	ff consume "$URL" --prefetch 0 --once
	expect_rc 64
	ff consume "$URL" --prefetch 70000 --once
	expect_rc 64
	err_has "more than the broker allows (65535)"
	eq "$(state_of)" "$before" "the database after the refusals"
}

t_password_file_mode() {
	cp "$T/mq.password" "$T/open.password"
	chmod 0644 "$T/open.password"
	feeder_cfg "$URL" incomes "$T/open.password"
	ff consume --once --declare
	expect_rc 77
	err_has "refused as the broker's password file: others may read it"
	ln -sf "$T/mq.password" "$T/link.password"
	feeder_cfg "$URL" incomes "$T/link.password"
	ff consume --once --declare
	expect_rc 74
	err_has "cannot read the broker's password (feeder.password_file)"
}

t_wrong_credentials() {
	local start=$SECONDS
	feeder_cfg "$URL" incomes "$T/wrong.password"
	ff consume --once --declare
	expect_rc 77
	err_has "the broker refused"
	err_has "fundflow"
	# intruder may log in, but not use the vhost /ff.
	feeder_cfg "${URL/fundflow@/intruder@}" incomes "$T/wrong.password"
	ff consume --once --declare
	expect_rc 77
	err_has "the broker refused intruder"
	# Refused at once: credentials are not retried.
	[ $((SECONDS - start)) -lt 20 ] || fail "refusals took $((SECONDS - start)) s"
}

t_unreachable() {
	local port start
	# A port nothing listens on (a connection to it is refused).
	for port in $(seq 47001 47100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
	done
	feeder_cfg "amqp://fundflow@127.0.0.1:$port/%2Fff" incomes "$T/mq.password"
	start=$SECONDS
	ff consume --once
	expect_rc 69
	err_has "cannot reach the broker"
	err_has "gave up after 5 tries"
	err_has "trying again in"
	[ $((SECONDS - start)) -lt 30 ] || fail "gave up only after $((SECONDS - start)) s"
}

t_missing_queue() {
	feeder_cfg "$URL" nosuch "$T/mq.password"
	ff consume --once
	expect_rc 66
	err_has "there is no queue nosuch"
	err_has "--declare"
	ff consume --once --declare
	expect_rc 0
	eq "$(tr '\n' ' ' < "$OUT")" "applied 0, duplicate 0, conflict 0, rejected 0 " "summary of an empty queue"
	ctl list_queues name durable arguments > "$T/queues.txt"
	grep -qE '^nosuch[[:space:]]+true[[:space:]]+\[\{"x-dead-letter-exchange","nosuch.dead"\}\]' "$T/queues.txt" ||
	    fail "nosuch not declared durable with its dead-letter exchange: $(cat "$T/queues.txt")"
	grep -qE '^nosuch\.dead[[:space:]]+true' "$T/queues.txt" || fail "no durable nosuch.dead"
}

# The big run: batch 1 consumed by a long-running consumer that is killed
# four times and whose broker restarts once; then batch 2 with --once.
start_consumer() {
	"$FUNDFLOW" consume --declare >> "$T/consumer.out" 2>> "$T/consumer.err" &
	CONSUMER=$!
}
grown_to() { [ "$(incomes)" -ge "$1" ]; }
t_kills_and_restart() {
	local nvalid at rc
	nvalid=$(cat "$T/nvalid.txt")
	feeder_cfg "$URL" incomes "$T/mq.password"
	: > "$T/consumer.out"
	: > "$T/consumer.err"
	ff consume --once --declare
	expect_rc 0
	mq publish incomes < "$T/batch1.txt" 2> "$T/publish.err" ||
	    fail "publishing batch 1: $(cat "$T/publish.err")"
	start_consumer
	for at in 1500 4000 7000 10000; do
		wait_until 120 grown_to "$at" || fail "the consumer did not reach $at incomes: $(tail -n 3 "$T/consumer.err")"
		kill -9 "$CONSUMER"
		wait "$CONSUMER" 2>/dev/null
		start_consumer
	done
	wait_until 120 grown_to 13000 || fail "the consumer did not reach 13000 incomes"
	bash "$BROKER_SH" restart "$MQ" > "$T/restart.log" 2>&1 || fail "broker restart: $(tail -n 3 "$T/restart.log")"
	# Everything in, nothing left on the queue, nothing unacknowledged.
	wait_until 180 grown_to "$nvalid" || fail "only $(incomes) of $nvalid incomes: $(tail -n 5 "$T/consumer.err")"
	settled() { [ "$(ctl list_queues name messages messages_unacknowledged | awk '$1 == "incomes" { print $2 + $3 }')" = 0 ]; }
	wait_until 120 settled || fail "the queue still holds messages: $(ctl list_queues name messages messages_unacknowledged)"
	kill -TERM "$CONSUMER"
	wait "$CONSUMER"
	rc=$?
	CONSUMER=0
	eq "$rc" 0 "the consumer's exit after SIGTERM"
	grep -q "lost the broker at amqp://fundflow@127.0.0.1" "$T/consumer.err" || fail "no word of the broker going away"
	grep -q "connected to amqp://fundflow@127.0.0.1:.* again; consuming incomes" "$T/consumer.err" || fail "no word of reconnecting"
	eq "$(incomes)" "$nvalid" "incomes (each key once)"
	eq "$(q "SELECT count(*) FROM ledger WHERE kind = 'income'")" "$nvalid" "income ledger entries"
	eq "$(balances)" "$(sort "$T/ref.txt")" "balances against the reference"
	eq "$(chain_breaks)" 0 "chain breaks"
	mq drain incomes.dead 2>/dev/null | sort > "$T/dead.got"
	sort "$T/dead.txt" > "$T/dead.want"
	cmp -s "$T/dead.got" "$T/dead.want" || fail "the dead letters differ from the refused messages: $(diff "$T/dead.want" "$T/dead.got" | head -n 5)"
	eq "$(depth incomes)" 0 "messages left on the queue"
}

t_batch2_once() {
	local before
	before=$(balances)
	mq publish incomes < "$T/batch2.txt" 2> "$T/publish.err" ||
	    fail "publishing batch 2: $(cat "$T/publish.err")"
	ff --json consume --once
	expect_rc 0
	eq "$(jx '$.applied') $(jx '$.duplicate') $(jx '$.conflict') $(jx '$.rejected')" "0 50 150 0" "batch 2's counts"
	eq "$(balances)" "$before" "balances after conflicts and duplicates"
	eq "$(q "SELECT DISTINCT buss_type || '|' || ref_id || '|' || amount FROM income_conflict ORDER BY 1")" \
	    "$(sort -u "$T/conflicts.txt")" "the conflicts kept"
	eq "$(depth incomes)" 0 "messages left on the queue"
	eq "$(depth incomes.dead)" 0 "nothing more in the dead letters"
	ffas aud audit
	expect_rc 0
}

# SIGTERM with thousands still queued: the group in hand is committed and
# acknowledged, the rest stays on the queue, nothing is in both.
t_sigterm_settles() {
	local before rc applied
	feeder_cfg "$URL" term "$T/mq.password"
	ff consume --once --declare --prefetch 20
	expect_rc 0
	awk '{ printf "{\"event_id\":\"t%d\",\"branch\":\"ZC01\",\"buss_type\":16,\"ref_id\":\"T%d\",\"amount\":\"0.01\"}\n", NR, NR }' \
	    < <(seq 1 6000) > "$T/term.txt"
	mq publish term < "$T/term.txt" 2>/dev/null || fail "publishing"
	before=$(incomes)
	"$FUNDFLOW" --json consume --prefetch 20 > "$T/term.out" 2> "$T/term.err" &
	CONSUMER=$!
	wait_until 60 grown_to $((before + 500)) || fail "the consumer did not start: $(cat "$T/term.err")"
	kill -TERM "$CONSUMER"
	wait "$CONSUMER"
	rc=$?
	CONSUMER=0
	eq "$rc" 0 "exit after SIGTERM"
	applied=$(jq -r .applied "$T/term.out")
	eq "$((before + applied))" "$(incomes)" "applied as the summary says"
	[ "$applied" -lt 6000 ] || fail "SIGTERM came after the queue was drained"
	settled_term() { [ "$(ctl list_queues name messages_unacknowledged | awk '$1 == "term" { print $2 }')" = 0 ]; }
	wait_until 60 settled_term || fail "unacknowledged messages left"
	eq "$(( $(incomes) - before + $(depth term) ))" 6000 "committed + still queued"
}

# The queue deleted under a running consumer: the broker cancels it; on
# reconnecting the queue is gone: exit 66.
t_queue_deleted() {
	local rc
	feeder_cfg "$URL" doomed "$T/mq.password"
	ff consume --once --declare
	expect_rc 0
	"$FUNDFLOW" consume > "$T/doomed.out" 2> "$T/doomed.err" &
	CONSUMER=$!
	consuming() { [ "$(mq count doomed 2>/dev/null | cut -d' ' -f2)" = 1 ]; }
	wait_until 60 consuming || fail "the consumer never subscribed"
	ctl delete_queue doomed > /dev/null
	wait "$CONSUMER"
	rc=$?
	CONSUMER=0
	eq "$rc" 66 "exit once the queue is gone"
	grep -q "cancelled the consumer" "$T/doomed.err" || fail "no word of the cancel: $(cat "$T/doomed.err")"
	grep -q "there is no queue doomed" "$T/doomed.err" || fail "no word of the missing queue: $(cat "$T/doomed.err")"
}

# A broker that stops answering (SIGSTOP: the connection stays open): the
# missed heartbeats end it, the consumer says so and comes back by itself
# once the broker does.
t_heartbeat() {
	local before rc
	HEARTBEAT=1 feeder_cfg "$URL" hb "$T/mq.password"
	ff consume --once --declare
	expect_rc 0
	: > "$T/hb.err"
	"$FUNDFLOW" consume > "$T/hb.out" 2> "$T/hb.err" &
	CONSUMER=$!
	consuming_hb() { [ "$(mq count hb 2>/dev/null | cut -d' ' -f2)" = 1 ]; }
	wait_until 60 consuming_hb || fail "the consumer never subscribed"
	bash "$BROKER_SH" pause "$MQ" || fail "cannot pause the broker"
	said_lost() { grep -q "lost the broker" "$T/hb.err"; }
	wait_until 30 said_lost
	rc=$?
	bash "$BROKER_SH" resume "$MQ"
	[ "$rc" = 0 ] || fail "no word of the missed heartbeats: $(cat "$T/hb.err")"
	grep -q "heartbeat" "$T/hb.err" || fail "the sentence does not say heartbeat: $(cat "$T/hb.err")"
	before=$(incomes)
	printf '%s\n' '{"event_id":"hb1","branch":"ZC01","buss_type":16,"ref_id":"HB1","amount":"2.00"}' |
	    mq publish hb 2>/dev/null || fail "publishing after the pause"
	one_more() { [ "$(incomes)" -gt "$before" ]; }
	wait_until 60 one_more || fail "nothing consumed after the broker came back: $(cat "$T/hb.err")"
	grep -q "connected to amqp://fundflow@127.0.0.1:.* again; consuming hb" "$T/hb.err" || fail "no word of reconnecting: $(cat "$T/hb.err")"
	kill -TERM "$CONSUMER"
	wait "$CONSUMER"
	rc=$?
	CONSUMER=0
	eq "$rc" 0 "exit after SIGTERM"
}

t_tls() {
	local before
	printf '%s\n' '{"event_id":"tls1","branch":"QD02","buss_type":16,"ref_id":"TLS1","amount":"3.00"}' > "$T/tls.txt"
	feeder_cfg "$URL" tlsq "$T/mq.password"
	ff consume --once --declare
	expect_rc 0
	mq publish tlsq < "$T/tls.txt" 2>/dev/null || fail "publishing"
	# Without the test CA the broker's certificate is not trusted.
	feeder_cfg "$TLS_URL" tlsq "$T/mq.password"
	ff consume --once
	expect_rc 69
	err_has "gave up after 5 tries"
	eq "$(depth tlsq)" 1 "the message, still queued"
	before=$(incomes)
	feeder_cfg "$TLS_URL" tlsq "$T/mq.password" "cacert = \"$MQ/tls/ca.pem\";"
	ff consume --once
	expect_rc 0
	out_has "applied 1, duplicate 0, conflict 0, rejected 0"
	eq "$(incomes)" "$((before + 1))" "incomes after the TLS consume"
}

# The same messages into PostgreSQL (killed once half-way) and into a new
# SQLite database: the same balances on both engines.
t_postgresql() {
	local port sock su app own n sq=$T/sq.db
	PGD=$(mktemp -d /tmp/ffpg.XXXXXX)
	bash "$E2E_ROOT/tests/pg/cluster.sh" start "$PGD" > "$T/cluster.log" 2>&1 ||
	    fail "the test cluster did not start: $(tail -n 3 "$T/cluster.log")"
	port=$(cat "$PGD/port") sock=$PGD/sock su=$(cat "$PGD/superuser")
	export PGPASSFILE=$PGD/pgpass
	psql -qX -h "$sock" -p "$port" -U "$su" -d postgres -v ON_ERROR_STOP=1 \
	    -c "CREATE ROLE fundflow_app LOGIN PASSWORD 'fundflow-app-test'" \
	    -c "CREATE DATABASE cq OWNER ff_owner" >/dev/null || fail "roles"
	printf '*:*:*:fundflow_app:fundflow-app-test\n' >> "$PGPASSFILE"
	own="host=$sock port=$port dbname=cq user=ff_owner"
	app="host=$sock port=$port dbname=cq user=fundflow_app"
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$own" init --admin root
	expect_rc 0
	FUNDFLOW_NEW_PASSWORD=$(pw_of root) ff --db "$sq" init --admin root
	expect_rc 0
	for b in ZC01 QD02 LDN1; do
		ffas root --db "$app" branch add "$b" "Branch $b"
		expect_rc 0
		ffas root --db "$sq" branch add "$b" "Branch $b"
		expect_rc 0
	done
	head -n 4000 "$T/batch1.txt" > "$T/pg.txt"
	for qn in pgq sqq; do
		feeder_cfg "$URL" "$qn" "$T/mq.password"
		ff --db "$sq" consume --once --declare
		expect_rc 0
		mq publish "$qn" < "$T/pg.txt" 2>/dev/null || fail "publishing to $qn"
	done
	feeder_cfg "$URL" pgq "$T/mq.password"
	"$FUNDFLOW" --db "$app" consume >> "$T/pgc.out" 2>> "$T/pgc.err" &
	CONSUMER=$!
	pg_grown() { [ "$(psql -qXAt "$own" -c 'SELECT count(*) FROM income')" -ge 1000 ]; }
	wait_until 120 pg_grown || fail "the PostgreSQL consumer did not reach 1000 incomes: $(tail -n 3 "$T/pgc.err")"
	kill -9 "$CONSUMER"
	wait "$CONSUMER" 2>/dev/null
	CONSUMER=0
	ff --db "$app" consume --once
	expect_rc 65
	feeder_cfg "$URL" sqq "$T/mq.password"
	ff --db "$sq" --json consume --once
	expect_rc 65
	n=$(jx '$.applied')
	eq "$(psql -qXAt "$own" -c 'SELECT count(*) FROM income')" "$n" "incomes on PostgreSQL"
	eq "$(psql -qXAt "$own" -c "SELECT code || ' ' || balance FROM account JOIN branch ON branch.id = account.branch_id ORDER BY code")" \
	    "$(qdb "$sq" "SELECT code || ' ' || balance FROM account JOIN branch ON branch.id = account.branch_id ORDER BY code")" \
	    "balances on PostgreSQL and SQLite"
	eq "$(depth pgq)" 0 "messages left on pgq"
	eq "$(depth pgq.dead)" "$(depth sqq.dead)" "dead letters of the two"
	# COMMIT's answer lost with the connection, before the server had it
	# and after: the group is applied again, or known kept; acknowledged
	# only then; each event exactly once.
	if [ -n "${PGSHIM_SO:-}" ] && [ -f "$PGSHIM_SO" ]; then
		local mode bal
		for mode in before after; do
			awk -v m="$mode" '{ printf "{\"event_id\":\"%s%d\",\"branch\":\"QD02\",\"buss_type\":1,\"ref_id\":\"CUT-%s-%d\",\"amount\":\"0.01\"}\n", m, $1, m, $1 }' \
			    < <(seq 1 2000) > "$T/cut.txt"
			feeder_cfg "$URL" "cut$mode" "$T/mq.password"
			ff --db "$app" consume --once --declare
			expect_rc 0
			mq publish "cut$mode" < "$T/cut.txt" 2>/dev/null || fail "publishing"
			bal=$(psql -qXAt "$own" -c "SELECT balance FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = 'QD02'")
			: > "$T/cut.log"
			FFPGSHIM=$mode FFPGSHIM_NTH=1 FFPGSHIM_LOG=$T/cut.log \
			    LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so) $PGSHIM_SO" \
			    ff --db "$app" --json consume --once
			expect_rc 0
			eq "$(jx '$.applied')" 2000 "events applied with COMMIT cut $mode"
			ge "$(grep -c '^cut ' "$T/cut.log")" 1 "COMMITs cut $mode"
			eq "$(psql -qXAt "$own" -c "SELECT balance FROM account a JOIN branch b ON b.id = a.branch_id WHERE b.code = 'QD02'")" \
			    "$((bal + 2000))" "QD02's balance after COMMITs cut $mode"
			eq "$(depth "cut$mode")" 0 "messages left with COMMIT cut $mode"
		done
	else
		fail "PGSHIM_SO is not built (make e2e builds it)"
	fi
	FUNDFLOW_NEW_PASSWORD=$(pw_of aud) ffas root --db "$app" user add aud --role auditor
	expect_rc 0
	ffas aud --db "$app" audit
	expect_rc 0
}

check setup t_setup
check password_in_url t_password_in_url
check password_file_mode t_password_file_mode
check wrong_credentials t_wrong_credentials
check unreachable t_unreachable
check missing_queue t_missing_queue
check kills_and_restart t_kills_and_restart
check batch2_once t_batch2_once
check sigterm_settles t_sigterm_settles
check queue_deleted t_queue_deleted
check heartbeat t_heartbeat
check tls t_tls
check postgresql t_postgresql
finish
