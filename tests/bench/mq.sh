# mq.sh — the broker part of make bench (sourced by tests/bench/run.sh,
# after its helpers and section 1's empty company; adds rows to the same
# table).  A throwaway RabbitMQ of its own (tests/mq/broker.sh: durable
# queue, persistent messages, publisher confirms), each figure against a
# baseline measured here in the same run, on the same events:
#
#   consume           fundflow consume --once on a queue holding NEV
#                     events (one per message)  vs  fundflow ingest FILE
#                     of the same events; three rounds, medians
#   per message       vs  amqp-consume ... fundflow ingest - : one
#                     process per message, the glue the feeder replaces
#                     (NPM messages: it is slow)
#   latency           events published at 1,000/s for NLAT events to a
#                     running consumer; publish (the x-sent-us stamp) to
#                     first seen committed by a reader polling the
#                     database every 0.5 ms (bench_tool watch)
mq_bench() {
	local bsh=$top/tests/mq/broker.sh mqt=$top/build/bench/mqtool
	local mqd url npm nlat round a b
	local cons=() ings=()
	if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
		row "broker figures" "skipped (no rabbitmq-server)" "-" "-" "-" "-"
		return 0
	fi
	npm=$([ "$QUICK" = 1 ] && echo 50 || echo 300)
	nlat=$([ "$QUICK" = 1 ] && echo 1000 || echo 10000)
	mqd=$(mktemp -d /tmp/ffmqb.XXXXXX)
	# shellcheck disable=SC2064
	trap "bash '$bsh' stop '$mqd' >/dev/null 2>&1; rm -rf '$work'" EXIT
	bash "$bsh" start "$mqd" > mqstart.log 2>&1 || { cat mqstart.log >&2; return 1; }
	url=$(bash "$bsh" url "$mqd")
	cp "$mqd/password" mq.password
	chmod 0600 mq.password
	mqcfg() { # QUEUE
		printf 'database = { busy_timeout_ms = 10000; };\nfeeder = { url = "%s"; queue = "%s"; password_file = "%s/mq.password"; };\n' \
		    "$url" "$1" "$work" > mq.cfg
	}
	[ -f events.jsonl ] || "$TOOL" events "$NEV" events.jsonl
	for round in 1 2 3; do
		mqcfg bench
		rm -f c.db* i.db*
		cp empty.db c.db
		cp empty.db i.db
		FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db c.db consume --once --declare >/dev/null || return 1
		"$mqt" publish "$url" bench mq.password < events.jsonl 2>/dev/null || return 1
		a=$(date +%s%N); FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db c.db consume --once >/dev/null || return 1; b=$(date +%s%N)
		cons+=($(( NEV * 1000000000 / (b - a) )))
		a=$(date +%s%N); "$FF" --db i.db ingest events.jsonl >/dev/null || return 1; b=$(date +%s%N)
		ings+=($(( NEV * 1000000000 / (b - a) )))
		[ "$(sqlite3 c.db 'SELECT (SELECT count(*) FROM income), (SELECT total(balance) FROM account)')" = \
		  "$(sqlite3 i.db 'SELECT (SELECT count(*) FROM income), (SELECT total(balance) FROM account)')" ] ||
		    { echo "consume and ingest wrote different incomes" >&2; return 1; }
	done
	con_eps=$(median3 "${cons[@]}")
	ing_eps=$(median3 "${ings[@]}")
	echo "  consume rounds: consume ${cons[*]}; ingest ${ings[*]}" >&2
	row "consume from RabbitMQ (events/s)" "$con_eps" "$ing_eps (ingest FILE)" "$(ratio "$con_eps" "$ing_eps")" ">= 0.5" \
	    "$(met "$con_eps * 2 >= $ing_eps")"

	# The same events ten to a message: what one queue's broker process
	# costs per message, set apart from what fundflow costs per event.
	awk '{ printf "%s%s", $0, (NR % 10 == 0 ? "\n" : "\037") } END { if (NR % 10) printf "\n" }' events.jsonl > events10.txt
	mqcfg bench10
	rm -f c.db*
	cp empty.db c.db
	FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db c.db consume --once --declare >/dev/null || return 1
	"$mqt" publish "$url" bench10 mq.password < events10.txt 2>/dev/null || return 1
	a=$(date +%s%N); FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db c.db consume --once >/dev/null || return 1; b=$(date +%s%N)
	c10_eps=$(( NEV * 1000000000 / (b - a) ))
	row "  the same, 10 events a message (events/s)" "$c10_eps" "$ing_eps (ingest FILE)" "$(ratio "$c10_eps" "$ing_eps")" "-" "-"

	# One process per message: amqp-consume runs the command per delivery
	# and acknowledges after it exits.
	mqcfg perm
	rm -f p.db*
	cp empty.db p.db
	FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db p.db consume --once --declare >/dev/null || return 1
	head -n "$npm" events.jsonl | "$mqt" publish "$url" perm mq.password 2>/dev/null || return 1
	a=$(date +%s%N)
	bash "$bsh" amqp "$mqd" consume -q perm -c "$npm" -p 1 -- "$FF" --db "$work/p.db" ingest - >/dev/null 2>&1
	b=$(date +%s%N)
	pm_eps=$(( npm * 1000000000 / (b - a) ))
	[ "$(sqlite3 p.db 'SELECT count(*) FROM income')" = "$npm" ] ||
	    { echo "the per-message path applied $(sqlite3 p.db 'SELECT count(*) FROM income') of $npm" >&2; return 1; }
	row "  vs one process per message (events/s)" "$con_eps" "$pm_eps (amqp-consume, one ingest - each)" "$(ratio "$con_eps" "$pm_eps")" ">= 20" \
	    "$(met "$con_eps >= 20 * $pm_eps")"

	# Latency at 1,000 events/s to a running consumer.
	mqcfg lat
	rm -f l.db*
	cp empty.db l.db
	FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db l.db consume --once --declare >/dev/null || return 1
	awk -v n="$nlat" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"event_id\":\"%d\",\"branch\":\"ZC01\",\"buss_type\":1,\"ref_id\":\"LAT-%d\",\"amount\":\"1.00\"}\n", i, i }' > lat.jsonl
	FUNDFLOW_CONFIG=$work/mq.cfg "$FF" --db l.db consume > lat.cons 2>&1 &
	local cpid=$!
	"$TOOL" watch l.db "$nlat" lat.seen &
	local wpid=$!
	"$mqt" publish "$url" lat mq.password 1000 < lat.jsonl > lat.sent 2>/dev/null
	wait "$wpid" || echo "the watcher saw $(wc -l < lat.seen) of $nlat" >&2
	kill -TERM "$cpid"
	wait "$cpid"
	read -r p50 p99 < <(awk 'NR == FNR { sent[$1] = $2; next } ($1 in sent) { print ($2 - sent[$1]) / 1000 }' lat.sent lat.seen |
	    sort -n | awk '{ v[NR] = $1 } END { printf "%.1f %.1f\n", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }')
	row "consume latency at 1000 ev/s, p50 / p99 (ms)" "$p50 / $p99" "-" "-" "p99 <= 100" "$(met "$p99 <= 100")"
	bash "$bsh" stop "$mqd" >/dev/null 2>&1
}
