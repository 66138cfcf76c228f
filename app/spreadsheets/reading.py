"""Reading the spreadsheets users already have: CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX, into
rows keyed by header; the row errors and the result of an import."""

import csv
import gc
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pydantic import BaseModel
from python_calamine import CalamineWorkbook

from app.errors import Invalid, TooLarge
from app.i18n import Joined, t

XLSX_MAGIC = b"PK\x03\x04"  # a zip: XLSX, and ODS too
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: Excel 97-2003 .xls (and old .et)
ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP): the
# exports write a ' before them (app.spreadsheets.writing.guard), ``unguard`` takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = frozenset(FORMULA_STARTS)
# An XLSX is a zip: 20 MB of upload can inflate to gigabytes (openpyxl holds the shared strings
# in memory). Real spreadsheets of 200,000 rows stay far below this.
MAX_XLSX_UNZIPPED_BYTES = 400 * 1024 * 1024

# progress(phase, done, total): the CLI draws it as a progress bar; services call it now and then.
Progress = Callable[[str, int, int], None]


class ImportResult(BaseModel):
    """What an import did: rows read, inserted, updated (changed values), unchanged."""

    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated


@dataclass
class Table:
    """A header and its data rows; ``rows`` yields (spreadsheet row number, cells by column)."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str
    # column → the file's own name for it, when ``aliases`` renamed it (errors name the latter)
    renamed: dict[str, str] = field(default_factory=dict)


def decode_csv(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in. Excel on Chinese Windows writes GBK (read as GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "gbk"
        except UnicodeDecodeError:
            continue
    raise Invalid(error="bad_encoding")


def check_xlsx_expansion(data: bytes) -> None:
    """413 ``spreadsheet_too_large`` when the XLSX would inflate past MAX_XLSX_UNZIPPED_BYTES."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip: openpyxl reports the damaged file
    if inflated > MAX_XLSX_UNZIPPED_BYTES:
        raise TooLarge(error="spreadsheet_too_large", size=inflated, limit=MAX_XLSX_UNZIPPED_BYTES)


def clean_cell(value: object) -> str:
    """A spreadsheet cell as a trimmed string ('' for empty); floats like 5.0 become '5'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def spreadsheet_kind(data: bytes, filename: str = "") -> str | None:
    """``xlsx``, ``xls``, ``ods`` or None (CSV text), by the bytes first, then the name."""
    name = filename.lower()
    if data.startswith(XLS_MAGIC) or name.endswith((".xls", ".et")):
        return "xls"
    if data.startswith(XLSX_MAGIC) and ODS_MIMETYPE in data[:100] or name.endswith(".ods"):
        return "ods"
    if data.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return None


def _calamine_rows(data: bytes, kind: str) -> Iterator[list[str]]:
    """The first sheet of an .xlsx, .xls or .ods, read by python-calamine: openpyxl reads no
    .xls or .ods, and calamine read a 50,000-row XLSX in 2.2-4.0 s where openpyxl's read-only
    mode took 20.7-31.0 s on the same (loaded) machine. Every row there is is read, whatever
    the file's own <dimension> says (some writers understate it)."""
    if kind != "xls":
        check_xlsx_expansion(data)  # a zip: refuse what would inflate too far
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # a damaged or encrypted file
        raise Invalid(error="bad_spreadsheet", reason=exc) from exc
    for values in rows:
        yield [clean_cell(v) for v in values]


def _csv_rows(data: bytes) -> tuple[Iterator[list[str]], str, bool]:
    """The rows, the encoding, and whether any cell may carry the export's formula guard."""
    text, encoding = decode_csv(data)
    guarded = any("'" + start in text for start in FORMULA_STARTS)
    rows = (list(map(str.strip, r)) for r in csv.reader(io.StringIO(text, newline="")))
    return rows, encoding, guarded


def unguard(cells: list[str]) -> list[str]:
    """Undo the formula guard of our exports (contract.md: ``'`` before a cell starting with
    ``=``, ``+``, ``-``, ``@``, tab or CR), so an exported file reads back unchanged: a college
    code ``-RT01`` is written ``'-RT01`` and read as ``-RT01``."""
    return [c[1:] if len(c) > 1 and c[0] == "'" and c[1] in _GUARDED else c for c in cells]


