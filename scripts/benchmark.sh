#!/usr/bin/env bash
# Speed benchmark (not part of the test run): prints SQL queries and milliseconds per operation.
# Runs against the demo database of scripts/serve.sh (RMA_DB, default rma_demo) and rolls back
# everything it creates. Usage: scripts/benchmark.sh [number of requests, default 1000]
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB="${RMA_DB:-rma_demo}"
setup_everything
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || die "database $DB not found: run scripts/serve.sh once first (or set RMA_DB)"
RMA_BENCH_REQUESTS="${1:-1000}" odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 --log-level=warn \
    < "$REPO_ROOT/scripts/benchmark_requests.py"
