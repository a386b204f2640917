"""The time limits fixed when a case is accepted (its ``limits`` member): the promised and
legal limits the completeness check computed for that day, and the items' fees.

One rule for the counter's decision and for the server, which fills them in when a
counter's acceptance arrives without them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counterdesk.domain.catalogue import Catalogue, Target
    from counterdesk.domain.checklist import CheckResult


def acceptance_limits(
    catalogue: Catalogue, target: Target, result: CheckResult, accepted_on: dt.date
) -> dict[str, Any]:
    """The case's ``limits`` (JSON form) for an acceptance on ``accepted_on``."""
    fee = sum((item.fee for item in catalogue.items_of(target)), Decimal(0))
    return {
        "accepted_on": accepted_on.isoformat(),
        "promised_days": result.promised_days,
        "legal_days": result.legal_days,
        "promised_by": result.promised_by.isoformat(),
        "legal_by": result.legal_by.isoformat(),
        "calendar_provisional": result.calendar_provisional,
        "fee": float(fee),
    }
