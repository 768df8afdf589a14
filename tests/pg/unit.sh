#!/usr/bin/env bash
# unit.sh — the engine-neutral unit drivers again on PostgreSQL:
#
#   tests/pg/unit.sh DRIVER...
#
# Starts a throwaway cluster (cluster.sh), makes the application role
# fundflow grants to (fundflow_app), and runs each driver with FF_TEST_PG
# set: every test then gets a database of its own on that server, its
# schema made by the owner role and its work done as fundflow_app
# (tests/testlib.c).  Prints "unit-pg: N passed, N failed".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/ffpgu.XXXXXX)
trap 'bash "$here/cluster.sh" stop "$dir" >/dev/null 2>&1' EXIT
bash "$here/cluster.sh" start "$dir" > /dev/null
port=$(cat "$dir/port")
su=$(cat "$dir/superuser")
psql -qX -h "$dir/sock" -p "$port" -U "$su" -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE fundflow_app LOGIN PASSWORD 'unit-app'" >/dev/null
echo "*:*:*:fundflow_app:unit-app" >> "$dir/pgpass"
export PGPASSFILE=$dir/pgpass FF_TEST_PG="host=$dir/sock port=$port"
export FF_TEST_PG_SUPER=$su UNIT_LABEL=unit-pg
"$here/../run-unit.sh" "$@"
