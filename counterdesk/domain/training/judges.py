"""The judges of one part each of a trainee's handling: the facts entered, the papers
recorded as received, the notice or commitment lists and the refusal, the papers printed.

Each returns the mistakes it found as (code, detail in Chinese, detail in English,
material); ``scorer.score`` puts the points and rules on them. Split from scorer.py to keep
each module short.
"""

from __future__ import annotations

from typing import Any

from counterdesk.domain.catalogue.model import Catalogue
from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.identity import normalise_id_number, validate_phone
from counterdesk.domain.jsonread import describe, json_equal
from counterdesk.domain.training.consistency import (
    ExpectedHandling,
    flawed_counts,
    valid_counts,
)
from counterdesk.domain.training.handling import Handling, Received
from counterdesk.domain.training.model import (
    FLAW_LABELS,
    NEUTRAL_PAPERS,
    OUTCOME_PAPERS,
    PAPER_TITLES,
    Scenario,
)

Found = tuple[str, str, str, str]  # code, detail_zh, detail_en, material


class Names:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def target(self, code: str | None) -> tuple[str, str]:
        found = self.catalogue.target(code) if code else None
        if found is None:
            return ("（未选择）" if not code else code, "(none)" if not code else code)
        return f"{found.name}（{code}）", f"{found.name_en or found.name} ({code})"

    def material(self, material: str) -> tuple[str, str]:
        found = self.catalogue.materials.get(material)
        if found is None:
            return material, material
        return found.name, found.name_en or found.name


def judge_facts(scenario: Scenario, handling: Handling, catalogue: Catalogue) -> list[Found]:
    """The facts the trainee could enter: always applicant type and agent, and the
    scenario's field facts that the trainee's chosen target also asks for."""
    want = catalogue.target(scenario.expected.target or "")
    got = catalogue.target(handling.target) if handling.target else None
    want_fields = {f.key: f for i in catalogue.items_of(want) for f in i.fields} if want else {}
    got_fields = {f.key for i in catalogue.items_of(got) for f in i.fields} if got else set()
    found: list[Found] = []
    for name, value in scenario.facts.items():
        if name not in ("applicant_type", "agent") and name not in got_fields:
            continue
        field = want_fields.get(name)
        kind = field.type if field else ""
        entered = handling.facts.get(name, False if name == "agent" else None)
        expected_value = value if name != "agent" else bool(value)
        if _same(kind, expected_value, entered):
            continue
        zh, en = _FACT_LABELS.get(name) or (
            (field.label, field.label_en or field.label) if field else (name, name)
        )
        if name in scenario.slips and _same(kind, scenario.slips[name], entered):
            found.append(
                (
                    "copied_slip",
                    f"“{zh}”照抄了申请表上的笔误 {entered}，应为 {value}",
                    f"{en}: copied the slip {entered} from the form; it is {value}",
                    "",
                )
            )
        else:
            found.append(
                (
                    "wrong_fact",
                    f"“{zh}”录入为 {_shown(entered)}，应为 {_shown(expected_value)}",
                    f"{en}: entered {_shown(entered)}, should be {_shown(expected_value)}",
                    "",
                )
            )
    return found


_FACT_LABELS = {"applicant_type": ("申请人类型", "applicant type"), "agent": ("代办", "agent")}


def _shown(value: Any) -> str:
    return "—" if value is None else describe(value)


def _same(kind: str, expected: Any, entered: Any) -> bool:
    if isinstance(expected, str) and isinstance(entered, str):
        if kind in ("id_number", "uscc"):
            return normalise_id_number(expected) == normalise_id_number(entered)
        if kind == "phone":
            return validate_phone(expected).value == validate_phone(entered).value
    return entered is not None and json_equal(expected, entered)


