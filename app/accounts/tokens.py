"""API tokens as admins manage them — issue, list, revoke — and who may manage which token (the
CLI and the API share this), and ``whoami``. A token row and its resolution:
``app.access.tokens``."""

from collections.abc import Sequence

from sqlmodel import Session, col, or_, select

from app import writes
from app.access import policy
from app.access.models import ApiToken
from app.access.principal import Principal, Role
from app.access.tokens import create_token, is_active
from app.accounts.schemas import Me, TokenCreate, TokenCreated, TokenPublic
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.clock import utcnow
from app.colleges import service as colleges
from app.colleges.models import College
from app.errors import Conflict, NotFound


def get_token(session: Session, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(error="token_not_found", id=token_id)
    return row


def _codes(session: Session, row: ApiToken) -> tuple[str | None, str | None]:
    authority = session.get(Authority, row.authority_id) if row.authority_id else None
    college = session.get(College, row.college_id) if row.college_id else None
    return (authority.code if authority else None), (college.code if college else None)


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
    """Superuser tokens (admin, no authority) are managed by the superuser only; any other token
    by an admin governing its authority (a college token: its college's)."""
    if row.role == Role.ADMIN and row.authority_id is None:
        policy.ensure_superuser(actor, msg="forbidden_role.superuser_tokens")
    policy.ensure_governs(session, actor, token_authority(session, row))


def list_tokens(
    session: Session, actor: Principal, *, after: int | None, limit: int
) -> Sequence[ApiToken]:
    """Tokens the actor governs, newest first (the superuser sees every token)."""
    query = select(ApiToken).order_by(col(ApiToken.id).desc()).limit(limit + 1)
    governed = policy.governed_authorities(session, actor)
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
    authority_id = authorities.get_by_code(session, data.authority).id if data.authority else None
    college = colleges.get_by_code(session, data.college) if data.college else None
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
    writes.record(
        session,
        actor,
        action="token.create",
        target_type="token",
        target_id=row.id,
        after=public.model_dump(mode="json", exclude={"hint"}),
        authority_id=token_authority(session, row),
    )
    return TokenCreated(**public.model_dump(), token=plain)


def revoke(
    session: Session, token_id: int, *, actor: Principal, keep_last_superuser: bool = True
) -> TokenPublic:
    """Revoke a token. Over the API the last active superuser token stays: revoking it would
    leave nobody able to manage national catalogs or create superusers except from the
    server's shell (``registry token revoke``, which passes ``keep_last_superuser=False``)."""
    row = get_token(session, token_id)
    ensure_token_in_scope(session, actor, row)
    was_active = is_active(row)
    if keep_last_superuser and was_active and _is_last_superuser(session, row):
        raise Conflict(error="last_superuser_token", id=token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
    writes.record(
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


def _is_last_superuser(session: Session, row: ApiToken) -> bool:
    if row.role != Role.ADMIN or row.authority_id is not None:
        return False
    others = session.exec(
        select(ApiToken).where(
            ApiToken.role == Role.ADMIN,
            col(ApiToken.authority_id).is_(None),
            col(ApiToken.revoked_at).is_(None),
            ApiToken.id != row.id,
        )
    ).all()
    return not any(is_active(other) for other in others)


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
