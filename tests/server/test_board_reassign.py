"""Reassignment from the board: the plan spreads by load and changes nothing; moves carry a
reason, land in the feed and the audit trail, refuse a case that changed hands meanwhile,
and happen once however often a request is sent; the officers concerned read notices."""

from __future__ import annotations

import datetime as dt

from tests.server.harness import T0, Api, Centre, batch, case_doc, create_op, operation


def cases_of(centre: Centre, officer: str, count: int, **overrides) -> list[dict]:
    client = centre.clients[officer]
    docs = [case_doc(**overrides) for _ in range(count)]
    results = batch(client, *[create_op(d, officer=officer) for d in docs])
    assert all(r["status"] == 201 for r in results), results
    return [r["case"] for r in results]


def reassign(
    centre: Centre, moves: list[dict], reason: str = "王丽病假", key: str = "request-0001"
):
    return centre.supervisor.post(
        "/board/reassign", json={"idempotency_key": key, "reason": reason, "moves": moves}
    )


def test_the_plan_spreads_an_absent_officers_cases_by_load(api: Api) -> None:
    centre = api.add_centre()
    overdue = case_doc(received_at=(T0 - dt.timedelta(days=10)).isoformat())
    batch(centre.officer, create_op(overdue))
    mine = cases_of(centre, "officer1", 4)
    cases_of(centre, "officer2", 3)
    answer = centre.supervisor.post(
        "/board/plan", json={"from_officer": "officer1", "to": ["officer2", "supervisor1"]}
    )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["loads_before"] == {"officer2": 3, "supervisor1": 0}
    assert plan["loads_after"] == {"officer2": 4, "supervisor1": 4}
    moves = plan["moves"]
    assert len(moves) == 5 and plan["staying"] == []
    # The most urgent first, to the least loaded officer.
    assert moves[0] | {} == {
        "case_id": overdue["id"],
        "number": "",
        "from": "officer1",
        "to": "supervisor1",
        "at_risk": True,
    }
    assert {m["case_id"] for m in moves} == {overdue["id"], *(c["id"] for c in mine)}
    # Nothing changed.
    assert centre.supervisor.get(f"/cases/{overdue['id']}").json()["case"]["assignee"] == "officer1"
    # A selection may be planned too; the case left with its own officer is "staying".
    selection = centre.supervisor.post(
        "/board/plan", json={"case_ids": [mine[0]["id"]], "to": ["officer1"]}
    ).json()
    assert selection["moves"] == [] and selection["staying"] == [mine[0]["id"]]


def test_bad_plans_are_refused_with_the_reason(api: Api) -> None:
    centre = api.add_centre()
    [case] = cases_of(centre, "officer1", 1)
    to_trainee = centre.supervisor.post(
        "/board/plan", json={"case_ids": [case["id"]], "to": ["trainee1"]}
    )
    assert to_trainee.status_code == 422 and to_trainee.json()["detail"] == {"to": ["trainee1"]}
    unknown = centre.supervisor.post("/board/plan", json={"case_ids": ["nope"], "to": ["officer2"]})
    assert unknown.status_code == 422 and unknown.json()["detail"] == {"case_ids": ["nope"]}
    both = centre.supervisor.post(
        "/board/plan",
        json={"case_ids": [case["id"]], "from_officer": "officer1", "to": ["officer2"]},
    )
    assert both.status_code == 422
    assert (
        centre.officer.post(
            "/board/plan", json={"from_officer": "officer1", "to": ["officer2"]}
        ).status_code
        == 403
    )


def test_moves_carry_their_reason_into_the_audit_trail_and_the_feed(api: Api) -> None:
    centre = api.add_centre()
    first, second = cases_of(centre, "officer1", 2)
    since = centre.supervisor.get("/changes").json()["next"]
    moves = [
        {"case_id": first["id"], "from": "officer1", "to": "officer2"},
        {"case_id": second["id"], "from": "officer1", "to": "supervisor1"},
    ]
    answer = reassign(centre, moves)
    assert answer.status_code == 200, answer.text
    out = answer.json()
    assert out["moved"] == 2
    assert [(r["case_id"], r["status"], r["from"], r["to"]) for r in out["results"]] == [
        (first["id"], 200, "officer1", "officer2"),
        (second["id"], 200, "officer1", "supervisor1"),
    ]
    feed = centre.officer.get("/changes", params={"since": since}).json()["changes"]
    assert {c["case"]["id"]: c["case"]["assignee"] for c in feed} == {
        first["id"]: "officer2",
        second["id"]: "supervisor1",
    }
    trail = centre.supervisor.get("/audit", params={"action": "case.reassign"}).json()
    lines = trail["events"] if "events" in trail else trail["lines"]
    assert [(line["case_id"], line["actor"]) for line in lines] == [
        (first["id"], "supervisor1"),
        (second["id"], "supervisor1"),
    ]
    assert lines[0]["detail"] | {} == {
        "from": "officer1",
        "to": "officer2",
        "reason": "王丽病假",
        "number": "",
        "key": f"request-0001:{first['id']}",
    }
    # The shared assign operation is in the trail too, with both documents.
    assigns = centre.supervisor.get("/audit", params={"action": "case.assign"}).json()
    assert len(assigns["events"] if "events" in assigns else assigns["lines"]) == 2


