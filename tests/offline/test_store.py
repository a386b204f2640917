"""The store's API on the working set: batches, queues, drafts, settings, restarts, threads."""

from __future__ import annotations

import random
import threading

import pytest

from offline import SM4_GCM, Store, StoreClosed, StoreError, StoreKeyError
from tests.offline.sample import audit_entry, case_doc, operation


def save_case(store: Store, doc: dict, *, officer: str = "officer1", version: int = 0) -> None:
    store.save_batch(
        cases=[doc],
        operations=[operation(doc["id"], officer=officer, base_version=version)],
        audit_entries=[audit_entry(doc["id"], actor=officer)],
    )


def test_a_batch_saves_case_operation_and_audit_entry_together(open_store) -> None:
    store = open_store()
    doc = case_doc("case-1", random.Random(1))
    op = operation("case-1")
    receipt = store.save_batch(cases=[doc], operations=[op], audit_entries=[audit_entry("case-1")])
    assert store.get("case-1") == doc
    assert [row["op"] for row in store.outbox_peek()] == [op]
    assert [e["case_id"] for e in store.audit_entries()] == ["case-1"]
    assert receipt.outbox_seqs == (1,) and receipt.audit_seqs == (1,)


def test_everything_survives_a_restart(open_store, folder, key) -> None:
    store = open_store()
    docs = [case_doc(f"case-{n}", random.Random(n)) for n in range(20)]
    for doc in docs:
        save_case(store, doc)
    store.set_setting("queue.sort", {"by": "received_at", "descending": True})
    store.close(checkpoint=False)  # as after a crash: the journal alone has it
    again = open_store()
    assert again.list_queue() == docs
    assert len(again.outbox_peek(1000)) == 20
    assert again.setting("queue.sort") == {"by": "received_at", "descending": True}
    assert again.audit_verify() == 20


def test_the_queue_is_listed_by_indexed_fields(open_store) -> None:
    store = open_store()
    rng = random.Random(5)
    for n in range(30):
        save_case(store, case_doc(f"c{n}", rng, assignee=f"officer{n % 3}", state="received"))
    moved = {**store.get("c3"), "state": "accepted"}
    store.save_batch(cases=[moved], operations=[operation("c3", base_version=1, kind="update")])
    mine = store.list_queue(assignee="officer0")
    assert [d["id"] for d in mine] == [f"c{n}" for n in range(0, 30, 3) if n != 3] + ["c3"]
    assert [d["id"] for d in store.list_queue()][-1] == "c3", "listed in order of last save"
    assert [d["id"] for d in store.list_queue(assignee="officer0", state="accepted")] == ["c3"]
    assert store.list_queue(assignee="nobody") == []
    wide = store.list_queue(where=lambda d: d["fields"]["employees"] > 5)
    assert wide and all(d["fields"]["employees"] > 5 for d in wide)
    with pytest.raises(ValueError, match="not indexed"):
        store.list_queue(centre="JX-NANHU")
    # Read in place, in the same order, what a listing would copy.
    read = store.read_queue(lambda d: (d["id"], d["state"]), assignee="officer0")
    assert read == [(d["id"], d["state"]) for d in mine]
    assert store.read_queue(lambda d: d["id"], state="accepted") == ["c3"]


def test_returned_documents_are_copies(open_store) -> None:
    store = open_store()
    save_case(store, case_doc("c1", random.Random(1)))
    store.get("c1")["applicant"]["name"] = "changed"
    store.list_queue()[0]["state"] = "changed"
    assert store.get("c1")["applicant"]["name"] != "changed"
    assert store.get("c1")["state"] == "received"


def test_drafts_become_cases_in_one_batch(open_store) -> None:
    store = open_store()
    draft = case_doc("d1", random.Random(1), state="draft")
    store.save_batch(drafts=[draft])
    assert store.list_drafts(assignee="officer1") == [draft]
    assert store.list_queue() == []
    case = {**draft, "state": "received"}
    store.save_batch(
        cases=[case],
        discard_drafts=["d1"],
        operations=[operation("d1")],
        audit_entries=[audit_entry("d1", "case.create")],
    )
    assert store.get_draft("d1") is None
    assert store.list_queue() == [case]


def test_opening_a_case_is_audited(open_store) -> None:
    store = open_store()
    save_case(store, case_doc("c1", random.Random(1)))
    store.get("c1", opened_by="officer2")
    store.get("missing", opened_by="officer2")
    entries = store.audit_entries()
    assert [(e["actor"], e["action"], e["case_id"]) for e in entries] == [
        ("officer1", "case.save", "c1"),
        ("officer2", "case.open", "c1"),
    ]


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        ({}, "nothing to save"),
        ({"cases": [{"name": "no id"}]}, "text id"),
        ({"cases": [{"id": "a"}, {"id": "a"}]}, "twice"),
        ({"operations": [{"idempotency_key": "k"}]}, "case_id"),
        ({"audit_entries": [{"action": "x"}]}, "actor"),
        ({"audit_entries": [{"actor": "a", "action": "x", "hash": "0"}]}, "may not set"),
        ({"cases": [{"id": "a", "when": {1, 2}}]}, "JSON"),
    ],
)
def test_bad_batches_are_refused_and_change_nothing(open_store, batch, message) -> None:
    store = open_store()
    with pytest.raises(ValueError, match=message):
        store.save_batch(**batch)
    assert store.list_queue() == [] and store.outbox_peek() == [] and store.audit_entries() == []


def test_a_wrong_key_is_refused_before_anything_is_read(open_store, folder) -> None:
    store = open_store()
    save_case(store, case_doc("c1", random.Random(1)))
    store.close()
    with pytest.raises(StoreKeyError, match="does not open the local store"):
        Store.open(folder, bytes(32))
    assert not (folder / "damaged").exists(), "a wrong key must never look like damage"


def test_sm4_gcm_store_round_trips(open_store, tmp_path, key) -> None:
    where = tmp_path / "sm4"
    store = open_store(where, cipher=SM4_GCM)
    doc = case_doc("c1", random.Random(1))
    save_case(store, doc)
    store.close()
    again = open_store(where)
    assert again.cipher == SM4_GCM
    assert again.get("c1") == doc


def test_threads_share_one_store_safely(open_store) -> None:
    store = open_store()
    errors: list[BaseException] = []

    def worker(t: int) -> None:
        try:
            rng = random.Random(t)
            for n in range(25):
                save_case(store, case_doc(f"t{t}-{n}", rng), officer=f"officer{t}")
                store.list_queue(assignee=f"officer{t}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(store.list_queue()) == 150
    assert store.audit_verify() == 150
    for t in range(6):
        keys = [row["op"]["case_id"] for row in store.outbox_peek(1000)]
        mine = [k for k in keys if k.startswith(f"t{t}-")]
        assert mine == [f"t{t}-{n}" for n in range(25)], "each thread's order is kept"


def test_a_closed_store_refuses_work(open_store) -> None:
    store = open_store()
    store.close()
    with pytest.raises(StoreClosed):
        store.get("c1")


def test_data_files_without_a_header_are_not_overwritten(open_store, folder, key) -> None:
    open_store().close()
    (folder / "store.json").unlink()
    (folder / "store.json.bak").unlink()
    with pytest.raises(StoreError, match="no store.json"):
        Store.open(folder, key)
