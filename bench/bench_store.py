"""Figures of the offline store issue, on a real disk with fsync on.

The store holds what a busy counter holds after a year: 50,000 archived cases in monthly
partitions (their audit entries rolled into monthly audit partitions), and a working set
of 500 open cases and 2,000 outbox operations. Documents are case-like: Chinese names, ID
and phone numbers, 1-2 KB each.

- case_save_p95_ms_50k: save one case with its outbox operation and audit entry (a new
  case or an update of an open one), p95 over 1,000 saves; checkpoints happen as they
  would, so the max is reported too.
- open_queue_ms_50k: list one officer's open cases, p95 over 200 varied calls.
- store_open_ms_50k: open the store after a clean close (median of 5); also after a crash
  that left the journal just under its checkpoint size (the most the open must replay).
- checkpoint_ms_50k: writing a new snapshot generation of the working set, which the
  save that fills the journal (every few MB of changes) pays on top of its own cost.
- fsync_baseline_ms: one fsync of a small append on the same disk in the same run, to read
  the save figure against.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "store"
OFFICERS = [f"officer{n}" for n in range(8)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰"
ITEMS = [
    ("SCJG-001", "个体工商户设立登记"),
    ("SCJG-002", "食品经营许可证核发"),
    ("RSJ-010", "就业创业证申领"),
    ("GJJ-003", "住房公积金提取"),
    ("MZJ-007", "婚姻登记档案查询"),
]
STREETS = ["南湖路", "中山东路", "禾兴北路", "秀洲大道", "文昌路"]
STATES = ["received", "accepted", "accepted_deferral", "awaiting_supplement", "under_review"]
ARCHIVED = 50_000
OPEN_CASES = 500
OUTBOX_OPS = 2_000
SAVES = 1_000
QUERIES = 200


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def filesystem_of(path: Path) -> str:
    """The filesystem type holding ``path``, from /proc/mounts (the longest mount prefix)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    target, best = str(path.resolve()), ("", "unknown")
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], f"{parts[2]} ({parts[0]} on {parts[1]})")
    return best[1]


def fsync_baseline_ms(folder: Path) -> float:
    path = folder / "fsync-baseline"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    try:
        for _ in range(200):
            os.write(fd, os.urandom(3000))
            t0 = time.perf_counter()
            os.fsync(fd)
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    return statistics.median(times)


def id_number(rng: random.Random) -> str:
    body = f"3304{rng.randint(1, 99):02d}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def case_doc(rng: random.Random, received: dt.datetime) -> dict[str, Any]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    code, title = rng.choice(ITEMS)
    officer = rng.choice(OFFICERS)
    at = received.isoformat()
    return {
        "schema": "counterdesk-case/1",
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "centre": "JX-NANHU",
        "counter": f"窗口 {rng.randint(1, 12)}",
        "target": {"kind": "item", "code": code, "name": title},
        "applicant": {
            "type": "natural",
            "name": name,
            "id_kind": "resident_id",
            "id_number": id_number(rng),
            "phone": f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
            "address": f"浙江省嘉兴市南湖区{rng.choice(STREETS)}{rng.randint(1, 999)}号",
        },
        "fields": {
            "business_name": f"嘉兴市{name}便利店",
            "business_scope": "日用百货、预包装食品零售" * rng.randint(1, 3),
            "capital": rng.randint(1, 50) * 10_000,
        },
        "received": {
            m: {"original": 1, "copies": rng.randint(0, 2)}
            for m in rng.sample(["id_card", "lease", "form", "licence", "photo", "proxy"], 4)
        },
        "numbers": {"official": f"JX2026-{rng.randint(1, 999_999):06d}", "provisional": None},
        "state": rng.choice(STATES),
        "assignee": officer,
        "received_by": officer,
        "received_at": at,
        "version": rng.randint(1, 6),
        "timeline": [
            {"state_from": None, "state_to": "received", "by": officer, "at": at, "reason": ""}
        ]
        * rng.randint(1, 4),
        "notes": "申请人已现场核验身份证原件，材料齐全。" * rng.randint(1, 6),
    }


def operation(doc: dict[str, Any], kind: str, payload: dict[str, Any], at: str) -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "kind": kind,
        "case_id": doc["id"],
        "officer": doc["assignee"],
        "device_time": at,
        "base_version": doc["version"] - 1 if kind == "create" else doc["version"],
        "payload": payload,
    }


def _save(store: Any, doc: dict[str, Any], kind: str, at: str, rng: random.Random) -> None:
    if kind == "create":
        payload = doc
    else:
        payload = {"fields": doc["fields"], "received": doc["received"]}
        doc["version"] += 1
        doc["fields"]["capital"] = rng.randint(1, 50) * 10_000
    entry = {"actor": doc["assignee"], "action": f"case.{kind}", "case_id": doc["id"]}
    store.save_batch(
        cases=[doc], operations=[operation(doc, kind, payload, at)], audit_entries=[entry]
    )


