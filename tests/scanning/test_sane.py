"""The real scanimage against SANE's test backend: devices listed, a page scanned into
memory and checked, and each way a scanner fails said in the officer's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from counterdesk.services.scanning import ScanProblem, check_page, list_devices, scan_page
from tests.scanning.conftest import sane_folder

pytestmark = pytest.mark.usefixtures("english")


def test_the_test_devices_are_listed_and_scan_a_real_page() -> None:
    devices = list_devices()
    assert [d.name for d in devices] == ["test:0", "test:1"]
    assert devices[0].label == "Noname frontend-tester (virtual device)"
    page = scan_page("test:0")
    checked = check_page(page, "the scan")
    assert checked.content_type == "image/png" and checked.pages == 1
    assert checked.width > 500 and checked.height > 600  # 80 × 100 mm at 200 dpi


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("SANE_STATUS_DEVICE_BUSY", "busy"),
        ("SANE_STATUS_JAMMED", "jammed"),
        ("SANE_STATUS_NO_DOCS", "feeder is empty"),
        ("SANE_STATUS_COVER_OPEN", "cover is open"),
        ("SANE_STATUS_IO_ERROR", "stopped answering"),
        ("SANE_STATUS_ACCESS_DENIED", "may not use the scanner"),
    ],
)
def test_a_failing_scanner_is_explained(
    sane_says: Callable[[str], None], status: str, words: str
) -> None:
    sane_says(f'read-status-code "{status}"')
    with pytest.raises(ScanProblem) as refused:
        # At 50 dpi the test page fits in a pipe buffer: the backend's reader can then
        # never block while it is told to stop after the failure (it can hang otherwise).
        scan_page("test:0", resolution=50)
    assert words in str(refused.value)


def test_a_blank_page_is_refused(sane_says: Callable[[str], None]) -> None:
    sane_says('test-picture "Solid white"')
    with pytest.raises(ScanProblem, match="blank page"):
        check_page(scan_page("test:0"), "The scan")


def test_no_scanner_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANE_CONFIG_DIR", str(sane_folder(tmp_path / "none", backends="")))
    assert list_devices() == []
    with pytest.raises(ScanProblem, match="cannot be reached"):
        scan_page("nosuch:0")  # no such backend
    with pytest.raises(ScanProblem, match="No scanner is chosen"):
        scan_page("")


def test_scanimage_missing_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no scanimage on it
    with pytest.raises(ScanProblem, match="sane-utils"):
        scan_page("test:0")
    with pytest.raises(ScanProblem, match="sane-utils"):
        list_devices()


def test_a_scanner_that_hangs_after_saying_busy_is_told_busy_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some backends hang while cancelling a failed scan: what scanimage said counts, and
    the officer hears it after the grace, not after the two-minute scan timeout."""
    from counterdesk.services.scanning import sane

    hanging = tmp_path / "bin" / "scanimage"
    hanging.parent.mkdir()
    hanging.write_text(
        "#!/bin/sh\necho 'scanimage: sane_read: Device busy' >&2\nexec sleep 300\n",
        encoding="utf-8",
    )
    hanging.chmod(0o755)
    monkeypatch.setattr(sane, "FAILED_GRACE_S", 0.5)
    with pytest.raises(ScanProblem, match="busy"):
        scan_page("test:0", environ={"PATH": str(hanging.parent)})
