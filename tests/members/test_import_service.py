"""Roster import service: the sample roster, all-or-nothing, duplicates, mapping rules."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from associations.models import Association
from members.idcard import make_test_id_number
from members.importer import SOURCE_COMMAND, roster_import
from members.models import Membership, Person
from members.services import identity_values
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "writers-roster-2026.xlsx"
HEADERS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号码", "联系电话", "政治面貌"]
HEADERS += ["文化程度", "乡镇（街道）", "入会时间", "会员证号"]


def write_roster(path, rows, headers=HEADERS):
    """Write a plain roster (header in row 1) with one dict per member."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for i, row in enumerate(rows, start=1):
        sheet.append([row.get(h, i if h == "序号" else None) for h in headers])
    workbook.save(path)
    return path


def cn(seq):
    """测试 plus the number in Chinese digits (names may not contain digits)."""
    return "测试" + "".join("零一二三四五六七八九"[int(d)] for d in str(seq))


def person_row(seq, **extra):
    birth = date(1970 + seq % 30, 1 + seq % 12, 1 + seq % 28)
    row = {
        "姓名": cn(seq),
        "民族": "汉族",
        "身份证号码": make_test_id_number("522328", birth, 2 * seq + 1),
        "入会时间": "2010年",
    }
    row.update(extra)
    return row


def run(path, association, actor=None, **kwargs):
    with open(path, "rb") as fileobj:
        return roster_import(fileobj=fileobj, association=association, actor=actor, **kwargs)


def sample_copy(tmp_path, edits):
    """The sample roster with some cells changed: edits = {(row, column letter): value}."""
    workbook = openpyxl.load_workbook(SAMPLE)
    sheet = workbook.active
    for (row, column), value in edits.items():
        sheet[f"{column}{row}"] = value
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    return path


def sample_values():
    sheet = openpyxl.load_workbook(SAMPLE).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    return rows


def test_sample_imports_sixty_members_with_legacy_numbers(writers, staff_user):
    report = run(SAMPLE, writers, staff_user)
    assert report.ok, report.errors
    assert report.written
    assert (report.created_people, report.created_memberships, report.skipped_count) == (60, 60, 0)
    memberships = Membership.objects.filter(association=writers).select_related("person")
    assert memberships.count() == 60
    legacy = {m.legacy_number for m in memberships if m.legacy_number}
    expected = {r[11] for r in sample_values() if r[11]}
    assert len(expected) == 50 and legacy == expected
    assert all(m.number is None for m in memberships)
    assert not any(" " in m.person.name for m in memberships)
    names = {m.person.name for m in memberships}
    assert {"郭海", "宋建国", "张永福"} <= names
    # ID numbers with stray spaces and a lower-case x are normalised.
    guo = Person.objects.get(id_hash=identity_values("52232719850420782X")["id_hash"])
    assert guo.id_number == "52232719850420782X" and guo.name == "郭晓燕"
    assert guo.phone == "15068265123"  # dashes removed
    assert guo.ethnic_group.name == "回族"
    assert Person.objects.filter(id_hash=identity_values("522301197503141162")["id_hash"]).exists()
    sun = Membership.objects.get(association=writers, legacy_number="ALZX2004001")
    assert sun.joined_on == date(2004, 1, 1) and sun.person.name == "孙海"
    assert sun.person.political_status.name == "中共党员"
    assert sun.person.education.name.startswith("研究生")


def test_sample_import_writes_one_audit_event_and_per_record_entries(writers, staff_user):
    before = LogEntry.objects.count()
    report = run(SAMPLE, writers, staff_user)
    entry = LogEntry.objects.get(
        pk=report.log_entry_id,
        content_type=ContentType.objects.get_for_model(Association),
        object_id=writers.id,
    )
    assert entry.actor == staff_user and entry.action == LogEntry.Action.CREATE
    assert entry.additional_data["created_memberships"] == 60
    assert entry.additional_data["source"] == "网页导入"
    assert entry.additional_data["file_name"].endswith("writers-roster-2026.xlsx")
    assert "60" in entry.changes["会员名册导入"][1]
    # One summary event plus one entry per created person and membership.
    assert LogEntry.objects.count() == before + 1 + 60 + 60
    person = Person.objects.get(name="郭晓燕")
    history = LogEntry.objects.get_for_object(person).get()
    assert history.action == LogEntry.Action.CREATE and history.actor == staff_user
    assert history.additional_data["import_entry"] == entry.pk
    assert history.changes["id_masked"][1] == person.id_masked
    assert "52232719850420782X" not in str(history.changes)  # never the full ID number
    membership = person.memberships.get()
    m_entry = LogEntry.objects.get_for_object(membership).get()
    assert m_entry.changes["legacy_number"] == ["None", "ALZX1992055"]


