"""A smoke run of the benchmark generator: deterministic files, loaded through `registry import`.

Only the generator and its loading are tested here; the benchmarks themselves (timings) are not
part of the suite (`make bench`).
"""

import csv
import json
from collections import Counter

from sqlalchemy import func, select
from sqlmodel import Session

from app.authorities.models import Authority, LengthRule
from app.catalog.models import Major
from app.colleges.models import College
from app.db import make_engine
from app.programs.models import Program
from bench.generate import LENGTHS, PROGRAM_HEADER, Spec, generate
from bench.load import load_registry, registry_in_process

TINY = Spec(
    colleges=20,
    national_majors=60,
    specialty_majors=5,
    programs=300,
    extra_programs=120,
    chunk=50,
    filings=(200,),
    queries=35,
    seed=7,
)
# What `registry seed` loads (tests/core/test_seed.py) before the generated registry goes in.
SEEDED = {"majors": 415, "colleges": 30, "programs": 98, "authorities": 4}


def read_rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path):
    generate(tmp_path / "a", TINY)
    generate(tmp_path / "b", TINY)
    generate(tmp_path / "c", Spec(**{**TINY.__dict__, "seed": 8}))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert "programs.csv" in names
    assert "filing_200.json" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    programs = "programs.csv"
    assert (tmp_path / "a" / programs).read_bytes() != (tmp_path / "c" / programs).read_bytes()


def test_generated_programs_are_unique_offerings_with_the_length_table_years(tmp_path):
    manifest = generate(tmp_path, TINY)
    base = read_rows(tmp_path / manifest.programs_file)
    extra = [r for name in manifest.extra_files for r in read_rows(tmp_path / name)]
    assert len(base) == 300
    assert len(extra) == 120
    assert len(manifest.extra_files) == 3
    assert list(base[0]) == PROGRAM_HEADER
    keys = Counter(
        (r["college_code"], r["major_code"], r["level"], r["intake"]) for r in base + extra
    )
    assert max(keys.values()) == 1
    assert all(int(r["length_years"]) == LENGTHS[(r["intake"], r["level"])] for r in base)
    colleges = read_rows(tmp_path / manifest.colleges_file)
    assert len(colleges) == 20
    assert len({c["name"] for c in colleges}) == 20


def count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_tiny_registry_loads_through_registry_import_with_exact_counts(
    tmp_path, seeded, database_url
):
    # `seeded`: the schema and `registry seed` (migrations are tested in tests/test_migrations.py).
    manifest = generate(tmp_path, TINY)
    timings = load_registry(database_url, tmp_path, manifest, run=registry_in_process)
    assert set(timings) == {"catalogs", "colleges", "programs", "programs_cpu"}
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            assert count(session, Major) == SEEDED["majors"] + 60 + 8 * 5
            assert count(session, College) == SEEDED["colleges"] + 20
            assert count(session, Program) == SEEDED["programs"] + 300
            assert count(session, Authority) == SEEDED["authorities"] + 7
            generated = College.code.like("%J____")  # seeded codes have three digits
            assert count(session, College, generated, College.authority_id.is_(None)) == 0
            assert count(session, LengthRule) == 9 * (2 + 7)
    finally:
        engine.dispose()


def test_generated_filing_names_one_college_and_carries_the_usual_mistakes(tmp_path):
    manifest = generate(tmp_path, TINY)
    body = json.loads((tmp_path / manifest.filings["200"]).read_text(encoding="utf-8"))
    colleges = {c["code"] for c in read_rows(tmp_path / manifest.colleges_file)}
    entries = body["entries"]
    assert body["college"] in colleges
    assert len(entries) == 200
    assert any(e["major_code"] == "" for e in entries)  # out-of-catalog proposals
    assert any(e["intake"] == "" for e in entries)  # a blank required value
    wrong_length = [
        e
        for e in entries
        if e["intake"]
        and e["level"]
        and (e["intake"], e["level"]) in LENGTHS
        and e["length_years"] != LENGTHS[(e["intake"], e["level"])]
    ]
    assert wrong_length
    keys = Counter((e["major_code"], e["level"], e["intake"]) for e in entries)
    assert max(keys.values()) > 1  # the same offering twice
