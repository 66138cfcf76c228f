"""Object-level checks for filings: a college token only its own college; bureau tokens only
their authority (or the authorities under it); an unbound admin (superuser) everything."""

from sqlalchemy import Select
from sqlmodel import Session, col

from app.auth import Principal, governed_authorities, governs_authority
from app.colleges.models import College
from app.errors import Forbidden
from app.filings.models import Filing


def check_college(actor: Principal, college: College) -> None:
    """A college token acts only for its own college (403 otherwise)."""
    if actor.role == "college" and actor.college_id != college.id:
        raise Forbidden(error="not_your_college")


def check_can_file(session: Session, actor: Principal, college: College) -> None:
    """Colleges file for themselves; an admin of the college's authority may file for it."""
    check_college(actor, college)
    if actor.role == "reviewer":
        raise Forbidden(error="forbidden_role", msg="forbidden_role.reviewer_files")
    if actor.role == "admin" and not covers(session, actor, college.authority_id):
        raise Forbidden(error="not_your_authority")


def covered(session: Session, actor: Principal) -> set[int] | None:
    """The authority ids a bureau token covers (its own and every one below), None = all."""
    governed = governed_authorities(session, actor)
    return None if governed is None else set(governed)


def covers(session: Session, actor: Principal, authority_id: int | None) -> bool:
    return governs_authority(session, actor, authority_id)


def check_read(session: Session, actor: Principal, filing: Filing) -> None:
    if actor.role == "college":
        if actor.college_id != filing.college_id:
            raise Forbidden(error="not_your_college", msg="not_your_college.filing")
        return
    if not covers(session, actor, filing.authority_id):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.filing")
    if actor.role == "reviewer" and filing.status == "draft":
        raise Forbidden(error="draft")


def check_write(session: Session, actor: Principal, filing: Filing) -> None:
    """Editing, submitting, withdrawing: the filing college, or an admin of its authority."""
    if actor.role == "reviewer":
        raise Forbidden(error="forbidden_role", msg="forbidden_role.reviewer_edits")
    check_read(session, actor, filing)


def check_reviewer(session: Session, actor: Principal, filing: Filing) -> None:
    """Decisions: reviewers and admins of the filing's authority (or above it)."""
    if actor.role not in ("reviewer", "admin"):
        raise Forbidden(error="forbidden_role", msg="forbidden_role.decisions")
    if not covers(session, actor, filing.authority_id):
        raise Forbidden(error="not_your_authority", msg="not_your_authority.filing")


def visible(session: Session, actor: Principal, query: Select) -> Select:
    """Restrict a filing list to what the token may see."""
    if actor.role == "college":
        return query.where(Filing.college_id == actor.college_id)
    scope = covered(session, actor)
    if scope is not None:
        query = query.where(col(Filing.authority_id).in_(scope))
    if actor.role == "reviewer":
        query = query.where(Filing.status != "draft")
    return query
