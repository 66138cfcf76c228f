"""``GET /programs.csv`` and ``/programs.xlsx``: the enrollment-planning view, streamed.

The generator opens its own connection (the request's session is gone once the response starts).
On PostgreSQL the CSV is ``COPY (SELECT …) TO STDOUT``: the server formats every line, formula
guard and CRLF included (``copy_out.py``). Elsewhere (SQLite, and the XLSX) rows are read through
the driver's cursor in batches of plain tuples and written by ``csv.writer``; the guard runs in SQL
(``writing.guarded_column``) or once per college/major. Memory stays flat at 600,000 rows."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Select, case, literal, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.catalog.models import Category, Major
from app.changes.feed import SEQ_HEADER, last_seq
from app.colleges.models import College
from app.programs import copy_out
from app.programs.models import Program
from app.programs.readmodel import CSV_FIELDS, CSV_FIELDS_ZH, STATUS_WORDS, conditions
from app.programs.schemas import Layout, ProgramFilters
from app.spreadsheets import writing
from app.spreadsheets.writing import guard
from app.vocab import YEARS_CN, Intake, Level, ProgramStatus

HEADER = CSV_FIELDS  # programs.csv (contract.md, fixed): the read model's shape


def _mapped(column: Any, mapping: dict[Any, str], name: str) -> ColumnElement[str]:
    return case(*((column == key, literal(value)) for key, value in mapping.items())).label(name)


def _own_columns(layout: Layout) -> tuple[Any, ...]:
    """The program's own columns of a row (after college and major), formatted in SQL."""
    years: Any
    if layout is Layout.zh:
        years = _mapped(Program.length_years, YEARS_CN, "length_years")
        status = _mapped(Program.status, STATUS_WORDS, "status")
    else:
        years = col(Program.length_years)
        status = writing.guarded_column(Program.status, "status")
    return (
        writing.guarded_column(Program.intake, "intake"),
        writing.guarded_column(Program.level, "level"),
        years,
        status,
        Program.since_year,
    )


def header_of(layout: Layout) -> tuple[str, ...]:
    return CSV_FIELDS_ZH if layout is Layout.zh else HEADER


BATCH_ROWS = 2000
WIDTHS = (11, 28, 9, 26, 14, 20, 9, 8, 10, 12)  # characters, for a planner opening the file
FILENAME = "专业设置"  # what planners call the list of offerings

# Mounted under /api/v1 by app.programs.routes.
router = APIRouter(tags=["exports"])
FiltersDep = Annotated[ProgramFilters, Query()]
BomQuery = Annotated[bool, Query(description="false: no UTF-8 BOM (Excel needs one)")]
LayoutQuery = Annotated[
    Layout,
    Query(
        description="zh: Chinese headers, 学制 as 三年, 状态 as 在办/停招/撤销 (planners' layout)"
    ),
]


def _lookups(
    conn: Connection,
) -> tuple[dict[Any, tuple[str, str]], dict[Any, tuple[str, str, str]]]:
    """(college id → guarded (code, name), major id → guarded (code, name, category))."""
    colleges = {
        cid: (guard(code), guard(name))
        for cid, code, name in conn.execute(
            select(col(College.id), col(College.code), col(College.name))
        )
    }
    majors_query = select(col(Major.id), col(Major.code), col(Major.name), col(Category.name)).join(
        Category, col(Category.id) == Major.category_id
    )
    majors = {
        mid: (guard(code), guard(name), guard(category))
        for mid, code, name, category in conn.execute(majors_query)
    }
    return colleges, majors


def _driver_cursor(conn: Connection, query: Select[*tuple[Any, ...]]) -> Any:
    """The driver's own cursor running ``query``: a server-side (named) cursor on PostgreSQL,
    SQLite's lazy cursor. The query is SQLAlchemy Core; fetching through the driver skips
    building a Row per record (a quarter of the export time at 150,000 rows). No column needs a
    result processor (text and integers), so the tuples are what Core would return."""
    sql, args = copy_out.compiled(conn, query)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = (
        dbapi.cursor(name="programs_export")
        if conn.dialect.name == "postgresql"
        else (dbapi.cursor())
    )
    cursor.execute(sql, args)
    return cursor


