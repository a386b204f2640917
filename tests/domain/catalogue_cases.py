"""Helpers for catalogue tests: the small test catalogue and ways to break it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from counterdesk.domain.catalogue import CatalogueError, parse_catalogue

MINI = Path(__file__).resolve().parent.parent / "data" / "mini_catalogue.json"


def mini() -> dict[str, Any]:
    return json.loads(MINI.read_text(encoding="utf-8"))


def problems_of(doc: Any) -> list[str]:
    data = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
    try:
        parse_catalogue(data)
    except CatalogueError as exc:
        return exc.problems
    return []


def changed(edit) -> dict[str, Any]:
    doc = copy.deepcopy(mini())
    edit(doc)
    return doc
