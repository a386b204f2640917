"""The two ways a batch runs (fast, and careful after a unique-constraint race) give the
same answers, and a request racing another with the same key gets the first result."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import text

from counterdesk.domain.cases import Operation, Role
from counterdesk_server.services import centres, users
from counterdesk_server.services.case_batch import Batch
from counterdesk_server.services.case_ops import apply_operations
from counterdesk_server.services.roles import Principal
from tests.server.harness import Api, case_doc, create_op, operation

WAIT_S = 20.0


def officer_of(api: Api, code: str) -> Principal:
    with api.ctx.db.reading() as session:
        centre = centres.centre_by_code(session, code)
        user = users.user_by_name(session, centre.id, "officer1")
    return Principal(user.id, centre.id, code, "officer1", Role.OFFICER)


def mixed_batch() -> list[Operation]:
    first, second = case_doc("case-1"), case_doc("case-2")
    ops = [
        create_op(first, key="key-create-1"),
        create_op(second, key="key-create-2"),
        operation(
            "update_fields",
            "case-1",
            {"changes": {"sharing": False}},
            base_version=1,
            key="key-update-1",
        ),
        operation(
            "update_fields",
            "case-1",
            {"changes": {"sharing": True}},
            base_version=1,
            key="key-stale-1",
        ),
        create_op(case_doc("case-3", applicant={"type": "robot"}), key="key-bad-3"),
        operation("transition", "case-2", {"to": "accepted"}, base_version=1, key="key-accept-2"),
        create_op(first, key="key-create-1"),  # the same key again, in the same batch
        operation(
            "update_fields",
            "missing",
            {"changes": {"sharing": True}},
            base_version=1,
            key="key-missing",
        ),
    ]
    return [Operation.model_validate(op) for op in ops]


def summary(outcomes: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            o.case_id,
            o.status,
            o.replayed,
            (o.case or {}).get("version"),
            (o.case or {}).get("state"),
        )
        for o in outcomes
    ]


def test_fast_and_careful_batches_answer_alike(api: Api) -> None:
    api.add_centre("FAST")
    api.add_centre("CAREFUL")
    answers = {}
    for code, careful in (("FAST", False), ("CAREFUL", True)):
        actor = officer_of(api, code)
        with api.ctx.db.writing() as session:
            answers[code] = summary(
                Batch(api.ctx, session, actor, False, False, careful).run(mixed_batch())
            )
    assert answers["FAST"] == answers["CAREFUL"]
    assert [status for _, status, *_ in answers["FAST"]] == [201, 201, 200, 409, 422, 200, 201, 404]
    for code in ("FAST", "CAREFUL"):
        client = api.client(api.login(code, "supervisor1")["access_token"])
        feed = client.get("/changes").json()["changes"]
        assert sorted((e["case"]["id"], e["case"]["version"]) for e in feed) == [
            ("case-1", 2),
            ("case-2", 2),
        ]
        events = client.get("/audit", params={"action": "case.update_fields"}).json()["events"]
        assert len(events) == 1


def _someone_waits_for_a_lock(api: Api) -> bool:
    with api.ctx.db.reading() as session:
        return bool(
            session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )


def test_a_request_racing_one_with_the_same_key_gets_its_result(api: Api) -> None:
    api.add_centre()
    actor = officer_of(api, "JX-NANHU")
    op = Operation.model_validate(create_op(case_doc("raced"), key="raced-key-1"))
    session_a = api.ctx.db.session(write=True)
    session_a.begin()
    first = Batch(api.ctx, session_a, actor, False, False, False).run([op])[0]
    result: dict[str, Any] = {}
    started = threading.Event()

    def second_request() -> None:
        started.set()
        result["outcome"] = apply_operations(api.ctx, actor, [op], training=False)[0]

    thread = threading.Thread(target=second_request)
    thread.start()
    assert started.wait(WAIT_S)
    if api.backend == "postgresql":  # the second request waits behind the first
        deadline = time.monotonic() + WAIT_S
        while not _someone_waits_for_a_lock(api):
            assert time.monotonic() < deadline
            time.sleep(0.01)  # wait-ok: polling a condition, bounded by the deadline
    session_a.commit()
    session_a.close()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    second = result["outcome"]
    assert (first.status, first.replayed) == (201, False)
    assert (second.status, second.replayed) == (201, True)
    assert second.case == first.case
