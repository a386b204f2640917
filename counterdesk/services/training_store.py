"""The wall between live work and practice, in the store itself.

A counter has two stores: the live one (``store/`` of its data folder) and the training
sandbox (``training/store/``). Every case document says which world it belongs to
(``"training": true`` for practice). These two store classes refuse a case of the other
world whatever code path tries to save it (an intake, a print record, a sync, a screen
not written yet), so a practice case can never reach the live store or its outbox, and a
live case never lands in the sandbox.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from counterdesk.i18n import _
from offline import SaveReceipt, Store


class TrainingMixError(ValueError):
    """A case of one world (live or training) sent to the other's store."""


def is_training(document: Mapping[str, Any]) -> bool:
    return document.get("training") is True


def _created_case(operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The case document a ``create`` operation carries, if it is one."""
    if operation.get("kind") != "create":
        return None
    payload = operation.get("payload")
    return payload if isinstance(payload, Mapping) else None


class CaseStore(Store):
    """A store that keeps the cases of one world only."""

    holds_training: ClassVar[bool] = False

    def save_batch(
        self,
        *,
        cases: Iterable[Mapping[str, Any]] = (),
        operations: Iterable[Mapping[str, Any]] = (),
        **rest: Any,
    ) -> SaveReceipt:
        cases, operations = list(cases), list(operations)
        documents = [*cases, *filter(None, map(_created_case, operations))]
        for document in documents:
            if is_training(document) is not self.holds_training:
                raise TrainingMixError(self.refusal(str(document.get("id", ""))))
        return super().save_batch(cases=cases, operations=operations, **rest)

    def refusal(self, case_id: str) -> str:
        if self.holds_training:
            return _("Case {case} is a live case: the training sandbox does not take it.").format(
                case=case_id
            )
        return _("Case {case} is a training case: the live store does not take it.").format(
            case=case_id
        )


class LiveStore(CaseStore):
    """The counter's own store: live cases only."""

    holds_training = False


class SandboxStore(CaseStore):
    """The training sandbox: practice cases only."""

    holds_training = True
