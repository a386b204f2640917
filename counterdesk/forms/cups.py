"""Printing through CUPS with its own command-line tools: ``lp`` to submit, ``lpstat`` (and
``ipptool`` where installed) to follow a job until CUPS says it is completed.

lp's exit status only says CUPS took the job, not that it printed, so a job is followed to
its end. The PDF goes to lp on standard input: no file of ours holds it on disk. Every
command runs with the C locale (its messages are parsed) and a time limit, so a hung
scheduler cannot hang the caller. No reportlab here: the print queue loads this alone.

CUPS keeps its own spool copy of a job (root-only, in /var/spool/cups) until its
``PreserveJobFiles`` setting lets it go; ``cupsctl PreserveJobFiles=No`` makes it delete the
copy as soon as the job is done (docs/papers.md).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

log = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"request id is (\S+)")
_JOB_STATE = re.compile(r"job-state \(enum\) = ([a-z-]+)")


class CupsProblem(StrEnum):
    NOT_INSTALLED = "not_installed"
    NO_SCHEDULER = "no_scheduler"
    QUEUE_MISSING = "queue_missing"
    NO_DEFAULT = "no_default"
    REFUSED = "refused"


_PROBLEM_TEXT = {
    CupsProblem.NOT_INSTALLED: ("未安装打印系统（CUPS）", "CUPS printing tools are not installed"),
    CupsProblem.NO_SCHEDULER: ("打印服务（CUPS）未运行", "the CUPS scheduler is not running"),
    CupsProblem.QUEUE_MISSING: ("找不到打印机", "printer not found"),
    CupsProblem.NO_DEFAULT: ("未设置默认打印机", "no default printer is set"),
    CupsProblem.REFUSED: ("打印系统拒绝了任务", "CUPS refused the job"),
}


class CupsError(Exception):
    """CUPS could not take or report on a job; ``reason`` is Chinese / English."""

    def __init__(self, problem: CupsProblem, detail: str = "") -> None:
        zh, en = _PROBLEM_TEXT[problem]
        self.problem = problem
        self.detail = detail.strip()
        self.reason = f"{zh} / {en}" + (f": {self.detail}" if self.detail else "")
        super().__init__(self.reason)


class CupsJobState(StrEnum):
    PENDING = "pending"  # waiting in CUPS
    HELD = "held"  # waiting because the printer is paused (disabled)
    PROCESSING = "processing"
    COMPLETED = "completed"
    CANCELED = "canceled"
    ABORTED = "aborted"
    UNKNOWN = "unknown"  # CUPS no longer knows the job


@dataclass(frozen=True)
class CupsStatus:
    state: CupsJobState
    message: str = ""  # the printer's own words, e.g. "Paused" or "media-empty-error"


def queue_of(job_id: str) -> str:
    """CUPS names jobs ``QUEUE-N``; queue names may themselves hold dashes."""
    return job_id.rsplit("-", 1)[0]


class Cups:
    """The CUPS client tools; ``server`` (host[:port] or a socket path) overrides the
    default scheduler, as ``CUPS_SERVER`` does."""

    def __init__(self, server: str = "", timeout: float = 15.0) -> None:
        self.server = server
        self.timeout = timeout
        self.ipptool = shutil.which("ipptool")

    def _run(self, args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "LANGUAGE": "C"}
        if self.server:
            env["CUPS_SERVER"] = self.server
        try:
            done = subprocess.run(
                args, input=data, capture_output=True, timeout=self.timeout, env=env, check=False
            )
        except FileNotFoundError as exc:
            raise CupsError(CupsProblem.NOT_INSTALLED, f"{args[0]} not found") from exc
        except subprocess.TimeoutExpired as exc:
            raise CupsError(
                CupsProblem.NO_SCHEDULER, f"{args[0]} got no answer in {self.timeout:g} s"
            ) from exc
        return subprocess.CompletedProcess(
            args,
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )

    def scheduler_running(self) -> bool:
        done = self._run(["lpstat", "-r"])
        return done.stdout.strip() == "scheduler is running"

    def queues(self) -> list[str]:
        """The queues CUPS has (``lpstat -a``), for the settings screen to offer."""
        done = self._run(["lpstat", "-a"])
        if done.returncode != 0:
            if "No destinations" in done.stderr:
                return []
            raise self._failure(done.stderr)
        return [line.split()[0] for line in done.stdout.splitlines() if line[:1].strip()]

    def submit(
        self, pdf: bytes, queue: str = "", title: str = "counterdesk", copies: int = 1
    ) -> str:
        """Hand the PDF to CUPS; the job id (``QUEUE-N``). ``queue`` empty: the default."""
        args = ["lp", "-n", str(copies), "-t", title]
        if queue:
            args += ["-d", queue]
        done = self._run(args, pdf)
        found = _REQUEST_ID.search(done.stdout)
        if done.returncode == 0 and found:
            return found.group(1)
        raise self._failure(done.stderr or done.stdout)

    def status(self, job_id: str) -> CupsStatus:
        queue = queue_of(job_id)
        waiting = self._run(["lpstat", "-o", queue])
        if waiting.returncode != 0:
            raise self._failure(waiting.stderr)
        if job_id in _job_ids(waiting.stdout):
            return self._waiting_status(queue, job_id)
        done = self._run(["lpstat", "-W", "completed", "-o", queue])
        if done.returncode != 0:
            raise self._failure(done.stderr)
        if job_id not in _job_ids(done.stdout):
            return CupsStatus(CupsJobState.UNKNOWN)
        return CupsStatus(self._final_state(job_id))

    def cancel(self, job_id: str) -> None:
        done = self._run(["cancel", job_id])
        if done.returncode != 0 and "already" not in done.stderr:
            raise self._failure(done.stderr)

    def _waiting_status(self, queue: str, job_id: str) -> CupsStatus:
        printer = self._run(["lpstat", "-p", queue])
        if printer.returncode != 0:
            raise self._failure(printer.stderr)
        first, _, rest = printer.stdout.strip().partition("\n")
        message = " ".join(line.strip() for line in rest.splitlines() if line.strip())
        if " disabled " in f"{first} ":
            return CupsStatus(CupsJobState.HELD, message)
        if f"now printing {job_id}." in first or first.endswith(f"now printing {job_id}"):
            return CupsStatus(CupsJobState.PROCESSING, message)
        return CupsStatus(CupsJobState.PENDING, message)

    def _final_state(self, job_id: str) -> CupsJobState:
        """lpstat lists completed, cancelled and aborted jobs alike; ipptool tells them
        apart. Without it (or with a socket-only server) a finished job counts as completed."""
        if not self.ipptool or self.server.startswith("/"):
            return CupsJobState.COMPLETED
        host = self.server or "localhost"
        number = job_id.rsplit("-", 1)[-1]
        uri = f"ipp://{host}/jobs/{number}"
        args = [self.ipptool, "-T", str(int(self.timeout)), "-tv", uri, "get-job-attributes.test"]
        try:
            found = _JOB_STATE.search(self._run(args).stdout)
        except CupsError:
            found = None
        if found is None:
            log.warning("ipptool could not read the state of %s; counting it completed", job_id)
            return CupsJobState.COMPLETED
        state = found.group(1)
        if state == "canceled":
            return CupsJobState.CANCELED
        if state == "aborted":
            return CupsJobState.ABORTED
        return CupsJobState.COMPLETED

    def _failure(self, stderr: str) -> CupsError:
        """What an lp or lpstat failure means. With the scheduler down lp says the printer
        "does not exist", exactly as for a real unknown queue, so ask the scheduler first."""
        text = stderr.strip()
        if not self.scheduler_running():
            return CupsError(CupsProblem.NO_SCHEDULER, text)
        if "No default destination" in text:
            return CupsError(CupsProblem.NO_DEFAULT, text)
        if (
            "does not exist" in text
            or "Invalid destination" in text
            or "Unknown destination" in text
        ):
            return CupsError(CupsProblem.QUEUE_MISSING, text)
        return CupsError(CupsProblem.REFUSED, text)


def _job_ids(listing: str) -> set[str]:
    return {line.split()[0] for line in listing.splitlines() if line and not line[0].isspace()}


class PrinterBackend(Protocol):
    """What the print queue needs of a printing system; ``Cups`` is the one in use."""

    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str: ...
    def status(self, job_id: str) -> CupsStatus: ...
    def cancel(self, job_id: str) -> None: ...
