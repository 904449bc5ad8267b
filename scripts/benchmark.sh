#!/usr/bin/env bash
# Speed benchmark (not part of the test run): prints SQL queries and milliseconds per operation.
# Runs against the demo database of scripts/serve.sh (RMA_DB, default rma_demo) and rolls back
# everything it creates. Usage:
#   scripts/benchmark.sh [number of requests, default 1000]   the request lifecycle
#   scripts/benchmark.sh xlsx [number of lines, default 50000] the monthly statistics workbook
#   scripts/benchmark.sh compare [rounds, default 60] [--with-oca]
#       one 5-line return through plain Odoo, rma_factory and (--with-oca) OCA rma 19.0, interleaved,
#       in a scratch copy of the demo database (RMA_DB-compare, dropped afterwards). OCA rma is
#       installed from its wheel into a cache folder and that copy only: it is never our dependency.
#   scripts/benchmark.sh scale [requests, default 100000]
#       list, searches, kanban, pivot and monthly XLSX timings at scale, in a copy of the demo
#       database (RMA_DB-scale) filled once with generated requests and kept for the next runs
#       (drop it with: dropdb "$RMA_DB-scale").
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB="${RMA_DB:-rma_demo}"
setup_everything
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || die "database $DB not found: run scripts/serve.sh once first (or set RMA_DB)"
if [ "${1:-}" = "compare" ]; then
    ROUNDS="${2:-60}"; [[ "$ROUNDS" =~ ^[0-9]+$ ]] || ROUNDS=60
    SCRATCH="$DB-compare" PATHS="$ADDONS_PATH"
    odoo_bin --addons-path="$ADDONS_PATH" db drop "$SCRATCH" >/dev/null 2>&1 || true
    odoo_bin --addons-path="$ADDONS_PATH" db duplicate "$DB" "$SCRATCH" >/dev/null
    trap 'odoo_bin --addons-path="$ADDONS_PATH" db drop "$SCRATCH" >/dev/null 2>&1 || true' EXIT
    INSTALL=()
    if [[ " $* " == *" --with-oca "* ]]; then
        OCA_DIR="${RMA_OCA_DIR:-$(dirname "$VENV")/oca-rma-19.0}"
        if [ ! -d "$OCA_DIR/odoo/addons/rma" ]; then
            log "installing OCA rma 19.0 from its wheel into $OCA_DIR (benchmark only)"
            "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --target "$OCA_DIR" "odoo-addon-rma==19.0.*"
        fi
        PATHS="$ADDONS_PATH,$OCA_DIR/odoo/addons"
        INSTALL=(-i rma)
    fi
    # The copy runs the checkout's code, whatever the demo database's age.
    odoo_bin --addons-path="$PATHS" -d "$SCRATCH" -u rma_factory "${INSTALL[@]}" --stop-after-init \
        --http-interface=127.0.0.1 --log-level=warn
    RMA_BENCH_ROUNDS="$ROUNDS" odoo_bin shell -d "$SCRATCH" --addons-path="$PATHS" --http-interface=127.0.0.1 \
        --log-level=warn < "$REPO_ROOT/scripts/benchmark_compare.py"
    exit
fi
if [ "${1:-}" = "scale" ]; then
    SCRATCH="$DB-scale"
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$SCRATCH'" | grep -q 1 \
        || odoo_bin --addons-path="$ADDONS_PATH" db duplicate "$DB" "$SCRATCH" >/dev/null
    odoo_bin --addons-path="$ADDONS_PATH" -d "$SCRATCH" -u rma_factory --stop-after-init --http-interface=127.0.0.1 \
        --log-level=warn
    RMA_BENCH_REQUESTS="${2:-100000}" odoo_bin shell -d "$SCRATCH" --addons-path="$ADDONS_PATH" \
        --http-interface=127.0.0.1 --log-level=warn < "$REPO_ROOT/scripts/benchmark_scale.py"
    exit
fi
if [ "${1:-}" = "xlsx" ]; then
    RMA_BENCH_LINES="${2:-50000}" odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 \
        --log-level=warn < "$REPO_ROOT/scripts/benchmark_statistics.py"
    exit
fi
RMA_BENCH_REQUESTS="${1:-1000}" odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 --log-level=warn \
    < "$REPO_ROOT/scripts/benchmark_requests.py"
