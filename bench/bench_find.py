"""Figures of finding a case (Ctrl+F), on a real store with fsync on.

The store holds 10,000 cases on this counter (a busy counter's year, not yet archived):
varied applicants (Chinese names, ID and phone numbers), items and official numbers.

- find_load_ms_10k: the find screen's one read of this counter's cases into memory
  (``CaseFinder.load_local``), median of 5.
- find_keystroke_ms_10k: one keystroke's search over them, p95 over 300 varied queries as
  an officer types them (a name's first characters, the last digits of an ID or a phone,
  a number with or without its dash, an item word), each different.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import time
from pathlib import Path

from bench.sample_cases import case_document

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "find"
CASES = 10_000
QUERIES = 300
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _fill(store, rng: random.Random) -> list[dict]:
    docs = []
    for n in range(CASES):
        doc = case_document(rng, f"case-{n:05d}", NOW)
        doc["numbers"] = {"official": f"JX2026-{n + 1:06d}"}
        doc["state"] = rng.choice(["received", "accepted", "awaiting_supplement", "delivered"])
        doc["version"] = 1
        docs.append(doc)
    for start in range(0, CASES, 500):
        store.save_batch(cases=docs[start : start + 500])
    return docs


def _queries(rng: random.Random, docs: list[dict]) -> list[str]:
    queries: set[str] = set()
    while len(queries) < QUERIES:
        doc = rng.choice(docs)
        applicant = doc["applicant"]
        kind = rng.randrange(5)
        if kind == 0:
            query = applicant["name"][: rng.randint(1, len(applicant["name"]))]
        elif kind == 1:
            query = applicant["id_number"][-rng.randint(4, 8) :]
        elif kind == 2:
            query = applicant["phone"][-4:]
        elif kind == 3:
            number = doc["numbers"]["official"]
            query = number if rng.random() < 0.5 else number.replace("-", " ")
        else:
            query = doc["target"]["name"][: rng.randint(2, 4)] + " " + applicant["name"][0]
        queries.add(query)
    return sorted(queries, key=lambda _q: rng.random())


def run() -> dict[str, object]:
    from counterdesk.services.find import CaseFinder
    from offline import Store

    rng = random.Random(20261123)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    store = Store.open(WORK / "store", bytes(range(32)))
    try:
        docs = _fill(store, rng)
        loads = []
        finder = CaseFinder(store)
        for _ in range(5):
            t0 = time.perf_counter()
            finder = CaseFinder(store)
            finder.load_local()
            loads.append((time.perf_counter() - t0) * 1000)
        timings = []
        found_any = 0
        for query in _queries(rng, docs):
            t0 = time.perf_counter()
            found = finder.search(query)
            timings.append((time.perf_counter() - t0) * 1000)
            found_any += bool(found)
        if found_any < QUERIES * 0.9:  # the queries come from the cases: they must find them
            raise AssertionError(f"only {found_any} of {QUERIES} queries found a case")
    finally:
        store.close()
        shutil.rmtree(WORK, ignore_errors=True)
    timings.sort()
    return {
        "find_load_ms_10k": round(statistics.median(loads), 1),
        "find_keystroke_ms_10k": round(timings[int(len(timings) * 0.95) - 1], 2),
        "find_keystroke_median_ms_10k": round(statistics.median(timings), 2),
    }
