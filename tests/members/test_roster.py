import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from members.idcard import make_test_id_number, validate_id_number
from members.roster import (
    TEMPLATE_HEADERS,
    RosterRow,
    normalize_phone,
    read_roster,
    write_template,
)


@pytest.fixture(autouse=True)
def _english_messages():
    # The assertions read the English source strings, whatever LANGUAGE_CODE says.
    with translation.override("en"):
        yield


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "writers-roster-2026.xlsx"
TODAY = date(2026, 10, 1)

HEADERS = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号码",
    "联系电话",
    "入会时间",
    "会员证号",
]


def make_roster(
    path,
    rows,
    headers=HEADERS,
    above=("安龙县美术家协会会员名册", "填报单位：安龙县美术家协会"),
):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    for line in above:
        ws.append([line])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def person(seq, name, gender, birth_text, birth, id_seq, **extra):
    number = make_test_id_number("522328", birth, id_seq)
    return [
        seq,
        name,
        gender,
        "汉族",
        birth_text,
        number,
        "13812345678",
        "2010年",
        extra.get("no", ""),
    ]


# --- the sample file ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_result():
    assert SAMPLE.exists(), "sample roster missing"
    return read_roster(SAMPLE, today=TODAY)


def test_sample_reads_60_rows_without_errors(sample_result):
    assert sample_result.errors == []
    assert len(sample_result.rows) == 60
    assert sample_result.ok
    # Data rows are Excel rows 4..63 (title, 填报单位 and header above, 合计 at 65).
    assert [r.excel_row for r in sample_result.rows] == list(range(4, 64))


def test_sample_layout(sample_result):
    assert sample_result.header_row == 3
    assert sample_result.sheet_name == "会员名册"
    assert sample_result.title == "安龙县作家协会会员名册"
    assert sample_result.unit == "安龙县作家协会"
    assert sample_result.columns["work_unit"] == "工作单位及职务"
    assert sample_result.columns["id_number"] == "身份证号码"


def test_sample_legacy_numbers_kept(sample_result):
    by_row = {r.excel_row: r for r in sample_result.rows}
    assert by_row[4].legacy_number == "ALZX2004001"
    assert by_row[62].legacy_number == "ALZX1997059"
    assert by_row[9].legacy_number == ""  # 郭芳 has none
    with_number = [r for r in sample_result.rows if r.legacy_number]
    assert len(with_number) == 50
    assert all(r.legacy_number.startswith("ALZX") for r in with_number)
    # Legacy number ends in the 序号: a cheap check that rows were not shifted.
    assert all(int(r.legacy_number[-3:]) == r.excel_row - 3 for r in with_number)


def test_sample_values_are_normalized(sample_result):
    by_row = {r.excel_row: r for r in sample_result.rows}
    first = by_row[4]
    assert first.name == "孙海"
    assert first.gender == "M"
    assert first.ethnic_group == "布依"
    assert first.birth_date == date(1965, 3, 13)  # the day comes from the ID number
    assert first.id_number == "522328196503130995"
    assert first.phone == "13830166131"
    assert first.work_unit == "安龙县文化馆"
    assert first.political_status == "中共党员"
    assert first.education == "研究生"
    assert first.joined_year == 2004
    assert first.joined_on is None
    # Spaces inside names removed.
    assert by_row[10].name == "郭海"
    assert by_row[17].name == "宋建国"
    # 1968年2月 style birth month, 中专 mapped to the GB/T 4658 level.
    assert by_row[6].birth_date == date(1968, 2, 18)
    assert by_row[6].education == "中专/职高/技校"
    assert by_row[10].education == "专科"  # 大专
    # Bare number 入会时间.
    assert by_row[7].joined_year == 2021
    # Phone with dashes.
    assert by_row[8].phone == "13497465075"
    # ID with stray spaces / lower-case x.
    assert by_row[16].id_number == "522301197503141162"
    assert by_row[58].id_number == "52232719850420782X"
    assert by_row[58].gender == "F"


