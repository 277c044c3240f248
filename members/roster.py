"""Reading member rosters (会员名册) that county associations keep in Excel.

The rosters come in the shape people really use: a merged title row and a
"填报单位" line above the header, a 序号 column, names typed with spaces (王 芳),
birth months as ``1965.03`` / ``1965年3月`` / dates / numbers, ID numbers with stray
spaces or a lower-case x, phone numbers with dashes, 入会时间 as ``1998年`` or a bare
year, and a 合计 line at the bottom.

``read_roster`` finds the header row, maps the columns by their usual Chinese names,
normalizes every value and reports every problem as a ``RowError`` (Excel row number,
the column header as written in the file, a message saying what is wrong and how to
fix it). Rows with an error are left out of ``RosterResult.rows``; nothing is written
anywhere. ``write_template`` writes an import template with the supported columns.

No database access: matching the rows to existing people (by ID number) and saving
them is the importer's job.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from .idcard import check_id_matches, make_test_id_number, validate_id_number

__all__ = [
    "COLUMNS",
    "EDUCATION_LEVELS",
    "ETHNIC_GROUPS",
    "POLITICAL_STATUSES",
    "TEMPLATE_HEADERS",
    "RosterResult",
    "RosterRow",
    "RowError",
    "normalize_phone",
    "read_roster",
    "write_template",
]

HEADER_SEARCH_ROWS = 10
MAX_BLANK_RUN = 1000  # stop reading after this many blank rows in a row
DEFAULT_AREA_CODE = "0859"  # 黔西南州 landlines; used for 7-8 digit local numbers
MIN_YEAR = 1900

# --------------------------------------------------------------------------------------
# Code lists (values as used by the reference tables of the portal)
# --------------------------------------------------------------------------------------

# fmt: off
# GB 3304, current names, 汉/布依/苗 first, plus 其他.
ETHNIC_GROUPS = (
    "汉", "布依", "苗", "壮", "回", "满", "维吾尔", "蒙古", "藏", "彝", "侗", "瑶", "朝鲜", "白",
    "哈尼", "哈萨克", "黎", "傣", "畲", "傈僳", "仡佬", "东乡", "高山", "拉祜", "水", "佤", "纳西",
    "羌", "土", "仫佬", "锡伯", "柯尔克孜", "达斡尔", "景颇", "毛南", "撒拉", "塔吉克", "阿昌", "普米",
    "鄂温克", "怒", "京", "基诺", "德昂", "保安", "俄罗斯", "裕固", "乌孜别克", "门巴", "鄂伦春", "独龙",
    "塔塔尔", "赫哲", "珞巴", "布朗", "土家", "其他",
)
_ETHNIC_ALIASES = {"毛难": "毛南", "崩龙": "德昂", "其它": "其他", "蒙": "蒙古"}

# GB/T 4762 short names.
POLITICAL_STATUSES = (
    "中共党员", "中共预备党员", "共青团员", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟",
    "无党派人士", "群众",
)
_POLITICAL_ALIASES = {
    "党员": "中共党员",
    "中国共产党党员": "中共党员",
    "共产党员": "中共党员",
    "预备党员": "中共预备党员",
    "中国共产党预备党员": "中共预备党员",
    "团员": "共青团员",
    "中国共产主义青年团团员": "共青团员",
    "中国国民党革命委员会": "民革",
    "民革党员": "民革",
    "中国民主同盟": "民盟",
    "民盟盟员": "民盟",
    "中国民主建国会": "民建",
    "民建会员": "民建",
    "中国民主促进会": "民进",
    "民进会员": "民进",
    "中国农工民主党": "农工党",
    "农工民主党": "农工党",
    "中国致公党": "致公党",
    "九三学社社员": "九三学社",
    "台湾民主自治同盟": "台盟",
    "无党派": "无党派人士",
    "无": "群众",
}

# GB/T 4658 levels as used by the portal.
EDUCATION_LEVELS = (
    "研究生", "博士", "硕士", "本科", "专科", "中专/职高/技校", "高中", "初中", "小学", "其他",
)
# fmt: on
_EDUCATION_ALIASES = {
    "博士研究生": "博士",
    "硕士研究生": "硕士",
    "研究生学历": "研究生",
    "大学本科": "本科",
    "大学": "本科",
    "大本": "本科",
    "大专": "专科",
    "大学专科": "专科",
    "中专": "中专/职高/技校",
    "职高": "中专/职高/技校",
    "技校": "中专/职高/技校",
    "中等专科": "中专/职高/技校",
    "中等专业学校": "中专/职高/技校",
    "职业高中": "中专/职高/技校",
    "技工学校": "中专/职高/技校",
    "中专/职高": "中专/职高/技校",
    "初小": "小学",
    "高小": "小学",
    "其它": "其他",
}

# --------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # canonical header, used in the template
    synonyms: tuple[str, ...]
    joined_text: bool = False  # several columns of this kind are joined with "；"


COLUMNS = (
    Column("seq", "序号", ("序号", "序")),
    Column("name", "姓名", ("姓名", "会员姓名", "名字")),
    Column("gender", "性别", ("性别",)),
    Column("ethnic_group", "民族", ("民族",)),
    Column(
        "birth",
        "出生年月",
        ("出生年月", "出生日期", "出生年月日", "出生时间", "出生年份", "生日"),
    ),
    Column(
        "id_number",
        "身份证号码",
        (
            "身份证号码",
            "身份证号",
            "公民身份号码",
            "身份证",
            "身份证件号码",
            "居民身份证号码",
        ),
    ),
    Column(
        "phone",
        "联系电话",
        ("联系电话", "手机", "手机号码", "手机号", "电话", "电话号码", "联系方式"),
    ),
    Column(
        "work_unit",
        "工作单位",
        (
            "工作单位",
            "单位",
            "所在单位",
            "工作单位及职务",
            "工作单位及职称",
            "工作单位及职务职称",
            "工作单位及职务(职称)",
            "工作单位和职务",
            "工作单位(职务)",
            "单位及职务",
        ),
        joined_text=True,
    ),
    Column(
        "title",
        "职务/职称",
        (
            "职务/职称",
            "职务",
            "职称",
            "职务职称",
            "职务(职称)",
            "职务及职称",
            "职务、职称",
        ),
        joined_text=True,
    ),
    Column("political_status", "政治面貌", ("政治面貌",)),
    Column("education", "文化程度", ("文化程度", "学历", "最高学历")),
    Column("native_place", "籍贯", ("籍贯",)),
    Column("pen_name", "笔名/艺名", ("笔名/艺名", "笔名", "艺名", "笔名(艺名)", "笔名艺名")),
    Column(
        "town",
        "乡镇（街道）",
        (
            "乡镇(街道)",
            "乡镇",
            "所在乡镇",
            "乡镇街道",
            "乡镇/街道",
            "所在乡镇(街道)",
            "街道",
        ),
    ),
    Column("joined", "入会时间", ("入会时间", "入会年份", "入会日期", "入会年月")),
    Column(
        "legacy_number",
        "会员证号",
        ("会员证号", "会员编号", "原会员证号", "会员证编号", "会员号", "原会员编号"),
    ),
    Column("works", "代表作品", ("代表作品", "代表作", "主要作品"), joined_text=True),
    Column("remarks", "备注", ("备注",), joined_text=True),
)
_COLUMNS_BY_FIELD = {c.field: c for c in COLUMNS}
TEMPLATE_HEADERS = tuple(c.header for c in COLUMNS)


def _norm_header(value) -> str:
    """Header text for matching: NFKC (full-width brackets -> ASCII), no whitespace,
    no required-field stars, no trailing colon."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"\s+", "", text)
    text = text.replace("*", "").rstrip(":")
    return text


