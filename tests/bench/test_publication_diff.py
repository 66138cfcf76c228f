"""Benchmark 9's data (part ``scaled``): two years' approval lists published through the
publication service over the generated programs, and the diff it measures between them (the
timings themselves are ``make bench``)."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.db import make_engine
from app.programs.models import Program
from app.publications import diff
from app.publications.models import Publication, PublicationLine
from bench import scaled
from bench.database import Database
from bench.generate import generate
from bench.load import load_registry, registry_in_process
from tests.backend import BACKEND
from tests.bench.test_generator_smoke import TINY


def test_two_years_of_approval_lists_are_published_and_compared(tmp_path, seeded, database_url):
    manifest = generate(tmp_path, TINY)
    load_registry(database_url, tmp_path, manifest, run=registry_in_process)
    db = Database(BACKEND, database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            expected = {
                year: session.scalar(
                    select(func.count())
                    .select_from(Program)
                    .where(
                        Program.since_year == year,
                        Program.status == "active",
                        col(Program.source).like("import:%"),
                    )
                )
                for year in scaled.DIFF_YEARS
            }
        assert all(expected.values())  # the tiny registry has programs of both years

        results = scaled.diff_results(db, repeat=1)

        with Session(engine) as session:
            lists = session.exec(
                select(Publication).where(col(Publication.series).like("bench-%"))
            ).all()
            assert lists
            assert all(p.status == "published" for p in lists)
            assert {p.year for p in lists} == set(scaled.DIFF_YEARS)
            lines = session.scalar(
                select(func.count())
                .select_from(PublicationLine)
                .join(Publication, col(Publication.id) == PublicationLine.publication_id)
                .where(col(Publication.series).like("bench-%"))
            )
            assert lines == sum(expected.values())
            first, second = (f"year:{year}" for year in scaled.DIFF_YEARS)
            result = diff.diff(session, None, from_ref=first, to_ref=second)
        assert result.kind == "years"
        earlier, later = scaled.DIFF_YEARS
        # a program is on one year's list: the years share no offering
        assert (result.summary.only_from, result.summary.only_to, result.summary.both) == (
            expected[earlier],
            expected[later],
            0,
        )
    finally:
        engine.dispose()

    labels = [r.benchmark for r in results]
    assert labels == [
        f"9. publication diff year:{earlier} → year:{later}",
        f"9. publication diff year:{earlier} → year:{later}: peak Python memory",
        "9. GET /publications/diff.csv (diff and CSV)",
        "9. GET /publications/diff.csv (diff and CSV): peak Python memory",
    ]
    assert all(r.figure is not None and r.figure > 0 for r in results), results
    assert f"only {earlier} {expected[earlier]:,}" in results[0].note
