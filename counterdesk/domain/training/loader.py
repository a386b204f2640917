"""Reading a scenario file strictly: every problem, all at once, each with its JSON path.

Scenarios are written by hand by trainers, like the catalogue by administrators, so the
same rules hold: unknown keys are errors (they are usually typos) except ``x_`` keys, a key
repeated in one object is an error, counts are JSON integers and dates ``YYYY-MM-DD``.
Beyond shapes, this checks what can be checked without a catalogue: the persona's ID
numbers, codes and phones are valid, the facts agree with the persona, an expired ID card
is flawed on the desk, and the expected answer is well formed. What needs the catalogue
(codes, materials, the check itself) is ``consistency.scenario_problems``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from counterdesk.data import DATA_DIR
from counterdesk.domain.jsonread import JsonSyntaxError, describe, read_json
from counterdesk.domain.training.coherence import coherence_problems
from counterdesk.domain.training.model import (
    APPLICANT_TYPES,
    FLAWS,
    FORMAT_ID,
    HINT_STEPS,
    LEVELS,
    NEUTRAL_PAPERS,
    OUTCOME_PAPERS,
    OUTCOMES,
    PAPER_KINDS,
    REFUSAL_GROUNDS,
    AgentPersona,
    Applicant,
    CompetentAuthority,
    Expected,
    Hint,
    Paper,
    Refusal,
    Scenario,
)
from counterdesk.domain.training.reader import ShapeReader

SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
TOP_REQUIRED = (
    "format",
    "id",
    "title",
    "title_en",
    "level",
    "date",
    "applicant",
    "situation",
    "request",
    "papers",
    "facts",
    "expected",
)
TOP_OPTIONAL = (
    "agent",
    "hints",
    "willing_to_commit",
    "sharing",
    "counter_copies",
    "slips",
    "source",
)


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``problems`` lists every reason with its path."""

    def __init__(self, problems: list[str], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        super().__init__(f"{source}: {problems[0]}" if problems else source)


def parse_scenario(data: bytes | str, source: str = "scenario") -> Scenario:
    """The scenario in ``data`` (UTF-8 JSON), or ScenarioError listing every problem."""
    try:
        root = read_json(data)
    except JsonSyntaxError as exc:
        raise ScenarioError([f"$: {exc}"], source) from exc
    reader = _ScenarioReader()
    scenario = reader.scenario(root)
    if reader.problems or scenario is None:
        raise ScenarioError(reader.problems or ["$: unusable scenario"], source)
    return scenario


def validate_scenario(data: bytes | str) -> list[str]:
    """Every problem in ``data`` (empty for a well-formed scenario)."""
    try:
        parse_scenario(data)
    except ScenarioError as exc:
        return exc.problems
    return []


def bundled_scenarios() -> tuple[Scenario, ...]:
    """The scenarios shipped in ``counterdesk/data/scenarios``, in file-name order."""
    folder = DATA_DIR / "scenarios"
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name)
    return tuple(parse_scenario(f.read_bytes(), f"scenarios/{f.name}") for f in files)