_SYNONYMS: dict[str, str] = {}
for _column in COLUMNS:
    for _synonym in _column.synonyms:
        _SYNONYMS[_norm_header(_synonym)] = _column.field
del _column, _synonym


def _field_for_header(value) -> str | None:
    key = _norm_header(value)
    if not key:
        return None
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    # "身份证号码(18位)", "出生年月(年.月)": drop a trailing explanation in brackets.
    stripped = re.sub(r"\([^)]*\)$", "", key)
    if stripped != key and stripped in _SYNONYMS:
        return _SYNONYMS[stripped]
    return None


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number (1-based); 0 = the file as a whole
    column: str  # column header as written in the file; '' = no particular column
    message: str


@dataclass
class RosterRow:
    excel_row: int
    name: str
    gender: str  # "M" or "F"
    ethnic_group: str = ""  # without the trailing 族: 布依族 -> 布依
    birth_date: date | None = None  # from the ID number when present
    id_number: str = ""  # normalized and validated, '' when not given
    phone: str = ""  # digits only
    work_unit: str = ""
    title: str = ""
    political_status: str = ""
    education: str = ""
    native_place: str = ""
    pen_name: str = ""
    town: str = ""
    joined_year: int | None = None
    joined_month: int | None = None  # when the month is known (1998年5月, 1998.05)
    joined_on: date | None = None  # only when the full date is known
    legacy_number: str = ""
    works: str = ""
    remarks: str = ""


