#!/usr/bin/env bash
# README command 1: set up everything and run the product with its demo data on 127.0.0.1:8069.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

DB="${RMA_DB:-rma_demo}"
PORT="${RMA_HTTP_PORT:-8069}"
setup_everything

module_state() {
    psql -d "$DB" -tAc "SELECT state FROM ir_module_module WHERE name='rma_factory'" 2>/dev/null || true
}

if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    log "creating database $DB (Chinese company, zh_CN, demo data)"
    # --country CN gives the Chinese chart of accounts (l10n_cn) and CNY.
    odoo_bin --addons-path="$ADDONS_PATH" db init "$DB" --with-demo --country CN --language zh_CN
fi
if [ "$(module_state)" = "installed" ]; then
    log "updating rma_factory in $DB"
    odoo_bin --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 -d "$DB" -u rma_factory --stop-after-init --log-level=warn
else
    log "installing rma_factory in $DB"
    odoo_bin --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 -d "$DB" -i rma_factory --stop-after-init --log-level=warn
fi
# PDF reports fetch their CSS from this address (wkhtmltopdf runs outside the browser).
psql -d "$DB" -qc "INSERT INTO ir_config_parameter (key, value) VALUES ('report.url', 'http://127.0.0.1:$PORT')
                   ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value" >/dev/null

cat <<MSG
[rma_factory] ------------------------------------------------------------------
[rma_factory] Odoo with rma_factory: http://127.0.0.1:$PORT/odoo   (database: $DB)
[rma_factory] Log in as admin / admin, or as a role (password = login):
[rma_factory]   sales (业务员 张伟)   supervisor (业务主管 李娜)   marketing (营销经理 王强)
[rma_factory]   gm (总经理 刘洋)   gmoffice (总经办 周婷)   warehouse (仓管员 陈静)   qc (品管员 赵敏)   production (生产部 赵刚)   finance (财务 孙丽)
[rma_factory] Stop with Ctrl+C.
[rma_factory] ------------------------------------------------------------------
MSG
exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" \
    --http-interface=127.0.0.1 --http-port="$PORT" -d "$DB" --db-filter="^$DB\$" "$@"
