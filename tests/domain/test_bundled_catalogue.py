"""The bundled catalogue meets its brief, the labelled search queries fit it, and the
synthetic catalogue used by the bench is valid, sized as asked and deterministic."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from counterdesk.domain.catalogue import bundled_catalogue_path, load_catalogue, parse_catalogue
from counterdesk.domain.catalogue.synthetic import (
    BUNDLE_SUBJECTS,
    SUBJECTS,
    synthetic_catalogue,
    synthetic_queries,
)
from counterdesk.domain.checklist import check_request

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED = ROOT / "counterdesk" / "data" / "catalogue.json"
QUERIES = ROOT / "tests" / "data" / "search_queries.json"
SYNTHETIC = ROOT / "counterdesk" / "domain" / "catalogue" / "synthetic.py"
CJK = re.compile(r"[\u3400-\u9fff]")

# The cases of the news articles the project started from, by code.
SEED_ITEMS = {
    "SCJG-QY-001": "有限责任公司设立登记",
    "WGLJ-YL-001": "娱乐场所经营许可",
    "XFJY-JC-001": "消防安全检查",
    "SCJG-GT-001": "个体工商户设立登记",
    "SCJG-SP-001": "食品经营许可",
    "GJJ-ZY-001": "住房公积金异地转移接续",
    "GJJ-TQ-001": "住房公积金提取",
    "BDC-DJ-001": "不动产转移登记",
    "SWJ-FC-001": "存量房交易税费申报",
    "WJW-CS-001": "出生医学证明",
    "GAJ-HJ-001": "出生登记",
    "YBJ-CB-001": "医疗保险参保登记",
    "RSJ-SK-001": "社会保障卡",
    "SCJG-QY-003": "公司注销登记",
    "SCJG-QY-004": "简易注销",
    "JYJ-RX-001": "随迁子女",
}
SEED_BUNDLES = {
    "B-KTV": ["SCJG-QY-001", "WGLJ-YL-001", "XFJY-JC-001"],
    "B-RESTAURANT": ["SCJG-GT-001", "SCJG-SP-001"],
    "B-NEWBORN": ["WJW-CS-001", "GAJ-HJ-001", "YBJ-CB-001", "RSJ-SK-001"],
    "B-HOME-SALE": ["SWJ-FC-001", "BDC-DJ-001", "GJJ-TQ-001"],
    "B-COMPANY-EXIT": ["SCJG-QY-003", "SWJ-ZX-001"],
    "B-SCHOOL": ["JYJ-RX-001"],
}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(BUNDLED.read_text(encoding="utf-8"))


def items_by_code(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in doc["items"]}


def lines(doc: dict[str, Any]):
    for item in doc["items"]:
        for line in item["materials"]:
            yield item, line


# ----- the bundled catalogue: minimums of the brief ---------------------------------


def test_the_bundled_file_is_the_one_the_program_uses() -> None:
    assert bundled_catalogue_path().resolve() == BUNDLED.resolve()


def test_header(doc) -> None:
    assert doc["format"] == "counterdesk-catalogue/1"
    assert doc["version"].endswith("-bundled")
    # The server publishes later years' holiday schedules; guessing one here would be wrong.
    assert "calendar" not in doc


def test_the_file_is_utf8_json_written_with_two_space_indent() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_counts(doc) -> None:
    assert len(doc["departments"]) >= 12
    assert len(doc["items"]) >= 40
    assert len(doc["bundles"]) >= 5
    assert len(doc["materials"]) >= 60
    assert all(re.fullmatch(r"[A-Z]+", d["code"]) for d in doc["departments"])


def test_every_material_is_used_and_every_used_material_is_defined(doc) -> None:
    used = {line["material"] for _, line in lines(doc)}
    assert used == set(doc["materials"])


def test_conditional_deferrable_and_shared_lines(doc) -> None:
    shared = {m for m, entry in doc["materials"].items() if entry.get("shared")}
    conditional = {item["code"] for item, line in lines(doc) if line.get("when")}
    deferrable = {item["code"] for item, line in lines(doc) if line["need"] == "deferrable"}
    sharing = {item["code"] for item, line in lines(doc) if line["material"] in shared}
    assert len(conditional) >= 15
    assert len(deferrable) >= 10
    assert len(sharing) >= 10
    # Conditions use each kind of fact: applicant type, agent, and the item's own fields.
    facts = {fact for _, line in lines(doc) for fact in line.get("when", {})}
    assert {"applicant_type", "agent", "premises"} <= facts


def test_english_names_everywhere(doc) -> None:
    assert all(d.get("name_en") for d in doc["departments"])
    assert all(m.get("name_en") for m in doc["materials"].values())
    for item in doc["items"]:
        assert item.get("name_en") and item["result"].get("name_en"), item["code"]
        assert all(f.get("label_en") for f in item["fields"]), item["code"]
    assert all(b.get("name_en") for b in doc["bundles"])


def test_items_are_realistic(doc) -> None:
    fees = [item["fee"] for item in doc["items"]]
    assert sum(fee == 0 for fee in fees) > len(fees) / 2
    assert any(fee > 0 for fee in fees)
    assert any(item["promised_days"] == 0 for item in doc["items"])  # 即办
    for item in doc["items"]:
        assert item["promised_days"] <= item["legal_days"], item["code"]
        assert item["legal_basis"].startswith("《"), item["code"]
        assert len(item["fields"]) >= 2, item["code"]
        assert {"applicant_type", "agent"}.isdisjoint(f["key"] for f in item["fields"])
    assert {t for item in doc["items"] for t in item["applicant_types"]} == {"natural", "legal"}


def test_seed_cases_are_there(doc) -> None:
    items = items_by_code(doc)
    for code, words in SEED_ITEMS.items():
        assert code in items and words in items[code]["name"], code
    bundles = {b["code"]: b for b in doc["bundles"]}
    for code, members in SEED_BUNDLES.items():
        assert set(members) <= set(bundles[code]["items"]), code
    assert "娱乐经营许可证" == items["WGLJ-YL-001"]["result"]["name"]


def test_bundles_share_materials_so_merging_matters(doc) -> None:
    items = items_by_code(doc)
    for bundle in doc["bundles"]:
        members = bundle["items"]
        assert len(members) >= 2 and len(set(members)) == len(members)
        counts = Counter(line["material"] for code in members for line in items[code]["materials"])
        assert any(n >= 2 for n in counts.values()), bundle["code"]
        accepted = set.intersection(*(set(items[c]["applicant_types"]) for c in members))
        assert accepted, f"{bundle['code']}: no applicant type is accepted by every item"


def test_a_field_key_means_the_same_in_every_item(doc) -> None:
    """Bundles check a fact against every item that has the field: they must agree."""
    seen: dict[str, tuple[str, tuple[str, ...]]] = {}
    for item in doc["items"]:
        for field in item["fields"]:
            shape = (field["type"], tuple(field.get("choices", ())))
            assert seen.setdefault(field["key"], shape) == shape, (item["code"], field["key"])


def test_the_loader_accepts_the_bundled_catalogue(doc) -> None:
    catalogue = load_catalogue(bundled_catalogue_path())
    assert catalogue.summary() == (
        f"{len(doc['departments'])} departments, {len(doc['items'])} items, "
        f"{len(doc['bundles'])} bundles, {len(doc['materials'])} materials"
    )


def test_every_target_can_be_checked_for_every_choice(doc) -> None:
    catalogue = load_catalogue(bundled_catalogue_path())
    day = dt.date(2026, 11, 23)
    for target in [*catalogue.items.values(), *catalogue.bundles.values()]:
        members = catalogue.items_of(target)
        accepted = set.intersection(*(set(i.applicant_types) for i in members))
        choices = {f.key: f.choices for i in members for f in i.fields if f.type == "choice"}
        for applicant_type in sorted(accepted):
            for agent in (False, True):
                for n in range(max([1, *(len(c) for c in choices.values())])):
                    facts = {"applicant_type": applicant_type, "agent": agent}
                    facts |= {key: c[n % len(c)] for key, c in choices.items()}
                    request = {"target": target.code, "facts": facts}
                    assert check_request(catalogue, request, day).to_json()["checklist"]


def test_karaoke_bar_bundle_asks_for_the_lease_once_and_fetches_licences(doc) -> None:
    catalogue = load_catalogue(bundled_catalogue_path())
    request = {
        "target": "B-KTV",
        "facts": {"applicant_type": "legal", "premises": "rented", "commitment": True},
        "presented": {"id_card": {"original": 1, "copies": 1}},
        "accepted_on": "2026-11-23",
    }
    answer = check_request(catalogue, request, dt.date(2026, 11, 23)).to_json()
    materials = [line["material"] for line in answer["checklist"]]
    assert materials.count("lease_contract") == 1 and "property_certificate" not in materials
    assert {"business_licence", "fire_inspection_certificate"} <= set(answer["by_sharing"])
    assert answer["outcome"] == "incomplete"


# ----- the labelled search queries --------------------------------------------------

MAIN_KINDS = ("chinese", "initials", "pinyin", "code", "english", "typo")


def test_the_labelled_queries_fit_the_bundled_catalogue(doc) -> None:
    cases = json.loads(QUERIES.read_text(encoding="utf-8"))
    codes = {t["code"] for t in [*doc["items"], *doc["bundles"]]}
    assert len(cases) >= 45
    assert len({case["query"] for case in cases}) == len(cases)
    kinds = Counter(case["kind"] for case in cases)
    assert set(kinds) <= {*MAIN_KINDS, "partial"}
    assert all(kinds[kind] >= 8 for kind in MAIN_KINDS), kinds
    for case in cases:
        assert set(case) == {"query", "expect", "kind"}
        assert case["expect"] and set(case["expect"]) <= codes, case
        assert len(case["expect"]) <= 3, case
        if case["kind"] in ("initials", "pinyin", "english"):
            assert not CJK.search(case["query"]), case
        if case["kind"] == "chinese":
            assert CJK.search(case["query"]), case


# ----- the synthetic catalogue ------------------------------------------------------


def test_synthetic_catalogue_is_valid_and_sized_as_asked() -> None:
    doc = synthetic_catalogue(3000, seed=5)
    assert len(doc["items"]) == 3000
    codes = [t["code"] for t in [*doc["items"], *doc["bundles"]]]
    assert len(codes) == len(set(codes))
    assert doc["bundles"], "a few thousand items make some bundles"
    catalogue = parse_catalogue(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert len(catalogue.items) == 3000 and len(catalogue.bundles) == len(doc["bundles"])


@pytest.mark.parametrize("n", [0, 1, 7, 250])
def test_small_synthetic_catalogues_are_valid(n: int) -> None:
    doc = synthetic_catalogue(n, seed=n)
    assert len(doc["items"]) == n
    parse_catalogue(json.dumps(doc).encode())


def test_synthetic_default_size_and_more_than_one_round_of_names() -> None:
    assert len(synthetic_catalogue()["items"]) == 10_000
    big = synthetic_catalogue(25_000, seed=1)
    codes = [item["code"] for item in big["items"]]
    assert len(codes) == len(set(codes)) == 25_000


def test_synthetic_catalogue_is_deterministic() -> None:
    assert synthetic_catalogue(500, seed=3) == synthetic_catalogue(500, seed=3)
    assert synthetic_catalogue(500, seed=3) != synthetic_catalogue(500, seed=4)


def test_synthetic_names_are_near_duplicates() -> None:
    doc = synthetic_catalogue(2000, seed=2)
    names = [item["name"] for item in doc["items"]]
    assert len(set(names)) == len(names)
    assert sum("食品经营许可证" in name for name in names) >= 20
    assert all(item["name_en"] for item in doc["items"])


def test_synthetic_bundles_open_a_business_in_one_area() -> None:
    doc = synthetic_catalogue(4000, seed=9)
    items = {item["code"]: item for item in doc["items"]}
    licences = {name for _, _, names in BUNDLE_SUBJECTS for name in names}
    assert licences <= {subject for _, subject, *_ in SUBJECTS}
    for bundle in doc["bundles"]:
        area = bundle["code"].split("-")[1]
        assert all(code.split("-")[1] == area for code in bundle["items"])
        assert all(items[code]["name"].find("核发") > 0 for code in bundle["items"])


def test_synthetic_queries_are_distinct_varied_and_deterministic() -> None:
    doc = synthetic_catalogue(2000, seed=7)
    queries = synthetic_queries(doc, 600, seed=11)
    assert len(queries) == 600 and len(set(queries)) == 600
    assert queries == synthetic_queries(doc, 600, seed=11)
    assert queries != synthetic_queries(doc, 600, seed=12)
    codes = {item["code"] for item in doc["items"]} | {b["code"] for b in doc["bundles"]}
    assert sum(bool(CJK.search(q)) for q in queries) >= 100
    assert sum(q.isascii() and q.isalpha() for q in queries) >= 100  # initials and pinyin
    assert sum(" " in q for q in queries) >= 20  # English words
    assert any(q in codes or q.upper() in codes for q in queries)
    assert synthetic_queries(doc, 0, seed=1) == []


def test_synthetic_queries_refuse_an_impossible_count() -> None:
    with pytest.raises(ValueError):
        synthetic_queries({"items": [], "bundles": []}, 5, seed=1)
    with pytest.raises(ValueError):
        synthetic_queries(synthetic_catalogue(1, seed=1), 3000, seed=1)


def test_synthetic_module_needs_only_the_standard_library_and_pypinyin() -> None:
    tree = ast.parse(SYNTHETIC.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "random", "typing", "pypinyin"}
