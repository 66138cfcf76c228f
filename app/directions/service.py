"""Registered 专业方向: record, change, remove, list — and what a filing check needs of them.

The 2024 中职 notice of 广州市教育局 (附件3): a direction either stays a direction of its catalog
major for that school (准予保留专业方向) or is normalised to a catalog major
(根据教育部教学基本文件规范专业名称).
未进行规范名称备案的专业方向均按《职业教育专业目录》对应专业管理,
and from 2024 a filing in direction form is in principle not accepted — unless the direction was
kept for the school.

Services never commit; every write records one audit entry.
"""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_college
from app.access.principal import Principal
from app.authorities.models import Authority
from app.catalog import service as catalog
from app.catalog.models import Major
from app.colleges import service as colleges
from app.colleges.models import College
from app.directions.models import MajorDirection
from app.directions.names import split_direction
from app.directions.schemas import (
    DirectionCreate,
    DirectionPublic,
    DirectionUpdate,
    MajorRef,
)
from app.errors import Conflict, Invalid, NotFound
from app.i18n import t
from app.text import normalize_name
from app.vocab import DirectionStatus, System, system_of


class Problem(Exception):
    """Why a direction cannot be recorded: one field, a stable code (its message is the
    catalog's: ``app/i18n``), a suggestion."""

    def __init__(
        self,
        field: str,
        error: str,
        *,
        msg: str | None = None,
        suggestion: str | None = None,
        **params: str,
    ):
        super().__init__(error)
        self.field, self.code, self.key, self.suggestion = field, error, msg or error, suggestion
        self.params = params

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def as_invalid(self) -> Invalid:
        detail = {"field": self.field, "suggestion": self.suggestion}
        return Invalid(detail, error=self.code, msg=self.key, **self.params)


def find_college(session: Session, *, code: str | None, name: str | None) -> College:
    """By code, or by a current or former name (附件3 of 2024 names 广州市海珠工艺美术学院)."""
    found = (
        session.exec(select(College).where(College.code == code)).first()
        if code
        else colleges.find_by_name(session, name or "")
    )
    if found is None:
        if code:
            raise Problem("college", "college.unknown", code=code)
        raise Problem("school", "college.unknown", msg="college.unknown.name", name=name or "")
    if system_of(found.type) != System.SECONDARY:
        raise Problem("college", "college.not_secondary", name=found.name)
    return found


def _major(session: Session, college: College, name: str, field: str) -> Major:
    exact, near = catalog.match_name(
        session, name, system=System.SECONDARY.value, province=college.province
    )
    if exact is None:
        raise Problem(
            field, "major.unknown_name", suggestion=near.name if near else None, name=name
        )
    return exact


def plan(
    session: Session,
    college: College,
    *,
    name: str,
    normalised_name: str | None,
    reason: str,
    year: int,
) -> MajorDirection:
    """The row to store (not added to the session); raises ``Problem``."""
    parts = split_direction(name)
    if parts is None:
        raise Problem("name", "direction.bad_form", name=name)
    base = _major(session, college, parts[0], "name")
    normalised = (normalised_name or "").strip() or name
    kept = normalize_name(normalised) == normalize_name(name)
    target = None if kept else _major(session, college, normalised, "normalised_name")
    assert college.id is not None
    assert base.id is not None
    return MajorDirection(
        college_id=college.id,
        name=name.strip(),
        name_norm=normalize_name(name),
        direction=parts[1],
        major_id=base.id,
        status=DirectionStatus.KEPT if kept else DirectionStatus.NORMALISED,
        normalised_name=normalised,
        normalised_major_id=target.id if target else None,
        reason=reason,
        year=year,
        authority_id=college.authority_id,
    )


def _existing(session: Session, college_id: int, name_norm: str) -> MajorDirection | None:
    query = select(MajorDirection).where(
        MajorDirection.college_id == college_id, MajorDirection.name_norm == name_norm
    )
    return session.exec(query).first()


