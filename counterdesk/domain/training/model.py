"""A training scenario as the program holds it once a file has been read and checked.

A scenario is one applicant at the counter: who they are, what they ask for in their own
words, the papers they put on the desk (some of them flawed), the facts of their case, and
what a careful officer does with it. Immutable, like the catalogue: the screens, the scorer
and the generator share one scenario and must not change it behind each other's backs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from counterdesk.domain.checklist import Shortfall

FORMAT_ID: Final = "counterdesk-scenario/1"
LEVELS = ("beginner", "intermediate", "exam")
# What the law lets the counter decide (art. 32); "receive" (收件, decide within five days)
# is open to a trainee but never the expected answer: every scenario can be judged on the spot.
OUTCOMES = ("accept", "accept_deferral", "notice", "refuse")
TRAINEE_OUTCOMES = (*OUTCOMES, "receive")
OUTCOME_LABELS: Mapping[str, tuple[str, str]] = {
    "accept": ("受理", "accept"),
    "accept_deferral": ("容缺受理", "accept with deferral"),
    "notice": ("一次性告知补正", "one-time notice"),
    "refuse": ("不予受理", "refuse"),
    "receive": ("仅收件", "receive only"),
}
# The completeness check's own outcomes, for the debrief.
CHECK_LABELS: Mapping[str, tuple[str, str]] = {
    "complete": ("材料齐全", "complete"),
    "deferrable": ("仅缺容缺材料", "only deferrable papers missing"),
    "incomplete": ("材料不齐", "incomplete"),
}
REFUSAL_GROUNDS = ("no_licence_needed", "not_this_authority", "other")
# Why a paper on the desk does not count, whatever it looks like.
FLAWS = ("expired", "wrong_person", "illegible", "wrong_document", "unsigned")
FLAW_LABELS: Mapping[str, tuple[str, str]] = {
    "expired": ("已过期", "expired"),
    "wrong_person": ("非本人", "someone else's"),
    "illegible": ("无法辨认", "illegible"),
    "wrong_document": ("文件不符", "the wrong document"),
    "unsigned": ("未签字", "unsigned"),
}
APPLICANT_TYPES = ("natural", "legal")
# The papers the counter prints, named as counterdesk.forms.paper.DocKind names them
# (the domain may not import the forms package, which needs reportlab).
PAPER_KINDS = ("receipt", "notice", "commitment", "refusal", "materials", "form", "delivery")
OUTCOME_PAPERS: Mapping[str, tuple[str, ...]] = {
    "accept": ("receipt",),
    "accept_deferral": ("receipt", "commitment"),
    "notice": ("notice",),
    "refuse": ("refusal",),
    "receive": ("materials",),
}
PAPER_TITLES: Mapping[str, tuple[str, str]] = {
    "receipt": ("受理回执", "acceptance receipt"),
    "notice": ("补正材料通知书", "one-time notice of missing materials"),
    "commitment": ("容缺受理承诺书", "deferral commitment"),
    "refusal": ("不予受理通知书", "refusal notice"),
    "materials": ("材料接收凭证", "materials received slip"),
    "form": ("申请表", "application form"),
    "delivery": ("送达回执", "delivery receipt"),
}
# Printed with any decision without harm: the slip of what was received, the filled-in form.
NEUTRAL_PAPERS = ("materials", "form")
HINT_STEPS = ("target", "applicant", "facts", "papers", "decision", "print")


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str


@dataclass(frozen=True)
class Applicant:
    """The applicant: a person (resident ID number) or an organisation (unified social
    credit code, with the contact who comes to the counter and shows their own ID card).

    ``id_card_valid_until`` is printed on the ID card shown at the counter: the natural
    applicant's own, or the organisation contact's.
    """

    type: str  # "natural" or "legal"
    name: str
    phone: str
    # Resident ID for a person; unified social credit code for an organisation, empty for
    # one being registered (its code comes with the licence).
    id_number: str = ""
    id_card_valid_until: dt.date | None = None
    contact_name: str = ""
    contact_id_number: str = ""


@dataclass(frozen=True)
class AgentPersona:
    """Someone applying on the applicant's behalf (代办)."""

    name: str
    id_number: str
    phone: str
    id_card_valid_until: dt.date | None = None


@dataclass(frozen=True)
class Paper:
    """One paper the applicant puts on the desk. A flawed paper does not count at all."""

    material: str
    original: int
    copies: int
    flaw: str | None = None
    note: Bilingual | None = None  # what the trainee sees on it ("valid until 2026-10-31")


@dataclass(frozen=True)
class CompetentAuthority:
    zh: str
    en: str
    # Other ways of naming it that a trainee's text may use ("车管所" for the vehicle office).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    ground: str
    reason: Bilingual
    competent_authority: CompetentAuthority | None = None
    asked_for: Bilingual | None = None  # what the applicant wants, when no item is it


@dataclass(frozen=True)
class Expected:
    """What the scenario's author says a careful officer does; checked against the shared
    completeness check by ``consistency.scenario_problems``."""

    target: str | None
    outcome: str
    papers: tuple[str, ...]
    missing: tuple[Shortfall, ...] = ()
    deferred: tuple[Shortfall, ...] = ()
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Hint:
    step: str
    zh: str
    en: str


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    title_en: str
    level: str
    date: dt.date  # the day the story happens: ID card expiry and birth dates count from it
    applicant: Applicant
    situation: Bilingual
    request: Bilingual
    papers: tuple[Paper, ...]
    facts: Mapping[str, Any]
    expected: Expected
    agent: AgentPersona | None = None
    hints: tuple[Hint, ...] = ()
    willing_to_commit: bool = True  # signs a deferral commitment when offered
    sharing: bool = True  # the electronic licence library answers today
    counter_copies: bool = True  # the counter may copy an original the applicant brought
    slips: Mapping[str, Any] = field(default_factory=dict)  # fact -> value miswritten on the form
    source: str = ""  # the news story or situation it follows

    @property
    def target(self) -> str | None:
        return self.expected.target
