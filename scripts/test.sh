#!/usr/bin/env bash
# README command 2: set up everything and run every test (lint, module tests, repository tests)
# on a throwaway database. Exits non-zero on any failure, error, skipped test or empty run;
# the last line printed is pytest's summary.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

setup_everything
DB="${RMA_TEST_DB:-rma_test_$$}"
LOGDIR="$(mktemp -d)"
cleanup() {
    odoo_bin --addons-path="$ADDONS_PATH" db drop "$DB" >/dev/null 2>&1 || true
    rm -rf "$LOGDIR"
}
trap cleanup EXIT

log "lint: ruff"
"$VENV/bin/ruff" check "$REPO_ROOT/rma_factory" "$REPO_ROOT/tests" "$REPO_ROOT/scripts" "$REPO_ROOT/setup.py" "$REPO_ROOT/conftest.py"

log "lint: pylint-odoo"
"$VENV/bin/pylint" --rcfile="$REPO_ROOT/.pylintrc" --disable=all --enable=odoolint \
    --disable=consider-merging-classes-inherited "$REPO_ROOT/rma_factory"
# One class per extended model, except the request's stage files, which extend rma.request
# (and its lines) on purpose: one stage each.
"$VENV/bin/pylint" --rcfile="$REPO_ROOT/.pylintrc" --disable=all --enable=consider-merging-classes-inherited \
    --ignore-patterns='rma_request_(?!line\.|document\.).*\.py' "$REPO_ROOT/rma_factory"

log "creating test database $DB (CN company, demo data, zh_CN loaded, admin in English)"
odoo_bin --addons-path="$ADDONS_PATH" db init "$DB" --with-demo --country CN --force >"$LOGDIR/init.log" 2>&1 \
    || { tail -40 "$LOGDIR/init.log"; die "database creation failed"; }
odoo_bin --addons-path="$ADDONS_PATH" i18n loadlang -d "$DB" -l zh_CN >>"$LOGDIR/init.log" 2>&1 \
    || { tail -40 "$LOGDIR/init.log"; die "loading zh_CN failed"; }
log "installing rma_factory"
odoo_bin --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 -d "$DB" -i rma_factory \
    --stop-after-init --logfile="$LOGDIR/install.log" \
    || { grep -E " (ERROR|CRITICAL) " -A20 "$LOGDIR/install.log" | head -60; die "install failed"; }

log "pytest: rma_factory/tests (module tests) and tests/ (repository tests)"
cd "$REPO_ROOT"
export RMA_TEST_DB="$DB" RMA_ADDONS_PATH="$ADDONS_PATH" ODOO_SRC VENV
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$VENV/bin/python" -m pytest \
    -p no:cacheprovider --odoo-database="$DB" --odoo-addons-path="$ADDONS_PATH" --odoo-http \
    -o addopts="" -rfEs "$@" rma_factory/tests tests
