"""The change feed: each changed case once, in commit order, only what the caller may see,
and no change skipped when writers commit out of order."""

from __future__ import annotations

import datetime as dt
import threading
import time

from sqlalchemy import insert, text

from counterdesk_server.db.models import CaseRecord
from counterdesk_server.services import centres, feed
from tests.server.harness import Api, batch, case_doc, create_case, create_op, operation

WAIT_S = 20.0


def poll_all(client, path: str = "/changes", since: int = 0, limit: int = 100) -> tuple[list, int]:
    entries, cursor = [], since
    while True:
        page = client.get(path, params={"since": cursor, "limit": limit})
        assert page.status_code == 200, page.text
        body = page.json()
        entries += body["changes"]
        cursor = body["next"]
        if not body["more"]:
            return entries, cursor


def test_the_feed_lists_each_case_once_at_its_latest_change(api: Api) -> None:
    centre = api.add_centre()
    ids = [create_case(centre.officer)["id"] for _ in range(5)]
    first, cursor = poll_all(centre.officer)
    assert [e["case"]["id"] for e in first] == ids
    seqs = [e["seq"] for e in first]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    update = operation("update_fields", ids[1], {"changes": {"sharing": False}}, base_version=1)
    batch(centre.officer2, {**update, "officer": "officer2"})
    later, cursor2 = poll_all(centre.supervisor, since=cursor)
    assert [(e["case"]["id"], e["case"]["version"]) for e in later] == [(ids[1], 2)]
    assert cursor2 > cursor
    everything, _ = poll_all(centre.officer)
    assert [e["case"]["id"] for e in everything] == [*ids[:1], *ids[2:], ids[1]]
    nothing, same = poll_all(centre.officer, since=cursor2)
    assert nothing == [] and same == cursor2


def test_pages_follow_the_cursor(api: Api) -> None:
    centre = api.add_centre()
    ids = [c["case_id"] for c in batch(centre.officer, *[create_op(case_doc()) for _ in range(7)])]
    page = centre.officer.get("/changes", params={"since": 0, "limit": 3}).json()
    assert page["more"] is True
    assert [e["case"]["id"] for e in page["changes"]] == ids[:3]
    rest, _ = poll_all(centre.officer, since=page["next"], limit=3)
    assert [e["case"]["id"] for e in rest] == ids[3:]


def test_the_feed_refuses_bad_cursors(api: Api) -> None:
    centre = api.add_centre()
    for params in ({"since": -1}, {"since": "x"}, {"limit": 0}, {"limit": 100000}):
        answer = centre.officer.get("/changes", params=params)
        assert answer.status_code == 422, params
        assert answer.json()["error"].startswith("invalid request")


def test_training_changes_are_apart_and_a_trainee_sees_only_their_own(api: Api) -> None:
    centre = api.add_centre()
    live = create_case(centre.officer)
    mine = batch(
        centre.trainee, create_op(case_doc(training=True), officer="trainee1"), training=True
    )[0]["case"]
    theirs = batch(
        centre.clients["trainee2"],
        create_op(case_doc(training=True), officer="trainee2"),
        training=True,
    )[0]["case"]
    live_feed, _ = poll_all(centre.officer)
    assert [e["case"]["id"] for e in live_feed] == [live["id"]]
    own, _ = poll_all(centre.trainee, "/training/changes")
    assert [e["case"]["id"] for e in own] == [mine["id"]]
    coach, _ = poll_all(centre.supervisor, "/training/changes")
    assert [e["case"]["id"] for e in coach] == [mine["id"], theirs["id"]]
    # Nor can a trainee change a fellow trainee's practice case.
    touch = operation(
        "update_fields",
        theirs["id"],
        {"changes": {"sharing": False}},
        officer="trainee1",
        base_version=1,
    )
    assert batch(centre.trainee, touch, training=True)[0]["status"] == 404
    assert centre.trainee.get(f"/training/cases/{theirs['id']}").status_code == 404
    assert centre.trainee.get(f"/training/cases/{mine['id']}").status_code == 200


def _insert_case(session, centre_id: int, case_id: str, now: dt.datetime) -> int:
    values = {
        "centre_id": centre_id,
        "case_id": case_id,
        "training": False,
        "state": "received",
        "assignee": "officer1",
        "received_by": "officer1",
        "official_number": None,
        "version": 1,
        "feed_seq": 0,
        "document": "{}",
        "created_at": now,
        "updated_at": now,
    }
    return session.execute(
        insert(CaseRecord).values(**values).returning(CaseRecord.id)
    ).scalar_one()


def _waiting_for_a_lock(api: Api) -> bool:
    with api.ctx.db.reading() as session:
        waiting = session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar_one()
    return bool(waiting)


def test_a_reader_never_skips_a_change_committed_out_of_order(api: Api) -> None:
    """Writer A takes its feed position first and commits last; writer B comes second.

    With a bare sequence B could commit position 2 while 1 is still open, a reader would
    move its cursor past 1, and A's change would be lost to it. Here B must wait for A.
    """
    api.add_centre()
    now = api.clock.now()
    db = api.ctx.db
    with db.reading() as session:
        centre_id = centres.centre_by_code(session, "JX-NANHU").id
    session_a = db.session(write=True)
    session_a.begin()
    pk_a = _insert_case(session_a, centre_id, "case-a", now)
    position_a = feed.assign_positions(session_a, centre_id, [pk_a])

    b_started = threading.Event()
    b_result: dict[str, int] = {}

    def writer_b() -> None:
        b_started.set()
        with db.writing() as session_b:
            pk_b = _insert_case(session_b, centre_id, "case-b", now)
            b_result["position"] = feed.assign_positions(session_b, centre_id, [pk_b])

    thread = threading.Thread(target=writer_b)
    thread.start()
    assert b_started.wait(WAIT_S)
    if api.backend == "postgresql":
        deadline = time.monotonic() + WAIT_S
        while not _waiting_for_a_lock(api):  # B is blocked behind A's counter row lock
            assert time.monotonic() < deadline, "writer B never waited for writer A"
            time.sleep(0.01)  # wait-ok: polling a condition, bounded by the deadline
    with db.reading() as reader:
        early = feed.read_page(reader, centre_id, training=False, since=0, limit=10)
    assert early.entries == [] and early.next_cursor == 0  # B cannot have overtaken A

    session_a.commit()
    session_a.close()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    assert b_result["position"] == position_a + 1
    with db.reading() as reader:
        late = feed.read_page(reader, centre_id, training=False, since=early.next_cursor, limit=10)
    assert [seq for seq, _ in late.entries] == [position_a, position_a + 1]
