"""The module installs and upgrades without a single WARNING, ERROR or CRITICAL line."""

import unittest

from .odoo_cli import ADDONS_PATH, installed_scratch_db, odoo_bin, problem_lines


class TestInstallLog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db, cls.install_rc, cls.install_log = installed_scratch_db()

    def _run(self, flag, logfile):
        result = odoo_bin(
            f"--addons-path={ADDONS_PATH}", "--http-interface=127.0.0.1", "-d", self.db,
            flag, "rma_factory", "--stop-after-init", f"--logfile={logfile}",
        )
        with open(logfile, encoding="utf-8") as f:
            log = f.read()
        return result.returncode, log

    def test_install_then_upgrade_are_clean(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            rc, log = self.install_rc, self.install_log
            self.assertEqual(rc, 0, log[-3000:])
            self.assertIn("Module rma_factory: loading demo", log, "demo data was not loaded")
            self.assertEqual(problem_lines(log), [], "install log has problems")
            self.assertNotIn("demo data failed to install", log)

            rc, log = self._run("-u", f"{tmp}/upgrade.log")
            self.assertEqual(rc, 0, log[-3000:])
            self.assertIn("rma_factory", log)
            self.assertEqual(problem_lines(log), [], "upgrade log has problems")
