"""Plausible values for an item's form fields in a generated scenario, chosen by the
field's key where the catalogue's own keys say what they hold (``child_name``,
``property_location``), else by its type.

A catalogue may have keys this module has never seen; they still get a value of the right
type, so a generated scenario always passes the check.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from counterdesk.domain.catalogue.model import FormField
from counterdesk.domain.training import people
from counterdesk.domain.training.people import Region


@dataclass(frozen=True)
class Household:
    """The people a scenario's fields may refer to."""

    region: Region
    day: dt.date
    surname: str
    applicant_type: str
    applicant_id: str  # resident ID (natural) or credit code (legal)
    phone: str
    contact_id: str  # the natural applicant's own number, or the organisation contact's


_TEXT: dict[str, Callable[[random.Random, Household], str]] = {
    "entity_name": lambda r, h: (
        people.company_name(r, h.region)
        if h.applicant_type == "legal"
        else f"{h.region.zh}{r.choice(people.BRANDS)}{r.choice(('水果店', '小吃店', '便利店', '面馆'))}"
    ),
    "venue_name": lambda r, h: f"{r.choice(people.BRANDS)}{r.choice(('KTV', '歌舞厅', '会所'))}",
    "project_name": lambda r, h: (
        f"{r.choice(people.BRANDS)}{r.choice(('产业园', '综合楼', '标准厂房'))}项目"
    ),
    "property_location": lambda r, h: people.address(r, h.region),
    "child_name": lambda r, h: people.person_name(r, h.surname),
    "origin_centre": lambda r, h: r.choice(("杭州住房公积金管理中心", "宁波市住房公积金管理中心")),
    "origin_account": lambda r, h: "".join(r.choice("0123456789") for _ in range(12)),
    "origin_region": lambda r, h: r.choice(("杭州市", "上海市", "苏州市")),
    "institution": lambda r, h: r.choice(("嘉兴市第一医院", "嘉兴市妇幼保健院", "南湖区人民医院")),
    "disease": lambda r, h: r.choice(("高血压", "2型糖尿病", "慢性肾脏病")),
    "village": lambda r, h: (
        f"{r.choice(('新丰', '凤桥', '余新'))}镇{r.choice(('竹林', '永红', '联丰'))}村"
    ),
    "plate_number": lambda r, h: (
        "浙F" + "".join(r.choice("0123456789ABCDEFGHJK") for _ in range(5))
    ),
    "business_scope": lambda r, h: r.choice(
        ("水果、蔬菜零售", "餐饮服务", "日用百货零售", "货物运输")
    ),
}
_NUMBERS: dict[str, tuple[int, int]] = {
    "area": (30, 600),
    "room_count": (6, 30),
    "staff_count": (3, 60),
    "registered_capital": (10, 500),
    "terminal_count": (40, 200),
    "household_size": (1, 6),
    "bed_count": (20, 200),
    "seal_count": (1, 5),
    "vehicle_count": (1, 20),
    "contract_price": (600_000, 3_000_000),
    "loan_amount": (200_000, 1_500_000),
    "monthly_rent": (1_500, 8_000),
    "sign_area": (2, 20),
}
# Days before (negative: after) the scenario's day.
_DATES: dict[str, tuple[int, int]] = {
    "birth_date": (3, 80),
    "notice_end_date": (1, 30),
    "start_date": (0, 30),
    "last_day": (1, 60),
    "wedding_date": (-90, -1),
}


def field_value(form_field: FormField, rng: random.Random, home: Household) -> Any:
    key, kind = form_field.key, form_field.type
    if kind == "choice":
        return rng.choice(form_field.choices)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "number":
        low, high = _NUMBERS.get(key, (1, 100))
        return rng.randint(low, high)
    if kind == "date":
        low, high = _DATES.get(key, (0, 30))
        return (home.day - dt.timedelta(days=rng.randint(low, high))).isoformat()
    if kind == "id_number":
        return _id_number(key, rng, home)
    if kind == "uscc":
        if home.applicant_type == "legal":
            return home.applicant_id
        return people.credit_code(rng, home.region, "92")  # an individual business
    if kind == "phone":
        return home.phone
    make = _TEXT.get(key)
    return make(rng, home) if make else f"{form_field.label}（示例）"


def _id_number(key: str, rng: random.Random, home: Household) -> str:
    if key in ("applicant_id_number", "legal_rep_id_number"):
        return home.contact_id
    if key == "child_id_number":
        birth = people.birth_date(rng, home.day, 6, 13)
    else:  # a partner, an employee: another adult
        birth = people.birth_date(rng, home.day, 22, 60)
    return people.resident_id(rng, home.region, birth, rng.random() < 0.5)
