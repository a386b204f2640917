"""A real CUPS scheduler with the cups-pdf virtual printer, for the printing tests.

cupsd has no systemd here, so the fixture starts it in the foreground as a child process
when none is running (and stops it at the end), creates the cups-pdf queue with lpadmin,
and finds where cups-pdf writes its output (~/PDF of the submitting user by default).
A scheduler that was already running is used, never stopped. Outside CI the tests skip
when CUPS is not installed; in CI (CI=true) that is a failure: the tests must run there.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

QUEUE = "counterdesk-pdf"
CUPS_TOOLS = ("cupsd", "lp", "lpstat", "lpadmin", "lpinfo", "cupsenable", "cupsdisable", "cancel")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.1)  # wait-ok: polling interval while waiting on a condition


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CUPS is required in CI: {reason}")
    pytest.skip(reason)


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    done = subprocess.run(args, capture_output=True, text=True, timeout=30, env=env, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return done


def scheduler_running() -> bool:
    return run("lpstat", "-r", check=False).stdout.strip() == "scheduler is running"


@dataclass
class CupsPdfPrinter:
    queue: str
    output_dir: Path
    started: subprocess.Popen[bytes] | None = None  # the cupsd we started, if any
    extra_queues: list[str] = field(default_factory=list)

    @property
    def owns_scheduler(self) -> bool:
        return self.started is not None

    def start_scheduler(self) -> None:
        # -f: stay in the foreground as our child, so that we, and only we, stop it.
        self.started = subprocess.Popen(
            ["cupsd", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(scheduler_running, 30, "cupsd to start")

    def stop_scheduler(self) -> None:
        assert self.started is not None, "only a scheduler this session started is stopped"
        self.started.terminate()
        self.started.wait(timeout=30)
        wait_until(lambda: not scheduler_running(), 30, "cupsd to stop")

    def add_queue(self, name: str) -> None:
        model = cups_pdf_model()
        run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-m", model)
        if name != self.queue and name not in self.extra_queues:
            self.extra_queues.append(name)
        wait_until(lambda: "enabled" in run("lpstat", "-p", name, check=False).stdout, 30, name)

    def remove_queue(self, name: str) -> None:
        run("lpadmin", "-x", name, check=False)

    def output_for(self, title_token: str) -> Path:
        """The PDF cups-pdf wrote for the job whose title holds ``title_token``."""

        def find() -> Path | None:
            found = [p for p in self.output_dir.glob("*.pdf") if title_token in p.name]
            return max(found, key=lambda p: p.stat().st_mtime) if found else None

        return wait_until(find, 30, f"cups-pdf output for {title_token}")  # type: ignore[return-value]


def cups_pdf_model() -> str:
    models = run("lpinfo", "-m").stdout.splitlines()
    names = [line.split()[0] for line in models if "CUPS-PDF" in line]
    if not names:
        unavailable("the cups-pdf printer model is not installed (printer-driver-cups-pdf)")
    return next((n for n in names if n.endswith("CUPS-PDF_opt.ppd")), names[0])


def cups_pdf_output_dir() -> Path:
    """Where cups-pdf writes for the current user (its ``Out`` setting, ${HOME} expanded)."""
    user = pwd.getpwuid(os.getuid())
    out = "/var/spool/cups-pdf/${USER}"
    if CUPS_PDF_CONF.exists():
        for line in CUPS_PDF_CONF.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    out = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return Path(out)


@pytest.fixture(scope="session")
def cups_printer() -> Iterator[CupsPdfPrinter]:
    missing = [tool for tool in CUPS_TOOLS if shutil.which(tool) is None]
    if missing:
        unavailable(f"CUPS tools not installed: {', '.join(missing)}")
    if not CUPS_PDF_BACKEND.exists():
        unavailable("the cups-pdf backend is not installed (printer-driver-cups-pdf)")
    printer = CupsPdfPrinter(QUEUE, cups_pdf_output_dir())
    if not scheduler_running():
        if os.geteuid() != 0:
            unavailable("cupsd is not running and only root can start it")
        printer.start_scheduler()
    try:
        printer.add_queue(QUEUE)
    except AssertionError as exc:
        if printer.started:
            printer.stop_scheduler()
        unavailable(f"cannot create the cups-pdf queue: {exc}")
    try:
        yield printer
    finally:
        if printer.owns_scheduler and not scheduler_running():
            printer.start_scheduler()  # a test stopped it; lpadmin needs it to clean up
        for name in [QUEUE, *printer.extra_queues]:
            printer.remove_queue(name)
        if printer.started is not None:
            printer.started.terminate()
            printer.started.wait(timeout=30)
