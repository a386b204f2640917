"""The audit trail: append-only, each entry chained to the one before by a hash.

An entry's hash covers its content and the previous entry's hash, so changing, removing or
reordering any entry breaks every link after it, which ``verify`` reports. Entries carry
who did what to which case (including who opened it), never a citizen's data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from offline.errors import AuditChainBroken
from offline.working_set import WorkingSet

GENESIS = "0" * 64
_STORE_OWNED = ("seq", "prev", "hash")


def audit_row_key(seq: int) -> str:
    return f"{seq:012d}"


def entry_hash(entry: Mapping[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chain(
    ws: WorkingSet, entries: Iterable[Mapping[str, Any]], now: str
) -> tuple[list[list[Any]], list[int]]:
    """Changes appending ``entries`` after the current head, and their sequence numbers."""
    head = ws.meta("audit_head", {"seq": 0, "hash": GENESIS})
    seq, prev = head["seq"], head["hash"]
    changes: list[list[Any]] = []
    seqs: list[int] = []
    for given in entries:
        if not isinstance(given, Mapping):
            raise ValueError("an audit entry must be a JSON object")
        for name in ("actor", "action"):
            if not isinstance(given.get(name), str) or not given[name]:
                raise ValueError(f"an audit entry needs {name}")
        taken = [name for name in _STORE_OWNED if name in given]
        if taken:
            raise ValueError(f"audit entries may not set {', '.join(taken)}: the store does")
        seq += 1
        entry = {**given, "at": given.get("at") or now, "seq": seq, "prev": prev}
        entry["hash"] = prev = entry_hash(entry)
        changes.append(["audit", audit_row_key(seq), entry])
        seqs.append(seq)
    if seqs:
        changes.append(["meta", "audit_head", {"seq": seq, "hash": prev}])
    return changes, seqs


def verify(entries: Iterable[Mapping[str, Any]], head: Mapping[str, Any] | None = None) -> int:
    """Check the whole chain from the first entry; returns how many entries it holds."""
    prev, expected = GENESIS, 1
    for entry in entries:
        seq = entry.get("seq")
        if seq != expected:
            raise AuditChainBroken(f"audit entry {expected} is missing (found {seq})")
        if entry.get("prev") != prev or entry_hash(entry) != entry.get("hash"):
            raise AuditChainBroken(f"audit entry {seq} was altered: its hash does not match")
        prev, expected = entry["hash"], expected + 1
    if head is not None and (head.get("seq") != expected - 1 or head.get("hash") != prev):
        raise AuditChainBroken(f"the audit trail ends at entry {expected - 1}, not at its head")
    return expected - 1
