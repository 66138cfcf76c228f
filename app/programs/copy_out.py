"""PostgreSQL's ``COPY (SELECT …) TO STDOUT`` for the programs.csv export.

``psql \\copy`` is the benchmark's floor because the server formats the CSV itself; through
``csv.writer`` the export was 2.1–3.5× it (48% of the server's time in ``writerows``). Here the
SELECT yields one column per row: the whole CSV line, each cell formula-guarded and quoted the
way ``csv.writer`` (QUOTE_MINIMAL) does, CR at its end. COPY in CSV format then quotes that one
value (it contains CR) with the quote character ``\\x1e``, which is never in the data: removing
every ``\\x1e`` leaves ``line\\r\\n``, byte-identical to the csv.writer path (a test compares
both). A registry whose names contain ``\\x1e`` takes the csv.writer path instead."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, Select, Text, case, cast, func, literal, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from app.spreadsheets import writing

QUOTE = b"\x1e"  # ASCII record separator: a one-byte COPY quote no name contains
# Python's csv.writer (QUOTE_MINIMAL, lineterminator CRLF) quotes a cell holding one of these.
NEEDS_QUOTES = '[",\r\n]'
HAS_QUOTE_CHAR = text(
    "SELECT EXISTS (SELECT 1 FROM college WHERE strpos(code || name, chr(30)) > 0)"
    " OR EXISTS (SELECT 1 FROM major WHERE strpos(code || name, chr(30)) > 0)"
    " OR EXISTS (SELECT 1 FROM category WHERE strpos(name, chr(30)) > 0)"
)


def compiled(conn: Connection, query: Select[*tuple[Any, ...]]) -> tuple[str, Any]:
    """(SQL, parameters) of a Core query for the connection's DBAPI cursor."""
    result = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = result.construct_params()
    if result.positional:
        return result.string, tuple(params[name] for name in result.positiontup or ())
    return result.string, params


def csv_cell(expr: Any) -> ColumnElement[str]:
    """One cell as csv.writer writes it: integers as digits, text quoted when it holds a comma,
    a quote, CR or LF (inner quotes doubled)."""
    if isinstance(expr.type, Integer):
        return func.coalesce(cast(expr, Text), "")
    value = func.coalesce(cast(expr, Text), "")  # NULL: csv.writer writes None as nothing
    quoted = literal('"') + func.replace(value, '"', '""') + literal('"')
    return case((value.regexp_match(NEEDS_QUOTES), quoted), else_=value)


def csv_text(value: str) -> str:
    """One text cell as csv.writer writes it (QUOTE_MINIMAL), in Python: ``csv_cell``'s twin."""
    if any(char in value for char in '",\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def known_cell(column: Any, texts: Mapping[Any, str], fallback: Any) -> ColumnElement[str]:
    """The cell of a column with few, known values: each value's cell (formula-guarded and
    quoted) written here once, so the database only compares per row — a pattern match per
    cell per row made the export 2.6× ``psql \\copy``. Any other value is ``fallback`` (the
    same cell through ``csv_cell``), so the bytes never depend on the list being complete."""
    whens = {value: literal(csv_text(writing.guard(text))) for value, text in texts.items()}
    return case(whens, value=column, else_=csv_cell(fallback))


def csv_cells(cells: Sequence[Any]) -> ColumnElement[str]:
    """These (already formula-guarded) cells as a piece of a CSV line, commas between."""
    return func.concat_ws(",", *(csv_cell(c) for c in cells))


def csv_line(pieces: Sequence[Any]) -> ColumnElement[str]:
    """The CSV line of these pieces (``csv_cells``, ``known_cell``), CR included; LF comes
    from COPY."""
    return (func.concat_ws(",", *pieces) + literal("\r")).label("line")


def csv_chunks(
    engine: Engine,
    header: Sequence[str],
    query: Select[*tuple[Any, ...]],
    *,
    bom: bool,
    fallback: Callable[[], Iterator[bytes]],
) -> Iterator[bytes]:
    """BOM and header, then the COPY output in ~64 KiB chunks (memory stays flat)."""
    with engine.connect() as conn:
        if conn.execute(HAS_QUOTE_CHAR).scalar():
            yield from fallback()
            return
        sql, params = compiled(conn, query)
        copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x1e')"
        buffer = bytearray(writing.csv_text(header, [], bom=bom))
        dbapi: Any = conn.connection.dbapi_connection
        # psycopg binds the parameters client-side for COPY; leaving early (the client went
        # away) cancels the COPY on the server.
        with dbapi.cursor() as cursor, cursor.copy(copy_sql, params) as copy:
            for data in copy:
                buffer += data
                if len(buffer) >= writing.CHUNK_BYTES:
                    yield bytes(buffer.replace(QUOTE, b""))
                    buffer.clear()
        if buffer:
            yield bytes(buffer.replace(QUOTE, b""))
