"""The database layer, one concern per module:

- ``engines``: ``make_engine`` (SQLite pragmas, PostgreSQL pool), ``writer``, ``is_sqlite``,
  ``table_of`` and the metadata's naming convention;
- ``reads``: ``make_read_engine``, ``read_rows`` (raw single-statement reads, SQLite's
  per-thread readers), ``run_read`` for ``async`` routes;
- ``async_reads``: ``AsyncReader``, the same statements through asyncpg on the event loop
  (``GET /api/v1/programs`` on PostgreSQL);
- ``sessions``: ``session_scope`` (the CLI's unit of work) and ``snapshot`` (one read
  transaction for a long read);
- ``depends``: ``SessionDep`` (one session per request, committed before the response, behind
  its gate) and ``EngineDep``, FastAPI's dependencies: imported from ``app.db.depends`` by the
  routes, never re-exported here, so that the CLI and the services load no FastAPI;
- ``bulk``: ``insert_values``, many rows per ``INSERT … VALUES``.

The names other modules import are re-exported here (``from app.db import session_scope``).
"""

from sqlmodel import SQLModel

from app.db.bulk import VALUES_PER_STATEMENT, insert_values
from app.db.engines import NAMING_CONVENTION, is_sqlite, make_engine, table_of, writer
from app.db.reads import close_sqlite_readers, make_read_engine, read_rows, run_read
from app.db.sessions import session_scope, snapshot

__all__ = [
    "NAMING_CONVENTION",
    "VALUES_PER_STATEMENT",
    "SQLModel",
    "close_sqlite_readers",
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
