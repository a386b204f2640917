"""The server depends on the shared domain and nothing else of the project (DESIGN.md:
server -> domain), and on none of the counter's outside packages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "counterdesk_server"
FORBIDDEN = {"textual", "tinydb", "keyring", "reportlab", "offline"}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_server_imports_only_the_domain_of_counterdesk() -> None:
    offenders = {}
    for path in sorted(SERVER.rglob("*.py")):
        bad = sorted(
            name
            for name in imports_of(path)
            if name.split(".")[0] in FORBIDDEN
            # the bare package only holds __version__ and imports nothing
            or (name.startswith("counterdesk.") and not name.startswith("counterdesk.domain"))
        )
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_starting_the_app_loads_no_counter_package() -> None:
    code = (
        "import sys, counterdesk_server.app, counterdesk_server.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(FORBIDDEN)!r} or m.startswith(('counterdesk.services', 'counterdesk.screens',"
        " 'counterdesk.forms')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
