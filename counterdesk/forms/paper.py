"""What the printed papers need to know besides the case: the kinds of paper, their titles,
and the few settings that shape them.

Kept free of reportlab so that the print queue, the command line and the screens can name
documents and carry settings without loading the PDF toolkit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote

DEFAULT_PROGRESS_URL = "https://zwfw.example.gov.cn/progress"


class DocKind(StrEnum):
    """The papers the counter prints (shared/domain.md, "Papers the counter prints")."""

    RECEIPT = "receipt"  # 受理回执
    NOTICE = "notice"  # 补正材料通知书
    COMMITMENT = "commitment"  # 容缺受理承诺书
    REFUSAL = "refusal"  # 不予受理通知书
    MATERIALS = "materials"  # 材料接收凭证
    DELIVERY = "delivery"  # 送达回执
    FORM = "form"  # 申请表

    @property
    def title_zh(self) -> str:
        return TITLES[self][0]

    @property
    def title_en(self) -> str:
        return TITLES[self][1]


TITLES: dict[DocKind, tuple[str, str]] = {
    DocKind.RECEIPT: ("受理回执", "Acceptance Receipt"),
    DocKind.NOTICE: ("补正材料通知书", "One-time Notice of Missing Materials"),
    DocKind.COMMITMENT: ("容缺受理承诺书", "Deferral Commitment"),
    DocKind.REFUSAL: ("不予受理通知书", "Notice of Refusal to Accept"),
    DocKind.MATERIALS: ("材料接收凭证", "Materials Received Slip"),
    DocKind.DELIVERY: ("送达回执", "Delivery Receipt"),
    DocKind.FORM: ("申请表", "Application Form"),
}


@dataclass(frozen=True)
class PaperSettings:
    """The settings papers use; the caller maps the program's settings onto these.

    ``officer_names`` turns the officer ids stored in a case into the names printed on
    paper; an id without an entry is printed as it is.
    """

    centre_name: str = ""  # printed in the header; the case's centre code when empty
    counter_name: str = ""  # this counter, when the case does not say
    progress_url: str = DEFAULT_PROGRESS_URL  # the centre's progress lookup, in the QR code
    font_path: str = ""  # a TrueType CJK font; found in well-known places when empty
    officer_names: Mapping[str, str] = field(default_factory=dict)

    def officer(self, officer_id: str) -> str:
        return self.officer_names.get(officer_id, officer_id)


def progress_link(progress_url: str, case_number: str) -> str:
    """The address a QR code carries: the progress lookup with the case number added."""
    base = progress_url or DEFAULT_PROGRESS_URL
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}case={quote(case_number, safe='')}"
