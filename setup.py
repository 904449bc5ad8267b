"""Packages the rma_factory addon as ``odoo.addons.rma_factory``.

``pip install .`` into an environment where Odoo 19 is installed makes the module importable
and installable from there, without adding the repository to ``--addons-path``."""

import ast
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
ADDON = "rma_factory"


def manifest():
    with open(os.path.join(HERE, ADDON, "__manifest__.py"), encoding="utf-8") as f:
        return ast.literal_eval(f.read())


def addon_packages():
    """Every Python package of the addon, under the odoo.addons namespace."""
    packages = {}
    for root, _dirs, files in os.walk(os.path.join(HERE, ADDON)):
        if "__init__.py" in files and "__pycache__" not in root:
            rel = os.path.relpath(root, HERE)
            packages["odoo.addons." + rel.replace(os.sep, ".")] = rel
    return packages


def addon_data_files():
    """Non-Python files (XML, CSV, PO, JS, images) shipped inside the addon package."""
    data = []
    base = os.path.join(HERE, ADDON)
    for root, _dirs, files in os.walk(base):
        if "__pycache__" in root:
            continue
        data += [
            os.path.relpath(os.path.join(root, f), base) for f in files if not f.endswith((".py", ".pyc"))
        ]
    return data


MANIFEST = manifest()
PACKAGES = addon_packages()

setup(
    name="odoo-addon-rma-factory",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    author=MANIFEST["author"],
    license=MANIFEST["license"],
    python_requires=">=3.10",
    install_requires=["xlsxwriter", "cn2an"],
    packages=list(PACKAGES),
    package_dir=PACKAGES,
    package_data={"odoo.addons." + ADDON: addon_data_files()},
    include_package_data=False,
    zip_safe=False,
)
