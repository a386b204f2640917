"""Copies of stored JSON documents for callers, so that nothing a caller changes reaches
the store's memory.

Stored documents hold only dicts, lists and immutable scalars (they are JSON), so a plain
recursive copy does what ``copy.deepcopy`` does about five times faster (no memo, no
dispatch on type): the queue copies every open case at each start of the counter.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def copy_json(value: T) -> T:
    """A copy of ``value`` sharing nothing mutable with it (dicts and lists are copied)."""
    return _copy(value)


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    return value
