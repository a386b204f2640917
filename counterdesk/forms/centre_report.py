"""窗口日报, the daily centre report: what each officer and each department received,
accepted, notified, refused and completed on a day, and the open cases at the time the
report was made, with how many are due soon or overdue.

Made from the server's ``GET /board/report`` answer, in the papers' look (layout.py: the
font found by fonts.py and embedded, Chinese labels with English beneath). A report
names officers and counts cases; it holds no applicant's personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from counterdesk.domain.clock import CHINA_TZ
from counterdesk.forms.fonts import paper_font
from counterdesk.forms.layout import (
    CONTENT_WIDTH,
    PageDecor,
    Paper,
    grid_style,
    render,
    text,
)

TITLE = ("窗口日报", "Daily centre report")
# (key in a report row, Chinese, English) for the figure columns, in order.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("received", "收件", "Received"),
    ("accepted", "受理", "Accepted"),
    ("notices", "补正告知", "Notices"),
    ("refused", "不予受理", "Refused"),
    ("completed", "办结", "Completed"),
    ("open", "在办", "Open now"),
    ("due_soon", "临期", "Due ≤1 day"),
    ("overdue", "逾期", "Overdue"),
)


def build_centre_report(report: Mapping[str, Any], *, font_path: str = "") -> bytes:
    """The report as PDF bytes, built in memory."""
    font = paper_font(font_path)
    day = str(report["day"])
    decor = PageDecor(
        font=font.name,
        centre=str(report.get("centre_name") or report.get("centre_code") or ""),
        number=day,
        provisional=False,
        training=False,
        title=f"{TITLE[0]} {TITLE[1]} {day}",
    )
    paper = Paper(decor)
    story: list[Flowable] = [
        Paragraph(text(decor.centre), paper.styles.centre),
        Paragraph(text(TITLE[0]), paper.styles.title),
        Paragraph(text(TITLE[1]), paper.styles.title_en),
        Paragraph(text(f"{day}　生成于 Made {_made_at(report)}"), paper.styles.centre),
        Spacer(1, 4 * mm),
        paper.heading("按人员", "Per officer"),
        _table(paper, ("人员", "Officer"), report.get("officers") or [], None),
        Spacer(1, 3 * mm),
        paper.heading("按部门", "Per department"),
        _table(
            paper, ("部门", "Department"), report.get("departments") or [], report.get("totals")
        ),
        Spacer(1, 3 * mm),
        paper.p(
            "收件至办结按办件操作的设备时间计入当日；在办、临期（一个工作日内到期）与逾期（含超过五个"
            "工作日未告知）为生成报表时的状态。",
            "Figures count the day's actions at device time; open, due within one working day "
            "and overdue (the five-day notice deadline included) are as of the time the "
            "report was made.",
        ),
    ]
    footer = f"{decor.centre}  窗口日报 Daily report {decor.number}"
    return render(story, decor, footer=footer, keep_ending=False)


def _made_at(report: Mapping[str, Any]) -> str:
    made = report.get("generated_at")
    if not made:
        return ""
    return dt.datetime.fromisoformat(str(made)).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _table(
    paper: Paper,
    first: tuple[str, str],
    rows: Sequence[Mapping[str, Any]],
    totals: Mapping[str, Any] | None,
) -> Flowable:
    header = [paper.label(*first)] + [paper.label(zh, en) for _key, zh, en in FIGURES]
    body = [
        [paper.value(_who(row))] + [_count(paper, row, key) for key, *_ in FIGURES] for row in rows
    ]
    if not body:
        body = [[paper.value("（无）", "none")] + [""] * len(FIGURES)]
    style = grid_style(shade_rows=True)
    if totals is not None:
        body.append(
            [paper.value("合计", "Total")] + [_count(paper, totals, key) for key, *_ in FIGURES]
        )
        style.append(("BACKGROUND", (0, len(body)), (-1, len(body)), "#F0F0F0"))
    name_width = 46 * mm
    figure_width = (CONTENT_WIDTH - name_width) / len(FIGURES)
    widths = [name_width] + [figure_width] * len(FIGURES)
    style.append(("ALIGN", (1, 1), (-1, -1), "RIGHT"))
    return paper.table([header, *body], widths, style, repeat_rows=1)


def _who(row: Mapping[str, Any]) -> str:
    code, name = str(row.get("code") or ""), str(row.get("name") or "")
    if name and code and name != code and code != "*":
        return f"{name}（{code}）"
    return name or code


def _count(paper: Paper, row: Mapping[str, Any], key: str) -> Paragraph:
    return paper.value(str(int(row.get(key) or 0)))
