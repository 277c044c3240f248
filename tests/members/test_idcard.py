from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.idcard import (
    IdInfo,
    check_id_matches,
    compute_check_char,
    id_blind_index,
    make_test_id_number,
    mask_id_number,
    mask_name,
    normalize_id_number,
    validate_id_number,
)


@pytest.fixture(autouse=True)
def _english_messages():
    # The assertions read the English source strings, whatever LANGUAGE_CODE says.
    with translation.override("en"):
        yield


# From the sample roster (invented people, valid check characters).
MALE = "522328196503130995"  # 1965-03-13, 17th digit 9
FEMALE_X = "52232719481212848X"  # 1948-12-12, 17th digit 8
TODAY = date(2026, 10, 1)


def error_code(value, **kwargs):
    with pytest.raises(ValidationError) as info:
        validate_id_number(value, **kwargs)
    return info.value.code, info.value.messages[0]


# --- normalize ----------------------------------------------------------------------


def test_normalize_removes_spaces_including_full_width():
    assert normalize_id_number(" 5223 2819\u30006503130995 \n") == MALE


def test_normalize_full_width_digits_and_lower_x():
    assert normalize_id_number("５２２３２７１９４８１２１２８４８ｘ") == FEMALE_X
    assert normalize_id_number("52232719481212848x") == FEMALE_X


def test_normalize_none_and_empty():
    assert normalize_id_number(None) == ""
    assert normalize_id_number("  ") == ""


# --- validate -----------------------------------------------------------------------


def test_valid_male_number():
    info = validate_id_number(MALE)
    assert info == IdInfo(MALE, "522328", date(1965, 3, 13), "M")


def test_valid_female_number_with_x_check_char():
    info = validate_id_number(FEMALE_X)
    assert info.gender == "F"
    assert info.birth_date == date(1948, 12, 12)
    assert info.area_code == "522327"


def test_lower_case_x_and_spaces_are_accepted():
    info = validate_id_number(" 52232719481212848x ")
    assert info.number == FEMALE_X


def test_info_is_frozen():
    info = validate_id_number(MALE)
    with pytest.raises(AttributeError):
        info.gender = "F"


def test_unknown_area_code_is_not_rejected():
    # No division list check: any 6 digits starting 1-8 will do.
    number = make_test_id_number("899999", date(1980, 1, 1), 1)
    assert validate_id_number(number).area_code == "899999"


@pytest.mark.parametrize("value, count", [("52232819650313099", 17), (MALE + "1", 19), ("", 0)])
def test_length_error(value, count):
    code, message = error_code(value)
    assert code == "length"
    assert f"18 characters; you entered {count}" in message


def test_length_error_for_old_15_digit_number():
    code, message = error_code("522328650313099")
    assert code == "length"
    assert "15-digit" in message


@pytest.mark.parametrize(
    "value", ["5223281965O3130995", "52232819650313X995", "52232819650313099-"]
)
def test_format_error_for_other_characters(value):
    code, message = error_code(value)
    assert code == "format"
    assert "only digits" in message


@pytest.mark.parametrize("first", ["0", "9"])
def test_format_error_for_area_code_first_digit(first):
    code, message = error_code(first + MALE[1:])
    assert code == "format"
    assert f"starts with {first}" in message


def test_date_error_for_impossible_date():
    first17 = "522328" + "19650230" + "099"
    code, message = error_code(first17 + compute_check_char(first17))
    assert code == "date"
    assert "1965-02-30" in message
    assert "does not exist" in message


def test_date_error_for_future_date():
    number = make_test_id_number("522328", date(2026, 10, 2), 1)
    code, message = error_code(number, today=TODAY)
    assert code == "date"
    assert "2026-10-02" in message and "future" in message
    # The day itself is fine.
    assert validate_id_number(make_test_id_number("522328", TODAY, 1), today=TODAY)


def test_date_error_before_1900():
    number = make_test_id_number("522328", date(1899, 12, 31), 1)
    code, message = error_code(number)
    assert code == "date"
    assert "1899-12-31" in message
    assert validate_id_number(make_test_id_number("522328", date(1900, 1, 1), 1))


