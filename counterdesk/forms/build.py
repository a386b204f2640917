"""Making a paper: one call from a case, the catalogue and the paper settings to PDF bytes.

The entry point for the print queue, the screens and ``counterdesk print``. Papers are
built in memory; storing or printing them is the caller's business (services/printing).
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from counterdesk.domain.cases import Case
from counterdesk.domain.cases.unlisted import UNLISTED_KIND
from counterdesk.domain.catalogue import Catalogue
from counterdesk.forms import (
    application_form,
    commitment,
    delivery_receipt,
    materials_slip,
    notice,
    receipt,
    refusal,
)
from counterdesk.forms.facts import DocumentError, PaperFacts
from counterdesk.forms.fonts import PaperFont, paper_font
from counterdesk.forms.layout import PageDecor, Paper, render
from counterdesk.forms.paper import DocKind, PaperSettings

Builder = Callable[[PaperFacts, Paper], list[Flowable]]

BUILDERS: dict[DocKind, Builder] = {
    DocKind.RECEIPT: receipt.story,
    DocKind.NOTICE: notice.story,
    DocKind.COMMITMENT: commitment.story,
    DocKind.REFUSAL: refusal.story,
    DocKind.MATERIALS: materials_slip.story,
    DocKind.DELIVERY: delivery_receipt.story,
    DocKind.FORM: application_form.story,
}

__all__ = ["DocumentError", "build_pdf", "documents_for", "font_in_use"]


def build_pdf(
    kind: DocKind | str,
    case: Case,
    catalogue: Catalogue,
    settings: PaperSettings | None = None,
) -> bytes:
    """The paper ``kind`` for ``case`` as PDF bytes; DocumentError if it does not fit the
    case (a refusal notice for an accepted case, say)."""
    kind = DocKind(kind)
    settings = settings or PaperSettings()
    font = paper_font(settings.font_path)
    facts = PaperFacts(case, catalogue, settings)
    decor = PageDecor(
        font=font.name,
        centre=facts.centre,
        number=facts.number,
        provisional=facts.provisional,
        training=case.training,
        title=f"{kind.title_zh} {kind.title_en}",
    )
    return render(BUILDERS[kind](facts, Paper(decor)), decor)


def font_in_use(settings: PaperSettings | None = None) -> PaperFont:
    return paper_font((settings or PaperSettings()).font_path)


def documents_for(case: Case) -> list[DocKind]:
    """The papers that fit the case as it stands, in the order a counter hands them out.
    A matter no item covers has no application form and no papers taken: its refusal only."""
    outcome = case.decision.outcome if case.decision else None
    if case.target.kind == UNLISTED_KIND:
        return [DocKind.REFUSAL] if outcome == "refuse" else []
    kinds = [DocKind.FORM, DocKind.MATERIALS]
    if outcome in ("accept", "accept_deferral"):
        kinds.append(DocKind.RECEIPT)
    if outcome == "accept_deferral" and case.decision and case.decision.deferred:
        kinds.append(DocKind.COMMITMENT)
    if outcome == "notice" and case.decision and case.decision.missing:
        kinds.append(DocKind.NOTICE)
    if outcome == "refuse":
        kinds.append(DocKind.REFUSAL)
    if case.issuance is not None:
        kinds.append(DocKind.DELIVERY)
    return kinds
