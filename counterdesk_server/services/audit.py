"""The audit trail: who did what to which case, when on their device and when here.

Append-only: this module only inserts and reads, and the database refuses updates and
deletes on the table (triggers in the first migration). Case changes carry the whole
document before and after, so any past state can be shown as it was.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from counterdesk_server.db.models import AuditEvent
from counterdesk_server.services.roles import Principal

_INSERT = cast(
    Table, AuditEvent.__table__
).insert()  # Core: many lines per batch, no ORM bookkeeping


@dataclass(frozen=True)
class AuditEntry:
    """One line to write; built by a use case, written with its change."""

    action: str
    server_time: dt.datetime
    case_id: str | None = None
    training: bool = False
    state_to: str | None = None
    device_time: dt.datetime | None = None
    before: str | None = None  # JSON text
    after: str | None = None  # JSON text
    detail: dict[str, Any] | None = None

    def row(self, actor: Principal) -> dict[str, Any]:
        return {
            "centre_id": actor.centre_id,
            "actor": actor.username,
            "actor_role": actor.role.value,
            "action": self.action,
            "case_id": self.case_id,
            "training": self.training,
            "state_to": self.state_to,
            "device_time": self.device_time,
            "server_time": self.server_time,
            "before": self.before,
            "after": self.after,
            "detail": None if self.detail is None else json.dumps(self.detail, ensure_ascii=False),
        }


def record(session: Session, actor: Principal, *entries: AuditEntry) -> None:
    if entries:
        session.execute(_INSERT, [entry.row(actor) for entry in entries])


def list_events(
    session: Session,
    centre_id: int,
    *,
    case_id: str | None = None,
    action: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.centre_id == centre_id, AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
        .limit(limit)
    )
    if case_id is not None:
        query = query.where(AuditEvent.case_id == case_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
