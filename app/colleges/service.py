"""Colleges: lookup, listing, creation and renames/promotions (history kept)."""

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_governs, ensure_manage_college
from app.access.principal import Principal
from app.authorities.models import Authority
from app.clock import rfc3339, utcnow
from app.colleges import snapshots
from app.colleges.models import College, CollegeNameHistory
from app.colleges.schemas import CollegeCreate, CollegePublic, CollegeUpdate, FormerName
from app.errors import Conflict, NotFound
from app.i18n import t
from app.vocab import CollegeStatus, system_of


def get_by_code(session: Session, code: str) -> College:
    college = session.exec(select(College).where(College.code == code)).first()
    if college is None:
        raise NotFound(error="college_not_found", code=code)
    return college


def ensure_open(college: College) -> None:
    """A closed or merged college files nothing any more: 409 ``college_closed``."""
    if college.status in (CollegeStatus.CLOSED, CollegeStatus.MERGED):
        raise Conflict(
            {"college": college.code, "status": college.status},
            error="college_closed",
            college=college.name,
            status=t(f"college_status.{college.status}"),
        )


def find_by_name(session: Session, name: str) -> College | None:
    """By current name, else by a former name."""
    college = session.exec(select(College).where(College.name == name)).first()
    if college is not None:
        return college
    former = select(CollegeNameHistory.college_id).where(CollegeNameHistory.name == name)
    return session.exec(select(College).where(col(College.id).in_(former))).first()


def list_colleges(
    session: Session,
    *,
    name: str | None = None,
    province: str | None = None,
    city: str | None = None,
    type: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> Sequence[College]:
    query = select(College).order_by(College.code).limit(limit + 1)
    if name:
        query = query.where(College.name == name)
    if province:
        query = query.where(College.province == province)
    if city:
        query = query.where(College.city == city)
    if type:
        query = query.where(College.type == type)
    if after is not None:
        query = query.where(College.code > after)
    return session.exec(query).all()


def to_public(session: Session, college: College) -> CollegePublic:
    history = session.exec(
        select(CollegeNameHistory)
        .where(CollegeNameHistory.college_id == college.id)
        .order_by(col(CollegeNameHistory.until))
    ).all()
    public = CollegePublic.model_validate(college)
    public.former_names = [
        FormerName(name=h.name, type=h.type, until=rfc3339(h.until)) for h in history
    ]
    public.merged_into, public.ended_on, public.end_reason = end_of(session, college)
    return public


def end_of(session: Session, college: College) -> tuple[str | None, date | None, str | None]:
    """(merged-into code, end date, reason) of a closed or merged college; Nones otherwise."""
    into = session.get(College, college.merged_into_id) if college.merged_into_id else None
    return (into.code if into else None), college.ended_on, college.end_reason


def governing_authority(
    session: Session, *, province: str, city: str | None, college_type: str
) -> int | None:
    """The city bureau of the college's system, else the province's."""
    system = system_of(college_type).value
    query = select(Authority).where(Authority.system == system, Authority.province == province)
    candidates = session.exec(query).all()
    city_match = [a for a in candidates if a.city and a.city == city]
    province_match = [a for a in candidates if a.level == "province"]
    chosen = (city_match or province_match)[:1]
    return chosen[0].id if chosen else None


def create_college(session: Session, data: CollegeCreate, *, actor: Principal) -> College:
    authority_id = governing_authority(
        session, province=data.province, city=data.city, college_type=data.type
    )
    ensure_governs(session, actor, authority_id)  # an admin registers its own colleges
    if session.exec(select(College).where(College.code == data.code)).first():
        raise Conflict(error="college_exists", code=data.code)
    if session.exec(select(College).where(College.name == data.name)).first():
        raise Conflict(error="college_exists", msg="college_exists.name", name=data.name)
    college = College(**data.model_dump(), authority_id=authority_id)
    session.add(college)
    session.flush()
    assert college.id is not None
    writes.record(
        session,
        actor,
        action="college.create",
        target_type="college",
        target_id=college.code,
        after=data.model_dump(mode="json"),
        authority_id=college.authority_id,
        changes=[snapshots.colleges([college.id], "created")],
    )
    return college


def update_college(
    session: Session, college: College, data: CollegeUpdate, *, actor: Principal
) -> College:
    ensure_manage_college(session, actor, college)
    changes = data.model_dump(exclude_unset=True, mode="json")
    before = {k: getattr(college, k) for k in changes}
    renamed = "name" in changes and changes["name"] != college.name
    promoted = "type" in changes and changes["type"] != college.type
    if renamed or promoted:
        taken = select(College).where(College.name == changes.get("name"))
        if renamed and session.exec(taken).first():
            raise Conflict(error="college_exists", msg="college_exists.name", name=changes["name"])
        assert college.id is not None
        session.add(
            CollegeNameHistory(
                college_id=college.id, name=college.name, type=college.type, until=utcnow()
            )
        )
    for key, value in changes.items():
        setattr(college, key, value)
    session.add(college)
    session.flush()
    assert college.id is not None
    # programs.csv shows the college's name: a rename changes each of its programs too
    writes.record(
        session,
        actor,
        action="college.update",
        target_type="college",
        target_id=college.code,
        before=before,
        after=changes,
        authority_id=college.authority_id,
        changes=[snapshots.colleges([college.id], cascade=renamed)],
    )
    return college
