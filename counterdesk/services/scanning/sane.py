"""SANE through ``scanimage``: which scanners there are (``scanimage -L``), and one page
scanned from one of them.

``scanimage`` writes the page to its standard output, which is a pipe read into memory:
the page never touches the disk in clear. It exits with the SANE status of what went
wrong (device busy, jammed, cover open...), which is said here in the officer's words.
Once it has said a failure it is given a few seconds to end: some backends hang while
cancelling, and the officer should hear "busy" now, not "no answer" in two minutes.
Blocking: call from a worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from counterdesk.i18n import _
from counterdesk.services.scanning.errors import ScanProblem

SCANIMAGE = "scanimage"
RESOLUTION_DPI = 200  # legible text at a size the server takes
SCAN_TIMEOUT_S = 120.0  # a flatbed at 600 dpi takes about a minute
LIST_TIMEOUT_S = 60.0  # network scanners are looked for too
FAILED_GRACE_S = 5.0  # after scanimage said what failed, time for it to end by itself
_LIST_FORMAT = "--formatted-device-list=%d\t%v\t%m\t%t%n"

# scanimage exits with the SANE_Status of the failure (sane/sane.h), and says it on
# stderr ("scanimage: sane_read: Device busy"); some failures after the page started exit
# 0 all the same, so what it said counts too.
_BUSY, _JAMMED, _NO_DOCS, _COVER_OPEN, _IO_ERROR, _NO_MEM, _DENIED = 3, 6, 7, 8, 9, 10, 11
_SAID = {
    "device busy": _BUSY,
    "document feeder jammed": _JAMMED,
    "document feeder out of documents": _NO_DOCS,
    "scanner cover is open": _COVER_OPEN,
    "error during device i/o": _IO_ERROR,
    "out of memory": _NO_MEM,
    "access to resource has been denied": _DENIED,
}


@dataclass(frozen=True)
class ScannerDevice:
    name: str  # what SANE calls it, e.g. "genesys:libusb:001:004", "test:0"
    vendor: str = ""
    model: str = ""
    kind: str = ""

    @property
    def label(self) -> str:
        described = " ".join(part for part in (self.vendor, self.model) if part)
        return f"{described} ({self.kind})" if self.kind and described else described


def list_devices(environ: Mapping[str, str] | None = None) -> list[ScannerDevice]:
    """The scanners SANE finds now (may take a while: network scanners are asked)."""
    done = _run([_LIST_FORMAT], LIST_TIMEOUT_S, environ)
    if done.returncode != 0:
        raise ScanProblem(_explain(done.returncode, _text(done.stderr), ""))
    devices = []
    for line in _text(done.stdout).splitlines():
        name, _tab, rest = line.partition("\t")
        if not name.strip():
            continue
        vendor, model, kind = ([*rest.split("\t"), "", "", ""])[:3]
        devices.append(ScannerDevice(name.strip(), vendor.strip(), model.strip(), kind.strip()))
    return devices


def scan_page(
    device: str, *, resolution: int = RESOLUTION_DPI, environ: Mapping[str, str] | None = None
) -> bytes:
    """One page from ``device`` as PNG bytes (not yet checked: see ``pages.check_page``)."""
    if not device:
        raise ScanProblem(_("No scanner is chosen yet: choose one first (S on the checklist)."))
    arguments = ["--device-name", device, "--format=png", "--resolution", str(resolution)]
    done = _run(arguments, SCAN_TIMEOUT_S, environ)
    if done.returncode != 0 and "resolution" in _text(done.stderr):
        # A backend without the usual resolution option: scan at its own.
        done = _run(["--device-name", device, "--format=png"], SCAN_TIMEOUT_S, environ)
    code = _status(done.returncode, _text(done.stderr))
    if code != 0:
        raise ScanProblem(_explain(code, _text(done.stderr), device))
    return done.stdout


def _status(code: int, stderr: str) -> int:
    said = stderr.lower()
    for words, status in _SAID.items():
        if words in said:
            return status
    return code


def _run(
    arguments: list[str], timeout: float, environ: Mapping[str, str] | None
) -> subprocess.CompletedProcess[bytes]:
    program = shutil.which(SCANIMAGE, path=(environ or os.environ).get("PATH"))
    if program is None:
        raise ScanProblem(
            _(
                "The scanning program scanimage is not installed: ask the administrator to "
                "install sane-utils (apt install sane-utils)."
            )
        )
    try:
        process = subprocess.Popen(
            [program, *arguments],
            stdout=subprocess.PIPE,  # the page comes through a pipe into memory, never a file
            stderr=subprocess.PIPE,
            env=dict(environ) if environ is not None else None,
        )
    except OSError as exc:
        raise ScanProblem(
            _("scanimage could not be started: {reason}").format(reason=exc.strerror or exc)
        ) from exc
    with process:
        return _wait(process, arguments, timeout)


def _wait(
    process: subprocess.Popen[bytes], arguments: list[str], timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """Until scanimage ends; a few seconds more at most once it has said a failure."""
    out, err = process.stdout, process.stderr
    assert out is not None and err is not None
    page: list[bytes] = []
    said: list[bytes] = []
    settled = threading.Event()  # a failure was said, or stderr closed

    def read_page() -> None:
        page.append(out.read())

    def read_said() -> None:
        for line in err:
            said.append(line)
            if _status(0, _text(line)):
                settled.set()
        settled.set()

    readers = [threading.Thread(target=read, daemon=True) for read in (read_page, read_said)]
    for reader in readers:
        reader.start()
    ends = time.monotonic() + timeout
    failed = settled.wait(timeout) and bool(_status(0, _text(b"".join(said))))
    try:
        process.wait(FAILED_GRACE_S if failed else max(0.0, ends - time.monotonic()))
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.wait()
        if not failed:
            raise ScanProblem(
                _("The scanner did not finish within {seconds} s: check it and try again.").format(
                    seconds=int(timeout)
                )
            ) from exc
    for reader in readers:
        reader.join()
    return subprocess.CompletedProcess(
        [SCANIMAGE, *arguments], process.returncode, b"".join(page), b"".join(said)
    )


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").strip()


def _explain(code: int, stderr: str, device: str) -> str:
    """scanimage's failure in the officer's words, with what to do."""
    said = stderr.lower()
    if "no sane devices found" in said:
        return _("No scanner found: check that it is plugged in and switched on.")
    if code == _BUSY or "device busy" in said:
        return _(
            "The scanner is busy (another program is using it, or it is warming up): "
            "try again in a moment."
        )
    if code == _JAMMED:
        return _("Paper is jammed in the scanner's feeder: clear it and scan again.")
    if code == _NO_DOCS:
        return _("The scanner's feeder is empty: put the page in and scan again.")
    if code == _COVER_OPEN:
        return _("The scanner's cover is open: close it and scan again.")
    if code == _IO_ERROR:
        return _(
            "The scanner stopped answering (input/output error): check its cable and power, "
            "then try again."
        )
    if code == _NO_MEM:
        return _("The scanner ran out of memory: try again, or scan at a lower resolution.")
    if code == _DENIED or "access to resource has been denied" in said:
        return _(
            "This account may not use the scanner: ask the administrator to give it access "
            "(the scanner group)."
        )
    if "open of device" in said or "invalid argument" in said:
        return _(
            "The scanner {device} cannot be reached: is it plugged in and on? Or choose "
            "another one (S on the checklist)."
        ).format(device=device)
    last = stderr.splitlines()[-1] if stderr else _("no message")
    return _("The scan failed: {reason}").format(reason=last.removeprefix("scanimage: "))
