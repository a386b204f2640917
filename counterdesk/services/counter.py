"""Everything a counter session runs on, opened once and handed to the App: the local
store, the officers and sign-in, the link state, printing, drafts and the catalogue.

The App calls ``open_counter`` from a worker thread (keyring, disk) and then reaches every
outside thing through this object; screens never import the store, keyring or CUPS.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterdesk import locations
from counterdesk.domain.calendar import WorkingCalendar, calendar_for
from counterdesk.domain.clock import Clock
from counterdesk.services import local_store
from counterdesk.services.connectivity import (
    Connectivity,
    ServerConnectivity,
    StandaloneConnectivity,
)
from counterdesk.services.drafts import DraftKeeper
from counterdesk.services.queue import QueueRow, draft_row, officer_rows
from counterdesk.services.session import (
    Officer,
    OfficerDirectory,
    SessionKeeper,
    SignInFunction,
    SignInService,
)
from counterdesk.settings import Settings
from offline import Store

if TYPE_CHECKING:  # loaded when first used, so the queue shows sooner
    from counterdesk.domain.catalogue import Catalogue
    from counterdesk.domain.catalogue.search import SearchIndex
    from counterdesk.services.attachments import AttachmentDesk
    from counterdesk.services.intake import IntakeContext
    from counterdesk.services.papers import PaperPrinter
    from counterdesk.services.printing import PrinterBackend
    from counterdesk.services.sync_runner import SyncRunner

log = logging.getLogger(__name__)
SYNC_SETTINGS = ("server_url", "ca_bundle", "allow_http", "counter_name")  # the engine's


@dataclass
class CounterServices:
    settings: Settings
    clock: Clock
    data_dir: Path
    store: Store
    officers: OfficerDirectory
    sign_in: SignInService
    connectivity: Connectivity
    drafts: DraftKeeper
    data_key: bytes = b""
    printer_backend: PrinterBackend | None = None
    sync: SyncRunner | None = None  # the sync engine, when a server is configured
    training: bool = False  # the training sandbox (services/training.py), not live work
    case_lock: threading.Lock = field(default_factory=threading.Lock)
    officer_names: dict[str, str] = field(default_factory=dict)
    _printer: PaperPrinter | None = None
    _attachments: AttachmentDesk | None = None
    _catalogue: tuple[Catalogue, SearchIndex] | None = None
    _catalogue_alone: Catalogue | None = None  # until the search index is needed
    _catalogue_lock: threading.Lock = field(default_factory=threading.Lock)
    _loading: threading.Lock = field(default_factory=threading.Lock)
    _closed: bool = False

    @property
    def printer(self) -> PaperPrinter:
        """The print queue, made on first use (reportlab and CUPS only when printing)."""
        with self._catalogue_lock:
            if self._printer is None:
                from counterdesk.services.papers import PaperPrinter

                self._printer = PaperPrinter(
                    self.store,
                    self.settings,
                    self.clock,
                    self.data_key,
                    self.data_dir,
                    lambda: self.catalogue,
                    self.printer_backend,
                    self.case_lock,
                )
                self._printer.officer_names = self.officer_names
                self._printer.on_saved = self.saved
            return self._printer

    # The catalogue, loaded once (blocking; a worker calls it early)

    def catalogue_path(self) -> Path:
        from counterdesk.services.catalogue_source import current_catalogue_path

        return (
            Path(self.settings.catalogue_path)
            if self.settings.catalogue_path
            else (current_catalogue_path())
        )

    def load_catalogue(self) -> tuple[Catalogue, SearchIndex]:
        with self._loading:
            if self._catalogue is None:
                from counterdesk.services.catalogue_source import load_with_search_index

                self._catalogue = load_with_search_index(self.catalogue_path())
                self._catalogue_alone = None
            return self._catalogue

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue, without building the search index if nobody searched yet (the
        queue needs only its calendar, and shows sooner for it)."""
        with self._loading:
            if self._catalogue is not None:
                return self._catalogue[0]
            if self._catalogue_alone is None:
                from counterdesk.services.catalogue_source import load_catalogue

                self._catalogue_alone = load_catalogue(self.catalogue_path())
            return self._catalogue_alone

    def calendar(self) -> WorkingCalendar:
        """The working days of the catalogue in use. Until the catalogue itself is needed
        (the queue at start needs only this) they come from its small calendar cache."""
        with self._loading:
            loaded = self._catalogue[0] if self._catalogue else self._catalogue_alone
        if loaded is None:
            from counterdesk.services.catalogue_source import cached_calendar

            overrides = cached_calendar(self.catalogue_path())
            if overrides is not None:
                return calendar_for(overrides)
        return calendar_for(self.catalogue.calendar)

    # What screens ask for (all blocking: call from workers)

    def queue_rows(self, officer: Officer) -> list[QueueRow]:
        rows = officer_rows(
            self.store,
            officer.username,
            self.clock.today(),
            self.calendar(),
            self.settings.warning_days,
        )
        drafts = [
            draft_row(draft, self._target_name(draft.target))
            for draft in self.drafts.drafts_of(officer.username)
        ]
        return drafts + rows

    def _target_name(self, code: str) -> str:
        target = self.catalogue.target(code) if code else None
        return target.name if target else ""

    def open_case(self, case_id: str, officer: Officer) -> dict[str, Any] | None:
        """The case document, its opening recorded in the audit trail first."""
        return self.store.get(case_id, opened_by=officer.username)

    def intake_context(self, officer: Officer) -> IntakeContext:
        from counterdesk.services.intake import IntakeContext

        return IntakeContext(
            store=self.store,
            catalogue=self.catalogue,
            clock=self.clock,
            officer=officer.username,
            counter=self.settings.counter_name,
            centre=officer.centre or self.sign_in.centre,
            sharing_available=self.connectivity.state().sharing_available,
            lock=self.case_lock,
            training=self.training,
            attachments=None if self.training else self.attachments,
        )

    @property
    def attachments(self) -> AttachmentDesk:
        """Scanned papers (services/attachments.py), made on first use; files a crash left
        behind are swept then, before any scan."""
        with self._catalogue_lock:
            if self._attachments is None:
                from counterdesk.services.attachments import AttachmentDesk

                self._attachments = AttachmentDesk(
                    self.store,
                    self.data_key,
                    self.data_dir,
                    device=self.settings.scanner_device,
                    now=self.clock.now,
                )
                self._attachments.sweep()
            return self._attachments

    def needs_setup(self) -> bool:
        """First run: no settings file yet, or a standalone counter with no officer."""
        if not locations.config_file().exists():
            return True
        return self.settings.standalone and not self.officers.officers()

    def use_settings(self, settings: Settings) -> bool:
        """Settings changed (first run, the settings screen): the counter name, printer
        and progress address serve the next paper; the sync engine is made anew (not
        started) when the server, its TLS settings or the counter's name changed.
        Returns whether it was. Blocking."""
        before, self.settings = self.settings, settings
        self.sign_in.settings = settings
        if self._printer is not None:
            self._printer.use_settings(settings)
        if all(getattr(before, n) == getattr(settings, n) for n in SYNC_SETTINGS):
            return False
        old, self.sync = self.sync, None
        if old is not None:
            old.close()
        self.sync = _sync_runner(settings, self.store, self.data_dir)
        self.connectivity = _connectivity(settings, self.store, self.clock, self.sync)
        return True

    def mark_link(self, online: bool, error: str = "") -> None:
        if isinstance(self.connectivity, ServerConnectivity):
            self.connectivity.mark(online, self.clock.now(), error)

    # The sync engine (a counter with a server): started once an officer is signed in

    def start_sync(self) -> None:
        """An officer is signed in (the sign-in screen may have written new server tokens
        to the keyring): sync with them, in the runner's own thread. Blocking (keyring)."""
        if self.sync is not None and not self._closed:
            self.sync.tokens_changed()
            self.sync.start()

    def saved(self) -> None:
        """Something was saved with operations for the server: sync now (never blocks)."""
        if self.sync is not None and not self._closed:
            self.sync.wake()

    def sign_out(self) -> None:
        """Switch officer: the shift's sign-in and the server tokens are forgotten; sync
        waits for the next sign-in. Blocking."""
        self.sign_in.sign_out()
        if self.sync is not None:
            self.sync.sign_out()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.sync is not None:
            try:
                self.sync.close()  # before the store closes: the sync thread uses it
            except Exception:
                log.exception("could not stop the sync engine at close")
        try:
            self.drafts.flush()
        except Exception:  # closing must go on; the journal has every earlier draft
            log.exception("could not save the last draft at close")
        if self._attachments is not None:
            self._attachments.close()  # decrypted copies for the system viewer go
        self.store.close()


