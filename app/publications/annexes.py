"""Turning an admin's annex rows (中职 附件2 and 附件3) into a list's rows, names as printed.

The school is kept as the notice prints it and resolved to a college by its current or a former
name (附件3 of 2024 names 广州市海珠工艺美术学院, the former name of 广州市海珠工艺美术职业学校).
A 附件2 major name is matched to the catalog only to offer a code: a name that is not a catalog
name keeps its printed text and gets the nearest catalog major as a suggestion."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.authorities import service as authorities
from app.catalog import service as catalog
from app.colleges import service as colleges
from app.colleges.models import College
from app.directions.models import MajorDirection
from app.errors import Invalid
from app.publications.models import PublicationDirection, PublicationProject
from app.publications.schemas import DirectionRowIn, ProjectIn
from app.vocab import System


def _college(session: Session, key: str, index: int, school: str, code: str | None) -> College:
    if code:
        college = session.exec(select(College).where(College.code == code)).first()
    else:
        college = colleges.find_by_name(session, school)
    if college is None or college.id is None:
        raise Invalid(
            {"annex": key, "row": index, "field": "college" if code else "school"},
            error="unknown_college",
            msg=None if code else "unknown_college.school",
            code=code,
            name=school,
        )
    return college


def _project(session: Session, index: int, row: ProjectIn) -> PublicationProject:
    college = _college(session, "projects", index, row.school, row.college)
    exact, near = catalog.match_name(
        session, row.major_name, system=System.SECONDARY.value, province=college.province
    )
    return PublicationProject(
        publication_id=0,
        position=index,
        school=row.school,
        college_id=college.id,
        college_code=college.code,
        major_name=row.major_name,
        major_code=exact.code if exact else None,
        suggested_code=near.code if near else None,
        suggested_name=near.name if near else None,
        project=row.project,
    )


def _direction(session: Session, index: int, row: DirectionRowIn) -> PublicationDirection:
    college = _college(session, "directions", index, row.school, row.college)
    return PublicationDirection(
        publication_id=0,
        position=index,
        school=row.school,
        college_id=college.id,
        college_code=college.code,
        original_name=row.original_name,
        normalised_name=row.normalised_name,
        note=row.note,
    )


def recorded_directions(
    session: Session, *, authority_id: int, year: int
) -> list[PublicationDirection]:
    """附件3 of a list drafted from a round, by default: the 专业方向 recorded that year for the
    schools the authority governs (by school code, then as recorded), names as recorded."""
    rows = session.exec(
        select(MajorDirection, College)
        .join(College, col(College.id) == MajorDirection.college_id)
        .where(MajorDirection.year == year)
        .order_by(col(College.code), col(MajorDirection.id))
    ).all()
    mine = [(d, c) for d, c in rows if authorities.is_within(session, c.authority_id, authority_id)]
    return [
        PublicationDirection(
            publication_id=0,
            position=index,
            school=college.name,
            college_id=college.id,
            college_code=college.code,
            original_name=direction.name,
            normalised_name=direction.normalised_name,
            note=direction.reason,
        )
        for index, (direction, college) in enumerate(mine)
    ]


def rows_from_input(session: Session, key: str, rows: Sequence[Any]) -> list[Any]:
    """The rows of annex ``key`` (``projects`` or ``directions``) in the order given."""
    if key == "projects":
        return [_project(session, index, row) for index, row in enumerate(rows)]
    return [_direction(session, index, row) for index, row in enumerate(rows)]
