"""The server's additions for sync (api/routes/sync_support.py), on SQLite and PostgreSQL:
a case as it was at a version, a case by either number, handover notices."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sync.harness import T0, CaseServer, case_doc, start_server


@pytest.fixture
def any_server(any_database_url: str, tmp_path: Path) -> Iterator[CaseServer]:
    server = start_server(any_database_url, tmp_path)
    try:
        yield server
    finally:
        server.close()


def create(server: CaseServer, user: str = "officer1", **overrides: Any) -> dict[str, Any]:
    doc = case_doc(**overrides)
    op = {
        "idempotency_key": f"create-{doc['id']}",
        "kind": "create",
        "case_id": doc["id"],
        "officer": user,
        "device_time": T0.isoformat(),
        "base_version": 0,
        "payload": doc,
    }
    answer = server.client(user).post("/cases/batch", json={"operations": [op]})
    assert answer.status_code == 200, answer.text
    case: dict[str, Any] = answer.json()["results"][0]["case"]
    return case


def test_a_case_as_it_was_at_each_version(any_server: CaseServer) -> None:
    case = create(any_server)
    officer = any_server.client("officer1")
    changed = officer.patch(
        f"/cases/{case['id']}", json={"base_version": 1, "changes": {"counter": "窗口 8"}}
    )
    assert changed.status_code == 200, changed.text

    first = officer.get(f"/cases/{case['id']}/versions/1")
    second = officer.get(f"/cases/{case['id']}/versions/2")

    assert first.status_code == 200 and first.json()["case"] == case
    assert second.json()["case"]["counter"] == "窗口 8"
    assert officer.get(f"/cases/{case['id']}/versions/3").status_code == 404
    assert officer.get("/cases/nobody/versions/1").status_code == 404
    audit = any_server.client("supervisor1").get("/audit", params={"action": "case.view"})
    assert {e["detail"]["version"] for e in audit.json()["events"]} == {1, 2}


def test_either_number_finds_the_case(any_server: CaseServer) -> None:
    lease = any_server.client("officer1").post("/leases", json={"count": 2}).json()
    case = create(
        any_server, numbers={"official": lease["first"], "provisional": "P-ABCD1234-000001"}
    )
    other = any_server.client("officer2")
    for number in (lease["first"], "P-ABCD1234-000001"):
        answer = other.get(f"/cases/by-number/{number}")
        assert answer.status_code == 200 and answer.json()["case"]["id"] == case["id"]
        assert answer.json()["clock"]["status"]
    assert other.get("/cases/by-number/P-ABCD1234-00000").status_code == 404
    assert other.get("/cases/by-number/50%25").status_code == 422  # no LIKE wildcards


def test_handover_notices_reach_the_new_assignee_once(any_server: CaseServer) -> None:
    case = create(any_server)
    first = any_server.client("officer1")
    body = {
        "case_id": case["id"],
        "operations": 2,
        "key": "handover-1",
        "device_time": T0.isoformat(),
    }
    refused = first.post("/handovers", json=body)
    assert refused.status_code == 409  # still the officer's own case
    moved = any_server.client("supervisor1").post(
        f"/cases/{case['id']}/assignment",
        json={"base_version": 1, "assignee": "officer2", "reason": "换班"},
    )
    assert moved.status_code == 200, moved.text

    told = first.post("/handovers", json=body)
    again = first.post("/handovers", json=body)

    assert told.status_code == 201 and again.status_code == 200
    assert told.json() == again.json()
    assert told.json()["from"] == "officer1" and told.json()["to"] == "officer2"
    inbox = any_server.client("officer2").get("/handovers").json()
    assert [(h["case_id"], h["operations"]) for h in inbox["handovers"]] == [(case["id"], 2)]
    later = any_server.client("officer2").get("/handovers", params={"since": inbox["next"]})
    assert later.json()["handovers"] == []
    assert any_server.client("officer1").get("/handovers").json()["handovers"] == []
