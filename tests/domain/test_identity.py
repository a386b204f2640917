"""Resident ID numbers, unified social credit codes, phone numbers and their masking.

All numbers are synthetic: built here from a region code, a birth date and an order code,
with the check digit computed by the helpers below (not copied from any real person or
company). ``today`` is always injected.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from counterdesk.domain.identity import (
    Validated,
    birth_date_of,
    mask_for_display,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    resident_id_check_digit,
    sex_of,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)

TODAY = dt.date(2026, 11, 23)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def id_check_digit(first17: str) -> str:
    """GB 11643 / ISO 7064 MOD 11-2, written out independently of the module under test."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def make_id(region: str = "330106", birth: str = "19800101", order: str = "002") -> str:
    first17 = region + birth + order
    return first17 + id_check_digit(first17)


def uscc_check_digit(first17: str) -> str:
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def make_uscc(first17: str = "91330106MA2B3C4DK") -> str:
    return first17 + uscc_check_digit(first17)


def rejected(result: Validated, code: str) -> None:
    assert not result.ok
    assert result.reason_code == code
    assert " / " in result.reason  # Chinese, then English
    chinese, english = result.reason.split(" / ", 1)
    assert any("\u4e00" <= c <= "\u9fff" for c in chinese)
    assert any("a" <= c <= "z" for c in english)


# --- check digits ------------------------------------------------------------------------


def test_check_digit_agrees_with_stdnum_and_the_test_helper() -> None:
    for first17 in ("33010619800101001", "11010519491231002", "44030420000229123"):
        assert resident_id_check_digit(first17) == id_check_digit(first17)
        assert ric.calc_check_digit(first17 + "0") == id_check_digit(first17)


def test_the_helper_makes_an_x_check_digit_when_due() -> None:
    assert make_id("110105", "19491231", "002").endswith("X")


# --- valid resident IDs ------------------------------------------------------------------


def test_a_valid_id() -> None:
    number = make_id()
    assert validate_resident_id(number, today=TODAY) == Validated(True, number, "", "")


def test_a_valid_id_with_x_check_digit() -> None:
    number = make_id("110105", "19491231", "002")
    assert validate_resident_id(number, today=TODAY).ok


def test_a_lowercase_x_is_normalised() -> None:
    number = make_id("110105", "19491231", "002")
    result = validate_resident_id(number.lower(), today=TODAY)
    assert result.ok and result.value == number


@pytest.mark.parametrize(
    "typed",
    [
        " 330106 19800101 0021 ",
        "330106-19800101-0021",
        "330106\u201419800101\u20130021",  # em and en dashes
        "３３０１０６１９８００１０１００２１",  # full-width digits
        "330106\u300019800101\u30000021",  # ideographic spaces
        "\t330106198001010021\n",
    ],
)
def test_spaces_dashes_and_full_width_digits_are_normalised(typed: str) -> None:
    number = make_id()
    assert number == "330106198001010021"
    result = validate_resident_id(typed, today=TODAY)
    assert result.ok and result.value == number


def test_full_width_x_is_normalised() -> None:
    number = make_id("110105", "19491231", "002")
    assert normalise_id_number(number[:17] + "ｘ") == number


@pytest.mark.parametrize(
    ("region", "name"),
    [("330103", "下城区, merged in 2021"), ("330104", "江干区, merged in 2021")],
)
def test_a_merged_district_stays_valid(region: str, name: str) -> None:
    assert validate_resident_id(make_id(region, "19850615", "123"), today=TODAY).ok, name
    assert validate_resident_id(make_id(region, "20210301", "123"), today=TODAY).ok, name


def test_a_region_code_is_valid_for_people_born_before_it_existed() -> None:
    # 西湖区 330106 dates from 1983 in the table, but numbers were first issued in 1984 to
    # people of every age: stdnum's own validate would wrongly refuse this one.
    number = make_id("330106", "19600101", "123")
    assert validate_resident_id(number, today=TODAY).ok


def test_born_today_is_accepted() -> None:
    assert validate_resident_id(make_id(birth=TODAY.strftime("%Y%m%d")), today=TODAY).ok


def test_residence_permits_of_hong_kong_macao_and_taiwan_residents() -> None:
    for region in ("810000", "820000", "830000"):
        assert validate_resident_id(make_id(region, "19900101"), today=TODAY).ok, region


