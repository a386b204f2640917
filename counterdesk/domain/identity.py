"""Identifiers typed at the counter: resident ID numbers, unified social credit codes, phones.

A clerk copies these from cards and forms under time pressure; a typo caught here saves a
rejected case later. So every check normalises what people really type (spaces, dashes,
full-width digits from a Chinese input method, a lower-case ``x``) and, when it rejects,
says in Chinese and English exactly what is wrong, with a machine code for the UI.

It also masks ID numbers and phones for paper and shared screens (GB/T 35273: first 6 and
last 4 digits of an ID number).

Why not just ``stdnum.cn.ric.validate``: it accepts future birth dates, reports a bad date
and an unknown region with the same exception, and rejects a region code for anyone born
before the code was created — yet the codes date from the 1980s and ID numbers were first
issued from 1984 to people of every age, so it would turn away e.g. every Hangzhou 西湖区
(330106) number of someone born before 1983. Its region table is used, with that rule
relaxed (see ``_region_problem``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from stdnum import numdb
from stdnum.cn import uscc as _uscc

# Machine reason codes, stable for the UI and logs.
ReasonCode = Literal[
    "",
    "empty",
    "length",
    "characters",
    "check_digit",
    "birth_date",
    "early_birth_date",
    "future_birth_date",
    "region",
    "mobile_prefix",
    "area_code",
    "local_number",
    "extension",
]


@dataclass(frozen=True)
class Validated:
    """The verdict on one typed identifier.

    ``value`` is the normalised text even when rejected, so the form can show what was read.
    ``reason`` is empty when ``ok``; otherwise Chinese, then " / ", then English.
    """

    ok: bool
    value: str
    reason: str = ""
    reason_code: str = ""


def _accept(value: str) -> Validated:
    return Validated(True, value, "", "")


def _reject(value: str, code: ReasonCode, chinese: str, english: str) -> Validated:
    return Validated(False, value, f"{chinese} / {english}", code)


# --- normalisation -------------------------------------------------------------------------

# Full-width ASCII (what a Chinese input method types: ０-９, Ｘ, （ ）, －) and the ideographic
# space map to plain ASCII; every dash-like character maps to "-".
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = ord(" ")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u30fc"
_HALFWIDTH.update({ord(dash): ord("-") for dash in _DASHES})
_SEPARATORS = re.compile(r"[\s\-]+")


def _halfwidth(text: str) -> str:
    return text.translate(_HALFWIDTH)


def normalise_id_number(text: str) -> str:
    """``text`` stripped of spaces and dashes, full-width characters made ASCII, ``x`` upper."""
    return _SEPARATORS.sub("", _halfwidth(text)).upper()


# --- resident ID number (GB 11643-1999) ----------------------------------------------------

_ID_LENGTH = 18
_ID_BODY = re.compile(r"[0-9]{17}[0-9X]")  # ASCII only: \d would let other scripts' digits in
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # ISO 7064 MOD 11-2
_EARLIEST_BIRTH_YEAR = 1900
# Residence permits of Taiwan residents (台湾居民居住证, 2018) use 830000, which stdnum's
# table lacks; those of Hong Kong and Macao residents (810000, 820000) are in it.
_EXTRA_REGIONS = {"830000": "台湾居民居住证"}


def resident_id_check_digit(first17: str) -> str:
    """The GB 11643 check digit (``0``-``9`` or ``X``) for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def validate_resident_id(text: str, *, today: dt.date) -> Validated:
    """Check a resident ID number; ``today`` bounds the birth date (inject it: no real clock).

    Checks run in this order, so the message names the most specific fault: empty, length,
    characters, birth date (real day, not before 1900, not after ``today``), region code,
    and last the check digit. The check digit goes last because it only says "some digit is
    wrong"; a bad date or region already says which digits.
    """
    value = normalise_id_number(text)
    if not value:
        return _reject(value, "empty", "未填写身份证号码", "no ID number given")
    if len(value) != _ID_LENGTH:
        if len(value) == 15 and value.isascii() and value.isdigit():
            return _reject(
                value,
                "length",
                "这是15位的一代身份证号码，请填写18位号码",
                "this is a 15-digit first-generation number; give the 18-digit one",
            )
        return _reject(
            value,
            "length",
            f"身份证号码应为18位，现为{len(value)}位",
            f"ID number must have 18 characters, got {len(value)}",
        )
    if not _ID_BODY.fullmatch(value):
        bad = _bad_positions(value, lambda i, c: c in "0123456789" or (i == 17 and c == "X"))
        return _reject(
            value,
            "characters",
            f"身份证号码前17位应为数字，末位为数字或X；第{bad}位不符",
            f"ID number must be 17 digits then a digit or X; position {bad} is not",
        )
    birth = _date_or_none(value[6:14])
    if birth is None:
        return _reject(
            value,
            "birth_date",
            f"出生日期 {value[6:14]} 不是真实存在的日期",
            f"birth date {value[6:14]} is not a real date",
        )
    if birth.year < _EARLIEST_BIRTH_YEAR:
        return _reject(
            value,
            "early_birth_date",
            f"出生日期 {birth.isoformat()} 早于1900年",
            f"birth date {birth.isoformat()} is before 1900",
        )
    if birth > today:
        return _reject(
            value,
            "future_birth_date",
            f"出生日期 {birth.isoformat()} 晚于今天 {today.isoformat()}",
            f"birth date {birth.isoformat()} is after today, {today.isoformat()}",
        )
    region = _region_problem(value[:6], birth.year)
    if region is not None:
        return _reject(value, "region", *region)
    expected = resident_id_check_digit(value[:17])
    if value[17] != expected:
        return _reject(
            value,
            "check_digit",
            f"校验位不符：按前17位应为 {expected}，实为 {value[17]}（可能有数字输错）",
            f"check digit mismatch: the first 17 digits give {expected}, "
            f"the number ends in {value[17]} (a digit may be mistyped)",
        )
    return _accept(value)


