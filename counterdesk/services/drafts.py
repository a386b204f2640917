"""Intake drafts: everything typed so far, kept in the encrypted store on every change.

Apart from ``intake.py`` so that the queue (which lists unfinished intakes) starts without
loading the rules of an intake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the store is opened (and imported) in a worker at start
    from offline import Store


DRAFT_KIND = "intake"


@dataclass
class IntakeDraft:
    """Everything typed so far, as typed. Serialised whole to the store on every change."""

    id: str
    officer: str
    started_at: str
    target: str = ""
    applicant_type: str = "natural"
    name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    contact_name: str = ""
    has_agent: bool = False
    agent_name: str = ""
    agent_id: str = ""
    agent_phone: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    edited_fields: list[str] = field(default_factory=list)  # not filled from the applicant
    received: dict[str, dict[str, int]] = field(default_factory=dict)
    sharing: bool = True  # use data sharing when it is available
    updated_at: str = ""

    @classmethod
    def new(cls, officer: str, now: dt.datetime) -> IntakeDraft:
        return cls(id=str(uuid.uuid4()), officer=officer, started_at=now.isoformat())

    def to_json(self) -> dict[str, Any]:
        return {"kind": DRAFT_KIND, **dataclasses.asdict(self)}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> IntakeDraft:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in doc.items() if key in known})

    @property
    def is_empty(self) -> bool:
        return not (self.target or self.name or self.id_number or self.phone)


class DraftKeeper:
    """Saves the newest version of each draft, in order, from any number of threads:
    ``offer`` is cheap (the screen calls it on every change); ``flush`` (in a worker
    thread) writes what is newest, so an older version never overwrites a newer one.
    A draft being submitted is ``retire``d first, so no late flush brings it back."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._pending: dict[str, dict[str, Any]] = {}
        self._retired: set[str] = set()

    def offer(self, draft: IntakeDraft, now: dt.datetime) -> None:
        draft.updated_at = now.isoformat()
        with self._lock:
            if draft.id not in self._retired:
                self._pending[draft.id] = draft.to_json()

    def flush(self) -> int:
        """Write the pending drafts (blocking); on a write error they stay pending."""
        with self._lock:
            pending, self._pending = self._pending, {}
            if not pending:
                return 0
            try:
                self._store.save_batch(drafts=list(pending.values()))
            except Exception:
                self._pending = {**pending, **self._pending}
                raise
        return len(pending)

    def retire(self, draft_id: str) -> None:
        """Stop saving this draft (it is being submitted); waits for a flush under way."""
        with self._lock:
            self._retired.add(draft_id)
            self._pending.pop(draft_id, None)

    def revive(self, draft: IntakeDraft, now: dt.datetime) -> None:
        """The submit did not go ahead: keep saving the draft again."""
        with self._lock:
            self._retired.discard(draft.id)
        self.offer(draft, now)

    def discard(self, draft_id: str) -> None:
        """The officer threw the draft away."""
        self.retire(draft_id)
        self._store.save_batch(discard_drafts=[draft_id])

    def drafts_of(self, officer: str) -> list[IntakeDraft]:
        docs = self._store.list_drafts(
            where=lambda d: d.get("kind") == DRAFT_KIND and d.get("officer") == officer
        )
        drafts = [IntakeDraft.from_json(doc) for doc in docs]
        return sorted(drafts, key=lambda d: d.updated_at or d.started_at, reverse=True)
