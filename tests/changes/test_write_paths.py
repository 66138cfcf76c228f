"""Every write path of programs, colleges and majors records its changes: the bulk imports (Core
executemany / COPY), approvals that create programs, and a savepoint rolled back inside a
transaction that commits."""

import io
import json

import orjson
import pytest
from sqlalchemy import select, text

from app.changes import recorder
from app.db import session_scope
from app.programs.models import Program
from tests.changes.helpers import API, apply, csv_rows, programs_csv, read_feed


def _upload(client, path, data: bytes, headers, name="file.csv"):
    response = client.post(
        f"{API}/{path}", files={"file": (name, io.BytesIO(data), "text/csv")}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_imports_record_each_row_they_change_and_the_programs_of_renamed_things(
    seeded_client, admin_headers
):
    client, h = seeded_client, admin_headers
    _, start = read_feed(client, limit=500)
    export = csv_rows(client.get(f"{API}/programs.csv").content)
    header, first = export[0], export[1]
    changed = dict(zip(header, first, strict=True)) | {"status": "suspended"}
    added = dict(changed) | {"intake": "高中起点", "length_years": "3", "status": "active"}
    body = "\n".join(
        ",".join(row[c] for c in header) for row in (header_row(header), changed, added)
    )
    result = _upload(client, "programs/import", body.encode(), h)
    assert (result["inserted"], result["updated"]) == (1, 1)

    colleges = (
        "code,name,type,ownership,province,city\n"
        "4401J001,广州市技师学院（更名）,技师学院,公办,广东省,广州市\n"
    )
    assert _upload(client, "colleges/import", colleges.encode(), h)["updated"] == 1
    catalog = "code,name,category\n0219,服务机器人应用与维护（新）,电工电子类\n"
    assert _upload(client, "catalogs/technician-2022/import", catalog.encode(), h)["updated"] == 1

    items, _ = read_feed(client, since=start, limit=500)
    ops = [(i["entity"], i["op"]) for i in items]
    assert ops[:2] == [("program", "updated"), ("program", "created")]
    assert ("college", "updated") in ops
    assert ("major", "updated") in ops
    j001 = [
        i for i in items if i["entity"] == "program" and i["data"]["college_code"] == "4401J001"
    ]
    assert {i["data"]["college"] for i in j001[2:]} >= {"广州市技师学院（更名）"}

    everything, _ = read_feed(client, limit=500)
    copy: dict = {}
    apply(copy, everything)
    assert programs_csv(copy["program"]) == client.get(f"{API}/programs.csv").content


def header_row(header):
    return {c: c for c in header}


def test_a_rolled_back_savepoint_drops_its_changes_and_keeps_the_others(seeded):
    with session_scope(seeded) as session:
        ids = session.execute(select(Program.id).order_by(Program.id).limit(2)).scalars().all()
        recorder.record(session, "program", "updated", ids[0], {"kept": True})
        savepoint = session.begin_nested()
        recorder.record(session, "program", "updated", ids[1], {"kept": False})
        savepoint.rollback()
        kept = recorder.pending(session)
    assert [k for _, _, k, _ in kept] == [str(ids[0])]
    with session_scope(seeded) as session:
        last = session.execute(
            text("SELECT key FROM change ORDER BY seq DESC LIMIT 1")
        ).scalar_one()
    assert last == str(ids[0])


def test_the_programs_are_registered_as_showing_colleges_and_majors_and_nothing_else_is():
    """A college's rename reaches its programs through ``changes.snapshots`` (the colleges
    package cannot import programs); an entity nobody registered fails loudly rather than
    leaving old names in the feed."""
    from app.changes import snapshots
    from app.programs import snapshots as program_snapshots

    assert snapshots._SHOWN_IN["college"] == [program_snapshots._programs_of_colleges]
    assert snapshots._SHOWN_IN["major"] == [program_snapshots._programs_of_majors]
    with pytest.raises(LookupError):
        snapshots.record_showing(None, "program", [1])


def test_change_rows_keep_every_character_and_deletions_as_written(seeded):
    # COPY's text format on PostgreSQL: backslashes, tabs, newlines and CRs in a key or the
    # data are escaped, a deletion's data is NULL; SQLite binds the same values.
    awkward = {"name": 'a\\b\tc\nd\re \\N 引号"', "n": None}
    with session_scope(seeded) as session:
        recorder.record(session, "program", "updated", "k\t1\\2\n", awkward)
        recorder.record(session, "program", "deleted", 7, None)
        recorder.record(session, "college", "created", "\\N", [])
    with session_scope(seeded) as session:
        rows = session.execute(
            text("SELECT entity, op, key, data FROM change ORDER BY seq DESC LIMIT 3")
        ).all()
    assert [tuple(r) for r in reversed(rows)] == [
        ("program", "updated", "k\t1\\2\n", orjson.dumps(awkward).decode()),
        ("program", "deleted", "7", None),
        ("college", "created", "\\N", "[]"),
    ]
    assert json.loads(rows[2][3]) == awkward


def test_a_big_writes_changes_wait_in_a_file_and_are_written_in_order(seeded, monkeypatch):
    """Past ``SPILL_ITEMS`` the queued changes go to the transaction's temporary file (its
    memory does not grow with them), never while a savepoint is open; at commit every change is
    written in the order recorded — awkward keys and data, deletions and the rolled-back
    savepoint's drop as without the file."""
    monkeypatch.setattr(recorder, "SPILL_ITEMS", 3)
    awkward = {"name": 'a\\b\tc\nd\re \\N 引号"', "n": None}
    written = [("program", "updated", f"k\t{i}\\\n", awkward) for i in range(7)]
    written += [("program", "deleted", "7", None), ("college", "created", "\\N", [])]
    with session_scope(seeded) as session:
        for entity, op, key, data in written[:5]:
            recorder.record(session, entity, op, key, data)
        assert len(session.info[recorder.PENDING]) < 3
        savepoint = session.begin_nested()
        for i in range(4):
            recorder.record(session, "program", "updated", f"dropped {i}", {"kept": False})
        savepoint.rollback()
        for entity, op, key, data in written[5:]:
            recorder.record(session, entity, op, key, data)
        assert len(session.info[recorder.PENDING]) < 3
        expected = [
            (e, op, k, None if d is None else orjson.dumps(d).decode()) for e, op, k, d in written
        ]
        assert recorder.pending(session) == expected
    with session_scope(seeded) as session:
        rows = session.execute(
            text("SELECT entity, op, key, data FROM change ORDER BY seq DESC LIMIT 9")
        ).all()
    assert [tuple(r) for r in reversed(rows)] == expected
