"""Finding every message the screens show: ``_("...")`` calls and Binding descriptions in
the App, screens, widgets and the services that speak to the officer."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "counterdesk"
SOURCES = [
    *sorted(ROOT.glob("app*.py")),
    ROOT / "keymap.py",
    *sorted((ROOT / "screens").rglob("*.py")),
    *sorted((ROOT / "widgets").rglob("*.py")),
    *sorted((ROOT / "services").rglob("*.py")),
]


def messages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "_" and node.args and isinstance(node.args[0], ast.Constant):
            if isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
        if name == "Binding":
            texts = [a for a in node.args[2:3] if isinstance(a, ast.Constant)]
            texts += [k.value for k in node.keywords if k.arg == "description"]
            found.update(t.value for t in texts if isinstance(t, ast.Constant) and t.value)
    return found


def all_messages() -> dict[str, set[str]]:
    return {str(path.relative_to(ROOT.parent)): messages(path) for path in SOURCES}
