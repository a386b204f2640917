"""容缺受理: the applicant's commitment to bring the deferred papers by a date, and what the
law says when it is not kept: the case is terminated (终止).

A case accepted with deferral runs like any accepted case; its commitment's due date is
``decision.due``. Once that day has passed without the papers, the commitment is overdue
(flagged on the queue and the case) and the counter may terminate the case, with a
reason; before then it may not (the applicant still has time). ``apply_operation`` asks
``termination_problem`` for every termination, so the counter and the server agree.
"""

from __future__ import annotations

import datetime as dt

from counterdesk.domain.cases.states import CaseState


def commitment_overdue(state: CaseState, due: dt.date | None, today: dt.date) -> bool:
    """The deferred papers were due before ``today`` and the case still waits for them."""
    return state is CaseState.ACCEPTED_DEFERRAL and due is not None and today > due


def termination_problem(state: CaseState, due: dt.date | None, on: dt.date) -> str:
    """Why the case cannot be terminated on ``on`` ("" when it can), Chinese / English."""
    if state is not CaseState.ACCEPTED_DEFERRAL:
        return "只有容缺受理的办件可以终止 / only a case accepted with deferral can be terminated"
    if due is None:
        return "该办件没有承诺期限 / this case has no commitment due date"
    if not commitment_overdue(state, due, on):
        return (
            f"承诺期限 {due.isoformat()} 未过，不能终止 / the commitment is due "
            f"{due.isoformat()}: the case cannot be terminated before that day has passed"
        )
    return ""
