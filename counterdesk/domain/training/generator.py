"""Random practice scenarios from the catalogue, so trainees meet every item, not only the
bundled stories: a random item or bundle, a persona with valid identifiers, facts from the
item's fields, papers with some withheld and some flawed, and the expected handling
worked out by the shared check. The same seed and level always give the same scenario.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from counterdesk.domain.catalogue.model import Catalogue, Item, Target
from counterdesk.domain.checklist import ChecklistLine, evaluate
from counterdesk.domain.training import people
from counterdesk.domain.training.consistency import expected_handling
from counterdesk.domain.training.field_values import Household, field_value
from counterdesk.domain.training.model import (
    LEVELS,
    AgentPersona,
    Applicant,
    Bilingual,
    Expected,
    Paper,
    Scenario,
)
from counterdesk.domain.training.practice_text import (
    flaw_note,
    hints_for,
    refusal_scenario,
    situation_for,
)

DEFAULT_DAY = dt.date(2026, 11, 23)


class _Odds:
    """How hard a level is: chances per checklist line and per scenario."""

    def __init__(self, level: str) -> None:
        rank = LEVELS.index(level)
        self.bundle = (0.1, 0.25, 0.4)[rank]
        self.agent = (0.15, 0.3, 0.35)[rank]
        self.withhold = (0.05, 0.08, 0.1)[rank]
        self.withhold_deferrable = (0.3, 0.4, 0.45)[rank]
        self.flaw = (0.0, 0.08, 0.12)[rank]
        self.original_only = (0.0, 0.15, 0.2)[rank]
        self.slip = (0.0, 0.2, 0.3)[rank]
        self.refusal = (0.0, 0.05, 0.1)[rank]
        self.sharing_down = (0.0, 0.0, 0.1)[rank]
        self.unwilling = (0.0, 0.15, 0.2)[rank]


def generate_scenario(
    catalogue: Catalogue, seed: int, level: str = "beginner", *, day: dt.date | None = None
) -> Scenario:
    """A practice scenario; ``day`` (default 2026-11-23) is when it happens: pass the
    counter's today so ID cards expire and children are born relative to it."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    day = day or DEFAULT_DAY
    rng = random.Random(f"counterdesk-practice:{level}:{seed}")
    odds = _Odds(level)
    scenario_id = f"practice-{level}-{seed}".replace("--", "-m")
    if rng.random() < odds.refusal:
        refusal = refusal_scenario(catalogue, rng, scenario_id, level, day)
        if refusal is not None:
            return refusal
    target = _choose_target(catalogue, rng, odds)
    items = catalogue.items_of(target)
    applicant_type = rng.choice(_common_types(items))
    region = rng.choice(people.LOCAL_REGIONS if rng.random() < 0.7 else people.ORIGIN_REGIONS)
    applicant = _applicant(rng, applicant_type, region, day)
    agent = _agent(rng, day) if rng.random() < odds.agent else None
    home = Household(
        region,
        day,
        applicant.name[0] if applicant_type == "natural" else applicant.contact_name[0],
        applicant_type,
        applicant.id_number,
        applicant.phone,
        applicant.id_number if applicant_type == "natural" else applicant.contact_id_number,
    )
    facts: dict[str, object] = {"applicant_type": applicant_type, "agent": agent is not None}
    for item in items:
        for form_field in item.fields:
            if form_field.key not in facts and (form_field.required or rng.random() < 0.6):
                facts[form_field.key] = field_value(form_field, rng, home)
    sharing = rng.random() >= odds.sharing_down
    checklist = evaluate(catalogue, target.code, facts, {}, sharing, day).checklist
    papers = _papers(rng, odds, checklist, catalogue)
    applicant, agent = _expiry(rng, day, papers, applicant, agent)
    slips = {}
    own = "applicant_id_number"
    if own in facts and applicant_type == "natural" and rng.random() < odds.slip:
        slips[own] = people.mistyped(str(facts[own]), rng)
    draft = Scenario(
        id=scenario_id,
        title=f"练习：{target.name}",
        title_en=f"Practice: {target.name_en or target.name}",
        level=level,
        date=day,
        applicant=applicant,
        situation=Bilingual("", ""),
        request=Bilingual("", ""),
        papers=tuple(papers),
        facts=facts,
        expected=Expected(target.code, "accept", ("receipt",)),
        agent=agent,
        willing_to_commit=rng.random() >= odds.unwilling,
        sharing=sharing,
        slips=slips,
        source="generated",
    )
    handling = expected_handling(draft, catalogue)
    expected = Expected(
        target.code, handling.outcome, handling.papers, handling.missing, handling.deferred
    )
    situation, request = situation_for(draft, target, region)
    scenario = replace(draft, expected=expected, situation=situation, request=request)
    return replace(scenario, hints=hints_for(scenario, catalogue, handling))


