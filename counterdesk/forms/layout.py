"""The look shared by every paper: A4, Chinese labels with English beneath, a title block,
a footer with the case number, signature lines, a QR code, and in training mode a
diagonal "培训 TRAINING" across every page.

Each paper module says what to print; this module alone says how it looks, so papers
stay consistent and a change of style is made once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counterdesk.forms.facts import Entry, MaterialRow

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm  # left, right and bottom (the footer sits in the bottom margin)
TOP_MARGIN = 13 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#888888")
TRAINING_MARK = "培训 TRAINING"


@dataclass(frozen=True)
class PageDecor:
    """What every page of one paper carries besides its content."""

    font: str
    centre: str
    number: str
    provisional: bool
    training: bool
    title: str  # PDF metadata: the paper's title, never personal data


class QrCode(Flowable):
    """A QR code drawn as one path of module runs: encoded once and drawn without
    reportlab's per-module shape objects, which cost more than the rest of a receipt."""

    BORDER = 2  # quiet zone, in modules

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.width = self.height = size
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(value)
        code.make()
        self.modules: list[list[bool]] = code.modules

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        cell = self.width / (count + 2 * self.BORDER)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            y = self.height - (r + 1 + self.BORDER) * cell
            c = 0
            while c < count:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect((start + self.BORDER) * cell, y, (c - start) * cell, cell)
        self.canv.drawPath(path, stroke=0, fill=1)


class Styles:
    """Paragraph styles in the paper font; Chinese wraps between any two characters."""

    def __init__(self, font: str) -> None:
        base = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
        self.body = base
        self.prose = ParagraphStyle("prose", base, spaceBefore=5, spaceAfter=2)
        self.small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY)
        self.label = ParagraphStyle("label", base, fontSize=9, leading=11)
        self.title = ParagraphStyle(
            "title", base, fontSize=17, leading=21, alignment=TA_CENTER, spaceAfter=1
        )
        self.title_en = ParagraphStyle(
            "title_en", base, fontSize=10, leading=13, alignment=TA_CENTER, textColor=GREY
        )
        self.centre = ParagraphStyle("centre", base, fontSize=10, alignment=TA_CENTER)
        self.heading = ParagraphStyle(
            "heading", base, fontSize=11, leading=15, spaceBefore=8, spaceAfter=3
        )
        self.cell = ParagraphStyle("cell", base, fontSize=9, leading=11.5)


def text(value: str) -> str:
    """Case data as paragraph markup: names and addresses may hold ``<`` or ``&``."""
    return escape(value)


class Paper:
    """Flowable makers for one paper, all in its font."""

    def __init__(self, decor: PageDecor) -> None:
        self.decor = decor
        self.styles = Styles(decor.font)

    def p(self, zh: str, en: str = "") -> Paragraph:
        """A paragraph of Chinese with its English in small grey type beneath."""
        markup = text(zh)
        if en:
            markup += f'<br/><font size="7.5" color="#555555">{text(en)}</font>'
        return Paragraph(markup, self.styles.prose)

    def label(self, zh: str, en: str) -> Paragraph:
        return Paragraph(
            f'{text(zh)}<br/><font size="6.5" color="#555555">{text(en)}</font>', self.styles.label
        )

    def value(self, value: str, value_en: str = "") -> Paragraph:
        markup = text(value)
        if value_en:
            markup += f' <font size="7.5" color="#555555">{text(value_en)}</font>'
        return Paragraph(markup, self.styles.cell)

    def title_block(self, zh: str, en: str, qr_link: str = "") -> list[Flowable]:
        number = f"办件编号 Case No. {self.decor.number}"
        if self.decor.provisional:
            number += "  【临时编号 PROVISIONAL】"
        heading = [
            Paragraph(text(self.decor.centre), self.styles.centre),
            Paragraph(text(zh), self.styles.title),
            Paragraph(text(en), self.styles.title_en),
            Paragraph(text(number), self.styles.centre),
        ]
        if not qr_link:
            return [*heading, Spacer(1, 4 * mm)]
        caption = Paragraph("扫码查询进度<br/>Scan for progress", self.styles.small)
        qr = self.table(
            [[QrCode(qr_link, 24 * mm)], [caption]],
            [28 * mm],
            [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
        )
        side = 30 * mm
        block = self.table(
            [["", heading, qr]],
            [side, CONTENT_WIDTH - 2 * side, side],
            [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 0), (2, 0), "RIGHT")],
        )
        return [block, Spacer(1, 3 * mm)]

    def heading(self, zh: str, en: str) -> Paragraph:
        return Paragraph(
            f'{text(zh)} <font size="8.5" color="#555555">{text(en)}</font>', self.styles.heading
        )

    def entries(self, entries: Sequence[Entry], pairs: bool = True) -> Table:
        """Labelled values in a ruled grid: two to a row, or one to a row for long values."""
        cells = [
            (self.label(e.label, e.label_en), self.value(e.value, e.value_en)) for e in entries
        ]
        label_width = 27 * mm
        if pairs:
            rows = [
                [*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ("", ""))]
                for i in range(0, len(cells), 2)
            ]
            value_width = CONTENT_WIDTH / 2 - label_width
            widths = [label_width, value_width, label_width, value_width]
        else:
            rows = [list(cell) for cell in cells]
            widths = [label_width, CONTENT_WIDTH - label_width]
        return self.table(rows, widths, grid_style(shade_columns=(0, 2)))

    def materials(
        self, rows: Sequence[MaterialRow], original: tuple[str, str], copies: tuple[str, str]
    ) -> Table:
        header = [
            self.label("序号", "No."),
            self.label("材料名称", "Material"),
            self.label(*original),
            self.label(*copies),
            self.label("说明", "Note"),
        ]
        body = [
            [
                self.value(str(n)),
                self.value(row.name, row.name_en),
                self.value(_count(row.original)),
                self.value(_count(row.copies)),
                Paragraph(text(row.note), self.styles.small),
            ]
            for n, row in enumerate(rows, start=1)
        ]
        if not body:
            body = [["", self.value("（无）", "none"), "", "", ""]]
        widths = [11 * mm, 65 * mm, 24 * mm, 24 * mm, CONTENT_WIDTH - 124 * mm]
        return self.table([header, *body], widths, grid_style(shade_rows=True), repeat_rows=1)

    def signatures(
        self, left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
    ) -> Table:
        """Two columns of signature lines, each line's parts side by side with room to
        write, their English beneath."""

        def column(parts: Sequence[tuple[str, str]]) -> Paragraph:
            line = "　".join(f"{text(zh)}：____________" for zh, _ in parts)
            english = " / ".join(text(en) for _, en in parts)
            return Paragraph(
                f'{line}<br/><font size="6.5" color="#555555">{english}</font>', self.styles.body
            )

        half = CONTENT_WIDTH / 2
        return self.table(
            [[column(left), column(right)]],
            [half, half],
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ],
        )

    def table(
        self, rows: list[list[Any]], widths: list[float], style: list[Any], repeat_rows: int = 0
    ) -> Table:
        # Even an empty cell sets a font; without this it would be Helvetica, not embedded.
        commands = [("FONT", (0, 0), (-1, -1), self.decor.font), *style]
        return Table(rows, colWidths=widths, style=TableStyle(commands), repeatRows=repeat_rows)


