"""Reading the audit log: admins see their authority's records (and those of the authorities under
it); the superuser sees every record. Nothing here, or anywhere, updates or deletes a record."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.access.policy import governed_authorities
from app.access.principal import Principal
from app.audit import AuditLog
from app.audit.schemas import AuditPublic
from app.authorities.models import Authority


def list_records(
    session: Session,
    actor: Principal,
    *,
    actor_name: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> Sequence[AuditLog]:
    """Newest first; keyset on id. ``action`` ending in ``.`` matches a prefix (``filing.``)."""
    query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit + 1)
    governed = governed_authorities(session, actor)
    if governed is not None:
        query = query.where(col(AuditLog.authority_id).in_(governed))
    if actor_name:
        query = query.where(AuditLog.actor == actor_name)
    if action:
        query = query.where(
            col(AuditLog.action).startswith(action)
            if action.endswith(".")
            else AuditLog.action == action
        )
    if target_type:
        query = query.where(AuditLog.target_type == target_type)
    if target_id:
        query = query.where(AuditLog.target_id == target_id)
    if after is not None:
        query = query.where(col(AuditLog.id) < after)
    return session.exec(query).all()


def to_public(session: Session, rows: Sequence[AuditLog]) -> list[AuditPublic]:
    ids = {r.authority_id for r in rows if r.authority_id is not None}
    codes = (
        dict(
            session.exec(
                select(Authority.id, Authority.code).where(col(Authority.id).in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    return [
        AuditPublic(**r.model_dump(exclude={"authority_id"}), authority=codes.get(r.authority_id))
        for r in rows
    ]