def row_batches(
    engine: Engine, filters: ProgramFilters, layout: Layout = Layout.en
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of export rows, in header order and program-id order; never the whole result."""
    # program alone, in id order: the filters are conditions on its own columns (core's
    # ``conditions``), names come from the lookups — no join, so PostgreSQL walks the primary
    # key with its server-side cursor instead of planning a four-table join for a cursor.
    columns = (Program.college_id, Program.major_id, *_own_columns(layout))
    query = select(*columns).where(*conditions(filters)).order_by(col(Program.id))
    with engine.connect() as conn:
        colleges, majors = _lookups(conn)
        cursor = _driver_cursor(conn, query)
        try:
            while batch := cursor.fetchmany(BATCH_ROWS):
                yield [colleges[row[0]] + majors[row[1]] + row[2:] for row in batch]
        finally:
            cursor.close()


def _copy_own_cells(layout: Layout) -> list[ColumnElement[str]]:
    """The program's own cells for the COPY path: ``_own_columns`` as CSV text, each known
    value's cell written once (``copy_out.known_cell``)."""
    intake, level, years, status, since_year = _own_columns(layout)
    levels: dict[str, str] = {"": "", **{value.value: value.value for value in Level}}
    if layout is Layout.zh:
        years_cell = copy_out.known_cell(Program.length_years, YEARS_CN, years)
        status_cell = copy_out.known_cell(Program.status, STATUS_WORDS, status)
    else:
        years_cell = copy_out.csv_cell(years)
        status_cell = copy_out.known_cell(
            Program.status, {value.value: value.value for value in ProgramStatus}, status
        )
    return [
        copy_out.known_cell(Program.intake, {value.value: value.value for value in Intake}, intake),
        copy_out.known_cell(Program.level, levels, level),
        years_cell,
        status_cell,
        copy_out.csv_cell(since_year),
    ]


def copy_query(filters: ProgramFilters, layout: Layout) -> Select[*tuple[Any, ...]]:
    """The export as one SELECT of whole CSV lines (PostgreSQL's COPY path): the same cells,
    guarded and quoted the way ``csv.writer`` does (copy_out.csv_line).

    Guarding and quoting a cell in SQL costs a pattern match; done for all ten cells of every
    row it made the export 2.6× ``psql \\copy`` of the bare rows. So a college's two cells are
    formatted once per college and a major's three (code, name and category — the program's
    ``category`` is the major's, kept so by triggers) once per major, in subqueries the join
    reads (``OFFSET 0`` keeps the planner from moving the formatting up into every row); the
    program's own cells compare against their known values (``_copy_own_cells``)."""
    colleges = (
        select(
            col(College.id).label("id"),
            copy_out.csv_cells(
                [
                    writing.guarded_column(College.code, "code"),
                    writing.guarded_column(College.name, "name"),
                ]
            ).label("csv"),
        )
        .offset(0)
        .subquery("college_csv")
    )
    majors = (
        select(
            col(Major.id).label("id"),
            copy_out.csv_cells(
                [
                    writing.guarded_column(Major.code, "code"),
                    writing.guarded_column(Major.name, "name"),
                    writing.guarded_column(Category.name, "category"),
                ]
            ).label("csv"),
        )
        .join(Category, col(Category.id) == Major.category_id)
        .offset(0)
        .subquery("major_csv")
    )
    return (
        select(copy_out.csv_line([colleges.c.csv, majors.c.csv, *_copy_own_cells(layout)]))
        .select_from(Program)
        .join(colleges, colleges.c.id == Program.college_id)
        .join(majors, majors.c.id == Program.major_id)
        .where(*conditions(filters))
        .order_by(col(Program.id))
    )


def csv_stream(
    engine: Engine, filters: ProgramFilters, *, bom: bool = True, layout: Layout = Layout.en
) -> Iterator[bytes]:
    if engine.dialect.name != "postgresql":
        return python_csv_stream(engine, filters, bom=bom, layout=layout)
    query = copy_query(filters, layout)

    def fallback() -> Iterator[bytes]:
        return python_csv_stream(engine, filters, bom=bom, layout=layout)

    return copy_out.csv_chunks(engine, header_of(layout), query, bom=bom, fallback=fallback)


def python_csv_stream(
    engine: Engine, filters: ProgramFilters, *, bom: bool = True, layout: Layout = Layout.en
) -> Iterator[bytes]:
    """The csv.writer path on any backend (tests compare it with the COPY path byte for byte)."""
    return writing.csv_chunks(header_of(layout), row_batches(engine, filters, layout), bom=bom)


# The second sheet of programs.xlsx: the registry version the file was exported at, what
# ``registry import programs --base-seq`` / ``base_seq=`` take (docs/imports.md).
VERSION_SHEET = "registry"
VERSION_LABEL = "registry_seq"


def xlsx_stream(
    engine: Engine, filters: ProgramFilters, layout: Layout = Layout.en, seq: int | None = None
) -> Iterator[bytes]:
    """Sheet ``programs`` (``专业设置`` in the planners' layout): the CSV's rows, codes as text
    cells, through xlsxwriter (writing.FastSheet: ≥ 15,000 rows/s, flat memory); with ``seq``, a
    second sheet ``registry`` says the registry version (``X-Registry-Seq``) it was made at."""
    header = header_of(layout)

    def fill(book: Any) -> None:
        name = FILENAME if layout is Layout.zh else "programs"
        sheet = writing.FastSheet(book, name, text_columns=(0, 2))
        sheet.widths(WIDTHS)
        sheet.sheet.freeze_panes(1, 0)
        sheet.append(header)
        for batch in row_batches(engine, filters, layout):
            sheet.extend(batch)
        if seq is not None:
            about = writing.FastSheet(book, VERSION_SHEET)
            about.sheet.set_column(0, 1, 24)
            about.append((VERSION_LABEL, seq))
            about.append(("导入时 / on import", f"--base-seq {seq}  (base_seq={seq})"))

    return writing.fast_xlsx_stream(fill)


def _seq(request: Request) -> int:
    # Read before the export's own query: every change up to this seq is in the file, so a copy
    # made from it follows GET /changes?since=<this> (docs/changes.md), and an import of the
    # file edited says it with base_seq (docs/imports.md).
    return last_seq(request.app.state.read_engine)


def _response(body: Iterator[bytes], media: str, ext: str, seq: int) -> StreamingResponse:
    headers = writing.download_headers(f"{FILENAME}.{ext}", f"programs.{ext}")
    headers[SEQ_HEADER] = str(seq)
    return StreamingResponse(body, media_type=media, headers=headers)


@router.get(
    "/programs.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "programs.csv, streamed"}},
)
def programs_csv(
    request: Request, filters: FiltersDep, bom: BomQuery = True, layout: LayoutQuery = Layout.en
) -> StreamingResponse:
    """Every program matching the filters of `GET /programs`, as CSV (contract.md: Exports)."""
    seq = _seq(request)
    body = csv_stream(request.app.state.engine, filters, bom=bom, layout=layout)
    return _response(body, writing.CSV_MEDIA, "csv", seq)


@router.get(
    "/programs.xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {writing.XLSX_MEDIA: {}}, "description": "programs.xlsx"}},
)
def programs_xlsx(
    request: Request, filters: FiltersDep, layout: LayoutQuery = Layout.en
) -> StreamingResponse:
    """The same rows as `programs.csv`, as XLSX with codes stored as text."""
    seq = _seq(request)
    body = xlsx_stream(request.app.state.engine, filters, layout, seq)
    return _response(body, writing.XLSX_MEDIA, "xlsx", seq)
