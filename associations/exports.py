"""Excel export of a congress's composition report (ORG-04). Headers are Chinese by nature
(an official report); text cells that could read as formulas are neutralised."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from members.exports import XLSX, neutralise

from . import selectors

__all__ = ["XLSX", "congress_workbook"]


def congress_workbook(*, congress) -> bytes:
    composition = selectors.congress_composition(congress=congress)
    book = Workbook()
    sheet = book.active
    sheet.title = "代表构成"
    bold = Font(bold=True)
    sheet.append([neutralise(str(congress)), f"代表总数：{composition['total']}"])
    sheet.append(["类别", "人数", "占比（%）", "目标（%）", "是否达标"])
    for cell in sheet[2]:
        cell.font = bold
    for row in composition["rows"]:
        sheet.append(
            [
                str(row["label"]),
                row["count"],
                row["share"],
                row["target"],
                "达标" if row["met"] else "未达标",
            ]
        )
    delegates = book.create_sheet("代表名单")
    delegates.append(
        ["序号", "姓名", "性别", "民族", "出生日期", "代表团", "基层一线", "新文艺群体"]
    )
    for cell in delegates[1]:
        cell.font = bold
    for i, d in enumerate(selectors.congress_delegates(congress=congress), start=1):
        p = d.person
        delegates.append(
            [
                i,
                neutralise(p.name),
                p.get_gender_display(),
                p.ethnic_group.name,
                p.birth_date,
                d.association.name if d.association else "",
                "是" if d.grassroots else "否",
                "是" if p.new_art_group else "否",
            ]
        )
    for column, width in zip("ABCDEFGH", (8, 12, 8, 10, 12, 20, 10, 12), strict=True):
        delegates.column_dimensions[column].width = width
    sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
