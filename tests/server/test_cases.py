"""Cases on the server: batches with idempotency keys, versions and 409s, transitions by
the shared state machine and the caller's role, assignment, decisions, the clock."""

from __future__ import annotations

import datetime as dt

from tests.server.harness import (
    MINI_CATALOGUE,
    T0,
    Api,
    batch,
    case_doc,
    create_case,
    create_op,
    operation,
)


def test_a_batch_creates_cases_and_answers_each(api: Api) -> None:
    centre = api.add_centre()
    docs = [case_doc() for _ in range(3)]
    results = batch(centre.officer, *[create_op(d) for d in docs])
    assert [r["status"] for r in results] == [201, 201, 201]
    for doc, result in zip(docs, results, strict=True):
        case = result["case"]
        assert case["id"] == doc["id"]
        assert case["version"] == 1
        assert case["state"] == "received"
        # The server fills in who received it, who holds it and where.
        assert (case["received_by"], case["assignee"], case["centre"]) == (
            "officer1",
            "officer1",
            "JX-NANHU",
        )
        assert case["timeline"][0]["by"] == "officer1"
        assert result["replayed"] is False


def test_a_repeated_key_returns_the_first_result_and_no_duplicate(api: Api) -> None:
    centre = api.add_centre()
    op = create_op(case_doc())
    first = batch(centre.officer, op)[0]
    again = batch(centre.officer, op, op)
    assert [r["status"] for r in again] == [201, 201]
    assert all(r["replayed"] for r in again)
    assert again[0]["case"] == first["case"]
    listed = centre.officer.get("/cases").json()["cases"]
    assert [c["case"]["id"] for c in listed] == [op["case_id"]]


def test_a_key_reused_for_another_operation_is_refused(api: Api) -> None:
    centre = api.add_centre()
    op = create_op(case_doc())
    batch(centre.officer, op)
    other = create_op(case_doc(), key=op["idempotency_key"])
    result = batch(centre.officer, other)[0]
    assert result["status"] == 422
    assert "already used for a different operation" in result["error"]


