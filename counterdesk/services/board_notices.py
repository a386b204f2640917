"""Telling officers, at their next sync, that a supervisor moved a case to them or away
from them, by whom and why (the server's ``GET /notices``).

The sync runner calls ``collect`` at the start of every sync; each notice becomes one of
the sync engine's notices (kept in the store, shown by the App as a notification). The
engine itself notices a reassignment when a case it holds changes hands, but it knows
neither who moved it nor why; once this module has said so, that shorter notice is
redundant (``covers``). The previous officer's unsynced changes are still delivered and
handed over by the engine (docs/sync.md).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from counterdesk import i18n
from counterdesk.i18n import _
from offline import Store
from offline.sync import Notice

log = logging.getLogger(__name__)

CURSOR = "board:notice_cursor"
FIRST_LOOK_BACK = dt.timedelta(days=1)
KINDS = ("reassign_in", "reassign_out")
# The engine's own notices about a case changing hands (offline/sync/handover.py).
ENGINE_KINDS = ("reassigned", "assigned")
Notify = Callable[[str, str, str, dict[str, Any]], None]


def notice_text(item: dict[str, Any]) -> str:
    """A reassignment notice in the officer's words."""
    case = item.get("number") or str(item.get("case_id", ""))[:8]
    reason = i18n.bilingual(str(item.get("reason") or ""))
    if item.get("kind") == "assigned_to_you":
        return _(
            "Case {case} was assigned to you by {by} (it was {previous}'s). Reason: {reason}"
        ).format(case=case, by=item.get("by", ""), previous=item.get("from", ""), reason=reason)
    return _("Case {case} was reassigned to {to} by {by}. Reason: {reason}").format(
        case=case, to=item.get("to", ""), by=item.get("by", ""), reason=reason
    )


class ReassignmentNotices:
    def __init__(self, store: Store, call: Callable[..., Any], notify: Notify) -> None:
        self.store = store
        self._call = call  # the engine's authenticated request (Transport.call)
        self._notify = notify
        self._told: set[str] = set()  # case ids told about in this session

    def collect(self) -> int:
        """Read the notices addressed to the signed-in officer since the last look."""
        cursor = self.store.setting(CURSOR)
        answer = self._call("GET", "/notices", params={"since": int(cursor or 0)})
        if answer.status_code != 200:  # an older server, or a role without notices
            log.info("reassignment notices unavailable: HTTP %s", answer.status_code)
            return 0
        try:
            page = answer.json()
        except ValueError:
            page = None
        notices = page.get("notices") if isinstance(page, dict) else None
        following = page.get("next") if isinstance(page, dict) else None
        if not isinstance(notices, list) or not isinstance(following, int):
            log.info("reassignment notices: an answer not in the API's shape")
            return 0
        told = 0
        # A counter's first look goes back a day from the newest notice (the server's own
        # clock, whatever this PC's says): a new counter is not flooded with old moves.
        recent = _newest(notices) - FIRST_LOOK_BACK if cursor is None and notices else None
        for item in notices:
            if not isinstance(item, dict) or item.get("kind") not in (
                "assigned_to_you",
                "reassigned_away",
            ):
                continue
            if recent is not None and _older_than(item, recent):
                continue
            kind = "reassign_in" if item["kind"] == "assigned_to_you" else "reassign_out"
            case_id = str(item.get("case_id", ""))
            self._notify(kind, case_id, notice_text(item), dict(item))
            self._told.add(case_id)
            told += 1
        if following != cursor:
            self.store.set_setting(CURSOR, following)
        return told

    def covers(self, notice: Notice) -> bool:
        """Whether an engine notice only repeats, with less, what this one said."""
        return notice.kind in ENGINE_KINDS and notice.case_id in self._told


def _time_of(item: Any) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(str(item.get("server_time")))
    except (ValueError, AttributeError):
        return None
    return at if at.tzinfo is not None else None


def _newest(notices: list[Any]) -> dt.datetime:
    times = [t for t in map(_time_of, notices) if t is not None]
    return max(times) if times else dt.datetime.max.replace(tzinfo=dt.UTC)


def _older_than(item: dict[str, Any], limit: dt.datetime) -> bool:
    at = _time_of(item)
    return at is not None and at < limit
