"""Excel files of the member database: the member list (masked ID numbers only) and the
statistics. Headers are Chinese by nature (official rosters); every text cell that a
spreadsheet could read as a formula is neutralised."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pypinyin import lazy_pinyin

from .models import Membership

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UNKNOWN_STROKES = 99

MEMBER_COLUMNS = [
    ("序号", 6),
    ("姓名", 10),
    ("性别", 6),
    ("民族", 8),
    ("出生日期", 12),
    ("身份证号（脱敏）", 20),
    ("手机号", 13),
    ("协会", 16),
    ("会员证号", 18),
    ("原会员证号", 14),
    ("会籍状态", 10),
    ("入会日期", 12),
    ("协会职务", 12),
    ("乡镇（街道）", 10),
    ("工作单位", 22),
    ("体制内外", 8),
    ("新文艺群体", 10),
]


def neutralise(value):
    """Text that starts like a formula gets a leading apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@cache
def _stroke_table() -> dict[str, int]:
    path = Path(__file__).resolve().parent / "data" / "stroke_counts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {char: int(count) for count, chars in data.items() for char in chars}


def strokes_key(name: str) -> tuple:
    """Sort key for 姓氏笔画 order: character by character, fewer strokes first; characters
    with the same stroke count by pinyin (the first-stroke rule 横竖撇点折 is not applied)."""
    table = _stroke_table()
    key = []
    for char in name or "":
        key.append((table.get(char, UNKNOWN_STROKES), "".join(lazy_pinyin(char)), char))
    return tuple(key)


def _header_row(sheet, titles: Iterable[str]):
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    return cells


def member_rows(memberships: Iterable[Membership]):
    """One list of cell values per membership, in the order of MEMBER_COLUMNS."""
    for index, m in enumerate(memberships, start=1):
        p = m.person
        yield [
            index,
            p.name,
            GENDER_ZH.get(p.gender, ""),
            p.ethnic_group.name if p.ethnic_group_id else "",
            p.birth_date,
            p.id_masked,
            p.phone,
            m.association.name,
            m.number or "",
            m.legacy_number,
            STATUS_ZH.get(m.status, m.status),
            m.joined_on,
            m.position,
            p.town.name if p.town_id else "",
            p.work_unit,
            "体制内" if p.in_system else "体制外",
            "是" if p.new_art_group else "否",
        ]


GENDER_ZH = {"M": "男", "F": "女"}
STATUS_ZH = {
    Membership.Status.ACTIVE: "正常",
    Membership.Status.SUSPENDED: "暂停会籍",
    Membership.Status.WITHDRAWN: "已退会",
    Membership.Status.EXPELLED: "已除名",
    Membership.Status.LAPSED: "视为自动退会",
}


def _write_sheet(sheet, header, widths, rows):
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.append(_header_row(sheet, header))
    for row in rows:
        cells = []
        for value in row:
            value = neutralise(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)


def member_workbook(memberships: Iterable[Membership], *, title: str = "会员名册") -> bytes:
    """The member list as .xlsx bytes (write-only workbook: rows are streamed, not kept)."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet(title)
    sheet.freeze_panes = "A2"
    _write_sheet(
        sheet,
        [c for c, _w in MEMBER_COLUMNS],
        [w for _c, w in MEMBER_COLUMNS],
        member_rows(memberships),
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def stats_workbook(tables: list[tuple[str, list[tuple[str, int]]]]) -> bytes:
    """Statistics: one sheet per dimension (title, rows of label and count)."""
    wb = Workbook(write_only=True)
    for title, rows in tables:
        sheet = wb.create_sheet(title[:31])
        total = sum(n for _label, n in rows)
        _write_sheet(
            sheet,
            [title, "人数", "占比"],
            [22, 10, 10],
            [[label, n, f"{(n * 100 / total):.1f}%" if total else "0.0%"] for label, n in rows]
            + [["合计", total, "100.0%" if total else "0.0%"]],
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