def judge_received(
    scenario: Scenario, handling: Handling, expected: ExpectedHandling, names: Names
) -> list[Found]:
    valid, flawed = valid_counts(scenario), flawed_counts(scenario)
    checklist = expected.check.checklist if expected.check else ()
    on_checklist = [line.material for line in checklist if line.status != "by_sharing"]
    by_sharing = {line.material for line in checklist if line.status == "by_sharing"}
    materials = on_checklist + sorted(set(handling.received) - set(on_checklist) - by_sharing)
    found: list[Found] = []
    for material in materials:
        marked = handling.received.get(material, Received())
        have = valid.get(material, {"original": 0, "copies": 0})
        bad = flawed.get(material, {"original": 0, "copies": 0})
        counter_ok = scenario.counter_copies and have["original"] >= 1
        brought_copies = marked.copies - marked.made_at_counter
        over = (
            marked.original > have["original"]
            or (brought_copies > have["copies"] and (bad["copies"] > 0 or not counter_ok))
            or (marked.made_at_counter > 0 and not counter_ok)
        )
        zh, en = names.material(material)
        if over:
            flaws = sorted({p.flaw for p in scenario.papers if p.material == material and p.flaw})
            if flaws:
                labels = [FLAW_LABELS[f] for f in flaws]
                found.append(
                    (
                        "counted_flawed_paper",
                        f"把{'、'.join(z for z, _ in labels)}的{zh}算作已收",
                        f"counted the {en} ({', '.join(e for _, e in labels)}) as received",
                        material,
                    )
                )
            else:
                found.append(
                    (
                        "counted_absent_paper",
                        f"登记收到{zh}，但申请人没有递交",
                        f"recorded {en} as received; the applicant never handed it over",
                        material,
                    )
                )
        elif material in on_checklist:
            should = expected.presented.get(material, {"original": 0, "copies": 0})
            if marked.original < have["original"] or marked.copies < have["copies"]:
                found.append(
                    (
                        "uncounted_paper",
                        f"申请人递交了{zh}，但未登记",
                        f"the applicant handed over {en}; it was not recorded",
                        material,
                    )
                )
            elif material in expected.counter_copies and marked.copies < should["copies"]:
                found.append(
                    (
                        "copy_not_made",
                        f"{zh}有原件，应在窗口复印",
                        f"{en}: the original is here; copy it at the counter",
                        material,
                    )
                )
    return found


def judge_lists(handling: Handling, expected: ExpectedHandling, names: Names) -> list[Found]:
    if expected.outcome == "notice":
        return _compare(handling.missing, expected.missing, "notice", names)
    if expected.outcome == "accept_deferral":
        return _compare(handling.deferred, expected.deferred, "deferred", names)
    refusal = expected.refusal
    if expected.outcome != "refuse" or refusal is None:
        return []
    if handling.refusal_ground != refusal.ground:
        return [
            (
                "wrong_refusal_ground",
                f"理由为 {handling.refusal_ground}，应为 {refusal.ground}",
                f"ground given {handling.refusal_ground}; the ground is {refusal.ground}",
                "",
            )
        ]
    authority = refusal.competent_authority
    if refusal.ground == "not_this_authority" and authority is not None:
        written = "".join(handling.competent_authority.split()).casefold()
        accepted = [authority.zh, authority.en, *authority.aliases]
        if not any("".join(a.split()).casefold() in written for a in accepted):
            return [
                (
                    "authority_not_named",
                    f"应告知向{authority.zh}申请",
                    f"the applicant should be sent to the {authority.en}",
                    "",
                )
            ]
    return []


def _compare(
    given: tuple[Shortfall, ...], right: tuple[Shortfall, ...], kind: str, names: Names
) -> list[Found]:
    prefix = "notice" if kind == "notice" else "deferred"
    paper_zh = "补正通知书" if kind == "notice" else "承诺书"
    by_material = {s.material: s for s in given}
    found: list[Found] = []
    for shortfall in right:
        zh, en = names.material(shortfall.material)
        listed = by_material.pop(shortfall.material, None)
        if listed is None:
            found.append(
                (
                    f"{prefix}_missing_material",
                    f"{paper_zh}漏列{zh}",
                    f"{en} is not on the list",
                    shortfall.material,
                )
            )
        elif (listed.original, listed.copies) != (shortfall.original, shortfall.copies):
            found.append(
                (
                    f"{prefix}_wrong_count",
                    f"{zh}应为原件{shortfall.original}份、复印件{shortfall.copies}份",
                    f"{en}: {shortfall.original} original(s) and {shortfall.copies} copies are due",
                    shortfall.material,
                )
            )
    for material in by_material:
        zh, en = names.material(material)
        found.append(
            (
                f"{prefix}_extra_material",
                f"{paper_zh}多列了{zh}",
                f"{en} is listed but not missing",
                material,
            )
        )
    return found


def judge_papers(handling: Handling) -> list[Found]:
    """Judged against the trainee's own decision: a wrong decision already cost its points."""
    needed = OUTCOME_PAPERS.get(handling.outcome, ())
    found: list[Found] = []
    for kind in needed:
        if kind not in handling.printed:
            zh, en = PAPER_TITLES[kind]
            found.append(("paper_not_printed", f"未打印{zh}", f"the {en} was not printed", ""))
    for kind in dict.fromkeys(handling.printed):
        if kind not in needed and kind not in NEUTRAL_PAPERS:
            zh, en = PAPER_TITLES.get(kind, (kind, kind))
            found.append(
                (
                    "wrong_paper_printed",
                    f"{zh}与决定不符",
                    f"the {en} does not fit the decision",
                    "",
                )
            )
    return found
