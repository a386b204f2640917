"""Finding any case from what the applicant brings back: the receipt's number (official or
provisional), their ID card, their name or phone, or the item.

A ``CaseFinder`` reads this counter's cases once (working set and archive) and, when a
server is reachable, the centre's open cases (``GET /cases?open=true``, a few pages: an
applicant may come back to any counter) and a number looked up exactly
(``GET /cases/by-number/{n}``, closed cases too). Then every keystroke only filters what is
in memory. Server copies stay in memory: a case found there is kept on this counter only
once an action is saved on it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from counterdesk.domain.cases.unlisted import is_unlisted
from counterdesk.domain.identity import mask_id_number
from offline import Store

if TYPE_CHECKING:
    from counterdesk.services.sync_runner import SyncRunner

log = logging.getLogger(__name__)
SERVER_PAGE = 500
SERVER_PAGES = 4  # at most 2,000 open cases of the centre are searched on the server
Where = Literal["here", "server"]
_SEPARATORS = re.compile(r"[\s\-_/]+")
# A case number as printed: JX2026-000123, P-1A2B-000004 (letters, digits and dashes).
_NUMBER = re.compile(r"^[A-Za-z]{1,8}[A-Za-z0-9]*-[A-Za-z0-9-]+$")


def compact(text: str) -> str:
    """Lower case without spaces and dashes: how numbers are compared however typed."""
    return _SEPARATORS.sub("", text).lower()


def looks_like_number(query: str) -> bool:
    return bool(_NUMBER.match(query.strip()))


@dataclass(frozen=True)
class FoundCase:
    case_id: str
    number: str
    provisional: bool
    applicant: str
    id_masked: str
    target: str
    state: str
    received_at: str
    where: Where
    score: int
    document: dict[str, Any] | None = None  # the server's copy, for opening it
    unlisted: bool = False  # a matter no item of this centre covers (target: what was asked)


@dataclass(frozen=True)
class _Word:
    """One word of the query, in the forms the fields are compared in (made once per
    query, not once per case)."""

    key: str  # compact: lower case, no spaces or dashes
    lowered: str
    digits: str  # the word when it is all digits, else ""

    @classmethod
    def of(cls, word: str) -> _Word:
        return cls(compact(word), word.lower(), word if word.isdigit() else "")


@dataclass(frozen=True)
class _Entry:
    doc: dict[str, Any]
    where: Where
    numbers: tuple[str, ...]  # compact
    ids: tuple[str, ...]  # compact ID numbers (applicant, agent)
    phones: tuple[str, ...]  # digits only
    names: tuple[str, ...]  # lower case
    items: tuple[str, ...]  # code, name, English name (lower case)
    blob: str  # every field above, to pass over a case that matches nothing at once

    @classmethod
    def of(cls, doc: dict[str, Any], where: Where) -> _Entry:
        numbers = doc.get("numbers") or {}
        applicant = doc.get("applicant") or {}
        agent = doc.get("agent") or {}
        target = doc.get("target") or {}
        fields = (
            tuple(compact(n) for n in (numbers.get("official"), numbers.get("provisional")) if n),
            tuple(compact(n) for n in (applicant.get("id_number"), agent.get("id_number")) if n),
            tuple(re.sub(r"\D", "", p) for p in (applicant.get("phone"), agent.get("phone")) if p),
            tuple(
                n.lower()
                for n in (applicant.get("name"), applicant.get("contact_name"), agent.get("name"))
                if n
            ),
            tuple(
                t.lower()
                for t in (target.get("code"), target.get("name"), target.get("name_en"))
                if t
            ),
        )
        blob = "\x00".join(value for group in fields for value in group)
        return cls(doc, where, *fields, blob=blob)

    def score(self, words: list[_Word]) -> int:
        """How well every word matches (0: some word matches nothing)."""
        total = 0
        for word in words:
            if word.key not in self.blob and word.lowered not in self.blob:
                return 0
            best = _word_score(self, word)
            if not best:
                return 0
            total += best
        return total


def _word_score(entry: _Entry, word: _Word) -> int:
    key, lowered, digits = word.key, word.lowered, word.digits
    if not key:
        return 0
    if key in entry.numbers:
        return 100
    if key in entry.ids:
        return 95
    if len(digits) >= 4:
        if digits in entry.phones:
            return 90
        if any(digits in p for p in entry.phones) or any(digits in i for i in entry.ids):
            return 50
    if len(key) >= 3 and any(key in n for n in entry.numbers):
        return 60
    if any(n.startswith(lowered) for n in entry.names):
        return 80
    if any(lowered in n for n in entry.names):
        return 70
    if len(key) >= 4 and any(key in i for i in entry.ids):
        return 40
    if any(lowered in item for item in entry.items):
        return 30
    return 0


class CaseFinder:
    """One search session (the find screen's): loaded once, then filtered per keystroke."""

    def __init__(self, store: Store, runner: SyncRunner | None = None) -> None:
        self._store = store
        self._runner = runner
        self._local: list[_Entry] = []
        self._server: dict[str, _Entry] = {}
        self.server_problem = ""  # why the server was not searched (offline...)

    def load_local(self) -> int:
        """This counter's cases: the working set, then every archived month. Blocking."""
        docs: list[dict[str, Any]] = list(self._store.list_queue())
        seen = {doc["id"] for doc in docs}
        for period in self._store.archived_periods():
            docs.extend(d for d in self._store.list_archived(period) if d["id"] not in seen)
        self._local = [_Entry.of(doc, "here") for doc in docs]
        return len(self._local)

    def load_server(self) -> int:
        """The centre's open cases on the server, when one is reachable. Blocking."""
        if self._runner is None:
            return 0
        from offline.sync import SyncError

        here = {entry.doc["id"] for entry in self._local}
        after = 0
        try:
            for _page in range(SERVER_PAGES):
                answer = self._runner.engine.transport.call(
                    "GET", "/cases", params={"open": "true", "limit": SERVER_PAGE, "after": after}
                )
                if answer.status_code != 200:
                    self.server_problem = self._runner.engine.transport.error_text(answer)
                    break
                page = self._runner.engine.transport.expect_json(answer, "cases", "next")
                self._take(view.get("case") for view in page["cases"] if isinstance(view, dict))
                if not isinstance(page["next"], int):
                    break
                after = page["next"]
        except SyncError as exc:
            self.server_problem = str(exc)
            log.info("the server's cases were not searched: %s", exc)
        for case_id in here:
            self._server.pop(case_id, None)
        return len(self._server)

    def look_up_number(self, number: str) -> FoundCase | None:
        """A number typed whole, asked of the server too (a closed case, another
        centre's counter): ``GET /cases/by-number``. Blocking."""
        if self._runner is None:
            return None
        doc = self._runner.find_case(number.strip())
        if doc is None:
            return None
        here = any(entry.doc["id"] == doc["id"] for entry in self._local)
        if not here:
            self._take([doc])
        return _found(_Entry.of(doc, "here" if here else "server"), 100)

    def _take(self, docs: Iterable[Any]) -> None:
        for doc in docs:
            if isinstance(doc, dict) and isinstance(doc.get("id"), str):
                self._server[doc["id"]] = _Entry.of(doc, "server")

    def search(self, query: str, limit: int = 50) -> list[FoundCase]:
        """The best matches first: this counter's, then the server's at equal score."""
        words = [_Word.of(word) for word in query.split()]
        if not words:
            return []
        found = []
        for entry in (*self._local, *self._server.values()):
            score = entry.score(words)
            if score:
                found.append(_found(entry, score))
        found.sort(key=lambda f: f.received_at, reverse=True)  # newest first at equal score
        found.sort(key=lambda f: (-f.score, f.where != "here"))
        return found[:limit]


def _found(entry: _Entry, score: int) -> FoundCase:
    doc = entry.doc
    numbers = doc.get("numbers") or {}
    applicant = doc.get("applicant") or {}
    id_number = str(applicant.get("id_number") or "")
    masked = mask_id_number(id_number) if applicant.get("id_kind") == "resident_id" else id_number
    return FoundCase(
        case_id=doc["id"],
        number=numbers.get("official") or numbers.get("provisional") or "",
        provisional=bool(numbers.get("provisional") and not numbers.get("official")),
        applicant=str(applicant.get("name") or ""),
        id_masked=masked,
        target=str((doc.get("target") or {}).get("name") or ""),
        unlisted=is_unlisted(doc.get("target")),
        state=str(doc.get("state") or ""),
        received_at=str(doc.get("received_at") or ""),
        where=entry.where,
        score=score,
        document=doc if entry.where == "server" else None,
    )


def fetch_server_case(runner: SyncRunner, case_id: str) -> dict[str, Any] | None:
    """The server's current copy of a case this counter does not keep (``GET
    /cases/{id}``: the server records the opening in its audit trail). None when the
    server cannot be reached or does not have it. Blocking."""
    from offline.sync import SyncError

    try:
        answer = runner.engine.transport.call("GET", f"/cases/{case_id}")
    except SyncError as exc:
        log.info("case %s not read from the server: %s", case_id, exc)
        return None
    if answer.status_code != 200:
        return None
    found = runner.engine.transport.expect_json(answer, "case")["case"]
    return found if isinstance(found, dict) else None
