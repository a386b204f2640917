"""Training results: kept per trainee in the sandbox store, and sent to the case server's
``POST /training/results`` when it can be reached, so supervisors see progress.

A result is written to the sandbox before anything is sent (nothing is lost when the
network is down); the uploader sends what waits, now and then and whenever woken, and
keeps each result until the server has it. The server answers a resent result (same
idempotency key) with the one it stored, so a result is never counted twice. A result the
server refuses (422, 403) is kept with the server's reason and not sent again.

The uploader talks through the live sync engine's transport (``offline.sync``), which owns
the signed-in officer's tokens and their refresh; the sandbox itself never syncs cases.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counterdesk.i18n import _, bilingual
from counterdesk.services.connectivity import Connectivity, ConnectivityState, LinkMode

if TYPE_CHECKING:
    from counterdesk.domain.training import TrainingResult
    from offline import Store

log = logging.getLogger(__name__)

RESULTS_SETTING = "training_results"
RESULTS_PATH = "/training/results"
RETRY_EVERY_S = 30.0  # results waiting are tried again this often (and at every wake)
PENDING, UPLOADED, REFUSED = "pending", "uploaded", "refused"


class ResultBook:
    """Every training result of this counter, per trainee, with its upload state: kept in
    the sandbox store (setting ``training_results``), read from memory."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = list(store.setting(RESULTS_SETTING, []) or [])

    def use_store(self, store: Store) -> None:
        """The sandbox was reset: the same results, written to its new store."""
        with self._lock:
            self._store = store
            self._save()

    def _save(self) -> None:
        self._store.set_setting(RESULTS_SETTING, self._entries)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def add(self, result: TrainingResult) -> None:
        """Keep a finished exercise (before any attempt to send it). Blocking."""
        entry = {
            "record": result.to_json(),
            "body": result.to_server_json(),
            "state": PENDING,
            "reason": "",
            "sent_at": "",
        }
        with self._lock:
            self._entries = [*self._entries, entry]
            self._save()

    def of(self, trainee: str) -> list[dict[str, Any]]:
        """This trainee's results (the counter's records), oldest first."""
        return [e["record"] for e in self.entries() if e["record"].get("trainee") == trainee]

    def waiting(self) -> list[dict[str, Any]]:
        return [e for e in self.entries() if e["state"] == PENDING]

    def counts(self) -> tuple[int, int]:
        """(waiting to be sent, refused by the server); cheap (memory)."""
        entries = self.entries()
        return (
            sum(e["state"] == PENDING for e in entries),
            sum(e["state"] == REFUSED for e in entries),
        )

    def settle(self, key: str, state: str, reason: str, at: dt.datetime) -> None:
        with self._lock:
            self._entries = [
                {**e, "state": state, "reason": reason, "sent_at": at.isoformat()}
                if e["body"]["idempotency_key"] == key
                else e
                for e in self._entries
            ]
            self._save()


# (method, path, JSON body) -> the answer's status code and JSON; raises offline.sync errors
ServerCall = Callable[[str, str, Any], tuple[int, Any]]


@dataclass(frozen=True)
class UploadReport:
    sent: int = 0
    refused: int = 0
    error: str = ""  # why the server could not be reached, when it could not


