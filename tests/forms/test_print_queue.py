"""The print queue's own rules, against a scripted printer: states the officer sees, retries
with growing delays, one audit record per print, reprints, cancelling, and never blocking
the counter while CUPS is slow. The real CUPS is exercised in test_cups_printing.py."""

from __future__ import annotations

import datetime as dt
import os
import stat
import threading
from pathlib import Path

import pytest

from counterdesk.domain.cases import Role, apply_operation
from counterdesk.domain.clock import FixedClock
from counterdesk.forms.cups import CupsError, CupsJobState, CupsProblem, CupsStatus
from counterdesk.services.printing import (
    JobState,
    MemoryJobStore,
    PrintEvent,
    PrintJob,
    PrintQueue,
    SealedJobStore,
    export_pdf,
)
from tests.forms.conftest import wait_until
from tests.forms.papers_cases import accepted_case

PDF = b"%PDF-1.4 receipt bytes"


class ScriptedPrinter:
    """Stands in for CUPS: jobs get the state the test sets; failures are queued up."""

    def __init__(self) -> None:
        self.submitted: list[tuple[str, bytes, str, int]] = []
        self.states: dict[str, CupsStatus] = {}
        self.submit_failures: list[CupsError] = []
        self.status_failure: CupsError | None = None
        self.cancelled: list[str] = []
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()

    def submit(self, pdf: bytes, queue: str = "", title: str = "", copies: int = 1) -> str:
        self.entered.set()
        assert self.release.wait(10), "the test never released the printer"
        if self.submit_failures:
            raise self.submit_failures.pop(0)
        job_id = f"{queue or 'default'}-{len(self.submitted) + 1}"
        self.submitted.append((job_id, pdf, title, copies))
        self.states[job_id] = CupsStatus(CupsJobState.PENDING)
        return job_id

    def status(self, job_id: str) -> CupsStatus:
        if self.status_failure is not None:
            raise self.status_failure
        return self.states.get(job_id, CupsStatus(CupsJobState.UNKNOWN))

    def cancel(self, job_id: str) -> None:
        self.cancelled.append(job_id)
        self.states[job_id] = CupsStatus(CupsJobState.CANCELED)

    def set(self, job: PrintJob, state: CupsJobState, message: str = "") -> None:
        self.states[job.cups_job] = CupsStatus(state, message)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def printer() -> ScriptedPrinter:
    return ScriptedPrinter()


@pytest.fixture
def records() -> list[PrintEvent]:
    return []


@pytest.fixture
def queue(printer: ScriptedPrinter, clock: FixedClock, records: list[PrintEvent]) -> PrintQueue:
    return PrintQueue(
        MemoryJobStore(), printer, clock, on_record=records.append, default_queue="front"
    )


def current(queue: PrintQueue, job: PrintJob) -> PrintJob:
    found = queue.store.get(job.id)
    assert found is not None
    return found


def test_submit_only_stores_the_job_and_poll_sends_it(
    queue: PrintQueue, printer: ScriptedPrinter
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1", copies=2)
    assert job.state is JobState.QUEUED and job.queue == "front"
    assert printer.submitted == []
    assert queue.store.pdf(job.id) == PDF
    queue.poll()
    sent = current(queue, job)
    assert sent.state is JobState.SENT and sent.cups_job == "front-1" and sent.attempts == 1
    job_id, pdf, title, copies = printer.submitted[0]
    assert pdf == PDF and copies == 2
    assert title == f"counterdesk-receipt-{job.id[:8]}"  # no personal data in CUPS's list


def test_a_job_is_followed_to_completion_and_recorded_once(
    queue: PrintQueue, printer: ScriptedPrinter, clock: FixedClock, records: list[PrintEvent]
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, job), CupsJobState.PROCESSING, "printing page 1")
    queue.poll()
    assert current(queue, job).state is JobState.PRINTING
    assert records == []
    clock.advance(seconds=30)
    printer.set(current(queue, job), CupsJobState.COMPLETED)
    queue.poll()
    queue.poll()
    done = current(queue, job)
    assert done.state is JobState.COMPLETED and done.recorded
    assert records == [PrintEvent("case-1", "officer1", clock.now(), "receipt", 1, False)]
    assert done.describe() == "receipt · 已打印 / completed"


def test_the_record_is_the_cases_own_record_print_operation(
    queue: PrintQueue, printer: ScriptedPrinter, records: list[PrintEvent]
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, job), CupsJobState.COMPLETED)
    queue.poll()
    case = accepted_case()
    after = apply_operation(case, records[0].operation(case.version), Role.OFFICER)
    assert [(p.doc, p.by, p.copies, p.reprint) for p in after.prints] == [
        ("receipt", "officer1", 1, False)
    ]


