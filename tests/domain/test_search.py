"""Search as an officer types: the labelled query set must find its items in the top 3."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue
from counterdesk.domain.catalogue.search import SearchIndex, pinyin_table

LABELLED = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "search_queries.json").read_text("utf-8")
)


@cache
def bundled_index() -> SearchIndex:
    return SearchIndex.build(load_catalogue(bundled_catalogue_path()))


def test_the_labelled_set_is_large_and_varied() -> None:
    assert len(LABELLED) >= 40
    kinds = {case["kind"] for case in LABELLED}
    assert {"chinese", "initials", "pinyin", "code", "english", "typo", "partial"} <= kinds


@pytest.mark.parametrize("case", LABELLED, ids=[c["query"] for c in LABELLED])
def test_labelled_query_finds_its_items_in_the_top_3(case: dict) -> None:
    top = [hit.code for hit in bundled_index().search(case["query"], limit=3)]
    for code in case["expect"]:
        assert code in top, f"{case['query']!r} ({case['kind']}) -> {top}"


def test_pinyin_of_mixed_names() -> None:
    table = pinyin_table(["开办KTV一件事", "营业执照"])
    assert table["营业执照"] == ("yingyezhizhao", "yyzz")
    assert table["开办KTV一件事"] == ("kaibanktvyijianshi", "kbktvyjs")


def test_exact_code_ranks_first_and_empty_query_finds_nothing() -> None:
    index = bundled_index()
    code = index.codes[0]
    assert index.search(code.lower())[0].code == code
    assert index.search("   ") == []


def test_results_are_unique_and_limited() -> None:
    hits = bundled_index().search("登记", limit=5)
    assert len(hits) == 5 and len({h.code for h in hits}) == 5


def test_a_warm_load_skips_validation_and_pinyin(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterdesk.domain import catalogue as catalogue_package
    from counterdesk.domain.catalogue import search
    from counterdesk.services import catalogue_source

    cold, _ = catalogue_source.load_with_search_index(bundled_catalogue_path())

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed on a warm load")

    monkeypatch.setattr(search, "pinyin_table", refuse)
    monkeypatch.setattr(catalogue_package, "parse_catalogue", refuse)
    warm, index = catalogue_source.load_with_search_index(bundled_catalogue_path())
    assert index.search("yyzz")
    assert warm.digest == cold.digest and list(warm.items) == list(cold.items)
    assert all(warm.items[code] == cold.items[code] for code in cold.items)
    assert warm.bundles == cold.bundles and warm.materials == cold.materials
    assert warm.departments == cold.departments and warm.calendar == cold.calendar


def test_a_damaged_cache_is_rebuilt_from_the_file() -> None:
    from counterdesk import locations
    from counterdesk.services.catalogue_source import load_with_search_index

    load_with_search_index(bundled_catalogue_path())
    for cached in locations.cache_dir().glob("catalogue-*.compact"):
        cached.write_text("{not json", encoding="utf-8")
    _, index = load_with_search_index(bundled_catalogue_path())
    assert index.search("yyzz")


def test_the_compact_form_round_trips_every_kind_of_value() -> None:
    from counterdesk.domain.catalogue import parse_catalogue
    from counterdesk.domain.catalogue.compact import dump_compact, load_compact
    from tests.domain.catalogue_cases import mini

    doc = mini()
    doc["items"][0]["materials"][1]["when"] = {"premises": ["rented", "owned"], "staff": 2.5}
    doc["calendar"] = {"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}
    original = parse_catalogue(json.dumps(doc, ensure_ascii=False).encode())
    restored, _ = load_compact(dump_compact(original))
    assert {c: restored.items[c] for c in restored.items} == dict(original.items)
    assert restored.bundles == original.bundles and restored.calendar == original.calendar


def test_search_on_the_synthetic_10k_catalogue() -> None:
    from counterdesk.domain.catalogue import parse_catalogue
    from counterdesk.domain.catalogue.synthetic import synthetic_catalogue

    doc = synthetic_catalogue(10_000, seed=1)
    catalogue = parse_catalogue(json.dumps(doc, ensure_ascii=False).encode())
    assert len(catalogue.items) == 10_000
    index = SearchIndex.build(catalogue)
    some = next(iter(catalogue.items.values()))
    assert index.search(some.code)[0].code == some.code
    assert some.code in [h.code for h in index.search(some.name, limit=3)]
