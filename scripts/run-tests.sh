#!/usr/bin/env bash
# Runs every test on SQLite and, when a PostgreSQL server answers, the same suite (less the browser
# tests) on PostgreSQL at the same time: the two runs share nothing, and the machine has two cores.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_TEST_URL="${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}"

postgres_url=""
if [ -n "${DATABASE_URL:-}" ]; then
  postgres_url="$DATABASE_URL"
elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  postgres_url="$PG_TEST_URL"
fi

mkdir -p var
pg_log=var/test-postgresql.log
if [ -n "$postgres_url" ]; then
  DATABASE_URL="$postgres_url" "$BIN/pytest" -p no:cacheprovider -m "not browser" "$@" >"$pg_log" 2>&1 &
  pg_pid=$!
fi

echo "== SQLite"
env -u DATABASE_URL "$BIN/pytest" -p no:cacheprovider "$@"
sqlite_status=$?

pg_status=0
if [ -n "$postgres_url" ]; then
  wait "$pg_pid"
  pg_status=$?
  echo "== PostgreSQL ($postgres_url)"
  cat "$pg_log"
else
  echo "== PostgreSQL: no server answers on 127.0.0.1:5432 and DATABASE_URL is not set; skipped"
fi

[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