@dataclass
class RosterResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Things worth a look that do not stop the row (unknown columns, values not in the
    # code lists, a second phone number, ...).
    warnings: list[RowError] = field(default_factory=list)
    sheet_name: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    title: str = ""  # e.g. 安龙县作家协会会员名册
    unit: str = ""  # 填报单位, e.g. 安龙县作家协会

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


class _RowProblem(Exception):
    def __init__(self, column_field: str, message: str):
        super().__init__(message)
        self.column_field = column_field
        self.message = message


# --------------------------------------------------------------------------------------
# Value helpers
# --------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")


def _text(value) -> str:
    """Cell value as clean text: trimmed, runs of whitespace (incl. U+3000) -> one space,
    whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date):
        return value.isoformat()
    return _WS_RE.sub(" ", str(value)).strip()


def _compact(value) -> str:
    """Text without any whitespace (names, numbers)."""
    return _WS_RE.sub("", _text(value))


@dataclass(frozen=True)
class _PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    # A number cell such as 1965.1 may be 1965.10 with the zero dropped by Excel.
    alt_month: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def as_date(self, month: int | None = None) -> date:
        return date(self.year, month or self.month or 1, self.day or 1)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})年(?:(\d{1,2})月?)?()$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(?:[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
)


def _checked(year: int, month: int | None, day: int | None, alt_month=None) -> _PartialDate:
    if month is not None and not 1 <= month <= 12:
        raise ValueError("month")
    if day is not None:
        date(year, month, day)  # raises ValueError for an impossible date
    return _PartialDate(year, month, day, alt_month)


def _parse_partial_date(value, number_format: str = "General") -> _PartialDate:
    """Read a year, a year and month or a full date from a cell. Raises ValueError."""
    if isinstance(value, bool) or value is None:
        raise ValueError("empty")
    if isinstance(value, (datetime, date)):
        d = value.date() if isinstance(value, datetime) else value
        fmt = re.sub(r'"[^"]*"|\[[^\]]*\]', "", (number_format or "").lower())
        if "d" in fmt:
            return _PartialDate(d.year, d.month, d.day)
        return _PartialDate(d.year, d.month)  # e.g. yyyy"年"m"月": the day is not real
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if len(digits) == 5 and 10000 <= value <= 80000:  # an Excel date serial
            d = openpyxl.utils.datetime.from_excel(value).date()
            return _PartialDate(d.year, d.month, d.day)
        value = digits
    elif isinstance(value, float):
        if abs(value - round(value, 2)) > 1e-7:
            raise ValueError("too many decimals")
        year_part, _dot, frac = f"{value:.2f}".partition(".")
        frac = frac.rstrip("0")
        if len(year_part) != 4 or not frac:
            raise ValueError("not a year.month number")
        if frac == "1":
            return _checked(int(year_part), 1, None, alt_month=10)
        return _checked(int(year_part), int(frac), None)
    text = unicodedata.normalize("NFKC", str(value))
    text = _WS_RE.sub("", text).rstrip(".。")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month, day = (int(g) if g else None for g in m.groups())
            return _checked(year, month, day)
    raise ValueError("unreadable")


def _shown(value) -> str:
    text = _text(value)
    return text if len(text) <= 30 else text[:29] + "…"


_PHONE_SPLIT_RE = re.compile(r"[/、,，;；]|或")
_PHONE_ALLOWED_RE = re.compile(r"^[\d\s\-()—–.+转]*$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{9,11}$")


def normalize_phone(raw, *, default_area_code: str | None = DEFAULT_AREA_CODE) -> str:
    """One phone number as digits: an 11-digit mobile (1[3-9]...) or a landline with
    its area code (0859-1234567 -> 08591234567). A 7- or 8-digit local number gets
    ``default_area_code`` in front. Raises ValueError if it is neither."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", _text(raw))
    if not _PHONE_ALLOWED_RE.match(text):
        raise ValueError("characters")
    text = text.split("转")[0]  # drop an extension
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+86") or (len(digits) == 13 and digits.startswith("86")):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        if MOBILE_RE.match(digits):
            return digits
        raise ValueError("mobile")
    if LANDLINE_RE.match(digits):
        return digits
    if len(digits) in (7, 8) and digits[0] not in "01" and default_area_code:
        return default_area_code + digits
    raise ValueError("phone")


