"""The layering of DESIGN.md, enforced: the domain stays pure and offline stays generic.

Checked two ways: statically (no import statement names a forbidden package) and at run
time (importing every domain module in a fresh interpreter loads none of them).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_FORBIDDEN = {"textual", "httpx", "tinydb", "keyring", "reportlab", "platformdirs"}
OFFLINE_FORBIDDEN = {"textual", "counterdesk"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("counterdesk/domain", DOMAIN_FORBIDDEN), ("offline", OFFLINE_FORBIDDEN)],
)
def test_no_forbidden_import_statement(package: str, forbidden: set[str]) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found in {package}"
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden) for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_domain_loads_no_forbidden_package() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "counterdesk" / "domain").rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(DOMAIN_FORBIDDEN)!r})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from textual.app import App\nimport httpx.client\n", encoding="utf-8")
    assert imported_packages(module) & DOMAIN_FORBIDDEN == {"textual", "httpx"}
