"""Trainees' progress for the supervisor board, from the results training mode posts
(``POST /training/results``): how many scenarios each has done and passed, their scores,
and the mistakes they make most often.

Results carry the scorer's record in ``details`` (``domain.training.result``:
``mistakes`` with a ``code`` and ``category`` each). ``details`` is whatever the counter
sent, so anything not in that shape is passed over rather than trusted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from counterdesk.domain.cases import Role
from counterdesk_server.context import ServerContext
from counterdesk_server.db.models import TrainingResult
from counterdesk_server.schemas.board import MistakeCount, TraineeProgress, TraineesOut
from counterdesk_server.services.roles import Principal
from counterdesk_server.services.users import list_users

TOP_MISTAKES = 3


def trainees_progress(ctx: ServerContext, actor: Principal) -> TraineesOut:
    """Everyone with training results, and every trainee (with or without); trainees first."""
    with ctx.db.reading() as session:
        results = list(
            session.scalars(
                select(TrainingResult)
                .where(TrainingResult.centre_id == actor.centre_id)
                .order_by(TrainingResult.id)
            )
        )
        people = {u.username: u for u in list_users(session, actor.centre_id)}
    by_user: dict[str, list[TrainingResult]] = defaultdict(list)
    for row in results:
        by_user[row.username].append(row)
    for name, user in people.items():
        if user.role == Role.TRAINEE.value and user.active:
            by_user.setdefault(name, [])
    progress = [_progress(name, people.get(name), rows) for name, rows in by_user.items() if rows]
    untried = [
        TraineeProgress(
            username=name,
            name=people[name].display_name,
            role=people[name].role,
            results=0,
            scenarios_done=0,
            scenarios_passed=0,
            mean_score=0.0,
            best_score=0.0,
            last_score=0.0,
            last_exercise="",
            last_at=people[name].created_at,
            mistakes=[],
        )
        for name, rows in by_user.items()
        if not rows
    ]
    everyone = progress + untried
    everyone.sort(key=lambda p: (p.role != Role.TRAINEE.value, p.username))
    return TraineesOut(trainees=everyone)


def _progress(name: str, user: Any, rows: list[TrainingResult]) -> TraineeProgress:
    percent = [100.0 * row.score / row.max_score for row in rows if row.max_score > 0]
    mistakes: Counter[tuple[str, str]] = Counter()
    for row in rows:
        for code, category in _mistakes(row.details):
            mistakes[(code, category)] += 1
    last = rows[-1]
    return TraineeProgress(
        username=name,
        name=user.display_name if user is not None else "",
        role=user.role if user is not None else "",
        results=len(rows),
        scenarios_done=len({row.exercise for row in rows}),
        scenarios_passed=len({row.exercise for row in rows if row.passed}),
        mean_score=round(sum(percent) / len(percent), 1) if percent else 0.0,
        best_score=round(max(percent), 1) if percent else 0.0,
        last_score=round(100.0 * last.score / last.max_score, 1) if last.max_score > 0 else 0.0,
        last_exercise=last.exercise,
        last_at=last.device_time,
        mistakes=[
            MistakeCount(code=code, category=category, count=count)
            for (code, category), count in sorted(
                mistakes.items(), key=lambda item: (-item[1], item[0])
            )[:TOP_MISTAKES]
        ],
    )


def _mistakes(details_text: str) -> list[tuple[str, str]]:
    try:
        details = json.loads(details_text)
    except ValueError:
        return []
    found = details.get("mistakes") if isinstance(details, dict) else None
    if not isinstance(found, list):
        return []
    return [
        (str(m["code"])[:64], str(m.get("category") or "")[:32])
        for m in found
        if isinstance(m, dict) and isinstance(m.get("code"), str) and m["code"]
    ]