def _normalize_choice(text: str, aliases: dict[str, str]) -> str:
    key = unicodedata.normalize("NFKC", text).replace(" ", "")
    return aliases.get(key, text)


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------

_TOTAL_RE = re.compile(r"^(合计|总计|小计|共计)")
_FOOTER_RE = re.compile(r"^(填表人|制表人|填报人|审核人|负责人|联系人|注[:：]|说明|备注[:：])")
_UNIT_RE = re.compile(
    r"填报单位[:：]\s*(.+?)(?:\s*[(（]\s*(?:盖章|公章)\s*[)）]|\s{2,}|填报日期|$)"
)
_GENDERS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "M": "M", "F": "F"}


def _open_workbook(source):
    if isinstance(source, (str, Path)):
        return openpyxl.load_workbook(str(source), read_only=True, data_only=True)
    if hasattr(source, "seek"):
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    return openpyxl.load_workbook(source, read_only=True, data_only=True)


def _find_header(rows: list[tuple]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_field_for_header(c.value) == "name" for c in row):
            return index
    return None


def read_roster(
    fileobj_or_path,
    *,
    sheet: str | None = None,
    today: date | None = None,
    default_area_code: str | None = DEFAULT_AREA_CODE,
) -> RosterResult:
    """Read a member roster workbook (.xlsx) and return its normalized rows and all
    problems found.

    ``fileobj_or_path``: a path or a binary file object (e.g. a Django UploadedFile).
    ``sheet``: the sheet name; by default the active sheet, then the others, and the
    first one with a 姓名 header in its first 10 rows is used. ``today``: for the "not
    in the future" checks. ``default_area_code``: put in front of 7-8 digit local
    phone numbers (None: such numbers are an error).
    """
    today = today or timezone.localdate()
    result = RosterResult()
    try:
        workbook = _open_workbook(fileobj_or_path)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError):
        result.errors.append(
            RowError(
                0,
                "",
                _(
                    "The file could not be read as an Excel workbook (.xlsx). If it is "
                    "an old .xls file or a WPS file, open it and save it as .xlsx, then "
                    "upload it again."
                ),
            )
        )
        return result

    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                result.errors.append(
                    RowError(
                        0,
                        "",
                        _("The workbook has no sheet named %(sheet)s.") % {"sheet": sheet},
                    )
                )
                return result
            candidates = [workbook[sheet]]
        else:
            candidates = [workbook.active] + [
                ws for ws in workbook.worksheets if ws is not workbook.active
            ]
        for worksheet in candidates:
            if worksheet is None:
                continue
            # Some programs write a wrong <dimension>; read what is really there.
            worksheet.reset_dimensions()
            row_iter = worksheet.iter_rows()
            head = list(itertools.islice(row_iter, HEADER_SEARCH_ROWS))
            header_index = _find_header(head)
            if header_index is not None:
                result.sheet_name = worksheet.title
                _read_sheet(
                    head,
                    header_index,
                    itertools.chain(head[header_index + 1 :], row_iter),
                    result,
                    today,
                    default_area_code,
                )
                return result
        result.errors.append(
            RowError(
                0,
                "",
                _(
                    "No header row was found: one of the first 10 rows of the sheet must "
                    "contain the column %(column)s. Check that this is the member roster "
                    "and that the column headers are in one row."
                )
                % {"column": "姓名"},
            )
        )
        return result
    finally:
        workbook.close()