def _choose_target(catalogue: Catalogue, rng: random.Random, odds: _Odds) -> Target:
    bundles = [
        b for _, b in sorted(catalogue.bundles.items()) if _common_types(catalogue.items_of(b))
    ]
    items: list[Target] = [i for _, i in sorted(catalogue.items.items())]
    if bundles and rng.random() < odds.bundle:
        return rng.choice(bundles)
    return rng.choice(items)


def _common_types(items: tuple[Item, ...]) -> list[str]:
    return [t for t in ("natural", "legal") if all(t in i.applicant_types for i in items)]


def _applicant(rng: random.Random, kind: str, region: people.Region, day: dt.date) -> Applicant:
    person = people.person_name(rng)
    number = people.resident_id(
        rng, region, people.birth_date(rng, day, 20, 62), rng.random() < 0.5
    )
    if kind == "natural":
        return Applicant("natural", person, people.mobile(rng), id_number=number)
    local = rng.choice(people.LOCAL_REGIONS)
    return Applicant(
        "legal",
        people.company_name(rng, local),
        people.landline(rng),
        id_number=people.credit_code(rng, local),
        contact_name=person,
        contact_id_number=number,
    )


def _agent(rng: random.Random, day: dt.date) -> AgentPersona:
    region = rng.choice(people.LOCAL_REGIONS)
    birth = people.birth_date(rng, day, 22, 55)
    return AgentPersona(
        people.person_name(rng),
        people.resident_id(rng, region, birth, rng.random() < 0.5),
        people.mobile(rng),
    )


def _papers(
    rng: random.Random, odds: _Odds, checklist: tuple[ChecklistLine, ...], catalogue: Catalogue
) -> list[Paper]:
    papers: list[Paper] = []
    for line in checklist:
        if line.status == "by_sharing":
            if rng.random() < 0.15:  # brought anyway: harmless, fetched by sharing
                papers.append(Paper(line.material, 0, max(1, line.copies)))
            continue
        if line.need == "optional" and rng.random() < 0.5:
            continue
        roll = rng.random()
        withhold = odds.withhold_deferrable if line.need == "deferrable" else odds.withhold
        if roll < withhold:
            continue
        if roll < withhold + odds.flaw:
            flaw, note = flaw_note(rng, catalogue, line.material)
            papers.append(Paper(line.material, line.original, line.copies, flaw, note))
        elif roll < withhold + odds.flaw + odds.original_only:
            papers.append(Paper(line.material, max(1, line.original), 0))  # the counter copies
        else:
            papers.append(Paper(line.material, line.original, line.copies))
    rng.shuffle(papers)  # as they come out of the applicant's bag
    return papers


def _expiry(
    rng: random.Random,
    day: dt.date,
    papers: list[Paper],
    applicant: Applicant,
    agent: AgentPersona | None,
) -> tuple[Applicant, AgentPersona | None]:
    """ID card dates fit the papers: past for an expired card on the desk, else future."""

    def valid_until(material: str) -> dt.date:
        if any(p.material == material and p.flaw == "expired" for p in papers):
            return day - dt.timedelta(days=rng.randint(1, 200))
        return day + dt.timedelta(days=rng.randint(30, 3650))

    applicant = replace(applicant, id_card_valid_until=valid_until("id_card"))
    if agent is not None:
        agent = replace(agent, id_card_valid_until=valid_until("agent_id_card"))
    for index, paper in enumerate(papers):
        if paper.flaw == "expired" and paper.material in ("id_card", "agent_id_card"):
            owner = applicant if paper.material == "id_card" else agent
            until = owner.id_card_valid_until if owner else None
            note = Bilingual(f"有效期至{until}", f"valid until {until}")
            papers[index] = replace(paper, note=note)
    return applicant, agent
