#!/usr/bin/env bash
# Paper forms benchmark (not part of the test run): seconds and SQL queries of one request form
# PDF and of 50 in one PDF, on the demo database of scripts/serve.sh (RMA_DB, default rma_demo).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB="${RMA_DB:-rma_demo}"
setup_everything
psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || die "database $DB not found: run scripts/serve.sh once first (or set RMA_DB)"
odoo_bin shell -d "$DB" --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 --http-port=8071 --log-level=warn \
    < "$REPO_ROOT/scripts/benchmark_forms.py"
