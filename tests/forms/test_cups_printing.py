"""Printing through a real CUPS scheduler to the cups-pdf virtual printer: the job is
followed until CUPS reports it completed, its output is found and rendered to PNG, and
the queue rides out a paused printer, an unknown queue and a stopped scheduler."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from counterdesk.domain.clock import FixedClock
from counterdesk.forms.build import build_pdf
from counterdesk.forms.cups import Cups, CupsError, CupsJobState, CupsProblem
from counterdesk.forms.paper import PaperSettings
from counterdesk.services.printing import (
    JobState,
    MemoryJobStore,
    PrintEvent,
    PrintJob,
    PrintQueue,
)
from tests.forms.conftest import CupsPdfPrinter, run, unavailable, wait_until
from tests.forms.papers_cases import accepted_case, mini_catalogue

LATE_QUEUE = "counterdesk-late"
SETTINGS = PaperSettings(centre_name="嘉兴市南湖区行政服务中心")


@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return build_pdf("receipt", accepted_case(training=True), mini_catalogue(), SETTINGS)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def records() -> list[PrintEvent]:
    return []


@pytest.fixture
def queue(
    cups_printer: CupsPdfPrinter, clock: FixedClock, records: list[PrintEvent]
) -> Iterator[PrintQueue]:
    printer = PrintQueue(
        MemoryJobStore(), Cups(timeout=20), clock, records.append, cups_printer.queue
    )
    yield printer
    run("cupsenable", cups_printer.queue, check=False)  # whatever a test did to it
    for job in printer.unfinished():
        printer.cancel(job.id)


def job_now(queue: PrintQueue, job: PrintJob) -> PrintJob:
    found = queue.store.get(job.id)
    assert found is not None
    return found


def poll_until(
    queue: PrintQueue, job: PrintJob, *states: JobState, timeout: float = 60
) -> PrintJob:
    def reached() -> PrintJob | None:
        queue.poll()
        now = job_now(queue, job)
        return now if now.state in states else None

    found = wait_until(reached, timeout, f"job {job.id[:8]} to reach {states}")
    assert isinstance(found, PrintJob)
    return found


def render_png(pdf: Path, tmp_path: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        unavailable("pdftoppm (poppler-utils) is not installed")
    stem = tmp_path / "printed"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
        capture_output=True,
    )
    return stem.with_suffix(".png")


def assert_printed_page(output: Path, tmp_path: Path) -> None:
    """The virtual printer's PDF renders to a real A4 page with ink on it."""
    png = render_png(output, tmp_path)
    output.unlink()  # the printed copy holds (test) personal data: leave none behind
    with Image.open(png) as image:
        width, height = image.size
        assert 480 <= width <= 520 and 680 <= height <= 720  # A4 at 60 dpi
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 2000, "the printed page is (nearly) blank"


def test_a_receipt_prints_to_completion_and_is_recorded(
    queue: PrintQueue,
    cups_printer: CupsPdfPrinter,
    records: list[PrintEvent],
    receipt_pdf: bytes,
    tmp_path: Path,
) -> None:
    job = queue.submit("case-1", "receipt", receipt_pdf, "officer1")
    done = poll_until(queue, job, JobState.COMPLETED)
    assert done.cups_job.startswith(f"{cups_printer.queue}-")
    poll_until(queue, job, JobState.COMPLETED)
    assert [(r.case_id, r.doc, r.reprint) for r in records] == [("case-1", "receipt", False)]
    completed = run("lpstat", "-W", "completed", "-o", cups_printer.queue).stdout
    assert done.cups_job in completed
    assert_printed_page(cups_printer.output_for(job.id[:8]), tmp_path)


