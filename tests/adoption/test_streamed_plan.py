"""``adoption.csv`` / ``.xlsx`` are computed in chunks while they stream (app/adoption/stream.py):
the same bytes as the whole plan, at any chunk size, from one state of the registry."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session

from app.adoption import decisions, export, stream
from app.db import session_scope
from app.programs.models import Program
from app.spreadsheets import writing
from tests.adoption import plan_reference
from tests.adoption.helpers import ADOPTION, NEW, OLD, major_id, plan_csv


def _whole(engine) -> bytes:
    """The CSV of the plan held whole, as ``adoption.csv`` was written before it streamed."""
    with Session(engine) as session:
        return plan_csv(plan_reference.preview(session, NEW, from_key=OLD))


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_the_streamed_csv_is_the_whole_plans_csv_at_any_chunk_size(
    seeded_client, seeded, varied, monkeypatch, chunk
):
    monkeypatch.setattr(stream, "BATCH_ROWS", chunk)
    whole = _whole(seeded)
    rows = list(csv.DictReader(io.StringIO(whole.decode("utf-8-sig"))))
    plans = [r["plan"] for r in rows]
    # every kind of line, each section in one block, collisions with a program already there
    assert plans == sorted(plans, key=["needs_decision", "collision", "withdrawn", "moved"].index)
    collisions = {r["old_code"]: r["relation"] for r in rows if r["plan"] == "collision"}
    assert set(collisions) == {"0528", "0610"}
    listed = {r["program_id"] for r in rows}
    assert collisions["0610"].removeprefix("merged into ") not in listed  # the one already there
    assert "suspended" in {r["status"] for r in rows if r["plan"] == "moved"}

    response = seeded_client.get(f"{ADOPTION}.csv", params={"from": OLD})
    assert response.status_code == 200
    assert response.content == whole
    assert response.headers["content-disposition"].startswith(
        f'attachment; filename="adoption_{OLD}_{NEW}.csv"'
    )
    bare = seeded_client.get(f"{ADOPTION}.csv", params={"from": OLD, "bom": "false"})
    assert bare.content == whole.removeprefix("\ufeff".encode())

    # the XLSX: the same cells (codes as text), and it is a decisions file too
    book = seeded_client.get(f"{ADOPTION}.xlsx", params={"from": OLD}).content
    cells = [
        ["" if v is None else str(v) for v in row]
        for row in load_workbook(io.BytesIO(book), read_only=True)["adoption"].iter_rows(
            values_only=True
        )
    ]
    assert cells == list(csv.reader(io.StringIO(whole.decode("utf-8-sig"))))
    read = decisions.from_file(book, filename="plan.xlsx", max_rows=1000)
    assert [cells["old_code"] for _, cells in read] == [r["old_code"] for r in rows]


def test_after_applying_the_plan_left_streams_alike(seeded_client, seeded, admin_headers, varied):
    """Applied with kept programs: the new majors have programs now (every target can collide),
    the kept programs are left alone until their day."""
    body = {
        "from": OLD,
        "apply": True,
        "decisions": [
            {**d, "new_code": "0321"}
            for d in seeded_client.post(ADOPTION, json={"from": OLD}, headers=admin_headers).json()[
                "needs_decision"
            ]
        ],
        "keep_until": "2099-08-31",
    }
    assert seeded_client.post(ADOPTION, json=body, headers=admin_headers).status_code == 200
    response = seeded_client.get(f"{ADOPTION}.csv", params={"from": OLD})
    assert response.status_code == 200
    assert response.content == _whole(seeded)
    assert response.content.decode("utf-8-sig").count("\r\n") == 1  # nothing left but the header


def test_the_plan_is_read_from_one_state_of_the_registry(seeded, varied, monkeypatch):
    """A program withdrawn while the plan is being written still moves in it: every section is
    read in the transaction the first one began."""
    monkeypatch.setattr(stream, "BATCH_ROWS", 2)
    whole = _whole(seeded)
    with stream.opened(seeded, NEW, OLD) as plan:
        batches = export.lines(plan)
        first = next(batches)
        assert first
        assert first[0][5] == "needs_decision"
        with session_scope(seeded) as session:
            session.execute(
                update(Program)
                .where(Program.id == max(r[-1] for r in first))  # type: ignore[arg-type]
                .values(status="withdrawn")
            )
            session.execute(
                update(Program)
                .where(Program.major_id == major_id(session, OLD, "0127"))  # type: ignore[arg-type]
                .values(status="withdrawn")
            )
        rows = [first, *batches]
    again = export.csv_stream(seeded, NEW, OLD)
    assert b"".join(writing_of(rows)) == whole
    assert b"".join(again) != whole  # the next download sees the withdrawn programs


def writing_of(batches: list[list[tuple]]) -> list[bytes]:
    guarded = [[[writing.guard(cell) for cell in row] for row in batch] for batch in batches]
    return list(writing.csv_chunks(export.HEADER, guarded))


def test_the_editions_are_checked_before_the_download_starts(seeded_client, new_edition):
    missing = seeded_client.get(f"{ADOPTION}.csv", params={"from": "technician-1999"})
    assert missing.status_code == 404
    same = seeded_client.get(f"{ADOPTION}.xlsx", params={"from": NEW})
    assert same.status_code == 422
