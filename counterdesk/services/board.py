"""The supervisor board's way to its data: the open cases from the local copies the sync
keeps, and officers' load, plans and moves, trainees and the daily report from the server.

Everything here blocks (store, network): the screens call it from workers. Server answers
are kept in the encrypted store with the time they came, so offline the board shows its
last data with its age, and says why what needs the server cannot be done. The server
decides who may see and do all this (supervisors): a refusal comes back as
``BoardRefused`` with the server's reason, whatever the screen let through.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counterdesk import i18n
from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases.unlisted import UNLISTED_CODE
from counterdesk.domain.supervision import SEVERAL_DEPARTMENTS, department_of
from counterdesk.i18n import _
from counterdesk.services.board_rows import BoardRow, Directory, board_row, is_board_case
from offline.sync import LoginRequired, SyncError, SyncState, TransientError

if TYPE_CHECKING:
    from counterdesk.domain.catalogue import Catalogue
    from counterdesk.services.counter import CounterServices
    from counterdesk.services.sync_runner import SyncRunner

log = logging.getLogger(__name__)
MOVES_PER_REQUEST = 500  # the server's limit
SYNCED_NOTE_EVERY_S = 60.0  # how often the time of the last sync is written down
_SYNCED_AT = "board:synced_at"


class BoardUnavailable(RuntimeError):
    """The server cannot be asked now (standalone, offline, signed out); fit to show."""


class BoardRefused(BoardUnavailable):
    """The server said no (the role may not, or the request is wrong): its reason."""


@dataclass(frozen=True)
class Fetched:
    """A server answer, fresh or the last one kept, with when it came."""

    data: dict[str, Any]
    fetched_at: dt.datetime
    live: bool
    problem: str = ""  # why it is not fresh


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def age_text(since: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """How old data is, in the officer's words ("3 min", "2 h")."""
    if since is None:
        return _("never fetched")
    seconds = max(0, int(((now or utc_now()) - since).total_seconds()))
    if seconds < 60:
        return _("{n} s").format(n=seconds)
    if seconds < 3600:
        return _("{n} min").format(n=seconds // 60)
    if seconds < 86400:
        return _("{n} h").format(n=seconds // 3600)
    return _("{n} d").format(n=seconds // 86400)


class BoardService:
    def __init__(self, services: CounterServices) -> None:
        self.services = services
        self._departments: dict[str, tuple[str, str]] = {}
        self._synced_noted = 0.0

    # Where the data comes from

    @property
    def runner(self) -> SyncRunner | None:
        return self.services.sync

    def server_problem(self) -> str:
        """Why the server cannot be asked now; "" when it can (or may: not tried yet)."""
        runner = self.runner
        if runner is None:
            return _("This counter has no server: the board needs the centre's case server.")
        status = runner.status
        if status.state is SyncState.LOGIN_REQUIRED:
            return _("Sign in again: the server no longer accepts this sign-in.")
        if status.state is SyncState.OFFLINE:
            return _("Offline: the server cannot be reached ({error}).").format(
                error=i18n.bilingual(status.last_error) or _("no answer")
            )
        return ""

    def data_as_of(self) -> dt.datetime | None:
        """When the local copies were last brought up to date from the server."""
        runner = self.runner
        stored = self.services.store.setting(_SYNCED_AT)
        kept = dt.datetime.fromisoformat(stored) if stored else None
        live = runner.status.last_synced_at if runner is not None else None
        times = [t for t in (kept, live) if t is not None]
        return max(times) if times else None

    def sync_to_note(self) -> dt.datetime | None:
        """The last sync's time when it is worth writing down (once a minute at most), so
        the next session knows how old its copies are before it has synced. Cheap."""
        runner = self.runner
        synced = runner.status.last_synced_at if runner is not None else None
        if synced is None or synced.timestamp() - self._synced_noted < SYNCED_NOTE_EVERY_S:
            return None
        return synced

    def note_synced(self, synced: dt.datetime) -> None:
        """Write the time down (blocking: the store)."""
        self.services.store.set_setting(_SYNCED_AT, synced.isoformat())
        self._synced_noted = synced.timestamp()

    def wake_sync(self) -> None:
        if self.runner is not None:
            self.runner.wake()

    # The open cases, from the local copies

    def calendar(self) -> WorkingCalendar:
        return self.services.calendar()

    def directory(self) -> Directory:
        cached = self.services.store.setting("board:officers") or {}
        names = {
            str(o.get("username")): str(o.get("display_name") or "")
            for o in (cached.get("data") or {}).get("officers", [])
            if isinstance(o, dict)
        }
        names.update(self.services.officer_names)
        return Directory(names, self._department)

    def _department(self, code: str) -> tuple[str, str]:
        if code not in self._departments:
            self._departments[code] = department_label(self.services.catalogue, code)
        return self._departments[code]

    def all_rows(self) -> list[BoardRow]:
        """Every open live case this counter holds (a supervisor's: the centre's)."""
        documents = self.services.store.list_queue(where=is_board_case)
        return self._rows(documents)

    def rows_of(self, case_ids: Iterable[str]) -> tuple[list[BoardRow], dict[str, int]]:
        """The rows of cases a sync just changed, and those that left the board (closed,
        gone), with the version that took them off."""
        documents, closed = [], {}
        for case_id in dict.fromkeys(case_ids):
            doc = self.services.store.get(case_id)
            if doc is not None and is_board_case(doc):
                documents.append(doc)
            else:
                closed[case_id] = int((doc or {}).get("version") or 0)
        return self._rows(documents), closed

    def _rows(self, documents: Sequence[dict[str, Any]]) -> list[BoardRow]:
        today = self.services.clock.today()
        calendar = self.calendar()
        directory = self.directory()
        warning = self.services.settings.warning_days
        return [board_row(doc, today, calendar, directory, warning) for doc in documents]

    # The server's figures, kept for offline

    def officers(self) -> Fetched:
        return self._fetch("board:officers", "/officers", None, "officers")

    def load(self, day: dt.date) -> Fetched:
        return self._fetch("board:load", "/board/load", {"day": day.isoformat()}, "officers")

    def trainees(self) -> Fetched:
        return self._fetch("board:trainees", "/board/trainees", None, "trainees")

    def report(self, day: dt.date) -> Fetched:
        return self._fetch("board:report", "/board/report", {"day": day.isoformat()}, "totals")

    def _fetch(self, setting: str, path: str, params: dict[str, Any] | None, key: str) -> Fetched:
        problem = self.server_problem()
        if not problem:
            try:
                data = self._get(path, params, key)
            except BoardRefused:
                raise
            except BoardUnavailable as exc:
                problem = str(exc)
            else:
                now = utc_now()
                kept = {"data": data, "fetched_at": now.isoformat(), "params": params}
                self.services.store.set_setting(setting, kept)
                return Fetched(data, now, live=True)
        kept = self.services.store.setting(setting)
        if not kept:
            raise BoardUnavailable(problem)
        # The last answer, whatever day it was for: its data says which, and its age shows.
        fetched_at = dt.datetime.fromisoformat(kept["fetched_at"])
        return Fetched(kept["data"], fetched_at, live=False, problem=problem)

    # Reassigning (needs the server)

    def plan(
        self,
        targets: Sequence[str],
        *,
        case_ids: Sequence[str] = (),
        from_officer: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"to": list(targets)}
        if from_officer is not None:
            body["from_officer"] = from_officer
        else:
            body["case_ids"] = list(case_ids)
        return self._post("/board/plan", body, "moves")

    def reassign(self, moves: Sequence[dict[str, str]], reason: str) -> dict[str, Any]:
        """Send the moves (``case_id``, ``from``, ``to``) with the reason; one result per
        move. A chunk whose answer was lost is sent again with the same key, so nothing
        moves twice. Wakes the sync, which brings the new assignees to the board."""
        results: list[dict[str, Any]] = []
        moved = 0
        for start in range(0, len(moves), MOVES_PER_REQUEST):
            chunk = list(moves[start : start + MOVES_PER_REQUEST])
            body = {
                "idempotency_key": f"board-{uuid.uuid4().hex}",
                "reason": reason,
                "moves": chunk,
                "device_time": self.services.clock.now().isoformat(),
            }
            try:
                answer = self._post("/board/reassign", body, "results")
            except BoardRefused:
                raise
            except BoardUnavailable:
                answer = self._post("/board/reassign", body, "results")  # same key: once
            results.extend(answer["results"])
            moved += int(answer.get("moved", 0))
        self.wake_sync()
        return {"moved": moved, "results": results}

    # The conversation with the server (through the sync engine's sign-in)

    def _get(self, path: str, params: dict[str, Any] | None, key: str) -> dict[str, Any]:
        return self._call("GET", path, key, params=params)

    def _post(self, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
        problem = self.server_problem()
        if problem:
            raise BoardUnavailable(problem)
        return self._call("POST", path, key, body=body)

    def _call(self, method: str, path: str, key: str, **request: Any) -> dict[str, Any]:
        runner = self.runner
        if runner is None:
            raise BoardUnavailable(self.server_problem())
        transport = runner.engine.transport
        try:
            answer = transport.call(method, path, **request)
        except LoginRequired as exc:
            raise BoardUnavailable(
                _("Sign in again: the server no longer accepts this sign-in.")
            ) from exc
        except TransientError as exc:
            raise BoardUnavailable(
                _("The server cannot be reached now: {error}").format(
                    error=i18n.bilingual(str(exc))
                )
            ) from exc
        except SyncError as exc:
            raise BoardUnavailable(i18n.bilingual(str(exc))) from exc
        if answer.status_code in (403, 404, 409, 422):
            reason = i18n.bilingual(transport.error_text(answer))
            if answer.status_code == 403:
                raise BoardRefused(_("The server refuses: {reason}").format(reason=reason))
            raise BoardRefused(reason)
        if answer.status_code != 200:
            raise BoardUnavailable(
                _("The server answered with an error ({status}).").format(status=answer.status_code)
            )
        try:
            data: dict[str, Any] = transport.expect_json(answer, key)
        except SyncError as exc:
            raise BoardUnavailable(i18n.bilingual(str(exc))) from exc
        return data


def department_label(catalogue: Catalogue, code: str) -> tuple[str, str]:
    """(department code, its name in the officer's language) for a case's target: the
    shared rule, a bundle of several departments under "several departments"."""
    if code == UNLISTED_CODE:  # refused at the counter; no department decides it
        return "", _("No department: not an item of this centre")
    target = catalogue.target(code) if code else None
    if target is None:
        return "", _("Item not in the catalogue")
    department = department_of([item.department for item in catalogue.items_of(target)])
    if department == SEVERAL_DEPARTMENTS:
        return department, _("Several departments")
    known = catalogue.departments.get(department)
    if known is None:
        return department, department
    english = i18n.current() == "en" and known.name_en
    return department, known.name_en if english else known.name
