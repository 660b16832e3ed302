#!/usr/bin/env bash
# Load tests of the platform (issue 14): runs a scenario against a started platform and writes
# DIR/report.md, DIR/report.csv, DIR/report.html (and DIR/charts/*.svg); exits non-zero when a threshold or a check fails.
#   load-tests/run.sh SCENARIO --base URL [--operators N] [--duration 60s] [--rate R/s] [--report DIR]
# SCENARIO: operator-lifecycle, sandbox-burst, supervisor-reads or mixed. `load-tests/run.sh --help` lists every option.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project load-tests/JinanDataOps.LoadScenarios -- "$@"
