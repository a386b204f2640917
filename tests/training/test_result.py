"""The training result: the counter's own record, and the body the server's
``POST /training/results`` accepts (checked against the server's schema itself)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from counterdesk.domain.clock import CHINA_TZ
from counterdesk.domain.training import perfect_handling, score, training_result

FINISHED = dt.datetime(2026, 11, 23, 9, 41, 5, tzinfo=CHINA_TZ)


@pytest.fixture
def result(scenarios, catalogue):
    scenario = scenarios["expired-id-card"]
    handling = dataclasses.replace(
        perfect_handling(scenario, catalogue),
        outcome="accept",
        missing=(),
        printed=("receipt",),
        seconds=184.5,
        keys=63,
    )
    return training_result(
        "trainee01",
        scenario,
        handling,
        score(scenario, handling, catalogue),
        mode="exam",
        finished_at=FINISHED,
    )


def test_the_counters_record(result) -> None:
    doc = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert doc["format"] == "counterdesk-training-result/1"
    assert {
        k: doc[k]
        for k in (
            "trainee",
            "scenario_id",
            "mode",
            "score",
            "max_score",
            "passed",
            "seconds",
            "keys",
        )
    } == {
        "trainee": "trainee01",
        "scenario_id": "expired-id-card",
        "mode": "exam",
        "score": 60,
        "max_score": 100,
        "passed": False,
        "seconds": 184.5,
        "keys": 63,
    }
    assert doc["finished_at"] == "2026-11-23T09:41:05+08:00"
    assert (doc["target"], doc["outcome"]) == ("RSJ-SK-001", "accept")
    [mistake] = doc["mistakes"]
    assert (
        mistake["code"] == "accepted_incomplete" and mistake["points"] == 40 and mistake["serious"]
    )
    assert (
        mistake["rule_zh"] and mistake["rule_en"] and mistake["detail_zh"] and mistake["detail_en"]
    )


def test_the_server_accepts_the_body(result) -> None:
    schemas = pytest.importorskip("counterdesk_server.schemas.training")
    body = json.loads(json.dumps(result.to_server_json(), ensure_ascii=False))
    accepted = schemas.TrainingResultIn.model_validate(body)
    assert accepted.exercise == "expired-id-card"
    assert (accepted.score, accepted.max_score, accepted.passed) == (60, 100, False)
    assert accepted.device_time == FINISHED
    assert accepted.details["mode"] == "exam" and accepted.details["keys"] == 63
    assert accepted.details["mistakes"][0]["code"] == "accepted_incomplete"


def test_each_result_has_its_own_idempotency_key(result, scenarios, catalogue) -> None:
    scenario = scenarios["expired-id-card"]
    handling = perfect_handling(scenario, catalogue)
    other = training_result(
        "trainee01",
        scenario,
        handling,
        score(scenario, handling, catalogue),
        mode="guided",
        finished_at=FINISHED,
    )
    assert 8 <= len(other.idempotency_key) <= 128
    assert other.idempotency_key != result.idempotency_key
    assert other.to_server_json()["passed"] is True


def test_a_naive_time_and_an_unknown_mode_are_refused(result) -> None:
    with pytest.raises(ValueError, match="time zone"):
        dataclasses.replace(result, finished_at=FINISHED.replace(tzinfo=None))
    with pytest.raises(ValueError, match="guided or exam"):
        dataclasses.replace(result, mode="practice")
