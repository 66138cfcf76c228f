"""``GET /programs.csv`` and ``/programs.xlsx``: the enrollment-planning view, streamed.

The generator opens its own connection (the request's session is gone once the response starts)
and reads through a server-side cursor in batches of plain tuples, so memory stays flat at 150,000
rows; the formula guard runs in SQL (``exporting.guarded_column``) or once per college/major."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from sqlalchemy import Select, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from app import exporting
from app.catalog.models import Category, Major
from app.colleges.models import College
from app.exporting import guard
from app.programs.models import Program
from app.programs.schemas import ProgramFilters
from app.programs.service import conditions

HEADER = (
    "college_code",
    "college",
    "major_code",
    "major_name",
    "category",
    "intake",
    "level",
    "length_years",
    "status",
    "since_year",
)
# Only the program's own columns come per row; college and major text is looked up in two small
# dicts built once per export (a few thousand entries at national scale), so the per-row work is a
# tuple concatenation and SQLite/psycopg create 3 strings per row instead of 8.
ROW_COLUMNS: tuple[Any, ...] = (
    Program.college_id,
    Program.major_id,
    exporting.guarded_column(Program.intake, "intake"),
    exporting.guarded_column(Program.level, "level"),
    Program.length_years,
    exporting.guarded_column(Program.status, "status"),
    Program.since_year,
)
BATCH_ROWS = 2000
FILENAME = "专业设置"  # what planners call the list of offerings

# Mounted under /api/v1 by app.publications.routes (included first in app.main).
router = APIRouter(tags=["exports"])
FiltersDep = Annotated[ProgramFilters, Query()]
BomQuery = Annotated[bool, Query(description="false: no UTF-8 BOM (Excel needs one)")]


def _lookups(conn: Connection) -> tuple[dict[Any, tuple], dict[Any, tuple]]:
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


def _driver_cursor(conn: Connection, query: Select) -> Any:
    """The driver's own cursor running ``query``: a server-side (named) cursor on PostgreSQL,
    SQLite's lazy cursor. The query is SQLAlchemy Core; fetching through the driver skips
    building a Row per record (a quarter of the export time at 150,000 rows). No column needs a
    result processor (text and integers), so the tuples are what Core would return."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = (
        dbapi.cursor(name="programs_export")
        if conn.dialect.name == "postgresql"
        else (dbapi.cursor())
    )
    cursor.execute(compiled.string, args)
    return cursor


def row_batches(engine: Engine, filters: ProgramFilters) -> Iterator[list[tuple]]:
    """Batches of export rows, in HEADER order and program-id order; never the whole result."""
    # program alone, in id order: the filters are conditions on its own columns (core's
    # ``conditions``), names come from the lookups — no join, so PostgreSQL walks the primary
    # key with its server-side cursor instead of planning a four-table join for a cursor.
    query = select(*ROW_COLUMNS).where(*conditions(filters)).order_by(col(Program.id))
    with engine.connect() as conn:
        colleges, majors = _lookups(conn)
        cursor = _driver_cursor(conn, query)
        try:
            while batch := cursor.fetchmany(BATCH_ROWS):
                yield [colleges[row[0]] + majors[row[1]] + row[2:] for row in batch]
        finally:
            cursor.close()


def csv_stream(engine: Engine, filters: ProgramFilters, *, bom: bool = True) -> Iterator[bytes]:
    return exporting.csv_chunks(HEADER, row_batches(engine, filters), bom=bom)


def xlsx_stream(engine: Engine, filters: ProgramFilters) -> Iterator[bytes]:
    def fill(book: Workbook) -> None:
        sheet = exporting.Sheet(book.create_sheet("programs"), text_columns=(0, 2))
        sheet.sheet.append(list(HEADER))
        for batch in row_batches(engine, filters):
            sheet.extend(batch)

    return exporting.xlsx_stream(fill)


def _response(body: Iterator[bytes], media: str, ext: str) -> StreamingResponse:
    headers = exporting.download_headers(f"{FILENAME}.{ext}", f"programs.{ext}")
    return StreamingResponse(body, media_type=media, headers=headers)


@router.get(
    "/programs.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "programs.csv, streamed"}},
)
def programs_csv(request: Request, filters: FiltersDep, bom: BomQuery = True):
    """Every program matching the filters of `GET /programs`, as CSV (contract.md: Exports)."""
    body = csv_stream(request.app.state.engine, filters, bom=bom)
    return _response(body, exporting.CSV_MEDIA, "csv")


@router.get(
    "/programs.xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {exporting.XLSX_MEDIA: {}}, "description": "programs.xlsx"}},
)
def programs_xlsx(request: Request, filters: FiltersDep):
    """The same rows as `programs.csv`, as XLSX with codes stored as text."""
    return _response(xlsx_stream(request.app.state.engine, filters), exporting.XLSX_MEDIA, "xlsx")
