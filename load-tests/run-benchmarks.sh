#!/usr/bin/env bash
# Runs every benchmark and prints the tables (docs/benchmarks.md records them).
# PostgreSQL: a throw-away local server is started by the benchmark itself; this script only makes
# sure the Debian packages are there (as CI does), so the PostgreSQL rows are not skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
# The journal's minimal reproduction (docs/performance.md) needs no database server.
if [ "${1:-}" = "journal-repro" ]; then
  shift
  exec dotnet run -c Release --project load-tests/JournalRepro -- "$@"
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and this is not root: its rows will be skipped" >&2
  fi
fi
exec dotnet run -c Release --project load-tests/JinanDataOps.LoadTests -- "${@:-all}"
