"""The centre and its people: administrators add users, change roles and passwords."""

from __future__ import annotations

from tests.server.harness import Api, batch, case_doc, create_op


def test_the_centre_is_the_callers(api: Api) -> None:
    centre = api.add_centre("JX-NANHU", "南湖区行政服务中心")
    for client in centre.clients.values():
        assert client.get("/centre").json() == {"code": "JX-NANHU", "name": "南湖区行政服务中心"}


def test_an_admin_adds_a_user_who_can_then_sign_in(api: Api) -> None:
    centre = api.add_centre()
    body = {
        "username": "zhao.li",
        "password": "a-long-password",
        "role": "officer",
        "display_name": "赵丽",
    }
    added = centre.admin.post("/officers", json=body)
    assert added.status_code == 201, added.text
    assert added.json() == {
        "username": "zhao.li",
        "display_name": "赵丽",
        "role": "officer",
        "active": True,
    }
    assert centre.admin.post("/officers", json=body).status_code == 409
    weak = centre.admin.post("/officers", json={**body, "username": "weak", "password": "short"})
    assert weak.status_code == 422
    bad_role = centre.admin.post("/officers", json={**body, "username": "x", "role": "department"})
    assert bad_role.status_code == 422
    assert centre.supervisor.post("/officers", json={**body, "username": "y"}).status_code == 403
    token = api.login(centre.code, "zhao.li", "a-long-password")["access_token"]
    assert api.client(token).get("/auth/me").json()["username"] == "zhao.li"
    listed = centre.officer.get("/officers").json()["officers"]
    assert "zhao.li" in {o["username"] for o in listed}
    events = centre.supervisor.get("/audit", params={"action": "user.add"}).json()["events"]
    assert events[-1]["detail"] == {"username": "zhao.li", "role": "officer"}


def test_a_password_reset_signs_the_user_out_everywhere(api: Api) -> None:
    centre = api.add_centre()
    reset = centre.admin.patch("/officers/officer2", json={"password": "a-brand-new-password"})
    assert reset.status_code == 200
    assert centre.officer2.get("/auth/me").status_code == 401
    fresh = api.login(centre.code, "officer2", "a-brand-new-password")["access_token"]
    assert api.client(fresh).get("/auth/me").status_code == 200
    event = centre.supervisor.get("/audit", params={"action": "user.change"}).json()["events"][-1]
    assert event["detail"] == {"username": "officer2", "password": "reset"}
    assert "a-brand-new-password" not in str(event)


def test_unknown_people_are_404_and_nobody_is_assigned_a_disabled_colleague(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.patch("/officers/ghost", json={"active": False}).status_code == 404
    case = batch(centre.officer, create_op(case_doc()))[0]["case"]
    assert centre.admin.patch("/officers/officer2", json={"active": False}).status_code == 200
    moved = centre.supervisor.post(
        f"/cases/{case['id']}/assignment",
        json={"base_version": 1, "assignee": "officer2", "reason": "换班"},
    )
    assert moved.status_code == 422


def test_training_cases_are_listed_for_their_owner(api: Api) -> None:
    centre = api.add_centre()
    mine = batch(
        centre.trainee, create_op(case_doc(training=True), officer="trainee1"), training=True
    )
    batch(
        centre.clients["trainee2"],
        create_op(case_doc(training=True), officer="trainee2"),
        training=True,
    )
    own = centre.trainee.get("/training/cases").json()
    assert [c["case"]["id"] for c in own["cases"]] == [mine[0]["case_id"]]
    assert own["cases"][0]["clock"]["deadline"] == "notice"
    assert len(centre.supervisor.get("/training/cases").json()["cases"]) == 2
