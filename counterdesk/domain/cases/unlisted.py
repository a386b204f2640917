"""A matter no item of this centre covers: a trademark, a driving licence, selling one's own
vegetables. The law still wants a written answer (Administrative Licensing Law, art. 32):
no licence needed, or not this authority's matter (naming the competent one), refused in
writing (不予受理通知书).

Such a case's target is ``kind == "unlisted"`` with the fixed code ``UNLISTED`` and, as
``name``, what the applicant asked for in the officer's words. It has no catalogue item, so
no department, checklist, fields or time limits, and it can only be refused: created
received, then refused (``states.UNLISTED_MOVES``). ``apply_operation`` asks
``unlisted_problem`` after every operation and the state machine refuses every other move,
on the counter and on the server alike.

Plain Python (no pydantic): the catalogue's validation reserves the code too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from counterdesk.domain.cases.document import Case

UNLISTED_KIND: Final = "unlisted"
UNLISTED_CODE: Final = "UNLISTED"  # no catalogue item or bundle may use it


def is_unlisted(target: Mapping[str, Any] | None) -> bool:
    """Whether a case document's ``target`` member is an unlisted matter."""
    return target is not None and target.get("kind") == UNLISTED_KIND


def unlisted_target(asked_for: str) -> dict[str, str]:
    """The ``target`` member of a case for what the applicant asked for; ValueError when
    nothing is said."""
    name = " ".join(asked_for.split())
    if not name:
        raise ValueError("须写明申请人所申请的事项 / say what the applicant asked for")
    return {"kind": UNLISTED_KIND, "code": UNLISTED_CODE, "name": name, "name_en": ""}


def unlisted_problem(case: Case, *, created: bool = False) -> str:
    """What does not fit an unlisted case ("" when nothing): it is created received, and it
    never holds what only an item gives (checklist, fields, limits) or what follows an
    acceptance (the department's result, a hand-over)."""
    if case.target.kind != UNLISTED_KIND:
        return ""
    if created and case.state.value != "received":
        return (
            "非本中心事项的办件须以“收件”创建 / a case for a matter no item covers "
            "is created received"
        )
    if case.decision is not None and case.decision.outcome != "refuse":
        return (
            "非本中心事项只能不予受理 / a matter no item of this centre covers can only be refused"
        )
    held = [
        name
        for name, value in (
            ("fields", case.fields),
            ("received", case.received),
            ("check", case.check),
            ("limits", case.limits),
            ("department_result", case.department_result),
            ("issuance", case.issuance),
            ("attachments", case.attachments),
        )
        if value
    ]
    if held:
        return (
            "非本中心事项的办件没有事项的材料、时限或结果 / a case for a matter no item "
            f"covers holds no {', '.join(held)}"
        )
    return ""
