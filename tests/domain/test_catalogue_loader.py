"""Every rule of shared/catalogue-format.md, one failing catalogue each, with its path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from counterdesk.domain.catalogue import load_catalogue, parse_catalogue
from tests.domain.catalogue_cases import MINI, changed, mini, problems_of


def test_the_test_catalogue_is_valid() -> None:
    catalogue = load_catalogue(MINI)
    assert catalogue.summary() == "2 departments, 2 items, 1 bundles, 6 materials"
    item = catalogue.items["SCJG-001"]
    assert item.fee == 0 and catalogue.items["WGLJ-001"].fee == Decimal("12.5")
    assert item.materials[1].when == {"premises": "rented"}
    assert catalogue.items["WGLJ-001"].materials[1].when == {"premises": ("rented", "leased")}
    assert catalogue.bundles["B-KTV"].items == ("SCJG-001", "WGLJ-001")
    assert len(catalogue.digest) == 64


def test_byte_order_mark_is_accepted() -> None:
    data = MINI.read_bytes()
    assert parse_catalogue(b"\xef\xbb\xbf" + data).version == "test-1"


def _set(path: str, value):
    """An edit that sets a member given by a path of keys and indexes."""

    def edit(doc):
        *parents, last = path
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value

    return edit


def _delete(path):
    def edit(doc):
        *parents, last = path
        target = doc
        for part in parents:
            target = target[part]
        del target[last]

    return edit


ITEM0 = ("items", 0)
REQ = ("items", 0, "materials")

CASES = [
    # top level
    ("format wrong", _set(("format",), "counterdesk-catalogue/2"), "format: must be"),
    ("format missing", _delete(("format",)), "format: required key is missing"),
    ("version not a string", _set(("version",), 3), "version: must be a string"),
    ("version empty", _set(("version",), " "), "version: must not be empty"),
    ("unknown top key", _set(("copys",), 1), "copys: unknown key"),
    ("departments not a list", _set(("departments",), {}), "departments: must be a list"),
    ("items missing", _delete(("items",)), "items: required key is missing"),
    ("materials not an object", _set(("materials",), []), "materials: must be an object"),
    ("bundles not a list", _set(("bundles",), {}), "bundles: must be a list"),
    # departments
    (
        "department code repeated",
        lambda doc: doc["departments"].append({"code": "SCJG", "name": "重复"}),
        "departments[2].code: department code",
    ),
    (
        "department name missing",
        _delete(("departments", 0, "name")),
        "departments[0].name: required key is missing",
    ),
    (
        "department unknown key",
        _set(("departments", 0, "nom"), "x"),
        "departments[0].nom: unknown key",
    ),
    (
        "department not an object",
        _set(("departments", 0), "SCJG"),
        "departments[0]: must be an object",
    ),
    # materials
    (
        "material id pattern",
        _set(("materials", "Deed"), {"name": "契税", "kind": "other"}),
        "materials.Deed: material id",
    ),
    (
        "material kind",
        _set(("materials", "lease", "kind"), "paper"),
        "materials.lease.kind: must be one of",
    ),
    (
        "material kind missing",
        _delete(("materials", "lease", "kind")),
        "materials.lease.kind: required key is missing",
    ),
    (
        "material shared not bool",
        _set(("materials", "lease", "shared"), 1),
        "materials.lease.shared: must be true or false",
    ),
    (
        "material name empty",
        _set(("materials", "lease", "name"), ""),
        "materials.lease.name: must not be empty",
    ),
    # items
    (
        "item code pattern",
        lambda doc: (
            _set((*ITEM0, "code"), "scjg-001")(doc),
            _set(("bundles", 0, "items", 0), "scjg-001")(doc),
        ),
        "items[0].code: code",
    ),
    (
        "item code repeated",
        lambda doc: doc["items"].append(dict(doc["items"][0])),
        'items[2].code: code "SCJG-001" is already used at items[0].code',
    ),
    (
        "bundle code same as item",
        _set(("bundles", 0, "code"), "SCJG-001"),
        'bundles[0].code: code "SCJG-001" is already used',
    ),
    ("item name missing", _delete((*ITEM0, "name")), "items[0].name: required key is missing"),
    (
        "item unknown department",
        _set((*ITEM0, "department"), "XXX"),
        'items[0].department: unknown department "XXX"',
    ),
    (
        "applicant types empty",
        _set((*ITEM0, "applicant_types"), []),
        "items[0].applicant_types: must be a non-empty list",
    ),
    (
        "applicant type unknown",
        _set((*ITEM0, "applicant_types"), ["natural", "company"]),
        "items[0].applicant_types[1]: must be one of",
    ),
    (
        "applicant type repeated",
        _set((*ITEM0, "applicant_types"), ["natural", "natural"]),
        'items[0].applicant_types[1]: "natural" is listed twice',
    ),
    (
        "legal days float",
        _set((*ITEM0, "legal_days"), 1.0),
        "items[0].legal_days: must be an integer from 0 to 365, got 1.0",
    ),
    (
        "legal days bool",
        _set((*ITEM0, "legal_days"), True),
        "items[0].legal_days: must be an integer",
    ),
    (
        "legal days string",
        _set((*ITEM0, "legal_days"), "1"),
        "items[0].legal_days: must be an integer",
    ),
    (
        "legal days too many",
        _set((*ITEM0, "legal_days"), 366),
        "items[0].legal_days: must be an integer from 0 to 365",
    ),
    (
        "promised negative",
        _set((*ITEM0, "promised_days"), -1),
        "items[0].promised_days: must be an integer",
    ),
    (
        "promised over legal",
        _set((*ITEM0, "promised_days"), 16),
        "items[0].promised_days: promised days (16) must not exceed legal_days (15)",
    ),
    ("fee negative", _set((*ITEM0, "fee"), -1), "items[0].fee: must be a number"),
    ("fee string", _set((*ITEM0, "fee"), "0"), "items[0].fee: must be a number"),
    (
        "fee three decimals",
        _set((*ITEM0, "fee"), 1.005),
        "items[0].fee: must have at most two decimals",
    ),
    (
        "legal basis not string",
        _set((*ITEM0, "legal_basis"), 1),
        "items[0].legal_basis: must be a string",
    ),
    ("item unknown key", _set((*ITEM0, "copys"), 1), "items[0].copys: unknown key"),
    ("result missing", _delete((*ITEM0, "result")), "items[0].result: required key is missing"),
    (
        "result delivery empty",
        _set((*ITEM0, "result", "delivery"), []),
        "items[0].result.delivery: must be a non-empty list",
    ),
    (
        "result delivery unknown",
        _set((*ITEM0, "result", "delivery"), ["fax"]),
        "items[0].result.delivery[0]: must be one of",
    ),
    (
        "result name missing",
        _delete((*ITEM0, "result", "name")),
        "items[0].result.name: required key is missing",
    ),
    # fields
    (
        "field key pattern",
        _set((*ITEM0, "fields", 1, "key"), "Staff"),
        "items[0].fields[1].key: field key",
    ),
    (
        "field key reserved",
        _set((*ITEM0, "fields", 1, "key"), "agent"),
        'items[0].fields[1].key: "agent" is a reserved fact name',
    ),
    (
        "field key repeated",
        _set((*ITEM0, "fields", 1, "key"), "opening"),
        'items[0].fields[2].key: field key "opening" is used twice',
    ),
    (
        "field type unknown",
        _set((*ITEM0, "fields", 1, "type"), "integer"),
        "items[0].fields[1].type: must be one of",
    ),
    (
        "field required not bool",
        _set((*ITEM0, "fields", 1, "required"), "yes"),
        "items[0].fields[1].required: must be true or false",
    ),
    (
        "field required missing",
        _delete((*ITEM0, "fields", 1, "required")),
        "items[0].fields[1].required: required key is missing",
    ),
    (
        "choice without choices",
        _delete((*ITEM0, "fields", 0, "choices")),
        "items[0].fields[0].choices: required key is missing",
    ),
    (
        "choices on a text field",
        _set((*ITEM0, "fields", 1, "choices"), ["a"]),
        'items[0].fields[1].choices: only a "choice" field has choices',
    ),
    (
        "choices empty",
        _set((*ITEM0, "fields", 0, "choices"), []),
        "items[0].fields[0].choices: must be a non-empty list",
    ),
    (
        "choices repeated",
        _set((*ITEM0, "fields", 0, "choices"), ["a", "a"]),
        'items[0].fields[0].choices[1]: choice "a" is listed twice',
    ),
    (
        "choices not strings",
        _set((*ITEM0, "fields", 0, "choices"), ["a", 1]),
        "items[0].fields[0].choices[1]: must be a string",
    ),
    ("fields not a list", _set((*ITEM0, "fields"), {}), "items[0].fields: must be a list"),
    # requirements
    (
        "unknown material",
        _set((*REQ, 1, "material"), "deed"),
        'items[0].materials[1].material: unknown material "deed"',
    ),
    (
        "material twice",
        _set((*REQ, 1, "material"), "id_card"),
        'items[0].materials[1].material: material "id_card" is already listed at items[0].materials[0].material',
    ),
    (
        "need unknown",
        _set((*REQ, 0, "need"), "mandatory"),
        "items[0].materials[0].need: must be one of",
    ),
    (
        "need missing",
        _delete((*REQ, 0, "need")),
        "items[0].materials[0].need: required key is missing",
    ),
    (
        "copies float",
        _set((*REQ, 0, "copies"), 1.0),
        "items[0].materials[0].copies: must be a non-negative integer, got 1.0",
    ),
    (
        "original negative",
        _set((*REQ, 0, "original"), -1),
        "items[0].materials[0].original: must be a non-negative integer",
    ),
    (
        "no original nor copy",
        lambda doc: doc["items"][0]["materials"][0].update(original=0, copies=0),
        None,
    ),
    ("copys typo", _set((*REQ, 0, "copys"), 1), "items[0].materials[0].copys: unknown key"),
    (
        "when not object",
        _set((*REQ, 1, "when"), ["rented"]),
        "items[0].materials[1].when: must be an object",
    ),
    (
        "when unknown fact",
        _set((*REQ, 1, "when"), {"floor": 3}),
        'items[0].materials[1].when.floor: unknown fact "floor"',
    ),
    (
        "when choice not in choices",
        _set((*REQ, 1, "when"), {"premises": "leased"}),
        'items[0].materials[1].when.premises: must be one of "owned", "rented"',
    ),
    (
        "when empty list",
        _set((*REQ, 1, "when"), {"premises": []}),
        "items[0].materials[1].when.premises: must not be an empty list",
    ),
    (
        "when list entry wrong",
        _set((*REQ, 1, "when"), {"premises": ["rented", "x"]}),
        "items[0].materials[1].when.premises[1]: must be one of",
    ),
    (
        "when agent not bool",
        _set((*REQ, 1, "when"), {"agent": "yes"}),
        "items[0].materials[1].when.agent: must be true or false",
    ),
    (
        "when applicant type",
        _set((*REQ, 1, "when"), {"applicant_type": "company"}),
        'items[0].materials[1].when.applicant_type: must be one of "natural", "legal"',
    ),
    (
        "when number wants number",
        _set((*REQ, 1, "when"), {"staff": "3"}),
        "items[0].materials[1].when.staff: must be a number",
    ),
    (
        "when number refuses bool",
        _set((*REQ, 1, "when"), {"staff": True}),
        "items[0].materials[1].when.staff: must be a number",
    ),
    (
        "when date malformed",
        _set((*REQ, 1, "when"), {"opening": "2026-02-30"}),
        "items[0].materials[1].when.opening: must be a date",
    ),
    (
        "when date compact",
        _set((*REQ, 1, "when"), {"opening": "20261123"}),
        "items[0].materials[1].when.opening: must be a date",
    ),
    (
        "when bool wants bool",
        _set((*REQ, 1, "when"), {"chain": 1}),
        "items[0].materials[1].when.chain: must be true or false",
    ),
    (
        "when null",
        _set((*REQ, 1, "when"), {"premises": None}),
        "items[0].materials[1].when.premises: must be one of",
    ),
    ("materials not a list", _set((*ITEM0, "materials"), {}), "items[0].materials: must be a list"),
    # bundles
    (
        "bundle one item",
        _set(("bundles", 0, "items"), ["SCJG-001"]),
        "bundles[0].items: must be a list of at least 2 item codes",
    ),
    (
        "bundle item repeated",
        _set(("bundles", 0, "items"), ["SCJG-001", "SCJG-001"]),
        'bundles[0].items[1]: item "SCJG-001" is listed twice',
    ),
    (
        "bundle unknown item",
        _set(("bundles", 0, "items"), ["SCJG-001", "NOPE"]),
        'bundles[0].items[1]: unknown item "NOPE"',
    ),
    ("bundle code pattern", _set(("bundles", 0, "code"), "b-ktv"), "bundles[0].code: code"),
    (
        "code reserved for unlisted matters",
        _set(("bundles", 0, "code"), "UNLISTED"),
        'bundles[0].code: code "UNLISTED" is reserved',
    ),
    ("bundle unknown key", _set(("bundles", 0, "item"), []), "bundles[0].item: unknown key"),
    # calendar
    (
        "calendar years missing",
        _set(("calendar",), {"holidays": []}),
        "calendar.years: required key is missing",
    ),
    (
        "calendar years empty",
        _set(("calendar",), {"years": []}),
        "calendar.years: must be a non-empty list",
    ),
    (
        "calendar year repeated",
        _set(("calendar",), {"years": [2027, 2027]}),
        "calendar.years[1]: year 2027 is listed twice",
    ),
    (
        "calendar year float",
        _set(("calendar",), {"years": [2027.0]}),
        "calendar.years[0]: must be a year",
    ),
    (
        "calendar date outside years",
        _set(("calendar",), {"years": [2027], "holidays": ["2028-01-01"]}),
        "calendar.holidays[0]: 2028-01-01 is not in one of the calendar's years",
    ),
    (
        "calendar impossible date",
        _set(("calendar",), {"years": [2026], "holidays": ["2026-02-30"]}),
        "calendar.holidays[0]: must be a date",
    ),
    (
        "calendar week date",
        _set(("calendar",), {"years": [2026], "workdays": ["2026-W48-1"]}),
        "calendar.workdays[0]: must be a date",
    ),
    (
        "calendar compact date",
        _set(("calendar",), {"years": [2026], "holidays": ["20261123"]}),
        "calendar.holidays[0]: must be a date",
    ),
    (
        "calendar both",
        _set(
            ("calendar",),
            {"years": [2027], "holidays": ["2027-01-01", "2027-02-01"], "workdays": ["2027-02-01"]},
        ),
        "calendar.workdays[0]: 2027-02-01 is also listed in calendar.holidays",
    ),
    (
        "calendar unknown key",
        _set(("calendar",), {"years": [2027], "holiday": []}),
        "calendar.holiday: unknown key",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_is_reported_with_its_path(edit, expected) -> None:
    problems = problems_of(changed(edit))
    if expected is None:  # the requirement line itself is the path
        expected = "items[0].materials[0]: needs at least one original or one copy"
    assert any(p.startswith(expected) for p in problems), problems
    assert len(problems) == 1, problems  # reported once, not again as the cause of others


def test_extension_keys_are_kept_and_ignored_everywhere() -> None:
    def edit(doc):
        doc["x_publisher"] = {"anything": [1, 2]}
        doc["items"][0]["x_register_id"] = "330000-1"
        doc["items"][0]["materials"][0]["x_note"] = 1
        doc["materials"]["lease"]["x_source"] = "province"
        doc["bundles"][0]["x_order"] = 3

    assert problems_of(changed(edit)) == []


def test_material_ids_beginning_with_x_are_material_ids() -> None:
    def edit(doc):
        doc["materials"]["x_ray_film"] = {"name": "X光片", "kind": "other"}
        doc["items"][0]["materials"].append(
            {"material": "x_ray_film", "copies": 1, "need": "optional"}
        )

    assert problems_of(changed(edit)) == []


def test_repeated_keys_are_errors_with_their_path() -> None:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace('"version": "test-1",', '"version": "test-1", "version": "test-2",', 1)
    text = text.replace('"legal_days": 15,', '"legal_days": 15, "legal_days": 16,', 1)
    problems = problems_of(text.encode())
    assert problems == [
        "version: key repeated in the same object",
        "items[0].legal_days: key repeated in the same object",
    ]


def test_repeated_keys_inside_extensions_are_errors_too() -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        '"version": "test-1",', '"version": "test-1", "x_meta": {"a": 1, "a": 2},', 1
    )
    assert problems_of(text.encode()) == ["x_meta.a: key repeated in the same object"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"{", "$: not valid JSON"),
        (b"[]", "$: must be an object"),
        (b"\xff\xfe{}", "$: not UTF-8 text"),
        (b'{"fee": NaN}', "$: not valid JSON"),
    ],
)
def test_unreadable_files(data: bytes, expected: str) -> None:
    problems = problems_of(data)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_every_problem_is_reported_in_document_order() -> None:
    def edit(doc):
        doc["version"] = 1
        doc["items"][0]["legal_days"] = "15"
        doc["items"][0]["materials"][1]["material"] = "deed"
        doc["items"][1]["fee"] = -2
        doc["bundles"][0]["items"] = ["SCJG-001", "NOPE"]

    problems = problems_of(changed(edit))
    assert [p.split(":")[0] for p in problems] == [
        "version",
        "items[0].legal_days",
        "items[0].materials[1].material",
        "items[1].fee",
        "bundles[0].items[1]",
    ]


def test_problems_follow_the_files_own_order() -> None:
    doc = mini()
    reordered = {"items": doc["items"], **{k: v for k, v in doc.items() if k != "items"}}
    reordered["items"][0]["fee"] = "free"
    reordered["version"] = ""
    assert [p.split(":")[0] for p in problems_of(reordered)] == ["items[0].fee", "version"]


def test_fields_after_materials_still_define_facts() -> None:
    def edit(doc):
        item = doc["items"][0]
        fields = item.pop("fields")
        item["fields"] = fields  # now after "materials"

    assert problems_of(changed(edit)) == []


def test_a_bad_field_does_not_echo_through_conditions() -> None:
    problems = problems_of(changed(_set((*ITEM0, "fields", 0, "choices"), [])))
    assert problems == [
        "items[0].fields[0].choices: must be a non-empty list of strings, got a list"
    ]


def test_a_bad_material_does_not_echo_through_references() -> None:
    problems = problems_of(changed(_set(("materials", "lease", "kind"), "paper")))
    assert len(problems) == 1


def test_calendar_is_loaded() -> None:
    doc = mini()
    doc["calendar"] = {"years": [2027], "holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}
    catalogue = parse_catalogue(__import__("json").dumps(doc).encode())
    assert 2027 in catalogue.calendar.years