def test_checksum_error():
    bad = MALE[:-1] + ("6" if MALE[-1] != "6" else "7")
    code, message = error_code(bad)
    assert code == "checksum"
    assert "last character" in message


def test_checksum_error_for_transposed_digits():
    swapped = MALE[:14] + MALE[15] + MALE[14] + MALE[16:]
    assert swapped != MALE
    assert error_code(swapped)[0] == "checksum"


# --- check_id_matches ---------------------------------------------------------------


def test_matches_pass_silently():
    info = validate_id_number(MALE)
    check_id_matches(info, birth_date=date(1965, 3, 13), gender="M")
    check_id_matches(info, birth_date=date(1965, 3, 1), precision="month")
    check_id_matches(info, birth_date=date(1965, 12, 31), precision="year")
    check_id_matches(info, gender="男")
    check_id_matches(info)


def test_birth_date_mismatch():
    info = validate_id_number(MALE)
    with pytest.raises(ValidationError) as exc:
        check_id_matches(info, birth_date=date(1965, 3, 14))
    assert exc.value.code == "birth_date_mismatch"
    assert "1965-03-14" in exc.value.messages[0]
    assert "1965-03-13" in exc.value.messages[0]


def test_birth_month_mismatch():
    info = validate_id_number(MALE)
    with pytest.raises(ValidationError) as exc:
        check_id_matches(info, birth_date=date(1965, 4, 1), precision="month")
    assert exc.value.code == "birth_date_mismatch"
    assert "1965-04" in exc.value.messages[0]


@pytest.mark.parametrize("number, given", [(MALE, "F"), (FEMALE_X, "M"), (FEMALE_X, "男")])
def test_gender_mismatch(number, given):
    info = validate_id_number(number)
    with pytest.raises(ValidationError) as exc:
        check_id_matches(info, gender=given)
    assert exc.value.code == "gender_mismatch"


# --- masking, blind index, test numbers ---------------------------------------------


def test_mask_id_number():
    assert mask_id_number("522328196503131234") == "5223**********1234"
    assert mask_id_number(MALE) == "5223**********0995"
    assert mask_id_number(" 52232719481212848x") == "5223**********848X"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    assert len(mask_id_number(MALE)) == 18


@pytest.mark.parametrize(
    "name, masked",
    [
        ("张三", "张*"),
        ("张三明", "张*明"),
        ("欧阳小明", "欧**明"),
        ("张", "张"),
        ("", ""),
        ("王 芳", "王*"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_blind_index_is_hmac_of_normalized_number():
    import hashlib
    import hmac

    key = b"secret-key"
    expected = hmac.new(key, FEMALE_X.encode(), hashlib.sha256).hexdigest()
    assert id_blind_index(FEMALE_X, key) == expected
    assert id_blind_index(" 52232719481212848x", key) == expected
    assert id_blind_index(FEMALE_X, b"other-key") != expected
    assert len(expected) == 64


def test_blind_index_needs_a_key():
    with pytest.raises(ValueError):
        id_blind_index(MALE, b"")


def test_make_test_id_number():
    male = make_test_id_number("522328", date(1990, 5, 17), 1)
    female = make_test_id_number("522328", date(1990, 5, 17), 2)
    assert male[:17] == "52232819900517001"
    assert validate_id_number(male).gender == "M"
    assert validate_id_number(female).gender == "F"
    assert validate_id_number(female).birth_date == date(1990, 5, 17)
    # Reproduces the sample's real check characters, including X.
    assert make_test_id_number("522328", date(1965, 3, 13), 99) == MALE
    assert make_test_id_number("522327", date(1948, 12, 12), 848) == FEMALE_X


@pytest.mark.parametrize(
    "area, seq", [("52232", 1), ("922328", 1), ("522328", 1000), ("522328", -1)]
)
def test_make_test_id_number_rejects_bad_input(area, seq):
    with pytest.raises(ValueError):
        make_test_id_number(area, date(1990, 1, 1), seq)
