"""Words for the domain's codes on screen, in the officer's language. States and job
states carry their own Chinese and English labels in the domain; the rest is here."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from counterdesk import i18n
from counterdesk.domain.cases import CaseState
from counterdesk.i18n import _
from counterdesk.services.queue import QueueView


class ClockShown(Protocol):
    """A row with a case's clock (the queue's and the board's)."""

    @property
    def status(self) -> str: ...  # a LimitStatus value
    @property
    def deadline(self) -> str: ...  # a Deadline value or ""
    @property
    def due(self) -> dt.date | None: ...
    @property
    def remaining(self) -> int | None: ...


def state_label(state: str) -> str:
    if state == "draft":
        return _("Draft")
    value = CaseState(state)
    return value.label_zh if i18n.current() == "zh" else value.label_en


def view_label(view: QueueView) -> str:
    return {
        QueueView.ALL: _("All"),
        QueueView.RECEIVED: _("To decide"),
        QueueView.SUPPLEMENT: _("Supplement"),
        QueueView.ACCEPTED: _("Accepted"),
        QueueView.ISSUANCE: _("Issuance"),
        QueueView.DUE_SOON: _("Due soon"),
        QueueView.OVERDUE: _("Overdue"),
    }[view]


def deadline_label(deadline: str) -> str:
    return {
        "notice": _("notice"),
        "promised": _("promised"),
        "supplement": _("supplement"),
        "deferral": _("deferral"),
    }.get(deadline, "")


def due_label(row: ClockShown) -> str:
    if row.due is None:
        return ""
    return f"{row.due.strftime('%m-%d')} {deadline_label(row.deadline)}"


def remaining_label(row: ClockShown) -> str:
    if row.status == "stopped":
        return _("stopped")
    if row.remaining is None:
        return ""
    if row.remaining < 0:
        return _("{n}d over").format(n=-row.remaining)
    if row.remaining == 0:
        return _("due today")
    return _("{n}d left").format(n=row.remaining)


def target_label(name: str, unlisted: bool) -> str:
    """An item's name as lists show it; a matter no item of this centre covers says so."""
    return _("Not this centre's item: {name}").format(name=name) if unlisted else name


def outcome_label(outcome: str) -> str:
    return {
        "accept": _("Accepted"),
        "accept_deferral": _("Accepted with deferral"),
        "notice": _("One-time notice issued"),
        "refuse": _("Refused"),
        "receive": _("Received, decision within five days"),
    }[outcome]


def paper_label(doc: str) -> str:
    from counterdesk.forms.paper import DocKind

    kind = DocKind(doc)
    return kind.title_zh if i18n.current() == "zh" else kind.title_en
