"""The crosswalk (新旧专业对照) between editions: writes, reads, and successors of a code."""

from collections.abc import Sequence

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.catalog.codes import code_problem
from app.catalog.models import CatalogEdition, Crosswalk, Major
from app.catalog.schemas import CrosswalkCreate, CrosswalkPublic, Relation
from app.catalog.service import get_edition
from app.errors import Conflict, Invalid, NotFound


def _major_name(session: Session, edition: CatalogEdition, code: str | None) -> str | None:
    if code is None:
        return None
    query = select(Major.name).where(Major.edition_id == edition.id, Major.code == code)
    return session.exec(query).first()


def _check(
    session: Session, old: CatalogEdition, new: CatalogEdition, data: CrosswalkCreate
) -> None:
    if old.id == new.id:
        raise Invalid(error="same_edition")
    if (data.relation == Relation.WITHDRAWN) != (data.to_code is None):
        raise Invalid(error="crosswalk_to_code")
    codes = ((old, data.from_code, "from_code"), (new, data.to_code, "to_code"))
    for edition, code, field in codes:
        problem = code_problem(code, edition.system) if code else None
        if problem:
            raise Invalid(
                {"field": field, "message": problem.message, "suggestion": problem.suggestion},
                error="code_format",
            )
    # The successor must exist to be suggested; an older edition loaded only in part may lack
    # the code it retires.
    if data.to_code and _major_name(session, new, data.to_code) is None:
        raise NotFound(error="major_not_found", edition=new.key, code=data.to_code)
    if not old.partial and _major_name(session, old, data.from_code) is None:
        raise NotFound(error="major_not_found", edition=old.key, code=data.from_code)


def create_entry(
    session: Session, key: str, data: CrosswalkCreate, *, actor: Principal
) -> Crosswalk:
    """Adds one line to the crosswalk into edition ``key``; 409 when it is already there."""
    new, old = get_edition(session, key), get_edition(session, data.from_edition)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    _check(session, old, new, data)
    exists = select(Crosswalk).where(
        Crosswalk.from_edition_id == old.id,
        Crosswalk.from_code == data.from_code,
        Crosswalk.to_edition_id == new.id,
        Crosswalk.to_code == data.to_code,
    )
    if session.exec(exists).first():
        raise Conflict(error="crosswalk_exists")
    assert old.id is not None
    assert new.id is not None
    entry = Crosswalk(
        from_edition_id=old.id,
        from_code=data.from_code,
        to_edition_id=new.id,
        to_code=data.to_code,
        relation=data.relation.value,
    )
    session.add(entry)
    session.flush()
    writes.record(
        session,
        actor,
        action="catalog.crosswalk.create",
        target_type="crosswalk",
        target_id=f"{old.key}/{data.from_code}->{key}/{data.to_code or '-'}",
        after=data.model_dump(mode="json"),
    )
    return entry


def list_entries(
    session: Session, key: str, *, after: int | None, limit: int
) -> list[CrosswalkPublic]:
    """Lines into or out of edition ``key``, by id."""
    edition = get_edition(session, key)
    old, new = aliased(CatalogEdition), aliased(CatalogEdition)
    query = (
        select(Crosswalk, old, new)
        .join(old, col(old.id) == Crosswalk.from_edition_id)
        .join(new, col(new.id) == Crosswalk.to_edition_id)
        .where(
            or_(
                col(Crosswalk.to_edition_id) == edition.id,
                col(Crosswalk.from_edition_id) == edition.id,
            )
        )
        .order_by(col(Crosswalk.id))
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(col(Crosswalk.id) > after)
    return [to_public(session, *row) for row in session.exec(query).all()]


def to_public(
    session: Session, entry: Crosswalk, old: CatalogEdition, new: CatalogEdition
) -> CrosswalkPublic:
    assert entry.id is not None
    return CrosswalkPublic(
        id=entry.id,
        from_edition=old.key,
        from_code=entry.from_code,
        from_name=_major_name(session, old, entry.from_code),
        to_edition=new.key,
        to_code=entry.to_code,
        to_name=_major_name(session, new, entry.to_code),
        relation=entry.relation,
    )


def successors(session: Session, *, edition_id: int, code: str) -> Sequence[Crosswalk]:
    """Where ``code`` of an edition went (for major.superseded): its crosswalk lines."""
    query = (
        select(Crosswalk)
        .where(Crosswalk.from_edition_id == edition_id, Crosswalk.from_code == code)
        .order_by(col(Crosswalk.id))
    )
    return session.exec(query).all()


def get_entry(session: Session, entry_id: int) -> CrosswalkPublic:
    entry = session.get(Crosswalk, entry_id)
    if entry is None:
        raise NotFound(error="crosswalk_not_found", id=entry_id)
    old = session.get(CatalogEdition, entry.from_edition_id)
    new = session.get(CatalogEdition, entry.to_edition_id)
    assert old is not None
    assert new is not None
    return to_public(session, entry, old, new)
