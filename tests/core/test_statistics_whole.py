"""SQLite's planner statistics after a big import are read from every index entry: sampled
(``analysis_limit``) they looked at the first entries of ``(status, id)`` only — all of one
status — and told the planner a status was a few thousand programs where it was most of them
(app/programs/bulk.py ``refresh_statistics``; the 布点 of active programs then sorted them)."""

import pytest
from sqlalchemy import text

from app.db import session_scope
from tests.core import generate


def test_a_big_import_leaves_the_statistics_of_every_program(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's sqlite_stat1; PostgreSQL's ANALYZE samples rows, not index heads")
    with session_scope(engine) as session:
        generate.load(session, colleges=250, per_college=100)  # 25,000 programs, 10% suspended
    with engine.connect() as conn:
        stat = conn.execute(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_program_status_id'")
        ).scalar_one()
        statuses = conn.execute(text("SELECT count(DISTINCT status) FROM program")).scalar_one()
    rows, per_status, _ = map(int, stat.split())
    assert rows == 25_000
    assert per_status == 25_000 // statuses  # SQLite's average rows a status: 12,500