def test_a_request_sent_again_moves_nothing_twice(api: Api) -> None:
    centre = api.add_centre()
    [case] = cases_of(centre, "officer1", 1)
    moves = [{"case_id": case["id"], "from": "officer1", "to": "officer2"}]
    assert reassign(centre, moves).json()["moved"] == 1
    again = reassign(centre, moves).json()
    assert again["results"][0]["replayed"] is True and again["results"][0]["status"] == 200
    version = centre.supervisor.get(f"/cases/{case['id']}").json()["case"]["version"]
    assert version == 2  # created, then assigned once
    trail = centre.supervisor.get("/audit", params={"action": "case.reassign"}).json()
    assert len(trail["events"] if "events" in trail else trail["lines"]) == 1


def test_a_case_that_changed_hands_meanwhile_is_not_overridden(api: Api) -> None:
    centre = api.add_centre()
    first, second, closed = cases_of(centre, "officer1", 3)
    # Someone else moved the first case while the supervisor looked at the board.
    assert (
        reassign(centre, [{"case_id": first["id"], "to": "officer2"}], key="other-00001").json()[
            "moved"
        ]
        == 1
    )
    # An officer's edit moves the second case's version only: still theirs, still moved.
    batch(
        centre.officer,
        operation(
            "update_fields", second["id"], {"changes": {"fields": {"a": "b"}}}, base_version=1
        ),
    )
    batch(
        centre.officer,
        operation(
            "transition", closed["id"], {"to": "withdrawn", "reason": "撤回"}, base_version=1
        ),
    )
    moves = [
        {"case_id": first["id"], "from": "officer1", "to": "supervisor1"},
        {"case_id": second["id"], "from": "officer1", "to": "supervisor1"},
        {"case_id": closed["id"], "from": "officer1", "to": "supervisor1"},
        {"case_id": "no-such-case", "to": "supervisor1"},
    ]
    out = reassign(centre, moves).json()
    statuses = [(r["status"], r["error"] is None) for r in out["results"]]
    assert statuses == [(409, False), (200, True), (422, False), (404, False)]
    assert "officer2" in out["results"][0]["error"]
    assert out["moved"] == 1
    assert centre.supervisor.get(f"/cases/{first['id']}").json()["case"]["assignee"] == "officer2"


def test_reassignment_needs_a_reason_and_an_active_colleague(api: Api) -> None:
    centre = api.add_centre()
    [case] = cases_of(centre, "officer1", 1)
    blank = reassign(centre, [{"case_id": case["id"], "to": "officer2"}], reason="   ")
    assert blank.status_code == 422 and "reason" in blank.json()["error"]
    to_trainee = reassign(centre, [{"case_id": case["id"], "to": "trainee1"}]).json()
    assert to_trainee["moved"] == 0 and to_trainee["results"][0]["status"] == 422
    twice = reassign(
        centre,
        [{"case_id": case["id"], "to": "officer2"}, {"case_id": case["id"], "to": "supervisor1"}],
    )
    assert twice.status_code == 422


def test_the_officers_concerned_read_notices_with_the_reason(api: Api) -> None:
    centre = api.add_centre()
    [case] = cases_of(centre, "officer1", 1)
    [other] = cases_of(centre, "officer2", 1)
    reassign(centre, [{"case_id": case["id"], "from": "officer1", "to": "officer2"}])
    reassign(
        centre,
        [{"case_id": other["id"], "to": "supervisor1"}],
        reason="平衡工作量",
        key="request-0002",
    )
    old = centre.officer.get("/notices").json()
    assert [
        (n["kind"], n["case_id"], n["from"], n["to"], n["by"], n["reason"]) for n in old["notices"]
    ] == [("reassigned_away", case["id"], "officer1", "officer2", "supervisor1", "王丽病假")]
    new = centre.officer2.get("/notices").json()
    assert [(n["kind"], n["case_id"]) for n in new["notices"]] == [
        ("assigned_to_you", case["id"]),
        ("reassigned_away", other["id"]),
    ]
    # The cursor moves past what was read.
    assert centre.officer2.get("/notices", params={"since": new["next"]}).json()["notices"] == []
    assert centre.trainee.get("/notices").status_code == 403
