"""What each paper says, read back from the PDF with pypdf: the required content, masked
identifiers and never a full one, provisional marks, and the training mark on every page."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable, Table

from counterdesk.forms import receipt
from counterdesk.forms.build import DocumentError, build_pdf, documents_for, font_in_use
from counterdesk.forms.facts import PaperFacts
from counterdesk.forms.layout import PageDecor, Paper, QrCode
from counterdesk.forms.paper import DocKind, PaperSettings, progress_link
from tests.forms.papers_cases import (
    AGENT_ID,
    CASES,
    FULL_ID,
    MASKED_ID,
    PHONE,
    accepted_case,
    as_bundle,
    as_company,
    changed,
    deferral_case,
    delivered_case,
    mini_catalogue,
    notice_case,
    received_case,
    refusal_case,
    unlisted_refusal_case,
)

SETTINGS = PaperSettings(
    centre_name="嘉兴市南湖区行政服务中心",
    progress_url="https://zwfw.jiaxing.example/progress",
    officer_names={"officer1": "张敏"},
)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with all whitespace removed (extraction spacing is not content)."""
    reader = PdfReader(io.BytesIO(pdf))
    return ["".join((page.extract_text() or "").split()) for page in reader.pages]


def squeezed(text: str) -> str:
    return "".join(text.split())


def paper_text(kind: str, case, settings: PaperSettings = SETTINGS) -> str:
    return "".join(pages_text(build_pdf(kind, case, mini_catalogue(), settings)))


# Content every paper carries, then each paper's own.
COMMON = ["JX2026-000123", "个体工商户设立登记", "王小明", MASKED_ID, "嘉兴市南湖区行政服务中心"]
REQUIRED = {
    "receipt": [
        "受理回执",
        "AcceptanceReceipt",
        "办件编号CaseNo.JX2026-000123",
        "138****5678",
        "张敏",
        "窗口3",
        "2026年11月23日09:30",
        "2026年11月23日09:42",
        "15个工作日，2026年12月14日前",
        "1个工作日，2026年11月24日前",
        "不收费",
        "邮寄送达",
        "《促进个体工商户发展条例》",
        "居民身份证",
        "房屋租赁合同",
        "营业执照",
        "电子证照库调取",
        "窗口代复印1份",
        "已扫描4页",
        "原件已退还",
        "复印件留存",
        "原件经核验后已退还",
        "申请人（签字）",
        "受理单位（盖章）",
        "progress?case=JX2026-000123",
        "110105********002X",
    ],
    "notice": [
        "补正材料通知书",
        "授权委托书",
        "房屋租赁合同",
        "2026年11月30日前补正",
        "第三十二条",
        "《促进个体工商户发展条例》",
        "租赁合同须提供原件核验",
        "申请人（签收）",
        "完整清单",
    ],
    "commitment": [
        "容缺受理承诺书",
        "消防安全制度",
        "2026年12月7日前",
        "本申请终止办理",
        "承诺人（签字、盖章）",
    ],
    "refusal": [
        "不予受理通知书",
        "该事项由嘉兴市行政审批局办理",
        "请向嘉兴市行政审批局申请",
        "不属于本机关职权范围",
        "行政复议",
    ],
    "materials": [
        "材料接收凭证",
        "不表示申请已被受理",
        "2026年11月30日",  # five working days after Monday 23 November 2026
        "居民身份证",
        "收件人",
    ],
    "delivery": [
        "送达回执",
        "营业执照",
        "李代办",
        "已核验",
        "凭授权委托书",
        "受送达人（签字）",
        "2026年11月25日09:42",
    ],
    "form": [
        "个体工商户设立登记申请表",
        "市场监督管理局",
        "经营场所",
        "■rented",
        "□owned",
        "从业人数",
        "2026-12-01",
        "■否No",
        "申请人声明",
        "浙江省嘉兴市南湖区某路1号",
    ],
}


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_each_paper_holds_its_required_content(kind: str) -> None:
    text = paper_text(kind, CASES[kind]())
    absent = [needle for needle in COMMON + REQUIRED[kind] if squeezed(needle) not in text]
    assert absent == []


@pytest.mark.parametrize("kind", sorted(CASES))
def test_no_paper_holds_a_full_id_or_phone_number(kind: str) -> None:
    text = paper_text(kind, CASES[kind]())
    assert MASKED_ID in text
    for secret in (FULL_ID, AGENT_ID, PHONE, "13900001111"):
        assert secret not in text
    # Nor anything else that looks like a whole 18-character ID number.
    assert re.findall(r"\d{17}[\dX]", text) == []


def test_a_receipt_after_deferral_lists_what_is_still_to_come() -> None:
    text = paper_text("receipt", deferral_case())
    assert "消防安全制度" in text and "容缺后补，2026年12月7日前" in text
    assert "容缺补齐期限" in text


def test_a_company_applicant_shows_its_credit_code_whole() -> None:
    text = paper_text("receipt", as_company(accepted_case()))
    assert "91330402MA2B3C4D5E" in text  # public registration data
    assert "陈联系" in text and "法人或其他组织" in text


def test_a_provisional_number_is_marked_on_every_page() -> None:
    case = received_case(official=None)
    for kind in ("materials", "form"):
        pages = pages_text(build_pdf(kind, case, mini_catalogue(), SETTINGS))
        for page in pages:
            assert "P-C3-0007" in page and "临时编号" in page and "PROVISIONAL" in page
    assert "PROVISIONAL" not in paper_text("materials", received_case())


