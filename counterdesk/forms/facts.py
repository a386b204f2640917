"""A case turned into the words printed on paper: masked identifiers, local times, limits
as working days and dates, fee, delivery, material names and counts.

Pure text, no reportlab, so that what a paper says can be tested without reading a PDF,
and so that every paper says a thing the same way. Identifiers are masked here, once,
with the domain's masking rule: nothing else in ``forms`` sees a full ID number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from counterdesk.domain.cases import Case, Limits, Shortfall
from counterdesk.domain.cases.unlisted import UNLISTED_KIND
from counterdesk.domain.catalogue import Catalogue, Item
from counterdesk.domain.checklist import calendar_for
from counterdesk.domain.clock import CHINA_TZ
from counterdesk.domain.identity import mask_id_number, mask_phone, normalise_id_number
from counterdesk.forms.paper import PaperSettings, progress_link

NOTICE_DAYS = 5  # art. 32: the one-time notice is due within five (working) days


class DocumentError(ValueError):
    """This paper cannot be made for this case; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class Entry:
    """One labelled value on a paper: Chinese label, English label beneath, the value."""

    label: str
    label_en: str
    value: str
    value_en: str = ""


@dataclass(frozen=True)
class MaterialRow:
    name: str
    name_en: str
    original: int
    copies: int
    note: str = ""


def mask_identifier(kind: str, value: str) -> str:
    """An applicant's identifier as printed: a USCC is public registration data and shown
    whole; resident ID numbers and any other document numbers are masked."""
    if kind == "uscc":
        return normalise_id_number(value)
    return mask_id_number(value)


def masked_phone(value: str) -> str:
    return mask_phone(value) if value.strip() else ""


def local_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(CHINA_TZ)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def long_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def fee_text(fee: float | Decimal) -> tuple[str, str]:
    amount = Decimal(str(fee))
    if amount == 0:
        return "不收费", "free of charge"
    return f"{amount:.2f} 元", f"CNY {amount:.2f}"


APPLICANT_TYPES = {
    "natural": ("自然人", "natural person"),
    "legal": ("法人或其他组织", "legal person or organisation"),
}
ID_LABELS = {
    "resident_id": ("身份证号码", "ID number"),
    "uscc": ("统一社会信用代码", "Unified social credit code"),
    "other": ("证件号码", "ID document number"),
}


