"""Run odoo-bin the way the README's commands do, for repository-level tests."""

import atexit
import os
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo-src"))
VENV = Path(
    os.environ.get("VENV")
    or os.environ.get("RMA_VENV")
    or Path.home() / ".cache/rma_factory/venv-odoo19-py311"
)
ADDONS_PATH = os.environ.get(
    "RMA_ADDONS_PATH", f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO_ROOT}"
)
# A log line is "DATE TIME PID LEVEL DB LOGGER: MESSAGE".
PROBLEM_LINE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def odoo_bin(*args, python=None, timeout=900, stdin=None):
    """odoo-bin from the Odoo source checkout, or the `odoo` script of another venv."""
    if python:
        cmd = [str(Path(python).parent / "odoo"), *args]
    else:
        cmd = [str(VENV / "bin/python"), str(ODOO_SRC / "odoo-bin"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, input=stdin)


def new_db_name(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def drop_db(name):
    odoo_bin(f"--addons-path={ADDONS_PATH}", "db", "drop", name)


def problem_lines(log_text):
    return [line for line in log_text.splitlines() if PROBLEM_LINE.match(line)]


_SCRATCH = {}


def scratch_db():
    """One database with Odoo's CN demo data (the module not installed yet), shared by the
    repository-level tests of a run and dropped when it ends."""
    if "name" not in _SCRATCH:
        name = new_db_name("rma_scratch")
        init = odoo_bin(f"--addons-path={ADDONS_PATH}", "db", "init", name, "--with-demo", "--country", "CN")
        if init.returncode:
            raise RuntimeError(f"db init failed:\n{init.stderr[-3000:]}")
        _SCRATCH["name"] = name
        atexit.register(drop_db, name)
    return _SCRATCH["name"]


def installed_scratch_db():
    """The scratch database with rma_factory installed (with its demo data), installed once;
    returns (name, return code, install log)."""
    name = scratch_db()
    if "install" not in _SCRATCH:
        with tempfile.TemporaryDirectory() as tmp:
            logfile = f"{tmp}/install.log"
            result = odoo_bin(
                f"--addons-path={ADDONS_PATH}", "--http-interface=127.0.0.1", "-d", name,
                "-i", "rma_factory", "--stop-after-init", f"--logfile={logfile}",
            )
            with open(logfile, encoding="utf-8") as handle:
                _SCRATCH["install"] = (result.returncode, handle.read())
    return (name, *_SCRATCH["install"])
