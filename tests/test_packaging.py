"""setup.py packages the addon as odoo.addons.rma_factory: a wheel installed next to a
pip-installed Odoo 19 is importable and installable without our repository on the addons path."""

import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from .odoo_cli import ODOO_SRC, REPO_ROOT, VENV, drop_db, new_db_name, odoo_bin


def run(*cmd):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False)
    if result.returncode:
        command = " ".join(map(str, cmd))
        raise AssertionError(f"{command} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout.strip()


PURELIB = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


class TestPackaging(unittest.TestCase):
    def test_wheel_installs_next_to_pip_installed_odoo(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            # Build from a copy so that build/ and *.egg-info never land in the checkout.
            src = tmp / "src"
            shutil.copytree(REPO_ROOT / "rma_factory", src / "rma_factory",
                            ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copy(REPO_ROOT / "setup.py", src / "setup.py")
            run(VENV / "bin/pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist", src)
            wheels = list((tmp / "dist").glob("odoo_addon_rma_factory-19.0.*.whl"))
            self.assertEqual(len(wheels), 1, "exactly one wheel, versioned from the manifest")

            # A scratch venv where Odoo itself is pip-installed; its dependencies come from our venv.
            venv = tmp / "venv"
            run(sys.executable, "-m", "venv", venv)
            Path(run(venv / "bin/python", "-c", PURELIB), "_odoo_deps.pth").write_text(
                run(VENV / "bin/python", "-c", PURELIB) + "\n"
            )
            run(venv / "bin/pip", "install", "-q", "--no-deps", "--no-build-isolation", ODOO_SRC)
            run(venv / "bin/pip", "install", "-q", "--no-deps", wheels[0])

            # Found, not imported: importing the addon needs its dependencies (portal's controllers),
            # which are on the addons path of the server below, not in a bare interpreter.
            where = run(venv / "bin/python", "-c",
                        "import importlib.util; print(importlib.util.find_spec('odoo.addons.rma_factory').origin)")
            self.assertTrue(where.startswith(str(venv)), f"imported from {where}, not from the wheel")

            # Install it from there: Odoo's standard addons on the path, our repository not.
            db = new_db_name("rma_wheel")
            try:
                result = odoo_bin(
                    f"--addons-path={ODOO_SRC}/addons", "--http-interface=127.0.0.1", "-d", db,
                    "-i", "rma_factory", "--stop-after-init", python=venv / "bin/python",
                )
                self.assertEqual(result.returncode, 0, result.stderr[-3000:])
                state = odoo_bin(
                    f"--addons-path={ODOO_SRC}/addons", "shell", "-d", db, "--log-level=error",
                    python=venv / "bin/python",
                    stdin="import odoo.addons.rma_factory as a\n"
                    "m = env['ir.module.module'].search([('name', '=', 'rma_factory')])\n"
                    "print('STATE', m.state, a.__file__)\n",
                )
                self.assertIn(f"STATE installed {venv}", state.stdout, state.stderr[-2000:])
            finally:
                drop_db(db)
