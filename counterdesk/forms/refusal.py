"""不予受理通知书, the refusal notice: a refusal must be in writing, sealed and dated, with
its reason, the competent authority when the matter is another's, and the applicant's
right to seek review. For a matter no item of this centre covers it names what the
applicant asked for, and no item's legal basis."""

from __future__ import annotations

from reportlab.platypus import Flowable

from counterdesk.forms.facts import DocumentError, Entry, PaperFacts
from counterdesk.forms.layout import Paper
from counterdesk.forms.paper import DocKind

GROUNDS = {
    "no_licence_needed": (
        "该申请事项依法不需要取得行政许可",
        "the matter applied for needs no licence under the law",
    ),
    "not_this_authority": (
        "该申请事项依法不属于本机关职权范围",
        "the matter is not within this authority's competence",
    ),
    "other": ("申请不符合受理条件", "the application does not meet the conditions for acceptance"),
}


def _nested(name: str) -> str:
    """Quotation marks inside “…” become single ones (‘…’), as Chinese writes them: what an
    applicant asked for is typed by the officer and may quote a name."""
    return name.replace("“", "‘").replace("”", "’")


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    decision = facts.case.decision
    if decision is None or decision.outcome != "refuse":
        raise DocumentError(
            "不予受理通知书需要“不予受理”决定 / the refusal notice needs a refusal decision"
        )
    kind = DocKind.REFUSAL
    ground, ground_en = GROUNDS[decision.refusal_ground or "other"]
    parts: list[Flowable] = paper.title_block(kind.title_zh, kind.title_en)
    parts.append(paper.entries([facts.target_entry()], pairs=False))
    parts.append(
        paper.entries(
            [
                *facts.applicant_entries(),
                *facts.centre_entries(),
                facts.received_entry(),
                facts.decided_entry("决定日期", "Date of decision"),
            ]
        )
    )
    parts.append(
        paper.p(
            f"{facts.case.applicant.name}：你（单位）提出的“{_nested(facts.case.target.name)}”申请，"
            f"经审查，{ground}，根据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理。",
            f"Having examined the application, {ground_en}; under art. 32 of the "
            "Administrative Licensing Law it is not accepted.",
        )
    )
    entries = [Entry("不予受理理由", "Reason", decision.reason or ground, ground_en)]
    if decision.competent_authority:
        entries.append(
            Entry(
                "有权机关",
                "Competent authority",
                f"请向{decision.competent_authority}申请",
                "please apply there",
            )
        )
    basis = facts.legal_basis()
    if basis:
        entries.append(Entry("事项设定依据", "Legal basis of the item", basis))
    parts.append(paper.entries(entries, pairs=False))
    parts.append(
        paper.p(
            "如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，"
            "或者在六个月内依法向人民法院提起行政诉讼。",
            "If you disagree, you may apply for administrative reconsideration within 60 days "
            "of receiving this notice, or bring an administrative lawsuit within six months.",
        )
    )
    parts.append(
        paper.signatures(
            [("申请人（签收）", "Received by the applicant"), ("日期", "Date")],
            [("经办人", "Officer"), ("受理单位（盖章）", "Official seal")],
        )
    )
    return parts
