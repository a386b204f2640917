"""送达回执, the delivery receipt: who took the result and how, with the collector's ID
checked (masked here), or the courier and tracking number when it was mailed."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import DocumentError, Entry, PaperFacts, local_time, mask_identifier
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    issuance = facts.case.issuance
    if issuance is None:
        raise DocumentError("办件尚未出件，无送达信息 / the result has not been issued yet")
    kind = DocKind.DELIVERY
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en)
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(paper.entries(facts.applicant_entries()))
    parts.append(paper.heading("送达情况", "Delivery"))
    entries = [
        Entry("送达文书", "Document delivered", facts.result_names() or facts.case.target.name),
        Entry("送达时间", "Delivered at", local_time(issuance.delivered_at)),
        Entry("送达人", "Delivered by", facts.settings.officer(issuance.delivered_by)),
    ]
    if issuance.method == "pickup":
        entries.append(Entry("送达方式", "Method", "窗口领取", "collected at the counter"))
        entries.append(Entry("领取人", "Collected by", issuance.collector_name))
        if issuance.collector_id:
            entries.append(
                Entry(
                    "领取人证件号码",
                    "Collector's ID number",
                    mask_identifier("resident_id", issuance.collector_id),
                    "已核验 checked",
                )
            )
        if issuance.delegate:
            entries.append(
                Entry(
                    "委托领取",
                    "Collected for the applicant",
                    "凭授权委托书",
                    "power of attorney seen",
                )
            )
    else:
        entries.append(Entry("送达方式", "Method", "邮寄送达", "by mail"))
        entries.append(Entry("快递公司", "Courier", issuance.courier))
        entries.append(Entry("快递单号", "Tracking number", issuance.tracking_number))
        if issuance.address:
            entries.append(Entry("邮寄地址", "Address", issuance.address))
    parts.append(paper.entries(entries, pairs=False))
    parts.append(
        paper.p(
            "受送达人已收到上列文书。",
            "The person named above has received the document listed.",
        )
    )
    parts.append(
        paper.signatures(
            [("受送达人（签字）", "Recipient signature"), ("日期", "Date")],
            [("送达人", "Delivering officer"), ("送达单位（盖章）", "Official seal")],
        )
    )
    return parts
