"""SPEED TEST (issue 3, MEM-08): 10,000 roster rows import in under 60 seconds."""

import time
from datetime import date, timedelta

import openpyxl
import pytest

from members.idcard import make_test_id_number
from members.importer import roster_import
from members.models import Membership, Person

pytestmark = pytest.mark.django_db

ROWS = 10_000
LIMIT_SECONDS = 60
HEADERS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "联系电话", "工作单位"]
HEADERS += ["政治面貌", "文化程度", "乡镇（街道）", "入会时间", "会员证号"]
SURNAMES = "王张李刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦岑龙"
GIVEN = "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅云飞鹏雪峰"


def write_big_roster(path, rows=ROWS):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("会员名册")
    sheet.append(["安龙县作家协会会员名册"])
    sheet.append(["填报单位：安龙县作家协会"])
    sheet.append(HEADERS)
    start = date(1950, 1, 1)
    for i in range(rows):
        birth = start + timedelta(days=i // 5)  # five people per birth date
        seq = (i % 5) * 2 + (i % 2)
        number = make_test_id_number("522328", birth, 100 + seq)
        if i % 7 == 0:
            number = number[:-1] + number[-1].lower()
        sheet.append(
            [
                i + 1,
                SURNAMES[i % len(SURNAMES)] + " " + GIVEN[(i // 3) % len(GIVEN)],
                "男" if int(number[16]) % 2 else "女",
                ("汉族", "布依族", "苗", "仡佬族")[i % 4],
                f"{birth.year}.{birth.month:02d}",
                number,
                f"139-{i // 10000:04d}-{i % 10000:04d}",
                "安龙县文化馆",
                ("中共党员", "群众", "民盟", "共青团员")[i % 4],
                ("本科", "大专", "高中", "研究生")[i % 4],
                ("招堤街道", "龙广镇", "德卧")[i % 3],
                f"{1990 + i % 30}年",
                f"ALZX{i:06d}" if i % 2 else None,
            ]
        )
    sheet.append([None, "合计", f"{rows}人"])
    workbook.save(path)
    return path


def test_speed_ten_thousand_rows_import_under_60_seconds(writers, staff_user, tmp_path):
    path = write_big_roster(tmp_path / "big.xlsx")
    started = time.monotonic()
    with open(path, "rb") as fileobj:
        report = roster_import(fileobj=fileobj, association=writers, actor=staff_user)
    elapsed = time.monotonic() - started
    print(f"\n[speed] {ROWS} rows imported in {elapsed:.1f}s")
    assert report.ok, report.errors[:5]
    assert report.created_people == ROWS and report.created_memberships == ROWS
    assert Person.objects.count() == ROWS
    assert Membership.objects.filter(association=writers).exclude(legacy_number="").count() == (
        ROWS // 2
    )
    assert elapsed < LIMIT_SECONDS, f"{ROWS} rows took {elapsed:.1f}s (limit {LIMIT_SECONDS}s)"
