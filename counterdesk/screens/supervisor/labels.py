"""Words for the board's codes on screen, in the supervisor's language."""

from __future__ import annotations

from counterdesk.i18n import _
from counterdesk.services.board_rows import Grouping, SortKey


def risk_label(risk: str) -> str:
    return {
        "notice_past": _("five-day notice past"),
        "overdue": _("overdue"),
        "due_soon": _("due within a working day"),
        "none": "",
    }[risk]


def risk_flag(risk: str) -> str:
    """Two cells in the table: the most serious risks stand out first."""
    return {"notice_past": "‼", "overdue": "! ", "due_soon": "◷ ", "none": ""}[risk]


def grouping_label(grouping: Grouping) -> str:
    return {
        Grouping.NONE: _("All cases"),
        Grouping.OFFICER: _("By officer"),
        Grouping.DEPARTMENT: _("By department"),
    }[grouping]


def sort_label(sort: SortKey) -> str:
    return {
        SortKey.URGENCY: _("due date"),
        SortKey.AGE: _("age"),
        SortKey.OFFICER: _("officer"),
        SortKey.ITEM: _("item"),
        SortKey.STATE: _("state"),
    }[sort]


def age_label(days: int) -> str:
    return _("{n}d").format(n=days) if days else _("new")
