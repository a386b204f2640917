"""The officer's queue: their open cases with the clock that runs on each, most urgent
first, and the views and the filter of the queue screen.

Rows are plain data: the screen renders them, and nothing here decides a time limit; the
domain's ``read_clock`` does (five-day notice for received cases, the promised limit for
accepted ones, stopped while awaiting a supplement), in working days. Rows are read from
the stored documents as they are (validated when saved): building a ``Case`` model for
each would bring pydantic into the counter's start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from counterdesk.domain.calendar import WorkingCalendar
from counterdesk.domain.cases.states import OPEN_STATES, CaseState
from counterdesk.domain.cases.timelimit import ClockReading, LimitStatus, read_document_clock
from counterdesk.domain.cases.unlisted import is_unlisted
from counterdesk.services.drafts import IntakeDraft

if TYPE_CHECKING:  # the store is opened (and imported) in a worker at start
    from offline import Store


class QueueView(StrEnum):
    ALL = "all"
    RECEIVED = "received"  # awaiting a decision (five-day notice deadline)
    SUPPLEMENT = "supplement"  # awaiting supplement
    ACCEPTED = "accepted"  # accepted, with deferral, under review
    ISSUANCE = "issuance"  # ready for issuance
    DUE_SOON = "due_soon"  # warning
    OVERDUE = "overdue"


VIEW_ORDER = tuple(QueueView)
_VIEW_STATES = {
    QueueView.RECEIVED: {CaseState.RECEIVED},
    QueueView.SUPPLEMENT: {CaseState.AWAITING_SUPPLEMENT},
    QueueView.ACCEPTED: {CaseState.ACCEPTED, CaseState.ACCEPTED_DEFERRAL, CaseState.UNDER_REVIEW},
    QueueView.ISSUANCE: {CaseState.READY_FOR_ISSUANCE, CaseState.APPROVED, CaseState.REJECTED},
}
_URGENCY = {
    LimitStatus.OVERDUE: 0,
    LimitStatus.WARNING: 1,
    LimitStatus.NORMAL: 2,
    LimitStatus.STOPPED: 3,
    LimitStatus.NONE: 4,
}


@dataclass(frozen=True)
class QueueRow:
    key: str  # case id, or draft id for an unfinished intake
    number: str
    provisional: bool
    target: str
    applicant: str
    state: str  # a CaseState value, or "draft"
    deadline: str  # a Deadline value or ""
    due: dt.date | None
    remaining: int | None
    status: str  # a LimitStatus value
    received_at: str
    search_text: str
    unlisted: bool = False  # a matter no item of this centre covers (target: what was asked)

    @property
    def is_draft(self) -> bool:
        return self.state == "draft"


def case_row(doc: dict[str, Any], reading: ClockReading) -> QueueRow:
    """The row of a stored case document (``Case.to_json()``)."""
    numbers = doc.get("numbers") or {}
    number = numbers.get("official") or numbers.get("provisional") or ""  # as Case.number
    target = doc["target"]
    applicant = doc["applicant"]["name"]
    words = (number, target["code"], target["name"], target.get("name_en", ""), applicant)
    return QueueRow(
        key=doc["id"],
        number=number,
        provisional=bool(numbers.get("provisional") and not numbers.get("official")),
        target=target["name"],
        applicant=applicant,
        state=doc["state"],
        deadline=reading.deadline.value if reading.deadline else "",
        due=reading.due,
        remaining=reading.remaining,
        status=reading.status.value,
        received_at=doc["received_at"],
        search_text=" ".join(words).lower(),
        unlisted=is_unlisted(target),
    )


def draft_row(draft: IntakeDraft, target_name: str) -> QueueRow:
    return QueueRow(
        key=draft.id,
        number="",
        provisional=False,
        target=target_name,
        applicant=draft.name,
        state="draft",
        deadline="",
        due=None,
        remaining=None,
        status=LimitStatus.NONE.value,
        received_at=draft.started_at,
        search_text=f"{draft.target} {target_name} {draft.name}".lower(),
    )


def officer_rows(
    store: Store,
    officer: str,
    today: dt.date,
    calendar: WorkingCalendar,
    warning_days: int = 1,
) -> list[QueueRow]:
    """Rows of the open cases assigned to the officer (or received by them and not yet
    assigned), most urgent first. Read in place: a row copies the few values it shows,
    so the store need not copy every document first."""

    def row_of(document: dict[str, Any]) -> QueueRow | None:
        if document.get("state") not in _OPEN_VALUES:
            return None
        return case_row(document, read_document_clock(document, today, calendar, warning_days))

    def unassigned_of(document: dict[str, Any]) -> QueueRow | None:
        return row_of(document) if document.get("received_by") == officer else None

    found = store.read_queue(row_of, assignee=officer)
    found += store.read_queue(unassigned_of, assignee="")
    rows = [row for row in found if row is not None]
    rows.sort(key=_urgency)
    return rows


_OPEN_VALUES = {state.value for state in OPEN_STATES}


def _urgency(row: QueueRow) -> tuple[int, dt.date, str]:
    return (_URGENCY[LimitStatus(row.status)], row.due or dt.date.max, row.received_at)


def matches(row: QueueRow, view: QueueView, text: str) -> bool:
    if view is QueueView.DUE_SOON and row.status != LimitStatus.WARNING.value:
        return False
    if view is QueueView.OVERDUE and row.status != LimitStatus.OVERDUE.value:
        return False
    states = _VIEW_STATES.get(view)
    if states is not None and (row.is_draft or CaseState(row.state) not in states):
        return False
    needle = text.strip().lower()
    return not needle or all(word in row.search_text for word in needle.split())


def filter_rows(rows: Iterable[QueueRow], view: QueueView, text: str) -> list[QueueRow]:
    return [row for row in rows if matches(row, view, text)]


def counts_by_view(rows: list[QueueRow]) -> dict[QueueView, int]:
    """How many rows each view shows without a filter (one pass: the queue shows these
    on every redraw)."""
    counts = dict.fromkeys(VIEW_ORDER, 0)
    counts[QueueView.ALL] = len(rows)
    for row in rows:
        view = _VIEW_OF_STATE.get(row.state)
        if view is not None:
            counts[view] += 1
        if row.status == LimitStatus.WARNING.value:
            counts[QueueView.DUE_SOON] += 1
        elif row.status == LimitStatus.OVERDUE.value:
            counts[QueueView.OVERDUE] += 1
    return counts


_VIEW_OF_STATE = {state.value: view for view, states in _VIEW_STATES.items() for state in states}
