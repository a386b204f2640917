"""The board's rows: every open case of the centre, read from the supervisor's local copies
(the sync keeps all of them, services/sync_runner.py), with the clock that runs on each.

Plain data and pure functions: the screen renders lines, nothing here decides a time
limit (the domain's clock does) or a risk (``domain.supervision``). Applicants are shown
masked with the domain's identity functions. Cases at risk (past the five-day notice
deadline, overdue, due within one working day) always come first, whatever the sort; the
sort orders them and the rest; grouping by officer or department keeps that within each
group and puts the groups with most at risk first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases.states import OPEN_STATES
from counterdesk.domain.cases.timelimit import read_document_clock
from counterdesk.domain.identity import mask_id_number, mask_phone, normalise_id_number
from counterdesk.domain.supervision import RISK_ORDER, Risk, risk_of

_OPEN = {state.value for state in OPEN_STATES}
_RISK_RANK = {risk.value: index for index, risk in enumerate(RISK_ORDER)}


class Grouping(StrEnum):
    NONE = "none"
    OFFICER = "officer"
    DEPARTMENT = "department"


class SortKey(StrEnum):
    URGENCY = "urgency"  # due date
    AGE = "age"  # oldest first
    OFFICER = "officer"
    ITEM = "item"
    STATE = "state"


GROUPINGS = tuple(Grouping)
SORT_KEYS = tuple(SortKey)


@dataclass(frozen=True)
class BoardRow:
    key: str  # case id
    version: int
    number: str
    provisional: bool
    officer: str  # username of the assignee
    officer_name: str
    target_code: str
    target_name: str
    department: str  # code; "*" several; "" unknown
    department_name: str
    applicant: str  # name (organisations and people alike)
    applicant_id: str  # masked as on shared screens
    phone: str  # masked
    state: str
    deadline: str
    due: dt.date | None
    remaining: int | None
    status: str  # LimitStatus value
    risk: str  # Risk value
    received_at: str
    age_days: int  # working days since the materials arrived
    search_text: str

    @property
    def at_risk(self) -> bool:
        return self.risk != Risk.NONE.value


@dataclass(frozen=True)
class Directory:
    """Names the board shows beside codes: officers (from the server's list) and the
    departments of the catalogue's items and bundles."""

    officer_names: Mapping[str, str]
    department_of: Callable[[str], tuple[str, str]]  # target code -> (code, name)


def is_board_case(doc: Mapping[str, Any]) -> bool:
    return doc.get("state") in _OPEN and not doc.get("training")


def board_row(
    doc: Mapping[str, Any],
    today: dt.date,
    calendar: WorkingCalendar,
    directory: Directory,
    warning_days: int = 1,
) -> BoardRow:
    """The row of a stored case document (``Case.to_json()``)."""
    reading = read_document_clock(doc, today, calendar, warning_days)
    numbers = doc.get("numbers") or {}
    number = numbers.get("official") or numbers.get("provisional") or ""
    target = doc.get("target") or {}
    applicant = doc.get("applicant") or {}
    officer = str(doc.get("assignee") or doc.get("received_by") or "")
    officer_name = directory.officer_names.get(officer, "")
    department, department_name = directory.department_of(str(target.get("code") or ""))
    received_on = dt.datetime.fromisoformat(doc["received_at"]).date()
    words = (
        number,
        officer,
        officer_name,
        target.get("code", ""),
        target.get("name", ""),
        target.get("name_en", ""),
        department_name,
        applicant.get("name", ""),
    )
    return BoardRow(
        key=str(doc["id"]),
        version=int(doc.get("version") or 0),
        number=number,
        provisional=bool(numbers.get("provisional") and not numbers.get("official")),
        officer=officer,
        officer_name=officer_name,
        target_code=str(target.get("code") or ""),
        target_name=str(target.get("name") or ""),
        department=department,
        department_name=department_name,
        applicant=str(applicant.get("name") or ""),
        applicant_id=_masked_id(applicant),
        phone=mask_phone(applicant["phone"]) if applicant.get("phone") else "",
        state=str(doc.get("state") or ""),
        deadline=reading.deadline.value if reading.deadline else "",
        due=reading.due,
        remaining=reading.remaining,
        status=reading.status.value,
        risk=risk_of(reading).value,
        received_at=str(doc["received_at"]),
        age_days=calendar.working_days_between(received_on, today),
        search_text=" ".join(str(w) for w in words if w).lower(),
    )


def _masked_id(applicant: Mapping[str, Any]) -> str:
    value = str(applicant.get("id_number") or "")
    if not value:
        return ""
    if applicant.get("id_kind") == "uscc":
        return normalise_id_number(value)  # public registration data: shown whole
    return mask_id_number(value)


def build_rows(
    documents: Iterable[Mapping[str, Any]],
    today: dt.date,
    calendar: WorkingCalendar,
    directory: Directory,
    warning_days: int = 1,
) -> list[BoardRow]:
    return [
        board_row(doc, today, calendar, directory, warning_days)
        for doc in documents
        if is_board_case(doc)
    ]


@dataclass(frozen=True)
class GroupLine:
    """A group's heading in a grouped view."""

    key: str
    label: str
    count: int
    at_risk: int


Line = BoardRow | GroupLine


def matches(row: BoardRow, text: str) -> bool:
    needle = text.strip().lower()
    return not needle or all(word in row.search_text for word in needle.split())


def _sort_key(sort: SortKey) -> Callable[[BoardRow], tuple[Any, ...]]:
    def risk_first(row: BoardRow) -> int:
        return _RISK_RANK[row.risk] if row.at_risk else len(_RISK_RANK)

    due = _due_key
    if sort is SortKey.AGE:
        return lambda r: (risk_first(r), -r.age_days, r.received_at, r.key)
    if sort is SortKey.OFFICER:
        return lambda r: (risk_first(r), r.officer, due(r), r.key)
    if sort is SortKey.ITEM:
        return lambda r: (risk_first(r), r.target_code, due(r), r.key)
    if sort is SortKey.STATE:
        return lambda r: (risk_first(r), r.state, due(r), r.key)
    return lambda r: (risk_first(r), due(r), r.received_at, r.key)


def _due_key(row: BoardRow) -> tuple[int, dt.date]:
    # Stopped and closed clocks after running ones: the same order as the shared urgency.
    running = row.status in ("overdue", "warning", "normal")
    return (0 if running else 1, row.due or dt.date.max)


def board_lines(
    rows: Iterable[BoardRow], grouping: Grouping, sort: SortKey, text: str = ""
) -> list[Line]:
    """What the board shows, top to bottom: rows matching ``text``, at risk first, sorted;
    in a grouped view each group under its heading."""
    shown = sorted((row for row in rows if matches(row, text)), key=_sort_key(sort))
    if grouping is Grouping.NONE:
        return list(shown)
    groups: dict[str, list[BoardRow]] = {}
    labels: dict[str, str] = {}
    for row in shown:
        if grouping is Grouping.OFFICER:
            key, label = row.officer, _named(row.officer_name, row.officer)
        else:
            key, label = row.department, row.department_name or row.department
        groups.setdefault(key, []).append(row)
        labels[key] = label
    ordered = sorted(groups, key=lambda k: (-sum(r.at_risk for r in groups[k]), labels[k], k))
    lines: list[Line] = []
    for key in ordered:
        members = groups[key]
        lines.append(GroupLine(key, labels[key], len(members), sum(r.at_risk for r in members)))
        lines.extend(members)
    return lines


def _named(name: str, username: str) -> str:
    return f"{name} ({username})" if name and name != username else username


def risk_counts(rows: Iterable[BoardRow]) -> dict[str, int]:
    counts = {risk.value: 0 for risk in Risk}
    for row in rows:
        counts[row.risk] += 1
    return counts


class BoardRows:
    """The rows on the board, kept current as syncs bring changes: a newer version always
    replaces an older one, so a slow worker's reading never hides a change that arrived
    meanwhile, and a case that closed stays off the board."""

    def __init__(self) -> None:
        self.rows: dict[str, BoardRow] = {}
        self.changes = 0  # how many batches of changes were taken: a reading's start mark
        self._closed: dict[str, int] = {}  # case id -> the version that closed it
        self._touched: dict[str, int] = {}  # case id -> the batch that last changed it

    def apply(self, changed: Iterable[BoardRow], closed: Mapping[str, int]) -> bool:
        """Take rows and closed cases (id -> version); True if anything changed."""
        self.changes += 1
        moved = False
        for case_id, version in closed.items():
            self._closed[case_id] = max(version, self._closed.get(case_id, 0))
            self._touched[case_id] = self.changes
            row = self.rows.get(case_id)
            if row is not None and row.version <= version:
                del self.rows[case_id]
                moved = True
        for row in changed:
            if row.version <= self._closed.get(row.key, -1):
                continue
            old = self.rows.get(row.key)
            if old is None or old.version <= row.version:
                moved = moved or old != row
                self.rows[row.key] = row
                self._touched[row.key] = self.changes
        return moved

    def replace_all(self, rows: Iterable[BoardRow], started: int) -> None:
        """A whole reading of the open cases, begun when ``changes`` was ``started``: rows
        it does not hold leave the board, unless a change taken since brought them."""
        fresh = {row.key: row for row in rows}
        for case_id in list(self.rows):
            if case_id not in fresh and self._touched.get(case_id, 0) <= started:
                del self.rows[case_id]
        self.apply(fresh.values(), {})


__all__ = [
    "GROUPINGS",
    "SORT_KEYS",
    "BoardRow",
    "Directory",
    "GroupLine",
    "Grouping",
    "Line",
    "SortKey",
    "board_lines",
    "board_row",
    "BoardRows",
    "build_rows",
    "is_board_case",
    "matches",
    "risk_counts",
]
