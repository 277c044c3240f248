"""Translations: `compile` the .po catalogs to .mo (pure Python, Babel), `check` that the
zh_Hans catalog has no untranslated or fuzzy entry, `extract` (needs GNU gettext) to
refresh the catalogs from the source with Django's makemessages.

    python scripts/i18n.py compile | check | extract
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))


def compile_all() -> int:
    for po_path in CATALOGS:
        with po_path.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
    print(f"[i18n] compiled {len(CATALOGS)} catalog(s)")
    return 0


def problems(locale: str = "zh_Hans") -> list[str]:
    found = []
    for po_path in ROOT.glob(f"locale/{locale}/LC_MESSAGES/*.po"):
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id:
                continue
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if message.fuzzy:
                found.append(f"fuzzy: {msgid!r} ({where})")
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings):
                found.append(f"untranslated: {msgid!r} ({where})")
    return found


def check() -> int:
    found = problems()
    for line in found:
        print(line)
    print(f"[i18n] {len(found)} problem(s) in the zh_Hans catalog")
    return 1 if found else 0


def extract() -> int:
    args = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "zh_Hans",
        "-l",
        "en",
        "--no-obsolete",
        "--ignore=.venv/*",
        "--ignore=.local/*",
        "--ignore=tests/*",
        "--ignore=scripts/*",
        "--ignore=staticfiles/*",
    ]
    return subprocess.run(args, cwd=ROOT).returncode


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    sys.exit({"compile": compile_all, "check": check, "extract": extract}[command]())
