"""The audit trail: every change with who, device time, server time, before and after;
append-only down to the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from tests.server.harness import Api, batch, create_case, operation


def test_every_change_is_recorded_with_both_documents(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    update = operation("update_fields", case["id"], {"changes": {"sharing": False}}, base_version=1)
    batch(centre.officer, update)
    events = centre.supervisor.get("/audit", params={"case_id": case["id"]}).json()["events"]
    assert [e["action"] for e in events] == ["case.create", "case.update_fields"]
    created, updated = events
    assert created["before"] is None
    assert created["after"]["version"] == 1
    assert updated["before"] == created["after"]
    assert updated["after"]["sharing"] is False and updated["after"]["version"] == 2
    assert updated["actor"] == "officer1" and updated["actor_role"] == "officer"
    assert updated["detail"]["idempotency_key"] == update["idempotency_key"]
    assert updated["device_time"] is not None and updated["server_time"] is not None


def test_a_replayed_operation_is_not_recorded_twice(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    update = operation("update_fields", case["id"], {"changes": {"sharing": False}}, base_version=1)
    batch(centre.officer, update)
    batch(centre.officer, update)
    events = centre.supervisor.get("/audit", params={"case_id": case["id"]}).json()["events"]
    assert len(events) == 2


def test_the_trail_pages_and_is_for_supervisors(api: Api) -> None:
    centre = api.add_centre()
    for _ in range(3):
        create_case(centre.officer)
    first = centre.supervisor.get("/audit", params={"action": "case.create", "limit": 2}).json()
    rest = centre.admin.get(
        "/audit", params={"action": "case.create", "after": first["next"]}
    ).json()
    assert len(first["events"]) == 2 and len(rest["events"]) == 1
    assert centre.officer.get("/audit").status_code == 403
    assert centre.trainee.get("/audit").status_code == 403


def test_the_database_refuses_to_change_or_delete_audit_lines(api: Api) -> None:
    centre = api.add_centre()
    create_case(centre.officer)
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            with api.ctx.db.writing() as session:
                session.execute(text(statement))
    with api.ctx.db.reading() as session:
        actors = set(session.execute(text("SELECT actor FROM audit_events")).scalars())
    assert "someone else" not in actors and actors
