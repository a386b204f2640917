"""Print jobs as the counter keeps them: their states in Chinese and English, the event a
finished print leaves for the case's audit trail, and where jobs and their PDFs are kept.

A print queue backend like ``cups``: the queue service (services/printing.py) drives jobs
through these states and retries by ``RetryPolicy``; a store keeps them with their PDFs,
which hold personal data, so a store that writes to disk must encrypt them (the sealed
store in services/printing.py does). ``MemoryJobStore`` keeps them in memory only, for
tests and one-shot scripts. No reportlab here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from counterdesk.domain.cases import Operation, OperationKind, new_operation


class JobState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    PRINTING = "printing"
    HELD = "held"
    RETRYING = "failed_retrying"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label_zh(self) -> str:
        return _STATE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _STATE_LABELS[self][1]


_STATE_LABELS = {
    JobState.QUEUED: ("排队中", "queued"),
    JobState.SENT: ("已发送", "sent"),
    JobState.PRINTING: ("打印中", "printing"),
    JobState.HELD: ("打印机暂停", "held (printer paused)"),
    JobState.RETRYING: ("失败，稍后重试", "failed, retrying"),
    JobState.COMPLETED: ("已打印", "completed"),
    JobState.CANCELLED: ("已取消", "cancelled"),
}
FINISHED = frozenset({JobState.COMPLETED, JobState.CANCELLED})
IN_CUPS = frozenset({JobState.SENT, JobState.PRINTING, JobState.HELD})


@dataclass(frozen=True)
class PrintJob:
    id: str
    case_id: str
    doc: str
    officer: str
    created_at: dt.datetime
    queue: str = ""  # the CUPS queue asked for; empty: the system default
    copies: int = 1
    reprint: bool = False
    state: JobState = JobState.QUEUED
    cups_job: str = ""  # "QUEUE-N" once CUPS has it
    attempts: int = 0
    reason: str = ""  # why it waits or failed, Chinese / English
    next_try_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    recorded: bool = False  # the print has been handed to on_record

    def describe(self) -> str:
        text = f"{self.doc} · {self.state.label_zh} / {self.state.label_en}"
        return f"{text} — {self.reason}" if self.reason else text

    def to_json(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        for key in ("created_at", "next_try_at", "updated_at", "completed_at"):
            doc[key] = doc[key].isoformat() if doc[key] else None
        doc["state"] = self.state.value
        return doc

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> PrintJob:
        values = dict(doc)
        for key in ("created_at", "next_try_at", "updated_at", "completed_at"):
            values[key] = dt.datetime.fromisoformat(values[key]) if values.get(key) else None
        values["state"] = JobState(values["state"])
        return cls(**values)


@dataclass(frozen=True)
class PrintEvent:
    """A paper that left the counter, to be recorded on its case."""

    case_id: str
    officer: str
    at: dt.datetime
    doc: str
    copies: int = 1
    reprint: bool = False

    def payload(self) -> dict[str, Any]:
        return {"doc": self.doc, "copies": self.copies, "reprint": self.reprint}

    def operation(self, base_version: int) -> Operation:
        """The case's ``record_print`` operation; the caller knows the case's version."""
        return new_operation(
            OperationKind.RECORD_PRINT,
            self.case_id,
            self.officer,
            self.at,
            base_version,
            self.payload(),
        )


class PrintJobStore(Protocol):
    """Where jobs and their PDFs are kept; PDFs are personal data (encrypt them at rest)."""

    def put(self, job: PrintJob, pdf: bytes) -> None: ...
    def update(self, job: PrintJob) -> None: ...
    def get(self, job_id: str) -> PrintJob | None: ...
    def jobs(self) -> list[PrintJob]: ...
    def pdf(self, job_id: str) -> bytes: ...
    def delete(self, job_id: str) -> None: ...


class MemoryJobStore:
    """Jobs and PDFs in memory only: nothing reaches the disk, nothing survives a restart."""

    def __init__(self) -> None:
        self._jobs: dict[str, PrintJob] = {}
        self._pdfs: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, job: PrintJob, pdf: bytes) -> None:
        with self._lock:
            self._jobs[job.id] = job
            self._pdfs[job.id] = pdf

    def update(self, job: PrintJob) -> None:
        with self._lock:
            if job.id not in self._jobs:
                raise KeyError(job.id)
            self._jobs[job.id] = job

    def get(self, job_id: str) -> PrintJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[PrintJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: job.created_at)

    def pdf(self, job_id: str) -> bytes:
        with self._lock:
            return self._pdfs[job_id]

    def delete(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)
            self._pdfs.pop(job_id, None)


@dataclass(frozen=True)
class RetryPolicy:
    """Seconds to wait before the n-th retry; the last delay repeats for ever."""

    delays: Sequence[float] = (5, 15, 30, 60, 120, 300)

    def delay(self, attempts: int) -> dt.timedelta:
        index = min(max(attempts - 1, 0), len(self.delays) - 1)
        return dt.timedelta(seconds=self.delays[index])
