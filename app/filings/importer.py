"""Spreadsheet filing: the bureau's template in the published-list layout, as XLSX or CSV
(UTF-8, UTF-8 with BOM, GBK), to a draft filing whose findings are keyed by spreadsheet row."""

import csv
import functools
import io

from openpyxl import Workbook
from sqlmodel import Session

from app.access.principal import Principal, Role
from app.colleges import service as colleges
from app.colleges.models import College
from app.errors import Invalid, NotFound
from app.filings.models import Filing
from app.filings.schemas import EntryIn, FilingCreate
from app.filings.service import create_filing
from app.i18n import Joined
from app.spreadsheets.reading import read_table
from app.text import normalize_name

COLUMNS = ("序号", "学校", "专业", "专业类别", "专业代码", "层次", "级别", "学制", "备注")
REQUIRED = ("专业", "专业代码", "层次", "学制")
# On a continuation line (blank 序号: the cells of one numbered entry were merged) these are
# filled down from the line above; the major's cells only when the line names no major itself.
ALWAYS_FILLED = ("序号", "学校")
MAJOR_CELLS = ("专业", "专业类别", "专业代码", "备注")
# The headers colleges use for the template's columns (issue 25 item 5): 专业名称 is the most
# common; 培养层次 is our 级别 (中级/高级/预备技师), 招生起点 our 层次 (初中起点/高中起点).
HEADER_SYNONYMS = {
    "专业名称": "专业",
    "代码": "专业代码",
    "专业编码": "专业代码",
    "类别": "专业类别",
    "专业大类": "专业类别",
    "培养层次": "级别",
    "技能等级": "级别",
    "招生起点": "层次",
    "招生对象": "层次",
    "学制（年）": "学制",
    "学制(年)": "学制",
    "年制": "学制",
    "学校名称": "学校",
    "院校名称": "学校",
    "院校": "学校",
    "说明": "备注",
}
# Files that are not spreadsheets, by the name a person gave them: said in words, not as the
# reading library's "File is not a zip file".
NOT_SPREADSHEETS = (
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".rar",
    ".txt",
)


def fill_down(rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, dict[str, str]]]:
    out: list[tuple[int, dict[str, str]]] = []
    previous: dict[str, str] = {}
    for number, cells in rows:
        cells = dict(cells)
        if not cells.get("序号") and previous:
            names_major = bool(cells.get("专业"))
            for name in ALWAYS_FILLED + (() if names_major else MAJOR_CELLS):
                if not cells.get(name):
                    cells[name] = previous.get(name, "")
        out.append((number, cells))
        previous = cells
    return out


def entry_of(cells: dict[str, str]) -> EntryIn:
    return EntryIn(
        major_code=cells.get("专业代码", ""),
        major_name=cells.get("专业", ""),
        category=cells.get("专业类别", ""),
        intake=cells.get("层次", ""),
        level=cells.get("级别", ""),
        length_years=cells.get("学制", ""),
        remark=cells.get("备注", ""),
    )


def _college(
    session: Session,
    college_code: str | None,
    actor: Principal,
    rows: list[tuple[int, dict[str, str]]],
) -> College:
    """The form's college, else the college token's, else the one the 学校 column names."""
    if college_code:
        return colleges.get_by_code(session, college_code)
    if actor.role == Role.COLLEGE and actor.college_id is not None:
        college = session.get(College, actor.college_id)
        assert college is not None
        return college
    names = {cells.get("学校", "") for _, cells in rows} - {""}
    if len(names) != 1:
        raise Invalid(error="college_required", msg="college_required.file", count=len(names))
    found = colleges.find_by_name(session, names.pop())
    if found is None:
        raise NotFound(error="college_not_found", msg="college_not_found.file")
    return found


def _former_name(session: Session, college: College, name: str) -> bool:
    found = colleges.find_by_name(session, name)
    return found is not None and found.id == college.id


def _ensure_spreadsheet(data: bytes, filename: str) -> None:
    """422 ``not_a_spreadsheet`` for a file that is plainly no spreadsheet: a document or a
    picture by its name, or a ".xlsx" that is not the zip an XLSX is."""
    name = filename.lower()
    if name.endswith(NOT_SPREADSHEETS) or (name.endswith(".xlsx") and data[:4] != b"PK\x03\x04"):
        raise Invalid(error="not_a_spreadsheet", filename=filename)


def import_filing(
    session: Session,
    data: bytes,
    *,
    filename: str,
    year: int,
    college_code: str | None,
    actor: Principal,
    max_rows: int,
) -> Filing:
    _ensure_spreadsheet(data, filename)
    table = read_table(
        data,
        filename=filename,
        required=REQUIRED,
        max_rows=max_rows,
        aliases=HEADER_SYNONYMS,
    )
    rows = fill_down(table.rows)
    if not rows:
        raise Invalid(error="empty_file", msg="empty_file.no_entries")
    college = _college(session, college_code, actor, rows)
    others = [
        number
        for number, cells in rows
        if cells.get("学校")
        and normalize_name(cells["学校"]) != normalize_name(college.name)
        and not _former_name(session, college, cells["学校"])
    ]
    if others:
        # one filing is one college's: a sheet mixing schools is split before filing
        raise Invalid(
            {"rows": others[:50]},
            error="other_college",
            msg="other_college.rows",
            college=college.name,
            rows=Joined(str(n) for n in others[:20]),
            count=len(others),
        )
    entries = [entry_of(cells) for _, cells in rows]
    return create_filing(
        session,
        FilingCreate(college=college.code, year=year, entries=entries),
        actor=actor,
        source=f"import:{table.encoding}",
        rows=[number for number, _ in rows],
    )


def template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerow(COLUMNS)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


@functools.cache
def template_xlsx() -> bytes:
    """The blank filing workbook, made once a process: openpyxl stamps a workbook with the time
    it was saved (its properties, its zip entries), so two saves a second apart differ in their
    bytes and length — a HEAD and its GET would not describe the same file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "新增专业申报"
    sheet.append(list(COLUMNS))
    for column in ("E",):  # 专业代码 as text so Excel keeps the leading zero (0702)
        for row in range(2, 502):
            sheet[f"{column}{row}"].number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
