"""Scanning from a screen's checklist: the keys of ``ChecklistTable`` (s scan a page, i
import files, v view pages, x remove the last page, S choose the scanner) carried out
for whichever screen shows the table: the intake and the supplement mix this in.

The screen says whose pages these are (``scan_owner``: the draft's id, or the case's) and
is told when a line's pages changed (``pages_changed``) to apply the counting rule
(``attachments.credit_scanned_copy``) to what it edits. Scanning, importing and
removing run in workers; a refusal is shown with its reason and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from counterdesk.i18n import _
from counterdesk.services.scanning import ScanProblem
from counterdesk.widgets.checklist_table import ChecklistTable

if TYPE_CHECKING:
    from counterdesk.services.attachments import AttachmentDesk


class ScanningMixin:
    """For a ``CounterScreen`` with a ``ChecklistTable``."""

    scanning: bool = False  # one scan or import at a time

    # What the screen provides

    def scan_owner(self) -> str:
        raise NotImplementedError

    def pages_changed(self, material: str, before: int, after: int) -> None:
        """A line's pages went from ``before`` to ``after`` (the table is refreshed)."""

    # Keys of the checklist

    def on_checklist_table_scan_asked(self, event: ChecklistTable.ScanAsked) -> None:
        event.stop()
        screen: Any = self
        if event.action == "device":
            self.choose_scanner()
        elif event.action == "view":
            self.view_pages(event.material, event.name)
        elif self.scanning:
            screen.notify(_("Still busy with the last scan…"), severity="warning")
        elif event.action == "scan":
            if not self.desk.device:
                self.choose_scanner(then_scan=event.material)
            else:
                self._start(self.run_scan, event.material)
        elif event.action == "import":
            self.ask_folder(event.material, event.name)
        elif event.action == "remove":
            self._start(self.run_remove, event.material)

    @property
    def desk(self) -> AttachmentDesk:
        return self.services.attachments  # type: ignore[attr-defined, no-any-return]

    def _start(self, worker: Any, *args: Any) -> None:
        self.scanning = True
        worker(*args)

    def refresh_pages(self) -> None:
        """Show the pages per line (blocking read of the store: from a worker)."""
        self.load_pages()

    @work(thread=True, exclusive=True, group="scan-pages", exit_on_error=False)
    def load_pages(self) -> None:
        counts = self.desk.page_counts(self.scan_owner())
        self._call(self._show_pages, counts)

    def _show_pages(self, counts: dict[str, int]) -> None:
        screen: Any = self
        screen.query_one(ChecklistTable).show_pages(counts)

    # Scanning, importing, removing (workers)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def run_scan(self, material: str) -> None:
        owner, officer = self.scan_owner(), self._officer()
        try:
            before = self.desk.page_counts(owner).get(material, 0)
            self.desk.scan(owner, material, officer)
            after = self.desk.page_counts(owner).get(material, 0)
        except ScanProblem as exc:
            self._call(self._refused, _("Not scanned"), str(exc))
            return
        finally:
            self._call(self._done)
        self._call(self._changed, material, before, after, _("Page {n} scanned.").format(n=after))

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def run_import(self, material: str, folder: str) -> None:
        owner, officer = self.scan_owner(), self._officer()
        try:
            before = self.desk.page_counts(owner).get(material, 0)
            report = self.desk.import_folder(owner, material, Path(folder), officer)
            after = self.desk.page_counts(owner).get(material, 0)
        except ScanProblem as exc:
            self._call(self._refused, _("Nothing imported"), str(exc))
            return
        finally:
            self._call(self._done)
        message = _("{n} pages imported.").format(n=after - before)
        for _name, reason in report.refused:  # each reason names its file
            message += "\n" + _("Not taken: {reason}").format(reason=reason)
        if report.left_in_folder:
            message += "\n" + _("Could not delete from the folder: {names}").format(
                names=", ".join(report.left_in_folder)
            )
        self._call(self._changed, material, before, after, message)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def run_remove(self, material: str) -> None:
        owner = self.scan_owner()
        try:
            before = self.desk.page_counts(owner).get(material, 0)
            removed = self.desk.remove_last(owner, material, self._officer())
            after = self.desk.page_counts(owner).get(material, 0)
        finally:
            self._call(self._done)
        if removed is None:
            self._call(self._refused, _("Nothing removed"), _("This line has no pages."))
            return
        self._call(self._changed, material, before, after, _("The last page was removed."))

    def _changed(self, material: str, before: int, after: int, message: str) -> None:
        screen: Any = self
        table = screen.query_one(ChecklistTable)
        table.show_pages({**table.pages, material: after})
        self.pages_changed(material, before, after)
        screen.notify(message, title=_("Scans"))

    def _refused(self, title: str, reason: str) -> None:
        screen: Any = self
        screen.notify(reason, title=title, severity="error", timeout=10)

    def _done(self) -> None:
        self.scanning = False

    def _officer(self) -> str:
        return self.officer.username  # type: ignore[attr-defined, no-any-return]

    def _call(self, function: Any, *args: Any) -> None:
        screen: Any = self
        screen.app.call_from_thread(function, *args)

    # The dialogs

    def choose_scanner(self, then_scan: str | None = None) -> None:
        from counterdesk.screens.scanner import ScannerScreen

        screen: Any = self

        def chosen(device: str | None) -> None:
            if device and then_scan is not None and not self.scanning:
                self._start(self.run_scan, then_scan)

        screen.app.push_screen(ScannerScreen(), callback=chosen)

    def ask_folder(self, material: str, name: str) -> None:
        from counterdesk.screens.scanner import ImportFolderModal

        screen: Any = self

        def chosen(folder: str | None) -> None:
            if folder and not self.scanning:
                self._start(self.run_import, material, folder)

        screen.app.push_screen(ImportFolderModal(name), callback=chosen)

    def view_pages(self, material: str, name: str) -> None:
        from counterdesk.screens.preview import PreviewScreen

        screen: Any = self
        screen.app.push_screen(PreviewScreen(self.scan_owner(), material, name))