class _ScenarioReader(ShapeReader):
    def scenario(self, root: Any) -> Scenario | None:
        obj = self.object(root, "", TOP_REQUIRED, TOP_OPTIONAL)
        if obj is None:
            return None
        if "format" in obj and obj["format"] != FORMAT_ID:
            self.report("format", f'must be "{FORMAT_ID}", got {describe(obj["format"])}')
        parts: dict[str, Any] = {
            "id": self._id(obj.get("id")),
            "title": self.string(obj.get("title"), "title"),
            "title_en": self.string(obj.get("title_en"), "title_en"),
            "level": self.choice(obj.get("level"), "level", LEVELS),
            "date": self.date(obj.get("date"), "date"),
            "applicant": self._applicant(obj.get("applicant")),
            "situation": self.bilingual(obj.get("situation"), "situation"),
            "request": self.bilingual(obj.get("request"), "request"),
            "papers": self._papers(obj.get("papers")),
            "facts": self._facts(obj.get("facts")),
            "expected": self._expected(obj.get("expected")),
            "agent": self._agent(obj["agent"]) if obj.get("agent") is not None else None,
            "hints": self._hints(obj.get("hints", [])),
            "slips": self._slips(obj.get("slips", {})),
            "source": self.string(obj.get("source", ""), "source", blank_ok=True),
        }
        for flag in ("willing_to_commit", "sharing", "counter_copies"):
            parts[flag] = self.boolean(obj.get(flag, True), flag)
        if any(parts[key] is None for key in parts if key != "agent"):
            return None
        if obj.get("agent") is not None and parts["agent"] is None:
            return None
        scenario = Scenario(**parts)
        self.problems.extend(coherence_problems(scenario))
        return scenario

    def _id(self, value: Any) -> str | None:
        text = self.string(value, "id")
        if text is not None and not SCENARIO_ID.fullmatch(text):
            self.report("id", f"scenario id {describe(text)} must match ^[a-z0-9][a-z0-9-]*$")
            return None
        return text

    def _applicant(self, value: Any) -> Applicant | None:
        optional = ("id_number", "id_card_valid_until", "contact_name", "contact_id_number")
        obj = self.object(value, "applicant", ("type", "name", "phone"), optional)
        if obj is None:
            return None
        parts: dict[str, Any] = {
            "type": self.choice(obj.get("type"), "applicant.type", APPLICANT_TYPES),
            "name": self.string(obj.get("name"), "applicant.name"),
            "phone": self.string(obj.get("phone"), "applicant.phone"),
        }
        if "id_number" in obj:
            parts["id_number"] = self.string(obj["id_number"], "applicant.id_number")
        elif obj.get("type") == "natural":
            self.report(
                "applicant.id_number", "required key is missing (a person has an ID number)"
            )
            return None
        if "id_card_valid_until" in obj:
            valid_until = self.date(obj["id_card_valid_until"], "applicant.id_card_valid_until")
            if valid_until is None:
                return None
            parts["id_card_valid_until"] = valid_until
        for key in ("contact_name", "contact_id_number"):
            if key in obj:
                parts[key] = self.string(obj[key], f"applicant.{key}")
        if any(v is None for v in parts.values()):
            return None
        return Applicant(**parts)

    def _agent(self, value: Any) -> AgentPersona | None:
        obj = self.object(value, "agent", ("name", "id_number", "phone"), ("id_card_valid_until",))
        if obj is None:
            return None
        name = self.string(obj.get("name"), "agent.name")
        id_number = self.string(obj.get("id_number"), "agent.id_number")
        phone = self.string(obj.get("phone"), "agent.phone")
        valid_until: dt.date | None = None
        if "id_card_valid_until" in obj:
            valid_until = self.date(obj["id_card_valid_until"], "agent.id_card_valid_until")
            if valid_until is None:
                return None
        if name is None or id_number is None or phone is None:
            return None
        return AgentPersona(name, id_number, phone, valid_until)

    def _papers(self, value: Any) -> tuple[Paper, ...] | None:
        entries = self.list_of(value, "papers")
        if entries is None:
            return None
        papers: list[Paper] = []
        ok = True
        for index, entry in enumerate(entries):
            path = f"papers[{index}]"
            obj = self.object(entry, path, ("material",), ("original", "copies", "flaw", "note"))
            if obj is None:
                ok = False
                continue
            material = self.material_id(obj.get("material"), f"{path}.material")
            counts = self.counts(obj, path)
            flaw = obj.get("flaw")
            if flaw is not None:
                flaw = self.choice(flaw, f"{path}.flaw", FLAWS)
            note = self.bilingual(obj["note"], f"{path}.note") if "note" in obj else None
            if (
                material is None
                or counts is None
                or (obj.get("flaw") is not None and flaw is None)
                or ("note" in obj and note is None)
            ):
                ok = False
                continue
            papers.append(Paper(material, counts[0], counts[1], flaw, note))
        return tuple(papers) if ok else None

    def _facts(self, value: Any) -> dict[str, Any] | None:
        obj = self.object(value, "facts", ("applicant_type",), any_key=True)
        if obj is None:
            return None
        ok = True
        for name, fact in obj.items():
            if not _scalar(fact):
                self.report(
                    f"facts.{name}", f"must be a string, number or bool, got {describe(fact)}"
                )
                ok = False
        if "agent" in obj and self.boolean(obj["agent"], "facts.agent") is None:
            ok = False
        if (
            "applicant_type" in obj
            and self.choice(obj["applicant_type"], "facts.applicant_type", APPLICANT_TYPES) is None
        ):
            ok = False
        return dict(obj) if ok and "applicant_type" in obj else None

    def _slips(self, value: Any) -> dict[str, Any] | None:
        obj = self.object(value, "slips", (), any_key=True)
        if obj is None:
            return None
        ok = True
        for name, slip in obj.items():
            if not _scalar(slip):
                self.report(
                    f"slips.{name}", f"must be a string, number or bool, got {describe(slip)}"
                )
                ok = False
        return dict(obj) if ok else None

    def _expected(self, value: Any) -> Expected | None:
        obj = self.object(
            value, "expected", ("target", "outcome", "papers"), ("missing", "deferred", "refusal")
        )
        if obj is None:
            return None
        target = obj.get("target")
        if target is not None:
            target = self.string(target, "expected.target")
        outcome = self.choice(obj.get("outcome"), "expected.outcome", OUTCOMES)
        papers = self._paper_kinds(obj.get("papers"), outcome)
        missing = self.shortfalls(obj.get("missing", []), "expected.missing")
        deferred = self.shortfalls(obj.get("deferred", []), "expected.deferred")
        refusal = self._refusal(obj["refusal"]) if obj.get("refusal") is not None else None
        if outcome is None or papers is None or missing is None or deferred is None:
            return None
        if obj.get("refusal") is not None and refusal is None:
            return None
        if "target" in obj and obj["target"] is not None and target is None:
            return None
        expected = Expected(target, outcome, papers, missing, deferred, refusal)
        self._expected_rules(expected)
        return expected

    def _expected_rules(self, expected: Expected) -> None:
        outcome = expected.outcome
        if (outcome == "refuse") != (expected.refusal is not None):
            self.report(
                "expected.refusal", "is required when, and only when, the outcome is refuse"
            )
        if expected.target is None and outcome != "refuse":
            self.report("expected.target", "may be null only when the outcome is refuse")
        refusal = expected.refusal
        if refusal is not None:
            if refusal.ground == "not_this_authority" and refusal.competent_authority is None:
                self.report(
                    "expected.refusal.competent_authority",
                    "required when the ground is not_this_authority",
                )
            if expected.target is None and refusal.asked_for is None:
                self.report("expected.refusal.asked_for", "required when no target is given")
        if (outcome == "notice") != bool(expected.missing):
            self.report(
                "expected.missing",
                "must list what is missing when, and only when, the outcome is notice",
            )
        if (outcome == "accept_deferral") != bool(expected.deferred):
            self.report(
                "expected.deferred",
                "must list what is deferred when, and only when, the outcome is accept_deferral",
            )

    def _paper_kinds(self, value: Any, outcome: str | None) -> tuple[str, ...] | None:
        entries = self.list_of(value, "expected.papers")
        if entries is None:
            return None
        kinds = [
            self.choice(e, f"expected.papers[{i}]", PAPER_KINDS) for i, e in enumerate(entries)
        ]
        if any(kind is None for kind in kinds):
            return None
        result = tuple(k for k in kinds if k is not None)
        if outcome is not None:
            needed = set(OUTCOME_PAPERS[outcome])
            decisive = set(result) - set(NEUTRAL_PAPERS)
            if decisive != needed:
                listed = ", ".join(f'"{p}"' for p in OUTCOME_PAPERS[outcome])
                self.report(
                    "expected.papers",
                    f"the outcome {outcome} prints {listed} (besides materials and form)",
                )
        return result

    def _refusal(self, value: Any) -> Refusal | None:
        optional = ("competent_authority", "asked_for")
        obj = self.object(value, "expected.refusal", ("ground", "reason"), optional)
        if obj is None:
            return None
        ground = self.choice(obj.get("ground"), "expected.refusal.ground", REFUSAL_GROUNDS)
        reason = self.bilingual(obj.get("reason"), "expected.refusal.reason")
        authority: CompetentAuthority | None = None
        if obj.get("competent_authority") is not None:
            authority = self._authority(obj["competent_authority"])
            if authority is None:
                return None
        asked_for = None
        if obj.get("asked_for") is not None:
            asked_for = self.bilingual(obj["asked_for"], "expected.refusal.asked_for")
            if asked_for is None:
                return None
        if ground is None or reason is None:
            return None
        return Refusal(ground, reason, authority, asked_for)

    def _authority(self, value: Any) -> CompetentAuthority | None:
        path = "expected.refusal.competent_authority"
        obj = self.object(value, path, ("zh", "en"), ("aliases",))
        if obj is None:
            return None
        zh = self.string(obj.get("zh"), f"{path}.zh")
        en = self.string(obj.get("en"), f"{path}.en")
        aliases = self.list_of(obj.get("aliases", []), f"{path}.aliases")
        names = [self.string(a, f"{path}.aliases[{i}]") for i, a in enumerate(aliases or [])]
        if zh is None or en is None or aliases is None or any(n is None for n in names):
            return None
        return CompetentAuthority(zh, en, tuple(n for n in names if n is not None))

    def _hints(self, value: Any) -> tuple[Hint, ...] | None:
        entries = self.list_of(value, "hints")
        if entries is None:
            return None
        hints: list[Hint] = []
        for index, entry in enumerate(entries):
            path = f"hints[{index}]"
            obj = self.object(entry, path, ("step", "zh", "en"))
            if obj is None:
                return None
            step = self.choice(obj.get("step"), f"{path}.step", HINT_STEPS)
            zh = self.string(obj.get("zh"), f"{path}.zh")
            en = self.string(obj.get("en"), f"{path}.en")
            if step is None or zh is None or en is None:
                return None
            hints.append(Hint(step, zh, en))
        return tuple(hints)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | Decimal | bool)