class ResultUploader:
    """Sends waiting results in its own thread: every ``retry_s`` and whenever woken;
    each trainee's own, while they are signed in (a counter may be shared)."""

    def __init__(
        self,
        book: ResultBook,
        call: ServerCall,
        now: Callable[[], dt.datetime],
        signed_in: Callable[[], str],
        *,
        retry_s: float = RETRY_EVERY_S,
    ) -> None:
        self.book = book
        self._call = call
        self._now = now
        self._signed_in = signed_in  # the server takes the trainee from the sign-in
        self._retry_s = retry_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()  # one upload at a time
        self._thread: threading.Thread | None = None
        self.online: bool | None = None  # unknown until the first attempt
        self.since: dt.datetime | None = None
        self.last_error = ""

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="training-results", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.upload_waiting()
            except Exception:  # the thread must outlive any one failure
                log.exception("training results upload failed")
            self._wake.wait(self._retry_s)
            self._wake.clear()

    def upload_waiting(self) -> UploadReport:
        """Send every result waiting, oldest first; stops at the first network failure.
        Blocking (network)."""
        from offline.sync import SyncError

        with self._lock:
            sent = refused = 0
            # Only the signed-in trainee's: the server records a result as the sender's.
            who = self._signed_in()
            waiting = [e for e in self.book.waiting() if e["record"].get("trainee") == who]
            if not waiting:
                return self._probe()
            for entry in waiting:
                body = entry["body"]
                try:
                    status, answer = self._call("POST", RESULTS_PATH, body)
                except SyncError as exc:
                    self._mark(False, bilingual(str(exc)))
                    return UploadReport(sent, refused, self.last_error)
                key = body["idempotency_key"]
                if status in (200, 201):
                    self.book.settle(key, UPLOADED, "", self._now())
                    sent += 1
                else:
                    reason = _server_error(answer) or f"HTTP {status}"
                    self.book.settle(key, REFUSED, reason, self._now())
                    log.warning("training result %s refused by the server: %s", key, reason)
                    refused += 1
            self._mark(True, "")
            return UploadReport(sent, refused)

    def _probe(self) -> UploadReport:
        """Nothing to send: ask for one result, to know whether the server answers."""
        from offline.sync import SyncError

        try:
            self._call("GET", RESULTS_PATH + "?limit=1", None)
        except SyncError as exc:
            self._mark(False, bilingual(str(exc)))
            return UploadReport(error=self.last_error)
        self._mark(True, "")
        return UploadReport()

    def _mark(self, online: bool, error: str) -> None:
        if online is not self.online:
            self.since = self._now()
        self.online = online
        self.last_error = error


def _server_error(answer: Any) -> str:
    if isinstance(answer, dict) and isinstance(answer.get("error"), str):
        return str(answer["error"])
    return ""


def transport_call(sync: Any) -> ServerCall:
    """A ServerCall over the live sync engine's transport (its tokens, refresh and TLS)."""

    def call(method: str, path: str, body: Any) -> tuple[int, Any]:
        answer = sync.engine.transport.call(method, path, body=body)
        try:
            data = answer.json()
        except ValueError:
            data = None
        return answer.status_code, data

    return call


@dataclass(frozen=True)
class SandboxLinkState(ConnectivityState):
    """The status bar's view in training mode: the link as the results uploader found it,
    results waiting instead of operations, and the licence library of the scenario."""

    sharing: bool = True

    @property
    def sharing_available(self) -> bool:
        # The electronic licence library is part of the exercise: it answers exactly when
        # the scenario says it does, online or not.
        return self.sharing


class TrainingConnectivity:
    """``Connectivity`` for the sandbox's screens."""

    def __init__(
        self,
        live: Connectivity,
        book: ResultBook,
        uploader: ResultUploader | None,
        sharing: Callable[[], bool],
    ) -> None:
        self._live = live
        self._book = book
        self._uploader = uploader
        self._sharing = sharing

    def state(self) -> SandboxLinkState:
        waiting, refused = self._book.counts()
        live = self._live.state()
        uploader = self._uploader
        if uploader is None:  # standalone: results are kept here, there is nowhere to send
            mode, since, error = LinkMode.STANDALONE, None, ""
            waiting = refused = 0
        elif uploader.online is None:
            mode, since, error = live.mode, live.since, ""
        else:
            mode = LinkMode.ONLINE if uploader.online else LinkMode.OFFLINE
            since, error = uploader.since, uploader.last_error
        if error:
            error = _("Results not sent: {reason}").format(reason=error)
        return SandboxLinkState(
            mode,
            since=since,
            waiting=waiting,
            rejected=refused,
            last_error=error,
            sharing=self._sharing(),
        )
