"""Training results: recorded idempotently, seen by their owner and by supervisors."""

from __future__ import annotations

from tests.server.harness import Api


def result(key: str, score: float = 8, **extra) -> dict:
    return {
        "idempotency_key": key,
        "exercise": "新生儿出生一件事",
        "score": score,
        "max_score": 10,
        "passed": score >= 6,
        "details": {"missed": ["户口簿"]},
        "device_time": "2026-11-23T10:15:00+08:00",
        **extra,
    }


def test_a_result_is_recorded_once_per_key(api: Api) -> None:
    centre = api.add_centre()
    first = centre.trainee.post("/training/results", json=result("attempt-0001"))
    assert first.status_code == 201, first.text
    again = centre.trainee.post("/training/results", json=result("attempt-0001"))
    assert again.json() == first.json()
    body = first.json()
    assert (body["username"], body["score"], body["details"]) == (
        "trainee1",
        8,
        {"missed": ["户口簿"]},
    )
    assert len(centre.supervisor.get("/training/results").json()["results"]) == 1
    reused = centre.trainee.post(
        "/training/results", json=result("attempt-0001", exercise="另一个练习")
    )
    assert reused.status_code == 422


def test_results_are_private_to_their_owner_and_open_to_supervisors(api: Api) -> None:
    centre = api.add_centre()
    centre.trainee.post("/training/results", json=result("attempt-0001", 9))
    centre.clients["trainee2"].post("/training/results", json=result("attempt-0002", 4))
    own = centre.trainee.get("/training/results").json()["results"]
    assert [r["username"] for r in own] == ["trainee1"]
    snooping = centre.trainee.get("/training/results", params={"username": "trainee2"}).json()
    assert [r["username"] for r in snooping["results"]] == ["trainee1"]
    everyone = centre.supervisor.get("/training/results").json()["results"]
    assert sorted(r["username"] for r in everyone) == ["trainee1", "trainee2"]
    one = centre.admin.get("/training/results", params={"username": "trainee2"}).json()["results"]
    assert [(r["username"], r["passed"]) for r in one] == [("trainee2", False)]


def test_bad_results_are_refused(api: Api) -> None:
    centre = api.add_centre()
    for bad in (
        result("attempt-0001", 11),
        result("attempt-0002", -1),
        result("short"),
        {**result("attempt-0003"), "device_time": "2026-11-23T10:15:00"},
        {**result("attempt-0004"), "extra": 1},
    ):
        answer = centre.trainee.post("/training/results", json=bad)
        assert answer.status_code == 422, bad
        assert answer.json()["error"]
    assert centre.admin.post("/training/results", json=result("attempt-0005")).status_code == 403


def test_the_counter_scorers_record_is_taken_as_it_is_sent(api: Api) -> None:
    """The training core's ``to_server_json`` is the body counters send."""
    from counterdesk.domain.training import TrainingResult

    centre = api.add_centre()
    record = TrainingResult(
        trainee="trainee1",
        scenario_id="ktv-bundle-1",
        scenario_title="KTV 开业一件事",
        level="basic",
        mode="exam",
        points=85,
        max_points=100,
        passed=True,
        mistakes=(),
        seconds=312.5,
        keys=140,
        finished_at=api.clock.now(),
        target="WGLJ-001",
        outcome="accept",
    )
    answer = centre.trainee.post("/training/results", json=record.to_server_json())
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert (stored["exercise"], stored["score"], stored["max_score"]) == ("ktv-bundle-1", 85, 100)
    assert stored["details"]["mode"] == "exam"