def test_second_import_creates_nothing(writers, staff_user):
    run(SAMPLE, writers, staff_user)
    people = Person.objects.count()
    report = run(SAMPLE, writers, staff_user)
    assert report.ok and report.skipped_count == 60
    assert (report.created_people, report.created_memberships) == (0, 0)
    assert Person.objects.count() == people
    assert Membership.objects.filter(association=writers).count() == 60
    assert sorted(s.row for s in report.skipped) == list(range(4, 64))


def test_one_bad_row_imports_nothing(writers, staff_user, tmp_path):
    # Row 13 of the sheet is member 10: last digit of the ID number made wrong.
    bad = sample_copy(tmp_path, {(13, "F"): "522322199206246128"})
    with translation.override("en"):
        report = run(bad, writers, staff_user)
    assert not report.ok and not report.written
    assert report.error_rows == [13]
    assert [e.column for e in report.errors] == ["身份证号码"]
    assert Person.objects.count() == 0 and Membership.objects.count() == 0


def test_every_error_is_listed(writers, tmp_path):
    bad = sample_copy(
        tmp_path, {(5, "D"): "火星族", (8, "B"): None, (20, "H"): "外星党", (30, "C"): "未知"}
    )
    report = run(bad, writers)
    assert report.error_rows == [5, 8, 20, 30]
    columns = {(e.row, e.column) for e in report.errors}
    assert {(5, "民族"), (8, "姓名"), (20, "政治面貌"), (30, "性别")} <= columns
    assert Person.objects.count() == 0


def test_unknown_ethnic_group_is_an_error(writers, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(1), person_row(2, 民族="火星族")])
    with translation.override("en"):
        report = run(path, writers)
    assert report.error_rows == [3], report.errors
    (error,) = report.errors
    assert error.column == "民族"
    assert "火星" in error.message and "is not in the list" in error.message
    assert "汉族" in error.message and "其他" in error.message
    assert Person.objects.count() == 0


def test_missing_ethnic_group_is_an_error(writers, tmp_path):
    path = write_roster(tmp_path / "r.xlsx", [person_row(1, 民族=None)])
    report = run(path, writers)
    assert [(e.row, e.column) for e in report.errors] == [(2, "民族")]


def test_ethnic_group_without_zu_suffix_and_other(writers, tmp_path):
    rows = [person_row(1, 民族="布依"), person_row(2, 民族="其他"), person_row(3, 民族="苗族")]
    report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    assert report.ok, report.errors
    got = dict(Person.objects.values_list("name", "ethnic_group__name"))
    assert got == {"测试一": "布依族", "测试二": "其他", "测试三": "苗族"}


def test_existing_person_is_reused_not_overwritten(writers, photographers, staff_user):
    existing = PersonFactory(name="孙海峰", id_number="522328196503130995", phone="")
    MembershipFactory(person=existing, association=photographers)
    report = run(SAMPLE, writers, staff_user)
    assert report.ok
    assert (report.created_people, report.reused_people, report.created_memberships) == (
        59,
        1,
        60,
    )
    existing.refresh_from_db()
    assert existing.name == "孙海峰"  # identity kept
    assert existing.phone == "13830166131"  # empty contact field filled
    assert set(existing.memberships.values_list("association__code", flat=True)) == {"SY", "ZJ"}
    assert any(w.row == 4 and "孙海峰" in w.message for w in report.warnings)
    update = LogEntry.objects.get_for_object(existing).get(action=LogEntry.Action.UPDATE)
    assert update.changes["phone"] == ["", "13830166131"] and update.actor == staff_user


def test_existing_member_of_the_association_is_skipped(writers, tmp_path):
    person = PersonFactory(id_number=person_row(1)["身份证号码"])
    MembershipFactory(person=person, association=writers, number="AL-ZJ-2020-0001")
    report = run(write_roster(tmp_path / "r.xlsx", [person_row(1), person_row(2)]), writers)
    assert report.ok and report.skipped_count == 1 and report.skipped[0].row == 2
    assert report.created_memberships == 1
    assert Membership.objects.get(person=person).number == "AL-ZJ-2020-0001"


