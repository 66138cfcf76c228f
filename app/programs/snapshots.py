"""A program as the change feed carries it (key = id; data = the ``programs.csv`` fields and
``id``, ``level`` null for 中职: ``app.programs.readmodel`` ``FEED_FIELDS``), read after the
write is flushed, and queued with ``recorder.record``. ``programs`` returns a *change* for the
write path (``app.writes``); the bulk import records what it wrote (``programs_written``). The
programs of a renamed college or major are recorded as well (``app.changes.snapshots``,
``showing``).
"""

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.changes.recorder import Selected, record, record_many, record_selected
from app.changes.snapshots import Change, chunks, shown_in
from app.programs.models import Program
from app.programs.readmodel import FEED_FIELDS, feed_item, feed_query

PROGRAM_FIELDS = FEED_FIELDS  # the programs.csv fields and id (app.programs.readmodel)


def program_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The programs (by id, in id order) as the feed carries them."""
    query = feed_query().where(col(Program.id).in_(ids)).order_by(col(Program.id))
    return [feed_item(row) for row in session.execute(query)]


def _programs(session: Session, ids: Iterable[int], op: str = "updated") -> None:
    """Records ``op`` for each program (by id); one that no longer exists is ``deleted``."""
    session.flush()
    for chunk in chunks(ids):
        found = {row["id"]: row for row in program_rows(session, chunk)}
        for program_id in chunk:
            data = found.get(program_id)
            record(session, "program", op if data else "deleted", program_id, data)


def programs_written(
    session: Session,
    rows: Iterable[tuple[Any, ...]],
    op: str,
    *,
    colleges: dict[int, tuple[str, str]],
    majors: dict[int, tuple[str, str, str]],
) -> None:
    """Records ``op`` for programs a bulk write has just written, from the values it wrote
    rather than read back: rows of (id, college_id, major_id, level, intake, length_years,
    status, since_year); ``colleges``: id -> (code, name); ``majors``: id -> (code, name,
    category). The same data as ``programs`` reads (``program_rows``), in the order given.
    Touches no connection (it may run while a COPY is open on it), so the bulk import calls
    it directly rather than through ``app.writes`` (which flushes first)."""
    record_many(
        session,
        "program",
        op,
        (
            (
                row[0],
                {  # FEED_FIELDS, in order, as a literal: the fastest dict per row at 150,000
                    "id": row[0],  # (tests/core/test_read_model.py holds it to FEED_FIELDS)
                    "college_code": colleges[row[1]][0],
                    "college": colleges[row[1]][1],
                    "major_code": majors[row[2]][0],
                    "major_name": majors[row[2]][1],
                    "category": majors[row[2]][2],
                    "intake": row[4],
                    "level": row[3] or None,  # '' is stored for 中职 (no level)
                    "length_years": row[5],
                    "status": row[6],
                    "since_year": row[7],
                },
            )
            for row in rows
        ),
    )


# The feed's fields (FEED_FIELDS, in order) as SQL over program p, college c, major m and
# category k — readmodel.COLUMNS' columns, joined as readmodel.joined joins them.
SQL_FIELDS = {
    "id": "p.id",
    "college_code": "c.code",
    "college": "c.name",
    "major_code": "m.code",
    "major_name": "m.name",
    "category": "k.name",
    "intake": "p.intake",
    "level": "NULLIF(p.level, '')",  # '' is stored for 中职 (no level)
    "length_years": "p.length_years",
    "status": "p.status",
    "since_year": "p.since_year",
}
assert tuple(SQL_FIELDS) == FEED_FIELDS


# The programs' feed rows as the database makes them at commit (``Selected``): SQLite's
# ``json_object`` writes the bytes ``record`` would (tests/changes/test_selected.py).
_SELECTED_DATA = "json_object(" + ", ".join(f"'{n}', {sql}" for n, sql in SQL_FIELDS.items()) + ")"
_SELECTED_FROM = (
    "FROM program AS p JOIN college AS c ON c.id = p.college_id"
    " JOIN major AS m ON m.id = p.major_id JOIN category AS k ON k.id = m.category_id"
)


def _selected(session: Session, op: str, where: str, params: dict[str, Any]) -> None:
    record_selected(
        session,
        Selected(
            entity="program",
            op=op,
            key="CAST(p.id AS TEXT)",
            data=_SELECTED_DATA,
            source=f"{_SELECTED_FROM} WHERE {where} ORDER BY p.id",
            params=params,
        ),
    )


def programs_created(session: Session, first: int, last: int) -> None:
    """Records ``created`` for the programs of ids ``first``…``last`` that a bulk insert has
    just written (SQLite): their rows are made by the database at commit (``Selected``), without
    a Python dict and JSON string a program (0.6× the CPU of ``programs_written`` and its insert
    at 150,000 programs). Nothing may change them before the transaction commits."""
    _selected(session, "created", "p.id BETWEEN :first AND :last", {"first": first, "last": last})


def programs_as_committed(ids: Iterable[int], op: str = "updated") -> Change:
    """``op`` for each program (by id, in id order) as it stands at commit: on SQLite its row is
    made by the database then (``Selected``, a statement for each ``chunks``' worth of ids; no
    read back, dict and JSON string a program here), elsewhere read now (``programs``). For
    programs that nothing changes again or deletes before the transaction commits (an adoption
    writes each program once)."""
    ids = list(ids)

    def change(session: Session) -> None:
        if session.get_bind().dialect.name != "sqlite":
            _programs(session, ids, op)
            return
        for chunk in chunks(ids):
            _selected(
                session,
                op,
                "p.id IN (SELECT value FROM json_each(:ids))",
                {"ids": orjson.dumps(chunk).decode()},
            )

    return change


def _programs_of(
    session: Session, *, college_ids: Iterable[int] = (), major_ids: Iterable[int] = ()
) -> None:
    """An update of every program of these colleges or majors (their names show in it)."""
    session.flush()
    ids: set[int] = set()
    for column, keys in ((Program.college_id, college_ids), (Program.major_id, major_ids)):
        for chunk in chunks(keys):
            found = select(Program.id).where(column.in_(chunk))  # type: ignore[call-overload,attr-defined]
            ids.update(session.execute(found).scalars())
    _programs(session, ids, "updated")


@shown_in("college")
def _programs_of_colleges(session: Session, ids: list[int]) -> None:
    """A program shows its college's name (``programs.csv``): a rename updates it."""
    _programs_of(session, college_ids=ids)


@shown_in("major")
def _programs_of_majors(session: Session, ids: list[int]) -> None:
    """A program shows its major's name and category: a new one updates it."""
    _programs_of(session, major_ids=ids)


# --- the changes the write path runs (app.writes): each records when given the session -----


def programs(ids: Iterable[int], op: str = "updated") -> Change:
    """``op`` for each program (by id); one that no longer exists is ``deleted``."""
    ids = list(ids)
    return lambda session: _programs(session, ids, op)
