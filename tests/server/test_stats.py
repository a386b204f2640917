"""Statistics per officer and per day, and each officer's open cases on the clock."""

from __future__ import annotations

import datetime as dt

from tests.server.harness import MINI_CATALOGUE, T0, Api, batch, case_doc, create_op, operation


def test_daily_figures_per_officer_and_open_cases_now(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 200
    received = {"id_card": {"original": 1, "copies": 1}}
    docs = [case_doc(received=received) for _ in range(3)]
    batch(centre.officer, *[create_op(d) for d in docs])
    yesterday = T0 - dt.timedelta(days=1)
    other = case_doc()
    batch(centre.officer2, create_op(other, officer="officer2", at=yesterday))
    batch(
        centre.officer,
        operation("transition", docs[0]["id"], {"to": "accepted"}, base_version=1),
        operation(
            "transition", docs[1]["id"], {"to": "refused", "reason": "不属于本机关"}, base_version=1
        ),
    )
    batch(
        centre.officer2,
        operation(
            "transition",
            other["id"],
            {"to": "withdrawn", "reason": "申请人撤回"},
            officer="officer2",
            base_version=1,
        ),
    )
    stats = centre.supervisor.get(
        "/stats/officers", params={"from": "2026-11-22", "to": "2026-11-23"}
    ).json()
    rows = {(d["day"], d["officer"]): d for d in stats["days"]}
    assert rows[("2026-11-23", "officer1")] | {} == {
        "day": "2026-11-23",
        "officer": "officer1",
        "received": 3,
        "accepted": 1,
        "notices": 0,
        "refused": 1,
        "delivered": 0,
        "withdrawn": 0,
    }
    assert rows[("2026-11-22", "officer2")]["received"] == 1
    assert rows[("2026-11-23", "officer2")]["withdrawn"] == 1
    # Open now: officer1 holds the accepted case (due tomorrow: warning) and one received.
    assert stats["open_now"] == [{"officer": "officer1", "open": 2, "warning": 1, "overdue": 0}]
    api.clock.advance(days=2)
    supervisor = api.client(api.login(centre.code, "supervisor1")["access_token"])
    later = supervisor.get("/stats/officers").json()
    assert later["open_now"] == [{"officer": "officer1", "open": 2, "warning": 0, "overdue": 1}]
    assert later["days"] == []  # nothing happened on the 25th


def test_statistics_are_for_supervisors_and_bounded(api: Api) -> None:
    centre = api.add_centre()
    assert centre.officer.get("/stats/officers").status_code == 403
    backwards = centre.supervisor.get(
        "/stats/officers", params={"from": "2026-11-23", "to": "2026-11-01"}
    )
    assert backwards.status_code == 422
    too_long = centre.supervisor.get(
        "/stats/officers", params={"from": "2020-01-01", "to": "2026-11-01"}
    )
    assert too_long.status_code == 422