# --- every rejection reason -------------------------------------------------------------


def test_empty() -> None:
    rejected(validate_resident_id("  ", today=TODAY), "empty")


def test_length() -> None:
    result = validate_resident_id(make_id()[:17], today=TODAY)
    rejected(result, "length")
    assert (
        result.reason == "身份证号码应为18位，现为17位 / ID number must have 18 characters, got 17"
    )
    rejected(validate_resident_id(make_id() + "1", today=TODAY), "length")


def test_a_fifteen_digit_first_generation_number_gets_its_own_message() -> None:
    result = validate_resident_id("330106800101001", today=TODAY)
    rejected(result, "length")
    assert "15" in result.reason


@pytest.mark.parametrize(
    "typed", ["33010619800101A021", "3301061980010100X1", "33010619800101002Y"]
)
def test_characters(typed: str) -> None:
    rejected(validate_resident_id(typed, today=TODAY), "characters")


def test_characters_names_the_position() -> None:
    result = validate_resident_id("33010619800101A021", today=TODAY)
    assert "15" in result.reason


def test_other_scripts_digits_are_not_digits() -> None:
    arabic_indic_one = "\u0661"
    rejected(
        validate_resident_id("33010619800101001" + arabic_indic_one, today=TODAY), "characters"
    )


def test_check_digit_names_the_expected_digit() -> None:
    number = make_id()
    wrong = "9" if number[-1] != "9" else "8"
    result = validate_resident_id(number[:17] + wrong, today=TODAY)
    rejected(result, "check_digit")
    assert f"应为 {number[-1]}" in result.reason and f"give {number[-1]}" in result.reason


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990001", "19000229", "20230229"])
def test_impossible_birth_date(birth: str) -> None:
    result = validate_resident_id(make_id(birth=birth), today=TODAY)
    rejected(result, "birth_date")
    assert birth in result.reason


def test_birth_date_before_1900() -> None:
    rejected(validate_resident_id(make_id(birth="18991231"), today=TODAY), "early_birth_date")


def test_future_birth_date_against_the_injected_today() -> None:
    number = make_id(birth="20261124")
    rejected(validate_resident_id(number, today=TODAY), "future_birth_date")
    assert validate_resident_id(number, today=dt.date(2026, 11, 24)).ok


def test_unknown_region() -> None:
    for region in ("990101", "339999", "000000"):
        result = validate_resident_id(make_id(region), today=TODAY)
        rejected(result, "region")
        assert region in result.reason


def test_a_region_retired_before_the_birth_year() -> None:
    # 崇文区 110103 was merged into 东城区 in 2010: nobody born after that got its code.
    result = validate_resident_id(make_id("110103", "20150101"), today=TODAY)
    rejected(result, "region")
    assert "2010" in result.reason
    assert validate_resident_id(make_id("110103", "19750101"), today=TODAY).ok


def test_the_order_of_checks_names_the_most_specific_fault() -> None:
    # A bad date with a wrong check digit: the date is reported, since it says which digits.
    number = make_id(birth="19990230")
    wrong = "1" if number[-1] != "1" else "2"
    rejected(validate_resident_id(number[:17] + wrong, today=TODAY), "birth_date")


# --- birth date and sex ---------------------------------------------------------------


def test_birth_date_and_sex() -> None:
    assert birth_date_of(make_id(birth="19800101")) == dt.date(1980, 1, 1)
    assert sex_of(make_id(order="001")) == "M"
    assert sex_of(make_id(order="002")) == "F"
    assert sex_of(make_id("110105", "19491231", "002").lower()) == "F"


def test_birth_date_of_a_malformed_number() -> None:
    with pytest.raises(ValueError):
        birth_date_of("330106")
    with pytest.raises(ValueError):
        birth_date_of(make_id(birth="19990230"))
    with pytest.raises(ValueError):
        sex_of("12345")


# --- property --------------------------------------------------------------------------

