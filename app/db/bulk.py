"""Bulk writes: many rows per ``INSERT … VALUES`` through a DBAPI cursor of SQLite, rows of a
table bound as SQLAlchemy binds them (``insert_bound``), and the fields of PostgreSQL's
``COPY … FROM STDIN`` text format (``copy_text``, ``COPY_NULL``), and SQLite's indexes set aside
while most of a table's rows change an indexed column (``indexes_set_aside``)."""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

# Rows per INSERT … VALUES (…), (…) of ``insert_values``: 500 × 10 columns stays far below
# SQLite's bound-parameter limit (32,766 since 3.32).
VALUES_PER_STATEMENT = 500

# COPY's text format: a backslash, tab, newline or CR inside a value is escaped, None is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_NULL = "\\N"


def copy_text(value: str) -> str:
    """A text value as a field of COPY's text format (most values have nothing to escape)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def insert_values(cursor: Any, insert: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
    """``insert`` (``INSERT INTO t (a, b, …)``) of every row, ``width`` values each,
    VALUES_PER_STATEMENT rows per statement (a third less CPU than executemany,
    docs/benchmarks.md)."""
    one = "(" + ", ".join("?" * width) + ")"
    full = f"{insert} VALUES {', '.join([one] * VALUES_PER_STATEMENT)}"
    for start in range(0, len(rows), VALUES_PER_STATEMENT):
        chunk = rows[start : start + VALUES_PER_STATEMENT]
        sql = (
            full
            if len(chunk) == VALUES_PER_STATEMENT
            else f"{insert} VALUES {', '.join([one] * len(chunk))}"
        )
        cursor.execute(sql, [value for row in chunk for value in row])


def insert_bound(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT of ``rows`` (mappings of the same columns) into ``table`` through the driver,
    in the session's transaction: each value bound as SQLAlchemy binds it (the column type's
    processor for this dialect: the same stored values), without its per-row parameter handling
    — 3.3 of the 4.3 s that ``session.execute(insert(table), rows)`` took for an adoption's
    135,821 program events. SQLite: ``insert_values``; PostgreSQL: ``executemany`` (psycopg
    pipelines it). The caller marks the transaction written (``recorder.mark_written``) if
    nothing else it did through the session has."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    names = list(rows[0])
    columns = [_bound([row[name] for row in rows], table.c[name], dialect) for name in names]
    values = list(zip(*columns, strict=True))
    insert = f"INSERT INTO {table.name} ({', '.join(names)})"
    driver: Any = conn.connection.driver_connection
    cursor = driver.cursor()
    try:
        if dialect.name == "sqlite":
            insert_values(cursor, insert, len(names), values)
        else:
            cursor.executemany(f"{insert} VALUES ({', '.join(['%s'] * len(names))})", values)
    finally:
        cursor.close()


def _bound(values: Iterable[Any], column: Any, dialect: Any) -> list[Any]:
    """The values as the driver gets them; a value repeated (a moment, an actor) bound once."""
    process: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return list(values)
    out: list[Any] = []
    last: Any = object()
    bound: Any = None
    for value in values:
        if value is not last:
            last, bound = value, process(value)
        out.append(bound)
    return out


@contextmanager
def indexes_set_aside(session: Session, names: Sequence[str]) -> Iterator[None]:
    """On SQLite, the indexes ``names`` dropped for the block and made again after it from
    their own stored SQL (``sqlite_master``: the migrated definition, partial and unique as it
    was), in the session's transaction. A unique index made again checks every row at once (an
    IntegrityError at the end of the block); a block that raises leaves them dropped, and the
    caller's rollback brings them back as they were.

    For a block that changes an indexed column of most of a table's rows: each changed row
    otherwise moves to anywhere in each index over that column, and the share of those B-tree
    pages missing SQLite's page cache grows with the table (an adoption at ten times the
    registry took 12.2× the CPU of the same at 1×; docs/benchmarks.md, "An adoption's indexes
    made again"). A sorted build is linear and needs no cache of the table's size. Elsewhere
    nothing is dropped (PostgreSQL would lock the table for every reader until the commit). The
    block starts with no statement open on the connection (SQLite refuses to drop then)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite" or not names:
        yield
        return
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND name IN ({', '.join('?' * len(names))})",
        tuple(names),
    ).all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield  # a block that raises leaves them dropped: the caller's rollback restores them
    for _, sql in found:
        conn.exec_driver_sql(sql)
