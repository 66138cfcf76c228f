"""Benchmark 7's apply (part ``scaled``) repeated on one database: each call rolls back, and on
PostgreSQL the rows it wrote are vacuumed away after it, untimed, so every repeat meets the
tables the first met (PostgreSQL keeps a rolled-back update's dead rows and index entries until a
vacuum; SQLite's rollback leaves none). The timings themselves are ``make bench``."""

import psycopg
from sqlalchemy import text

from app.db import make_engine
from bench import scaled
from bench.database import Database
from bench.generate import generate
from bench.load import load_registry, registry_in_process
from tests.backend import BACKEND
from tests.bench.test_generator_smoke import TINY


def _majors(url: str) -> list[tuple[int, int]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, major_id FROM program ORDER BY id"))
            return [tuple(r) for r in rows]
    finally:
        engine.dispose()


def _vacuums(db: Database) -> dict[str, int]:
    """Manual vacuums so far of the tables an apply writes (this test's schema)."""
    with psycopg.connect(db.libpq, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT relname, vacuum_count FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(%s)",
            (list(scaled.ADOPTION_WRITES),),
        ).fetchall()
    return dict(rows)


def test_each_rolled_back_apply_leaves_the_tables_as_the_first_found_them(
    tmp_path, seeded, database_url
):
    manifest = generate(tmp_path, TINY)
    load_registry(database_url, tmp_path, manifest, run=registry_in_process)
    db = Database(BACKEND, database_url)
    before = _majors(database_url)
    vacuumed = _vacuums(db) if BACKEND == "postgresql" else {}

    results = scaled.adoption_results(db, tmp_path, repeat=2)

    applied = next(r for r in results if r.benchmark.endswith("applied (rolled back)"))
    assert applied.figure is not None
    assert "codes crosswalked" in applied.note  # it ran
    assert _majors(database_url) == before  # every apply rolled back
    if BACKEND == "postgresql":
        after = _vacuums(db)
        # two timed applies and the one measuring memory, each followed by its vacuum
        assert after == {t: vacuumed.get(t, 0) + 3 for t in scaled.ADOPTION_WRITES}
