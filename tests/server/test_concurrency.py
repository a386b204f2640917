"""Twenty counters at once on a real server: leasing numbers and creating cases, some
sending the very same operations (same idempotency keys) at the same moment, while a
supervisor's board polls the feed. No number is given twice, no case is duplicated or
lost, and the poller, following its cursor, misses nothing."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from tests.server.harness import Api, case_doc, create_op

CLIENTS = 20
PER_CLIENT = 5
TIMEOUT_S = 120.0


def test_twenty_clients_lease_and_create_at_once(api: Api) -> None:
    centre = api.add_centre()
    users = ["officer1", "officer2"]
    tokens = {u: centre.tokens[u]["access_token"] for u in users}
    start = threading.Barrier(CLIENTS + 1, timeout=TIMEOUT_S)
    done = threading.Event()
    # Clients i and i + 10 send one shared batch each: the same keys, at the same time.
    shared = [
        [create_op(case_doc(), officer="officer1") for _ in range(PER_CLIENT)]
        for _ in range(CLIENTS // 2)
    ]
    leases: dict[int, list[str]] = {}
    own_results: dict[int, list[dict[str, Any]]] = {}
    shared_results: dict[int, list[dict[str, Any]]] = {}
    errors: list[BaseException] = []

    def counter(index: int) -> None:
        try:
            user = users[index % 2]
            client = api.client(tokens[user])
            start.wait()
            lease = client.post("/leases", json={"count": PER_CLIENT, "device": f"pc-{index}"})
            assert lease.status_code == 201, lease.text
            numbers = lease.json()["numbers"]
            leases[index] = numbers
            ops = [
                create_op(case_doc(numbers={"official": number}), officer=user)
                for number in numbers
            ]
            answer = client.post("/cases/batch", json={"operations": ops})
            assert answer.status_code == 200, answer.text
            own_results[index] = answer.json()["results"]
            same = api.client(tokens["officer1"])
            answer = same.post("/cases/batch", json={"operations": shared[index % (CLIENTS // 2)]})
            assert answer.status_code == 200, answer.text
            shared_results[index] = answer.json()["results"]
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    seen: dict[str, int] = {}

    def board() -> None:
        try:
            client = api.client(centre.tokens["supervisor1"]["access_token"])
            start.wait()
            cursor = 0
            while True:
                finished = done.is_set()  # read before polling: the last poll sees all
                page = client.get("/changes", params={"since": cursor, "limit": 50}).json()
                for entry in page["changes"]:
                    seen[entry["case"]["id"]] = entry["case"]["version"]
                cursor = page["next"]
                if finished and not page["more"]:
                    return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(CLIENTS)]
    poller = threading.Thread(target=board)
    for thread in [*threads, poller]:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    done.set()
    poller.join(TIMEOUT_S)
    assert not any(t.is_alive() for t in [*threads, poller]), "a client did not finish in time"
    assert errors == []

    numbers = [n for block in leases.values() for n in block]
    assert len(numbers) == CLIENTS * PER_CLIENT
    assert len(set(numbers)) == len(numbers), "a number was leased twice"
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, len(numbers) + 1))

    own = [r for results in own_results.values() for r in results]
    assert [r["status"] for r in own] == [201] * len(own)
    for index in range(CLIENTS // 2):
        first, second = shared_results[index], shared_results[index + CLIENTS // 2]
        for a, b in zip(first, second, strict=True):
            assert (a["status"], b["status"]) == (201, 201)
            assert a["case"] == b["case"], "a repeated key must return the first result"
            assert sorted([a["replayed"], b["replayed"]]) == [False, True]

    listed: list[dict[str, Any]] = []
    cursor = 0
    while cursor is not None:
        page = centre.supervisor.get("/cases", params={"after": cursor, "limit": 500}).json()
        listed += [c["case"] for c in page["cases"]]
        cursor = page["next"]
    expected = {r["case_id"] for r in own} | {op["case_id"] for batch in shared for op in batch}
    ids = [c["id"] for c in listed]
    assert Counter(ids).most_common(1)[0][1] == 1, "a case was duplicated"
    assert set(ids) == expected, "a case was lost"
    official = [c["numbers"]["official"] for c in listed if c["numbers"]["official"]]
    assert sorted(official) == sorted(numbers)
    assert set(seen) == expected, "the feed skipped a case"
