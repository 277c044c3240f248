"""Chinese resident identity card numbers (GB 11643-1999, 18 characters).

Pure functions, no database access:

* ``normalize_id_number`` cleans what people type or paste (spaces, full-width
  characters, a lower-case x);
* ``validate_id_number`` checks length, format, birth date and check character and
  returns an ``IdInfo``;
* ``check_id_matches`` checks that a birth date and gender given elsewhere (a form, a
  roster column) agree with the ID number;
* ``mask_id_number`` / ``mask_name`` produce the masked forms shown to people without
  the right to see the full data;
* ``id_blind_index`` gives a keyed hash for finding a person by ID number without
  storing the number in clear;
* ``make_test_id_number`` builds valid numbers for demo data and tests.

The area code is deliberately NOT checked against a list of divisions: codes of
divisions that have since been renamed or merged stay valid on old cards.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = [
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "MIN_BIRTH_DATE",
    "IdInfo",
    "check_id_matches",
    "compute_check_char",
    "id_blind_index",
    "make_test_id_number",
    "mask_id_number",
    "mask_name",
    "normalize_id_number",
    "validate_id_number",
]

ID_LENGTH = 18
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Index = (weighted sum mod 11).
ID_CHECK_CHARS = "10X98765432"
MIN_BIRTH_DATE = date(1900, 1, 1)

_FORMAT_RE = re.compile(r"^\d{17}[\dX]$")
_WHITESPACE_RE = re.compile(r"\s+")
# Zero-width characters that come along when numbers are copied from web pages or PDFs.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class IdInfo:
    """What an 18-character ID number says about its holder."""

    number: str  # normalized, 18 characters, upper-case X
    area_code: str  # first 6 digits
    birth_date: date
    gender: str  # "M" or "F" (17th digit odd = male)

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def normalize_id_number(raw) -> str:
    """Remove all whitespace (including the full-width space U+3000), turn full-width
    digits and letters into half-width ones and upper-case the letters (x -> X).

    ``None`` gives ''. Nothing else is changed: validation is left to
    ``validate_id_number``.
    """
    if raw is None:
        return ""
    text = str(raw)
    # Full-width ASCII block (U+FF01..U+FF5E) -> ASCII; U+3000 is whitespace anyway.
    text = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in text)
    text = _INVISIBLE_RE.sub("", text)
    text = _WHITESPACE_RE.sub("", text)
    return text.upper()


def compute_check_char(first17: str) -> str:
    """The check character (0-9 or X) for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError("compute_check_char() needs exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_id_number(value, *, today: date | None = None) -> IdInfo:
    """Validate an 18-character ID number and return what it encodes.

    The value is normalized first (see ``normalize_id_number``). Raises
    ``ValidationError`` with one of the codes ``length``, ``format``, ``date`` or
    ``checksum``. ``today`` (default: the current date) is the latest acceptable birth
    date.
    """
    number = normalize_id_number(value)
    today = today or timezone.localdate()

    if len(number) != ID_LENGTH:
        if len(number) == 15 and number.isdigit():
            raise ValidationError(
                _(
                    "Old 15-digit ID numbers are not accepted. Enter the 18-character "
                    "number printed on the current ID card."
                ),
                code="length",
            )
        raise ValidationError(
            _(
                "The ID number must have 18 characters; you entered %(count)d. "
                "Check for missing or extra digits."
            ),
            code="length",
            params={"count": len(number)},
        )

    if not _FORMAT_RE.match(number) or not number.isascii():
        raise ValidationError(
            _(
                "The ID number may contain only digits, with X allowed as the last "
                "character. Remove any other letters or symbols."
            ),
            code="format",
        )

    if number[0] not in "12345678":
        raise ValidationError(
            _(
                "The ID number must start with a 6-digit area code whose first digit is "
                "1 to 8; this one starts with %(digit)s. Check the first digits."
            ),
            code="format",
            params={"digit": number[0]},
        )

    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        birth = date(year, month, day)
    except ValueError:
        raise ValidationError(
            _(
                "The ID number contains the birth date %(date)s, which does not exist. "
                "Check the 7th to 14th digits."
            ),
            code="date",
            params={"date": shown},
        ) from None
    if birth > today:
        raise ValidationError(
            _(
                "The ID number contains the birth date %(date)s, which is in the "
                "future. Check the 7th to 14th digits."
            ),
            code="date",
            params={"date": shown},
        )
    if birth < MIN_BIRTH_DATE:
        raise ValidationError(
            _(
                "The ID number contains the birth date %(date)s, which is before "
                "1900-01-01. Check the 7th to 14th digits."
            ),
            code="date",
            params={"date": shown},
        )

    if compute_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _(
                "The ID number is not valid: its last character (the check character) "
                "does not match the other 17 digits. Check every digit, and the last "
                "character, against the ID card."
            ),
            code="checksum",
        )

    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdInfo(number=number, area_code=number[:6], birth_date=birth, gender=gender)


