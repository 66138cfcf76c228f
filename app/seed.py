"""``registry seed``: load ``seed/`` into the registry. Idempotent: only missing rows are added."""

import csv
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.authorities.models import Authority, AuthorityCatalog, CollegeTypeLevel, LengthRule
from app.catalog import service as catalog
from app.catalog.models import CatalogEdition, Major
from app.catalog.schemas import MajorCreate
from app.colleges import service as colleges
from app.colleges.models import College, CollegeNameHistory
from app.db import session_scope
from app.programs.models import Program
from app.programs.service import resolve_major

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
SEED_EPOCH = "2024-01-01T00:00:00+00:00"


def rows(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_editions(session: Session) -> int:
    added = 0
    for row in rows("editions.csv"):
        edition = session.exec(select(CatalogEdition).where(CatalogEdition.key == row["key"])).first()
        if edition is None:
            base = catalog.get_edition(session, row["supplements"]) if row["supplements"] else None
            kind = "supplement" if base else ("provincial" if row["province"] else "national")
            edition = CatalogEdition(
                key=row["key"], title=row["title"], system=row["system"], kind=kind,
                province=row["province"] or None, year=int(row["year"]) if row["year"] else None,
                supplements_id=base.id if base else None, partial=row["partial"] == "true",
                note=row["note"],
            )
            session.add(edition)
            session.flush()
        added += seed_majors(session, edition, row["file"])
    return added


def seed_majors(session: Session, edition: CatalogEdition, file: str) -> int:
    existing = set(session.exec(select(Major.code).where(Major.edition_id == edition.id)).all())
    added = 0
    for row in rows(file):
        if row["code"] in existing:
            continue
        data = MajorCreate(
            code=row["code"], name=row["name"], category=row["category"],
            levels=row["levels"].split("|") if row.get("levels") else None,
            class_name=row.get("class_name") or None,
            added_year=int(row["added_year"]) if row.get("added_year") else None,
        )
        category_code = row.get("category_code") or (
            row["code"][:2] if edition.system == "technician" and edition.kind == "national" else None
        )
        cat_id = catalog.category_id(session, edition, row["category"], category_code)
        assert edition.id is not None
        session.add(
            catalog.new_major(edition.id, cat_id, data, proposed_by=row.get("proposed_by") or None)
        )
        added += 1
    session.flush()
    return added


def seed_authorities(session: Session) -> int:
    added = 0
    for row in rows("authorities.csv"):
        if session.exec(select(Authority).where(Authority.code == row["code"])).first():
            continue
        parent = session.exec(select(Authority).where(Authority.code == row["parent"])).first()
        authority = Authority(
            code=row["code"], name=row["name"], level=row["level"], system=row["system"],
            province=row["province"], city=row["city"] or None,
            parent_id=parent.id if parent else None,
        )
        session.add(authority)
        session.flush()
        for key in row["catalogs"].split("|"):
            edition = catalog.get_edition(session, key)
            assert authority.id is not None and edition.id is not None
            session.add(AuthorityCatalog(authority_id=authority.id, edition_id=edition.id))
        added += 1
    session.flush()
    return added


def _authority_id(session: Session, code: str) -> int:
    authority = session.exec(select(Authority).where(Authority.code == code)).one()
    assert authority.id is not None
    return authority.id


def seed_rules(session: Session) -> int:
    added = 0
    for row in rows("length_rules.csv"):
        aid = _authority_id(session, row["authority"])
        key = (LengthRule.authority_id == aid, LengthRule.intake == row["intake"],
               LengthRule.level == row["level"])
        if not session.exec(select(LengthRule).where(*key)).first():
            session.add(LengthRule(authority_id=aid, intake=row["intake"], level=row["level"],
                                   years=int(row["years"])))
            added += 1
    for row in rows("college_type_levels.csv"):
        aid = _authority_id(session, row["authority"])
        key = (CollegeTypeLevel.authority_id == aid,
               CollegeTypeLevel.college_type == row["college_type"],
               CollegeTypeLevel.level == row["level"])
        if not session.exec(select(CollegeTypeLevel).where(*key)).first():
            session.add(CollegeTypeLevel(authority_id=aid, college_type=row["college_type"],
                                         level=row["level"]))
            added += 1
    session.flush()
    return added


def seed_colleges(session: Session) -> int:
    added = 0
    for row in rows("colleges.csv"):
        if session.exec(select(College).where(College.code == row["code"])).first():
            continue
        session.add(College(
            **row, authority_id=colleges.governing_authority(
                session, province=row["province"], city=row["city"], college_type=row["type"]),
        ))
        added += 1
    session.flush()
    from datetime import datetime

    for row in rows("college_aliases.csv"):
        college = colleges.get_by_code(session, row["code"])
        known = select(CollegeNameHistory).where(CollegeNameHistory.name == row["name"])
        if not session.exec(known).first():
            session.add(CollegeNameHistory(college_id=college.id, name=row["name"],
                                           type=college.type,
                                           until=datetime.fromisoformat(SEED_EPOCH)))
            added += 1
    session.flush()
    return added


def seed_programs(session: Session) -> int:
    added = 0
    for row in rows("programs_gz2024.csv"):
        college = colleges.get_by_code(session, row["college_code"])
        major = resolve_major(session, row["major_code"], edition=None, province=college.province)
        key = (Program.college_id == college.id, Program.major_id == major.id,
               Program.level == row["level"], Program.intake == row["intake"])
        if session.exec(select(Program).where(*key)).first():
            continue
        session.add(Program(
            college_id=college.id, major_id=major.id, level=row["level"], intake=row["intake"],
            length_years=int(row["length_years"]), status=row["status"],
            since_year=int(row["since_year"]), source="seed:gz2024",
        ))
        added += 1
    session.flush()
    return added


# Each step adds what is missing and returns how many rows it added. Later domains append theirs.
STEPS: list[tuple[str, Callable[[Session], int]]] = [
    ("catalogs", seed_editions),
    ("authorities", seed_authorities),
    ("rules", seed_rules),
    ("colleges", seed_colleges),
    ("programs", seed_programs),
]


def run(engine: Engine) -> dict[str, int]:
    """Run every step in one transaction; returns rows added per step (all 0 on a second run)."""
    with session_scope(engine) as session:
        return {name: step(session) for name, step in STEPS}
