"""A list in its layout (``layouts.py``) — CSV, XLSX — and its checksum.

The technician layout is contract.md's Exports (fixed), the 中职 one its "中职 lists" (fixed); both
byte for byte as tests/publications/data holds them."""

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from app.publications.layouts import Annex, Layout, Table
from app.publications.models import Publication, PublicationLine
from app.spreadsheets import writing


def table_csv(table: Table, rows: Sequence[Any], *, bom: bool = True) -> bytes:
    return writing.csv_text(table.header, (table.cells(row) for row in rows), bom=bom)


def lines_csv(layout: Layout, lines: Sequence[PublicationLine], *, bom: bool = True) -> bytes:
    """The main table: one line per offering, every cell filled (no merged-cell blanks)."""
    return table_csv(layout.lines, lines, bom=bom)


def checksum(layout: Layout, lines: Sequence[PublicationLine]) -> str:
    """SHA-256 of the canonical CSV: the default download (UTF-8 with BOM, CRLF)."""
    return hashlib.sha256(lines_csv(layout, lines, bom=True)).hexdigest()


HEADER_ROWS = 3  # the notice's title, its 文号 and date, then the column header
MAX_WIDTH = 50


def notice_line(publication: Publication) -> str:
    """The line under the title as the notice prints it: 文号 (when known) and date."""
    parts = []
    if publication.document_number:
        parts.append(f"文号：{publication.document_number}")
    if publication.published_on:
        day = publication.published_on
        parts.append(f"日期：{day.year}年{day.month}月{day.day}日")
    return "　".join(parts)


def _width(value: Any) -> int:
    """Display width in Excel's character units: a CJK character takes about two."""
    text = "" if value is None else str(value)
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _sheet(
    book: Any, publication: Publication, name: str, title: str, table: Table, rows: Sequence[Any]
) -> None:
    """One sheet: the notice's title and 文号/date over the table, header frozen, each column
    as wide as its widest cell (lists are a few hundred lines)."""
    body = [[writing.guard(c) for c in table.cells(row)] for row in rows]
    widths = [
        min(MAX_WIDTH, 2 + max(_width(v) for v in column))
        for column in zip(table.header, *body, strict=False)
    ]
    bold = {"bold": True, "align": "center"}
    sheet = writing.FastSheet(book, name, text_columns=table.text_columns)
    sheet.widths(widths)
    width = len(table.header)
    sheet.merged_title(writing.guard(title), width, book.add_format({**bold, "font_size": 14}))
    meta = writing.guard(notice_line(publication))
    sheet.merged_title(meta, width, book.add_format({"align": "center"}))
    sheet.append(table.header, book.add_format({**bold, "border": 1}))
    sheet.sheet.freeze_panes(HEADER_ROWS, 0)
    sheet.extend(body)


def _reproducible(book: Any, publication: Publication) -> None:
    """The same bytes on every download of a list: xlsxwriter stamps its creation time (and the
    zip entries' times) from ``created``, so it is the list's own date, not the clock."""
    when = publication.published_at or datetime(publication.year, 1, 1)
    book.set_properties({"created": when.replace(tzinfo=None, microsecond=0)})


def lines_xlsx(
    publication: Publication,
    layout: Layout,
    lines: Sequence[PublicationLine],
    annexes: Mapping[str, Sequence[Any]],
) -> bytes:
    """The main table on the first sheet, then one sheet per annex of the layout, each under
    the notice's title and its 文号/date; codes as text cells, formula-guarded. The CSV stays
    the bare table (contract.md)."""

    def fill(book: Any) -> None:
        _reproducible(book, publication)
        _sheet(book, publication, layout.sheet, publication.title, layout.lines, lines)
        for annex in layout.annexes:
            rows = annexes.get(annex.key, [])
            if annex.optional and not rows:
                continue
            title = f"{publication.title}（{annex.sheet}：{annex.title}）"
            _sheet(book, publication, annex.sheet, title, annex.table, rows)

    return b"".join(writing.fast_xlsx_stream(fill))


def annex_xlsx(publication: Publication, annex: Annex, rows: Sequence[Any]) -> bytes:
    title = f"{publication.title}（{annex.sheet}：{annex.title}）"

    def fill(book: Any) -> None:
        _reproducible(book, publication)
        _sheet(book, publication, annex.sheet, title, annex.table, rows)

    return b"".join(writing.fast_xlsx_stream(fill))


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
