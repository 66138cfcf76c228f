"""The database layer, one concern per module:

- ``engines``: ``make_engine`` (SQLite pragmas, PostgreSQL pool), ``writer``, ``is_sqlite``,
  ``table_of`` and the metadata's naming convention;
- ``reads``: ``make_read_engine``, ``read_rows`` (raw single-statement reads, SQLite's
  per-thread readers), ``run_read`` for ``async`` routes;
- ``async_reads``: ``AsyncReader``, the same statements through asyncpg on the event loop
  (``GET /api/v1/programs`` on PostgreSQL);
- ``sessions``: ``SessionDep`` (one session per request, committed before the response, behind
  its gate), ``session_scope`` (the CLI's unit of work) and ``snapshot`` (one read
  transaction for a long read);
- ``bulk``: ``insert_values``, many rows per ``INSERT … VALUES``.

The names other modules import are re-exported here (``from app.db import SessionDep``).
"""

from sqlmodel import SQLModel

from app.db.bulk import VALUES_PER_STATEMENT, insert_values
from app.db.engines import NAMING_CONVENTION, is_sqlite, make_engine, table_of, writer
from app.db.reads import close_sqlite_readers, make_read_engine, read_rows, run_read
from app.db.sessions import (
    EngineDep,
    SessionDep,
    get_engine,
    get_session,
    session_scope,
    snapshot,
)

__all__ = [
    "NAMING_CONVENTION",
    "VALUES_PER_STATEMENT",
    "EngineDep",
    "SQLModel",
    "SessionDep",
    "close_sqlite_readers",
    "get_engine",
    "get_session",
    "insert_values",
    "is_sqlite",
    "make_engine",
    "make_read_engine",
    "read_rows",
    "run_read",
    "session_scope",
    "snapshot",
    "table_of",
    "writer",
]