class PaperFacts:
    """Everything several papers print about one case, worded once."""

    def __init__(self, case: Case, catalogue: Catalogue, settings: PaperSettings) -> None:
        self.case = case
        self.catalogue = catalogue
        self.settings = settings
        target = catalogue.target(case.target.code)
        self.items: tuple[Item, ...] = catalogue.items_of(target) if target else ()

    # --- identity of the case ---------------------------------------------------------------

    @property
    def number(self) -> str:
        return self.case.number or self.case.id

    @property
    def provisional(self) -> bool:
        """A number issued offline without a leased official one: it must look provisional."""
        return not self.case.numbers.official

    @property
    def centre(self) -> str:
        return self.settings.centre_name or self.case.centre

    @property
    def counter(self) -> str:
        return self.case.counter or self.settings.counter_name

    @property
    def officer(self) -> str:
        decision = self.case.decision
        return self.settings.officer(decision.decided_by if decision else self.case.received_by)

    @property
    def qr_link(self) -> str:
        return progress_link(self.settings.progress_url, self.number)

    @property
    def unlisted(self) -> bool:
        """A matter no item of this centre covers: no item, department or legal basis."""
        return self.case.target.kind == UNLISTED_KIND

    def target_entry(self) -> Entry:
        target = self.case.target
        if self.unlisted:  # what the applicant asked for, in the officer's words; no code
            return Entry("申请事项", "Matter applied for", target.name, target.name_en)
        label = ("一件事", "Bundle") if target.kind == "bundle" else ("申请事项", "Item")
        name_en = target.name_en or (self.items[0].name_en if len(self.items) == 1 else "")
        return Entry(label[0], label[1], f"{target.name}（{target.code}）", name_en)

    def departments(self) -> str:
        names: list[str] = []
        for item in self.items:
            department = self.catalogue.departments.get(item.department)
            name = department.name if department else item.department
            if name not in names:
                names.append(name)
        return "、".join(names)

    def legal_basis(self) -> str:
        bases: list[str] = []
        for item in self.items:
            if item.legal_basis and item.legal_basis not in bases:
                bases.append(item.legal_basis)
        return "；".join(bases)

    def result_names(self) -> str:
        return "、".join(item.result.name for item in self.items)

    # --- people -----------------------------------------------------------------------------

    def applicant_entries(self) -> list[Entry]:
        applicant = self.case.applicant
        kind_zh, kind_en = APPLICANT_TYPES[applicant.type]
        id_zh, id_en = ID_LABELS[applicant.id_kind]
        entries = [
            Entry("申请人", "Applicant", applicant.name, f"{kind_zh} {kind_en}"),
            Entry(id_zh, id_en, mask_identifier(applicant.id_kind, applicant.id_number)),
        ]
        contact = applicant.contact_name or applicant.name
        entries.append(Entry("联系人", "Contact person", contact))
        entries.append(Entry("联系电话", "Phone", masked_phone(applicant.phone)))
        if self.case.agent is not None:
            agent = self.case.agent
            entries.append(
                Entry(
                    "代办人",
                    "Agent",
                    agent.name,
                    f"身份证号码 {mask_id_number(agent.id_number)}",
                )
            )
        return entries

    def centre_entries(self) -> list[Entry]:
        entries = [Entry("受理单位", "Service centre", self.centre)]
        if self.counter:
            entries.append(Entry("受理窗口", "Counter", self.counter))
        entries.append(Entry("经办人", "Officer", self.officer))
        return entries

    # --- times, limits, fee, delivery -------------------------------------------------------

    def received_entry(self) -> Entry:
        if self.unlisted:  # the applicant asked; the counter took no papers
            return Entry("申请时间", "Applied", local_time(self.case.received_at))
        return Entry("收件时间", "Materials received", local_time(self.case.received_at))

    def decided_entry(self, label: str = "受理时间", label_en: str = "Accepted") -> Entry:
        decision = self.case.decision
        return Entry(label, label_en, local_time(decision.decided_at if decision else None))

    def limit_entries(self) -> list[Entry]:
        limits = self.case.limits
        if limits is None:
            raise DocumentError("办件尚无时限信息 / the case has no time limits yet")
        mark = "（暂定）" if limits.calendar_provisional else ""
        mark_en = " (provisional)" if limits.calendar_provisional else ""
        entries = [
            Entry(
                "法定时限",
                "Statutory limit",
                f"{limits.legal_days}个工作日，{long_date(limits.legal_by)}前{mark}",
                f"{limits.legal_days} working days, by {limits.legal_by.isoformat()}{mark_en}",
            ),
            Entry("承诺时限", "Promised limit", *self._promised(limits, mark, mark_en)),
        ]
        fee, fee_en = fee_text(limits.fee)
        entries.append(Entry("收费标准", "Fee", fee, fee_en))
        return entries

    @staticmethod
    def _promised(limits: Limits, mark: str, mark_en: str) -> tuple[str, str]:
        days, by = limits.promised_days, limits.promised_by
        if days == 0:
            return f"即办，{long_date(by)}{mark}", f"done on the spot, {by.isoformat()}{mark_en}"
        return (
            f"{days}个工作日，{long_date(by)}前{mark}",
            f"{days} working days, by {by.isoformat()}{mark_en}",
        )

    @property
    def calendar_provisional(self) -> bool:
        return bool(self.case.limits and self.case.limits.calendar_provisional)

    PROVISIONAL_CALENDAR_NOTE = (
        "注：办结日期所在年度的节假日安排尚未公布，日期按周一至周五推算，为暂定日期。",
        "Note: the holiday schedule for that year is not yet published; dates are counted "
        "Monday to Friday and are provisional.",
    )

    def delivery_entry(self) -> Entry:
        delivery = self.case.delivery
        if delivery.method == "mail":
            recipient = " ".join(
                part for part in (delivery.recipient, masked_phone(delivery.phone)) if part
            )
            value = "邮寄送达：" + "，".join(p for p in (delivery.address, recipient) if p)
            return Entry("送达方式", "Delivery", value, "by mail")
        return Entry("送达方式", "Delivery", "窗口领取", "collect at the counter")

    def notice_deadline(self) -> tuple[dt.date, bool]:
        """The last day for deciding or issuing the one-time notice, and whether provisional."""
        calendar = calendar_for(self.catalogue.calendar)
        received = self.case.received_at.astimezone(CHINA_TZ).date()
        return calendar.add_working_days(received, NOTICE_DAYS)

    # --- materials --------------------------------------------------------------------------

    def material_name(self, material_id: str) -> tuple[str, str]:
        material = self.catalogue.materials.get(material_id)
        if material is not None:
            return material.name, material.name_en
        for line in self._checklist():
            if line.get("material") == material_id and isinstance(line.get("name"), str):
                return str(line["name"]), ""
        return material_id, ""

    def _checklist(self) -> list[dict[str, object]]:
        check = self.case.check or {}
        lines = check.get("checklist")
        return [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []

    def received_rows(self) -> list[MaterialRow]:
        """What the applicant handed over, in checklist order, plus what data sharing
        supplied and what a deferral leaves to bring later."""
        decision = self.case.decision
        deferred = {s.material for s in decision.deferred} if decision else set()
        order = [str(line.get("material")) for line in self._checklist()]
        order += [m for m in self.case.received if m not in order]
        order += [m for m in deferred if m not in order]  # listed even if not on the check
        statuses = {str(line.get("material")): line.get("status") for line in self._checklist()}
        rows: list[MaterialRow] = []
        for material_id in order:
            got = self.case.received.get(material_id)
            notes: list[str] = []
            if statuses.get(material_id) == "by_sharing":
                notes.append("电子证照库调取 by data sharing")
            if got is not None and got.made_at_counter:
                notes.append(f"窗口代复印{got.made_at_counter}份 {got.made_at_counter} copied here")
            if got is not None and got.pages:
                notes.append(f"已扫描{got.pages}页 {got.pages} pages scanned")
            if material_id in deferred:
                due = long_date(decision.due) if decision and decision.due else ""
                notes.append(f"容缺后补{('，' + due + '前') if due else ''} to be supplied later")
            if got is None and not notes:
                continue
            name, name_en = self.material_name(material_id)
            rows.append(
                MaterialRow(
                    name,
                    name_en,
                    got.original if got else 0,
                    got.copies if got else 0,
                    "；".join(notes),
                )
            )
        return rows

    def shortfall_rows(self, shortfalls: list[Shortfall]) -> list[MaterialRow]:
        rows = []
        for shortfall in shortfalls:
            name, name_en = self.material_name(shortfall.material)
            rows.append(MaterialRow(name, name_en, shortfall.original, shortfall.copies))
        return rows