def _duplicates(header: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for name in header:
        if name and name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated


@dataclass
class Grid:
    """A header and its data rows as lists of cells, each as wide as the header at least (a
    short row is padded with ''), the spreadsheet row number of each in ``numbers``. Bulk imports
    read cells by column index: no dict per row."""

    header: list[str]
    rows: list[list[str]]
    numbers: list[int]
    encoding: str
    renamed: dict[str, str] = field(default_factory=dict)

    def cells(self, index: int) -> dict[str, str]:
        """Row ``index`` keyed by header, as ``read_table`` gives it (unnamed columns dropped)."""
        return dict(self.named(self.rows[index]))

    def named(self, cells: list[str]) -> Iterator[tuple[str, str]]:
        return ((name, cells[i]) for i, name in enumerate(self.header) if name)


def read_grid(
    data: bytes,
    *,
    filename: str = "",
    required: tuple[str, ...] = (),
    max_rows: int = 1_000_000,
    aliases: dict[str, str] | None = None,
) -> Grid:
    """All rows of the first sheet (or the CSV) as lists; blank lines skipped.
    ``aliases`` maps another layout's column names to ours (the planners' Chinese headers)."""
    kind = spreadsheet_kind(data, filename)
    if kind is not None:
        lines, encoding, guarded = _calamine_rows(data, kind), kind, True
    else:
        lines, encoding, guarded = _csv_rows(data)
    header: list[str] | None = None
    renamed: dict[str, str] = {}
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff") for c in cells]
            if aliases:
                renamed = {aliases[h]: h for h in header if h in aliases}
                header = [aliases.get(h, h) for h in header]
            repeated = _duplicates(header)
            if repeated:  # which of two cells would count is anyone's guess: refuse the file
                raise Invalid(
                    {"row": number, "duplicate_columns": repeated, "header": header},
                    error="bad_header",
                    msg="bad_header.duplicate",
                    row=number,
                    columns=Joined(repeated),
                )
            width = len(header)
            missing = [name for name in required if name not in header]
            if missing:
                raise Invalid(
                    {"row": number, "missing_columns": missing, "header": header},
                    error="bad_header",
                    row=number,
                    missing=Joined(missing),
                )
            continue
        if len(rows) >= max_rows:
            raise TooLarge(error="too_many_rows", max_rows=max_rows)
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        if guarded:
            cells = unguard(cells)
        rows.append(cells)
        numbers.append(number)
    if header is None:
        raise Invalid(error="empty_file")
    return Grid(header=header, rows=rows, numbers=numbers, encoding=encoding, renamed=renamed)


def read_table(
    data: bytes,
    *,
    filename: str = "",
    required: tuple[str, ...] = (),
    max_rows: int = 1_000_000,
    aliases: dict[str, str] | None = None,
) -> Table:
    """All rows of the first sheet (or the CSV), keyed by header; blank lines skipped.
    ``aliases`` maps another layout's column names to ours (the planners' Chinese headers)."""
    grid = read_grid(data, filename=filename, required=required, max_rows=max_rows, aliases=aliases)
    header = grid.header
    if all(header):  # no unnamed columns to drop
        rows = [
            (number, dict(zip(header, cells, strict=False)))
            for number, cells in zip(grid.numbers, grid.rows, strict=True)
        ]
    else:
        rows = [
            (number, dict(grid.named(cells)))
            for number, cells in zip(grid.numbers, grid.rows, strict=True)
        ]
    return Table(header=header, rows=rows, encoding=grid.encoding, renamed=grid.renamed)


# --- Row-level errors of an import: every one names the spreadsheet row and the column. ---

# A file with a systematic mistake can yield one error per row; the response carries this many
# (and the total) so a 150,000-row upload does not answer with megabytes of JSON.
MAX_REPORTED_ERRORS = 1000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str
    value: str | None = None
    suggestion: str | None = None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message,
        }
        if self.value is not None:
            out["value"] = self.value
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


class RowErrors:
    """Collects every error of a file so they are reported together (nothing is written)."""

    def __init__(self, columns: dict[str, str] | None = None) -> None:
        self.items: list[RowError] = []
        self.columns = columns or {}  # our column name → the file's (Table.renamed)

    def add(
        self,
        row: int,
        column: str,
        code: str,
        message: str,
        *,
        value: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        column = self.columns.get(column, column)
        self.items.append(RowError(row, column, code, message, value, suggestion))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, *, rows: int) -> None:
        if not self.items:
            return
        self.items.sort(key=lambda e: (e.row, e.column))
        raise Invalid(
            {
                "rows": rows,
                "error_count": len(self.items),
                "errors": [e.as_dict() for e in self.items[:MAX_REPORTED_ERRORS]],
            },
            error="import_rejected",
            count=len(self.items),
        )


def require(errors: RowErrors, row: int, cells: dict[str, str], *columns: str) -> bool:
    """Adds an ``entry.missing_field`` error per blank required cell; True when all are filled."""
    ok = True
    for column in columns:
        if not cells.get(column, ""):
            errors.add(row, column, "entry.missing_field", t("entry.missing_field", field=column))
            ok = False
    return ok


@contextmanager
def gc_paused() -> Iterator[None]:
    """Bulk imports allocate hundreds of thousands of small objects and no cycles; the cyclic
    collector would rescan them again and again (about a third of a 150k-row import)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
