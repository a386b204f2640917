"""补正材料通知书, the one-time notice of missing materials: art. 32 of the Administrative
Licensing Law makes the counter tell the applicant, in one go and in writing, everything
that must be supplied, by when, and on what legal basis."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import DocumentError, Entry, PaperFacts, long_date
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind

ART_32 = "《中华人民共和国行政许可法》第三十二条第一款第（四）项"
ART_32_EN = "Administrative Licensing Law of the PRC, art. 32(1)(4)"


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    decision = facts.case.decision
    if decision is None or decision.outcome != "notice" or not decision.missing:
        raise DocumentError(
            "补正材料通知书需要“一次性告知”决定及所缺材料清单 / "
            "the notice needs a one-time-notice decision listing the missing materials"
        )
    kind = DocKind.NOTICE
    target = facts.case.target
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en, facts.qr_link)
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(
        paper.entries(
            [
                *facts.applicant_entries(),
                *facts.centre_entries(),
                facts.received_entry(),
                facts.decided_entry("告知日期", "Date of notice"),
            ]
        )
    )
    due = long_date(decision.due) if decision.due else ""
    due_en = decision.due.isoformat() if decision.due else ""
    parts.append(
        paper.p(
            f"{facts.case.applicant.name}：你（单位）申请的“{target.name}”，申请材料不齐全或者不符合"
            f"法定形式。根据{ART_32}的规定，现一次性告知需要补正的全部材料如下"
            + (f"，请于{due}前补正。" if due else "。"),
            "The application is incomplete or its materials are not in legal form. Under "
            f"{ART_32_EN}, all materials still to be supplied are listed below"
            + (f"; please supply them by {due_en}." if due_en else "."),
        )
    )
    parts.append(paper.heading("需补正的材料（完整清单）", "Materials to supply (complete list)"))
    parts.append(
        paper.materials(
            facts.shortfall_rows(decision.missing),
            ("需提交原件", "Originals to show"),
            ("需提交复印件", "Copies to hand in"),
        )
    )
    if decision.reason:
        parts.append(paper.entries([Entry("补正说明", "Details", decision.reason)], pairs=False))
    basis = facts.legal_basis()
    entries = [Entry("告知依据", "Legal basis of this notice", ART_32, ART_32_EN)]
    if basis:
        entries.append(Entry("事项设定依据", "Legal basis of the item", basis))
    if due:
        entries.append(Entry("补正期限", "Supply by", due, due_en))
    parts.append(paper.entries(entries, pairs=False))
    parts.append(
        paper.p(
            "申请人按本通知书补齐全部材料后，本中心依法受理，办理时限自受理之日起计算。",
            "Once every listed material is supplied the application is accepted, and the "
            "time limit runs from the day of acceptance.",
        )
    )
    parts.append(
        paper.signatures(
            [("申请人（签收）", "Received by the applicant"), ("日期", "Date")],
            [("经办人", "Officer"), ("受理单位（盖章）", "Official seal")],
        )
    )
    return parts
