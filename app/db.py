"""Engine, sessions and the metadata naming convention."""

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Annotated, Any, TypeVar

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Request
from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from app.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
T = TypeVar("T")


def _sqlite_pragmas(busy_timeout_ms: int):
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL lets readers run beside the one writer; busy_timeout makes writers queue instead
        # of failing with "database is locked"; SQLite leaves foreign keys off unless asked.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # A writing unit of work takes the write lock at BEGIN, so two writers queue on busy_timeout
    # instead of one failing with SQLITE_BUSY when it upgrades a read transaction; readers stay
    # deferred so WAL lets them run beside the writer.
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    settings = settings or Settings(database_url=url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
        )
        event.listen(engine, "connect", _sqlite_pragmas(settings.sqlite_busy_timeout_ms))

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves

        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a pooled connection that died with a server restart is replaced
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
    )


def make_read_engine(engine: Engine, settings: Settings) -> Engine:
    """The engine of the hot single-statement reads (``read_rows``).

    SQLite: ``engine`` itself; its DBAPI connections are in autocommit already (we issue BEGIN
    ourselves), so one SELECT on a raw cursor is its own consistent snapshot. PostgreSQL: a pool of
    AUTOCOMMIT connections without pre-ping to the same database: on the main engine each page
    paid three more round trips (pre-ping, BEGIN, ROLLBACK) than its one statement
    (docs/benchmarks.md, 2.). ``read_rows`` replaces a connection the server dropped.
    """
    if is_sqlite(engine):
        return engine
    # Not plan_cache_mode=force_generic_plan, although planning a page takes ~1 ms: a generic
    # plan cannot tell a common status, year or province from a rare one and walked far more
    # rows for some (17-23 ms against 2-4 ms a page, measured at 150,000 programs).
    return create_engine(
        engine.url,
        isolation_level="AUTOCOMMIT",
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
    )


def read_rows(
    engine: Engine,
    sql: str,
    params: Any,
    then: Callable[[Sequence[Any]], tuple[str, Any] | None] | None = None,
) -> Sequence[Any]:
    """Every row of one read-only statement, run on a pooled DBAPI connection of a read engine
    (``make_read_engine``): no ORM, no SQLAlchemy result objects, no transaction round trips.
    With ``then``, its statement for those rows (or None: no rows) runs next on the same
    connection and its rows are the answer. When the server dropped the connection (a restart),
    the pool is refreshed and the statements run once more on a new connection. SQLite: on this
    thread's own connection (``_sqlite_reader``)."""
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


def _statements(
    conn: Any,
    sql: str,
    params: Any,
    then: Callable[[Sequence[Any]], tuple[str, Any] | None] | None,
) -> Sequence[Any]:
    """``read_rows``' statement (and ``then``'s) on one DBAPI connection."""
    cursor = conn.cursor()
    try:
        cursor.execute(sql, params)
        found = cursor.fetchall()
        following = then(found) if then is not None else None
        if following is None:
            return found if then is None else []
        cursor.execute(*following)
        return cursor.fetchall()
    finally:
        cursor.close()


# SQLite: per engine, the connections ``read_rows`` uses — one per thread (the event loop's, for
# the inline page reads), each made by the engine's pool (its pragmas and settings) and then
# detached from it: a checkout and return through the pool cost ~5 µs, more than the one-row
# version read they wrapped (read_rows 8.3 against 3.8 µs; a page takes two). Closed with the app
# (``close_sqlite_readers``), or with their thread. Outside a read transaction between
# statements (autocommit), so they hold back neither writers nor WAL checkpoints.
_SQLITE_READERS: "weakref.WeakKeyDictionary[Engine, _Readers]" = weakref.WeakKeyDictionary()


