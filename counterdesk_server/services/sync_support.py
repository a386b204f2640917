"""What counters' sync needs from the server beyond the case resources.

- **A case as it was at a version.** A counter whose unsynced edits meet a newer version
  (a 409) merges three ways; the base is the version its edits were made on. The audit
  trail keeps every version's whole document (``after``), so it is read from there.
- **Lookup by either number.** A case made offline when no leased number was left carries
  a provisional number, and later also an official one; a receipt with either finds it.
- **Handover notices.** When a supervisor reassigns a case an officer changed offline,
  the officer's counter still delivers those changes and then records a handover here; the
  new assignee reads the notices addressed to them. They are audit lines
  (``case.handover``), so the trail shows them too and nothing new is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from counterdesk_server.db.models import AuditEvent, CaseRecord
from counterdesk_server.services import audit, case_views
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import Conflict, NotFound
from counterdesk_server.services.roles import Principal

HANDOVER = "case.handover"


def case_at_version(
    session: Session, actor: Principal, case_id: str, version: int, now: dt.datetime
) -> dict[str, Any]:
    """The live case's document at ``version`` (its opening is audited like a view)."""
    current = case_views.load_case(session, actor.centre_id, case_id, training=False)
    if version > current.version:
        raise NotFound(
            f"办件 {case_id} 没有版本 {version} / case {case_id} has no version {version}"
        )
    if version == current.version:
        found: dict[str, Any] | None = current.to_json()
    else:
        found = None
        rows = session.scalars(
            select(AuditEvent.after)
            .where(
                AuditEvent.centre_id == actor.centre_id,
                AuditEvent.case_id == case_id,
                AuditEvent.training.is_(False),
                AuditEvent.after.is_not(None),
            )
            .order_by(AuditEvent.id)
        )
        for text in rows:
            document = json.loads(text or "{}")
            if document.get("version") == version:
                found = document
                break
    if found is None:
        raise NotFound(f"办件 {case_id} 的版本 {version} 无记录 / no record of version {version}")
    audit.record(
        session,
        actor,
        AuditEntry("case.view", now, case_id=case_id, detail={"version": version}),
    )
    return found


def case_by_number(session: Session, actor: Principal, number: str, now: dt.datetime) -> str:
    """The live case whose official or provisional number is ``number`` (stored JSON)."""
    # Numbers are letters, digits and dashes (checked by the route): no LIKE wildcards.
    provisional = f'%"provisional":"{number}"%'
    rows = session.execute(
        select(CaseRecord.case_id, CaseRecord.document).where(
            CaseRecord.centre_id == actor.centre_id,
            CaseRecord.training.is_(False),
            or_(
                CaseRecord.official_number == number,
                CaseRecord.document.like(provisional),
            ),
        )
    ).all()
    for case_id, document in rows:
        numbers = json.loads(document).get("numbers") or {}
        if number in (numbers.get("official"), numbers.get("provisional")):
            audit.record(
                session,
                actor,
                AuditEntry("case.view", now, case_id=case_id, detail={"number": number}),
            )
            return str(document)
    raise NotFound(f"没有编号为 {number} 的办件 / no case numbered {number}")


@dataclass(frozen=True)
class Handover:
    id: int
    case_id: str
    from_: str
    to: str
    operations: int
    device_time: dt.datetime | None
    server_time: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "from": self.from_,
            "to": self.to,
            "operations": self.operations,
            "device_time": self.device_time.isoformat() if self.device_time else None,
            "server_time": self.server_time.isoformat(),
        }


def _handover(row: AuditEvent) -> Handover:
    detail = json.loads(row.detail or "{}")
    return Handover(
        row.id,
        row.case_id or "",
        str(detail.get("from", row.actor)),
        str(detail.get("to", "")),
        int(detail.get("operations", 0)),
        row.device_time,
        row.server_time,
    )


def record_handover(
    session: Session,
    actor: Principal,
    case_id: str,
    operations: int,
    key: str,
    device_time: dt.datetime | None,
    now: dt.datetime,
) -> tuple[Handover, bool]:
    """Record that ``actor`` delivered unsynced work on a case now assigned to someone
    else; returns the notice and whether it is new (the same key again is the same one)."""
    case = case_views.load_case(session, actor.centre_id, case_id, training=False)
    for row in session.scalars(
        select(AuditEvent).where(
            AuditEvent.centre_id == actor.centre_id,
            AuditEvent.case_id == case_id,
            AuditEvent.action == HANDOVER,
        )
    ):
        if json.loads(row.detail or "{}").get("key") == key:
            return _handover(row), False
    if case.assignee == actor.username:
        raise Conflict(
            f"办件 {case_id} 仍由你承办 / case {case_id} is assigned to you: nothing to hand over"
        )
    audit.record(
        session,
        actor,
        AuditEntry(
            HANDOVER,
            now,
            case_id=case_id,
            device_time=device_time,
            detail={
                "from": actor.username,
                "to": case.assignee,
                "operations": operations,
                "key": key,
            },
        ),
    )
    row = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.centre_id == actor.centre_id,
            AuditEvent.case_id == case_id,
            AuditEvent.action == HANDOVER,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    return _handover(row), True


def handovers_for(
    session: Session, actor: Principal, since: int, limit: int
) -> tuple[list[Handover], int]:
    """Handover notices addressed to ``actor`` after ``since``, and the next cursor."""
    rows = list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.centre_id == actor.centre_id,
                AuditEvent.action == HANDOVER,
                AuditEvent.id > since,
            )
            .order_by(AuditEvent.id)
            .limit(limit)
        )
    )
    mine = [h for h in map(_handover, rows) if h.to == actor.username]
    return mine, rows[-1].id if rows else since
