"""The module installs and upgrades without a single WARNING, ERROR or CRITICAL line."""

import unittest

from .odoo_cli import ADDONS_PATH, drop_db, new_db_name, odoo_bin, problem_lines


class TestInstallLog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = new_db_name("rma_install_log")
        init = odoo_bin(
            f"--addons-path={ADDONS_PATH}", "db", "init", cls.db, "--with-demo", "--country", "CN"
        )
        if init.returncode:
            raise RuntimeError(f"db init failed:\n{init.stderr[-3000:]}")

    @classmethod
    def tearDownClass(cls):
        drop_db(cls.db)

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
            rc, log = self._run("-i", f"{tmp}/install.log")
            self.assertEqual(rc, 0, log[-3000:])
            self.assertIn("Module rma_factory: loading demo", log, "demo data was not loaded")
            self.assertEqual(problem_lines(log), [], "install log has problems")
            self.assertNotIn("demo data failed to install", log)

            rc, log = self._run("-u", f"{tmp}/upgrade.log")
            self.assertEqual(rc, 0, log[-3000:])
            self.assertIn("rma_factory", log)
            self.assertEqual(problem_lines(log), [], "upgrade log has problems")
