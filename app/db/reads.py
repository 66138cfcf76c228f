"""Raw reads: one read-only statement on a DBAPI connection, for the hot paths.

- ``make_read_engine``: the engine of those reads — SQLite: the engine itself; PostgreSQL: an
  AUTOCOMMIT pool to the same database (no pre-ping, no BEGIN/ROLLBACK around a statement);
- ``read_rows``: every row of a statement (and optionally of a second one chosen from them) —
  no ORM, no result objects; a connection the server dropped is replaced and the read retried
  once; on SQLite each thread reads on its own connection (``close_sqlite_readers``);
- ``run_read``: such a read from an ``async`` route — inline on SQLite, in a worker thread on
  PostgreSQL, at most ``db_pool_size`` at once (the rest wait in the event loop).
"""

import asyncio
import threading
import weakref
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from app.config import Settings
from app.db.engines import is_sqlite

T = TypeVar("T")
Then = Callable[[Sequence[Any]], tuple[str, Any] | None]


def make_read_engine(engine: Engine, settings: Settings) -> Engine:
    """The engine of ``read_rows`` for the database of ``engine`` (this module's docstring)."""
    if is_sqlite(engine):
        return engine
    # Not plan_cache_mode=force_generic_plan: a generic plan cannot tell a common status, year or
    # province from a rare one (docs/benchmarks.md, "How GET /programs reads").
    read_engine = create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
    )
    planner = read_planner_settings(settings)
    if planner:
        # once per new connection (not in the URL's options, which may carry others)
        event.listen(read_engine, "connect", partial(_set_planner, planner))
    return read_engine


def _set_planner(planner: dict[str, str], dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        for name, value in planner.items():
            cursor.execute("SELECT set_config(%s, %s, false)", (name, value))
    dbapi_connection.commit()


def read_planner_settings(settings: Settings) -> dict[str, str]:
    """PostgreSQL settings of the read connections (both drivers'): ``random_page_cost`` from
    ``db_read_random_page_cost``. With the server's default (4) the planner hashed every
    college and major to join a page's 51 programs — 1.34 against 0.41 ms of execution a page
    at 2,530 colleges, growing with them (docs/benchmarks.md)."""
    cost = settings.db_read_random_page_cost
    return {"random_page_cost": f"{cost:g}"} if cost > 0 else {}


def read_rows(engine: Engine, sql: str, params: Any, then: Then | None = None) -> Sequence[Any]:
    """Every row of one read-only statement on a pooled DBAPI connection of a read engine.
    With ``then``, its statement for those rows (or None: no rows) runs next on the same
    connection and its rows are the answer. When the server dropped the connection (a restart),
    the pool is refreshed and the statements run once more on a new connection. SQLite: on this
    thread's own connection."""
    if engine.dialect.name == "sqlite":
        return _statements(_sqlite_reader(engine), sql, params, then)
    for attempt in (1, 2):
        conn = engine.raw_connection()
        try:
            return _statements(conn, sql, params, then)
        except engine.dialect.loaded_dbapi.Error as exc:
            if attempt == 1 and engine.dialect.is_disconnect(exc, conn.dbapi_connection, None):
                conn.invalidate(exc)
                engine.dispose()  # the other pooled connections went with the same server
                continue
            raise
        finally:
            conn.close()
    raise AssertionError("unreachable")


def _statements(conn: Any, sql: str, params: Any, then: Then | None) -> Sequence[Any]:
    """``read_rows``' statement (and ``then``'s) on one DBAPI connection."""
    cursor = conn.cursor()
    try:
        cursor.execute(sql, params)
        found: Sequence[Any] = cursor.fetchall()
        following = then(found) if then is not None else None
        if following is None:
            return found if then is None else []
        cursor.execute(*following)
        rows: Sequence[Any] = cursor.fetchall()
        return rows
    finally:
        cursor.close()


class _Readers(threading.local):
    connection: Any = None


# SQLite: per engine, the connection each thread reads on, made by the engine's pool (its
# pragmas) and then detached from it (a checkout per read cost more than the read, see
# docs/benchmarks.md). In autocommit between statements: they hold back neither writers nor
# WAL checkpoints.
_SQLITE_READERS: "weakref.WeakKeyDictionary[Engine, _Readers]" = weakref.WeakKeyDictionary()


def _sqlite_reader(engine: Engine) -> Any:
    readers = _SQLITE_READERS.get(engine)
    if readers is None:
        readers = _SQLITE_READERS.setdefault(engine, _Readers())
    connection = readers.connection
    if connection is None:
        pooled = engine.raw_connection()
        connection = readers.connection = pooled.driver_connection
        pooled.detach()  # ours now: the pool neither returns nor counts it
    return connection


def close_sqlite_readers(engine: Engine) -> None:
    """Closes this thread's read connection of ``engine``; the other threads' are released
    with their ``threading.local`` (a sqlite3 connection closes when it is freed). The next
    read opens a new one."""
    readers = _SQLITE_READERS.pop(engine, None)
    if readers is not None and readers.connection is not None:
        readers.connection.close()


async def run_read(app_state: Any, read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Runs a short bounded read (one indexed statement on ``app_state.read_engine``) for an
    ``async`` route: inline when the database is an SQLite file (in-process, sub-millisecond),
    in a worker thread when it is a server, at most ``db_pool_size`` at once."""
    engine: Engine = app_state.read_engine
    if is_sqlite(engine):
        # One turn of the event loop first, so that requests that arrived earlier are answered
        # first (the p99 under 32 clients, docs/benchmarks.md).
        await asyncio.sleep(0)
        return read(*args, **kwargs)
    limiter = getattr(app_state, "read_limiter", None)
    if limiter is None:  # made here, inside the event loop that uses it
        limiter = app_state.read_limiter = CapacityLimiter(app_state.settings.db_pool_size)
    return await to_thread.run_sync(partial(read, *args, **kwargs), limiter=limiter)