def birth_date_of(id_number: str) -> dt.date:
    """The birth date written in an 18-character ID number; ValueError if it has none."""
    value = normalise_id_number(id_number)
    birth = _date_or_none(value[6:14]) if len(value) == _ID_LENGTH else None
    if birth is None:
        raise ValueError("not an 18-character ID number with a real birth date")
    return birth


def sex_of(id_number: str) -> Literal["M", "F"]:
    """ "M" or "F": the 17th digit (the order code's last) is odd for men, even for women."""
    value = normalise_id_number(id_number)
    if len(value) != _ID_LENGTH or not value[16].isascii() or not value[16].isdigit():
        raise ValueError("not an 18-character ID number")
    return "M" if int(value[16]) % 2 else "F"


def _date_or_none(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _region_problem(code: str, birth_year: int) -> tuple[str, str] | None:
    """Why ``code`` cannot head the number of someone born in ``birth_year``, or None.

    Known means a county-level entry in stdnum's administrative-division table, historic
    entries included (so merged districts such as 下城区 330103 stay valid). An entry marked
    ``[start-end]`` is rejected only when it was retired before the birth year: its start is
    ignored because numbers were assigned at first issue (from 1984), not at birth.
    """
    if code in _EXTRA_REGIONS:
        return None
    counties = _counties(code)
    if not counties:
        return (f"地区码 {code} 不存在", f"region code {code} does not exist")
    for _start, end, _name in counties:
        if end is None or end >= birth_year:
            return None
    names = "、".join(name for _, _, name in counties)
    last = max(end for _, end, _ in counties if end is not None)
    return (
        f"地区码 {code}（{names}）已于{last}年停用，不可能用于{birth_year}年出生者",
        f"region code {code} ({names}) was retired in {last}, "
        f"so it cannot belong to someone born in {birth_year}",
    )


def _counties(code: str) -> list[tuple[int | None, int | None, str]]:
    """The county entries stdnum knows for a 6-digit code: (start year, end year, name)."""
    entries: list[tuple[int | None, int | None, str]] = []
    # stdnum loads and caches its table on first use; parts carry {} when unknown.
    for _part, props in numdb.get("cn/loc").info(code):
        for entry in props.get("county", "").split(","):
            if not entry:
                continue
            start: int | None = None
            end: int | None = None
            if entry.startswith("[") and "]" in entry:
                years, entry = entry[1:].split("]", 1)
                first, _, last = years.partition("-")
                start = int(first) if first.isdigit() else None
                end = int(last) if last.isdigit() else None
            entries.append((start, end, entry))
    return entries


def _bad_positions(value: str, allowed: Callable[[int, str], bool]) -> str:
    """1-based positions of characters that ``allowed`` refuses, as "3、7"."""
    return "、".join(str(i + 1) for i, c in enumerate(value) if not allowed(i, c))


# --- unified social credit code (GB 32100-2015) ---------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 0-9A-Z without I O Z S V


def uscc_check_digit(first17: str) -> str:
    """The GB 32100 mod-31 check character for the first 17 characters."""
    if len(first17) != 17 or any(c not in _USCC_ALPHABET for c in first17):
        raise ValueError(f"need 17 characters from {_USCC_ALPHABET}, got {first17!r}")
    return str(_uscc.calc_check_digit(first17))


def validate_uscc(text: str) -> Validated:
    """Check a unified social credit code: length, alphabet, then the check character.

    Every position may use the whole alphabet. stdnum insists on 8 leading digits, which
    would reject genuine codes from registering authorities such as 农业 (``N``) or 其他
    (``Y``), e.g. village collective economic organisations (``N2…``).
    """
    value = normalise_id_number(text)
    if not value:
        return _reject(
            value, "empty", "未填写统一社会信用代码", "no unified social credit code given"
        )
    if len(value) != 18:
        return _reject(
            value,
            "length",
            f"统一社会信用代码应为18位，现为{len(value)}位",
            f"unified social credit code must have 18 characters, got {len(value)}",
        )
    if any(c not in _USCC_ALPHABET for c in value):
        bad = _bad_positions(value, lambda _i, c: c in _USCC_ALPHABET)
        return _reject(
            value,
            "characters",
            f"统一社会信用代码只用数字和除I、O、Z、S、V外的大写字母；第{bad}位不符",
            f"only digits and capital letters other than I, O, Z, S, V are used; "
            f"position {bad} is not one",
        )
    expected = uscc_check_digit(value[:17])
    if value[17] != expected:
        return _reject(
            value,
            "check_digit",
            f"校验位不符：按前17位应为 {expected}，实为 {value[17]}（可能有字符输错）",
            f"check character mismatch: the first 17 give {expected}, "
            f"the code ends in {value[17]} (a character may be mistyped)",
        )
    return _accept(value)


# --- phone numbers ----------------------------------------------------------------------------

# An extension counts only when clearly marked (转 / 分机 / ext), never as bare trailing digits,
# which would hide a mistyped number.
_EXTENSION = re.compile(r"^(?P<number>.*?)\s*(?:转|分机|ext\.?)\s*(?P<ext>[0-9]{1,6})$", re.I)
_PHONE_CHARS = re.compile(r"[0-9+()\s\-]+")
_INTERNATIONAL = re.compile(r"^(?:\+86|0086)")
_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[0-9]{10})")
# A pair of parentheses may only wrap the area code (or the country code) at the start.
_PARENTHESES = re.compile(r"^\s*\((?:\+?86|0[0-9]{2,3})\)[^()]*$|^[^()]*$")