def test_sample_every_row_is_consistent(sample_result):
    for row in sample_result.rows:
        assert isinstance(row, RosterRow)
        info = validate_id_number(row.id_number)
        assert row.birth_date == info.birth_date
        assert row.gender == info.gender
        assert " " not in row.name
        assert row.phone.isdigit() and len(row.phone) == 11
        assert 1900 < row.joined_year <= 2026
        assert not row.ethnic_group.endswith("族")


def test_sample_ids_are_unique(sample_result):
    ids = [r.id_number for r in sample_result.rows]
    assert len(set(ids)) == 60


def test_sample_from_file_object():
    with SAMPLE.open("rb") as fh:
        data = fh.read()
    result = read_roster(io.BytesIO(data), today=TODAY)
    assert len(result.rows) == 60 and result.errors == []


def test_sample_oddities_are_warnings_not_errors(sample_result):
    # Two people joined before the year they were born: worth a look, not a block.
    assert {(w.row, w.column) for w in sample_result.warnings} == {
        (47, "入会时间"),
        (62, "入会时间"),
    }


# --- a damaged copy of the sample ---------------------------------------------------


@pytest.fixture
def damaged_sample(tmp_path):
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb.active
    good = ws["F10"].value  # 522328195003058435
    ws["F10"] = good[:-1] + ("6" if good[-1] != "6" else "7")  # bad check character
    ws["J20"] = "128-1234-5678"  # no mobile starts with 12
    # Row 30 repeats the person in row 5 (same ID, birth month and gender).
    ws["F30"] = ws["F5"].value
    ws["E30"] = ws["E5"].value
    ws["C30"] = ws["C5"].value
    path = tmp_path / "damaged.xlsx"
    wb.save(path)
    return path


