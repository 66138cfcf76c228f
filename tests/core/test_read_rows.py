"""``db.read_rows``, the hot reads' path: every statement sees the last commit, whichever
connection made it; on SQLite each thread reads on its own connection, kept between reads and
closed with the app."""

import sqlite3
import threading

import pytest
from sqlalchemy import text

from app.db import close_sqlite_readers, read_rows, reads

VERSION = "SELECT version FROM registry_version WHERE id = 1"


def _bump(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE registry_version SET version = version + 1 WHERE id = 1"))


def test_each_read_sees_the_last_commit_of_another_connection(seeded):
    (first,) = read_rows(seeded, VERSION, ())[0]
    _bump(seeded)
    assert read_rows(seeded, VERSION, ())[0][0] == first + 1
    _bump(seeded)
    then = read_rows(seeded, VERSION, (), then=lambda rows: (VERSION, ()))
    assert then[0][0] == first + 2
    assert read_rows(seeded, VERSION + " AND 1 = 0", (), then=lambda rows: None) == []


@pytest.fixture
def sqlite_engine(seeded):
    if seeded.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL reads on connections of the read engine's pool")
    yield seeded
    close_sqlite_readers(seeded)


def test_sqlite_reads_keep_one_connection_per_thread_until_closed(sqlite_engine):
    read_rows(sqlite_engine, VERSION, ())
    mine = reads._sqlite_reader(sqlite_engine)
    read_rows(sqlite_engine, VERSION, ())
    assert reads._sqlite_reader(sqlite_engine) is mine  # kept between reads

    theirs: list = []
    worker = threading.Thread(
        target=lambda: theirs.extend(
            [read_rows(sqlite_engine, VERSION, ()), reads._sqlite_reader(sqlite_engine)]
        )
    )
    worker.start()
    worker.join()
    assert theirs[0] == read_rows(sqlite_engine, VERSION, ())
    assert theirs[1] is not mine
    assert mine.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # the engine's pragmas
    assert mine.execute("PRAGMA foreign_keys").fetchone() == (1,)

    close_sqlite_readers(sqlite_engine)
    with pytest.raises(sqlite3.ProgrammingError):
        mine.execute("SELECT 1")
    assert read_rows(sqlite_engine, VERSION, ()) == theirs[0]  # a new connection
    assert reads._sqlite_reader(sqlite_engine) is not mine
