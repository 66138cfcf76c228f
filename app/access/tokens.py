"""Bearer tokens: making a token row, and resolving a presented token to its caller (what every
request's ``access.deps`` asks). Issuing, listing and revoking them as admins do:
``app.accounts.tokens``; the tokens a user owns: ``app.accounts.user_tokens``."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app.access.models import ApiToken
from app.access.principal import ROLES, Principal, Role
from app.clock import utcnow
from app.errors import Invalid
from app.i18n import Joined

TOKEN_PREFIX = "reg_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_binding(role: str, *, authority_id: int | None, college_id: int | None) -> None:
    """The binding a role needs: a reviewer an authority, a college token its college."""
    if role not in ROLES:
        raise Invalid(error="invalid_role", role=role, roles=Joined(ROLES))
    if role == Role.COLLEGE and college_id is None:
        raise Invalid(error="college_required")
    if role == Role.COLLEGE and authority_id is not None:
        raise Invalid(error="invalid_binding")
    if role != Role.COLLEGE and college_id is not None:
        raise Invalid(error="invalid_binding", msg="invalid_binding.not_college")
    # An unbound reviewer would decide every authority's filings: a reviewer is always some
    # bureau's expert, so the binding is required rather than defaulting to "everything".
    if role == Role.REVIEWER and authority_id is None:
        raise Invalid(error="authority_required", msg="authority_required.reviewer")


def create_token(
    session: Session,
    *,
    role: str,
    name: str,
    authority_id: int | None = None,
    college_id: int | None = None,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token row and the plain token (returned once, never stored). Does not audit:
    ``issue`` (CLI and API) records the creation with its actor."""
    check_binding(role, authority_id=authority_id, college_id=college_id)
    if days is not None and days <= 0:
        raise Invalid(error="invalid_days")
    if not name.strip():
        raise Invalid(error="name_required")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name.strip(),
        role=role,
        authority_id=authority_id,
        college_id=college_id,
        token_hash=hash_token(plain),
        hint=plain[:10],
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    session.add(row)
    session.flush()
    return row, plain


def resolve(session: Session, token: str) -> Principal | None:
    """The caller a plain token stands for; None when unknown, revoked or expired."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or not is_active(row):
        return None
    return Principal(
        name=row.name,
        role=row.role,
        token_id=row.id,
        authority_id=row.authority_id,
        college_id=row.college_id,
    )


def is_active(row: ApiToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)
