#!/usr/bin/env bash
# Speed benchmark (not part of the test run): prints SQL queries and milliseconds per operation.
# Runs against the demo database of scripts/serve.sh (RMA_DB, default rma_demo) and rolls back
# everything it creates. Usage:
#   scripts/benchmark.sh [number of requests, default 1000]   the request lifecycle
#   scripts/benchmark.sh xlsx [number of lines, default 50000] the monthly statistics workbook
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB="${RMA_DB:-rma_demo}"
setup_everything
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || die "database $DB not found: run scripts/serve.sh once first (or set RMA_DB)"
if [ "${1:-}" = "xlsx" ]; then
    RMA_BENCH_LINES="${2:-50000}" odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 \
        --log-level=warn < "$REPO_ROOT/scripts/benchmark_statistics.py"
    exit
fi
RMA_BENCH_REQUESTS="${1:-1000}" odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 --log-level=warn \
    < "$REPO_ROOT/scripts/benchmark_requests.py"