def _read_sheet(head, header_index, data_rows, result: RosterResult, today, default_area_code):
    header_cells = head[header_index]
    result.header_row = header_index + 1

    # Title and 填报单位 above the header.
    for row in head[:header_index]:
        for cell in row:
            text = _text(cell.value)
            if not text:
                continue
            unit = _UNIT_RE.search(text)
            if unit:
                result.unit = result.unit or unit.group(1).strip()
            elif not result.title:
                result.title = _compact(text)

    # Column index -> field; field -> list of (index, header).
    columns: dict[str, list[tuple[int, str]]] = {}
    for index, cell in enumerate(header_cells):
        header = _text(cell.value)
        if not header:
            continue
        field_name = _field_for_header(header)
        if field_name is None:
            result.warnings.append(
                RowError(
                    result.header_row,
                    header,
                    _("This column is not recognised and was ignored."),
                )
            )
            continue
        if field_name in columns and not _COLUMNS_BY_FIELD[field_name].joined_text:
            result.warnings.append(
                RowError(
                    result.header_row,
                    header,
                    _(
                        "This column means the same as column %(other)s; only the first "
                        "of the two was read."
                    )
                    % {"other": columns[field_name][0][1]},
                )
            )
            continue
        columns.setdefault(field_name, []).append((index, header))
    result.columns = {f: cols[0][1] for f, cols in columns.items()}

    def header_for(field_name: str) -> str:
        if field_name in columns:
            return columns[field_name][0][1]
        return _COLUMNS_BY_FIELD[field_name].header

    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    data_indexes = [i for f, cols in columns.items() if f != "seq" for i, _h in cols]

    blank_run = 0
    for offset, row in enumerate(data_rows):
        excel_row = result.header_row + 1 + offset

        def cell(field_name: str, _row=row):
            cols = columns.get(field_name)
            if not cols or cols[0][0] >= len(_row):
                return None
            return _row[cols[0][0]]

        def value(field_name: str, _row=row):
            c = cell(field_name)
            return None if c is None else c.value

        texts = [_text(c.value) for c in row]
        if not any(texts[i] for i in data_indexes if i < len(texts)):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break  # formatted but empty rows down to row 1048576
            continue  # blank (or only a 序号)
        blank_run = 0
        first_text = next((_compact(t) for t in texts if t), "")
        if _TOTAL_RE.match(first_text) or _TOTAL_RE.match(_compact(value("name"))):
            continue  # 合计 / 总计 / 小计 line
        name = _compact(value("name"))
        if not name and not _compact(value("id_number")) and _FOOTER_RE.match(first_text):
            continue  # 填表人：… 审核人：… under the table

        problems: list[RowError] = []

        def problem(field_name: str, message: str, _excel_row=excel_row, _p=problems):
            _p.append(RowError(_excel_row, header_for(field_name), message))

        def warn(field_name: str, message: str, _excel_row=excel_row):
            result.warnings.append(RowError(_excel_row, header_for(field_name), message))

        record = RosterRow(excel_row=excel_row, name=name, gender="")

        # 姓名
        if not name:
            problem("name", _("The name is empty. Fill in the member's name."))
        elif re.search(r"\d", name):
            problem(
                "name",
                _("The name %(name)s contains digits. Check that it is in the right column.")
                % {"name": name},
            )

        # 身份证号码
        info = None
        raw_id = value("id_number")
        if raw_id not in (None, "") and _compact(raw_id):
            number_cell = isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool)
            if isinstance(raw_id, float):
                problem(
                    "id_number",
                    _(
                        "The ID number was stored as a number, so Excel has changed its "
                        "last digits. Format the column as Text and type the number again."
                    ),
                )
            else:
                try:
                    info = validate_id_number(str(raw_id), today=today)
                except ValidationError as exc:
                    message = exc.messages[0]
                    if number_cell:
                        message += " " + _(
                            "Excel stored this cell as a number; format the column as "
                            "Text and type the number again."
                        )
                    problem("id_number", message)
                else:
                    record.id_number = info.number
                    if info.number in seen_ids:
                        problem(
                            "id_number",
                            _(
                                "This ID number already appears in row %(row)d. Each "
                                "person may be listed only once: remove the repeated row "
                                "or correct the number."
                            )
                            % {"row": seen_ids[info.number]},
                        )
                    else:
                        seen_ids[info.number] = excel_row

        # 性别
        raw_gender = _compact(value("gender"))
        given_gender = None
        if raw_gender:
            given_gender = _GENDERS.get(unicodedata.normalize("NFKC", raw_gender).upper())
            if given_gender is None:
                problem(
                    "gender",
                    _("The gender must be %(male)s or %(female)s; the cell says %(value)s.")
                    % {"male": "男", "female": "女", "value": _shown(raw_gender)},
                )
        if info is not None:
            record.gender = info.gender
            if given_gender:
                try:
                    check_id_matches(info, gender=given_gender)
                except ValidationError as exc:
                    problem("gender", exc.messages[0])
        elif given_gender:
            record.gender = given_gender
        elif not raw_gender:
            problem(
                "gender",
                _("The gender is missing. Enter %(male)s or %(female)s, or the member's ID number.")
                % {"male": "男", "female": "女"},
            )

        # 出生年月
        birth_cell = cell("birth")
        raw_birth = None if birth_cell is None else birth_cell.value
        given_birth = None
        if raw_birth not in (None, "") and _text(raw_birth):
            try:
                given_birth = _parse_partial_date(raw_birth, birth_cell.number_format)
            except ValueError:
                problem(
                    "birth",
                    _(
                        "The birth date %(value)s could not be read. Write it like "
                        "1965.03, %(example)s or 1965-03-13."
                    )
                    % {"value": _shown(raw_birth), "example": "1965年3月"},
                )
        if info is not None:
            record.birth_date = info.birth_date
            if given_birth is not None:
                months = [given_birth.month]
                if given_birth.alt_month:
                    months.append(given_birth.alt_month)
                mismatch = None
                for month in months:
                    try:
                        check_id_matches(
                            info,
                            birth_date=given_birth.as_date(month),
                            precision=given_birth.precision,
                        )
                    except ValidationError as exc:
                        mismatch = mismatch or exc
                    else:
                        mismatch = None
                        break
                if mismatch is not None:
                    problem("birth", mismatch.messages[0])
        elif given_birth is not None:
            if given_birth.alt_month:
                problem(
                    "birth",
                    _(
                        "The birth month %(value)s is unclear because Excel stored it as "
                        "a number: it may mean January or October. Type it as text, e.g. "
                        "1965.01 or 1965.10, or enter the ID number."
                    )
                    % {"value": _shown(raw_birth)},
                )
            elif given_birth.precision == "year":
                problem(
                    "birth",
                    _(
                        "Only the birth year is given. Add the month, e.g. 1965.03, or "
                        "enter the member's ID number."
                    ),
                )
            else:
                birth = given_birth.as_date()
                if birth.year < MIN_YEAR:
                    problem(
                        "birth",
                        _("The birth date %(value)s is before 1900. Check the year.")
                        % {"value": _shown(raw_birth)},
                    )
                elif birth > today:
                    problem(
                        "birth",
                        _("The birth date %(value)s is in the future. Check the year.")
                        % {"value": _shown(raw_birth)},
                    )
                else:
                    record.birth_date = birth
        elif raw_birth in (None, "") or not _text(raw_birth):
            problem(
                "birth",
                _(
                    "The birth date is missing. Enter the birth month (e.g. 1965.03) or "
                    "the member's ID number."
                ),
            )

        # 民族
        ethnic = _compact(value("ethnic_group"))
        if ethnic:
            ethnic = unicodedata.normalize("NFKC", ethnic)
            if len(ethnic) > 1 and ethnic.endswith("族"):
                ethnic = ethnic[:-1]
            ethnic = _ETHNIC_ALIASES.get(ethnic, ethnic)
            if ethnic not in ETHNIC_GROUPS:
                warn(
                    "ethnic_group",
                    _(
                        "%(value)s is not one of the 56 ethnic groups of GB 3304; check "
                        "the spelling or use %(other)s."
                    )
                    % {"value": ethnic, "other": "其他"},
                )
            record.ethnic_group = ethnic

        # 联系电话
        raw_phone = value("phone")
        phone_text = _text(raw_phone)
        if phone_text:
            parts = [p for p in _PHONE_SPLIT_RE.split(phone_text) if p.strip()]
            try:
                record.phone = normalize_phone(
                    parts[0] if parts else phone_text,
                    default_area_code=default_area_code,
                )
            except ValueError:
                problem(
                    "phone",
                    _(
                        "The phone number %(value)s is not valid. Enter an 11-digit "
                        "mobile number starting with 13 to 19 (e.g. 13812345678) or a "
                        "landline with its area code (e.g. 0859-1234567)."
                    )
                    % {"value": _shown(raw_phone)},
                )
            else:
                if len(parts) > 1:
                    warn(
                        "phone",
                        _(
                            "The cell holds more than one phone number; only the first "
                            "(%(phone)s) was kept."
                        )
                        % {"phone": record.phone},
                    )

        # Plain text columns (several columns of one kind are joined).
        for field_name in (
            "work_unit",
            "title",
            "native_place",
            "pen_name",
            "town",
            "works",
            "remarks",
        ):
            parts = []
            for index, _header in columns.get(field_name, []):
                text = texts[index] if index < len(texts) else ""
                if text and text not in parts:
                    parts.append(text)
            setattr(record, field_name, "；".join(parts))

        # 政治面貌, 文化程度: mapped to the code list names where the meaning is clear.
        political = _text(value("political_status"))
        if political:
            record.political_status = _normalize_choice(political, _POLITICAL_ALIASES)
            if record.political_status not in POLITICAL_STATUSES:
                warn(
                    "political_status",
                    _("%(value)s is not in the political status list (GB/T 4762).")
                    % {"value": political},
                )
        education = _text(value("education"))
        if education:
            record.education = _normalize_choice(education, _EDUCATION_ALIASES)
            if record.education not in EDUCATION_LEVELS:
                warn(
                    "education",
                    _("%(value)s is not in the education level list (GB/T 4658).")
                    % {"value": education},
                )

        # 入会时间
        joined_cell = cell("joined")
        raw_joined = None if joined_cell is None else joined_cell.value
        if raw_joined not in (None, "") and _text(raw_joined):
            try:
                joined = _parse_partial_date(raw_joined, joined_cell.number_format)
            except ValueError:
                problem(
                    "joined",
                    _(
                        "The joining date %(value)s could not be read. Write the year, "
                        "e.g. 1998 or %(example)s, or a date such as 1998-05-20."
                    )
                    % {"value": _shown(raw_joined), "example": "1998年"},
                )
            else:
                first_day = date(joined.year, joined.month or 1, joined.day or 1)
                if joined.year < MIN_YEAR:
                    problem(
                        "joined",
                        _("The joining year %(year)d is before 1900. Check the year.")
                        % {"year": joined.year},
                    )
                elif first_day > today:
                    problem(
                        "joined",
                        _("The joining date %(value)s is in the future. Check the year.")
                        % {"value": _shown(raw_joined)},
                    )
                else:
                    record.joined_year = joined.year
                    if joined.month and not joined.alt_month:
                        record.joined_month = joined.month
                    if joined.day:
                        record.joined_on = joined.as_date()
                    if record.birth_date and joined.year < record.birth_date.year:
                        warn(
                            "joined",
                            _(
                                "The joining year %(year)d is before the birth year "
                                "%(birth)d. Check both."
                            )
                            % {"year": joined.year, "birth": record.birth_date.year},
                        )

        # 会员证号
        raw_number = value("legacy_number")
        if isinstance(raw_number, float) and raw_number.is_integer():
            raw_number = int(raw_number)
        legacy = unicodedata.normalize("NFKC", _compact(raw_number))
        if legacy:
            record.legacy_number = legacy
            if legacy in seen_numbers:
                warn(
                    "legacy_number",
                    _("The member number %(number)s is also used in row %(row)d.")
                    % {"number": legacy, "row": seen_numbers[legacy]},
                )
            else:
                seen_numbers[legacy] = excel_row

        if problems:
            result.errors.extend(problems)
        else:
            result.rows.append(record)


