"""The README's two commands exist, CI runs the test command, and a missing Odoo is explained."""

import os
import subprocess
import unittest

from .odoo_cli import REPO_ROOT


class TestReadmeCommands(unittest.TestCase):
    def test_readme_names_the_two_commands_and_ci_runs_the_test_one(self):
        readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
        self.assertIn("scripts/serve.sh", readme)
        self.assertIn("scripts/test.sh", readme)
        self.assertIn("ODOO_SRC", readme)
        ci = (REPO_ROOT / ".ci/run").read_text(encoding="utf-8")
        self.assertIn("scripts/test.sh", ci)

    def test_missing_odoo_source_stops_with_instructions(self):
        for script in ("serve.sh", "test.sh"):
            env = dict(os.environ, ODOO_SRC="/nonexistent/odoo")
            result = subprocess.run(
                ["bash", str(REPO_ROOT / "scripts" / script)], capture_output=True, text=True, env=env,
                timeout=60, check=False,
            )
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("Odoo 19.0 source not found", result.stderr)
            self.assertIn("git clone", result.stderr)
