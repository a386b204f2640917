"""容缺受理承诺书, the deferral commitment: the applicant's signed promise to bring the
deferrable materials by a date, knowing the case is terminated if they do not."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import DocumentError, PaperFacts, long_date
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    decision = facts.case.decision
    if decision is None or decision.outcome != "accept_deferral" or not decision.deferred:
        raise DocumentError(
            "容缺受理承诺书需要“容缺受理”决定及容缺材料清单 / "
            "the commitment needs an accept-with-deferral decision listing the deferred materials"
        )
    if decision.due is None:
        raise DocumentError("容缺受理须写明补齐期限 / a deferral needs a due date")
    kind = DocKind.COMMITMENT
    applicant = facts.case.applicant
    target = facts.case.target
    due, due_en = long_date(decision.due), decision.due.isoformat()
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en)
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(paper.entries([*facts.applicant_entries(), *facts.centre_entries()]))
    parts.append(
        paper.p(
            f"本人（单位）{applicant.name}申请办理“{target.name}”，主要申请材料齐全、符合法定形式，"
            "下列次要材料暂缺。本人（单位）自愿申请容缺受理，并郑重承诺：",
            f"I ({applicant.name}) apply for the item above. The main materials are complete; "
            "the secondary materials below are missing. I ask for acceptance with deferral "
            "and undertake:",
        )
    )
    parts.append(paper.heading("容缺材料", "Deferred materials"))
    parts.append(
        paper.materials(
            facts.shortfall_rows(decision.deferred),
            ("需提交原件", "Originals to show"),
            ("需提交复印件", "Copies to hand in"),
        )
    )
    promises = [
        (
            f"一、于{due}前，将上列材料全部提交至{facts.centre}，提交方式：窗口递交或按中心告知的方式提交。",
            f"1. To bring every material listed above to {facts.centre} by {due_en}, "
            "at the counter or as the centre instructs.",
        ),
        (
            "二、所提交材料真实、合法、有效，与已提交材料内容一致。",
            "2. That the materials are genuine, lawful and valid, and agree with those "
            "already submitted.",
        ),
        (
            "三、逾期未补齐的，本申请终止办理；已作出的决定依法处理，由此产生的后果由本人（单位）承担。",
            f"3. If they are not brought by {due_en}, the application is terminated, any "
            "decision already made is dealt with according to law, and I bear the consequences.",
        ),
    ]
    parts += [paper.p(zh, en) for zh, en in promises]
    parts.append(
        paper.signatures(
            [("承诺人（签字、盖章）", "Applicant signature / seal"), ("日期", "Date")],
            [("经办人", "Officer"), ("受理单位（盖章）", "Official seal")],
        )
    )
    return parts