# --------------------------------------------------------------------------------------
# Template
# --------------------------------------------------------------------------------------

# (required?, explanation, example) per column, in Chinese for the people filling it in.
_TEMPLATE_HELP = {
    "seq": ("否", "行号，可留空，导入时不使用。", "1"),
    "name": ("是", "会员姓名。姓名中间的空格会自动去掉。", "王芳"),
    "gender": (
        "有身份证号时可不填",
        "填“男”或“女”。填写了身份证号码的，以身份证号码为准，两者不一致时会提示错误。",
        "女",
    ),
    "ethnic_group": (
        "否",
        "填民族名称，“族”字可写可不写，如“布依族”或“布依”。",
        "布依族",
    ),
    "birth": (
        "有身份证号时可不填",
        "填到年月即可，如 1965.03、1965年3月 或 1965-03-13。填写了身份证号码的，以身份证号码为准，须与其一致。",
        "1985.06",
    ),
    "id_number": (
        "建议填写",
        (
            "18位公民身份号码，最后一位可以是 X。请将本列设为“文本”格式，否则 Excel 会改动号码末几位。"
            "同一文件中同一号码只能出现一次；再次导入时以身份证号码识别同一人，不会重复建档。"
        ),
        "",
    ),
    "phone": (
        "否",
        "11位手机号码，或带区号的固定电话（如 0859-1234567）。可带短横线或空格。",
        "139-1234-5678",
    ),
    "work_unit": ("否", "工作单位全称。", "安龙县文化馆"),
    "title": ("否", "现任职务或专业技术职称，如“馆员”“副主任”。", "馆员"),
    "political_status": (
        "否",
        "中共党员、中共预备党员、共青团员、民革、民盟、民建、民进、农工党、致公党、九三学社、台盟、无党派人士、群众。",
        "群众",
    ),
    "education": (
        "否",
        "研究生（博士/硕士）、本科、专科、中专/职高/技校、高中、初中、小学、其他。",
        "本科",
    ),
    "native_place": ("否", "籍贯，如“贵州安龙”。", "贵州安龙"),
    "pen_name": ("否", "常用笔名或艺名。", "荷风"),
    "town": ("否", "所在乡镇或街道，如“招堤街道”“龙广镇”。", "招堤街道"),
    "joined": (
        "否",
        "加入本协会的时间，可只填年份，如 1998 或 1998年；知道具体日期的填 1998-05-20。",
        "2018年",
    ),
    "legacy_number": (
        "否",
        "原有的会员证号，没有的留空。导入后保留为“原会员证号”。",
        "",
    ),
    "works": ("否", "代表作品，多部作品用顿号分隔。", "《招堤荷韵》、《龙广春早》"),
    "remarks": ("否", "其他需要说明的情况。", "示例行，导入前请删除"),
}


