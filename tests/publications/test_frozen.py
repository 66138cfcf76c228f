"""A published list is frozen by the database as well as by the routes: a change that bypasses
the service (raw SQL) is refused, on tables made by create_all and by the migrations."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import migrate, seed

CHANGES = [
    "UPDATE publication SET title = 'x' WHERE id = :pid",
    "UPDATE publication SET status = 'draft' WHERE id = :pid",
    "DELETE FROM publication WHERE id = :pid",
    "UPDATE publication_line SET remark = 'x' WHERE publication_id = :pid",
    "DELETE FROM publication_line WHERE publication_id = :pid",
    "INSERT INTO publication_line (publication_id, position, seq, college_id, college_code, "
    "college, major_code, major_name, category, intake, level, length_years, remark) "
    "SELECT publication_id, 999, seq, college_id, college_code, college, major_code, "
    "major_name, category, intake, level, length_years, remark FROM publication_line "
    "WHERE publication_id = :pid AND position = 0",
    "UPDATE publication_specialty SET category = 'x' WHERE publication_id = :pid",
    "DELETE FROM publication_specialty WHERE publication_id = :pid",
]


def published_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM publication WHERE series = 'GZ-HRSS-2024'")
        ).scalar_one()


def checksum_and_lines(engine, pid: int) -> tuple:
    with engine.connect() as conn:
        lines = conn.execute(
            text("SELECT * FROM publication_line WHERE publication_id = :pid ORDER BY position"),
            {"pid": pid},
        ).all()
        head = conn.execute(text("SELECT * FROM publication WHERE id = :pid"), {"pid": pid}).one()
    return head, lines


def assert_frozen(engine) -> None:
    pid = published_id(engine)
    before = checksum_and_lines(engine, pid)
    for statement in CHANGES:
        with (
            pytest.raises(IntegrityError, match="a published list never changes"),
            engine.begin() as conn,
        ):
            conn.execute(text(statement), {"pid": pid})
    assert checksum_and_lines(engine, pid) == before


def test_database_refuses_changes_to_a_published_list_made_by_create_all(seeded):
    assert_frozen(seeded)


def test_database_refuses_changes_to_a_published_list_made_by_migrations(empty_engine):
    migrate.upgrade(empty_engine)
    seed.run(empty_engine)
    assert_frozen(empty_engine)


def test_a_draft_stays_editable_in_the_database(seeded):
    pid = published_id(seeded)
    with seeded.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO publication (series, revision, authority_id, system, year, title, "
                "document_number, status, line_count, created_by, created_at) SELECT series, 9, "
                "authority_id, system, year, title, '', 'draft', 0, 'test', created_at "
                "FROM publication WHERE id = :pid"
            ),
            {"pid": pid},
        )
        draft = conn.execute(text("SELECT id FROM publication WHERE revision = 9")).scalar_one()
        conn.execute(text("UPDATE publication SET title = 'ok' WHERE id = :d"), {"d": draft})
        conn.execute(text("DELETE FROM publication WHERE id = :d"), {"d": draft})
