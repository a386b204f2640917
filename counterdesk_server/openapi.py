"""Writes the OpenAPI document the server serves to ``docs/openapi.json``.

``python -m counterdesk_server.openapi`` regenerates it; a test fails when the file in
docs/ differs from what the application serves, so the published document never drifts.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from counterdesk_server.app import create_app
from counterdesk_server.settings import load_settings

DOCS_FILE = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        # Building the app opens no connection; the settings only need somewhere to point.
        settings = load_settings({}, data_dir=folder, secret_key="x" * 32)
        app = create_app(settings)
        try:
            return app.openapi()
        finally:
            app.state.context.close()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    DOCS_FILE.write_text(render(openapi_document()), encoding="utf-8")
    print(f"wrote {DOCS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
