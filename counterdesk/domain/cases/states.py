"""The life of a case (办件状态) and who may move it: one state machine for the counter,
the server and the training scorer.

The table follows the Administrative Licensing Law's outcomes (shared/domain.md): a
received case is accepted, accepted with deferral, sent a one-time notice, or refused;
accepted cases go to the department, whose decision waits for issuance. ``terminated``
is not in the issue's list: it is where the law sends a deferral commitment that was not
kept, so it is a state of its own rather than a kind of refusal.
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    RECEIVED = "received"  # 收件: materials taken, decision pending (five-day notice clock)
    ACCEPTED = "accepted"  # 受理
    ACCEPTED_DEFERRAL = "accepted_deferral"  # 容缺受理
    AWAITING_SUPPLEMENT = "awaiting_supplement"  # 待补正: one-time notice issued, clock stopped
    REFUSED = "refused"  # 不予受理
    UNDER_REVIEW = "under_review"  # 部门审查
    APPROVED = "approved"  # 办结·通过
    REJECTED = "rejected"  # 办结·不通过
    READY_FOR_ISSUANCE = "ready_for_issuance"  # 待出件
    DELIVERED = "delivered"  # 已送达
    WITHDRAWN = "withdrawn"  # 撤件
    TERMINATED = "terminated"  # 终止: deferral commitment not kept

    @property
    def label_zh(self) -> str:
        return STATE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return STATE_LABELS[self][1]


STATE_LABELS: dict[CaseState, tuple[str, str]] = {
    CaseState.RECEIVED: ("收件", "Received"),
    CaseState.ACCEPTED: ("受理", "Accepted"),
    CaseState.ACCEPTED_DEFERRAL: ("容缺受理", "Accepted with deferral"),
    CaseState.AWAITING_SUPPLEMENT: ("待补正", "Awaiting supplement"),
    CaseState.REFUSED: ("不予受理", "Refused"),
    CaseState.UNDER_REVIEW: ("部门审查", "Under review"),
    CaseState.APPROVED: ("办结·通过", "Approved"),
    CaseState.REJECTED: ("办结·不通过", "Rejected"),
    CaseState.READY_FOR_ISSUANCE: ("待出件", "Ready for issuance"),
    CaseState.DELIVERED: ("已送达", "Delivered"),
    CaseState.WITHDRAWN: ("撤件", "Withdrawn"),
    CaseState.TERMINATED: ("终止", "Terminated"),
}


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    TRAINEE = "trainee"  # the officer's rights, but only ever on training cases (server-enforced)
    ADMIN = "admin"
    DEPARTMENT = "department"  # the back office deciding a case (server CLI, integrations)


COUNTER = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE})
BACK_OFFICE = frozenset({Role.DEPARTMENT, Role.ADMIN})
S = CaseState

# (from, to) -> roles allowed. Anything not listed is forbidden.
_DECISIONS = (S.ACCEPTED, S.ACCEPTED_DEFERRAL, S.AWAITING_SUPPLEMENT, S.REFUSED)
TRANSITIONS: dict[tuple[CaseState, CaseState], frozenset[Role]] = {
    **{(S.RECEIVED, to): COUNTER for to in _DECISIONS},
    # The applicant came back: accepted, or still short (a new notice of what remains).
    **{(S.AWAITING_SUPPLEMENT, to): COUNTER for to in _DECISIONS},
    (S.ACCEPTED_DEFERRAL, S.ACCEPTED): COUNTER,  # the deferred materials arrived
    (S.ACCEPTED_DEFERRAL, S.TERMINATED): COUNTER | {Role.ADMIN},
    (S.ACCEPTED, S.UNDER_REVIEW): BACK_OFFICE | {Role.SUPERVISOR},
    (S.ACCEPTED_DEFERRAL, S.UNDER_REVIEW): BACK_OFFICE | {Role.SUPERVISOR},
    **{
        (src, to): BACK_OFFICE
        for src in (S.ACCEPTED, S.UNDER_REVIEW)
        for to in (S.APPROVED, S.REJECTED)
    },
    (S.APPROVED, S.READY_FOR_ISSUANCE): BACK_OFFICE | COUNTER,
    (S.REJECTED, S.READY_FOR_ISSUANCE): BACK_OFFICE | COUNTER,
    (S.READY_FOR_ISSUANCE, S.DELIVERED): COUNTER,
    **{
        (src, S.WITHDRAWN): COUNTER
        for src in (
            S.RECEIVED,
            S.AWAITING_SUPPLEMENT,
            S.ACCEPTED,
            S.ACCEPTED_DEFERRAL,
            S.UNDER_REVIEW,
        )
    },
}

# A matter no item of this centre covers (target kind "unlisted", ``unlisted.py``) can only
# be refused: it has no checklist to accept on and no department to decide it.
UNLISTED_MOVES = frozenset({(S.RECEIVED, S.REFUSED)})

TERMINAL_STATES = frozenset({S.REFUSED, S.DELIVERED, S.WITHDRAWN, S.TERMINATED})
# Open at the counter: the officer still has something to do or to watch.
OPEN_STATES = frozenset(CaseState) - TERMINAL_STATES
# A reason is part of the record for these (refusal notice, withdrawal, termination).
REASON_REQUIRED = frozenset({S.REFUSED, S.WITHDRAWN, S.TERMINATED, S.REJECTED})


class TransitionError(ValueError):
    """A move the state machine or the actor's role does not allow."""


def allowed_targets(state: CaseState, role: Role, *, unlisted: bool = False) -> list[CaseState]:
    """Where ``role`` may move a case from ``state``; ``unlisted``: a case for a matter no
    item of this centre covers."""
    return [
        to
        for (src, to), roles in TRANSITIONS.items()
        if src == state and role in roles and (not unlisted or (src, to) in UNLISTED_MOVES)
    ]


def check_transition(
    state: CaseState, to: CaseState, role: Role, reason: str = "", *, unlisted: bool = False
) -> None:
    """Raise TransitionError, in words an officer understands, unless the move is allowed
    (``unlisted``: for a case of a matter no item covers, refusal only)."""
    roles = TRANSITIONS.get((state, to))
    if roles is None:
        raise TransitionError(
            f"办件不能从“{state.label_zh}”转为“{to.label_zh}” / "
            f"a case cannot go from {state.value} to {to.value}"
        )
    if unlisted and (state, to) not in UNLISTED_MOVES:
        raise TransitionError(
            f"非本中心事项只能不予受理，不能转为“{to.label_zh}” / a matter no item of this "
            f"centre covers can only be refused, not moved to {to.value}"
        )
    if role not in roles:
        raise TransitionError(
            f"角色 {role.value} 无权将办件转为“{to.label_zh}” / "
            f"role {role.value} may not move a case to {to.value}"
        )
    if to in REASON_REQUIRED and not reason.strip():
        raise TransitionError(
            f"转为“{to.label_zh}”须填写理由 / a reason is required for {to.value}"
        )