_GENDER_ALIASES = {
    "M": "M",
    "MALE": "M",
    "男": "M",
    "男性": "M",
    "F": "F",
    "FEMALE": "F",
    "女": "F",
    "女性": "F",
}


def _gender_code(value) -> str:
    code = _GENDER_ALIASES.get(str(value).strip().upper())
    if code is None:
        raise ValueError(f"unknown gender value {value!r}")
    return code


def check_id_matches(
    info: IdInfo,
    *,
    birth_date: date | None = None,
    gender: str | None = None,
    precision: str = "day",
) -> None:
    """Raise ``ValidationError`` if a birth date or gender given elsewhere disagrees
    with the ID number.

    ``gender`` is "M"/"F" (男/女 also accepted). ``precision`` says how much of
    ``birth_date`` is known: "day" (default) compares the whole date, "month" only year
    and month (for 出生年月 such as 1965.03), "year" only the year. Codes:
    ``birth_date_mismatch``, ``gender_mismatch``. A birth date mismatch is reported
    before a gender mismatch.
    """
    if precision not in ("day", "month", "year"):
        raise ValueError("precision must be 'day', 'month' or 'year'")

    if birth_date is not None:
        id_birth = info.birth_date
        same = birth_date.year == id_birth.year
        if precision in ("day", "month"):
            same = same and birth_date.month == id_birth.month
        if precision == "day":
            same = same and birth_date.day == id_birth.day
        if not same:
            if precision == "day":
                given = birth_date.isoformat()
                in_id = id_birth.isoformat()
            elif precision == "month":
                given = f"{birth_date.year:04d}-{birth_date.month:02d}"
                in_id = f"{id_birth.year:04d}-{id_birth.month:02d}"
            else:
                given = f"{birth_date.year:04d}"
                in_id = f"{id_birth.year:04d}"
            raise ValidationError(
                _(
                    "The birth date %(given)s does not match the ID number, which gives "
                    "%(in_id)s. Correct whichever of the two is wrong."
                ),
                code="birth_date_mismatch",
                params={"given": given, "in_id": in_id},
            )

    if gender not in (None, "") and _gender_code(gender) != info.gender:
        if info.gender == "M":
            message = _(
                "The gender is given as female, but the ID number is a man's (its "
                "17th digit is odd). Correct the gender or the ID number."
            )
        else:
            message = _(
                "The gender is given as male, but the ID number is a woman's (its "
                "17th digit is even). Correct the gender or the ID number."
            )
        raise ValidationError(message, code="gender_mismatch")


def mask_id_number(number) -> str:
    """``5223**********1234``: first 4 and last 4 characters, 10 asterisks between.

    Empty input gives ''. A value that is not 18 characters long keeps its first and
    last 4 characters if it is longer than 8, otherwise it is masked completely.
    """
    text = normalize_id_number(number)
    if not text:
        return ""
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_name(name) -> str:
    """张三 -> 张*, 张三明 -> 张*明, 欧阳小明 -> 欧**明; a single character is unchanged.

    Whitespace inside the name is removed first.
    """
    if not name:
        return ""
    text = _WHITESPACE_RE.sub("", str(name))
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def id_blind_index(number, key) -> str:
    """HMAC-SHA256 (hex) of the normalized ID number, for exact-match look-ups and
    uniqueness without storing the number in clear. ``key`` must be secret and stable."""
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise ValueError("id_blind_index() needs a non-empty key")
    normalized = normalize_id_number(number)
    return hmac.new(key, normalized.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def make_test_id_number(area: str, birth: date, seq: int) -> str:
    """A valid 18-character ID number: ``area`` (6 digits, first 1-8) + birth date +
    ``seq`` (0..999, three digits; odd = male, even = female) + check character."""
    area = str(area)
    if len(area) != 6 or not area.isdigit() or area[0] not in "12345678":
        raise ValueError("area must be 6 digits starting with 1-8")
    if not 0 <= int(seq) <= 999:
        raise ValueError("seq must be between 0 and 999")
    first17 = f"{area}{birth:%Y%m%d}{int(seq):03d}"
    return first17 + compute_check_char(first17)
