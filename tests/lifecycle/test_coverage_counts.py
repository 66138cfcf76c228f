"""布点 counted without sorting the programs (coverage.py): every grouping and filter gives the
counts a plain pass over the programs gives — colleges counted once per key, a code of two
editions' majors one key, colleges of every type and without a city."""

from collections import defaultdict

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from app.catalog.models import Major
from app.colleges.models import College
from app.db import session_scope
from app.programs import coverage
from app.programs.models import Program
from app.vocab import TECHNICIAN_TYPES, CollegeType
from tests.core import generate

TYPES = (CollegeType.SECONDARY, *TECHNICIAN_TYPES)


@pytest.fixture
def registry(engine):
    """60 colleges of four types (some without a city) in 8 provinces, 3,000 programs (one in
    ten suspended), and code 1005 also a major of a second edition at every third college."""
    with session_scope(engine) as session:
        generate.load(session)
        colleges = session.exec(select(College).order_by(College.id)).all()
        other, _ = generate.second_edition_programs(session, "1005", colleges[::3])
        other.name = "合成专业5（新）"  # the greater name of the code's two majors
        for i, college in enumerate(colleges):
            college.type = TYPES[i % len(TYPES)].value
            college.city = None if i % 7 == 0 else college.city
    return engine


def _programs(engine) -> list[dict]:
    sql = text(
        "SELECT p.college_id, p.status, p.province, p.category, m.code, m.name, c.type, c.city"
        " FROM program p JOIN major m ON m.id = p.major_id JOIN college c ON c.id = p.college_id"
    )
    with Session(engine) as session:
        return [dict(row._mapping) for row in session.execute(sql)]


KEYS = {
    "major": lambda p: p["code"],
    "category": lambda p: p["category"],
    "province": lambda p: p["province"],
    "city": lambda p: p["city"] or "",
    "college_type": lambda p: p["type"],
}


def _expected(programs, by, status="active", province=None, system=None, major_code=None):
    types = {
        None: None,
        "technician": {t.value for t in TECHNICIAN_TYPES},
        "secondary": {CollegeType.SECONDARY.value},
    }[system]
    colleges, counts, names = defaultdict(set), defaultdict(int), defaultdict(str)
    for p in programs:
        if p["status"] != status or (province and p["province"] != province):
            continue
        if (types and p["type"] not in types) or (major_code and p["code"] != major_code):
            continue
        key = KEYS[by](p)
        colleges[key].add(p["college_id"])
        counts[key] += 1
        names[key] = max(names[key], p["name"]) if by == "major" else key
    return {k: (names[k], len(colleges[k]), n) for k, n in counts.items()}


FILTERS = [
    {},
    {"status": "suspended"},
    {"province": "四川省"},
    {"system": "technician"},
    {"system": "secondary"},
    {"major_code": "1005"},
    {"major_code": "1005", "system": "secondary", "province": "广东省"},
]


@pytest.mark.parametrize("by", list(coverage.GROUPINGS))
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(map(str, f.values())) or "all")
def test_coverage_counts_what_a_pass_over_the_programs_counts(registry, by, filters):
    programs = _programs(registry)
    want = _expected(programs, by, **filters)
    assert want  # the generated registry has programs for every filter
    with Session(registry) as session:
        items = coverage.coverage(session, by=by, **filters)
    assert {i["key"]: (i["name"], i["colleges"], i["programs"]) for i in items} == want
    assert all(type(i["colleges"]) is int and type(i["programs"]) is int for i in items)
    counts = [i["programs"] for i in items]
    assert counts == sorted(counts, reverse=True)
    if registry.dialect.name == "sqlite":  # ties by key, in SQLite's order (code points)
        assert items == sorted(items, key=lambda i: (-i["programs"], i["key"]))


def test_a_code_of_two_majors_counts_a_college_once(registry):
    """Every third college runs 1005 of both editions: a college, two majors, one key."""
    with Session(registry) as session:
        both = coverage.coverage(session, by="major", major_code="1005")
        gen = session.exec(
            select(Program.college_id)
            .join(Major, Major.id == Program.major_id)
            .where(Major.code == "1005", Program.status == "active")
        ).all()
    assert len(gen) > len(set(gen))  # some colleges have programs of both majors
    assert both == [
        {"key": "1005", "name": "合成专业5（新）", "colleges": len(set(gen)), "programs": len(gen)}
    ]