REGIONS = st.sampled_from(["110101", "330106", "330103", "440304", "510107", "650102"])
BIRTHS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2021, 12, 31))
ORDERS = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@settings(max_examples=300)
@given(REGIONS, BIRTHS, ORDERS, st.sampled_from("0123456789X"))
def test_any_well_formed_number_validates_and_any_other_check_digit_fails(
    region: str, birth: dt.date, order: str, other: str
) -> None:
    first17 = region + birth.strftime("%Y%m%d") + order
    number = first17 + id_check_digit(first17)
    result = validate_resident_id(number, today=TODAY)
    assert result.ok and result.value == number
    assert birth_date_of(number) == birth
    if other != number[-1]:
        rejected(validate_resident_id(first17 + other, today=TODAY), "check_digit")


# --- unified social credit code -------------------------------------------------------


def test_a_valid_uscc_normalised() -> None:
    code = make_uscc()
    assert validate_uscc(code) == Validated(True, code, "", "")
    typed = " " + code[:8].lower() + "-" + code[8:].lower() + " "
    assert validate_uscc(typed).value == code and validate_uscc(typed).ok


def test_a_uscc_from_a_non_commercial_registering_authority() -> None:
    # N2…: a village collective economic organisation; stdnum wants 8 leading digits.
    assert validate_uscc(make_uscc("N2330106MA2B3C4DL")).ok


def test_uscc_rejections() -> None:
    code = make_uscc()
    rejected(validate_uscc(""), "empty")
    rejected(validate_uscc(code[:17]), "length")
    rejected(validate_uscc(code[:16] + "I" + code[17]), "characters")
    rejected(validate_uscc("O" + code[1:]), "characters")
    wrong = "1" if code[-1] != "1" else "2"
    result = validate_uscc(code[:17] + wrong)
    rejected(result, "check_digit")
    assert f"应为 {code[-1]}" in result.reason


@settings(max_examples=200)
@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_any_uscc_with_its_check_character_validates(first17: str) -> None:
    assert validate_uscc(first17 + uscc_check_digit(first17)).ok


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("19912345678", "19912345678"),
        ("0573-82345678", "0573-82345678"),
        ("(0573)8234567", "0573-8234567"),
        ("（0573）82345678", "0573-82345678"),  # full-width parentheses
        ("(0573) 8234-5678", "0573-82345678"),
        ("010 12345678", "010-12345678"),
        ("021-61234567", "021-61234567"),
        ("057382345678", "0573-82345678"),
        ("+86 573 8234 5678", "0573-82345678"),
        ("0573-82345678转123", "0573-82345678转123"),
        ("0573-82345678 分机 123", "0573-82345678转123"),
        ("0573-82345678 ext. 123", "0573-82345678转123"),
    ],
)
def test_valid_phones(typed: str, value: str) -> None:
    assert validate_phone(typed) == Validated(True, value, "", "")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12812345678", "mobile_prefix"),
        ("1381234567", "length"),
        ("138123456789", "length"),
        ("82345678", "area_code"),
        ("0112-3456789", "area_code"),
        ("0573-823456", "length"),
        ("0573-823456789", "length"),
        ("0573-02345678", "local_number"),
        ("13812345678转123", "extension"),
        ("0573-82345678x123", "characters"),  # an unmarked extension is not guessed at
        ("138(1234)5678", "characters"),
        ("138.1234.5678", "characters"),
        ("+1 212 555 1234", "characters"),
        ("138+12345678", "characters"),
        ("tel 13812345678", "characters"),
    ],
)
def test_invalid_phones(typed: str, code: str) -> None:
    rejected(validate_phone(typed), code)


# --- masking -----------------------------------------------------------------------------


def test_mask_id_number_keeps_the_first_6_and_last_4() -> None:
    number = make_id()
    assert mask_id_number(number) == "330106********0021"
    assert mask_id_number(" 330106-19800101-0021 ") == "330106********0021"
    assert mask_for_display("resident_id", number) == "330106********0021"


def test_mask_hides_short_junk_entirely() -> None:
    assert mask_id_number("1234567") == "*******"


def test_uscc_is_public_and_shown_whole() -> None:
    code = make_uscc()
    assert mask_for_display("uscc", code.lower()) == code


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0573-82345678") == "0573-****5678"
    assert mask_phone("(0573)8234567") == "0573-****567"
    assert mask_phone("0573-82345678转123") == "0573-****5678转123"
    assert mask_phone("not a phone") == "*" * len("notaphone")
    assert mask_for_display("phone", "13812345678") == "138****5678"


def test_mask_for_display_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        mask_for_display("passport", "E12345678")  # type: ignore[arg-type]
