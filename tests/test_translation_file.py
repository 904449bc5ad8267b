"""i18n/zh_CN.po is complete and keeps every placeholder of its source strings."""

import re
import unittest

import polib

from .odoo_cli import REPO_ROOT

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%[sd]")


class TestTranslationFile(unittest.TestCase):
    def test_every_string_is_translated_with_its_placeholders(self):
        po = polib.pofile(str(REPO_ROOT / "rma_factory/i18n/zh_CN.po"))
        pot = polib.pofile(str(REPO_ROOT / "rma_factory/i18n/rma_factory.pot"))
        self.assertEqual({e.msgid for e in pot}, {e.msgid for e in po if not e.obsolete},
                         "zh_CN.po is out of date with rma_factory.pot")
        for entry in po:
            with self.subTest(msgid=entry.msgid[:60]):
                self.assertTrue(entry.msgstr, "untranslated")
                self.assertEqual(sorted(PLACEHOLDER.findall(entry.msgid)), sorted(PLACEHOLDER.findall(entry.msgstr)))
