"""The words of a generated scenario: the applicant's situation and request, notes on
flawed papers, guided-mode hints, and the refusals (matters this centre does not handle, or
that need no licence) that a practice run may throw at the trainee.

Kept apart from the generator so the sentences can be read and improved in one place.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from counterdesk.domain.catalogue.model import Catalogue, Target
from counterdesk.domain.checklist import Shortfall
from counterdesk.domain.identity import birth_date_of
from counterdesk.domain.training import people
from counterdesk.domain.training.consistency import ExpectedHandling, catalogue_matches
from counterdesk.domain.training.model import (
    PAPER_TITLES,
    Applicant,
    Bilingual,
    CompetentAuthority,
    Expected,
    Hint,
    Paper,
    Refusal,
    Scenario,
)

# Which flaws a paper of each kind can plausibly have.
_FLAWS_BY_KIND = {
    "certificate": ("expired", "wrong_person", "illegible"),
    "form": ("unsigned", "illegible"),
    "other": ("illegible", "wrong_document"),
}
_FLAW_NOTES = {
    "expired": ("已过有效期", "past its validity date"),
    "wrong_person": ("上面是别人的姓名", "it bears someone else's name"),
    "illegible": ("字迹模糊，无法辨认", "blurred and unreadable"),
    "wrong_document": ("实为另一份文件", "it is a different document"),
    "unsigned": ("申请人未签字", "the applicant has not signed it"),
}

# (asked for, ground, competent authority or None, reason): matters a centre is asked about
# but does not handle, from what officers meet at the counter.
_REFUSALS = (
    (
        Bilingual("商标注册", "trademark registration"),
        "not_this_authority",
        CompetentAuthority(
            "国家知识产权局",
            "China National Intellectual Property Administration",
            ("知识产权局", "商标局", "CNIPA"),
        ),
        Bilingual(
            "商标注册由国家知识产权局受理，不属于本中心受理事项。",
            "Trademarks are registered by the national IP administration, not by this centre.",
        ),
    ),
    (
        Bilingual("机动车驾驶证换证", "driving licence renewal"),
        "not_this_authority",
        CompetentAuthority(
            "公安局交通警察支队车辆管理所",
            "traffic police vehicle administration office",
            ("车管所", "交警", "车辆管理所"),
        ),
        Bilingual(
            "驾驶证换证由公安交警部门车辆管理所办理。",
            "Driving licences are renewed by the traffic police vehicle office.",
        ),
    ),
    (
        Bilingual(
            "在农贸市场销售自家种的蔬菜", "selling home-grown vegetables at the farmers' market"
        ),
        "no_licence_needed",
        None,
        Bilingual(
            "依据《无证无照经营查处办法》第三条，在指定场所销售自产农副产品无需取得许可或办理登记。",
            "Under the Measures on Unlicensed Business art. 3, selling one's own farm produce at a "
            "designated market needs no licence or registration.",
        ),
    ),
    (
        Bilingual("网上出售自己做的手工艺品", "selling one's own handicrafts online"),
        "no_licence_needed",
        None,
        Bilingual(
            "依据《电子商务法》第十条，个人销售家庭手工业产品无需办理市场主体登记。",
            "Under the E-Commerce Law art. 10, individuals selling their own handicrafts need no "
            "business registration.",
        ),
    ),
)


def flaw_note(rng: random.Random, catalogue: Catalogue, material: str) -> tuple[str, Bilingual]:
    kind = catalogue.materials[material].kind if material in catalogue.materials else "other"
    if material in ("id_card", "agent_id_card"):
        flaw = rng.choice(("expired", "expired", "wrong_person"))
    else:
        flaw = rng.choice(_FLAWS_BY_KIND.get(kind, _FLAWS_BY_KIND["other"]))
    zh, en = _FLAW_NOTES[flaw]
    return flaw, Bilingual(zh, en)


def situation_for(
    scenario: Scenario, target: Target, region: people.Region
) -> tuple[Bilingual, Bilingual]:
    applicant = scenario.applicant
    zh: list[str] = []
    en: list[str] = []
    if applicant.type == "natural":
        age = _age(applicant.id_number, scenario.date)
        zh.append(f"{applicant.name}，{age}岁，户籍地{region.zh}。")
        en.append(f"{people.name_en(applicant.name)}, {age}, registered in {region.en}.")
        who_zh, who_en = applicant.name, people.name_en(applicant.name)
    else:
        contact_en = people.name_en(applicant.contact_name)
        zh.append(f"{applicant.contact_name}是{applicant.name}的经办人。")
        en.append(f"{contact_en} handles paperwork for {applicant.name}.")
        who_zh, who_en = applicant.name, applicant.name
    if scenario.agent is not None:
        zh.append(f"{scenario.agent.name}受{who_zh}委托前来代办。")
        en.append(f"{people.name_en(scenario.agent.name)} comes on behalf of {who_en}.")
    if not scenario.sharing:
        zh.append("今天电子证照库无法连接，共享材料须由申请人提供。")
        en.append("The electronic licence library is down today: shared papers must be brought.")
    if not scenario.willing_to_commit:
        zh.append("申请人表示不愿签署任何承诺书。")
        en.append("The applicant says they will not sign any commitment.")
    request = Bilingual(
        f"您好，我来办{target.name}。", f"Hello, I'm here for: {target.name_en or target.name}."
    )
    return Bilingual("".join(zh), " ".join(en)), request


def hints_for(
    scenario: Scenario, catalogue: Catalogue, handling: ExpectedHandling
) -> tuple[Hint, ...]:
    target = catalogue.target(handling.target) if handling.target else None
    hints: list[Hint] = []
    if target is not None:
        hints.append(
            Hint(
                "target",
                f"申请人要办的是{target.name}（{target.code}）。",
                f"The applicant needs {target.name_en or target.name} ({target.code}).",
            )
        )
    elif handling.refusal is not None and handling.refusal.asked_for is not None:
        asked = handling.refusal.asked_for
        hints.append(
            Hint(
                "target",
                f"目录里没有“{asked.zh}”：不选事项，登记申请人后不予受理。",
                f"No item covers {asked.en}: choose none, enter the applicant and refuse.",
            )
        )
    if scenario.slips:
        hints.append(
            Hint(
                "applicant",
                "申请表上的身份证号码与身份证不一致：以证件为准，请申请人当场更正。",
                "The ID number on the form differs from the card: the card is right; have the "
                "applicant correct the form on the spot.",
            )
        )
    for paper in scenario.papers:
        if paper.flaw is not None:
            zh, en = _material_name(catalogue, paper)
            note = paper.note or Bilingual(*_FLAW_NOTES[paper.flaw])
            hints.append(
                Hint(
                    "papers",
                    f"{zh}：{note.zh}，不能算作已收。",
                    f"{en}: {note.en}; it does not count.",
                )
            )
    copied = [_material_name(catalogue, Paper(m, 1, 0)) for m in handling.counter_copies]
    if copied:
        hints.append(
            Hint(
                "papers",
                f"{'、'.join(z for z, _ in copied)}只带了原件：窗口复印并登记。",
                f"Only the original of {', '.join(e for _, e in copied)}: copy it at the counter.",
            )
        )
    hints.append(_decision_hint(catalogue, handling))
    titles = [PAPER_TITLES[p] for p in handling.papers]
    hints.append(
        Hint(
            "print",
            f"打印{'、'.join(zh for zh, _ in titles)}。",
            f"Print the {', '.join(en for _, en in titles)}.",
        )
    )
    return tuple(hints)


def _decision_hint(catalogue: Catalogue, handling: ExpectedHandling) -> Hint:
    def listed(entries: tuple[Shortfall, ...]) -> tuple[str, str]:
        names = [_material_name(catalogue, Paper(e.material, 1, 0)) for e in entries]
        return "、".join(z for z, _ in names), ", ".join(e for _, e in names)

    if handling.outcome == "accept":
        return Hint("decision", "材料齐全：受理。", "Everything is here: accept.")
    if handling.outcome == "accept_deferral":
        zh, en = listed(handling.deferred)
        return Hint(
            "decision",
            f"只缺容缺材料（{zh}），申请人愿意承诺：容缺受理。",
            f"Only deferrable papers are missing ({en}) and the applicant will commit: accept "
            "with deferral.",
        )
    if handling.outcome == "notice":
        zh, en = listed(handling.missing)
        return Hint(
            "decision", f"缺少{zh}：一次性告知。", f"Missing {en}: issue the one-time notice."
        )
    reason = handling.refusal.reason if handling.refusal else Bilingual("", "")
    return Hint("decision", f"不予受理：{reason.zh}", f"Refuse: {reason.en}")


def _material_name(catalogue: Catalogue, paper: Paper) -> tuple[str, str]:
    material = catalogue.materials.get(paper.material)
    if material is None:
        return paper.material, paper.material
    return material.name, material.name_en or material.name


def _age(id_number: str, day: dt.date) -> int:
    birth = birth_date_of(id_number)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def refusal_scenario(
    catalogue: Catalogue, rng: random.Random, scenario_id: str, level: str, day: dt.date
) -> Scenario | None:
    """A matter to refuse, or None when this catalogue happens to hold it."""
    asked, ground, authority, reason = rng.choice(_REFUSALS)
    if catalogue_matches(catalogue, asked.zh):
        return None
    region = rng.choice(people.LOCAL_REGIONS)
    name = people.person_name(rng)
    birth = people.birth_date(rng, day, 20, 70)
    applicant = Applicant(
        "natural",
        name,
        people.mobile(rng),
        id_number=people.resident_id(rng, region, birth, rng.random() < 0.5),
        id_card_valid_until=day + dt.timedelta(days=rng.randint(30, 3650)),
    )
    refusal = Refusal(ground, reason, authority, asked)
    expected = Expected(None, "refuse", ("refusal",), refusal=refusal)
    scenario = Scenario(
        id=scenario_id,
        title=f"练习：{asked.zh}",
        title_en=f"Practice: {asked.en}",
        level=level,
        date=day,
        applicant=applicant,
        situation=Bilingual(
            f"{name}，{_age(applicant.id_number, day)}岁，住在{region.zh}。",
            f"{people.name_en(name)}, {_age(applicant.id_number, day)}, lives in {region.en}.",
        ),
        request=Bilingual(f"您好，我想办{asked.zh}。", f"Hello, I'd like to see about {asked.en}."),
        papers=(Paper("id_card", 1, 0),),
        facts={"applicant_type": "natural", "agent": False},
        expected=expected,
        source="generated",
    )
    handling = ExpectedHandling(None, "refuse", (), (), ("refusal",), refusal)
    return replace(scenario, hints=hints_for(scenario, catalogue, handling))
