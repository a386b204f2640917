"""The print queue: papers go to CUPS without ever blocking the counter, survive a printer
that is off, paused, out of paper or missing, and every print is recorded on its case.

``submit`` only stores the job (with its PDF, for reprints) and returns; ``poll`` — called
from a worker thread, or by ``run`` in a thread of its own — sends due jobs with ``lp``,
follows them until CUPS says completed, and retries failures with a growing delay. The
officer sees each job's state in Chinese and English. A completed print (or reprint, or
export) is handed to ``on_record`` as a ``PrintEvent``, which becomes the case's
``record_print`` operation: the audit trail has one format, the case's own.

Jobs and PDFs live in a ``PrintJobStore``: ``SealedJobStore`` keeps them on disk sealed
with the offline store's cipher and data key, so queued jobs survive a restart and the
PDFs kept for reprints are never unencrypted on disk; ``MemoryJobStore`` keeps them in
memory only, for tests and one-shot scripts (``counterdesk print``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counterdesk.domain.clock import Clock, SystemClock
from counterdesk.forms.cups import Cups, CupsError, CupsJobState, CupsProblem, PrinterBackend
from counterdesk.forms.print_jobs import (
    FINISHED,
    IN_CUPS,
    JobState,
    MemoryJobStore,
    PrintEvent,
    PrintJob,
    PrintJobStore,
    RetryPolicy,
)
from offline import AES_256_GCM, DamagedFile
from offline.durable import fsync_directory, remove_orphan_temps, write_atomic
from offline.sealing import Sealer

__all__ = [
    "FINISHED",
    "PERSONAL_DATA_WARNING",
    "JobState",
    "MemoryJobStore",
    "PrintEvent",
    "PrintJob",
    "PrintJobStore",
    "PrintQueue",
    "PrinterBackend",
    "RetryPolicy",
    "SealedJobStore",
    "export_pdf",
]

log = logging.getLogger(__name__)

PERSONAL_DATA_WARNING = (
    "导出的文件含有公民个人信息且未加密，请妥善保管，用后及时删除。"
    " / The exported file holds personal data, unencrypted: keep it safe and delete it "
    "when no longer needed."
)


class SealedJobStore:
    """Jobs and their PDFs in a folder of files sealed with the offline store's cipher and
    data key: nothing about a job, least of all its PDF, is on disk unencrypted. Each file
    is bound to its job and kind, so swapped or altered files fail to open. The PDF is
    written once; a job's state file is replaced atomically on every change.

    One process at a time: keep the folder beside the local store, whose owner lock the
    counter already holds (``locations.data_dir() / "print-jobs"``).
    """

    def __init__(self, folder: Path | str, key: bytes, cipher: str = AES_256_GCM) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        remove_orphan_temps(self.folder)
        self._sealer = Sealer(cipher, key, "counterdesk-print-jobs")
        self._lock = threading.Lock()
        self._jobs: dict[str, PrintJob] = {}
        for path in sorted(self.folder.glob("*.job")):
            try:
                data = self._sealer.unseal_file(path.read_bytes(), f"job|{path.stem}", path)
                self._jobs[path.stem] = PrintJob.from_json(json.loads(data))
            except (DamagedFile, ValueError, TypeError, KeyError) as exc:
                log.warning("print job file %s skipped: %s", path, exc)

    def _write(self, job_id: str, kind: str, data: bytes) -> None:
        path = self.folder / f"{job_id}.{kind}"
        write_atomic(path, self._sealer.seal_file(data, f"{kind}|{job_id}"))

    def put(self, job: PrintJob, pdf: bytes) -> None:
        with self._lock:
            self._write(job.id, "pdf", pdf)  # the PDF first: a job file never lacks one
            self._write(job.id, "job", json.dumps(job.to_json()).encode())
            self._jobs[job.id] = job

    def update(self, job: PrintJob) -> None:
        with self._lock:
            if job.id not in self._jobs:
                raise KeyError(job.id)
            self._write(job.id, "job", json.dumps(job.to_json()).encode())
            self._jobs[job.id] = job

    def get(self, job_id: str) -> PrintJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[PrintJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: job.created_at)

    def pdf(self, job_id: str) -> bytes:
        path = self.folder / f"{job_id}.pdf"
        if job_id not in self._jobs or not path.exists():
            raise KeyError(job_id)
        return self._sealer.unseal_file(path.read_bytes(), f"pdf|{job_id}", path)

    def delete(self, job_id: str) -> None:
        with self._lock:
            self._jobs.pop(job_id, None)
            for kind in ("job", "pdf"):
                (self.folder / f"{job_id}.{kind}").unlink(missing_ok=True)
            fsync_directory(self.folder)


class PrintQueue:
    def __init__(
        self,
        store: PrintJobStore,
        backend: PrinterBackend | None = None,
        clock: Clock | None = None,
        on_record: Callable[[PrintEvent], None] | None = None,
        default_queue: str = "",
        policy: RetryPolicy | None = None,
    ) -> None:
        self.store = store
        self.backend: PrinterBackend = backend or Cups()
        self.clock: Clock = clock or SystemClock()
        self.on_record = on_record
        self.default_queue = default_queue
        self.policy = policy or RetryPolicy()
        self._lock = threading.RLock()  # job read-modify-write; never held during I/O
        self._polling = threading.Lock()  # one poll at a time

    # --- what the counter calls (returns at once) -------------------------------------------

    def submit(
        self,
        case_id: str,
        doc: str,
        pdf: bytes,
        officer: str,
        copies: int = 1,
        queue: str | None = None,
        reprint: bool = False,
    ) -> PrintJob:
        now = self.clock.now()
        job = PrintJob(
            id=uuid.uuid4().hex,
            case_id=case_id,
            doc=doc,
            officer=officer,
            created_at=now,
            queue=self.default_queue if queue is None else queue,
            copies=copies,
            reprint=reprint,
            updated_at=now,
        )
        with self._lock:
            self.store.put(job, pdf)
        return job

    def reprint(self, job_id: str, officer: str, queue: str | None = None) -> PrintJob:
        """Print again the very PDF kept for ``job_id``: a reprint matches the original."""
        original = self._job(job_id)
        return self.submit(
            original.case_id,
            original.doc,
            self.store.pdf(job_id),
            officer,
            original.copies,
            original.queue if queue is None else queue,
            reprint=True,
        )

    def retry_now(self, job_id: str) -> PrintJob:
        """Send a waiting or cancelled job again at the next poll."""
        with self._lock:
            job = self._job(job_id)
            if job.state in IN_CUPS or job.state is JobState.COMPLETED:
                return job
            return self._save(job, state=JobState.QUEUED, next_try_at=None, reason="")

    def cancel(self, job_id: str) -> PrintJob:
        """Stop a job; one CUPS already has is cancelled there too (a short ``cancel``)."""
        with self._lock:
            job = self._job(job_id)
            if job.state in FINISHED:
                return job
            job = self._save(job, state=JobState.CANCELLED, reason="已由窗口取消 / cancelled")
        if job.cups_job:
            try:
                self.backend.cancel(job.cups_job)
            except CupsError as exc:
                log.warning("could not cancel %s in CUPS: %s", job.cups_job, exc)
        return job

    def jobs(self) -> list[PrintJob]:
        return self.store.jobs()

    def unfinished(self) -> list[PrintJob]:
        return [job for job in self.store.jobs() if job.state not in FINISHED]

    def export(
        self, case_id: str, doc: str, pdf: bytes, officer: str, folder: Path, number: str
    ) -> Path:
        """Write the PDF to a folder the officer chose (see PERSONAL_DATA_WARNING) and
        record it on the case as ``export:DOC``."""
        path = export_pdf(pdf, folder, f"{number}-{doc}")
        self._record(PrintEvent(case_id, officer, self.clock.now(), f"export:{doc}"))
        return path

    def forget_finished(self, before: dt.datetime) -> int:
        """Delete finished, recorded jobs (and their PDFs) last touched before ``before``."""
        gone = 0
        with self._lock:
            for job in self.store.jobs():
                finished = job.state in FINISHED and (
                    job.recorded or job.state is not JobState.COMPLETED
                )
                if finished and job.updated_at and job.updated_at < before:
                    self.store.delete(job.id)
                    gone += 1
        return gone

    # --- the worker's side ------------------------------------------------------------------

    def poll(self) -> list[PrintJob]:
        """Send what is due, follow what CUPS has, record what printed; the jobs that changed.
        Blocks for as long as CUPS takes to answer: call it from a worker thread."""
        changed: list[PrintJob] = []
        with self._polling:
            for job in self.store.jobs():
                after = self._step(job)
                if after != job:
                    changed.append(after)
        return changed

    def run(self, stop: threading.Event, interval: float = 2.0) -> None:
        """Poll until ``stop`` is set; for a thread of its own."""
        while not stop.is_set():
            try:
                self.poll()
            except Exception:  # a bug here must not kill the worker; the officer sees the jobs
                log.exception("print queue poll failed")
            stop.wait(interval)

    def _step(self, job: PrintJob) -> PrintJob:
        if job.state in (JobState.QUEUED, JobState.RETRYING):
            due = job.next_try_at is None or job.next_try_at <= self.clock.now()
            return self._send(job) if due else job
        if job.state in IN_CUPS:
            job = self._follow(job)
        if job.state is JobState.COMPLETED and not job.recorded:
            return self._mark_recorded(job)
        return job

    def _send(self, job: PrintJob) -> PrintJob:
        job = self._job(job.id)
        if job.state is JobState.CANCELLED:  # cancelled since this poll began
            return job
        pdf = self.store.pdf(job.id)
        title = f"counterdesk-{job.doc}-{job.id[:8]}"  # no personal data in CUPS's job list
        try:
            cups_job = self.backend.submit(pdf, job.queue, title, job.copies)
        except CupsError as exc:
            fields = self._retry_fields(job, exc.reason, failed_send=True)
            return self._update_unless_cancelled(job, **fields)
        with self._lock:
            current = self._job(job.id)
            if current.state is JobState.CANCELLED:  # cancelled while lp ran
                self._cancel_quietly(cups_job)
                return current
            return self._save(
                current,
                state=JobState.SENT,
                cups_job=cups_job,
                attempts=current.attempts + 1,
                reason="",
                next_try_at=None,
            )

    def _follow(self, job: PrintJob) -> PrintJob:
        try:
            status = self.backend.status(job.cups_job)
        except CupsError as exc:
            if exc.problem is CupsProblem.QUEUE_MISSING:  # the queue went, and its jobs with it
                retry = self._retry_fields(job, exc.reason, failed_send=False)
                return self._update_unless_cancelled(job, **retry)
            # CUPS keeps the job across a restart: keep following it.
            return self._update_unless_cancelled(job, reason=exc.reason)
        fields: dict[str, Any]
        if status.state is CupsJobState.COMPLETED:
            fields = {"state": JobState.COMPLETED, "completed_at": self.clock.now(), "reason": ""}
        elif status.state is CupsJobState.HELD:
            fields = {
                "state": JobState.HELD,
                "reason": "打印机已暂停，恢复后自动打印 / printer paused; prints when resumed"
                + (f" ({status.message})" if status.message else ""),
            }
        elif status.state is CupsJobState.PROCESSING:
            fields = {"state": JobState.PRINTING, "reason": status.message}
        elif status.state is CupsJobState.PENDING:
            fields = {"state": JobState.SENT, "reason": status.message}
        elif status.state is CupsJobState.CANCELED:
            fields = {
                "state": JobState.CANCELLED,
                "reason": "已在打印系统中取消 / cancelled in CUPS",
            }
        else:  # aborted, or CUPS forgot it: send it again
            reason = (
                "打印系统中止了任务 / CUPS aborted the job"
                if status.state is CupsJobState.ABORTED
                else "打印系统已无此任务 / CUPS no longer knows the job"
            )
            fields = self._retry_fields(job, reason, failed_send=False)
        return self._update_unless_cancelled(job, **fields)

    def _retry_fields(self, job: PrintJob, reason: str, failed_send: bool) -> dict[str, Any]:
        """Wait and send again; a failed send is an attempt, a job CUPS lost was one already."""
        attempts = job.attempts + 1 if failed_send else job.attempts
        return {
            "state": JobState.RETRYING,
            "cups_job": "",
            "attempts": attempts,
            "reason": reason,
            "next_try_at": self.clock.now() + self.policy.delay(attempts),
        }

    def _mark_recorded(self, job: PrintJob) -> PrintJob:
        at = job.completed_at or self.clock.now()
        event = PrintEvent(job.case_id, job.officer, at, job.doc, job.copies, job.reprint)
        if not self._record(event):
            return job  # tried again at the next poll
        with self._lock:
            return self._save(self._job(job.id), recorded=True)

    def _record(self, event: PrintEvent) -> bool:
        if self.on_record is None:
            return True
        try:
            self.on_record(event)
        except Exception:  # the record is retried; the print itself is done
            log.exception("could not record the print of %s on case %s", event.doc, event.case_id)
            return False
        return True

    def _update_unless_cancelled(self, job: PrintJob, **fields: Any) -> PrintJob:
        with self._lock:
            current = self._job(job.id)
            if current.state is JobState.CANCELLED:
                return current
            return self._save(current, **fields)

    def _cancel_quietly(self, cups_job: str) -> None:
        try:
            self.backend.cancel(cups_job)
        except CupsError as exc:
            log.warning("could not cancel %s in CUPS: %s", cups_job, exc)

    def _job(self, job_id: str) -> PrintJob:
        job = self.store.get(job_id)
        if job is None:
            raise KeyError(f"no print job {job_id}")
        return job

    def _save(self, job: PrintJob, **fields: Any) -> PrintJob:
        updated = dataclasses.replace(job, **fields)
        if updated == job:
            return job  # nothing new: no write (an encrypted store rewrites on every write)
        updated = dataclasses.replace(updated, updated_at=self.clock.now())
        if updated.state is not job.state or updated.reason != job.reason:
            log.info("print job %s (%s): %s", job.id[:8], job.doc, updated.describe())
        self.store.update(updated)
        return updated


_UNSAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff._-]+")


def export_pdf(pdf: bytes, folder: Path | str, name: str) -> Path:
    """Write ``pdf`` as ``folder/name.pdf``, readable by its owner only, replacing it
    atomically; the folder must exist (the officer chose it)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"导出文件夹不存在 / export folder does not exist: {folder}")
    path = folder / f"{_UNSAFE.sub('_', name).strip('._') or 'paper'}.pdf"
    write_atomic(path, pdf, mode=0o600)
    return path