def test_creating_an_existing_case_again_is_a_conflict_with_the_case(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    again = batch(centre.officer, create_op(case_doc(case["id"])))[0]
    assert again["status"] == 409
    assert again["case"]["id"] == case["id"]


def test_a_refused_operation_leaves_the_rest_of_the_batch_applied(api: Api) -> None:
    centre = api.add_centre()
    good, bad = case_doc(), case_doc(applicant={"type": "martian"})
    results = batch(centre.officer, create_op(good), create_op(bad), create_op(case_doc()))
    assert [r["status"] for r in results] == [201, 422, 201]
    assert "applicant" in results[1]["error"]
    assert len(centre.officer.get("/cases").json()["cases"]) == 2


def test_the_server_owns_the_first_state_and_who_received_it(api: Api) -> None:
    centre = api.add_centre()
    refused = batch(
        centre.officer,
        create_op(case_doc(state="accepted")),
        create_op(case_doc(received_by="officer2")),
        create_op(case_doc(assignee="officer2")),
        create_op(case_doc(centre="OTHER")),
        create_op(case_doc(), officer="officer2"),
    )
    assert [r["status"] for r in refused] == [422] * 5
    # A supervisor may open a case straight into a colleague's hands.
    made = batch(
        centre.supervisor, create_op(case_doc(assignee="officer2"), officer="supervisor1")
    )[0]
    assert made["status"] == 201
    assert made["case"]["assignee"] == "officer2"


def test_updates_carry_their_base_version_and_conflicts_return_the_case(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    path = f"/cases/{case['id']}"
    changed = centre.officer.patch(
        path,
        json={
            "base_version": 1,
            "changes": {"delivery": {"method": "mail", "address": "嘉兴市南湖区"}},
        },
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["case"]["version"] == 2
    assert body["case"]["delivery"]["method"] == "mail"
    assert body["clock"]["status"] in {"normal", "warning", "overdue"}
    stale = centre.officer2.patch(path, json={"base_version": 1, "changes": {"sharing": False}})
    assert stale.status_code == 409
    conflict = stale.json()
    assert conflict["case"]["version"] == 2
    assert conflict["case"]["delivery"]["method"] == "mail"
    assert "version" in conflict["error"]


def test_server_owned_members_cannot_be_edited(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    for changes in ({"state": "accepted"}, {"assignee": "officer2"}, {"training": True}):
        answer = centre.officer.patch(
            f"/cases/{case['id']}", json={"base_version": 1, "changes": changes}
        )
        assert answer.status_code == 422, changes


def test_unknown_case_is_404(api: Api) -> None:
    centre = api.add_centre()
    assert centre.officer.get("/cases/nope").status_code == 404
    answer = centre.officer.patch(
        "/cases/nope", json={"base_version": 1, "changes": {"sharing": False}}
    )
    assert answer.status_code == 404
    assert "nope" in answer.json()["error"]


def test_transitions_follow_the_shared_state_machine(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    path = f"/cases/{case['id']}/transitions"
    impossible = centre.officer.post(path, json={"base_version": 1, "to": "delivered"})
    assert impossible.status_code == 422
    assert "received" in impossible.json()["error"]
    needs_reason = centre.officer.post(path, json={"base_version": 1, "to": "refused"})
    assert needs_reason.status_code == 422
    assert "reason" in needs_reason.json()["error"]
    notice = centre.officer.post(
        path,
        json={
            "base_version": 1,
            "to": "awaiting_supplement",
            "changes": {
                "decision": {
                    "outcome": "notice",
                    "missing": [{"material": "lease", "copies": 1}],
                    "due": "2026-11-30",
                    "decided_at": T0.isoformat(),
                    "decided_by": "officer1",
                }
            },
        },
    )
    assert notice.status_code == 200, notice.text
    assert notice.json()["case"]["state"] == "awaiting_supplement"
    assert notice.json()["clock"]["status"] == "stopped"
    timeline = notice.json()["case"]["timeline"]
    assert [(e["state_from"], e["state_to"]) for e in timeline] == [
        (None, "received"),
        ("received", "awaiting_supplement"),
    ]


def test_acceptance_runs_the_completeness_check_and_fixes_the_limits(api: Api) -> None:
    centre = api.add_centre()
    published = centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes())
    assert published.status_code == 200, published.text
    case = create_case(centre.officer)
    path = f"/cases/{case['id']}/transitions"
    short = centre.officer.post(path, json={"base_version": 1, "to": "accepted"})
    assert short.status_code == 422
    assert "id_card" in short.json()["error"]
    assert short.json()["detail"]["outcome"] == "incomplete"
    accepted = centre.officer.post(
        path,
        json={
            "base_version": 1,
            "to": "accepted",
            "device_time": T0.isoformat(),
            "changes": {"received": {"id_card": {"original": 1, "copies": 1}}},
        },
    )
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    # SCJG-001 promises one working day: Monday 23 November 2026 -> Tuesday 24.
    assert body["case"]["limits"]["accepted_on"] == "2026-11-23"
    assert body["case"]["limits"]["promised_by"] == "2026-11-24"
    assert body["case"]["check"]["outcome"] == "complete"
    assert body["clock"]["deadline"] == "promised"
    assert body["clock"]["due"] == "2026-11-24"
    assert body["clock"]["status"] == "warning"  # one working day left
    api.clock.advance(days=2)
    officer = api.client(api.login(centre.code, "officer1")["access_token"])
    seen = officer.get(f"/cases/{case['id']}").json()
    assert seen["clock"]["status"] == "overdue"


def test_assignment_is_for_supervisors_with_a_reason_and_a_real_colleague(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    path = f"/cases/{case['id']}/assignment"
    body = {"base_version": 1, "assignee": "officer2", "reason": "午休换班"}
    assert centre.officer.post(path, json=body).status_code == 403
    no_reason = centre.supervisor.post(path, json={**body, "reason": ""})
    assert no_reason.status_code == 422
    nobody = centre.supervisor.post(path, json={**body, "assignee": "ghost"})
    assert nobody.status_code == 422
    trainee = centre.supervisor.post(path, json={**body, "assignee": "trainee1"})
    assert trainee.status_code == 422
    moved = centre.supervisor.post(path, json=body)
    assert moved.status_code == 200, moved.text
    assert moved.json()["case"]["assignee"] == "officer2"
    # An officer's batch cannot reassign either: the shared rule refuses it.
    again = operation("assign", case["id"], {"assignee": "officer1", "reason": "x"}, base_version=2)
    assert batch(centre.officer, again)[0]["status"] == 422


def test_a_department_decision_by_an_admin(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    path = f"/cases/{case['id']}/transitions"
    accept = centre.officer.post(path, json={"base_version": 1, "to": "accepted"})
    assert accept.status_code == 200
    # The move exists, but a counter officer may not make it: 403, by the shared table.
    approve = centre.officer.post(path, json={"base_version": 2, "to": "approved"})
    assert approve.status_code == 403
    assert "officer" in approve.json()["error"]
    decided = centre.admin.post(
        f"/cases/{case['id']}/decision",
        json={"base_version": 2, "approve": False, "reason": "经营范围不符"},
    )
    assert decided.status_code == 200, decided.text
    result = decided.json()["case"]
    assert result["state"] == "rejected"
    assert result["department_result"]["approved"] is False
    assert result["department_result"]["decided_by"] == "admin1"
    assert (
        centre.supervisor.post(
            f"/cases/{case['id']}/decision", json={"base_version": 3, "approve": True}
        ).status_code
        == 403
    )


def test_listing_filters_and_pages(api: Api) -> None:
    centre = api.add_centre()
    made = [create_case(centre.officer)["id"] for _ in range(5)]
    refused = made[0]
    centre.officer.post(
        f"/cases/{refused}/transitions",
        json={"base_version": 1, "to": "refused", "reason": "非本机关职权"},
    )
    page = centre.supervisor.get("/cases", params={"limit": 2}).json()
    assert [c["case"]["id"] for c in page["cases"]] == made[:2]
    rest = centre.supervisor.get("/cases", params={"after": page["next"]}).json()
    assert [c["case"]["id"] for c in rest["cases"]] == made[2:]
    assert rest["next"] is None
    open_now = centre.supervisor.get("/cases", params={"open": "true"}).json()["cases"]
    assert refused not in {c["case"]["id"] for c in open_now}
    just_refused = centre.supervisor.get("/cases", params={"state": "refused"}).json()["cases"]
    assert [c["case"]["id"] for c in just_refused] == [refused]


def test_opening_a_case_is_itself_recorded(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    assert centre.officer2.get(f"/cases/{case['id']}").status_code == 200
    views = centre.supervisor.get("/audit", params={"action": "case.view"}).json()["events"]
    assert [(v["actor"], v["case_id"]) for v in views] == [("officer2", case["id"])]


def test_training_cases_never_reach_the_live_routes(api: Api) -> None:
    centre = api.add_centre()
    refused = batch(centre.officer, create_op(case_doc(training=True)))[0]
    assert refused["status"] == 422
    assert "/training" in refused["error"]
    practice = batch(
        centre.trainee, create_op(case_doc(training=True), officer="trainee1"), training=True
    )[0]
    assert practice["status"] == 201
    # The live routes do not know the practice case, and the practice routes no live one.
    assert centre.officer.get(f"/cases/{practice['case_id']}").status_code == 404
    live = create_case(centre.officer)
    assert centre.supervisor.get(f"/training/cases/{live['id']}").status_code == 404
    update = operation("update_fields", live["id"], {"changes": {"sharing": False}}, base_version=1)
    assert batch(centre.officer, update, training=True)[0]["status"] == 404
    # The training routes take training cases only.
    assert (
        batch(centre.trainee, create_op(case_doc(), officer="trainee1"), training=True)[0]["status"]
        == 422
    )


def test_device_time_is_kept_as_sent(api: Api) -> None:
    centre = api.add_centre()
    earlier = T0 - dt.timedelta(hours=3)  # made offline this morning, synced now
    doc = case_doc()
    result = batch(centre.officer, create_op(doc, at=earlier))[0]
    assert dt.datetime.fromisoformat(result["case"]["timeline"][0]["at"]) == earlier
    event = centre.supervisor.get("/audit", params={"case_id": doc["id"]}).json()["events"][0]
    assert dt.datetime.fromisoformat(event["device_time"]) == earlier
    assert dt.datetime.fromisoformat(event["server_time"]) == api.clock.now()


def test_prints_and_updates_through_a_batch(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    ops = [
        operation("record_print", case["id"], {"doc": "receipt"}, base_version=1),
        operation("update_fields", case["id"], {"changes": {"sharing": False}}, base_version=2),
        operation("update_fields", case["id"], {"changes": {"sharing": True}}, base_version=2),
    ]
    results = batch(centre.officer, *ops)
    assert [r["status"] for r in results] == [200, 200, 409]
    assert results[1]["case"]["prints"][0]["doc"] == "receipt"
    assert results[2]["case"]["version"] == 3


def test_an_operation_of_another_officer_is_refused(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    op = operation(
        "update_fields",
        case["id"],
        {"changes": {"sharing": False}},
        officer="officer2",
        base_version=1,
    )
    result = batch(centre.officer, op)[0]
    assert result["status"] == 422
    assert "officer2" in result["error"]


def test_a_matter_no_item_covers_can_only_be_refused_through_the_api(api: Api) -> None:
    """The shared rule (domain/cases/unlisted.py) on the server: an unlisted case is created
    received, then refused; acceptance, a notice, a department's decision and issuance are
    refused; it is counted as received and refused, under no department."""
    centre = api.add_centre()
    assert centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    target = {"kind": "unlisted", "code": "UNLISTED", "name": "注册商标"}
    straight_refused = batch(
        centre.officer, create_op(case_doc(target=target, fields={}, state="refused"))
    )
    assert straight_refused[0]["status"] == 422
    case = create_case(centre.officer, target=target, fields={})
    assert (case["state"], case["target"]["kind"]) == ("received", "unlisted")
    path = f"/cases/{case['id']}/transitions"
    decided = {"decided_at": T0.isoformat(), "decided_by": "officer1"}
    for to, decision in (
        ("accepted", {"outcome": "accept"}),
        ("awaiting_supplement", {"outcome": "notice", "due": "2026-11-30"}),
        ("withdrawn", None),
    ):
        body = {"base_version": 1, "to": to, "reason": "申请人撤回"}
        if decision is not None:
            body["changes"] = {"decision": {**decision, **decided}}
        answer = centre.officer.post(path, json=body)
        assert answer.status_code == 422, (to, answer.text)
        assert "can only be refused" in answer.json()["error"]
    limits = centre.officer.patch(
        f"/cases/{case['id']}",
        json={"base_version": 1, "changes": {"fields": {"premises": "owned"}}},
    )
    assert limits.status_code == 422 and "holds no fields" in limits.json()["error"]
    early = centre.admin.post(
        f"/cases/{case['id']}/decision", json={"base_version": 1, "approve": True, "reason": "x"}
    )
    assert early.status_code == 422
    refusal = {
        "outcome": "refuse",
        "refusal_ground": "not_this_authority",
        "reason": "商标注册由国家知识产权局受理",
        "competent_authority": "国家知识产权局",
        **decided,
    }
    refused = centre.officer.post(
        path,
        json={
            "base_version": 1,
            "to": "refused",
            "reason": refusal["reason"],
            "changes": {"decision": refusal},
        },
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["case"]["state"] == "refused"
    for to in ("ready_for_issuance", "delivered"):
        answer = centre.officer.post(path, json={"base_version": 2, "to": to})
        assert answer.status_code == 422
    assert (
        centre.admin.post(
            f"/cases/{case['id']}/decision",
            json={"base_version": 2, "approve": True, "reason": "x"},
        ).status_code
        == 422
    )
    stats = centre.supervisor.get(
        "/stats/officers", params={"from": "2026-11-23", "to": "2026-11-23"}
    ).json()
    [day] = stats["days"]
    assert (day["received"], day["refused"], day["accepted"]) == (1, 1, 0)
    report = centre.supervisor.get("/board/report", params={"day": "2026-11-23"}).json()
    [department] = report["departments"]
    assert (department["code"], department["refused"]) == ("", 1)
    assert department["name"].startswith("无承办部门")
