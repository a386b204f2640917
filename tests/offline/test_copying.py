"""Documents handed out by the store are copies that share nothing mutable with it."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from offline.copying import copy_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def containers(value: Any) -> list[int]:
    """The ids of every dict and list inside ``value``."""
    if isinstance(value, dict):
        return [id(value), *(i for item in value.values() for i in containers(item))]
    if isinstance(value, list):
        return [id(value), *(i for item in value for i in containers(item))]
    return []


@given(json_values)
def test_a_copy_equals_the_original_and_shares_no_container(value: Any) -> None:
    copied = copy_json(value)
    assert copied == value == copy.deepcopy(value)
    assert not set(containers(copied)) & set(containers(value))


def test_changing_a_copy_leaves_the_original_alone() -> None:
    original = {"applicant": {"name": "张三"}, "timeline": [{"state_to": "received"}]}
    copied = copy_json(original)
    copied["applicant"]["name"] = "李四"
    copied["timeline"].append({"state_to": "accepted"})
    assert original == {"applicant": {"name": "张三"}, "timeline": [{"state_to": "received"}]}
