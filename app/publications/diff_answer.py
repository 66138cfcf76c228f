"""A diff as the API answers it, written while its lines are read (``diff.open_diff``,
``diff_lines``): memory holds a chunk of lines, whatever the lists' length.

- JSON (``GET /api/v1/publications/diff``): the bytes of ``DiffResult`` as the route answered it
  whole (FastAPI's response model: keys in order, ``"from"``, compact, UTF-8, nulls; the summary
  first — counted in the database before the lists, in the same snapshot), streamed as it is
  read (``tests/publications/test_streamed_diff.py`` compares them);
- CSV and XLSX: written to an anonymous temp file, then streamed — a download's
  ``X-Checksum-SHA256`` is the digest of its bytes and goes out before them.

Each answer reads in one transaction of its own (``app.db.snapshot``: REPEATABLE READ on
PostgreSQL), opened after the request's session has ended."""

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import IO, Any, NamedTuple

import orjson
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import jsonstream
from app.access.principal import Principal
from app.db import snapshot
from app.publications import diff as diffs
from app.publications import diff_closures
from app.publications.diff_lines import BATCH_ROWS, Line
from app.publications.schemas import length_cn
from app.spreadsheets import writing

LISTS = ("added", "removed", "changed", "only_from", "only_to", "both")  # DiffResult's order


class Download(NamedTuple):
    """A written download: its names, media type, the SHA-256 of its bytes, the file to stream."""

    names: tuple[str, str]
    media: str
    checksum: str
    file: IO[bytes]


def _model(value: BaseModel) -> bytes:
    """A small model of the answer (a side, the summary, the closures) as pydantic writes it."""
    return orjson.dumps(value.model_dump(mode="json"))


def json_parts(diff: diffs.Diff) -> Iterator[bytes]:
    """``DiffResult`` in pieces: from, to, layout, kind, summary, the six lists (the kind's
    three filled, a chunk of items at a time), closures, systems."""
    key = jsonstream.key
    yield b"".join(
        (
            b'{"from":',
            _model(diff.before),
            key("to"),
            _model(diff.after),
            key("layout"),
            orjson.dumps(diff.layout.system),
            key("kind"),
            orjson.dumps(diff.kind),
            key("summary"),
            _model(diff.summary),
        )
    )
    filled = diffs.parts(diff)
    for name in LISTS:
        yield key(name) + b"["
        if name in filled:
            yield from jsonstream.items(filled[name])
        yield b"]"
    yield key("closures") + _model(diff.closures)
    yield key("systems") + orjson.dumps(diff.systems) + b"}"


def json_answer(
    session: Session, engine: Engine, principal: Principal | None, refs: diffs.Refs
) -> Iterator[bytes]:
    """The JSON answer, in parts of ~64 KiB. Its refusals (404, 422) are raised here, before
    the response starts: the first part is read now."""
    _end(session)
    body = _json(engine, principal, refs)
    return chain([next(body)], body)


def _json(engine: Engine, principal: Principal | None, refs: diffs.Refs) -> Iterator[bytes]:
    with snapshot(engine) as conn:
        diff = diffs.open_diff(Session(bind=conn), principal, refs)
        yield from jsonstream.joined(json_parts(diff))


def _end(session: Session) -> None:
    # The request's transaction ends here (it wrote nothing): its connection goes back to the
    # pool (PostgreSQL: a place of the request gate's) before the diff's own is taken.
    session.commit()


def csv_download(
    session: Session, engine: Engine, principal: Principal | None, refs: diffs.Refs, *, bom: bool
) -> Download:
    """The diff as CSV (``rows``: guarded cells, CRLF, BOM unless asked not to)."""
    _end(session)
    with snapshot(engine) as conn:
        diff = diffs.open_diff(Session(bind=conn), principal, refs)
        guarded = ([writing.guard(cell) for cell in row] for row in rows(diff))
        chunks = writing.csv_chunks(header(diff), _batches(guarded), bom=bom)
        file, checksum = writing.spooled(chunks)
        return Download(file_names(diff, "csv"), writing.CSV_MEDIA, checksum, file)


