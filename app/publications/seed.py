"""Seed step ``publications``: the published 2024 lists from ``seed/publications/lists.csv``.

Each list is drafted and published through the service (so it gets its checksum, its program
links and an audit entry, as a bureau's list would). Idempotent: a series that exists is skipped.

The 中职 notice (广州市教育局, 2024-04-02) prints only 序号, 学校名称, 专业名称, 专业代码: its lines
take the list's ``intake`` and ``length_years`` columns — 初中起点 and 3, the 2021 MOE catalog's
基本修业年限 for 中职 majors (not printed in the notice).
"""

import csv
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app.access.principal import SYSTEM
from app.colleges.models import College
from app.publications import service
from app.publications.models import Publication
from app.publications.schemas import (
    DirectionRowIn,
    LineIn,
    ProjectIn,
    PublicationCreate,
    SpecialtyIn,
)
from app.vocab import Intake, Level

SEED_DIR = Path(__file__).resolve().parent.parent.parent / "seed"


def _rows(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines(session: Session, name: str, defaults: dict[str, str]) -> list[LineIn]:
    """The list as printed: colleges by their printed name (``college``, or ``school`` in the
    中职 notice), names and remarks as printed; what the notice does not print comes from the
    list's row (``defaults``)."""
    codes = dict(session.exec(select(College.name, College.code)).all())

    def value(row: dict[str, str], key: str) -> str:
        return row.get(key) or defaults.get(key) or ""

    return [
        LineIn(
            seq=int(row["seq"]),
            college=codes[row.get("college") or row["school"]],
            major_code=row["major_code"],
            major_name=row["major_name"],
            category=row.get("category") or None,
            intake=Intake(value(row, "intake")),
            level=Level(row["level"]) if row.get("level") else None,
            length_years=int(value(row, "length_years")),
            remark=row.get("remark", ""),
        )
        for row in _rows(name)
    ]


def _projects(name: str) -> list[ProjectIn] | None:
    if not name:
        return None
    return [
        ProjectIn(school=r["school"], major_name=r["major_name"], project=r["project"])
        for r in _rows(name)
    ]


def _directions(name: str) -> list[DirectionRowIn] | None:
    if not name:
        return None
    return [
        DirectionRowIn(
            school=r["school"],
            original_name=r["original_direction_name"],
            normalised_name=r["normalised_major_name"],
            note=r["note"],
        )
        for r in _rows(name)
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
                lines=_lines(session, row["lines"], row),
                specialties=_specialties(row["specialties"]),
                projects=_projects(row["projects"]),
                directions=_directions(row["directions"]),
            ),
            actor=SYSTEM,
        )
        assert draft.id is not None
        # The 2024 notices are recorded after the fact: their 公示 happened outside the registry.
        assert draft.published_on is not None
        service.publish(
            session, draft.id, actor=SYSTEM, today=draft.published_on, notice_recorded=True
        )
        added += draft.line_count
    return added
