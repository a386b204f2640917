"""Scanning tests use SANE's real ``test`` backend through the real ``scanimage``. It is off
by default (/etc/sane.d/dll.conf), so each test points SANE at a configuration folder of
its own (``SANE_CONFIG_DIR``) that enables it and says what it scans: a colour pattern,
or a failure (busy, jammed...) for the error tests. No file under /etc is edited."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counterdesk import i18n
from tests.tui.conftest import memory_keyring  # noqa: F401 (autouse: an in-memory keyring)

COLOUR_PAGE = 'test-picture "Color pattern"\nmode Color\n'


def sane_folder(folder: Path, test_conf: str = COLOUR_PAGE, backends: str = "test\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dll.conf").write_text(backends, encoding="utf-8")
    (folder / "test.conf").write_text(test_conf, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def sane_test_device(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    if shutil.which("scanimage") is None:
        if os.environ.get("CI"):
            pytest.fail("scanimage is missing: .ci/run installs sane-utils")
        pytest.skip("scanimage (sane-utils) is not installed")
    folder = sane_folder(tmp_path_factory.mktemp("sane"))
    monkeypatch.setenv("SANE_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, whatever an earlier test chose (the App sets the language)."""
    before = i18n.current()
    i18n.use("en")
    yield
    i18n.use(before)


@pytest.fixture
def sane_says(sane_test_device: Path) -> Callable[[str], None]:
    """Make the test device behave otherwise: ``sane_says('read-status-code "…"')``."""

    def configure(test_conf: str) -> None:
        # Grey, as the backend fails at once there (in colour it can hang on some codes).
        (sane_test_device / "test.conf").write_text(test_conf + "\n", "utf-8")

    return configure
