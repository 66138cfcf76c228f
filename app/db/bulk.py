"""Bulk writes: many rows per ``INSERT … VALUES`` through a DBAPI cursor of SQLite, and the
fields of PostgreSQL's ``COPY … FROM STDIN`` text format (``copy_text``, ``COPY_NULL``)."""

from collections.abc import Sequence
from typing import Any

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
