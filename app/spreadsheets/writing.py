"""Writing CSV and XLSX the way contract.md fixes it (Exports): BOM, CRLF, formula guard, codes as
text, a Chinese download name browsers keep. Shared by every export route."""

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any
from urllib.parse import quote

import xlsxwriter
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import case, func, literal
from sqlalchemy.sql.elements import ColumnElement

from app.spreadsheets.reading import FORMULA_STARTS

BOM = "\ufeff"
CHUNK_BYTES = 64 * 1024
CSV_MEDIA = "text/csv; charset=utf-8"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guard(value: Any) -> Any:
    """``'`` before a text cell a spreadsheet would run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def guarded_column(column: Any, name: str) -> ColumnElement[Any]:
    """The formula guard as SQL, so a streamed export does it in the database, not per row in
    Python (the 150,000-row export must stay within 2.5× of ``sqlite3 -csv``)."""
    first = func.substr(column, 1, 1)
    return case((first.in_(FORMULA_STARTS), literal("'") + column), else_=column).label(name)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """A small, whole CSV (a publication's lines): guarded cells, CRLF, BOM unless asked not to."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([guard(cell) for cell in row] for row in rows)
    return ((BOM if bom else "") + buffer.getvalue()).encode("utf-8")


def csv_chunks(
    header: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]], *, bom: bool = True
) -> Iterator[bytes]:
    """Stream CSV in ~64 KiB pieces from batches of already-guarded row tuples.

    One ``writerows`` per batch keeps the per-row work in C; rows are never all in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow(header)
    for batch in batches:
        writer.writerows(batch)
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def content_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with an ASCII ``filename=`` for old clients and the real (Chinese) name as
    RFC 5987/6266 ``filename*=UTF-8''…``, which current browsers prefer and keep."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_headers(filename: str, fallback: str, **extra: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition(filename, fallback), **extra}


class Sheet:
    """Rows for one write-only worksheet; ``text_columns`` (0-based) are stored as text cells
    with number format ``@`` so Excel keeps leading zeros (``0702``) and never turns codes into
    numbers."""

    def __init__(self, sheet: WriteOnlyWorksheet, text_columns: Sequence[int] = ()):
        self.sheet = sheet
        self.text_columns = tuple(text_columns)

    def text_cell(self, value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value="" if value is None else xml_safe(str(value)))
        cell.number_format = "@"
        return cell

    def append(self, row: Sequence[Any]) -> None:
        values = [xml_safe(v) if isinstance(v, str) else v for v in row]
        for index in self.text_columns:
            values[index] = self.text_cell(values[index])
        self.sheet.append(values)

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)


def xml_safe(value: str) -> str:
    """A text XLSX can hold: control characters XML 1.0 forbids become U+FFFD. openpyxl raises
    on them half-way through a streamed download; a list frozen before the input rule refused
    them (app.fields) must still download, and the CSV keeps them as they are."""
    return (
        ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if ILLEGAL_CHARACTERS_RE.search(value) else value
    )


def write_xlsx(fill: Callable[[Workbook], None]) -> str:
    """A write-only workbook filled by ``fill`` and saved to a temp file; returns its path.

    Write-only mode streams rows to disk, so memory stays flat however many rows there are."""
    book = Workbook(write_only=True)
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="registry-export-")
    os.close(fd)
    try:
        fill(book)
        book.save(path)
    except BaseException:
        os.unlink(path)
        raise
    return path


def stream_file(path: str, chunk: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Yield a temp file in chunks, then delete it (also when the client goes away)."""
    try:
        with open(path, "rb") as handle:
            while data := handle.read(chunk):
                yield data
    finally:
        os.unlink(path)


def spooled(chunks: Iterable[bytes]) -> tuple[IO[bytes], str]:
    """The chunks written to an anonymous temp file (gone once closed), rewound, and the SHA-256
    of their bytes: a big download whose ``X-Checksum-SHA256`` header must precede its body,
    written once at flat memory."""
    file = tempfile.TemporaryFile(prefix="registry-export-")  # noqa: SIM115 (the caller closes it)
    digest = hashlib.sha256()
    try:
        for chunk in chunks:
            digest.update(chunk)
            file.write(chunk)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file, digest.hexdigest()


def stream_open(file: IO[bytes], chunk: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Yield an open file in chunks, then close it (also when the client goes away)."""
    try:
        while data := file.read(chunk):
            yield data
    finally:
        file.close()


def xlsx_stream(fill: Callable[[Workbook], None]) -> Iterator[bytes]:
    """Build the workbook inside the generator (after the response started), then stream it."""
    yield from stream_file(write_xlsx(fill))


# --- big exports: xlsxwriter -------------------------------------------------------------------
# Measured on programs.xlsx rows (10 cells, 2 code cells as text) on the loaded 2-core machine:
# openpyxl write-only with styled cells 8,800 rows per CPU-second; xlsxwriter in constant_memory
# mode (rows flushed to a temp file as written) 18,300 with typed writes (16,100 with
# ``write_row``), the same flat memory (~40 MB process RSS either way at 50,000 rows).
XLSXWRITER_OPTIONS = {
    "constant_memory": True,  # each row goes to disk once the next one starts
    "strings_to_numbers": False,  # codes stay text: 0702 is never 702
    "strings_to_formulas": False,  # a guarded cell is a string, never a formula
    "strings_to_urls": False,
    "tmpdir": None,
}


class FastSheet:
    """One xlsxwriter worksheet written row by row in order; ``text_columns`` carry number
    format ``@`` (text) like ``Sheet``'s code cells."""

    def __init__(self, book: Any, name: str, text_columns: Sequence[int] = ()) -> None:
        self.sheet = book.add_worksheet(name)
        text = book.add_format({"num_format": "@"})
        self.formats: dict[int, Any] = dict.fromkeys(text_columns, text)
        self.row = 0

    def widths(self, widths: Sequence[float]) -> None:
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width, self.formats.get(index))

    def merged_title(self, text: str, columns: int, style: Any = None) -> None:
        self.sheet.merge_range(self.row, 0, self.row, columns - 1, text, style)
        self.row += 1

    def append(self, values: Sequence[Any], style: Any = None) -> None:
        write_string, write_number, formats = (
            self.sheet.write_string,
            self.sheet.write_number,
            self.formats,
        )
        n = self.row
        for index, value in enumerate(values):
            if value is None or value == "":
                if index in formats:
                    self.sheet.write_blank(n, index, None, formats[index])
                continue
            if isinstance(value, str):
                write_string(n, index, value, formats.get(index, style))
            else:
                write_number(n, index, value, style)
        self.row = n + 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.append(row)


def fast_xlsx_stream(fill: Callable[[Any], None]) -> Iterator[bytes]:
    """Like ``xlsx_stream`` with an xlsxwriter workbook: built inside the generator into a temp
    file (constant memory), then streamed and deleted."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="registry-export-")
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(path, XLSXWRITER_OPTIONS)
        fill(book)
        book.close()
    except BaseException:
        os.unlink(path)
        raise
    yield from stream_file(path)
