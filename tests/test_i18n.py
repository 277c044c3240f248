"""The zh_Hans catalog must be complete: no untranslated or fuzzy entry."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_zh_hans_catalog_is_complete():
    sys.path.insert(0, str(ROOT / "scripts"))
    import i18n

    catalogs = list(ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po"))
    assert catalogs, "locale/zh_Hans/LC_MESSAGES/django.po is missing"
    assert i18n.problems() == []
