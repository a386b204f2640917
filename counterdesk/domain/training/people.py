"""Made-up people and organisations for practice scenarios, with identifiers that pass the
same checks as real ones: resident ID numbers with a real region, birth date and GB 11643
check digit, unified social credit codes with both check characters, Chinese phones.

Realistic on purpose: a trainee learns to read an ID number (region, birth date, check
digit) only if the numbers in training behave like real ones. None is a real person's: the
sequence digits are random.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from counterdesk.domain.identity import resident_id_check_digit, uscc_check_digit

# Surnames and given-name characters without common second readings, so the pinyin of a
# name is the one people use.
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓彭肖田董袁潘蒋蔡余杜叶程苏魏丁沈姚卢钟姜崔谭陆范汪廖金夏方邹熊孟秦邱侯江薛雷龙陶顾毛钱严戴孔汤"
)
GIVEN = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华兰萍鹏建红丹辉宁凯晨颖琳欣怡佳浩宇文博俊嘉雨婷思远志国梅兵"
)


@dataclass(frozen=True)
class Region:
    code: str
    zh: str
    en: str


# County-level codes still in use (stdnum's table), so any birth year fits them.
LOCAL_REGIONS = (
    Region("330402", "嘉兴市南湖区", "Nanhu District, Jiaxing"),
    Region("330411", "嘉兴市秀洲区", "Xiuzhou District, Jiaxing"),
    Region("330421", "嘉善县", "Jiashan County"),
    Region("330481", "海宁市", "Haining"),
    Region("330106", "杭州市西湖区", "Xihu District, Hangzhou"),
    Region("330782", "义乌市", "Yiwu"),
    Region("330783", "东阳市", "Dongyang"),
    Region("330523", "安吉县", "Anji County"),
)
ORIGIN_REGIONS = (
    Region("341221", "安徽省临泉县", "Linquan County, Anhui"),
    Region("411526", "河南省潢川县", "Huangchuan County, Henan"),
    Region("511321", "四川省南部县", "Nanbu County, Sichuan"),
    Region("340826", "安徽省宿松县", "Susong County, Anhui"),
)
BRANDS = ("星光", "华远", "恒泰", "锦程", "禾丰", "嘉和", "瑞丰", "鸿运", "天成", "万顺")
TRADES = ("商贸", "餐饮", "文化娱乐", "科技", "物流", "建设工程", "医药", "食品")
ROADS = ("中山路", "禾兴路", "南湖路", "东升路", "槜李路", "由拳路", "凌公塘路")


def person_name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def name_en(name: str) -> str:
    """The pinyin of a name as written in English: ``王晓明`` -> ``Wang Xiaoming``."""
    from pypinyin import lazy_pinyin  # loaded only when a scenario is generated

    syllables = lazy_pinyin(name)
    return " ".join(part.capitalize() for part in (syllables[0], "".join(syllables[1:])) if part)


def resident_id(rng: random.Random, region: Region, birth: dt.date, male: bool) -> str:
    """An 18-character ID number: region, birth date, order code (odd for men), check."""
    sex_digit = rng.choice("13579" if male else "02468")
    first17 = f"{region.code}{birth:%Y%m%d}{rng.randrange(100):02d}{sex_digit}"
    return first17 + resident_id_check_digit(first17)


def mistyped(id_number: str, rng: random.Random) -> str:
    """The number with one digit of the order code or birth day changed, as a slip of the
    pen: the mod 11-2 check digit always catches a single changed digit."""
    position = rng.choice((12, 13, 14, 15, 16))
    digit = id_number[position]
    other = rng.choice([d for d in "0123456789" if d != digit])
    return id_number[:position] + other + id_number[position + 1 :]


def birth_date(rng: random.Random, today: dt.date, youngest: int, oldest: int) -> dt.date:
    """A birth date making someone ``youngest`` to ``oldest`` years old on ``today``."""
    days = rng.randrange(youngest * 365 + 1, oldest * 365)
    return today - dt.timedelta(days=days)


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and its check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, region: Region, kind: str = "91") -> str:
    """A unified social credit code: ``91`` a company, ``92`` an individual business."""
    first17 = f"{kind}{region.code}{organisation_code(rng)}"
    return first17 + uscc_check_digit(first17)


def mobile(rng: random.Random) -> str:
    prefix = rng.choice(("133", "135", "138", "139", "150", "158", "177", "186", "189", "199"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))


def landline(rng: random.Random) -> str:
    """A Jiaxing office number: area code 0573 and 8 digits not starting with 0."""
    return "0573-8" + "".join(rng.choice("0123456789") for _ in range(7))


def company_name(rng: random.Random, region: Region) -> str:
    return f"{region.zh}{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"


def address(rng: random.Random, region: Region) -> str:
    return f"{region.zh}{rng.choice(ROADS)}{rng.randrange(1, 600)}号{rng.randrange(1, 30)}幢{rng.randrange(101, 2200)}室"
