"""Token administration: who may list, issue and revoke which tokens (CLI and API share this)."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, or_, select

from app import audit
from app.access.schemas import Me, TokenCreate, TokenCreated, TokenPublic
from app.auth import (
    ApiToken,
    Principal,
    create_token,
    ensure_governs_authority,
    governed_authorities,
    revoke_token,
)
from app.authorities.models import Authority
from app.colleges.models import College
from app.errors import Forbidden, NotFound


def authority_id_of(session: Session, code: str) -> int:
    found = session.exec(select(Authority.id).where(Authority.code == code)).first()
    if found is None:
        raise NotFound(error="authority_not_found", code=code)
    return found


def college_of(session: Session, code: str) -> College:
    found = session.exec(select(College).where(College.code == code)).first()
    if found is None:
        raise NotFound(error="college_not_found", code=code)
    return found


def _codes(session: Session, row: ApiToken) -> tuple[str | None, str | None]:
    authority = session.get(Authority, row.authority_id) if row.authority_id else None
    college = session.get(College, row.college_id) if row.college_id else None
    return (authority.code if authority else None), (college.code if college else None)


def is_active(row: ApiToken, now: datetime | None = None) -> bool:
    now = now or audit.utcnow()
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)


def to_public(session: Session, row: ApiToken) -> TokenPublic:
    authority, college = _codes(session, row)
    assert row.id is not None
    return TokenPublic(
        id=row.id,
        name=row.name,
        role=row.role,
        authority=authority,
        college=college,
        hint=row.hint + "…",
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        active=is_active(row),
    )


def token_authority(session: Session, row: ApiToken) -> int | None:
    """The authority a token belongs to: its own, or its college's."""
    if row.college_id is not None:
        college = session.get(College, row.college_id)
        return college.authority_id if college else None
    return row.authority_id


def ensure_token_in_scope(session: Session, actor: Principal, row: ApiToken) -> None:
    """Superuser tokens (admin, no authority) are managed by the superuser only."""
    if row.role == "admin" and row.authority_id is None and not actor.is_superuser:
        raise Forbidden(error="forbidden_scope", msg="forbidden_scope.superuser_tokens")
    ensure_governs_authority(session, actor, token_authority(session, row))


def list_tokens(
    session: Session, actor: Principal, *, after: int | None, limit: int
) -> Sequence[ApiToken]:
    """Tokens the actor governs, newest first (the superuser sees every token)."""
    query = select(ApiToken).order_by(col(ApiToken.id).desc()).limit(limit + 1)
    governed = governed_authorities(session, actor)
    if governed is not None:
        colleges = select(College.id).where(col(College.authority_id).in_(governed))
        query = query.where(
            or_(col(ApiToken.authority_id).in_(governed), col(ApiToken.college_id).in_(colleges))
        )
    if after is not None:
        query = query.where(col(ApiToken.id) < after)
    return session.exec(query).all()


def issue(session: Session, data: TokenCreate, *, actor: Principal) -> TokenCreated:
    """A new token within the actor's authority; one audit record (never the secret)."""
    authority_id = authority_id_of(session, data.authority) if data.authority else None
    college = college_of(session, data.college) if data.college else None
    row, plain = create_token(
        session,
        role=data.role,
        name=data.name,
        authority_id=authority_id,
        college_id=college.id if college else None,
        days=data.days,
    )
    ensure_token_in_scope(session, actor, row)
    public = to_public(session, row)
    audit.record(
        session,
        actor,
        action="token.create",
        target_type="token",
        target_id=row.id,
        after=public.model_dump(mode="json", exclude={"hint"}),
        authority_id=token_authority(session, row),
    )
    return TokenCreated(**public.model_dump(), token=plain)


def revoke(session: Session, token_id: int, *, actor: Principal) -> TokenPublic:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(error="token_not_found", id=token_id)
    ensure_token_in_scope(session, actor, row)
    was_active = is_active(row)
    revoke_token(session, token_id=token_id)
    audit.record(
        session,
        actor,
        action="token.revoke",
        target_type="token",
        target_id=token_id,
        before={"active": was_active},
        after={"active": False},
        authority_id=token_authority(session, row),
    )
    return to_public(session, row)


def whoami(session: Session, actor: Principal) -> Me:
    row = session.get(ApiToken, actor.token_id) if actor.token_id else None
    authority, college = _codes(session, row) if row else (None, None)
    return Me(
        name=actor.name,
        role=actor.role,
        superuser=actor.is_superuser,
        authority=authority,
        college=college,
        token_id=actor.token_id,
        expires_at=row.expires_at if row else None,
    )