def _sync_runner(settings: Settings, store: Store, folder: Path) -> SyncRunner | None:
    """The counter's sync engine when a server is configured (not started). Blocking."""
    if settings.standalone:
        return None
    from counterdesk.services.sync_runner import SyncRunner  # httpx: only with a server

    return SyncRunner(settings, store, data_dir=folder)


def _connectivity(
    settings: Settings, store: Store, clock: Clock, sync: SyncRunner | None = None
) -> Connectivity:
    if settings.standalone:
        return StandaloneConnectivity(store)
    if sync is not None:
        return sync
    return ServerConnectivity(store, online=False, since=clock.now())


def open_counter(
    settings: Settings,
    clock: Clock,
    *,
    data_dir: Path | None = None,
    printer_backend: PrinterBackend | None = None,
    server_sign_in: SignInFunction | None = None,
) -> CounterServices:
    """Open the local store and everything on it. Raises LocalStoreError or
    KeyringUnavailable with a message fit to show. Blocking."""
    folder = Path(data_dir) if data_dir is not None else locations.data_dir()

    def now() -> dt.datetime:
        return clock.now().astimezone(dt.UTC)

    store = local_store.open_local_store(settings, data_dir=folder, now=now)
    try:
        key = local_store.load_key(settings, folder)
        assert key is not None  # open_local_store made it
        officers = OfficerDirectory(store)
        sessions = SessionKeeper(settings, folder, clock)
        sync = _sync_runner(settings, store, folder)
        services = CounterServices(
            settings=settings,
            clock=clock,
            data_dir=folder,
            store=store,
            officers=officers,
            sign_in=SignInService(settings, store, officers, sessions, server_sign_in),
            connectivity=_connectivity(settings, store, clock, sync),
            drafts=DraftKeeper(store),
            data_key=key,
            printer_backend=printer_backend,
            sync=sync,
        )
    except BaseException:
        store.close()
        raise
    return services


def prepare_signed_in(
    settings: Settings,
    clock: Clock,
    *,
    username: str,
    password: str,
    name: str = "",
    centre: str = "",
    data_dir: Path | None = None,
) -> Officer:
    """Make the counter open on the queue, signed in (the demo, kiosks set up by a script).

    Standalone: the officer is created here (or their password replaced) with a local
    verifier. With a server: the officer signs in there (tokens to the keyring, a verifier
    kept for offline use). Either way the shift's sign-in is remembered, so the next
    ``CounterApp`` (``commands.default.run_counter``) starts on the queue. Blocking.
    """
    services = open_counter(settings, clock, data_dir=data_dir)
    try:
        if settings.standalone:
            officer = services.officers.add(Officer(username, name), password)
            services.sign_in.sessions.remember(officer, online=False)
            return officer
        return services.sign_in.sign_in(username, password, centre).officer
    finally:
        services.close()
