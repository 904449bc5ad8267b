# shellcheck shell=bash
# Shared set-up for the README commands (sourced by scripts/serve.sh and scripts/test.sh).
# Every step is idempotent: a second run only checks and moves on.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
# The virtualenv lives outside the checkout so that fresh clones (CI) reuse it.
VENV="${RMA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/rma_factory/venv-odoo19-py311}"
PYTHON_BIN="${RMA_PYTHON:-python3.11}"
STATE_DIR="${RMA_STATE_DIR:-$REPO_ROOT/.local}"   # git-ignored

log() { printf '[rma_factory] %s\n' "$*" >&2; }
die() { printf '[rma_factory] ERROR: %s\n' "$*" >&2; exit 1; }

require_odoo_src() {
    if [ ! -x "$ODOO_SRC/odoo-bin" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        cat >&2 <<MSG
[rma_factory] Odoo 19.0 source not found in ODOO_SRC=$ODOO_SRC.
  Get it from its official source and point ODOO_SRC at it, e.g.:
    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git /opt/odoo-src
  (or export ODOO_SRC=/path/to/your/odoo-19.0-checkout). This project never downloads Odoo itself.
MSG
        exit 2
    fi
    grep -qE "version_info = \(19, 0" "$ODOO_SRC/odoo/release.py" \
        || die "ODOO_SRC=$ODOO_SRC is not Odoo 19.0 (see odoo/release.py)"
}

ensure_system_packages() {
    local missing=()
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    # (no "| grep -q" here: with pipefail, grep's early exit would fail the pipeline)
    [ -n "$(fc-list ':family=Noto Sans CJK SC' 2>/dev/null)" ] || missing+=(fonts-noto-cjk fontconfig)
    command -v pg_config >/dev/null || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev libsasl2-dev)
    command -v psql >/dev/null || missing+=(postgresql postgresql-client)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing system packages: ${missing[*]}"
        local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

ensure_venv() {
    local stamp="$VENV/.rma_factory_stamp"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$REPO_ROOT/requirements-dev.txt" | sha1sum | cut -c1-12)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    command -v "$PYTHON_BIN" >/dev/null || die "$PYTHON_BIN not found (Odoo 19 needs Python 3.10-3.13; set RMA_PYTHON)"
    log "preparing virtualenv $VENV (Odoo requirements + ours)"
    [ -x "$VENV/bin/python" ] || "$PYTHON_BIN" -m venv "$VENV"
    # Old sdists among Odoo's pins (e.g. pyusb, vobject) need setuptools<70 to build.
    local constraints; constraints="$(mktemp)"; echo "setuptools<70" >"$constraints"
    PIP_CONSTRAINT="$constraints" "$VENV/bin/pip" install -q --disable-pip-version-check "setuptools<70" wheel
    PIP_CONSTRAINT="$constraints" "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ODOO_SRC/requirements.txt"
    PIP_CONSTRAINT="$constraints" "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO_ROOT/requirements-dev.txt"
    rm -f "$constraints"
    echo "$want" >"$stamp"
}

# PostgreSQL: explicit PG* settings win; else the system cluster; else a project-local one.
ensure_postgres() {
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        log "using the PostgreSQL server given by PG* settings"
        "$VENV/bin/python" - <<'PY' || die "cannot connect with the given PG* settings"
import psycopg2; psycopg2.connect(dbname="postgres").close()
PY
        export RMA_DB_ARGS="${RMA_DB_ARGS:-}"
        return 0
    fi
    local me; me="$(id -un)"
    if command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null)" ] && [ "$(id -u)" -eq 0 ]; then
        local ver name status
        read -r ver name _ status _ < <(pg_lsclusters -h | sort -k1,1nr | head -1)
        if [ "$status" != "online" ]; then
            log "starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start
        fi
        # Odoo refuses to connect as 'postgres': give the current OS user its own superuser role.
        if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
            su postgres -c "createuser --superuser '$me'"
        fi
        export PGHOST=/var/run/postgresql
        return 0
    fi
    # Project-local cluster on a Unix socket in a git-ignored folder.
    local bindir; bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$bindir" ] || die "no PostgreSQL binaries found; install postgresql"
    local data="$STATE_DIR/pgdata" sock="$STATE_DIR/pgsocket"
    mkdir -p "$sock"
    if [ ! -f "$data/PG_VERSION" ]; then
        log "creating a project-local PostgreSQL cluster in $data"
        "$bindir/initdb" -D "$data" -U "$me" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        "$bindir/pg_ctl" -D "$data" -l "$STATE_DIR/postgres.log" -w \
            -o "-k $sock -c listen_addresses=''" start >/dev/null
    fi
    export PGHOST="$sock"
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "$@"
}

ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_ROOT"

setup_everything() {
    require_odoo_src
    ensure_system_packages
    ensure_venv
    ensure_postgres
}
