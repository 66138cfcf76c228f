"""Sessions outside a request: one per unit of work of the CLI and seed (``session_scope``), one
read transaction for a long read (``snapshot``). A request's session is ``app.db.depends``'s.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.db.engines import writer


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


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One connection in one read transaction, so that every query of a long read (a plan, a
    diff written while it is read) sees the same registry: REPEATABLE READ on PostgreSQL; on
    SQLite a deferred transaction, whose first read fixes the WAL snapshot."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn
