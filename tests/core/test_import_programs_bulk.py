"""The bulk write path of registry import programs: the feed's snapshots made from the written
values, COPY's text escaping, the rebuild of the plain indexes after a big insert (both
backends; on PostgreSQL only when the table's lock comes at once)."""

import json
import re
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from app.db import table_of
from app.db.bulk import copy_text
from app.programs import bulk
from app.programs.importer import import_programs
from app.programs.models import Program
from app.programs.snapshots import program_rows
from tests.core.helpers import count
from tests.core.test_import_programs import GZ, ZHONGZHI, csv, programs_of
from tests.factories import make_college

NEW_ROWS = (
    f"{GZ},广州市技师学院,0702,现代农艺技术,农业类,初中起点,高级,5,suspended,2023",  # update
    f"{GZ},广州市技师学院,0702,现代农艺技术,农业类,初中起点,中级,3,active,2024",
    f"{GZ},广州市技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025",
    f"{ZHONGZHI},学校,700304,邮轮乘务,旅游大类,初中起点,,3,active,2023",  # no level, update
)


def _feed(engine, since: int) -> list[tuple[str, str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT op, key, data FROM change WHERE entity = 'program' AND seq > :s"),
            {"s": since},
        ).all()
    return [(op, key, json.loads(data)) for op, key, data in rows]


def _last_seq(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM change")).scalar_one()


def test_the_feed_carries_what_a_read_of_the_written_programs_gives(seeded, run):
    """The snapshots are made from the values written, not read back: they must equal the read."""
    since = _last_seq(seeded)
    result = run(import_programs, csv(*NEW_ROWS), filename="p.csv", source="import:p.csv")
    assert result.inserted >= 1
    assert result.updated >= 2
    feed = _feed(seeded, since)
    assert [op for op, _, _ in feed] == ["updated"] * result.updated + ["created"] * result.inserted
    ids = [int(key) for _, key, _ in feed]
    assert ids[: result.updated] == sorted(ids[: result.updated])
    assert ids[result.updated :] == sorted(ids[result.updated :])
    with Session(seeded) as session:
        read = {row["id"]: row for row in program_rows(session, ids)}
    assert [data for _, _, data in feed] == [read[i] for i in ids]
    assert any(data["level"] is None for _, _, data in feed)  # 中职: '' stored, null in the feed


def test_a_source_with_tab_newline_and_backslash_is_stored_as_given(seeded, run):
    """PostgreSQL writes the rows with COPY's text format, which escapes these characters."""
    source = "import:a\tb\\c\nd.csv"
    run(import_programs, csv(*NEW_ROWS[1:]), source=source)
    assert [row[-1] for row in programs_of(seeded, GZ)][-2:] == [source, source]


COPY_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


@pytest.mark.parametrize(
    "value", ["学院 plain", "a\\b", "a\tb", "a\nb", "a\rb", '{"k":"x\\"y\\\\z"}', "\\\t\n\r\\"]
)
def test_copy_text_escapes_each_character_copy_reads_specially(value):
    """What COPY's text format reads back as the value, with no raw tab, newline or CR."""
    escaped = copy_text(value)
    assert not any(c in escaped for c in "\t\n\r")
    assert re.sub(r"\\(.)", lambda m: COPY_UNESCAPE[m.group(1)], escaped) == value


def _indexes(engine) -> list[tuple[str, str]]:
    """program's indexes as (name, definition), on either backend."""
    sql = (
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'program'"
        " ORDER BY name"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'program'"
        " AND schemaname = current_schema() ORDER BY indexname"
    )
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


@pytest.fixture
def rebuilt(seeded, monkeypatch) -> list[list[str]]:
    """Every big-insert rule applied to a small file; the rebuild statements of each insert."""
    monkeypatch.setattr(bulk, "REBUILD_MIN", 1)
    monkeypatch.setattr(bulk, "REBUILD_RATIO", 1000)
    calls: list[list[str]] = []
    name = (
        "_drop_secondary_indexes"
        if seeded.dialect.name == "sqlite"
        else "_drop_secondary_indexes_pg"
    )
    drop = getattr(bulk, name)

    def recording(cursor, rows: int) -> list[str]:
        calls.append(drop(cursor, rows))
        return calls[-1]

    monkeypatch.setattr(bulk, name, recording)
    return calls


def _category_plan(engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            explain = "EXPLAIN QUERY PLAN"
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            explain = "EXPLAIN"
        query = f"{explain} SELECT id FROM program WHERE category = '农业类' ORDER BY id"
        return " ".join(str(row[-1]) for row in conn.exec_driver_sql(query))


def test_a_big_insert_rebuilds_the_plain_indexes_as_they_were(seeded, run, rebuilt):
    before = _indexes(seeded)
    result = run(import_programs, csv(*NEW_ROWS[1:]))
    assert result.inserted == 2
    plain = [i.name for i in table_of(Program).indexes if not i.unique]
    assert len(plain) == 9
    assert [len(statements) for statements in rebuilt] == [len(plain)]  # the unique one is kept
    assert _indexes(seeded) == before
    assert "ix_program_category_id" in _category_plan(seeded)


@pytest.mark.postgres_only
def test_a_big_insert_keeps_the_indexes_when_a_read_holds_the_table(
    seeded, run, rebuilt, monkeypatch
):
    """A read in progress (an export) holds program's share lock: the import does not queue
    for the exclusive one (every later read would queue behind it) but inserts with the
    indexes kept, in the same transaction."""
    monkeypatch.setattr(bulk, "REBUILD_LOCK_TIMEOUT", "50ms")
    before, programs = _indexes(seeded), count(seeded, Program)
    with seeded.connect() as reader:
        reader.exec_driver_sql("BEGIN")
        reader.exec_driver_sql("SELECT count(*) FROM program").scalar_one()
        result = run(import_programs, csv(*NEW_ROWS[1:]))
        reader.exec_driver_sql("ROLLBACK")
    assert rebuilt == [[]]
    assert result.inserted == 2
    assert count(seeded, Program) == programs + 2
    assert _indexes(seeded) == before


def test_a_failed_big_insert_leaves_indexes_and_rows_as_they_were(
    seeded, run, rebuilt, monkeypatch
):
    before, programs = _indexes(seeded), count(seeded, Program)

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "insert_values", failing)  # SQLite's insert
    monkeypatch.setattr(bulk, "copy_lines", failing)  # PostgreSQL's
    with pytest.raises(RuntimeError):
        run(import_programs, csv(*NEW_ROWS[1:]))
    assert rebuilt
    assert rebuilt[0]
    assert _indexes(seeded) == before
    assert count(seeded, Program) == programs


@pytest.mark.postgres_only
def test_a_big_insert_holds_its_colleges_as_the_row_checks_would(seeded, run, monkeypatch):
    """The rows' foreign-key triggers are skipped (``_references_held``): each college and
    major the new rows name is locked once instead, so until the import commits nobody deletes
    one (the triggers' ``FOR KEY SHARE`` per row did the same). A college with no programs yet:
    nothing else refuses its deletion."""
    monkeypatch.setattr(bulk, "REBUILD_MIN", 1)
    monkeypatch.setattr(bulk, "REBUILD_RATIO", 0)  # the indexes kept: program is not locked
    make_college(seeded, code="4401J999", name="测试技师学院")
    held: list[bool] = []
    seen: list[str] = []
    check, copy = bulk._references_held, bulk.copy_lines

    def recording(cursor, rows):
        held.append(check(cursor, rows))
        return held[-1]

    def then_delete(session, sql, lines, tick=None):
        copy(session, sql, lines, tick)
        role = session.connection().exec_driver_sql(
            "SELECT current_setting('session_replication_role')"
        )
        seen.append(role.scalar_one())  # the COPY ran as a replica
        with seeded.connect() as other:
            other.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            with pytest.raises(OperationalError) as caught:
                other.exec_driver_sql("DELETE FROM college WHERE code = '4401J999'")
            seen.append(type(caught.value.orig).__name__)

    monkeypatch.setattr(bulk, "_references_held", recording)
    monkeypatch.setattr(bulk, "copy_lines", then_delete)
    result = run(
        import_programs,
        csv(
            "4401J999,测试技师学院,0702,现代农艺技术,农业类,初中起点,中级,3,active,2024",
            "4401J999,测试技师学院,0127,机电一体化技术,机械类,高中起点,预备技师,4,active,2025",
        ),
    )
    assert held == [True]
    assert seen == ["replica", "LockNotAvailable"]
    assert result.inserted == 2
    with seeded.connect() as conn:
        role = conn.exec_driver_sql("SELECT current_setting('session_replication_role')")
        assert role.scalar_one() == "origin"
        dangling = conn.exec_driver_sql(
            "SELECT count(*) FROM program AS p WHERE NOT EXISTS"
            " (SELECT 1 FROM college AS c WHERE c.id = p.college_id)"
            " OR NOT EXISTS (SELECT 1 FROM major AS m WHERE m.id = p.major_id)"
        )
        assert dangling.scalar_one() == 0


@pytest.mark.postgres_only
def test_the_row_checks_stay_when_an_id_is_missing_or_the_role_may_not_skip_them(
    seeded, monkeypatch
):
    monkeypatch.setattr(bulk, "REBUILD_MIN", 1)
    role = f"registry_import_{uuid4().hex[:8]}"
    with seeded.connect() as conn:
        driver = conn.connection.driver_connection
        cursor = driver.cursor()
        cursor.execute("SELECT min(id), max(id) FROM college")
        first, last = cursor.fetchone()
        cursor.execute("SELECT min(id) FROM major")
        (major,) = cursor.fetchone()
        row = (first, major, "高级", "初中起点", 5, "active", 2024)
        assert bulk._references_held(cursor, [row])
        driver.rollback()
        assert not bulk._references_held(cursor, [row, (last + 1, *row[1:])])
        cursor.execute("SELECT current_setting('session_replication_role')")
        assert cursor.fetchone()[0] == "origin"
        driver.rollback()
        # a role of this transaction only: rolled back with it, nothing left on the server
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"SET LOCAL ROLE {role}")
        assert not bulk._may_skip_triggers(cursor)
        cursor.execute("RESET ROLE")
        cursor.execute(f"GRANT SET ON PARAMETER session_replication_role TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        assert bulk._may_skip_triggers(cursor)
        driver.rollback()
