"""Name search terms: single characters and character pairs of a Chinese name.

Most searches are one or two characters (a surname, a given name); pg_trgm needs three.
A GIN index over this array answers ``name_terms @> ARRAY[...]`` from the index.
"""

import re

from pypinyin import lazy_pinyin

_SPACES = re.compile(r"\s+")


def clean_name(name: str) -> str:
    return _SPACES.sub("", name or "")


def name_terms(name: str) -> list[str]:
    name = clean_name(name).lower()
    terms = set(name)
    terms.update(name[i : i + 2] for i in range(len(name) - 1))
    return sorted(terms)


def query_terms(query: str) -> list[str]:
    """Terms that a name containing ``query`` must have: its pairs, or the character."""
    query = clean_name(query).lower()
    if len(query) <= 1:
        return [query] if query else []
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


def name_pinyin(name: str) -> str:
    return " ".join(lazy_pinyin(clean_name(name)))


def name_search_q(text: str, *, prefix: str = ""):
    """A Q for names containing ``text``: the GIN-indexed character/pair terms, refined with
    ``icontains`` for 3+ characters. ``prefix`` reaches the Person, e.g. ``"person__"``."""
    from django.db.models import Q

    text = clean_name(text)
    if not text:
        return Q()
    q = Q(**{f"{prefix}name_terms__contains": query_terms(text)})
    if len(text) > 2:
        q &= Q(**{f"{prefix}name__icontains": text})
    return q
