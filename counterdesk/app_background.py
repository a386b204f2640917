"""What the App keeps doing behind the screens: the status bar's figures, the print
queue, the sync engine's news (a sync ended, a case reassigned), the catalogue warmed for
the first intake, and failures said where the officer looks (a part of CounterApp)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

from counterdesk import i18n
from counterdesk.i18n import _
from counterdesk.messages import (
    REASSIGNMENT_NOTICES,
    CaseReassigned,
    CaseSaved,
    StatusRefreshed,
    SyncFinished,
    WorkFailed,
)
from counterdesk.services.print_status import PrintSummary

if TYPE_CHECKING:
    from counterdesk.services.connectivity import ConnectivityState
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.session import Officer

log = logging.getLogger(__name__)


class BackgroundWork(App[None]):
    """Status, printing and sync news, all in workers (a mixin of CounterApp)."""

    services: CounterServices | None
    officer: Officer | None
    link: ConnectivityState
    printing: PrintSummary
    last_error: str
    status_refreshes: int

    @work(thread=True, exclusive=True, group="sync-start", exit_on_error=False)
    def start_sync(self) -> None:
        """With a server: sync with the signed-in officer's tokens (keyring: a worker)."""
        if self.services is not None:
            self.services.start_sync()
            self._tell_syncs()
            self._tell_reassignments()

    def _tell_syncs(self) -> None:
        """Each sync that ends is posted to the UI thread (the queue reloads by it)."""
        runner = self.services.sync if self.services is not None else None
        if runner is None or getattr(self, "_sync_listener", None) is runner:
            return
        self._sync_listener = runner

        was_syncing = False

        def ended(status: Any) -> None:  # on the sync thread, at every change of status
            nonlocal was_syncing
            syncing = status.state.value == "syncing"
            if was_syncing and not syncing:  # a sync just ended: once, not at every change
                self.post_message(SyncFinished(status.online, status.last_error))
            was_syncing = syncing

        runner.on_status(ended)

    def _tell_reassignments(self) -> None:
        """A supervisor moved a case to or away from this officer (or its offline changes
        were handed over): said as a notification when the sync reports it."""
        runner = self.services.sync if self.services is not None else None
        if runner is None or getattr(self, "_reassign_listener", None) is runner:
            return
        self._reassign_listener = runner

        def noticed(notice: Any) -> None:  # on the sync thread
            if notice.kind in REASSIGNMENT_NOTICES:
                self.post_message(CaseReassigned(notice.case_id, notice.kind, notice.text))

        runner.on_notice(noticed)

    def on_case_reassigned(self, message: CaseReassigned) -> None:
        self.notify(message.text, title=_("Case reassigned"), timeout=30)

    def on_sync_finished(self, message: SyncFinished) -> None:
        """The screen on top reads the store again (the queue, an open case)."""
        if not self.screen_stack:  # a sync that ended as the App closed
            return
        if hasattr(self.screen, "on_sync_finished"):
            self.screen.post_message(SyncFinished(message.online, message.error))

    @work(thread=True, exclusive=True, group="catalogue", exit_on_error=False)
    def warm_catalogue(self) -> None:
        """Load the catalogue and its search index before the first intake needs them
        (once the queue shows: on a two-core PC it would slow the queue's first paint)."""
        assert self.services is not None
        self.services.load_catalogue()

    def action_sync_now(self) -> None:
        if self.check_action("sync_now", ()):
            self.sync_now()

    @work(thread=True, exclusive=True, group="sync-now", exit_on_error=False)
    def sync_now(self) -> None:
        """Ctrl+Y: one whole sync at once, and what came of it."""
        runner = self.services.sync if self.services is not None else None
        if runner is None:
            self.call_from_thread(
                self.notify, _("A standalone counter has no server to sync with.")
            )
            return
        from offline.sync import SyncError

        self.call_from_thread(self.notify, _("Syncing…"))
        try:
            report = runner.sync_now()
        except SyncError as exc:
            reason = i18n.bilingual(str(exc))
            self.call_from_thread(self.notify, reason, title=_("Not synced"), severity="warning")
            return
        done = _("Synced: {sent} changes sent, {got} cases updated.").format(
            sent=report.push.acknowledged, got=report.pull.updated
        )
        self.call_from_thread(self.notify, done)

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def refresh_status(self) -> None:
        services = self.services
        if services is None or services._closed:
            return
        printer = services._printer  # made by the first poll, not to show the status
        printing = printer.summary() if printer is not None else PrintSummary()
        self.post_message(StatusRefreshed(services.connectivity.state(), printing))

    def on_status_refreshed(self, message: StatusRefreshed) -> None:
        self.link = message.link
        self.printing = message.printing
        self.status_refreshes += 1

    @work(thread=True, exclusive=True, group="print-poll", exit_on_error=False)
    def poll_printer(self) -> None:
        # The live print queue too while training: its prints are recorded on their cases.
        for services in {id(s): s for s in (self.services, self.services_for(False)) if s}.values():
            if not services._closed:
                services.printer.poll()

    @work(thread=True, group="print", exit_on_error=False)
    def print_papers(self, case_id: str, docs: tuple[str, ...]) -> None:
        """Build the outcome's papers and queue them; the poll worker does the rest."""
        from counterdesk.domain.cases import Case
        from counterdesk.forms.paper import DocKind

        services = self.services
        assert services is not None and self.officer is not None
        document = services.store.get(case_id)
        if document is None:
            return
        services.printer.print_case(
            Case.model_validate(document), [DocKind(d) for d in docs], self.officer.username
        )
        self.post_message(
            StatusRefreshed(services.connectivity.state(), services.printer.summary())
        )
        self.poll_printer()

    def on_case_saved(self, message: CaseSaved) -> None:
        self.refresh_status()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.last_error = message.reason
        log.error("%s failed: %s", message.where, message.reason)
        self.notify(message.reason, title=_("Something went wrong"), severity="error")

    # The bench's startup figure
