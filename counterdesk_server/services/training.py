"""Training results, kept per centre so supervisors can follow each trainee's progress.

Results are idempotent by key like case operations: a scorer that resends after a
timeout gets the first stored result back.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import TrainingResult
from counterdesk_server.services import audit
from counterdesk_server.services.audit import AuditEntry
from counterdesk_server.services.errors import Invalid
from counterdesk_server.services.roles import Principal


def record_result(ctx: ServerContext, actor: Principal, values: dict[str, Any]) -> TrainingResult:
    now = ctx.clock.now()
    key = values["idempotency_key"]
    row = {
        "centre_id": actor.centre_id,
        "user_id": actor.user_id,
        "username": actor.username,
        "idempotency_key": key,
        "exercise": values["exercise"],
        "score": values["score"],
        "max_score": values["max_score"],
        "passed": values["passed"],
        "details": json.dumps(values.get("details") or {}, ensure_ascii=False),
        "device_time": values["device_time"],
        "server_time": now,
    }
    try:
        with ctx.db.writing() as session:
            session.execute(insert(TrainingResult).values(**row))
            audit.record(
                session,
                actor,
                AuditEntry(
                    "training.result",
                    now,
                    training=True,
                    device_time=values["device_time"],
                    detail={"exercise": values["exercise"], "score": values["score"]},
                ),
            )
    except IntegrityError:
        pass  # the key was used before: answer with what was stored then
    with ctx.db.reading() as session:
        stored = _by_key(session, actor.centre_id, key)
    if stored.user_id != actor.user_id or stored.exercise != values["exercise"]:
        raise Invalid(f"idempotency key {key} was already used for another result")
    return stored


def list_results(
    session: Session, centre_id: int, username: str | None, limit: int
) -> list[TrainingResult]:
    query = (
        select(TrainingResult)
        .where(TrainingResult.centre_id == centre_id)
        .order_by(TrainingResult.id.desc())
        .limit(limit)
    )
    if username is not None:
        query = query.where(TrainingResult.username == username)
    return list(session.scalars(query))


def _by_key(session: Session, centre_id: int, key: str) -> TrainingResult:
    return session.scalars(
        select(TrainingResult).where(
            TrainingResult.centre_id == centre_id, TrainingResult.idempotency_key == key
        )
    ).one()


def result_json(row: TrainingResult) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "exercise": row.exercise,
        "score": row.score,
        "max_score": row.max_score,
        "passed": row.passed,
        "details": json.loads(row.details),
        "device_time": row.device_time.isoformat(),
        "server_time": row.server_time.isoformat(),
    }
