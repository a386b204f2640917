"""Errors are JSON with a clear message, bad input is a 4xx; health says the database
answers and the schema is current."""

from __future__ import annotations

from tests.server.harness import Api


def test_health_is_public_and_checks_the_database(api: Api) -> None:
    answer = api.client().get("/health")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"] == api.backend
    assert body["schema_current"] is True


def test_malformed_input_is_a_json_4xx(api: Api) -> None:
    centre = api.add_centre()
    officer = centre.officer
    cases = [
        officer.post(
            "/cases/batch", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        officer.post("/cases/batch", json={"operations": []}),
        officer.post("/cases/batch", json={"operations": [{"kind": "explode"}]}),
        officer.post("/cases/batch", json=[1, 2]),
        officer.get("/cases", params={"limit": "many"}),
        officer.get("/no/such/route"),
        officer.delete("/cases"),
    ]
    for answer in cases:
        assert 400 <= answer.status_code < 500, answer.text
        body = answer.json()
        assert isinstance(body["error"], str) and body["error"]
    validation = cases[2].json()
    assert validation["error"].startswith("invalid request: body.operations.0")
    assert {p["path"] for p in validation["detail"]} >= {"body.operations.0.case_id"}


def test_a_batch_is_bounded(api: Api) -> None:
    centre = api.add_centre()
    op = {
        "idempotency_key": "k" * 10,
        "kind": "create",
        "case_id": "x",
        "officer": "officer1",
        "device_time": "2026-11-23T09:00:00+08:00",
        "base_version": 0,
        "payload": {},
    }
    answer = centre.officer.post("/cases/batch", json={"operations": [op] * 501})
    assert answer.status_code == 422


def test_unknown_query_parameters_are_refused_by_name(api: Api) -> None:
    centre = api.add_centre()
    answer = centre.officer.get("/changes", params={"sinse": 5})
    assert answer.status_code == 422
    assert "'sinse'" in answer.json()["error"]
    assert centre.officer.get("/changes", params={"since": 5}).status_code == 200


def test_a_single_value_parameter_given_twice_is_refused_but_a_list_is_not(api: Api) -> None:
    officer = api.add_centre().officer
    twice = officer.get("/cases", params=[("assignee", "officer1"), ("assignee", "officer2")])
    assert twice.status_code == 422
    assert "'assignee'" in twice.json()["error"]
    states = officer.get("/cases", params=[("state", "received"), ("state", "accepted")])
    assert states.status_code == 200, states.text


def test_text_that_no_database_can_store_is_a_422_not_a_500(api: Api) -> None:
    centre = api.add_centre()
    officer = centre.officer
    nul_query = officer.get("/cases", params={"assignee": "a\x00b"})
    nul_path = officer.get("/cases/a%00b")
    headers = {"Content-Type": "application/json"}
    nul_body = officer.post(
        "/leases", content=b'{"count": 1, "device": "pc\\u0000"}', headers=headers
    )
    lone = officer.post("/leases", content=b'{"count": 1, "device": "pc\\ud800"}', headers=headers)
    for answer in (nul_query, nul_path, nul_body, lone):
        assert answer.status_code == 422, answer.text
    # An escaped backslash before "u0000" is ordinary text, and a full pair is a character.
    fine = officer.post(
        "/leases", content=b'{"count": 1, "device": "pc\\\\u0000 \\ud83d\\ude00"}', headers=headers
    )
    assert fine.status_code == 201, fine.text