def validate_phone(text: str) -> Validated:
    """Check a mobile or a landline number.

    Mobiles: ``1[3-9]`` and 9 more digits, optionally after ``+86``, ``0086`` or ``86``;
    normalised to the 11 digits. Landlines: area code (``010`` and ``02x`` have 3 digits, all
    others 4) then a 7–8 digit local number not starting with 0; spaces, dashes and
    parentheses round the area code are allowed, and ``+86``/``0086`` may replace the area
    code's leading 0. Normalised to ``0573-82345678``. An extension is accepted only on a
    landline and only when marked with 转, 分机 or ext (``0573-82345678转123``). Numbers
    without an area code, and 400/800 service numbers, are refused.
    """
    cleaned = _halfwidth(text).strip()
    if not cleaned:
        return _reject("", "empty", "未填写电话号码", "no phone number given")
    extension = ""
    marked = _EXTENSION.match(cleaned)
    if marked:
        cleaned, extension = marked["number"].strip(), marked["ext"]
    if not _PHONE_CHARS.fullmatch(cleaned) or not _PARENTHESES.match(cleaned):
        return _reject(
            _SEPARATORS.sub("", cleaned),
            "characters",
            "电话号码只能含数字、空格、短横线，括号只能括住区号",
            "a phone number may hold only digits, spaces and dashes, "
            "with parentheses only round the area code",
        )
    compact = re.sub(r"[\s\-()]", "", cleaned)
    if "+" in compact[1:]:
        return _reject(compact, "characters", "“+”只能出现在开头", "'+' may only come first")
    mobile = _MOBILE.fullmatch(compact)
    if mobile:
        number = mobile[1]
        if number[1] in "012":
            return _reject(
                number,
                "mobile_prefix",
                "手机号码应以13至19开头",
                "a mobile number must start with 13 to 19",
            )
        if extension:
            return _reject(
                number, "extension", "手机号码不能带分机号", "a mobile number has no extension"
            )
        return _accept(number)
    return _landline(compact, extension)


