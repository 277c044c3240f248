"""Member list export: contents, masked ID, neutralised formulas, order, scope, log row."""

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from members.exports import MEMBER_COLUMNS, neutralise, strokes_key
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

EXPORT = "/members/database/export/"


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_has_chinese_headers_masked_id_and_neutralised_cells(
    staff_user, client_for, writers
):
    person = PersonFactory(name='=HYPERLINK("http://x")', work_unit="+cmd|' /C calc'!A0", bio="x")
    MembershipFactory(person=person, association=writers, legacy_number="-12", position="@SUM(1)")
    html = PersonFactory(name="<b>粗</b>", work_unit="<script>alert(1)</script>")
    MembershipFactory(person=html, association=writers)
    rows = _rows(client_for(staff_user).get(EXPORT))
    header = rows[0]
    assert header == [title for title, _w in MEMBER_COLUMNS]
    assert "姓名" in header and "身份证号（脱敏）" in header
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    formula = by_name['\'=HYPERLINK("http://x")']
    assert formula["工作单位"] == "'+cmd|' /C calc'!A0"
    assert formula["原会员证号"] == "'-12"
    assert formula["协会职务"] == "'@SUM(1)"
    assert formula["身份证号（脱敏）"] == person.id_masked
    assert "*" in formula["身份证号（脱敏）"]
    assert formula["协会"] == "作家协会" or formula["协会"] == writers.name
    assert formula["性别"] == "男"
    assert by_name["<b>粗</b>"]["工作单位"] == "<script>alert(1)</script>"
    every_cell = [str(c) for r in rows for c in r if c is not None]
    for p in (person, html):
        assert p.id_number not in every_cell
        assert not any(p.id_number in c for c in every_cell)
    assert not any(isinstance(c, str) and c[:1] in "=+-@" for r in rows[1:] for c in r)


def test_export_is_logged_with_filters_and_row_count(staff_user, client_for, writers):
    for i in range(3):
        MembershipFactory(person=PersonFactory(name=f"导{i}"), association=writers)
    MembershipFactory(person=PersonFactory(name="别人"), association=writers)
    rows = _rows(client_for(staff_user).get(EXPORT, {"q": "导", "status": "active"}))
    assert len(rows) == 1 + 3
    entry = LogEntry.objects.get(additional_data__event="member_export")
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == staff_user
    assert entry.additional_data["rows"] == 3
    assert entry.additional_data["filters"] == {"q": "导", "status": "active"}
    assert entry.additional_data["order"] == "pinyin"


def test_only_staff_may_export_personal_data(
    sec_writers, sec_photo, member_user, client_for, writers
):
    """X-03: exports only by staff; secretaries and members are refused and nothing is logged."""
    MembershipFactory(person=PersonFactory(name="作协人"), association=writers)
    for user in (sec_writers, sec_photo, member_user):
        assert client_for(user).get(EXPORT).status_code == 403
    assert not LogEntry.objects.filter(additional_data__event="member_export").exists()


def test_staff_export_filtered_by_association(staff_user, client_for, writers, photographers):
    MembershipFactory(person=PersonFactory(name="作协人"), association=writers)
    MembershipFactory(person=PersonFactory(name="摄协人"), association=photographers)
    names = [
        r[1] for r in _rows(client_for(staff_user).get(EXPORT, {"association": writers.id}))[1:]
    ]
    assert "作协人" in names and "摄协人" not in names


def test_invalid_filter_redirects_with_message_and_logs_nothing(staff_user, client_for):
    response = client_for(staff_user).get(EXPORT, {"gender": "X"})
    assert response.status_code == 302 and response["Location"].startswith("/members/database/")
    assert not LogEntry.objects.filter(additional_data__event="member_export").exists()


def test_export_over_the_cap_is_refused(staff_user, client_for, writers, monkeypatch):
    from members import views_database

    monkeypatch.setattr(views_database, "EXPORT_MAX_ROWS", 2)
    for i in range(3):
        MembershipFactory(person=PersonFactory(name=f"多{i}"), association=writers)
    response = client_for(staff_user).get(EXPORT, follow=True)
    assert response.redirect_chain
    assert "3" in response.content.decode()
    assert not LogEntry.objects.filter(additional_data__event="member_export").exists()


def test_export_orders_by_pinyin_and_by_surname_strokes(staff_user, client_for, writers):
    # strokes: 丁 2, 王 4, 李 7, 黄 11; pinyin: 丁 ding, 黄 huang, 李 li, 王 wang
    for name in ["李四", "黄五", "王二", "丁一"]:
        MembershipFactory(person=PersonFactory(name=name), association=writers)
    c = client_for(staff_user)
    pinyin = [r[1] for r in _rows(c.get(EXPORT, {"order": "pinyin"}))[1:]]
    strokes = [r[1] for r in _rows(c.get(EXPORT, {"order": "strokes"}))[1:]]
    assert pinyin == ["丁一", "黄五", "李四", "王二"]
    assert strokes == ["丁一", "王二", "李四", "黄五"]
    assert [r[0] for r in _rows(c.get(EXPORT, {"order": "strokes"}))[1:]] == [1, 2, 3, 4]


def test_strokes_key_compares_character_by_character():
    names = ["王芳", "王一", "欧阳明", "丁伟", "艾青"]
    # 丁 2, 王 4, 艾 5, 欧 8
    assert sorted(names, key=strokes_key) == ["丁伟", "王一", "王芳", "艾青", "欧阳明"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\tcmd", "'\tcmd"),
        ("安龙", "安龙"),
        (5, 5),
        (date(2020, 1, 1), date(2020, 1, 1)),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_dates_are_date_cells(staff_user, client_for, writers):
    MembershipFactory(
        person=PersonFactory(name="日期"), association=writers, joined_on=date(2019, 3, 8)
    )
    rows = _rows(client_for(staff_user).get(EXPORT))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["入会日期"].date() == date(2019, 3, 8)
