# pg.sh — the PostgreSQL part of make bench (sourced by tests/bench/run.sh,
# after its helpers; adds rows to the same table).  A throwaway cluster of
# its own (tests/pg/cluster.sh; fsync and synchronous_commit on), the
# schema made by fundflow as the owner, the work done as the application
# role, each figure against a baseline measured here in the same run:
#
#   ingest            fundflow ingest FILE  vs  COPY of the same rows
#                     (incomes, ledger entries, through the same tables and
#                     triggers) and the accounts' update, in one transaction
#   redeliveries      the same file again   vs  the first ingest
#   approvals         1 process on one branch, 8 processes on 8 branches,
#                     8 on one branch (bench_tool approve, the model's
#                     withdrawal_approve)  vs  1 process, and vs a plain
#                     PL/pgSQL function doing the same row work (lock the
#                     account, insert the entry, update the account and
#                     the application) called by pgbench from 8 clients
pg_bench() {
	local PGBIN=/usr/lib/postgresql/15/bin cl=$top/tests/pg/cluster.sh
	local pgd port sock su
	if [ ! -x "$PGBIN/initdb" ]; then
		row "PostgreSQL figures" "skipped (no postgresql-15)" "-" "-" "-" "-"
		return 0
	fi
	pgd=$(mktemp -d /tmp/ffpgb.XXXXXX)
	# shellcheck disable=SC2064
	trap "bash '$cl' stop '$pgd' >/dev/null 2>&1; rm -rf '$work'" EXIT
	bash "$cl" start "$pgd" > pgstart.log 2>&1 || { cat pgstart.log >&2; return 1; }
	port=$(cat "$pgd/port") sock=$pgd/sock su=$(cat "$pgd/superuser")
	export PGPASSFILE=$pgd/pgpass
	psql -qX -h "$sock" -p "$port" -U "$su" -d postgres \
	    -c "CREATE ROLE fundflow_app LOGIN PASSWORD 'bench-app'" >/dev/null
	echo "*:*:*:fundflow_app:bench-app" >> "$PGPASSFILE"
	own() { echo "host=$sock port=$port dbname=$1 user=ff_owner"; }
	app() { echo "host=$sock port=$port dbname=$1 user=fundflow_app"; }
	sup() { psql -qXAt -h "$sock" -p "$port" -U "$su" -d postgres -c "$1"; }
	pq() { psql -qXAt -v ON_ERROR_STOP=1 "$(own "$1")" -c "$2"; }
	# fresh NAME TEMPLATE: NAME made anew as a copy of TEMPLATE.
	fresh() {
		sup "DROP DATABASE IF EXISTS $1" >/dev/null
		sup "CREATE DATABASE $1 TEMPLATE $2 OWNER ff_owner" >/dev/null
	}

	# --- ingest -------------------------------------------------------------
	sup "CREATE DATABASE pgempty OWNER ff_owner" >/dev/null
	FUNDFLOW_NEW_PASSWORD=demo "$FF" --db "$(own pgempty)" init --admin admin >/dev/null
	for b in ZC01 QD02 JN03 WF04 YT05 SH06 LDN1 HAM2 SGP3 NYC4; do
		"$FF" --db "$(app pgempty)" --user admin branch add "$b" "Branch $b" >/dev/null
	done
	[ -s events.jsonl ] || "$TOOL" events "$NEV" events.jsonl
	local fr=() du=() cp=() r a b
	for r in 1 2 3; do
		fresh pging pgempty
		a=$(date +%s%N); "$FF" --db "$(app pging)" ingest events.jsonl >/dev/null; b=$(date +%s%N)
		fr+=($(( NEV * 1000000000 / (b - a) )))
		a=$(date +%s%N); "$FF" --db "$(app pging)" ingest events.jsonl >/dev/null; b=$(date +%s%N)
		du+=($(( NEV * 1000000000 / (b - a) )))
		if [ "$r" = 1 ]; then
			pq pging "COPY (SELECT * FROM income ORDER BY id) TO STDOUT" > income.copy
			pq pging "COPY (SELECT * FROM ledger ORDER BY id) TO STDOUT" > ledger.copy
			pq pging "SELECT 'UPDATE account SET balance = ' || balance || ', withdrawable = ' ||
			    withdrawable || ' WHERE branch_id = ' || branch_id || ';' FROM account" > accounts.sql
		fi
		fresh pgcopy pgempty
		a=$(date +%s%N)
		{ echo "BEGIN;"; echo "COPY income FROM STDIN;"; cat income.copy; echo '\.'
		  echo "COPY ledger FROM STDIN;"; cat ledger.copy; echo '\.'
		  cat accounts.sql; echo "COMMIT;"; } | psql -qX -v ON_ERROR_STOP=1 "$(own pgcopy)" >/dev/null
		b=$(date +%s%N)
		cp+=($(( NEV * 1000000000 / (b - a) )))
	done
	[ "$(pq pgcopy "SELECT count(*) FROM ledger")" = "$NEV" ] || { echo "the COPY baseline did not write the rows" >&2; return 1; }
	echo "  pg ingest rounds: fresh ${fr[*]}; redelivered ${du[*]}; COPY ${cp[*]}" >&2
	local f d c
	f=$(median3 "${fr[@]}") d=$(median3 "${du[@]}") c=$(median3 "${cp[@]}")
	row "PG ingest fresh (events/s)" "$f" "$c (COPY of the rows)" "$(ratio "$f" "$c")" ">= 0.25" "$(met "$f * 4 >= $c")"
	row "PG ingest redelivered (events/s)" "$d" "$f (fresh)" "$(ratio "$d" "$f")" ">= 3" "$(met "$d >= 3 * $f")"

	# --- approvals ------------------------------------------------------------
	local napp=$(( NAPP * 2 )) first per
	sup "CREATE DATABASE pgappr OWNER ff_owner" >/dev/null
	"$FF" --db "$(own pgappr)" demo --entries 1 >/dev/null
	first=$("$TOOL" prepare "$(app pgappr)" "$napp")
	# One branch gets every tenth application (bench_tool prepare).
	per=$(( napp / 10 ))
	# pg_approve NAME PROCS FIRST_OF STEP COUNT: PROCS processes, process p
	# approving FIRST_OF(p), +STEP, ... COUNT of them; prints "TPUT".
	pg_approve() {
		local name=$1 n=$2 step=$4 count=$5 p start end pids=()
		fresh pgrun pgappr
		start=$(( $(ms_now) + 1500 + 150 * n ))
		for p in $(seq 0 $((n - 1))); do
			"$TOOL" approve "$(app pgrun)" reviewer "$($3 "$p")" "$count" "$step" "$start" "pglat.$name.$p" &
			pids+=($!)
		done
		for p in "${pids[@]}"; do wait "$p" || echo "  an approval failed ($name)" >&2; done
		end=$(cat pglat."$name".* | awk '/^end/ {if ($2 > m) m = $2} END {print m}')
		echo $(( count * n * 1000 / (end - start) ))
	}
	one_branch() { echo "$first"; }			# branch 0 only
	own_branch() { echo $(( first + $1 )); }	# branch p
	share_branch() { echo $(( first + 10 * $1 )); }	# branch 0, interleaved
	local t1 t8 t8s lat
	t1=$(pg_approve one 1 one_branch 10 "$per")
	t8=$(pg_approve eight 8 own_branch 10 "$per")
	t8s=$(pg_approve shared 8 share_branch 80 $(( per / 8 )))
	lat() { cat pglat."$1".* | grep -v '^end' | sort -n | awk '{v[NR]=$1} END {
	    printf "%.1f/%.1f/%.1f/%.1f\n", v[int(NR*0.5)]/1000, v[int(NR*0.99)]/1000, v[int(NR*0.999)]/1000, v[NR]/1000 }'; }
	row "PG approvals, 1 process (approvals/s)" "$t1" "-" "-" "-" "-"
	row "PG approvals, 8 processes, 8 branches" "$t8" "$t1 (1 process)" "$(ratio "$t8" "$t1")" ">= 2" "$(met "$t8 >= 2 * $t1")"
	row "PG approvals, 8 processes, 1 branch" "$t8s" "$t1 (1 process)" "$(ratio "$t8s" "$t1")" ">= 0.80" "$(met "$t8s * 10 >= $t1 * 8")"
	lat=$(lat eight)
	row "  PG latency 8 branches p50/p99/p99.9/max (ms)" "$lat" "-" "-" "p99.9 <= 50" \
	    "$(met "$(echo "$lat" | cut -d/ -f3) <= 50")"
	row "  PG latency 1 branch p50/p99/p99.9/max (ms)" "$(lat shared)" "-" "-" "-" "-"

	# The same row work in one PL/pgSQL function per approval, 8 clients on
	# 8 branches (pgbench), on the same prepared applications.
	fresh pgrun pgappr
	pq pgrun "CREATE FUNCTION bench_approve(p_branch integer) RETURNS void
	    LANGUAGE plpgsql AS \$\$
	DECLARE w record; a record; h record; rev bigint;
	BEGIN
	  SELECT id INTO rev FROM operator WHERE login = 'reviewer';
	  SELECT * INTO w FROM withdrawal WHERE status = 'pending' AND id >= $first
	    AND branch_id = (SELECT id FROM branch ORDER BY id OFFSET p_branch LIMIT 1)
	    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
	  IF NOT FOUND THEN RETURN; END IF;
	  SELECT * INTO a FROM account WHERE branch_id = w.branch_id FOR UPDATE;
	  SELECT seq, post_amount, hash INTO h FROM ledger WHERE account_id = w.branch_id
	    ORDER BY seq DESC LIMIT 1;
	  INSERT INTO ledger (account_id, seq, kind, withdrawal_id, pre_amount, amount,
	    post_amount, at, actor, hash) VALUES (w.branch_id, h.seq + 1, 'withdrawal', w.id,
	    h.post_amount, -w.amount, h.post_amount - w.amount, now()::text, 'reviewer',
	    sha256(h.hash || int8send(w.id)));
	  UPDATE account SET balance = a.balance - w.amount, withdrawable = a.withdrawable - w.amount,
	    total_withdrawn = a.total_withdrawn + w.amount WHERE branch_id = w.branch_id;
	  UPDATE withdrawal SET status = 'approved', decided_by = rev, decided_at = now()::text
	    WHERE id = w.id;
	END \$\$" >/dev/null
	echo 'SELECT bench_approve((:client_id % 8) + 0);' > approve.pgb
	local base
	base=$("$PGBIN/pgbench" -n -f approve.pgb -c 8 -j 2 -t "$per" "$(own pgrun)" 2>/dev/null |
	    awk '/^tps/ { printf "%d", $3 }')
	[ "$(pq pgrun "SELECT count(*) FROM withdrawal WHERE status = 'approved' AND id >= $first")" = $(( per * 8 )) ] ||
	    echo "  the PL/pgSQL baseline approved $(pq pgrun "SELECT count(*) FROM withdrawal WHERE status = 'approved' AND id >= $first") of $(( per * 8 ))" >&2
	row "PG approvals, 8 branches vs PL/pgSQL function" "$t8" "$base (PL/pgSQL, 8 clients)" "$(ratio "$t8" "$base")" ">= 1" "$(met "$t8 >= $base")"
	bash "$cl" stop "$pgd" >/dev/null 2>&1
}
