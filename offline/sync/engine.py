"""The sync engine: one object that keeps a store and a server in step, once on demand or
in a background thread, and says how it is going.

A sync is: top up the number lease, let the caller prepare (e.g. give official numbers to
provisional ones), push the outbox, announce handovers, pull the change feed, read
handover notices, upload scans, refresh the catalogue. Any network or server trouble
stops the sync where it is (everything done so far is on disk, everything else is still
queued) and the background loop retries with exponential backoff and full jitter
(tenacity), so the counter recovers by itself when the network returns; ``wake()``
retries at once. A refused sign-in pauses it until the officer signs in again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_random_exponential

from offline.errors import StoreClosed
from offline.store import Store, utc_now
from offline.sync import catalogue, decisions, leases
from offline.sync.config import DocumentRules, SyncConfig
from offline.sync.context import SyncContext
from offline.sync.errors import AccountRefused, LoginRequired, SyncError, TransientError
from offline.sync.handover import Handovers
from offline.sync.local import Arrival, LocalCopies
from offline.sync.pull import Puller, PullReport
from offline.sync.push import Pusher, PushReport
from offline.sync.rebase import Choice
from offline.sync.records import Notice, SyncBook
from offline.sync.status import Connectivity, SyncState, SyncStatus
from offline.sync.tokens import TokenKeeper, Tokens
from offline.sync.transport import Transport
from offline.sync.uploads import ScanFolder, Uploader, queue_scan

log = logging.getLogger(__name__)
STOP_TIMEOUT_S = 30.0


@dataclass
class SyncHooks:
    """The caller's part of a sync; every hook runs on the engine's thread."""

    on_catalogue: catalogue.OnCatalogue | None = None  # check and cache; ValueError refuses
    before_push: Callable[[str], int] | None = None  # prepare operations for this user
    on_notice: Callable[[Notice], None] | None = None
    on_login_required: Callable[[str], None] | None = None
    # Server versions that changed local copies (feed, push answers): (case ids, user).
    on_arrivals: Callable[[list[str], str], None] | None = None


@dataclass
class SyncReport:
    push: PushReport = field(default_factory=PushReport)
    pull: PullReport = field(default_factory=PullReport)
    leased: int = 0
    prepared: int = 0
    uploads: int = 0
    handovers_told: int = 0
    handovers_received: int = 0
    catalogue: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # step -> seconds


class SyncEngine:
    def __init__(
        self,
        store: Store,
        config: SyncConfig,
        tokens: TokenKeeper,
        *,
        rules: DocumentRules | None = None,
        hooks: SyncHooks | None = None,
        scans: ScanFolder | None = None,
        now: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.store = store
        self.config = config
        self.hooks = hooks or SyncHooks()
        self.connectivity = Connectivity()
        self.transport = Transport(config, tokens, now)  # refuses a bad address at once
        book = SyncBook(store, now)
        rules = rules or DocumentRules()
        self.ctx = SyncContext(
            store=store,
            transport=self.transport,
            book=book,
            copies=LocalCopies(store, rules, book),
            rules=rules,
            config=config,
            now=now,
            notify=self._notify,
            arrived=self._arrived,
        )
        self._handovers = Handovers(self.ctx)
        self._pusher = Pusher(self.ctx)
        self._puller = Puller(self.ctx)
        self._uploader = Uploader(self.ctx, scans)
        self._catalogue = catalogue.CatalogueWatch(self.ctx, self.hooks.on_catalogue)
        self._scans = scans
        self._next_catalogue = 0.0
        self._cycle = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        signed_in = tokens.load()
        self.connectivity.update(
            warning=self.transport.warning, user=signed_in.username if signed_in else ""
        )
        self._refresh_counts()

    # One sync

    @property
    def status(self) -> SyncStatus:
        return self.connectivity.status

    def sync_once(self) -> SyncReport:
        """One whole sync in the caller's thread; raises the SyncError that stopped it."""
        with self._cycle:
            started = time.perf_counter()
            report = SyncReport()
            self.connectivity.update(state=SyncState.SYNCING)
            try:
                self._sync(report)
            except LoginRequired as exc:
                self.connectivity.update(state=SyncState.LOGIN_REQUIRED, last_error=str(exc))
                if self.hooks.on_login_required is not None:
                    self.hooks.on_login_required(str(exc))
                raise
            except TransientError as exc:
                since = self.status.offline_since or self.ctx.now()
                self.connectivity.update(
                    state=SyncState.OFFLINE, offline_since=since, last_error=str(exc)
                )
                raise
            except Exception as exc:  # AccountRefused, or a fault here: the network is fine
                self.connectivity.update(state=SyncState.ONLINE, last_error=str(exc))
                raise
            finally:
                self._refresh_counts()
            self.connectivity.update(
                state=SyncState.ONLINE,
                offline_since=None,
                last_error="",
                last_synced_at=self.ctx.now(),
            )
            report.seconds = time.perf_counter() - started
            return report

    def _sync(self, report: SyncReport) -> None:
        ctx = self.ctx
        clock = _StepClock(report.timings)
        user = self.transport.ensure_fresh().username
        self.connectivity.update(user=user)
        report.leased = leases.top_up(ctx)
        if self.hooks.before_push is not None:
            report.prepared = self.hooks.before_push(user)
        clock.lap("prepare")
        report.push = self._pusher.run(user)
        report.handovers_told = self._handovers.announce(user)
        clock.lap("push")
        report.pull = self._puller.run(user)
        report.handovers_received = self._handovers.collect(force=report.pull.updated > 0)
        clock.lap("pull")
        report.uploads = self._uploader.run()
        if time.monotonic() >= self._next_catalogue:
            report.catalogue = self._catalogue.refresh()
            self._next_catalogue = time.monotonic() + self.config.catalogue_interval
        clock.lap("uploads_catalogue")

    # Running in the background

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="counterdesk-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Sync now (after a save, or when the network is back)."""
        self._wake.set()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.connectivity.update(state=SyncState.STOPPED)

    def close(self) -> None:
        self.stop()
        self.transport.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _nap(self, seconds: float | None) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _loop(self) -> None:
        retrying = Retrying(
            retry=retry_if_exception_type((TransientError, AccountRefused)),
            wait=wait_random_exponential(
                multiplier=self.config.backoff_base, max=self.config.backoff_max
            ),
            stop=self._stop_retrying,
            sleep=self._nap,
            before_sleep=_log_retry,
            reraise=True,
        )
        while not self._stopping.is_set():
            delay: float | None = self.config.poll_interval
            try:
                retrying(self.sync_once)
            except LoginRequired:
                delay = None  # nothing to do until the officer signs in (set_tokens wakes us)
            except (TransientError, AccountRefused):
                pass  # only when stopping
            except SyncError as exc:
                log.error("sync stopped: %s", exc)
                self.connectivity.update(last_error=str(exc))
            except StoreClosed:
                break  # the counter is shutting down
            except Exception as exc:  # a bug must not end the counter's sync for good
                log.exception("unexpected error during sync")
                self.connectivity.update(last_error=f"sync failed: {exc}")
            if not self._stopping.is_set():
                self._nap(delay)

    def _stop_retrying(self, _state: RetryCallState) -> bool:
        return self._stopping.is_set()

    # Signing in

    def sign_in(self, centre: str, username: str, password: str) -> Tokens:
        tokens = self.transport.sign_in(centre, username, password)
        self.connectivity.update(user=tokens.username, last_error="")
        self.wake()
        return tokens

    def tokens_changed(self) -> None:
        """The caller put a new sign-in in the keeper: go on syncing with it."""
        tokens = self.transport.tokens
        self.connectivity.update(user=tokens.username if tokens else "", last_error="")
        self.wake()

    # What the officer sees and decides

    def conflicts(self) -> list[dict[str, Any]]:
        return list(self.ctx.book.conflicts().values())

    def resolve(self, conflict_id: str, choices: dict[str, Choice], by: str) -> str:
        with self._cycle:
            outcome = decisions.resolve_conflict(self.ctx, conflict_id, choices, by)
            self._refresh_counts()
        self.wake()
        return outcome

    def refused(self) -> list[dict[str, Any]]:
        """Operations the server refused (``{seq, status, reason, rejected_at, op}``)."""
        conflicts = self.ctx.book.conflicts()
        return [
            r for r in self.store.outbox_rejected() if r["op"]["idempotency_key"] not in conflicts
        ]

    def retry(self, key: str) -> None:
        with self._cycle:
            decisions.retry_refused(self.ctx, key)
            self._refresh_counts()
        self.wake()

    def discard(self, key: str, by: str) -> None:
        with self._cycle:
            decisions.discard_refused(self.ctx, key, by)
            self._refresh_counts()

    def notices(self) -> list[Notice]:
        return self.ctx.book.notices()

    def dismiss(self, notice_id: int) -> bool:
        found = self.ctx.book.dismiss_notice(notice_id)
        self._refresh_counts()
        return found

    def queue_scan(self, **spec: Any) -> str:
        """Keep a scan for upload (see uploads.queue_scan); sent at the next sync."""
        if self._scans is None:
            raise ValueError("this engine was given no folder for scans")
        local_id = queue_scan(self.ctx, self._scans, **spec)
        self.wake()
        return local_id

    def uploads(self) -> dict[str, dict[str, Any]]:
        return self.ctx.book.uploads()

    # Internals

    def _arrived(self, arrivals: Sequence[Arrival], user: str) -> None:
        self._handovers.arrived(arrivals, user)
        if self.hooks.on_arrivals is not None and arrivals:
            self.hooks.on_arrivals([arrival.case_id for arrival in arrivals], user)

    def _notify(self, kind: str, case_id: str, text: str, detail: dict[str, Any]) -> None:
        notice = self.ctx.book.add_notice(kind, case_id, text, detail)
        log.info("notice %s for %s", kind, case_id or "-")
        if self.hooks.on_notice is not None:
            try:
                self.hooks.on_notice(notice)
            except Exception:  # the screen's problem must not undo the sync's work
                log.exception("a notice listener failed")

    def _refresh_counts(self) -> None:
        stats = self.store.stats()
        conflicts = self.ctx.book.conflicts()
        self.connectivity.update(
            pending=stats["outbox_pending"],
            rejected=max(0, stats["outbox_rejected"] - len(conflicts)),
            conflicts=len(conflicts),
            notices=len(self.ctx.book.notices()),
        )


class _StepClock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = now - self._last
        self._last = now


def _log_retry(state: RetryCallState) -> None:
    outcome = state.outcome
    error = outcome.exception() if outcome is not None else None
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    log.info("sync failed (%s); next try in %.1f s", error, wait)
