"""``db.bulk.insert_bound`` stores what ``session.execute(insert(table), rows)`` stores: the same
values read back (a moment, JSON with Chinese and nulls, NULLs) and, in the database, the same
text — on both backends."""

from datetime import UTC, datetime

from sqlalchemy import cast, insert, select
from sqlalchemy.types import Text

from app.db import session_scope
from app.db.bulk import insert_bound
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program

EVENTS = ProgramEvent.__table__  # type: ignore[attr-defined]


def _events(program_id: int, at: datetime, source: str) -> list[dict]:
    return [
        {
            "program_id": program_id,
            "at": at,
            "action": "adopted",
            "actor": "cli:测试",
            "former_major_id": None if n % 2 else 1,
            "former_name": '名"称\\' if n % 3 else None,
            "source": source,
            "detail": {"old_code": "0101", "edition": "新版", "n": n, "x": None, "l": [1, "二"]},
        }
        for n in range(7)
    ]


def test_rows_bound_as_sqlalchemy_binds_them(seeded):
    at = datetime(2026, 12, 7, 9, 1, 2, 345678, tzinfo=UTC)
    with session_scope(seeded) as session:
        program_id = session.scalars(select(Program.id).limit(1)).one()
        session.execute(insert(EVENTS), _events(program_id, at, "orm"))
        insert_bound(session, EVENTS, _events(program_id, at, "bound"))
        insert_bound(session, EVENTS, [])  # nothing to do

    columns = [c for c in EVENTS.c if c.name not in ("id", "source")]
    stored = [cast(c, Text) for c in columns]
    with session_scope(seeded) as session:
        read = {
            source: [tuple(r) for r in session.execute(
                select(*columns).where(EVENTS.c.source == source).order_by(EVENTS.c.id)
            )]
            for source in ("orm", "bound")
        }  # fmt: skip
        text = {
            source: [tuple(r) for r in session.execute(
                select(*stored).where(EVENTS.c.source == source).order_by(EVENTS.c.id)
            )]
            for source in ("orm", "bound")
        }  # fmt: skip
    assert len(read["bound"]) == 7
    assert read["bound"] == read["orm"]
    assert text["bound"] == text["orm"]
    assert read["bound"][1][columns.index(EVENTS.c.at)].replace(tzinfo=UTC) == at
