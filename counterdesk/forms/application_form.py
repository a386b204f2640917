"""申请表, the item's application form, generated from the catalogue's field list so that
every item has one, and pre-filled from the intake. A bundle gets one form per item.

Values are printed as typed at the counter, except identifiers, which are masked like on
every other paper; choices and yes/no fields show every option with the chosen one marked,
and empty fields are left blank to be filled in by hand.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, PageBreak

from counterdesk.domain.catalogue import FormField, Item
from counterdesk.domain.identity import mask_id_number, normalise_id_number
from counterdesk.forms.facts import DocumentError, Entry, PaperFacts, masked_phone
from counterdesk.forms.layout import Paper

CHOSEN, NOT_CHOSEN = "■", "□"
FieldValue = str | int | float | bool | None


def story(facts: PaperFacts, paper: Paper) -> list[Flowable]:
    if facts.unlisted:
        raise DocumentError(
            "非本中心事项没有申请表 / a matter no item of this centre covers has no "
            "application form"
        )
    if not facts.items:
        raise DocumentError(
            f"目录中没有事项 {facts.case.target.code}，无法生成申请表 / "
            f"the catalogue has no item or bundle {facts.case.target.code}"
        )
    parts: list[Flowable] = []
    for position, item in enumerate(facts.items):
        if position:
            parts.append(PageBreak())
        parts += item_form(facts, paper, item)
    return parts


def item_form(facts: PaperFacts, paper: Paper, item: Item) -> list[Flowable]:
    department = facts.catalogue.departments.get(item.department)
    parts: list[Flowable] = paper.title_block(
        f"{item.name}申请表",
        f"Application Form: {item.name_en}" if item.name_en else "Application Form",
    )
    parts.append(paper.heading("申请事项", "Item"))
    parts.append(
        paper.entries(
            [
                Entry("事项名称", "Item", f"{item.name}（{item.code}）", item.name_en),
                Entry(
                    "实施机关",
                    "Deciding department",
                    department.name if department else item.department,
                    department.name_en if department else "",
                ),
                Entry("办理结果", "Result", item.result.name, item.result.name_en),
            ],
            pairs=False,
        )
    )
    parts.append(paper.heading("申请人信息", "Applicant"))
    entries = facts.applicant_entries()
    if facts.case.applicant.address:
        entries.append(Entry("住所（地址）", "Address", facts.case.applicant.address))
    parts.append(paper.entries(entries))
    parts.append(paper.heading("申请内容", "Application details（* 必填 required）"))
    if item.fields:
        rows = [
            Entry(
                ("* " if field.required else "") + field.label,
                field.label_en or field.key,
                field_value(field, facts.case.fields.get(field.key)),
            )
            for field in item.fields
        ]
        parts.append(paper.entries(rows, pairs=False))
    else:
        parts.append(paper.p("本事项无需填写其他内容。", "This item needs no further details."))
    parts.append(
        paper.p(
            "申请人声明：本人（单位）对所填写内容及所提交材料的真实性、合法性、有效性负责。",
            "Declaration: I am responsible for the truth, lawfulness and validity of what is "
            "written here and of the materials submitted.",
        )
    )
    parts.append(
        paper.signatures(
            [("申请人（签字、盖章）", "Applicant signature / seal"), ("日期", "Date")],
            [("代办人（签字）", "Agent signature, if any"), ("日期", "Date")],
        )
    )
    return parts


def field_value(field: FormField, value: FieldValue) -> str:
    """A field's value as printed on the form; "" leaves room for handwriting."""
    if field.type == "bool":
        yes = value is True
        no = value is False
        return f"{_box(yes)} 是 Yes    {_box(no)} 否 No"
    if field.type == "choice":
        return "    ".join(f"{_box(value == choice)} {choice}" for choice in field.choices)
    if value is None or value == "":
        return ""
    if field.type == "id_number":
        return mask_id_number(str(value))
    if field.type == "uscc":
        return normalise_id_number(str(value))
    if field.type == "phone":
        return masked_phone(str(value))
    if field.type == "number" and isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _box(chosen: bool) -> str:
    return CHOSEN if chosen else NOT_CHOSEN
