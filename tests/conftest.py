"""Every test gets its own config, data, cache and log folders: no developer's real
configuration or data leaks in, and nothing a test writes leaks out."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("counterdesk-home")
    for name in ("CONFIG", "DATA", "CACHE", "LOG"):
        folder = base / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"COUNTERDESK_{name}_DIR", str(folder))
    monkeypatch.setenv("COUNTERDESK_CONFIG_FILE", str(base / "config" / "config.toml"))
    for key in ("COUNTERDESK_SERVER_URL", "COUNTERDESK_CATALOGUE"):
        monkeypatch.delenv(key, raising=False)
    return base