def test_limits_on_a_provisional_calendar_say_so() -> None:
    text = paper_text("receipt", accepted_case(calendar_provisional=True))
    assert "2026年12月14日前（暂定）" in text
    assert "(provisional)" in text and "为暂定日期" in text
    assert "暂定" not in paper_text("receipt", accepted_case())


def test_training_papers_carry_the_mark_on_every_page() -> None:
    bundle = as_bundle(received_case(training=True))
    pages = pages_text(build_pdf("form", bundle, mini_catalogue(), SETTINGS))
    assert len(pages) == 2  # one form per item of the bundle
    for page in pages:
        assert "培训TRAINING" in page
    for kind, make in CASES.items():
        assert "培训TRAINING" in paper_text(kind, make(training=True))
        assert "TRAINING" not in paper_text(kind, make())


def test_a_bundle_gets_one_application_form_per_item() -> None:
    bundle = as_bundle(received_case())
    pages = pages_text(build_pdf("form", bundle, mini_catalogue(), SETTINGS))
    assert "个体工商户设立登记申请表" in pages[0]
    assert "娱乐场所经营许可申请表" in pages[1]


def test_papers_refuse_a_case_they_do_not_fit() -> None:
    catalogue = mini_catalogue()
    with pytest.raises(DocumentError, match="accepted case"):
        build_pdf("receipt", received_case(), catalogue)
    with pytest.raises(DocumentError, match="refusal decision"):
        build_pdf("refusal", accepted_case(), catalogue)
    with pytest.raises(DocumentError, match="not been issued"):
        build_pdf("delivery", accepted_case(), catalogue)
    unknown = changed(received_case(), target={"kind": "item", "code": "NOPE-1", "name": "不存在"})
    with pytest.raises(DocumentError, match="NOPE-1"):
        build_pdf("form", unknown, catalogue)


def test_documents_for_follows_the_decision() -> None:
    assert documents_for(received_case()) == [DocKind.FORM, DocKind.MATERIALS]
    assert DocKind.RECEIPT in documents_for(accepted_case())
    assert {DocKind.RECEIPT, DocKind.COMMITMENT} <= set(documents_for(deferral_case()))
    assert DocKind.NOTICE in documents_for(notice_case())
    assert DocKind.REFUSAL in documents_for(refusal_case())
    assert DocKind.DELIVERY in documents_for(delivered_case())
    for kind, make in CASES.items():
        assert DocKind(kind) in documents_for(make())


@pytest.mark.parametrize("ground", ["not_this_authority", "no_licence_needed"])
def test_a_matter_no_item_covers_is_refused_on_paper(ground: str) -> None:
    case = unlisted_refusal_case(ground)
    text = paper_text("refusal", case)
    wanted = [
        "不予受理通知书",
        "申请事项Matterappliedfor注册商标“南湖春”",
        "孔志远：你（单位）提出的“注册商标‘南湖春’”申请，经审查",
        "第三十二条的规定，决定不予受理",
        "申请时间Applied2026年11月23日09:30",
        "商标注册由国家知识产权局受理",
        "行政复议",
        MASKED_ID,
    ]
    if ground == "not_this_authority":
        wanted += ["不属于本机关职权范围", "有权机关", "请向国家知识产权局申请"]
    else:
        wanted += ["依法不需要取得行政许可"]
    assert [needle for needle in wanted if squeezed(needle) not in text] == []
    # No item: no code, no department, no legal basis of an item, no papers received.
    for absent in ("UNLISTED", "事项设定依据", "市场监督管理局", "收件时间"):
        assert absent not in text
    if ground == "no_licence_needed":
        assert "有权机关" not in text
    assert documents_for(case) == [DocKind.REFUSAL]
    with pytest.raises(DocumentError, match="no application form"):
        build_pdf("form", case, mini_catalogue())


def flowables(parts: list[Flowable]) -> list[Flowable]:
    """Every flowable, including those nested in table cells."""
    found: list[Flowable] = []
    for part in parts:
        found.append(part)
        if isinstance(part, Table):
            for row in part._cellvalues:
                for cell in row:
                    found += flowables(cell if isinstance(cell, list) else [cell])
    return found


def test_the_qr_code_carries_the_case_number_and_the_progress_address() -> None:
    case = accepted_case()
    facts = PaperFacts(case, mini_catalogue(), SETTINGS)
    decor = PageDecor(font_in_use(SETTINGS).name, facts.centre, facts.number, False, False, "t")
    codes = [f for f in flowables(receipt.story(facts, Paper(decor))) if isinstance(f, QrCode)]
    assert [code.value for code in codes] == [
        "https://zwfw.jiaxing.example/progress?case=JX2026-000123"
    ]
    assert codes[0].modules and len(codes[0].modules) == len(codes[0].modules[0])


def test_progress_links_escape_the_number_and_keep_existing_queries() -> None:
    assert (
        progress_link("https://a.example/p", "JX 2026/1")
        == "https://a.example/p?case=JX%202026%2F1"
    )
    assert (
        progress_link("https://a.example/p?centre=7", "N1")
        == "https://a.example/p?centre=7&case=N1"
    )


def test_case_text_is_escaped_not_taken_as_markup() -> None:
    case = accepted_case()
    applicant = {**case.applicant.model_dump(), "name": "王<b>小明</b> & Co"}
    text = paper_text("receipt", changed(case, applicant=applicant))
    assert "王<b>小明</b>&Co" in text


def test_the_same_case_gives_the_same_bytes() -> None:
    case = accepted_case()
    catalogue = mini_catalogue()
    assert build_pdf("receipt", case, catalogue, SETTINGS) == build_pdf(
        "receipt", case, catalogue, SETTINGS
    )