def test_damaged_sample_errors(damaged_sample):
    result = read_roster(damaged_sample, today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [
        (10, "身份证号码"),
        (20, "联系电话"),
        (30, "身份证号码"),
    ]
    checksum, phone, duplicate = (e.message for e in result.errors)
    assert "last character" in checksum
    assert "128-1234-5678" in phone and "13 to 19" in phone
    assert "row 5" in duplicate
    # Rows with errors are left out; the first of the duplicated pair stays.
    assert len(result.rows) == 57
    rows = {r.excel_row for r in result.rows}
    assert {10, 20, 30}.isdisjoint(rows)
    assert 5 in rows
    assert not result.ok
    assert result.error_rows == [10, 20, 30]


# --- mismatches and value forms -----------------------------------------------------


def test_gender_and_birth_mismatch(tmp_path):
    rows = [
        person(1, "张三", "女", "1980.05", date(1980, 5, 12), 11),  # ID says male
        person(2, "李四", "男", "1980.06", date(1980, 5, 12), 13),  # ID says May
        person(3, "王五", "男", "1980年5月", date(1980, 5, 12), 15),
    ]
    result = read_roster(make_roster(tmp_path / "r.xlsx", rows), today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [(4, "性别"), (5, "出生年月")]
    assert "man's" in result.errors[0].message
    assert "1980-06" in result.errors[1].message and "1980-05" in result.errors[1].message
    assert [r.name for r in result.rows] == ["王五"]
    assert result.unit == "安龙县美术家协会"


def test_cell_types_for_dates(tmp_path):
    born = date(1972, 10, 8)
    number = make_test_id_number("522328", born, 21)
    headers = ["姓名", "出生日期", "公民身份号码", "入会年份"]
    rows = [
        ["甲", datetime(1972, 10, 8), number, datetime(1999, 5, 20)],
        ["乙", 197210, make_test_id_number("522328", born, 23), "1999年5月"],
        [
            "丙",
            1972.1,
            make_test_id_number("522328", born, 25),
            1999.0,
        ],  # 1972.10 as a number
        ["丁", "1972-10", make_test_id_number("522328", born, 27), "1999"],
    ]
    result = read_roster(make_roster(tmp_path / "d.xlsx", rows, headers, above=()), today=TODAY)
    assert result.errors == []
    assert result.header_row == 1
    assert [r.birth_date for r in result.rows] == [born] * 4
    first, second, third, fourth = result.rows
    assert first.joined_on == date(1999, 5, 20) and first.joined_year == 1999
    assert second.joined_on is None and second.joined_month == 5
    assert third.joined_year == 1999 and fourth.joined_year == 1999
    assert all(r.gender == "M" for r in result.rows)


def test_rows_without_id_use_the_given_columns(tmp_path):
    rows = [
        [1, "赵 六", "女", "苗族", "1990.07", "", "0859-5212345", "2020年", "MX001"],
        [2, "钱七", "", "汉族", "1990.07", "", "", "", ""],  # no gender, no ID
        [3, "孙八", "男", "汉族", "1990", "", "", "", ""],  # year only, no ID
        [4, "周九", "男", "汉族", "", "", "", "", ""],  # no birth, no ID
    ]
    result = read_roster(make_roster(tmp_path / "n.xlsx", rows), today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [
        (5, "性别"),
        (6, "出生年月"),
        (7, "出生年月"),
    ]
    (only,) = result.rows
    assert only.name == "赵六"
    assert only.gender == "F"
    assert only.ethnic_group == "苗"
    assert only.birth_date == date(1990, 7, 1)  # a year-month gives day 1
    assert only.id_number == ""
    assert only.phone == "08595212345"
    assert only.legacy_number == "MX001"


def test_each_bad_value_names_its_column(tmp_path):
    ok = make_test_id_number("522328", date(1985, 1, 2), 31)
    rows = [
        [1, "", "男", "汉族", "1985.01", ok, "", "", ""],  # no name
        [
            2,
            "甲",
            "未知",
            "汉族",
            "1985.01",
            make_test_id_number("522328", date(1985, 1, 2), 33),
            "",
            "",
            "",
        ],
        [
            3,
            "乙",
            "男",
            "汉族",
            "85年1月",
            make_test_id_number("522328", date(1985, 1, 2), 35),
            "",
            "",
            "",
        ],
        [
            4,
            "丙",
            "男",
            "汉族",
            "1985.01",
            "52232819850102037",
            "",
            "",
            "",
        ],  # 17 characters
        [
            5,
            "丁",
            "男",
            "汉族",
            "1985.01",
            make_test_id_number("522328", date(1985, 1, 2), 37),
            "1381234567",
            "",
            "",
        ],
        [
            6,
            "戊",
            "男",
            "汉族",
            "1985.01",
            make_test_id_number("522328", date(1985, 1, 2), 39),
            "",
            "2099年",
            "",
        ],
        [
            7,
            "己",
            "男",
            "汉族",
            "1985.01",
            5.22328198501020e17,
            "",
            "",
            "",
        ],  # ID typed as a number
    ]
    result = read_roster(make_roster(tmp_path / "b.xlsx", rows), today=TODAY)
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "姓名"),
        (5, "性别"),
        (6, "出生年月"),
        (7, "身份证号码"),
        (8, "联系电话"),
        (9, "入会时间"),
        (10, "身份证号码"),
    ]
    messages = [e.message for e in result.errors]
    assert "name is empty" in messages[0]
    assert "男 or 女" in messages[1]
    assert "85年1月" in messages[2]
    assert "you entered 17" in messages[3]
    assert "future" in messages[5]
    assert "Text" in messages[6]
    assert result.rows == []


def test_blank_total_and_footer_lines_are_skipped(tmp_path):
    rows = [
        person(1, "张三", "男", "1980.05", date(1980, 5, 12), 11),
        [None] * 9,
        [2, None, None, None, None, None, None, None, None],  # pre-numbered empty line
        person(3, "李四", "男", "1980.05", date(1980, 5, 12), 13),
        ["小计", "", "2人"],
        ["", "总 计", "2人"],
        ["填表人：王芳", "", "", "", "审核人：李明"],
    ]
    result = read_roster(make_roster(tmp_path / "t.xlsx", rows), today=TODAY)
    assert result.errors == []
    assert [r.excel_row for r in result.rows] == [4, 7]


def test_header_synonyms(tmp_path):
    headers = [
        "序号",
        "姓 名",
        "性别",
        "民族",
        "出生年月",
        "身份证号",
        "手机号码",
        "单位",
        "职务",
        "职称",
        "政治面貌",
        "学历",
        "籍贯",
        "笔名",
        "所在乡镇",
        "入会时间",
        "原会员证号",
        "代表作",
        "备注",
        "爱好",
    ]
    number = make_test_id_number("522328", date(1970, 1, 5), 44)
    row = [
        1,
        "欧阳 小明",
        "女",
        "土家族",
        "1970.01",
        number,
        "139 1234 5678 / 0859-5211111",
        "安龙县文化馆",
        "副馆长",
        "副研究馆员",
        "党员",
        "大学本科",
        "贵州兴义",
        "晓明",
        "龙广镇",
        "2001年",
        77,
        "《荷》",
        "无",
        "书法",
    ]
    result = read_roster(make_roster(tmp_path / "s.xlsx", [row], headers), today=TODAY)
    assert result.errors == []
    (r,) = result.rows
    assert r.name == "欧阳小明"
    assert r.ethnic_group == "土家"
    assert r.phone == "13912345678"
    assert r.work_unit == "安龙县文化馆"
    assert r.title == "副馆长；副研究馆员"
    assert r.political_status == "中共党员"
    assert r.education == "本科"
    assert r.native_place == "贵州兴义"
    assert r.pen_name == "晓明"
    assert r.town == "龙广镇"
    assert r.legacy_number == "77"
    assert r.works == "《荷》"
    assert r.remarks == "无"
    # Unknown column and second phone number are reported, but do not stop the row.
    assert {(w.row, w.column) for w in result.warnings} == {
        (3, "爱好"),
        (4, "手机号码"),
    }


def test_no_header_row(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["名字不在这里"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    result = read_roster(path)
    assert result.rows == []
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert "姓名" in result.errors[0].message


def test_not_an_excel_file(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_text("序号,姓名\n1,张三\n", encoding="utf-8")
    result = read_roster(path)
    assert result.rows == [] and result.errors[0].row == 0
    assert ".xlsx" in result.errors[0].message
    assert read_roster(io.BytesIO(b"not a zip")).errors[0].row == 0


@pytest.mark.parametrize(
    "raw, digits",
    [
        ("138-1234-5678", "13812345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0859-1234567", "08591234567"),
        ("(0859)12345678", "085912345678"),
        ("5212345", "08595212345"),
    ],
)
def test_normalize_phone(raw, digits):
    assert normalize_phone(raw) == digits


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "电话", "123"])
def test_normalize_phone_rejects(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


# --- template -----------------------------------------------------------------------


def test_template_round_trip(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    result = read_roster(path, today=TODAY)
    assert result.errors == []
    assert result.warnings == []
    assert len(result.rows) == 1
    example = result.rows[0]
    assert example.excel_row == 2
    assert example.name and example.gender in ("M", "F")
    assert validate_id_number(example.id_number).birth_date == example.birth_date
    # Every supported column is in the template and was recognised.
    assert set(result.columns.values()) == set(TEMPLATE_HEADERS)


def test_template_layout(tmp_path):
    buffer = io.BytesIO()
    write_template(buffer)
    buffer.seek(0)
    wb = openpyxl.load_workbook(buffer)
    assert wb.sheetnames == ["会员名册", "说明"]
    ws = wb["会员名册"]
    headers = [c.value for c in ws[1]]
    assert headers == list(TEMPLATE_HEADERS)
    assert ws["B1"].font.bold
    id_column = headers.index("身份证号码") + 1
    assert ws.cell(row=2, column=id_column).number_format == "@"
    assert ws.cell(row=3, column=id_column).number_format == "@"
    notes = wb["说明"]
    explained = {row[0] for row in notes.iter_rows(min_row=5, values_only=True)}
    assert set(TEMPLATE_HEADERS) <= explained
