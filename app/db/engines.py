"""The engines: one per database URL, with SQLite's pragmas, and the metadata's naming convention.

``make_engine`` makes the writing engine of a URL: on SQLite a file in WAL mode with a busy
timeout, foreign keys on, and transactions begun by us — ``BEGIN IMMEDIATE`` on a ``writer``
engine, so two writers queue instead of failing; on PostgreSQL a pre-pinged, recycled pool of
``db_pool_size`` (+ ``db_max_overflow``) connections.
"""

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from app.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL lets readers run beside the one writer; busy_timeout makes writers queue instead
        # of failing with "database is locked"; SQLite leaves foreign keys off unless asked.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (_sqlite_begin)

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # A writing unit of work takes the write lock at BEGIN, so two writers queue on busy_timeout
    # instead of one failing with SQLITE_BUSY when it upgrades a read transaction; readers stay
    # deferred so WAL lets them run beside the writer.
    immediate = conn.get_execution_options().get("write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """The writing engine of ``url`` (this module's docstring)."""
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
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,  # a pooled connection that died with a server restart is replaced
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
    )


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that SQLite transactions begin IMMEDIATE (see _sqlite_begin)."""
    return engine.execution_options(write=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (the metaclass sets ``__table__``; mypy cannot see it)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]