def test_a_record_that_fails_is_tried_again(
    queue: PrintQueue, printer: ScriptedPrinter, records: list[PrintEvent]
) -> None:
    calls: list[PrintEvent] = []

    def flaky(event: PrintEvent) -> None:
        calls.append(event)
        if len(calls) == 1:
            raise OSError("store busy")
        records.append(event)

    queue.on_record = flaky
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, job), CupsJobState.COMPLETED)
    queue.poll()
    assert not current(queue, job).recorded and records == []
    queue.poll()
    queue.poll()
    assert current(queue, job).recorded and len(records) == 1 and len(calls) == 2


def test_a_missing_printer_is_retried_with_growing_delays(
    queue: PrintQueue, printer: ScriptedPrinter, clock: FixedClock
) -> None:
    printer.submit_failures = [
        CupsError(CupsProblem.QUEUE_MISSING, "lp: Error - The printer or class does not exist."),
        CupsError(CupsProblem.NO_SCHEDULER),
    ]
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    waiting = current(queue, job)
    assert waiting.state is JobState.RETRYING
    assert waiting.reason.startswith("找不到打印机 / printer not found")
    assert waiting.next_try_at == clock.now() + dt.timedelta(seconds=5)
    assert waiting.describe().startswith("receipt · 失败，稍后重试 / failed, retrying")
    queue.poll()  # not due yet: nothing is sent
    assert current(queue, job).attempts == 1
    clock.advance(seconds=5)
    queue.poll()
    again = current(queue, job)
    assert again.reason.startswith("打印服务（CUPS）未运行 / the CUPS scheduler is not running")
    assert again.next_try_at == clock.now() + dt.timedelta(seconds=15)
    clock.advance(seconds=15)
    queue.poll()
    assert current(queue, job).state is JobState.SENT and current(queue, job).attempts == 3


def test_a_paused_printer_holds_the_job_until_it_resumes(
    queue: PrintQueue, printer: ScriptedPrinter
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, job), CupsJobState.HELD, "Paused")
    queue.poll()
    held = current(queue, job)
    assert held.state is JobState.HELD and "暂停" in held.reason and "Paused" in held.reason
    printer.set(held, CupsJobState.COMPLETED)
    queue.poll()
    assert current(queue, job).state is JobState.COMPLETED


