"""材料接收凭证, the materials received slip: proof of what the counter took in when it
receives papers and decides later; it also starts the five-working-day clock for the
one-time notice, so it says by when the applicant will hear."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import PaperFacts, long_date
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    kind = DocKind.MATERIALS
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en, facts.qr_link)
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(
        paper.entries([*facts.applicant_entries(), *facts.centre_entries(), facts.received_entry()])
    )
    parts.append(paper.heading("收到的材料", "Materials received"))
    parts.append(
        paper.materials(
            facts.received_rows(),
            ("原件已退还", "Originals returned"),
            ("复印件留存", "Copies kept"),
        )
    )
    deadline, provisional = facts.notice_deadline()
    mark, mark_en = ("（暂定）", " (provisional)") if provisional else ("", "")
    parts.append(
        paper.p(
            "本凭证仅证明上列材料已收到，不表示申请已被受理。本中心将于"
            f"{long_date(deadline)}{mark}前作出是否受理的决定；材料需要补正的，将一次性告知。",
            "This slip proves only that the materials above were received; it does not mean "
            f"the application is accepted. The centre will decide by {deadline.isoformat()}"
            f"{mark_en} or tell you, in one go, what must still be supplied.",
        )
    )
    parts.append(
        paper.signatures(
            [("递交人（签字）", "Submitted by"), ("日期", "Date")],
            [("收件人", "Received by (officer)"), ("收件单位（盖章）", "Official seal")],
        )
    )
    return parts
