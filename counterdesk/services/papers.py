"""The outcome's papers, from a saved case to the print queue, and every print recorded on
its case.

Building a PDF (reportlab) and talking to CUPS are slow and may fail: callers run
``print_case`` and ``poll`` in worker threads, and the counter never waits for a printer.
A print that completes becomes the case's ``record_print`` operation, saved with an audit
entry in one batch like any other change.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from counterdesk.domain.cases import Case, OperationError, Role, apply_operation
from counterdesk.domain.catalogue import Catalogue
from counterdesk.domain.clock import Clock
from counterdesk.forms.paper import DocKind, PaperSettings
from counterdesk.forms.print_jobs import JobState, PrintEvent, PrintJob
from counterdesk.i18n import bilingual
from counterdesk.services.print_status import PrintSummary
from counterdesk.services.printing import PrinterBackend, PrintQueue, SealedJobStore
from counterdesk.settings import Settings
from offline import Store

log = logging.getLogger(__name__)
PRINT_JOBS_FOLDER = "print-jobs"


class PaperPrinter:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Clock,
        data_key: bytes,
        data_dir: Path,
        catalogue: Callable[[], Catalogue],
        backend: PrinterBackend | None = None,
        case_lock: threading.Lock | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._catalogue = catalogue
        self._lock = case_lock or threading.Lock()
        jobs = SealedJobStore(data_dir / PRINT_JOBS_FOLDER, data_key, store.cipher)
        self.queue = PrintQueue(
            jobs,
            backend,
            clock,
            on_record=self._record,
            default_queue=settings.printer,
        )
        self.officer_names: dict[str, str] = {}
        self.on_saved: Callable[[], None] | None = None  # a record_print saved: sync it

    def use_settings(self, settings: Settings) -> None:
        """The settings screen saved: the next paper has the new names, address and
        printer (papers already queued keep theirs)."""
        self._settings = settings
        self.queue.default_queue = settings.printer

    def paper_settings(self) -> PaperSettings:
        s = self._settings
        return PaperSettings(
            centre_name=s.centre_name,
            counter_name=s.counter_name,
            progress_url=s.progress_url,
            font_path=s.paper_font,
            officer_names=dict(self.officer_names),
        )

    def print_case(self, case: Case, docs: Iterable[DocKind], officer: str) -> list[PrintJob]:
        """Build each paper and queue it; returns at once after building (no CUPS wait)."""
        from counterdesk.forms.build import build_pdf  # reportlab: only when printing

        jobs = []
        catalogue = self._catalogue()
        paper = self.paper_settings()
        for doc in docs:
            pdf = build_pdf(doc, case, catalogue, paper)
            jobs.append(self.queue.submit(case.id, doc.value, pdf, officer))
        return jobs

    def reprint(self, case: Case, doc: DocKind, officer: str) -> PrintJob:
        """A paper of the case again. The very PDF kept from its last print here when there
        is one (a reprint matches what the applicant holds), else built anew from the case
        (printed on another counter, or kept no longer); recorded as a reprint when the
        case shows the paper printed before."""
        kept = [
            job
            for job in self.queue.jobs()
            if job.case_id == case.id
            and job.doc == doc.value
            and job.state is not JobState.CANCELLED
        ]
        if kept:
            return self.queue.reprint(kept[-1].id, officer)
        from counterdesk.forms.build import build_pdf  # reportlab: only when printing

        pdf = build_pdf(doc, case, self._catalogue(), self.paper_settings())
        printed_before = any(record.doc == doc.value for record in case.prints)
        return self.queue.submit(case.id, doc.value, pdf, officer, reprint=printed_before)

    def poll(self) -> list[PrintJob]:
        return self.queue.poll()

    def summary(self) -> PrintSummary:
        waiting = failing = 0
        problem = ""
        for job in self.queue.jobs():
            if job.state in (JobState.QUEUED, JobState.SENT, JobState.PRINTING):
                waiting += 1
            elif job.state in (JobState.RETRYING, JobState.HELD):
                failing += 1
                problem = bilingual(job.reason) if job.reason else ""
        return PrintSummary(waiting, failing, problem)

    def _record(self, event: PrintEvent) -> None:
        """A paper left the counter: its record_print operation, saved on the case."""
        with self._lock:
            document = self._store.get(event.case_id)
            if document is None:
                log.warning("printed %s for a case no longer here", event.doc)
                return
            case = Case.model_validate(document)
            operation = event.operation(case.version)
            try:
                updated = apply_operation(case, operation, Role.OFFICER)
            except OperationError as exc:
                log.warning("print of %s not recorded: %s", event.doc, exc)
                return
            self._store.save_batch(
                cases=[updated.to_json()],
                operations=[operation.to_json()],
                audit_entries=[
                    {
                        "actor": event.officer,
                        "action": "case.print",
                        "case_id": case.id,
                        "doc": event.doc,
                    }
                ],
            )
        if self.on_saved is not None:
            self.on_saved()


def forget_before(printer: PaperPrinter, now: dt.datetime, days: int = 7) -> int:
    """Finished jobs older than ``days`` are deleted with their PDFs."""
    return printer.queue.forget_finished(now - dt.timedelta(days=days))
