"""受理回执, the acceptance receipt: the applicant's proof that the case was accepted, with
its number, time limits, fee, how to follow progress and how the result will be delivered,
and every material received (originals checked and handed back, copies kept)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import DocumentError, Entry, PaperFacts, long_date
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind

ACCEPTED = ("accept", "accept_deferral")


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    case = facts.case
    if case.decision is None or case.decision.outcome not in ACCEPTED:
        raise DocumentError(
            "只有已受理的办件才能出具受理回执 / an acceptance receipt is only for an accepted case"
        )
    kind = DocKind.RECEIPT
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en, facts.qr_link)
    parts.append(paper.heading("办件信息", "Case"))
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(
        paper.entries(
            [
                *facts.applicant_entries(),
                *facts.centre_entries(),
                facts.received_entry(),
                facts.decided_entry(),
            ]
        )
    )
    parts.append(paper.heading("办理时限与收费", "Time limits and fee"))
    entries = [*facts.limit_entries(), facts.delivery_entry()]
    if case.decision.outcome == "accept_deferral" and case.decision.due:
        entries.append(
            Entry("容缺补齐期限", "Deferred materials due", long_date(case.decision.due))
        )
    parts.append(paper.entries(entries))
    basis = facts.legal_basis()
    if basis:
        parts.append(paper.entries([Entry("设定依据", "Legal basis", basis)], pairs=False))
    if facts.calendar_provisional:
        parts.append(paper.p(*facts.PROVISIONAL_CALENDAR_NOTE))
    parts.append(paper.heading("已收材料", "Materials received"))
    parts.append(
        paper.materials(
            facts.received_rows(),
            ("原件已退还", "Originals returned"),
            ("复印件留存", "Copies kept"),
        )
    )
    parts.append(
        paper.p(
            "原件经核验后已退还申请人，复印件由本中心留存。请凭本回执查询办理进度或领取结果。"
            f"进度查询：{facts.qr_link}",
            "Originals were checked and handed back; copies are kept by the centre. "
            "Keep this receipt to follow progress and to collect the result.",
        )
    )
    parts.append(
        paper.signatures(
            [("申请人（签字）", "Applicant signature"), ("日期", "Date")],
            [("受理人", "Accepting officer"), ("受理单位（盖章）", "Official seal")],
        )
    )
    return parts