def build_archive(store: Any, clock: Clock, rng: random.Random) -> None:
    """50,000 cases received, synced, closed and archived over twelve months."""
    per_month = ARCHIVED // 12
    for month in range(12):
        year, mon = (2025, 12) if month == 0 else (2026, month)
        clock.now = dt.datetime(year, mon, 15, 9, tzinfo=dt.UTC)
        count = per_month + (ARCHIVED - per_month * 12 if month == 11 else 0)
        ids: list[str] = []
        for start in range(0, count, 500):
            docs = [case_doc(rng, clock.now) for _ in range(min(500, count - start))]
            ops = [operation(d, "create", {}, clock.now.isoformat()) for d in docs]
            entries = [
                {"actor": d["assignee"], "action": "case.create", "case_id": d["id"]} for d in docs
            ]
            store.save_batch(cases=docs, operations=ops, audit_entries=entries)
            store.outbox_ack([op["idempotency_key"] for op in ops])
            ids += [d["id"] for d in docs]
        store.archive(ids, archived_on=clock.now.date())
        store.checkpoint()


def run() -> dict[str, object]:
    from offline import Store

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    folder = WORK / "store"
    key = os.urandom(32)
    rng = random.Random(2026)
    clock = Clock(dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    figures: dict[str, object] = {
        "store_fsync": "on",
        "store_disk": filesystem_of(WORK),
        "store_cipher": "AES-256-GCM",
    }
    baseline = fsync_baseline_ms(WORK)
    figures["fsync_baseline_ms"] = round(baseline, 3)

    store = Store.open(folder, key, now=clock)
    t0 = time.perf_counter()
    build_archive(store, clock, rng)
    clock.now = dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)
    at = clock.now.isoformat()
    open_docs = [case_doc(rng, clock.now) for _ in range(OPEN_CASES)]
    for doc in open_docs:
        _save(store, doc, "create", at, rng)
    for _ in range(OUTBOX_OPS - OPEN_CASES):
        _save(store, rng.choice(open_docs), "update", at, rng)
    store.close()
    figures["store_build_s"] = round(time.perf_counter() - t0, 1)

    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        store = Store.open(folder, key, now=clock)
        opens.append((time.perf_counter() - t0) * 1000)
        stats = store.stats()
        store.close(checkpoint=False)
    figures["store_open_ms_50k"] = round(statistics.median(opens), 3)
    assert stats["open_cases"] == OPEN_CASES and stats["outbox_pending"] == OUTBOX_OPS, stats

    store = Store.open(folder, key, now=clock)
    queries = []
    for n in range(QUERIES):
        officer = OFFICERS[n % len(OFFICERS)]
        t0 = time.perf_counter()
        mine = store.list_queue(assignee=officer)
        queries.append((time.perf_counter() - t0) * 1000)
        assert mine and all(d["assignee"] == officer for d in mine)
    figures["open_queue_ms_50k"] = round(p95(queries), 3)
    figures["open_queue_cases_per_officer"] = round(OPEN_CASES / len(OFFICERS))

    saves = []
    generation = store.stats()["generation"]
    for n in range(SAVES):
        if n % 10 < 3:
            doc, kind = case_doc(rng, clock.now), "create"
            open_docs.append(doc)
        else:
            doc, kind = rng.choice(open_docs), "update"
        t0 = time.perf_counter()
        _save(store, doc, kind, at, rng)
        saves.append((time.perf_counter() - t0) * 1000)
    figures["case_save_p95_ms_50k"] = round(p95(saves), 3)
    figures["case_save_p50_ms_50k"] = round(statistics.median(saves), 3)
    figures["case_save_max_ms_50k"] = round(max(saves), 3)
    figures["case_save_checkpoints"] = store.stats()["generation"] - generation
    figures["case_save_p95_over_fsync"] = round(p95(saves) / baseline, 1)

    # A checkpoint (a new snapshot generation): what the save that triggers one also pays.
    t0 = time.perf_counter()
    store.checkpoint()
    figures["checkpoint_ms_50k"] = round((time.perf_counter() - t0) * 1000, 3)
    snapshot = max(folder.glob("working-*.snap")).stat().st_size
    figures["store_snapshot_mb"] = round(snapshot / 1e6, 2)

    # A crash with the journal as full as it gets before a checkpoint: the most to replay.
    journal = max(folder.glob("working-*.wal"))
    limit = max(4 << 20, snapshot // 2)
    while journal.stat().st_size < limit - 8_000:
        _save(store, rng.choice(open_docs), "update", at, rng)
    store.close(checkpoint=False)
    t0 = time.perf_counter()
    store = Store.open(folder, key, now=clock)
    figures["store_open_ms_50k_after_crash"] = round((time.perf_counter() - t0) * 1000, 3)
    figures["store_journal_replayed_mb"] = round(journal.stat().st_size / 1e6, 2)
    store.close()

    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    figures["store_files_mb"] = round(size / 1e6, 1)
    figures["store_archived_cases"] = ARCHIVED
    figures["store_working_set"] = f"{OPEN_CASES} open cases, {OUTBOX_OPS} outbox operations"
    shutil.rmtree(WORK, ignore_errors=True)  # about 100 MB of test data
    return figures


if __name__ == "__main__":
    print(run())