def _landline(compact: str, extension: str) -> Validated:
    international = _INTERNATIONAL.match(compact)
    digits = compact[international.end() :] if international else compact
    if international and not digits.startswith("0"):
        digits = "0" + digits  # +86 573 … drops the trunk prefix 0
    if not digits.isdigit():
        return _reject(compact, "characters", "“+”后只能是国家代码86", "'+' must begin +86")
    if not digits.startswith("0"):
        if len(digits) in (7, 8):
            return _reject(
                digits, "area_code", "座机号码请加上区号", "a landline number needs its area code"
            )
        return _reject(
            digits,
            "length",
            f"无法识别的号码：手机应为11位，座机为区号加7–8位，现为{len(digits)}位数字",
            "not a phone number: a mobile has 11 digits, a landline an area code "
            f"and 7–8 digits; got {len(digits)} digits",
        )
    # Only 010 and 020–029 are 3 digits long; every other area code has 4.
    area_length = 3 if digits[1] in "12" else 4
    area, local = digits[:area_length], digits[area_length:]
    if digits[1] in "01" and area != "010":
        return _reject(digits, "area_code", f"区号 {area} 不存在", f"there is no area code {area}")
    if len(local) not in (7, 8):
        return _reject(
            digits,
            "length",
            f"区号 {area} 后应为7–8位号码，现为{len(local)}位",
            f"after area code {area} come 7–8 digits, got {len(local)}",
        )
    if local.startswith("0"):  # usually the area code typed twice
        return _reject(
            digits,
            "local_number",
            f"区号后的本地号码不以0开头，现为 {local}",
            f"the local number after the area code never starts with 0, got {local}",
        )
    value = f"{area}-{local}" + (f"转{extension}" if extension else "")
    return _accept(value)


# --- masking ----------------------------------------------------------------------------------

Kind = Literal["resident_id", "uscc", "phone"]


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters kept, the rest ``*``: ``330106********1234``.

    Anything shorter than 15 characters (not an ID number) is masked entirely, since keeping
    10 characters of it would show most or all of it.
    """
    value = normalise_id_number(value)
    if len(value) < 15:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """A mobile keeps its first 3 and last 4 digits (``138****5678``); a landline its area
    code, its extension and the last 4 (8-digit) or 3 (7-digit) digits
    (``0573-****5678``). Anything not a valid phone is masked entirely."""
    checked = validate_phone(value)
    if not checked.ok:
        return "*" * len(_SEPARATORS.sub("", value))
    number = checked.value
    if "-" not in number:
        return number[:3] + "****" + number[-4:]
    area, rest = number.split("-", 1)
    local, _, extension = rest.partition("转")
    keep = 4 if len(local) == 8 else 3
    masked = f"{area}-{'*' * (len(local) - keep)}{local[-keep:]}"
    return masked + (f"转{extension}" if extension else "")


def mask_for_display(kind: Kind, value: str) -> str:
    """``value`` as it may appear on paper or a shared screen.

    Resident IDs and phones are personal data and masked; unified social credit codes are
    public registration data and shown whole (normalised).
    """
    if kind == "resident_id":
        return mask_id_number(value)
    if kind == "phone":
        return mask_phone(value)
    if kind == "uscc":
        return normalise_id_number(value)
    raise ValueError(f"unknown identifier kind {kind!r}")