class _Readers(threading.local):
    connection: Any = None


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
    ``async`` route: inline when the database is an SQLite file — in-process and
    sub-millisecond, where handing it to a worker thread cost more CPU than the read — and in
    a worker thread when it is a server, so the event loop does not wait on the network.

    At most ``db_pool_size`` such reads run at once: more threads would only wait for a pooled
    connection or open and close overflow connections (measured under 32 concurrent clients,
    docs/benchmarks.md, 2.), so the others wait in the event loop, holding no thread."""
    engine: Engine = app_state.read_engine
    if is_sqlite(engine):
        # One turn of the event loop first, so that requests that arrived earlier are answered
        # first: without it the p99 under 32 clients was 3-5 times as long.
        await asyncio.sleep(0)
        return read(*args, **kwargs)
    limiter = getattr(app_state, "read_limiter", None)
    if limiter is None:  # made here, inside the event loop that uses it
        limiter = app_state.read_limiter = CapacityLimiter(app_state.settings.db_pool_size)
    return await to_thread.run_sync(partial(read, *args, **kwargs), limiter=limiter)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (the metaclass sets ``__table__``; mypy cannot see it)."""
    return model.__table__  # type: ignore[attr-defined]


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that SQLite transactions begin IMMEDIATE (see _sqlite_begin)."""
    return engine.execution_options(write=True)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; committed after the route returns, before the response is sent.

    A request first waits for its turn **in the event loop**, holding no worker thread, and keeps
    it until its commit: on SQLite the process's write lock (writing requests only), on
    PostgreSQL one of ``db_pool_size`` places (every request with a session).

    Why: the token dependency, the route and the commit each run in a worker thread (40 in all).
    The earlier design started the transaction in the token dependency — SQLite's BEGIN
    IMMEDIATE, or a pooled PostgreSQL connection — and then needed more threads to finish.
    With the pool full of requests blocked in BEGIN IMMEDIATE or in the connection pool's
    checkout, the holders could not get a thread until the busy timeout (SQLite, 15 s) or the
    pool timeout (PostgreSQL, 30 s) failed the waiters with 500s: 200 identical POST /programs
    gave 166 × 500 after 122 s on SQLite and 160 × 500 after 124 s on PostgreSQL. Now at most
    one thread of a process waits on SQLite's lock (another process may hold it — the CLI,
    another worker — and busy_timeout covers that), and a PostgreSQL request never waits for a
    pooled connection while holding one.
    """
    engine = request.app.state.engine
    write = request.method not in ("GET", "HEAD", "OPTIONS")
    gate = _gate(request.app.state, engine, write)
    if gate is not None:
        await gate.acquire()
    try:
        session = Session(writer(engine) if write else engine, expire_on_commit=False)
        try:
            yield session
            await to_thread.run_sync(session.commit)
        except BaseException:
            with CancelScope(shield=True):  # a client that went away still gets its rollback
                await to_thread.run_sync(session.rollback)
            raise
        finally:
            with CancelScope(shield=True):
                await to_thread.run_sync(session.close)
    finally:
        if gate is not None:
            gate.release()


def _gate(app_state: Any, engine: Engine, write: bool) -> asyncio.Semaphore | None:
    """The turn a request waits for (FIFO), made in the running loop (a lock belongs to one)."""
    if is_sqlite(engine):
        if not write:
            return None  # WAL: readers never wait for the writer
        places = 1
    else:
        places = max(1, app_state.settings.db_pool_size)
    loop = asyncio.get_running_loop()
    current = getattr(app_state, "session_gate", None)
    if current is None or current[0] is not loop:
        current = app_state.session_gate = (loop, asyncio.Semaphore(places))
    return current[1]


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
EngineDep = Annotated[Engine, Depends(get_engine)]


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work for the CLI and seed: commit on success, roll back on any error."""
    with Session(writer(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# Rows per INSERT … VALUES (…), (…) of ``insert_values``: 500 × 10 columns stays far below
# SQLite's bound-parameter limit (32,766 since 3.32).
VALUES_PER_STATEMENT = 500


def insert_values(cursor: Any, insert: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
    """``insert`` (``INSERT INTO t (a, b, …)``) of every row through a DBAPI cursor of SQLite,
    VALUES_PER_STATEMENT rows per statement: a third less CPU than executemany's one statement
    run per row (150,000 programs: 0.52 s -> 0.37 s; 150,000 change rows: 0.46 s -> 0.29 s)."""
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
