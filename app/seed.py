"""``registry seed``: load ``seed/`` into the registry. Idempotent: only missing rows are added."""

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app import writes
from app.access.principal import Principal, Role
from app.authorities import service as authorities
from app.authorities.models import Authority, AuthorityCatalog, CollegeTypeLevel, LengthRule
from app.catalog import service as catalog
from app.catalog.importer import import_catalog
from app.catalog.schemas import EditionOptions
from app.changes.recorder import mark_written
from app.colleges import service as colleges
from app.colleges import snapshots
from app.colleges.importer import import_colleges
from app.colleges.models import CollegeNameHistory
from app.db import session_scope
from app.directions.importer import import_directions
from app.programs.importer import import_programs
from app.publications.seed import seed_publications
from app.vocab import System

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"
SEED_EPOCH = "2024-01-01T00:00:00+00:00"
# Seed rows are loaded through the import services; a change they make is audited under this name.
SEED_ACTOR = Principal(name="seed", role=Role.ADMIN)


def rows(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _bytes(name: str) -> bytes:
    return (SEED_DIR / name).read_bytes()


def seed_editions(session: Session) -> int:
    """Each catalog file goes through the catalog import service (upsert: a re-run is a no-op)."""
    added = 0
    for row in rows("editions.csv"):
        options = EditionOptions(
            title=row["title"],
            system=System(row["system"]),
            province=row["province"] or None,
            supplements=row["supplements"] or None,
            year=int(row["year"]) if row["year"] else None,
            partial=row["partial"] == "true",
            note=row["note"],
        )
        added += import_catalog(
            session,
            _bytes(row["file"]),
            key=row["key"],
            options=options,
            actor=SEED_ACTOR,
            filename=row["file"],
            record_noop=False,
        ).changed
    return added


def seed_authorities(session: Session) -> int:
    added = 0
    for row in rows("authorities.csv"):
        if authorities.find_by_code(session, row["code"]):
            continue
        parent = authorities.find_by_code(session, row["parent"]) if row["parent"] else None
        authority = Authority(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            system=row["system"],
            province=row["province"],
            city=row["city"] or None,
            parent_id=parent.id if parent else None,
            notice_required=int(row.get("notice_days") or 0) > 0,
            notice_days=int(row.get("notice_days") or 0),
        )
        session.add(authority)
        session.flush()
        for key in row["catalogs"].split("|"):
            edition = catalog.get_edition(session, key)
            assert authority.id is not None
            assert edition.id is not None
            session.add(AuthorityCatalog(authority_id=authority.id, edition_id=edition.id))
        added += 1
    session.flush()
    return added


def _authority_id(session: Session, code: str) -> int:
    authority = authorities.get_by_code(session, code)
    assert authority.id is not None
    return authority.id


def seed_rules(session: Session) -> int:
    added = 0
    for row in rows("length_rules.csv"):
        aid = _authority_id(session, row["authority"])
        key = (
            LengthRule.authority_id == aid,
            LengthRule.intake == row["intake"],
            LengthRule.level == row["level"],
        )
        if not session.exec(select(LengthRule).where(*key)).first():
            session.add(
                LengthRule(
                    authority_id=aid,
                    intake=row["intake"],
                    level=row["level"],
                    years=int(row["years"]),
                )
            )
            added += 1
    for row in rows("college_type_levels.csv"):
        aid = _authority_id(session, row["authority"])
        key = (
            CollegeTypeLevel.authority_id == aid,
            CollegeTypeLevel.college_type == row["college_type"],
            CollegeTypeLevel.level == row["level"],
        )
        if not session.exec(select(CollegeTypeLevel).where(*key)).first():
            session.add(
                CollegeTypeLevel(
                    authority_id=aid, college_type=row["college_type"], level=row["level"]
                )
            )
            added += 1
    session.flush()
    return added


def seed_colleges(session: Session) -> int:
    added = import_colleges(
        session,
        _bytes("colleges.csv"),
        actor=SEED_ACTOR,
        filename="colleges.csv",
        record_noop=False,
    ).changed
    aliased = []
    for row in rows("college_aliases.csv"):
        college = colleges.get_by_code(session, row["code"])
        known = select(CollegeNameHistory).where(CollegeNameHistory.name == row["name"])
        if not session.exec(known).first():
            assert college.id is not None
            aliased.append(college.id)
            session.add(
                CollegeNameHistory(
                    college_id=college.id,
                    name=row["name"],
                    type=college.type,
                    until=datetime.fromisoformat(SEED_EPOCH),
                )
            )
            added += 1
    session.flush()
    # a former name shows in the college's public record
    writes.changed(session, snapshots.colleges(aliased))
    return added


def seed_programs(session: Session) -> int:
    return import_programs(
        session,
        _bytes("programs_gz2024.csv"),
        actor=SEED_ACTOR,
        filename="programs_gz2024.csv",
        source="seed:gz2024",
        record_noop=False,
    ).changed


def seed_directions(session: Session) -> int:
    """The 专业方向 广州市教育局 recorded in 2024 (附件3 of its 中职 notice)."""
    name = "source/gz2024_secondary_name_normalisation.csv"
    return import_directions(
        session, _bytes(name), actor=SEED_ACTOR, filename=name, year=2024, record_noop=False
    ).changed


# Each step adds what is missing and returns how many rows it added. Later domains append theirs.
STEPS: list[tuple[str, Callable[[Session], int]]] = [
    ("catalogs", seed_editions),
    ("authorities", seed_authorities),
    ("rules", seed_rules),
    ("colleges", seed_colleges),
    ("programs", seed_programs),
    ("publications", seed_publications),
    ("directions", seed_directions),
]


def run(engine: Engine) -> dict[str, int]:
    """Run every step in one transaction; returns rows added per step (all 0 on a second run)."""
    with session_scope(engine) as session:
        added = {name: step(session) for name, step in STEPS}
        if any(added.values()):
            mark_written(session)  # authorities and rules are added without an audit record
        return added


# ---- issue 24: the history the published lists imply --------------------------------------


def seed_history(session: Session) -> int:
    """Program events ``seed/program_history.csv`` records (the 2024 list's entry 35 was
    suspended in 2021 and reopened by that list: 停招三年后复开); each once."""
    from app.catalog.models import Major
    from app.colleges.models import College
    from app.programs import lifecycle
    from app.programs.models import Program
    from app.publications.models import Publication

    added = 0
    for row in rows("program_history.csv"):
        program_id = session.exec(
            select(Program.id)
            .join(College, College.id == Program.college_id)  # type: ignore[arg-type]
            .join(Major, Major.id == Program.major_id)  # type: ignore[arg-type]
            .where(
                College.code == row["college_code"],
                Major.code == row["major_code"],
                Program.intake == row["intake"],
                Program.level == row["level"],
            )
        ).first()
        seen = session.exec(
            select(lifecycle.ProgramEvent.id).where(
                lifecycle.ProgramEvent.program_id == program_id,
                lifecycle.ProgramEvent.action == row["event"],
                lifecycle.ProgramEvent.source == "seed:history",
            )
        ).first()
        if program_id is None or seen is not None:
            continue
        series = row["series"]
        publication = (
            session.exec(select(Publication.id).where(Publication.series == series)).first()
            if series
            else None
        )
        change = lifecycle.Change(
            action=row["event"],
            actor=SEED_ACTOR.name,
            year=int(row["year"]),
            reason=row["reason"],
            publication_id=publication,
            source="seed:history",
        )
        lifecycle.record_change(session, [program_id], change)
        added += 1
    return added


STEPS.append(("history", seed_history))