def _template_example_row() -> list:
    example = {key: help_[2] for key, help_ in _TEMPLATE_HELP.items()}
    example["seq"] = 1
    example["id_number"] = make_test_id_number("522328", date(1985, 6, 15), 22)
    return [example[c.field] for c in COLUMNS]


def write_template(path_or_fileobj) -> None:
    """Write the roster import template (.xlsx): sheet 会员名册 with the supported
    column headers and one example row, and sheet 说明 explaining each column."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "会员名册"

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="9B2335")
    required_fill = PatternFill("solid", fgColor="6B0F1A")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    widths = {
        "seq": 6,
        "name": 10,
        "gender": 6,
        "ethnic_group": 8,
        "birth": 11,
        "id_number": 21,
        "phone": 15,
        "work_unit": 22,
        "title": 12,
        "political_status": 12,
        "education": 14,
        "native_place": 12,
        "pen_name": 10,
        "town": 12,
        "joined": 10,
        "legacy_number": 14,
        "works": 28,
        "remarks": 20,
    }
    text_fields = {"birth", "id_number", "phone", "joined", "legacy_number"}
    last_data_row = 1000

    for index, column in enumerate(COLUMNS, start=1):
        c = sheet.cell(row=1, column=index, value=column.header)
        c.font = header_font
        c.fill = required_fill if column.field == "name" else header_fill
        c.alignment = center
        c.border = border
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(column.field, 12)

    for index, value in enumerate(_template_example_row(), start=1):
        c = sheet.cell(row=2, column=index, value=value)
        c.border = border
        if COLUMNS[index - 1].field in text_fields:
            c.number_format = "@"

    # Text format for the columns Excel likes to "correct" (18-digit IDs, 1965.10).
    for index, column in enumerate(COLUMNS, start=1):
        if column.field in text_fields:
            for row in range(3, last_data_row + 1):
                sheet.cell(row=row, column=index).number_format = "@"

    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "C2"

    def add_list(field_name: str, values) -> None:
        index = next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field_name)
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=False,  # a warning-free hint list; odd values are checked on import
        )
        validation.add(f"{letter}2:{letter}{last_data_row}")
        sheet.add_data_validation(validation)

    add_list("gender", ("男", "女"))
    add_list("political_status", POLITICAL_STATUSES)
    add_list("education", EDUCATION_LEVELS)

    notes = workbook.create_sheet("说明")
    notes.append(["会员名册导入模板填写说明"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(
        [
            (
                "每位会员填一行，从第2行开始填写（第2行是示例，请先删除或改写）。表头请勿改动；"
                "表格上方可以保留标题行和“填报单位”行，最后的“合计”行不会被导入。"
            )
        ]
    )
    notes.append([])
    notes.append(["列名", "是否必填", "填写说明", "示例"])
    for c in notes[4]:
        c.font = header_font
        c.fill = header_fill
        c.alignment = center
        c.border = border
    example = _template_example_row()
    for index, column in enumerate(COLUMNS):
        required, explanation, _example = _TEMPLATE_HELP[column.field]
        notes.append([column.header, required, explanation, _text(example[index])])
        for c in notes[notes.max_row]:
            c.alignment = Alignment(vertical="top", wrap_text=True)
            c.border = border
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 18
    notes.column_dimensions["C"].width = 70
    notes.column_dimensions["D"].width = 24

    if isinstance(path_or_fileobj, (str, Path)):
        workbook.save(str(path_or_fileobj))
    else:
        workbook.save(path_or_fileobj)
