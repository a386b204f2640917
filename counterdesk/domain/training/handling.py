"""What a trainee did with a scenario, as the training screens hand it to the scorer.

Kept small and plain (no screen state, no case document): the screens fill it from the
intake draft and the decision, the scorer reads it, tests build it by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from counterdesk.domain.catalogue.model import Catalogue
from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.training.consistency import expected_handling
from counterdesk.domain.training.model import Scenario


@dataclass(frozen=True)
class Received:
    """What the trainee recorded as received for one material."""

    original: int = 0
    copies: int = 0  # copies kept, including those made at the counter
    made_at_counter: int = 0  # of which the counter copied or scanned itself


@dataclass(frozen=True)
class Handling:
    """The trainee's intake and decision.

    ``outcome`` is one of accept, accept_deferral, notice, refuse, or receive (收件 only,
    decided later). ``missing`` is the one-time notice's list, ``deferred`` the
    commitment's; ``printed`` the papers printed, named as ``forms.paper.DocKind``.
    """

    target: str | None
    outcome: str
    facts: Mapping[str, Any] = field(default_factory=dict)
    received: Mapping[str, Received] = field(default_factory=dict)
    missing: tuple[Shortfall, ...] = ()
    deferred: tuple[Shortfall, ...] = ()
    refusal_ground: str | None = None
    competent_authority: str = ""
    printed: tuple[str, ...] = ()
    seconds: float = 0.0
    keys: int = 0


def perfect_handling(
    scenario: Scenario, catalogue: Catalogue, accepted_on: dt.date | None = None
) -> Handling:
    """The handling that scores full marks: for guided mode's "show me" and for tests."""
    expected = expected_handling(scenario, catalogue, accepted_on)
    received = {
        material: Received(
            counts["original"], counts["copies"], expected.counter_copies.get(material, 0)
        )
        for material, counts in expected.presented.items()
    }
    refusal = expected.refusal
    authority = refusal.competent_authority if refusal else None
    return Handling(
        target=expected.target,
        outcome=expected.outcome,
        facts=dict(scenario.facts) if expected.target else {},
        received=received,
        missing=expected.missing,
        deferred=expected.deferred,
        refusal_ground=refusal.ground if refusal else None,
        competent_authority=authority.zh if authority else "",
        printed=expected.papers,
    )
