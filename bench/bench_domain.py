"""Figures of the foundation issue: search speed and recall, check speed, catalogue load.

- search_p95_ms_10k: p95 over a varied query mix on a synthetic 10,000-item catalogue,
  fuzzy matching included, no query repeated (so no cache can serve it).
- search_top3_recall: share of the labelled queries whose expected items are in the top 3.
- check_p95_ms: p95 of the completeness check over varied requests on the bundled catalogue.
- catalogue_load_ms_10k: loading the 10,000-item catalogue file with its search index,
  warm (the pinyin table already cached), median of several loads.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "domain"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run() -> dict[str, object]:
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("COUNTERDESK_CACHE_DIR", str(WORK / "cache"))
    from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
    from counterdesk.domain.catalogue.search import SearchIndex
    from counterdesk.domain.catalogue.synthetic import synthetic_catalogue, synthetic_queries
    from counterdesk.services.catalogue_source import load_with_search_index

    figures: dict[str, object] = {}

    # Catalogue load, 10k items, warm.
    big = synthetic_catalogue(10_000, seed=7)
    big_file = WORK / "catalogue-10k.json"
    big_file.write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
    for leftover in (WORK / "cache").glob("catalogue-*.compact"):
        leftover.unlink()
    t0 = time.perf_counter()
    catalogue, index = load_with_search_index(big_file)
    figures["catalogue_load_cold_ms_10k"] = round((time.perf_counter() - t0) * 1000, 1)
    loads = []
    for _ in range(5):
        t0 = time.perf_counter()
        load_with_search_index(big_file)
        loads.append((time.perf_counter() - t0) * 1000)
    figures["catalogue_load_ms_10k"] = round(statistics.median(loads), 1)

    # Search on the 10k catalogue.
    queries = synthetic_queries(big, 600, seed=11)
    assert len(set(queries)) == len(queries), "the query mix must not repeat a query"
    times = []
    for query in queries:
        t0 = time.perf_counter()
        index.search(query, limit=10)
        times.append((time.perf_counter() - t0) * 1000)
    figures["search_p95_ms_10k"] = round(p95(times), 3)
    figures["search_queries_10k"] = len(queries)

    # Recall on the labelled set, bundled catalogue.
    bundled = load_catalogue(bundled_catalogue_path())
    small_index = SearchIndex.build(bundled)
    labelled = json.loads(
        (ROOT / "tests" / "data" / "search_queries.json").read_text(encoding="utf-8")
    )
    found = 0
    for case in labelled:
        top = [hit.code for hit in small_index.search(case["query"], limit=3)]
        found += all(code in top for code in case["expect"])
    figures["search_top3_recall"] = round(found / len(labelled), 3)
    figures["search_labelled_queries"] = len(labelled)

    # The check, varied requests.
    figures["check_p95_ms"] = round(p95(_check_times(bundled)), 4)
    return figures


def _check_times(catalogue) -> list[float]:
    import datetime as dt

    from counterdesk.domain.checklist import RequestError, check_request

    rng = random.Random(3)
    codes = [*catalogue.items, *catalogue.bundles]
    materials = list(catalogue.materials)
    times = []
    for n in range(2000):
        code = rng.choice(codes)
        target = catalogue.target(code)
        items = catalogue.items_of(target)
        facts: dict[str, object] = {"agent": rng.random() < 0.3}
        accepted = set.intersection(*(set(i.applicant_types) for i in items))
        if accepted:
            facts["applicant_type"] = rng.choice(sorted(accepted))
        for item in items:
            for field in item.fields:
                if field.type == "choice":
                    facts[field.key] = rng.choice(field.choices)
                elif field.type == "bool":
                    facts[field.key] = rng.random() < 0.5
        presented = {
            m: {"original": rng.randint(0, 2), "copies": rng.randint(0, 2)}
            for m in rng.sample(materials, rng.randint(0, 6))
        }
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n % 700)
        request = {
            "target": code,
            "facts": facts,
            "presented": presented,
            "accepted_on": day.isoformat(),
        }
        t0 = time.perf_counter()
        try:
            check_request(catalogue, request, day)
        except RequestError:
            pass  # a field shared by two items of a bundle with other choices: still timed
        times.append((time.perf_counter() - t0) * 1000)
    return times


if __name__ == "__main__":
    print(run())
