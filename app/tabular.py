"""Reading the spreadsheets users already have: CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook

from app.errors import Invalid, TooLarge
from app.text import clean_cell

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    """A header and its data rows; ``rows`` yields (spreadsheet row number, cells by column)."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str


def decode_csv(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in. Excel on Chinese Windows writes GBK (read as GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "gbk"
        except UnicodeDecodeError:
            continue
    raise Invalid("the file is neither UTF-8 nor GBK text", error="bad_encoding")


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise Invalid(f"the XLSX file cannot be read: {exc}", error="bad_spreadsheet") from exc
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [clean_cell(v) for v in values]
    book.close()


def _csv_rows(data: bytes) -> tuple[Iterator[list[str]], str]:
    text, encoding = decode_csv(data)
    return (list(map(str.strip, r)) for r in csv.reader(io.StringIO(text, newline=""))), encoding


def read_table(
    data: bytes, *, filename: str = "", required: tuple[str, ...] = (), max_rows: int = 1_000_000
) -> Table:
    """All rows of the first sheet (or the CSV), keyed by header; blank lines skipped."""
    is_xlsx = data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx")
    if is_xlsx:
        lines, encoding = _xlsx_rows(data), "xlsx"
    else:
        lines, encoding = _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff") for c in cells]
            missing = [name for name in required if name not in header]
            if missing:
                raise Invalid(
                    {"row": number, "missing_columns": missing, "header": header},
                    error="bad_header",
                )
            continue
        if len(rows) >= max_rows:
            raise TooLarge(f"more than {max_rows} rows", error="too_many_rows")
        rows.append((number, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}))
    if header is None:
        raise Invalid("the file has no header row", error="empty_file")
    return Table(header=header, rows=rows, encoding=encoding)
