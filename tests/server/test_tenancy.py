"""Centres are tenants: two centres on one server never see each other's data."""

from __future__ import annotations

import hashlib

from tests.server.harness import (
    MINI_CATALOGUE,
    Api,
    batch,
    case_doc,
    create_case,
    create_op,
    operation,
)

PDF = b"%PDF-1.7\n" + b"scan" * 100


def test_two_centres_see_only_their_own(api: Api) -> None:
    nanhu = api.add_centre("JX-NANHU", "南湖区行政服务中心")
    xiuzhou = api.add_centre("JX-XIUZHOU", "秀洲区行政服务中心")
    ours = create_case(nanhu.officer)
    theirs = create_case(xiuzhou.officer)

    # Cases, lists and the feed.
    assert nanhu.officer.get(f"/cases/{theirs['id']}").status_code == 404
    assert [c["case"]["id"] for c in nanhu.supervisor.get("/cases").json()["cases"]] == [ours["id"]]
    feed = nanhu.officer.get("/changes").json()["changes"]
    assert [e["case"]["id"] for e in feed] == [ours["id"]]

    # Changes to the other centre's case are as if it did not exist.
    update = operation(
        "update_fields", theirs["id"], {"changes": {"sharing": False}}, base_version=1
    )
    assert batch(nanhu.officer, update)[0]["status"] == 404
    assign = nanhu.supervisor.post(
        f"/cases/{theirs['id']}/assignment",
        json={"base_version": 1, "assignee": "officer2", "reason": "x"},
    )
    assert assign.status_code == 404

    # The same case id may exist in both: they are different cases.
    same_id = batch(nanhu.officer, create_op(case_doc(theirs["id"])))[0]
    assert same_id["status"] == 201
    assert xiuzhou.officer.get(f"/cases/{theirs['id']}").json()["case"]["centre"] == "JX-XIUZHOU"

    # People, audit, statistics.
    names = {o["username"] for o in nanhu.supervisor.get("/officers").json()["officers"]}
    assert len(names) == 6
    assert xiuzhou.admin.patch("/officers/officer1", json={"active": False}).status_code == 200
    assert nanhu.officer.get("/auth/me").status_code == 200  # a namesake elsewhere is untouched
    for centre, code in ((nanhu, "JX-NANHU"), (xiuzhou, "JX-XIUZHOU")):
        events = centre.supervisor.get("/audit", params={"limit": 500}).json()["events"]
        assert {e["after"]["centre"] for e in events if e["after"]} == {code}
    stats = nanhu.supervisor.get("/stats/officers").json()
    assert sum(day["received"] for day in stats["days"]) == 2

    # Numbers: each centre has its own counter and prefix.
    a = nanhu.officer.post("/leases", json={"count": 1}).json()["numbers"]
    b = xiuzhou.officer2.post("/leases", json={"count": 1}).json()["numbers"]
    assert (a, b) == (["JX-NANHU-2026-000001"], ["JX-XIUZHOU-2026-000001"])
    stolen = batch(nanhu.officer, create_op(case_doc(numbers={"official": b[0]})))[0]
    assert stolen["status"] == 422

    # Catalogues.
    assert xiuzhou.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    assert nanhu.officer.get("/catalogue").status_code == 404
    assert xiuzhou.officer2.get("/catalogue").status_code == 200

    # Attachments.
    declared = xiuzhou.officer2.post(
        "/attachments",
        json={
            "case_id": theirs["id"],
            "material": "id_card",
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
        },
    )
    assert declared.status_code == 201, declared.text
    attachment = declared.json()["id"]
    assert nanhu.officer.get(f"/attachments/{attachment}").status_code == 404
    put = nanhu.officer.put(f"/attachments/{attachment}/content", params={"offset": 0}, content=PDF)
    assert put.status_code == 404

    # Training results.
    result = {
        "idempotency_key": "result-0001",
        "exercise": "KTV 开业一件事",
        "score": 8,
        "max_score": 10,
        "passed": True,
        "device_time": "2026-11-23T10:00:00+08:00",
    }
    assert xiuzhou.trainee.post("/training/results", json=result).status_code == 201
    assert nanhu.supervisor.get("/training/results").json()["results"] == []
    # The same key in another centre is another result.
    assert nanhu.trainee.post("/training/results", json=result).status_code == 201


def test_a_token_of_one_centre_cannot_name_another(api: Api) -> None:
    api.add_centre("JX-NANHU")
    api.add_centre("JX-XIUZHOU")
    token = api.login("JX-NANHU", "officer1")["access_token"]
    me = api.client(token).get("/auth/me").json()
    assert me["centre"] == "JX-NANHU"
    # Nothing in a request can choose the centre: it comes from the token alone.
    answer = api.client(token).get("/cases", params={"centre": "JX-XIUZHOU"})
    assert answer.status_code == 422
    assert "'centre'" in answer.json()["error"]