def test_a_paused_printer_holds_the_job_until_it_is_enabled(
    queue: PrintQueue, cups_printer: CupsPdfPrinter, receipt_pdf: bytes, tmp_path: Path
) -> None:
    run("cupsdisable", cups_printer.queue)
    job = queue.submit("case-2", "receipt", receipt_pdf, "officer1")
    held = poll_until(queue, job, JobState.HELD)
    assert "暂停" in held.reason and held.cups_job
    queue.poll()
    assert job_now(queue, job).state is JobState.HELD  # stays held while paused
    run("cupsenable", cups_printer.queue)
    poll_until(queue, job, JobState.COMPLETED)
    assert_printed_page(cups_printer.output_for(job.id[:8]), tmp_path)


def test_an_unknown_queue_is_retried_until_it_exists(
    queue: PrintQueue,
    cups_printer: CupsPdfPrinter,
    clock: FixedClock,
    receipt_pdf: bytes,
    tmp_path: Path,
) -> None:
    cups_printer.remove_queue(LATE_QUEUE)
    job = queue.submit("case-3", "receipt", receipt_pdf, "officer1", queue=LATE_QUEUE)
    waiting = poll_until(queue, job, JobState.RETRYING)
    assert waiting.reason.startswith("找不到打印机 / printer not found")
    assert "does not exist" in waiting.reason
    cups_printer.add_queue(LATE_QUEUE)
    clock.advance(minutes=10)  # past the retry delay
    done = poll_until(queue, job, JobState.COMPLETED)
    assert done.cups_job.startswith(f"{LATE_QUEUE}-") and done.attempts == 2
    assert_printed_page(cups_printer.output_for(job.id[:8]), tmp_path)


def test_a_stopped_scheduler_keeps_the_job_and_it_prints_once_cups_is_back(
    queue: PrintQueue,
    cups_printer: CupsPdfPrinter,
    clock: FixedClock,
    receipt_pdf: bytes,
    tmp_path: Path,
) -> None:
    if not cups_printer.owns_scheduler:
        pytest.skip("the scheduler was running before the tests; it is not ours to stop")
    cups_printer.stop_scheduler()
    try:
        job = queue.submit("case-4", "receipt", receipt_pdf, "officer1")
        waiting = poll_until(queue, job, JobState.RETRYING)
        assert "the CUPS scheduler is not running" in waiting.reason
        with pytest.raises(CupsError) as raised:
            Cups().submit(receipt_pdf, cups_printer.queue)
        assert raised.value.problem is CupsProblem.NO_SCHEDULER
    finally:
        cups_printer.start_scheduler()
    clock.advance(minutes=10)
    poll_until(queue, job, JobState.COMPLETED)
    assert_printed_page(cups_printer.output_for(job.id[:8]), tmp_path)


def test_a_job_cancelled_in_cups_is_shown_cancelled_not_printed(
    queue: PrintQueue,
    cups_printer: CupsPdfPrinter,
    records: list[PrintEvent],
    receipt_pdf: bytes,
) -> None:
    cups = Cups()
    if cups.ipptool is None:
        unavailable("ipptool (cups-ipp-utils) is needed to tell cancelled from completed")
    run("cupsdisable", cups_printer.queue)
    job = queue.submit("case-5", "receipt", receipt_pdf, "officer1")
    held = poll_until(queue, job, JobState.HELD)
    run("cancel", held.cups_job)
    gone = poll_until(queue, job, JobState.CANCELLED)
    assert "cancelled in CUPS" in gone.reason
    assert cups.status(held.cups_job).state is CupsJobState.CANCELED
    assert records == []


def test_the_officer_can_cancel_a_held_job(
    queue: PrintQueue, cups_printer: CupsPdfPrinter, receipt_pdf: bytes
) -> None:
    run("cupsdisable", cups_printer.queue)
    job = queue.submit("case-6", "receipt", receipt_pdf, "officer1")
    held = poll_until(queue, job, JobState.HELD)
    queue.cancel(job.id)
    waiting = run("lpstat", "-o", cups_printer.queue).stdout
    assert held.cups_job not in waiting
