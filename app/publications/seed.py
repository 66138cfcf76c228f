"""Seed step ``publications``: the published 2024 lists from ``seed/publications/lists.csv``.

Each list is drafted and published through the service (so it gets its checksum, its program
links and an audit entry, as a bureau's list would). Idempotent: a series that exists is skipped.
"""

import csv
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app.auth import SYSTEM
from app.colleges.models import College
from app.publications import service
from app.publications.models import Publication
from app.publications.schemas import LineIn, PublicationCreate, SpecialtyIn
from app.vocab import Intake, Level

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "seed"


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines(session: Session, name: str) -> list[LineIn]:
    """The list as printed: colleges by their printed name, names and remarks as printed."""
    codes = dict(session.exec(select(College.name, College.code)).all())
    return [
        LineIn(
            seq=int(row["seq"]),
            college=codes[row["college"]],
            major_code=row["major_code"],
            major_name=row["major_name"],
            category=row["category"],
            intake=Intake(row["intake"]),
            level=Level(row["level"]) if row["level"] else None,
            length_years=int(row["length_years"]),
            remark=row["remark"],
        )
        for row in _rows(name)
    ]


def _specialties(name: str) -> list[SpecialtyIn]:
    return (
        [
            SpecialtyIn(
                major_name=row["major_name"],
                major_code=row["major_code"],
                level=Level(row["level"]) if row["level"] else None,
                length_years=int(row["length_years"]),
                category=row["category"],
                applicant_college=row["applicant_college"],
            )
            for row in _rows(name)
        ]
        if name
        else []
    )


def seed_publications(session: Session) -> int:
    """Lines added (0 when every list is already there)."""
    added = 0
    for row in _rows("publications/lists.csv"):
        if session.exec(select(Publication.id).where(Publication.series == row["series"])).first():
            continue
        draft = service.create_draft(
            session,
            PublicationCreate(
                authority=row["authority"],
                year=int(row["year"]),
                title=row["title"],
                document_number=row["document_number"],
                series=row["series"],
                published_on=date.fromisoformat(row["published_on"]),
                lines=_lines(session, row["lines"]),
                specialties=_specialties(row["specialties"]),
            ),
            actor=SYSTEM,
        )
        assert draft.id is not None
        service.publish(session, draft.id, actor=SYSTEM)
        added += draft.line_count
    return added