def test_dry_run_writes_nothing(writers, staff_user):
    before = LogEntry.objects.count()
    report = run(SAMPLE, writers, staff_user, dry_run=True)
    assert report.ok and not report.written and report.dry_run
    assert (report.created_people, report.created_memberships) == (60, 60)
    assert Person.objects.count() == 0 and Membership.objects.count() == 0
    assert LogEntry.objects.count() == before


def test_landline_is_a_warning_and_phone_left_empty(writers, tmp_path):
    rows = [person_row(1, 联系电话="0859-5212345"), person_row(2, 联系电话="139 0859 0001")]
    report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    assert report.ok
    phones = dict(Person.objects.values_list("name", "phone"))
    assert phones == {"测试一": "", "测试二": "13908590001"}
    assert any(
        w.row == 2 and w.column == "联系电话" and "08595212345" in w.message
        for w in report.warnings
    )


def test_reference_lists_matched_by_name(writers, tmp_path):
    rows = [
        person_row(1, 政治面貌="民盟", 文化程度="博士", **{"乡镇（街道）": "龙广"}),
        person_row(2, 政治面貌="九三学社", 文化程度="大专", **{"乡镇（街道）": "招堤街道"}),
        person_row(3, 政治面貌="党员", 文化程度="研究生", **{"乡镇（街道）": "德卧镇"}),
    ]
    report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    assert report.ok, report.errors
    got = {
        p.name: (p.political_status.name, p.education.name, p.town.name)
        for p in Person.objects.select_related("political_status", "education", "town")
    }
    assert got == {
        "测试一": ("民盟盟员", "研究生（博士）", "龙广镇"),
        "测试二": ("九三学社社员", "专科", "招堤街道"),
        "测试三": ("中共党员", "研究生（硕士）", "德卧镇"),
    }
    assert any(w.row == 4 and w.column == "文化程度" for w in report.warnings)


def test_unknown_town_is_an_error(writers, tmp_path):
    rows = [person_row(1, **{"乡镇（街道）": "火星镇"})]
    with translation.override("en"):
        report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    (error,) = report.errors
    assert (error.row, error.column) == (2, "乡镇（街道）")
    assert "火星镇" in error.message and "龙广镇" in error.message


def test_joined_dates(writers, tmp_path):
    rows = [
        person_row(1, 入会时间="1998年5月"),
        person_row(2, 入会时间=2001),
        person_row(3, 入会时间="2003-07-20"),
    ]
    report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    assert report.ok, report.errors
    got = dict(Membership.objects.values_list("person__name", "joined_on"))
    assert got == {
        "测试一": date(1998, 5, 1),
        "测试二": date(2001, 1, 1),
        "测试三": date(2003, 7, 20),
    }


def test_row_without_id_number_is_an_error(writers, tmp_path):
    rows = [person_row(1), {"姓名": "王 明", "性别": "男", "民族": "汉", "出生年月": "1970.05"}]
    with translation.override("en"):
        report = run(write_roster(tmp_path / "r.xlsx", rows), writers)
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号码")]
    assert "ID number is missing" in report.errors[0].message
    assert Person.objects.count() == 0


def test_missing_joining_date_is_a_warning(writers, tmp_path):
    report = run(write_roster(tmp_path / "r.xlsx", [person_row(1, 入会时间=None)]), writers)
    assert report.ok
    assert any(w.column == "入会时间" for w in report.warnings)
    assert Membership.objects.get().joined_on == timezone.localdate()


def test_unreadable_file_is_reported(writers, tmp_path):
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"this is not a workbook")
    report = run(path, writers)
    assert not report.ok and report.errors[0].row == 0
    assert Person.objects.count() == 0


def test_empty_roster_is_an_error(writers, tmp_path):
    report = run(write_roster(tmp_path / "r.xlsx", []), writers)
    assert not report.ok and not report.written


def test_wrong_association_is_a_warning(photographers, tmp_path):
    report = run(SAMPLE, photographers, dry_run=True)
    assert report.ok
    assert any(w.row == 0 and "安龙县作家协会" in w.message for w in report.warnings)


def test_command_source_recorded(writers):
    report = run(SAMPLE, writers, None, source=SOURCE_COMMAND)
    entry = LogEntry.objects.get(pk=report.log_entry_id)
    assert entry.actor is None and entry.additional_data["source"] == "命令行导入"
    assert "命令行导入" in entry.changes["会员名册导入"][1]
