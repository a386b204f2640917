"""The counter's sync: the generic engine of ``offline.sync`` given the counter's rules.

This is where the counter's knowledge meets the engine: the server address and TLS
settings come from ``Settings``, the sign-in lives in the keyring (credentials.py), scans
are sealed with the store's data key, and cases merge by the domain's rules: the server
owns ``state`` and ``assignee``, ``EDITABLE`` members merge field by field, and the local
copy of a case is the server's with the officer's pending operations re-applied by the
shared ``apply_operation``. Before each push, cases numbered provisionally (offline, with
no leased number left) get an official number from the lease; both numbers stay on the
case, so a receipt with either finds it.

The screen starts a ``SyncRunner`` once, subscribes to its status and notices (callbacks
arrive on the sync thread: hand them to the UI thread), and calls ``wake()`` after saving.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from counterdesk import credentials
from counterdesk.domain.cases import (
    EDITABLE,
    OPEN_STATES,
    SERVER_OWNED,
    Case,
    Operation,
    OperationError,
    OperationKind,
    Role,
    apply_operation,
    new_operation,
)
from counterdesk.domain.catalogue import parse_catalogue
from counterdesk.services import local_store
from counterdesk.services.board_notices import ReassignmentNotices
from counterdesk.services.catalogue_source import store_cached_catalogue
from counterdesk.services.connectivity import ConnectivityState, LinkMode
from counterdesk.services.intake import provisional_prefix
from counterdesk.settings import Settings
from offline import Store
from offline.store import utc_now
from offline.sync import (
    DocumentRules,
    Notice,
    ScanFolder,
    SyncConfig,
    SyncEngine,
    SyncError,
    SyncHooks,
    SyncReport,
    SyncState,
    SyncStatus,
    TokenKeeper,
    Tokens,
    store_lock,
)

log = logging.getLogger(__name__)

SCANS_FOLDER = "scans"
NUMBER_SCAN_S = 60.0  # with nothing in the outbox, look for provisional numbers this often
Doc = dict[str, Any]
_MODES = {
    SyncState.ONLINE: LinkMode.ONLINE,
    SyncState.SYNCING: LinkMode.SYNCING,
    SyncState.OFFLINE: LinkMode.OFFLINE,
    SyncState.LOGIN_REQUIRED: LinkMode.OFFLINE,
    SyncState.STOPPED: LinkMode.OFFLINE,
}


def replay_cases(server_doc: Doc, operations: Sequence[Doc], role: Role) -> Doc:
    """The server's copy of a case with the counter's pending operations applied. An
    operation the server would refuse is left out: its refusal will say why."""
    case = Case.model_validate(server_doc)
    for raw in operations:
        try:
            case = apply_operation(case, Operation.model_validate(raw), role)
        except (OperationError, ValidationError):
            continue
    return case.to_json()


def case_belongs_here(doc: Doc, user: str, role: Role) -> bool:
    """Feed cases this counter keeps: the officer's own, and every open one for a
    supervisor (the board)."""
    if role is Role.SUPERVISOR:
        return doc.get("state") in {s.value for s in OPEN_STATES}
    return user in (doc.get("assignee"), doc.get("received_by"))


def needs_official_number(doc: Doc) -> bool:
    numbers = doc.get("numbers") or {}
    return bool(numbers.get("provisional")) and not numbers.get("official")


class KeyringTokens:
    """The server sign-in kept in the keyring, one per data folder, in the same entry the
    sign-in screen writes (``SessionKeeper.keep_server_tokens``); cached in memory, since a
    keyring lookup per request would cost a D-Bus round trip. ``reload()`` after someone
    else wrote the entry."""

    def __init__(self, settings: Settings, data_dir: Path | None = None) -> None:
        self._profile = f"{local_store.key_profile(data_dir)}-server"
        self._options: dict[str, Any] = {
            "key_storage": settings.key_storage,
            "secrets_dir": local_store.secrets_folder(data_dir),
        }
        self._loaded = False
        self._tokens: Tokens | None = None

    def load(self) -> Tokens | None:
        if not self._loaded:
            raw = credentials.get_tokens(self._profile, **self._options)
            self._tokens = Tokens.from_json(raw) if raw else None
            self._loaded = True
        return self._tokens

    def reload(self) -> None:
        self._loaded = False

    def save(self, tokens: Tokens | None) -> None:
        if tokens is None:
            credentials.clear_tokens(self._profile, **self._options)
        else:
            credentials.store_tokens(self._profile, tokens.to_json(), **self._options)
        self._tokens, self._loaded = tokens, True


class SyncRunner:
    """The counter's sync engine, built from the settings, the store and the keyring."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        data_dir: Path | None = None,
        tokens: TokenKeeper | None = None,
        now: Callable[[], dt.datetime] | None = None,
        **tuning: Any,
    ) -> None:
        if settings.standalone:
            raise ValueError("no server_url is set: a standalone counter does not sync")
        self.settings = settings
        self.store = store
        self.tokens = tokens if tokens is not None else KeyringTokens(settings, data_dir)
        self._now = now or utc_now
        self._number_scan = 0.0
        self._notice_listeners: list[Callable[[Notice], None]] = []
        self._login_listeners: list[Callable[[str], None]] = []
        self._arrival_listeners: list[Callable[[list[str]], None]] = []
        key = local_store.load_key(settings, data_dir)
        scans = (
            ScanFolder(local_store.data_folder(data_dir) / SCANS_FOLDER, key, store)
            if key is not None
            else None
        )
        config = SyncConfig(
            server_url=settings.server_url,
            ca_bundle=settings.ca_bundle,
            allow_http=settings.allow_http,
            device=settings.counter_name or socket.gethostname(),
            **tuning,
        )
        self.engine = SyncEngine(
            store,
            config,
            self.tokens,
            rules=DocumentRules(
                server_owned=SERVER_OWNED,
                mergeable=EDITABLE,
                owner_member="assignee",
                replay=lambda doc, ops: replay_cases(doc, ops, self.role),
                keep=lambda doc, user: case_belongs_here(doc, user, self.role),
            ),
            hooks=SyncHooks(
                on_catalogue=self._take_catalogue,
                before_push=self._before_push,
                on_notice=self._tell_notice,
                on_login_required=self._tell_login_required,
                # Server versions that changed local copies: the supervisor board repaints them.
                on_arrivals=lambda case_ids, _user: self._tell_arrivals(case_ids),
            ),
            scans=scans,
            now=self._now,
        )
        # Reassignments by a supervisor, with who and why (services/board_notices.py).
        self.reassignments = ReassignmentNotices(
            store, self.engine.transport.call, self.engine.ctx.notify
        )

    # Running

    def start(self) -> None:
        self.engine.start()

    def stop(self) -> None:
        self.engine.stop()

    def close(self) -> None:
        self.engine.close()

    def wake(self) -> None:
        self.engine.wake()

    def sync_now(self) -> SyncReport:
        """One sync in the calling thread (a worker, the CLI, tests)."""
        return self.engine.sync_once()

    # What the screen shows

    @property
    def status(self) -> SyncStatus:
        return self.engine.status

    def state(self) -> ConnectivityState:
        """The status bar's view (``services.connectivity.Connectivity``)."""
        status = self.engine.status
        mode = _MODES.get(status.state, LinkMode.OFFLINE)
        since = status.offline_since if mode is LinkMode.OFFLINE else status.last_synced_at
        error = status.last_error or status.warning
        return ConnectivityState(
            mode,
            since=since,
            waiting=status.pending,
            rejected=status.rejected + status.conflicts,
            last_error=error,
        )

    def on_status(self, listener: Callable[[SyncStatus], None]) -> Callable[[], None]:
        return self.engine.connectivity.subscribe(listener)

    def on_notice(self, listener: Callable[[Notice], None]) -> None:
        self._notice_listeners.append(listener)

    def on_login_required(self, listener: Callable[[str], None]) -> None:
        self._login_listeners.append(listener)

    def on_arrivals(self, listener: Callable[[list[str]], None]) -> Callable[[], None]:
        """``listener(case_ids)`` on the sync thread whenever server versions changed local
        copies (the change feed, answers to pushes); returns a function that unsubscribes."""
        self._arrival_listeners.append(listener)
        return lambda: self._arrival_listeners.remove(listener)

    @property
    def user(self) -> str:
        tokens = self.tokens.load()
        return tokens.username if tokens else ""

    @property
    def role(self) -> Role:
        tokens = self.tokens.load()
        try:
            return Role(tokens.role) if tokens else Role.OFFICER
        except ValueError:
            return Role.OFFICER

    # Signing in (the login screen)

    def sign_in(self, centre: str, username: str, password: str) -> Tokens:
        return self.engine.sign_in(centre, username, password)

    def sign_out(self) -> None:
        self.tokens.save(None)
        self.engine.tokens_changed()

    def tokens_changed(self) -> None:
        """The sign-in screen stored new tokens in the keyring itself: sync with them."""
        if isinstance(self.tokens, KeyringTokens):
            self.tokens.reload()
        self.engine.tokens_changed()

    # Decisions the officer makes

    def conflicts(self) -> list[dict[str, Any]]:
        return self.engine.conflicts()

    def resolve(self, conflict_id: str, choices: dict[str, Any]) -> str:
        return self.engine.resolve(conflict_id, choices, by=self.user)

    def refused(self) -> list[dict[str, Any]]:
        return self.engine.refused()

    def retry(self, idempotency_key: str) -> None:
        self.engine.retry(idempotency_key)

    def discard(self, idempotency_key: str) -> None:
        self.engine.discard(idempotency_key, by=self.user)

    def notices(self) -> list[Notice]:
        return self.engine.notices()

    def dismiss(self, notice_id: int) -> bool:
        return self.engine.dismiss(notice_id)

    def queue_scan(
        self, case_id: str, material: str, content_type: str, data: bytes, pages: int = 1
    ) -> str:
        return self.engine.queue_scan(
            case_id=case_id,
            material=material,
            content_type=content_type,
            data=data,
            pages=pages,
            device_time=self._now(),
        )

    def find_case(self, number: str, *, ask_server: bool = True) -> Doc | None:
        """The case with this official or provisional number: on this counter, else (when
        online) on the server."""
        for doc in self.store.list_queue(
            where=lambda d: number in ((d.get("numbers") or {}).values())
        ):
            return doc
        if not ask_server:
            return None
        try:
            answer = self.engine.transport.call("GET", f"/cases/by-number/{number}")
        except SyncError as exc:  # offline: this counter's cases are all there is
            log.info("number %s not looked up on the server: %s", number, exc)
            return None
        if answer.status_code != 200:
            return None
        found = self.engine.transport.expect_json(answer, "case")["case"]
        return found if isinstance(found, dict) else None

    # Hooks the engine calls

    def give_official_numbers(self, user: str) -> int:
        """Give leased numbers to cases numbered provisionally; each is an ordinary
        ``update_fields`` operation, so it syncs, merges and is audited like any edit."""
        if self.store.numbers_left() == 0:
            return 0
        # Provisional numbers come with work made offline, which waits in the outbox; with
        # an empty outbox an idle poll looks only now and then (a scan reads every case).
        if not self.store.stats()["outbox_pending"] and time.monotonic() < self._number_scan:
            return 0
        self._number_scan = time.monotonic() + NUMBER_SCAN_S
        given = 0
        waiting = self.store.list_queue(where=needs_official_number)
        for found in waiting:
            with store_lock(self.store):
                if self.store.numbers_left() == 0:
                    break
                current = self.store.get(found["id"])
                if current is None or not needs_official_number(current):
                    continue
                taken = self.store.next_number(provisional_prefix(self.store))
                numbers = {**current["numbers"], "official": taken["number"]}
                op = new_operation(
                    OperationKind.UPDATE_FIELDS,
                    current["id"],
                    user,
                    self._now(),
                    current["version"],
                    {"changes": {"numbers": numbers}},
                )
                updated = apply_operation(Case.model_validate(current), op, self.role)
                self.store.save_batch(
                    cases=[updated.to_json()],
                    operations=[op.to_json()],
                    audit_entries=[
                        {
                            "actor": user,
                            "action": "case.number_official",
                            "case_id": current["id"],
                            "detail": numbers,
                        }
                    ],
                )
                given += 1
        if given:
            log.info("%d provisionally numbered cases got their official numbers", given)
        return given

    def _before_push(self, user: str) -> int:
        self.reassignments.collect()
        return self.give_official_numbers(user)

    def _tell_arrivals(self, case_ids: list[str]) -> None:
        if not case_ids:
            return
        for listener in list(self._arrival_listeners):
            try:
                listener(case_ids)
            except Exception:  # a screen's problem must not undo the sync's work
                log.exception("an arrivals listener failed")

    def _take_catalogue(self, content: bytes, etag: str) -> None:
        parse_catalogue(content, f"catalogue from the server ({etag})")  # ValueError refuses
        store_cached_catalogue(content)

    def _tell_notice(self, notice: Notice) -> None:
        if self.reassignments.covers(notice):
            self.engine.dismiss(notice.id)  # said already, with who moved it and why
            return
        for listener in list(self._notice_listeners):
            listener(notice)

    def _tell_login_required(self, reason: str) -> None:
        for listener in list(self._login_listeners):
            listener(reason)
