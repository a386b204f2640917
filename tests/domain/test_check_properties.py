"""Properties of the completeness check that must hold for any request:
presenting more never makes the outcome worse, and a bundle never needs less than any of
its items. Run over the test catalogue and the bundled one."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterdesk.domain.catalogue import Catalogue, bundled_catalogue_path, load_catalogue
from counterdesk.domain.checklist import NEED_STRENGTH, RequestError, evaluate
from tests.domain.catalogue_cases import MINI

DAY = dt.date(2026, 11, 23)
RANK = {"complete": 0, "deferrable": 1, "incomplete": 2}


@cache
def catalogue_named(name: str) -> Catalogue:
    return load_catalogue(MINI if name == "mini" else bundled_catalogue_path())


@st.composite
def requests(draw, catalogue: Catalogue, bundles_only: bool = False):
    codes = (
        sorted(catalogue.bundles)
        if bundles_only
        else sorted([*catalogue.items, *catalogue.bundles])
    )
    code = draw(st.sampled_from(codes))
    items = catalogue.items_of(catalogue.target(code))
    facts: dict = {}
    accepted = set.intersection(*(set(i.applicant_types) for i in items))
    if accepted and draw(st.booleans()):
        facts["applicant_type"] = draw(st.sampled_from(sorted(accepted)))
    if draw(st.booleans()):
        facts["agent"] = draw(st.booleans())
    for item in items:
        for field in item.fields:
            if field.type == "choice" and draw(st.booleans()):
                facts.setdefault(field.key, draw(st.sampled_from(field.choices)))
            elif field.type == "bool" and draw(st.booleans()):
                facts.setdefault(field.key, draw(st.booleans()))
    materials = sorted(catalogue.materials)
    presented = draw(
        st.dictionaries(
            st.sampled_from(materials),
            st.fixed_dictionaries({"original": st.integers(0, 3), "copies": st.integers(0, 3)}),
            max_size=8,
        )
    )
    return code, facts, presented, draw(st.booleans())


def outcome(catalogue, code, facts, presented, sharing):
    return evaluate(catalogue, code, facts, presented, sharing, DAY)


@pytest.mark.parametrize("name", ["mini", "bundled"])
def test_presenting_more_never_makes_the_outcome_worse(name: str) -> None:
    catalogue = catalogue_named(name)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(request=requests(catalogue), extra=st.data())
    def prop(request, extra) -> None:
        code, facts, presented, sharing = request
        try:
            before = outcome(catalogue, code, facts, presented, sharing)
        except RequestError:
            return  # a bundle whose items give a shared field different choices
        more = {m: dict(c) for m, c in presented.items()}
        material = extra.draw(st.sampled_from(sorted(catalogue.materials)))
        entry = more.setdefault(material, {"original": 0, "copies": 0})
        entry[extra.draw(st.sampled_from(["original", "copies"]))] += extra.draw(st.integers(1, 3))
        after = outcome(catalogue, code, facts, more, sharing)
        assert RANK[after.outcome] <= RANK[before.outcome]
        assert len(after.missing) <= len(before.missing)

    prop()


@pytest.mark.parametrize("name", ["mini", "bundled"])
def test_a_bundle_never_needs_less_than_any_of_its_items(name: str) -> None:
    catalogue = catalogue_named(name)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(request=requests(catalogue, bundles_only=True))
    def prop(request) -> None:
        code, facts, presented, sharing = request
        try:
            bundle = outcome(catalogue, code, facts, presented, sharing)
        except RequestError:
            return
        lines = {line.material: line for line in bundle.checklist}
        for item_code in catalogue.bundles[code].items:
            item = outcome(catalogue, item_code, facts, presented, sharing)
            assert RANK[bundle.outcome] >= RANK[item.outcome]
            assert bundle.promised_days >= item.promised_days
            assert bundle.legal_days >= item.legal_days
            for line in item.checklist:
                merged = lines[line.material]
                assert merged.original >= line.original and merged.copies >= line.copies
                assert NEED_STRENGTH[merged.need] >= NEED_STRENGTH[line.need]

    prop()
