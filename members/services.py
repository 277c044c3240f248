"""Writes of member data: keyword-only, atomic, with an explicit actor and audit entry."""

from __future__ import annotations

from django.conf import settings

from . import idcard
from .search import clean_name, name_pinyin, name_terms


def identity_values(id_number: str) -> dict:
    """Encrypted number, blind index and masked form of a (valid) ID number."""
    number = idcard.normalize_id_number(id_number) if id_number else ""
    if not number:
        return {"id_number": "", "id_hash": None, "id_masked": ""}
    return {
        "id_number": number,
        "id_hash": idcard.id_blind_index(number, settings.ID_HASH_KEY),
        "id_masked": idcard.mask_id_number(number),
    }


def name_values(name: str) -> dict:
    """Cleaned name with its pinyin sort key and search terms."""
    name = clean_name(name)
    return {"name": name, "name_pinyin": name_pinyin(name), "name_terms": name_terms(name)}
