"""Field-level three-way merge of JSON documents, for sync.

When the server's copy of a document moved on while the counter changed it offline, the
two are reconciled member by member (top-level keys) against the *base*, the server
version the counter's changes were made on:

- a member only one side changed takes that side's value;
- a member both sides changed to the same value is simply that value;
- a member both sides changed differently is a **conflict**: it is reported, never
  decided silently; the officer chooses;
- members the server owns (for cases: state and assignee) always take the server's value,
  and are never a conflict: the server is the authority on them.

Pure functions over plain JSON values; nothing here knows what a case is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Doc = Mapping[str, Any]


class _Missing:
    """A member absent from a document (distinct from a member whose value is null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class MemberConflict:
    """One member changed on both sides: the base value and each side's value."""

    member: str
    base: Any
    ours: Any
    theirs: Any
    base_known: bool = True

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            return None if value is MISSING else value

        return {
            "member": self.member,
            "base": plain(self.base),
            "ours": plain(self.ours),
            "theirs": plain(self.theirs),
            "base_known": self.base_known,
        }


@dataclass(frozen=True)
class Merged:
    """The merged document and what could not be merged.

    While a conflict is open the document keeps *our* value of the member, so the
    officer's unsynced work stays visible; the conflict says what the server holds.
    """

    document: dict[str, Any]
    conflicts: dict[str, MemberConflict] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge3(
    base: Doc | None,
    ours: Doc,
    theirs: Doc,
    *,
    server_owned: Iterable[str] = (),
    mergeable: Iterable[str] | None = None,
) -> Merged:
    """Merge ``ours`` and ``theirs`` member by member against ``base``.

    ``mergeable``: the members merged field by field; any other member takes the
    server's value (bookkeeping such as version numbers and history lists, which only
    the server's own application of operations may change). ``None``: every member not
    server-owned is mergeable. A ``base`` of None means the base is unknown: then any
    member the two sides disagree on is a conflict, since who changed it cannot be told.
    """
    owned = frozenset(server_owned)
    allowed = None if mergeable is None else frozenset(mergeable)
    document: dict[str, Any] = {}
    conflicts: dict[str, MemberConflict] = {}
    for member in _members(ours, theirs, base or {}):
        mine, server = ours.get(member, MISSING), theirs.get(member, MISSING)
        if member in owned or (allowed is not None and member not in allowed):
            value = server
        elif mine == server:
            value = mine
        elif base is None:
            conflicts[member] = MemberConflict(member, MISSING, mine, server, base_known=False)
            value = mine
        else:
            was = base.get(member, MISSING)
            if mine == was:
                value = server
            elif server == was:
                value = mine
            else:
                conflicts[member] = MemberConflict(member, was, mine, server)
                value = mine
        if value is not MISSING:
            document[member] = value
    return Merged(document, conflicts)


def apply_changes(document: Doc, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` with the members of ``changes`` replaced (a copy; shallow)."""
    return {**document, **changes}


def changed_members(before: Doc, after: Doc) -> set[str]:
    """Top-level members whose value differs (added and removed ones included)."""
    return {m for m in _members(before, after) if before.get(m, MISSING) != after.get(m, MISSING)}


def _members(*docs: Doc) -> list[str]:
    """Every member of the documents, in first-seen order (stable output for people)."""
    seen: dict[str, None] = {}
    for doc in docs:
        for member in doc:
            seen[member] = None
    return list(seen)
