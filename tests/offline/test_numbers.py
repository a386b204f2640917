"""Offline case numbers: leased blocks handed out once each, then provisional numbers."""

from __future__ import annotations

import pytest


def test_leased_numbers_then_provisional_ones(open_store) -> None:
    store = open_store()
    store.lease_add({"lease_id": "L1", "prefix": "JX2026-", "first": 41, "last": 43, "width": 6})
    got = [store.next_number("临-C3-") for _ in range(5)]
    assert got == [
        {"number": "JX2026-000041", "provisional": False},
        {"number": "JX2026-000042", "provisional": False},
        {"number": "JX2026-000043", "provisional": False},
        {"number": "临-C3-000001", "provisional": True},
        {"number": "临-C3-000002", "provisional": True},
    ]
    store.lease_add({"lease_id": "L2", "prefix": "JX2026-", "first": 90, "last": 91, "width": 6})
    assert store.numbers_left() == 2
    assert store.next_number("临-C3-")["number"] == "JX2026-000090"


def test_no_number_is_handed_out_twice_across_restarts(open_store) -> None:
    store = open_store()
    store.lease_add({"lease_id": "L1", "prefix": "N", "first": 1, "last": 4, "width": 3})
    first = [store.next_number("P")["number"] for _ in range(2)]
    store.close(checkpoint=False)
    store = open_store()
    rest = [store.next_number("P")["number"] for _ in range(4)]
    assert first + rest == ["N001", "N002", "N003", "N004", "P000001", "P000002"]
    store.close()
    store = open_store()
    assert store.next_number("P")["number"] == "P000003"


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"lease_id": "L1", "prefix": "N", "first": 1, "last": 9, "width": 3}, "already added"),
        ({"lease_id": "L2", "prefix": "N", "first": 9, "last": 20, "width": 3}, "overlaps"),
        ({"lease_id": "L3", "prefix": "N", "first": 5, "last": 2, "width": 3}, "before first"),
        ({"prefix": "N", "first": 1, "last": 2}, "lease_id"),
        ({"lease_id": "L4", "first": "1", "last": 2}, "whole number"),
    ],
)
def test_leases_that_would_repeat_numbers_are_refused(open_store, block, message) -> None:
    store = open_store()
    store.lease_add({"lease_id": "L1", "prefix": "N", "first": 1, "last": 9, "width": 3})
    with pytest.raises(ValueError, match=message):
        store.lease_add(block)