def xlsx_download(
    session: Session, engine: Engine, principal: Principal | None, refs: diffs.Refs
) -> Download:
    """The diff as XLSX: the CSV's rows (formula-guarded), 专业代码 as a text cell; one sheet,
    对比 or, comparing years, 对照 (xlsxwriter, rows flushed as written)."""
    _end(session)
    with snapshot(engine) as conn:
        diff = diffs.open_diff(Session(bind=conn), principal, refs)
        codes = tuple(i + 1 for i in diff.layout.lines.text_columns)

        def fill(book: Any) -> None:
            sheet = writing.FastSheet(book, "对照" if diff.years else "对比", text_columns=codes)
            sheet.append(header(diff))
            for row in rows(diff):
                sheet.append([writing.guard(cell) for cell in row])

        file, checksum = writing.spooled(writing.fast_xlsx_stream(fill))
        return Download(file_names(diff, "xlsx"), writing.XLSX_MEDIA, checksum, file)


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH_ROWS)):
        yield batch


def _years(side: diffs.DiffSide) -> str:
    return "、".join(str(y) for y in side.years)


def file_names(diff: diffs.Diff, ext: str) -> tuple[str, str]:
    """(Chinese download name, ASCII fallback); a comparison of years names both years."""
    if diff.years:
        a, b = _years(diff.before), _years(diff.after)
        ascii_years = "-".join(str(y) for y in (*diff.before.years, *diff.after.years))
        return f"{a}年与{b}年新增专业名单对照.{ext}", f"publications-years-{ascii_years}.{ext}"
    return f"新增专业名单对比.{ext}", f"publications-diff.{ext}"


def header(diff: diffs.Diff) -> tuple[str, ...]:
    """变更, the compared lists' own columns, 变更内容 — or, comparing years, 对照 … 说明."""
    if diff.years:
        return ("对照", *diff.layout.lines.header, "说明")
    return diff.layout.diff_header


def _note(diff: diffs.Diff, old: Line, new: Line) -> str:
    names = dict(diff.layout.compared)

    def shown(line: Line, field: str) -> str:
        value = getattr(line, field)
        return length_cn(value) if field == "length_years" else str(value)

    return "; ".join(
        f"{names[f]}: {shown(old, f)} → {shown(new, f)}" for f in diffs.fields_of(diff, old, new)
    )


def _year_rows(diff: diffs.Diff) -> Iterator[tuple[Any, ...]]:
    """The later year's lines in their order (仅2025年, or 均有 with the earlier 序号 and what
    differs), then the earlier year's lines the later lists do not repeat (仅2024年)."""
    a, b = _years(diff.before), _years(diff.after)
    cells = diff.layout.lines.cells
    for found in diff.lines.later_pairs("all"):
        for new, old in found:
            if old is None:
                yield (f"仅{b}年", *cells(new), "")
                continue
            note = f"{a}年名单序号 {old.seq}"
            if diffs.fields_of(diff, old, new):
                note += "; " + _note(diff, old, new)
            yield (f"{a}年、{b}年均有", *cells(new), note)
    for lines in diff.lines.earlier_alone():
        for line in lines:
            yield (f"仅{a}年", *cells(line), "")
    yield from diff_closures.year_rows(diff.closures, diff.layout.lines.header, a, b)


def rows(diff: diffs.Diff) -> Iterator[tuple[Any, ...]]:
    """The diff as a table for CSV/XLSX: removed, changed (new values), added — or, comparing
    years, the two years' lines side by side; then the closures annexes' rows the same way."""
    if diff.years:
        yield from _year_rows(diff)
        return
    cells = diff.layout.lines.cells
    for lines in diff.lines.earlier_alone():
        for line in lines:
            yield (diffs.CHANGE_CN["removed"], *cells(line), "")
    for found in diff.lines.later_pairs("changed"):
        for new, old in found:
            if old is not None:
                yield (diffs.CHANGE_CN["changed"], *cells(new), _note(diff, old, new))
    for found in diff.lines.later_pairs("unmatched"):
        for new, _ in found:
            yield (diffs.CHANGE_CN["added"], *cells(new), "")
    yield from diff_closures.rows(diff.closures, diff.layout.lines.header)
