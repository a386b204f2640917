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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the machine's one CUPS scheduler run on one pytest-xdist worker
    (``--dist loadgroup``): two workers would add, use and remove its queue at once."""
    for item in items:
        if "cups_printer" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("cups"))