def grid_style(shade_columns: Sequence[int] = (), shade_rows: bool = False) -> list[Any]:
    shade = colors.HexColor("#F0F0F0")
    style: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (c, 0), (c, -1), shade) for c in shade_columns]
    if shade_rows:
        style.append(("BACKGROUND", (0, 0), (-1, 0), shade))
    return style


def _count(n: int) -> str:
    return f"{n} 份" if n else "—"


def render(
    story: list[Flowable],
    decor: PageDecor,
    *,
    footer: str | None = None,
    keep_ending: bool = True,
) -> bytes:
    """The paper as PDF bytes, built in memory: it never touches the disk unencrypted.
    ``footer`` replaces the case line at the foot of each page (a report has no case);
    ``keep_ending`` keeps the closing words and signature lines on one page."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=MARGIN,
        title=decor.title,
        author=decor.centre,
        creator="counterdesk",
        initialFontName=decor.font,  # else every page names Helvetica, a font not embedded
        invariant=1,  # the same case gives the same bytes: reprints match the original
    )
    frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN - TOP_MARGIN, id="content")
    template = PageTemplate(
        "paper",
        frames=[frame],
        onPage=lambda canvas, doc: _footer(canvas, decor, footer),
        onPageEnd=lambda canvas, doc: _training_mark(canvas, decor),
    )
    document.addPageTemplates([template])
    # A paper ends with its closing words and signature lines: never split them.
    document.build([*story[:-2], KeepTogether(story[-2:])] if keep_ending else story)
    return buffer.getvalue()


def _footer(canvas: Canvas, decor: PageDecor, left: str | None) -> None:
    canvas.saveState()
    canvas.setFont(decor.font, 7.5)
    canvas.setFillColor(GREY)
    if left is None:
        number = decor.number + ("（临时编号 PROVISIONAL）" if decor.provisional else "")
        left = f"{decor.centre}  办件编号 Case No. {number}"
    canvas.drawString(MARGIN, MARGIN - 8 * mm, left)
    page = canvas.getPageNumber()
    canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 8 * mm, f"第 {page} 页 Page {page}")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, MARGIN - 5 * mm, PAGE_WIDTH - MARGIN, MARGIN - 5 * mm)
    canvas.restoreState()


def _training_mark(canvas: Canvas, decor: PageDecor) -> None:
    """Drawn over the content, translucent, so no table background can hide it."""
    if not decor.training:
        return
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#C00000"))
    canvas.setFillAlpha(0.16)
    canvas.setFont(decor.font, 64)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -22, TRAINING_MARK)
    canvas.setFillAlpha(0.9)
    canvas.setFont(decor.font, 9)
    canvas.rotate(-45)
    banner = "培训专用，非正式文书  TRAINING ONLY - not an official document"
    canvas.drawCentredString(0, PAGE_HEIGHT / 2 - TOP_MARGIN / 2 - 3, banner)
    canvas.restoreState()
