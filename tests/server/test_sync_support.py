"""What counters' sync needs besides the case resources: a case as it was at a version,
a case by either of its numbers, and handover notices after a reassignment."""

from __future__ import annotations

from tests.server.harness import Api, batch, create_case, operation


def test_a_case_as_it_was_at_each_version(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    update = operation("update_fields", case["id"], {"changes": {"sharing": False}}, base_version=1)
    batch(centre.officer, update)
    first = centre.officer.get(f"/cases/{case['id']}/versions/1")
    assert first.status_code == 200
    assert first.json()["case"] == case
    now = centre.officer.get(f"/cases/{case['id']}/versions/2").json()["case"]
    assert (now["version"], now["sharing"]) == (2, False)
    assert centre.officer.get(f"/cases/{case['id']}/versions/3").status_code == 404
    assert centre.officer.get(f"/cases/{case['id']}/versions/0").status_code == 422
    assert centre.officer.get("/cases/nope/versions/1").status_code == 404


def test_a_case_is_found_by_either_number(api: Api) -> None:
    centre = api.add_centre()
    official = centre.officer.post("/leases", json={"count": 1}).json()["numbers"][0]
    case = create_case(centre.officer, numbers={"provisional": "P-W3-0001", "official": official})
    for number in (official, "P-W3-0001"):
        found = centre.officer2.get(f"/cases/by-number/{number}")
        assert found.status_code == 200, found.text
        assert found.json()["case"]["id"] == case["id"]
        assert found.json()["clock"]["status"] == "normal"
    assert centre.officer.get("/cases/by-number/P-W3-0002").status_code == 404
    assert centre.officer.get("/cases/by-number/a%25b").status_code == 422


def test_handover_notices_reach_the_new_assignee(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    notice = {"case_id": case["id"], "operations": 3, "key": "handover-0001"}
    still_mine = centre.officer.post("/handovers", json=notice)
    assert still_mine.status_code == 409
    moved = centre.supervisor.post(
        f"/cases/{case['id']}/assignment",
        json={"base_version": 1, "assignee": "officer2", "reason": "午休换班"},
    )
    assert moved.status_code == 200
    first = centre.officer.post("/handovers", json=notice)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["from"], body["to"], body["operations"]) == ("officer1", "officer2", 3)
    again = centre.officer.post("/handovers", json=notice)
    assert again.status_code == 200 and again.json() == body
    inbox = centre.officer2.get("/handovers").json()
    assert [h["id"] for h in inbox["handovers"]] == [body["id"]]
    assert (
        centre.officer2.get("/handovers", params={"since": inbox["next"]}).json()["handovers"] == []
    )
    assert centre.officer.get("/handovers").json()["handovers"] == []
    assert centre.trainee.get("/handovers").status_code == 403
