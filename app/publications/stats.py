"""Approved offerings per year by category, level, intake and college — the figures bureaus quote.

Counted over the lines of the current (newest published) revision of every list, so a
correction replaces what it corrects instead of adding to it."""

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.publications import closures, presenters
from app.publications.layouts import layout_of
from app.publications.models import Publication, PublicationLine


class Count(BaseModel):
    key: str | None
    count: int


class CollegeCount(BaseModel):
    code: str
    name: str
    count: int


class ApprovalStats(BaseModel):
    year: int | None
    authority: str | None
    system: str | None = Field(
        description="the system counted: one per answer (default technician when the lists "
        "of the year include it); null when there is no list"
    )
    systems: list[str] = Field(description="the systems with current lists for year/authority")
    publications: list[int]
    total: int
    by_year: list[Count]
    by_category: list[Count]
    by_level: list[Count]
    by_intake: list[Count]
    by_college: list[CollegeCount]
    # issue 24: the lists' closures annexes (停招 / 撤销), by kind
    closures: list[Count] = []


def _counts(session: Session, ids: list[int], *columns: Any) -> list[tuple[Any, ...]]:
    """(group values…, count) over the lines of ``ids``; most first, then by value."""
    count = func.count(col(PublicationLine.id)).label("n")
    query: Any = (
        select(*columns, count)  # type: ignore[call-overload]
        .select_from(PublicationLine)
        .join(Publication, Publication.id == PublicationLine.publication_id)
        .where(col(PublicationLine.publication_id).in_(ids))
        .group_by(*columns)
        .order_by(count.desc(), *columns)
    )
    return list(session.execute(query).all())


def approvals(
    session: Session,
    *,
    year: int | None,
    authority: str | None = None,
    system: str | None = None,
) -> ApprovalStats:
    every = presenters.current_publications(session, year=year, authority=authority)
    systems = sorted({p.system for p in every})
    if system is None and systems:
        # never 技工 专业类别 and 中职 专业大类 in one table: one system, labelled
        system = "technician" if "technician" in systems else systems[0]
    current = [p for p in every if p.system == system]
    ids = [p.id for p in current if p.id is not None]
    # The groupings the lists' layouts report: a 中职 list has no level and one intake.
    reported = {name for p in current for name in layout_of(p.system).statistics}

    def by(column: Any) -> list[Count]:
        if column.key not in reported and column.key != "year":
            return []
        return [
            Count(key=str(k) if k not in ("", None) else None, count=n)
            for k, n in _counts(session, ids, column)
        ]

    colleges = _counts(session, ids, PublicationLine.college_code, PublicationLine.college)
    years = sorted(by(Publication.year), key=lambda c: c.key or "")
    return ApprovalStats(
        year=year,
        authority=authority,
        system=system,
        systems=systems,
        publications=ids,
        total=sum(c.count for c in years),
        by_year=years,
        by_category=by(PublicationLine.category),
        by_level=by(PublicationLine.level),
        by_intake=by(PublicationLine.intake),
        by_college=[CollegeCount(code=c, name=name, count=n) for c, name, n in colleges],
        closures=[Count(key=k, count=n) for k, n in closures.counts(session, ids)],
    )
