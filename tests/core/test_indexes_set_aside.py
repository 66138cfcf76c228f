"""``db.bulk.indexes_set_aside``: on SQLite the indexes are gone inside the block and made again
after it from their own stored SQL (a new B-tree: another root page), in the block's
transaction — a unique index made again refuses what the block broke, and the rollback brings
every index back as it was; on PostgreSQL nothing is dropped (it would lock the table for every
reader)."""

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.db import session_scope
from app.db.bulk import indexes_set_aside
from app.db.engines import writer
from app.programs.models import Program

NAMES = ["ix_program_major_id_id", "uq_program_active_offering"]


def _indexes(conn: Connection) -> dict[str, tuple[object, str]]:
    """name -> (the B-tree it is: root page or oid, its definition) of NAMES that exist."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name, rootpage, sql FROM sqlite_master WHERE type = 'index'"
    else:
        query = (
            "SELECT c.relname, c.oid, pg_get_indexdef(c.oid) FROM pg_class AS c"
            " JOIN pg_namespace AS n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'i' AND n.nspname = current_schema()"
        )
    return {n: (page, sql) for n, page, sql in conn.execute(text(query)) if n in NAMES}


def _a_copy(session: Session) -> Program:
    """An active program's offering a second time (what the unique index refuses)."""
    p = session.execute(text("SELECT * FROM program WHERE status = 'active' LIMIT 1")).one()
    return Program(
        college_id=p.college_id,
        major_id=p.major_id,
        level=p.level,
        intake=p.intake,
        length_years=p.length_years,
        since_year=p.since_year,
    )


def test_set_aside_and_made_again(seeded):
    with session_scope(seeded) as session:
        conn = session.connection()
        before = _indexes(conn)
        assert sorted(before) == NAMES
        with indexes_set_aside(session, NAMES):
            inside = _indexes(conn)
            session.execute(text("UPDATE program SET major_id = major_id"))
        after = _indexes(conn)
    with session_scope(seeded) as session:
        committed = _indexes(session.connection())
    assert after == committed
    assert {n: sql for n, (_, sql) in committed.items()} == {
        n: sql for n, (_, sql) in before.items()
    }
    if seeded.dialect.name == "sqlite":
        assert inside == {}
        assert all(committed[n][0] != before[n][0] for n in NAMES)  # built anew
    else:
        assert inside == before == committed  # nothing dropped


def test_a_broken_unique_index_refused_and_rolled_back(seeded):
    sqlite = seeded.dialect.name == "sqlite"
    flushed: list[bool] = []

    def copied(session: Session) -> None:
        with indexes_set_aside(session, NAMES):
            session.add(_a_copy(session))
            session.flush()  # SQLite: no index refuses it yet; PostgreSQL's still does
            flushed.append(True)

    with Session(writer(seeded)) as session:
        before = _indexes(session.connection())
        with pytest.raises(IntegrityError):
            copied(session)
        assert flushed == ([True] if sqlite else [])  # SQLite's, made again, refuses it at the end
        session.rollback()
        assert _indexes(session.connection()) == before
        session.rollback()


def test_nothing_to_set_aside(seeded):
    with session_scope(seeded) as session:
        before = _indexes(session.connection())
        with indexes_set_aside(session, []):
            assert _indexes(session.connection()) == before
        with indexes_set_aside(session, ["no_such_index"]):
            assert _indexes(session.connection()) == before
        assert _indexes(session.connection()) == before
