"""A list in its layout (``layouts.py``) — CSV, XLSX — and its checksum.

The technician layout is contract.md's Exports (fixed), the 中职 one its "中职 lists" (fixed); both
byte for byte as tests/publications/data holds them."""

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from openpyxl import Workbook

from app import exporting
from app.publications.layouts import Annex, Layout, Table
from app.publications.models import Publication, PublicationLine


def table_csv(table: Table, rows: Sequence[Any], *, bom: bool = True) -> bytes:
    return exporting.csv_text(table.header, (table.cells(row) for row in rows), bom=bom)


def lines_csv(layout: Layout, lines: Sequence[PublicationLine], *, bom: bool = True) -> bytes:
    """The main table: one line per offering, every cell filled (no merged-cell blanks)."""
    return table_csv(layout.lines, lines, bom=bom)


def checksum(layout: Layout, lines: Sequence[PublicationLine]) -> str:
    """SHA-256 of the canonical CSV: the default download (UTF-8 with BOM, CRLF)."""
    return hashlib.sha256(lines_csv(layout, lines, bom=True)).hexdigest()


def _sheet(book: Workbook, name: str, table: Table, rows: Sequence[Any]) -> None:
    sheet = exporting.Sheet(book.create_sheet(name), text_columns=table.text_columns)
    sheet.append(table.header)
    sheet.extend([exporting.guard(c) for c in table.cells(row)] for row in rows)


def lines_xlsx(
    layout: Layout,
    lines: Sequence[PublicationLine],
    annexes: Mapping[str, Sequence[Any]],
) -> Iterator[bytes]:
    """The main table on the first sheet, then one sheet per annex of the layout; codes as text
    cells, formula-guarded."""

    def fill(book: Workbook) -> None:
        _sheet(book, layout.sheet, layout.lines, lines)
        for annex in layout.annexes:
            _sheet(book, annex.sheet, annex.table, annexes.get(annex.key, []))

    return exporting.xlsx_stream(fill)


def annex_xlsx(annex: Annex, rows: Sequence[Any]) -> Iterator[bytes]:
    return exporting.xlsx_stream(lambda book: _sheet(book, annex.sheet, annex.table, rows))


def file_names(publication: Publication, ext: str, annex: Annex | None = None) -> tuple[str, str]:
    """(Chinese download name, ASCII fallback): 2024年广州市技工院校新增专业名单.csv,
    2024年广州市中等职业学校新设专业名单_附件3.csv."""
    suffix = f"_第{publication.revision}版" if publication.revision > 1 else ""
    label = f"_{annex.sheet}" if annex else ""
    fallback_part = f"-{annex.key}" if annex else ""
    return (
        f"{publication.title}{suffix}{label}.{ext}",
        f"publication-{publication.id}{fallback_part}.{ext}",
    )