def get(session: Session, direction_id: int) -> MajorDirection:
    found = session.get(MajorDirection, direction_id)
    if found is None:
        raise NotFound(error="direction_not_found", id=direction_id)
    return found


def _summary(d: MajorDirection) -> dict[str, str]:
    return {"name": d.name, "status": d.status, "normalised_name": d.normalised_name}


def register(session: Session, data: DirectionCreate, *, actor: Principal) -> MajorDirection:
    """Record a direction for a school (409 ``direction_exists`` when it is recorded)."""
    try:
        college = find_college(session, code=data.college, name=data.school)
        ensure_manage_college(session, actor, college)
        row = plan(
            session,
            college,
            name=data.name,
            normalised_name=data.normalised_name,
            reason=data.reason,
            year=data.year,
        )
    except Problem as problem:
        raise problem.as_invalid() from None
    if _existing(session, row.college_id, row.name_norm) is not None:
        raise Conflict(error="direction_exists", name=row.name, college=college.name)
    session.add(row)
    session.flush()
    writes.record(
        session,
        actor,
        action="direction.create",
        target_type="direction",
        target_id=row.id,
        authority_id=college.authority_id,
        after=_summary(row),
        reason=row.reason or None,
    )
    return row


def update(
    session: Session, direction_id: int, data: DirectionUpdate, *, actor: Principal
) -> MajorDirection:
    """Keep or normalise it anew, or change its reason or year."""
    row = get(session, direction_id)
    college = session.get_one(College, row.college_id)
    ensure_manage_college(session, actor, college)
    before = _summary(row)
    assert college is not None
    try:
        fresh = plan(
            session,
            college,
            name=row.name,
            normalised_name=data.normalised_name or row.normalised_name,
            reason=row.reason if data.reason is None else data.reason,
            year=data.year or row.year,
        )
    except Problem as problem:
        raise problem.as_invalid() from None
    for key in ("status", "normalised_name", "normalised_major_id", "reason", "year"):
        setattr(row, key, getattr(fresh, key))
    session.add(row)
    writes.record(
        session,
        actor,
        action="direction.update",
        target_type="direction",
        target_id=row.id,
        authority_id=college.authority_id,
        before=before,
        after=_summary(row),
    )
    return row


def delete(session: Session, direction_id: int, *, actor: Principal) -> None:
    row = get(session, direction_id)
    college = session.get_one(College, row.college_id)
    ensure_manage_college(session, actor, college)
    session.delete(row)
    writes.record(
        session,
        actor,
        action="direction.delete",
        target_type="direction",
        target_id=direction_id,
        authority_id=college.authority_id if college else None,
        before=_summary(row),
    )


def list_directions(
    session: Session,
    *,
    college: str | None = None,
    status: str | None = None,
    year: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> Sequence[MajorDirection]:
    query = select(MajorDirection).order_by(col(MajorDirection.id)).limit(limit + 1)
    if college:
        ids = select(College.id).where(College.code == college)
        query = query.where(col(MajorDirection.college_id).in_(ids))
    if status:
        query = query.where(MajorDirection.status == status)
    if year:
        query = query.where(MajorDirection.year == year)
    if after is not None:
        query = query.where(col(MajorDirection.id) > after)
    return session.exec(query).all()


def _ref(session: Session, major_id: int | None) -> MajorRef | None:
    major = session.get(Major, major_id) if major_id else None
    return MajorRef(code=major.code, name=major.name) if major else None


def to_public(session: Session, row: MajorDirection) -> DirectionPublic:
    college = session.get(College, row.college_id)
    authority = session.get(Authority, row.authority_id) if row.authority_id else None
    base = _ref(session, row.major_id)
    assert row.id is not None
    assert college is not None
    assert base is not None
    return DirectionPublic(
        id=row.id,
        college_code=college.code,
        college=college.name,
        name=row.name,
        direction=row.direction,
        major=base,
        status=row.status,
        normalised_name=row.normalised_name,
        normalised_major=_ref(session, row.normalised_major_id),
        reason=row.reason,
        year=row.year,
        authority=authority.code if authority else None,
        created_at=row.created_at,
    )
