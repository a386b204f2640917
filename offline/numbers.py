"""Official case numbers while offline: blocks leased by the server, handed out once each.

A number is consumed by a journal commit before it is returned, so a crash can lose a
number (a gap) but never hand the same one out twice. Leases are kept after they run out,
so that a block leased again by mistake, or overlapping an earlier one, is refused. With
no leased number left, numbers are provisional: clearly marked, and unique on this store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from offline.working_set import WorkingSet


def check_lease(ws: WorkingSet, block: Mapping[str, Any]) -> dict[str, Any]:
    """A lease as stored, or ValueError saying what is wrong with it."""
    lease_id, prefix = block.get("lease_id"), block.get("prefix", "")
    first, last, width = block.get("first"), block.get("last"), block.get("width", 0)
    if not isinstance(lease_id, str) or not lease_id:
        raise ValueError("a lease needs a lease_id")
    if not isinstance(prefix, str):
        raise ValueError(f"lease {lease_id}: prefix must be text")
    for name, value in (("first", first), ("last", last), ("width", width)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"lease {lease_id}: {name} must be a whole number")
    assert isinstance(first, int) and isinstance(last, int) and isinstance(width, int)
    if last < first:
        raise ValueError(f"lease {lease_id}: last is before first")
    for other in ws.tables["leases"].values():
        if other["lease_id"] == lease_id:
            raise ValueError(f"lease {lease_id} was already added")
        same_series = other["prefix"] == prefix and other["width"] == width
        if same_series and first <= other["last"] and other["first"] <= last:
            raise ValueError(
                f"lease {lease_id} overlaps lease {other['lease_id']}: numbers would repeat"
            )
    return {
        "lease_id": lease_id,
        "prefix": prefix,
        "first": first,
        "last": last,
        "width": width,
        "next": first,
    }


def take(ws: WorkingSet, provisional_prefix: str) -> tuple[dict[str, Any], list[list[Any]]]:
    """The next number and the changes that consume it."""
    for lease in ws.tables["leases"].values():
        if lease["next"] <= lease["last"]:
            number = f"{lease['prefix']}{lease['next']:0{lease['width']}d}"
            change = ["leases", lease["lease_id"], {**lease, "next": lease["next"] + 1}]
            return {"number": number, "provisional": False}, [change]
    n = int(ws.meta("provisional_next", 1))
    number = f"{provisional_prefix}{n:06d}"
    return {"number": number, "provisional": True}, [["meta", "provisional_next", n + 1]]


def left(ws: WorkingSet) -> int:
    return sum(max(0, lease["last"] - lease["next"] + 1) for lease in ws.tables["leases"].values())
