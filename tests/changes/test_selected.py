"""Feed rows the database makes at commit (``recorder.Selected``): on SQLite an import's new
programs. SQLite's ``json_object`` must write the bytes ``record`` writes (orjson), the rows keep
their place in the order recorded (spilled or not), and they are the programs' state."""

import sqlite3

import orjson
import pytest
from sqlalchemy import text

from app.changes import recorder
from app.db import session_scope
from app.programs.importer import import_programs
from app.programs.snapshots import program_rows
from tests.conftest import BACKEND
from tests.core.conftest import ADMIN

HEADER = (
    "college_code,college,major_code,major_name,category,intake,level,length_years,status,"
    "since_year\n"
)
AWKWARD = [
    '"',
    "\\",
    "/",
    "<>&'",
    "\u2028\u2029",
    "😀",
    "广州市技师学院（更名）",
    "\x7f",
    "\ufeff",
    "a\x00b",
    *(chr(c) for c in range(1, 32)),
]


def test_sqlites_json_object_writes_orjsons_bytes():
    """Every character a name could hold and the numbers a program has, as the feed stores them
    through ``record`` (orjson) and through SQLite's ``json_object``."""
    db = sqlite3.connect(":memory:")
    values = [*AWKWARD, "".join(AWKWARD), 0, -1, 2024, 2**31, 2**62, None]
    for value in values:
        (made,) = db.execute("SELECT json_object('id', 7, 'k', ?)", (value,)).fetchone()
        assert made == orjson.dumps({"id": 7, "k": value}).decode(), repr(value)


def _feed_since(engine, seq: int) -> list[tuple]:
    with session_scope(engine) as session:
        query = text("SELECT seq, entity, op, key, data FROM change WHERE seq > :s ORDER BY seq")
        return [tuple(r) for r in session.execute(query, {"s": seq})]


def _last_seq(engine) -> int:
    with session_scope(engine) as session:
        return session.execute(text("SELECT COALESCE(MAX(seq), 0) FROM change")).scalar_one()


def test_an_imports_new_programs_are_fed_as_read_back_in_id_order(seeded):
    """One file updating a program and adding three (a 中职 one without a level): the update's
    item first, then the new programs' in id order, each the read model's state byte for byte —
    made by the database at commit on SQLite (one queued ``Selected``), from the written values
    on PostgreSQL."""
    gz, zz = "4401J001,广州市技师学院", "4401Z001,广州市旅游商务职业学校"
    data = (
        HEADER
        + f"{gz},0702,现代农艺技术,农业类,初中起点,高级,5,suspended,2023\n"
        + f"{gz},0702,现代农艺技术,农业类,初中起点,中级,3,active,2024\n"
        + f"{gz},0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025\n"
        + f"{zz},700301,船舶驾驶,交通运输大类,初中起点,,3,active,2024\n"
    ).encode()
    start = _last_seq(seeded)
    with session_scope(seeded) as session:
        result = import_programs(session, data, actor=ADMIN)
        queued = recorder.pending(session)
    assert (result.inserted, result.updated) == (3, 1)
    selected = [item for item in queued if isinstance(item, recorder.Selected)]
    assert len(selected) == (1 if BACKEND == "sqlite" else 0)

    feed = [row for row in _feed_since(seeded, start) if row[1] == "program"]
    assert [op for _, _, op, _, _ in feed] == ["updated", "created", "created", "created"]
    created = [int(key) for _, _, op, key, _ in feed if op == "created"]
    assert created == sorted(created)
    with session_scope(seeded) as session:
        for _, _, _, key, data_json in feed:
            [state] = program_rows(session, [int(key)])
            assert data_json == orjson.dumps(state).decode()
    assert orjson.loads(feed[-1][4])["level"] is None  # the 中职 program


def _updated(data: str, source: str, params: dict) -> recorder.Selected:
    """Programs' ``updated`` rows made at commit: ``data`` over ``source`` (FROM program …)."""
    return recorder.Selected("program", "updated", "CAST(id AS TEXT)", data, source, params)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's: PostgreSQL refuses it (next test)")
def test_a_selected_item_keeps_its_place_when_the_queue_spills(seeded, monkeypatch):
    """Items before and after it, the queue spilled to its file around it (SPILL_ITEMS 3): the
    rows in the order recorded."""
    monkeypatch.setattr(recorder, "SPILL_ITEMS", 3)
    start = _last_seq(seeded)
    with session_scope(seeded) as session:
        first, last = session.execute(text("SELECT MIN(id), MAX(id) FROM program")).one()
        recorder.record(session, "college", "updated", "before", {"n": 1})
        recorder.record_selected(
            session,
            _updated(
                "json_object('id', id, 'x', 'a\"\\b')",
                "FROM program WHERE id BETWEEN :lo AND :hi ORDER BY id DESC",
                {"lo": first, "hi": last},
            ),
        )
        for i in range(4):
            recorder.record(session, "college", "updated", f"after {i}", None)
        assert recorder.SPILLED in session.info
    rows = [(op, key, data) for _, _, op, key, data in _feed_since(seeded, start)]
    ids = list(range(last, first - 1, -1))
    with session_scope(seeded) as session:
        present = set(session.execute(text("SELECT id FROM program")).scalars())
    expected = [("updated", "before", '{"n":1}')]
    expected += [("updated", str(i), f'{{"id":{i},"x":"a\\"\\\\b"}}') for i in ids if i in present]
    expected += [("updated", f"after {i}", None) for i in range(4)]
    assert rows == expected


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's: PostgreSQL refuses it (next test)")
def test_selected_items_alone_spill_as_records_do(seeded, monkeypatch):
    """An adoption queues one a chunk of programs (``programs_as_committed``): past
    SPILL_SELECTED queued items they go to the file, as ``record``'s do past SPILL_ITEMS (sooner:
    each is bigger), so the queue's memory stays flat, and their rows keep the order recorded."""
    monkeypatch.setattr(recorder, "SPILL_SELECTED", 3)
    start = _last_seq(seeded)
    with session_scope(seeded) as session:
        ids = list(session.execute(text("SELECT id FROM program ORDER BY id LIMIT 10")).scalars())
        for program_id in reversed(ids):
            one = _updated("json_object('id', id)", "FROM program WHERE id = :n", {"n": program_id})
            recorder.record_selected(session, one)
            assert len(session.info[recorder.PENDING]) < 3
        assert recorder.SPILLED in session.info
        # read back at the commit a Selected item at a time, not the file's worth
        blocks = [len(block) for block in recorder._queued(session)]
        assert max(blocks) == 1
        assert sum(blocks) == 10
    rows = [(op, key, data) for _, _, op, key, data in _feed_since(seeded, start)]
    assert len(ids) == 10
    assert rows == [("updated", str(i), f'{{"id":{i}}}') for i in reversed(ids)]


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's refusal (SQLite: test above)")
def test_postgresql_refuses_rows_made_by_the_database(seeded):
    item = recorder.Selected("program", "created", "'1'", "'{}'", "", {})
    with session_scope(seeded) as session, pytest.raises(ValueError, match="SQLite"):
        recorder.record_selected(session, item)
