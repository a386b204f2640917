"""Every item and bundle of the bundled catalogue has an application form that builds,
shows each of its fields pre-filled, and masks identifiers typed into them."""

from __future__ import annotations

from typing import Any

import pytest

from counterdesk.domain.catalogue import (
    Catalogue,
    FormField,
    Item,
    bundled_catalogue_path,
    load_catalogue,
)
from counterdesk.forms.application_form import field_value
from counterdesk.forms.build import build_pdf
from tests.forms.papers_cases import FULL_ID, MASKED_ID, PHONE, changed, received_case
from tests.forms.test_papers import pages_text, squeezed

USCC = "91330402MA2B3C4D5E"
SAMPLE: dict[str, Any] = {
    "text": "示例内容",
    "date": "2026-12-01",
    "number": 12.5,
    "bool": True,
    "id_number": FULL_ID,
    "uscc": USCC,
    "phone": PHONE,
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(bundled_catalogue_path())


def sample_fields(items: tuple[Item, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        for field in item.fields:
            values[field.key] = field.choices[-1] if field.type == "choice" else SAMPLE[field.type]
    return values


def case_for(catalogue: Catalogue, code: str):
    target = catalogue.target(code)
    assert target is not None
    items = catalogue.items_of(target)
    applicant_type = items[0].applicant_types[0]
    applicant: dict[str, Any] = {
        "type": applicant_type,
        "name": "王小明" if applicant_type == "natural" else "嘉兴某某有限公司",
        "id_kind": "resident_id" if applicant_type == "natural" else "uscc",
        "id_number": FULL_ID if applicant_type == "natural" else USCC,
        "phone": PHONE,
    }
    kind = "item" if code in catalogue.items else "bundle"
    return changed(
        received_case(),
        target={"kind": kind, "code": code, "name": target.name, "name_en": target.name_en},
        applicant=applicant,
        fields=sample_fields(items),
    )


def test_the_bundled_catalogue_has_items_with_every_field_type(catalogue: Catalogue) -> None:
    types = {field.type for item in catalogue.items.values() for field in item.fields}
    assert types == {"text", "date", "number", "choice", "bool", "id_number", "uscc", "phone"}


def test_every_bundled_item_has_a_form(catalogue: Catalogue) -> None:
    for code, item in catalogue.items.items():
        pages = pages_text(build_pdf("form", case_for(catalogue, code), catalogue))
        text = "".join(pages)
        assert squeezed(f"{item.name}申请表") in text, code
        for field in item.fields:
            assert squeezed(field.label) in text, (code, field.key)
        assert FULL_ID not in text and PHONE not in text, code
        if any(field.type == "id_number" for field in item.fields):
            assert MASKED_ID in text, code


def test_every_bundled_bundle_has_one_form_per_item(catalogue: Catalogue) -> None:
    assert catalogue.bundles
    for code, bundle in catalogue.bundles.items():
        pages = pages_text(build_pdf("form", case_for(catalogue, code), catalogue))
        starts = [
            n
            for n, page in enumerate(pages)
            for item in bundle.items
            if squeezed(f"{catalogue.items[item].name}申请表") in page
        ]
        assert len(starts) >= len(bundle.items), code


@pytest.mark.parametrize(
    ("kind", "value", "printed"),
    [
        ("text", "个体经营", "个体经营"),
        ("text", None, ""),
        ("date", "2026-12-01", "2026-12-01"),
        ("number", 12.50, "12.5"),
        ("number", 3, "3"),
        ("bool", True, "■ 是 Yes    □ 否 No"),
        ("bool", False, "□ 是 Yes    ■ 否 No"),
        ("bool", None, "□ 是 Yes    □ 否 No"),
        ("id_number", "330402 19900101 1237", MASKED_ID),
        ("uscc", "91330402ma2b3c4d5e", USCC),
        ("phone", PHONE, "138****5678"),
        ("phone", "", ""),
    ],
)
def test_field_values_print_by_type(kind: str, value: Any, printed: str) -> None:
    field = FormField(key="f", label="字段", type=kind, required=False)
    assert field_value(field, value) == printed


def test_a_choice_shows_every_option_with_the_chosen_one_marked() -> None:
    field = FormField("premises", "经营场所", "choice", True, choices=("owned", "rented"))
    assert field_value(field, "rented") == "□ owned    ■ rented"
    assert field_value(field, None) == "□ owned    □ rented"
