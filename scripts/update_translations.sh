#!/usr/bin/env bash
# Regenerate rma_factory.pot and zh_CN.po from a database with the module installed (updated first),
# keeping every existing translation (Odoo's export forgets those of Python strings).
# Usage: scripts/update_translations.sh DB     then fill the entries it lists, and run the tests.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
DB="${1:?usage: scripts/update_translations.sh DB}"
setup_everything
PO="$REPO_ROOT/rma_factory/i18n/zh_CN.po"
OLD="$(mktemp)"; cp "$PO" "$OLD"
odoo_bin --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 -d "$DB" -u rma_factory --stop-after-init --log-level=warn
odoo_bin --addons-path="$ADDONS_PATH" i18n export -d "$DB" rma_factory -l zh_CN pot
"$VENV/bin/python" - "$PO" "$OLD" <<'PY'
import sys
import polib
po, old = polib.pofile(sys.argv[1]), polib.pofile(sys.argv[2])
known = {entry.msgid: entry.msgstr for entry in old if entry.msgstr}
for entry in po:
    if not entry.msgstr and entry.msgid in known:
        entry.msgstr = known[entry.msgid]
po.save(sys.argv[1])
missing = [entry.msgid for entry in po if not entry.msgstr]
print(f"{len(missing)} entries to translate in {sys.argv[1]}:")
for msgid in missing:
    print("  " + msgid.replace("\n", "\\n"))
PY
rm -f "$OLD"
