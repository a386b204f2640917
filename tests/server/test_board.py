"""The supervisor board's figures: officers' load (open cases on the clock, the day's work,
median handling time per item), the daily centre report per officer and per department,
and trainees' progress from the results training mode posts. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.training import bundled_scenarios, perfect_handling, score, training_result
from tests.server.harness import (
    MINI_CATALOGUE,
    T0,
    Api,
    Centre,
    batch,
    case_doc,
    create_op,
    operation,
)

RECEIVED = {"id_card": {"original": 1, "copies": 1}}
KTV = {"kind": "bundle", "code": "B-KTV", "name": "开办KTV一件事"}
CULTURE = {"kind": "item", "code": "WGLJ-001", "name": "娱乐场所经营许可"}


def a_busy_day(centre: Centre) -> dict[str, dict]:
    """officer1: three received today (one then accepted, later decided; one refused) and
    one received on 13 November still undecided (five-day notice past); officer2: a
    culture permit and a karaoke-bar bundle, both received today."""
    docs = {
        "accepted": case_doc(received=RECEIVED),
        "refused": case_doc(),
        "received": case_doc(),
        "old": case_doc(received_at=(T0 - dt.timedelta(days=10)).isoformat()),
    }
    batch(centre.officer, *[create_op(d) for d in docs.values()])
    batch(
        centre.officer,
        operation("transition", docs["accepted"]["id"], {"to": "accepted"}, base_version=1),
        operation(
            "transition",
            docs["refused"]["id"],
            {"to": "refused", "reason": "不属于本机关"},
            base_version=1,
        ),
    )
    decided = centre.admin.post(
        f"/cases/{docs['accepted']['id']}/decision",
        json={"base_version": 2, "approve": True, "reason": "符合条件"},
    )
    assert decided.status_code == 200, decided.text
    docs["culture"] = case_doc(target=CULTURE)
    docs["ktv"] = case_doc(target=KTV)
    batch(
        centre.officer2,
        create_op(docs["culture"], officer="officer2"),
        create_op(docs["ktv"], officer="officer2"),
    )
    return docs


def test_officers_load_counts_the_day_the_clock_and_handling_times(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    a_busy_day(centre)
    answer = centre.supervisor.get("/board/load")
    assert answer.status_code == 200, answer.text
    load = answer.json()
    assert load["day"] == "2026-11-23" and load["window_from"] == "2026-10-25"
    rows = {row["officer"]: row for row in load["officers"]}
    # Every active officer and supervisor is listed, even with nothing to do.
    assert set(rows) == {"officer1", "officer2", "supervisor1"}
    assert rows["officer1"] | {} == {
        "officer": "officer1",
        "name": "officer1",
        "role": "officer",
        "active": True,
        "open": 3,  # received today, the old one, and the approved one (awaiting issuance)
        "due_soon": 0,
        "overdue": 1,
        "notice_past": 1,
        "received": 4,
        "accepted": 1,
        "notices": 0,
        "refused": 1,
        "completed": 1,  # decided by the department, counted for the officer holding it
    }
    # Received today: the five-day notice deadline is the 30th, four working days away.
    assert (rows["officer2"]["open"], rows["officer2"]["due_soon"]) == (2, 0)
    assert rows["supervisor1"]["open"] == 0
    assert load["items"] == [
        {
            "code": "SCJG-001",
            "name": "个体工商户设立登记",
            "department": "SCJG",
            "cases": 1,
            "median_days": 0.0,
        }
    ]
    # On Friday the 27th the received cases are due within a working day.
    api.clock.advance(days=4)
    supervisor = api.client(api.login(centre.code, "supervisor1")["access_token"])
    later = {r["officer"]: r for r in supervisor.get("/board/load").json()["officers"]}
    assert later["officer2"]["due_soon"] == 2
    assert later["officer2"]["received"] == 0  # nothing happened on the 27th


def test_the_median_handling_time_is_in_working_days(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    ids = []
    for days_ago in (2, 3, 10):  # received on Nov 21 (Sat), 20 (Fri) and 13 (Fri)
        doc = case_doc(
            received=RECEIVED, received_at=(T0 - dt.timedelta(days=days_ago)).isoformat()
        )
        batch(centre.officer, create_op(doc))
        batch(
            centre.officer, operation("transition", doc["id"], {"to": "accepted"}, base_version=1)
        )
        ids.append(doc["id"])
    for case_id in ids:
        decided = centre.admin.post(
            f"/cases/{case_id}/decision",
            json={"base_version": 2, "approve": False, "reason": "不符"},
        )
        assert decided.status_code == 200, decided.text
    [item] = centre.supervisor.get("/board/load").json()["items"]
    # Working days from receipt to the decision on Monday the 23rd: 1, 1 and 6.
    assert (item["cases"], item["median_days"]) == (3, 1.0)
    narrow = centre.supervisor.get("/board/load", params={"window": 1, "day": "2026-11-22"})
    assert narrow.json()["items"] == []


def test_the_daily_report_per_officer_and_per_department(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    a_busy_day(centre)
    answer = centre.supervisor.get("/board/report", params={"day": "2026-11-23"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["centre_code"], report["centre_name"]) == ("JX-NANHU", "南湖区行政服务中心")
    officers = {row["code"]: row for row in report["officers"]}
    assert officers["officer1"]["received"] == 4 and officers["officer1"]["completed"] == 1
    assert officers["officer2"]["received"] == 2 and officers["officer2"]["open"] == 2
    departments = {row["code"]: row for row in report["departments"]}
    assert set(departments) == {"SCJG", "WGLJ", "*"}
    assert departments["SCJG"]["name"] == "市场监督管理局"
    assert departments["SCJG"] | {} == {
        "code": "SCJG",
        "name": "市场监督管理局",
        "received": 4,
        "accepted": 1,
        "notices": 0,
        "refused": 1,
        "completed": 1,
        "open": 3,
        "due_soon": 0,
        "overdue": 1,
    }
    # A bundle of two departments' items counts under "several departments".
    assert departments["*"]["received"] == 1 and "several" in departments["*"]["name"]
    assert departments["WGLJ"]["received"] == 1
    totals = report["totals"]
    assert (totals["received"], totals["open"], totals["overdue"]) == (6, 5, 1)
    yesterday = centre.supervisor.get("/board/report", params={"day": "2026-11-22"}).json()
    assert yesterday["totals"]["received"] == 0 and yesterday["totals"]["open"] == 5


def test_trainees_progress_from_posted_results(api: Api) -> None:
    centre = api.add_centre()
    catalogue = load_catalogue(bundled_catalogue_path())
    scenarios = {s.id: s for s in bundled_scenarios()}
    notice_case = scenarios["expired-id-card"]
    perfect = perfect_handling(notice_case, catalogue)
    accepted_anyway = dataclasses.replace(perfect, outcome="accept", missing=())
    attempts = [
        ("trainee1", notice_case, accepted_anyway),
        ("trainee1", notice_case, perfect),
        (
            "trainee1",
            scenarios["karaoke-bar-deferral"],
            perfect_handling(scenarios["karaoke-bar-deferral"], catalogue),
        ),
        ("trainee2", notice_case, accepted_anyway),
    ]
    for minute, (who, scenario, handling) in enumerate(attempts):
        scored = score(scenario, handling, catalogue)
        record = training_result(
            who,
            scenario,
            handling,
            scored,
            mode="exam",
            finished_at=api.clock.now() + dt.timedelta(minutes=minute),
        )
        posted = centre.clients[who].post("/training/results", json=record.to_server_json())
        assert posted.status_code == 201, posted.text
    answer = centre.supervisor.get("/board/trainees")
    assert answer.status_code == 200, answer.text
    rows = {row["username"]: row for row in answer.json()["trainees"]}
    assert set(rows) == {"trainee1", "trainee2"}
    first = rows["trainee1"]
    assert (first["results"], first["scenarios_done"], first["scenarios_passed"]) == (3, 2, 2)
    assert first["best_score"] == 100.0 and first["last_exercise"] == "karaoke-bar-deferral"
    assert first["mistakes"][0]["code"] == "accepted_incomplete"
    assert first["mistakes"][0] == {
        "code": "accepted_incomplete",
        "category": "outcome",
        "count": 1,
    }
    second = rows["trainee2"]
    assert (second["results"], second["scenarios_passed"]) == (1, 0)
    assert second["mean_score"] < 80
    assert centre.officer.get("/board/trainees").status_code == 403


def test_the_board_is_for_supervisors(api: Api) -> None:
    centre = api.add_centre()
    for path in ("/board/load", "/board/report", "/board/trainees"):
        assert centre.officer.get(path).status_code == 403, path
        assert centre.trainee.get(path).status_code == 403, path
        assert centre.supervisor.get(path).status_code == 200, path
    refused = centre.officer.post(
        "/board/reassign",
        json={
            "idempotency_key": "k" * 10,
            "reason": "病假",
            "moves": [{"case_id": "x", "to": "officer2"}],
        },
    )
    assert refused.status_code == 403 and "officer" in refused.json()["error"]
    bad_window = centre.supervisor.get("/board/load", params={"window": 0})
    assert bad_window.status_code == 422