def test_a_scheduler_outage_keeps_following_the_job(
    queue: PrintQueue, printer: ScriptedPrinter
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.status_failure = CupsError(CupsProblem.NO_SCHEDULER)
    queue.poll()
    waiting = current(queue, job)
    assert waiting.state is JobState.SENT and waiting.cups_job == "front-1"
    assert "not running" in waiting.reason
    printer.status_failure = None
    printer.set(waiting, CupsJobState.COMPLETED)
    queue.poll()
    assert current(queue, job).state is JobState.COMPLETED
    assert len(printer.submitted) == 1  # never sent twice


@pytest.mark.parametrize(
    ("state", "failure", "reason"),
    [
        (CupsJobState.ABORTED, None, "aborted"),
        (CupsJobState.UNKNOWN, None, "no longer knows"),
        (None, CupsError(CupsProblem.QUEUE_MISSING), "printer not found"),
    ],
)
def test_a_job_cups_lost_is_sent_again(
    queue: PrintQueue,
    printer: ScriptedPrinter,
    clock: FixedClock,
    state: CupsJobState | None,
    failure: CupsError | None,
    reason: str,
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    if state is not None:
        printer.set(current(queue, job), state)
    printer.status_failure = failure
    queue.poll()
    lost = current(queue, job)
    assert lost.state is JobState.RETRYING and reason in lost.reason and lost.cups_job == ""
    printer.status_failure = None
    clock.advance(seconds=5)
    queue.poll()
    assert current(queue, job).cups_job == "front-2"


def test_cancelling_stops_the_job_in_cups_and_nothing_is_recorded(
    queue: PrintQueue, printer: ScriptedPrinter, records: list[PrintEvent]
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    cancelled = queue.cancel(job.id)
    assert cancelled.state is JobState.CANCELLED and printer.cancelled == ["front-1"]
    queue.poll()
    assert current(queue, job).state is JobState.CANCELLED and records == []
    assert queue.unfinished() == []
    again = queue.retry_now(job.id)
    assert again.state is JobState.QUEUED
    queue.poll()
    assert current(queue, job).cups_job == "front-2"


def test_a_job_cancelled_in_cups_shows_as_cancelled(
    queue: PrintQueue, printer: ScriptedPrinter, records: list[PrintEvent]
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, job), CupsJobState.CANCELED)
    queue.poll()
    assert current(queue, job).state is JobState.CANCELLED and "CUPS" in current(queue, job).reason
    assert records == []


def test_a_reprint_prints_the_kept_pdf_and_is_recorded_as_a_reprint(
    queue: PrintQueue, printer: ScriptedPrinter, records: list[PrintEvent]
) -> None:
    first = queue.submit("case-1", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, first), CupsJobState.COMPLETED)
    queue.poll()
    second = queue.reprint(first.id, "officer2")
    assert second.reprint and queue.store.pdf(second.id) == PDF
    queue.poll()
    printer.set(current(queue, second), CupsJobState.COMPLETED)
    queue.poll()
    assert [(r.officer, r.reprint) for r in records] == [("officer1", False), ("officer2", True)]
    assert [s[1] for s in printer.submitted] == [PDF, PDF]


def test_polling_never_blocks_the_counter(queue: PrintQueue, printer: ScriptedPrinter) -> None:
    printer.release.clear()  # lp hangs
    queue.submit("case-1", "receipt", PDF, "officer1")
    worker = threading.Thread(target=queue.poll, daemon=True)
    worker.start()
    assert printer.entered.wait(10)
    submitted: list[PrintJob] = []
    counter = threading.Thread(
        target=lambda: submitted.append(queue.submit("case-2", "notice", PDF, "officer1"))
    )
    counter.start()
    counter.join(timeout=10)
    assert submitted and not counter.is_alive()
    assert [job.state for job in queue.jobs()] == [JobState.QUEUED, JobState.QUEUED]
    printer.release.set()
    worker.join(timeout=10)
    assert not worker.is_alive()


def test_run_polls_in_the_background_until_stopped(
    queue: PrintQueue, printer: ScriptedPrinter
) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    stop = threading.Event()
    worker = threading.Thread(target=queue.run, args=(stop, 0.01), daemon=True)
    worker.start()
    wait_until(lambda: current(queue, job).state is JobState.SENT, 10, "the job to be sent")
    printer.set(current(queue, job), CupsJobState.COMPLETED)
    wait_until(lambda: current(queue, job).recorded, 10, "the job to be recorded")
    stop.set()
    worker.join(timeout=10)
    assert not worker.is_alive()


def test_finished_jobs_and_their_pdfs_are_forgotten(
    queue: PrintQueue, printer: ScriptedPrinter, clock: FixedClock
) -> None:
    done = queue.submit("case-1", "receipt", PDF, "officer1")
    waiting = queue.submit("case-2", "receipt", PDF, "officer1")
    queue.poll()
    printer.set(current(queue, done), CupsJobState.COMPLETED)
    queue.poll()
    clock.advance(days=31)
    assert queue.forget_finished(before=clock.now() - dt.timedelta(days=30)) == 1
    assert queue.store.get(done.id) is None and queue.store.get(waiting.id) is not None
    with pytest.raises(KeyError):
        queue.store.pdf(done.id)


def test_jobs_round_trip_through_json(queue: PrintQueue) -> None:
    job = queue.submit("case-1", "receipt", PDF, "officer1")
    assert PrintJob.from_json(job.to_json()) == job


def test_export_writes_an_owner_only_file_and_records_it(
    queue: PrintQueue, tmp_path: Path, records: list[PrintEvent]
) -> None:
    path = queue.export("case-1", "receipt", PDF, "officer1", tmp_path, "JX2026/000123")
    assert path == tmp_path / "JX2026_000123-receipt.pdf"
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    assert [(r.doc, r.case_id) for r in records] == [("export:receipt", "case-1")]
    with pytest.raises(FileNotFoundError, match="export folder"):
        export_pdf(PDF, tmp_path / "absent", "x")


KEY = bytes(range(32))


def test_the_sealed_store_keeps_jobs_across_a_restart_and_nothing_in_clear(
    tmp_path: Path, printer: ScriptedPrinter, clock: FixedClock
) -> None:
    folder = tmp_path / "print-jobs"
    first = PrintQueue(SealedJobStore(folder, KEY), printer, clock, default_queue="front")
    kept = first.submit("case-secret-1", "receipt", PDF, "officer1")
    gone = first.submit("case-secret-2", "notice", PDF, "officer1")
    first.cancel(gone.id)
    first.store.delete(gone.id)
    for path in folder.iterdir():
        raw = path.read_bytes()
        assert b"%PDF" not in raw and b"case-secret" not in raw and b"receipt" not in raw
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.suffix for p in folder.iterdir()) == [".job", ".pdf"]

    again = PrintQueue(SealedJobStore(folder, KEY), printer, clock, default_queue="front")
    assert [job.id for job in again.jobs()] == [kept.id]
    assert again.store.pdf(kept.id) == PDF
    again.poll()
    assert current(again, kept).state is JobState.SENT
    assert SealedJobStore(folder, KEY).get(kept.id) == current(again, kept)


def test_a_damaged_or_foreign_job_file_is_skipped_not_misread(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "print-jobs"
    store = SealedJobStore(folder, KEY)
    clock = FixedClock()
    queue = PrintQueue(store, ScriptedPrinter(), clock)
    good = queue.submit("case-1", "receipt", PDF, "officer1")
    bad = queue.submit("case-2", "receipt", PDF, "officer1")
    damaged = folder / f"{bad.id}.job"
    data = bytearray(damaged.read_bytes())
    data[-1] ^= 0xFF
    damaged.write_bytes(bytes(data))
    reopened = SealedJobStore(folder, KEY)
    assert [job.id for job in reopened.jobs()] == [good.id]
    assert any("skipped" in r.getMessage() for r in caplog.records)
    assert SealedJobStore(folder, bytes(32)).jobs() == []  # another key opens nothing
