"""Bearer tokens, roles and the dependencies every route uses to check them."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Field, Session, SQLModel, select

from app.audit import utcnow
from app.db import SessionDep
from app.errors import Conflict, Forbidden, NotFound, Unauthorized

ROLES = ("admin", "reviewer", "college")
TOKEN_PREFIX = "reg_"


class ApiToken(SQLModel, table=True):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=12)
    authority_id: int | None = Field(default=None, foreign_key="authority.id")
    college_id: int | None = Field(default=None, foreign_key="college.id")
    token_hash: str = Field(unique=True, max_length=64)
    hint: str = Field(max_length=12)  # the first characters, to tell tokens apart in listings
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Principal:
    """Who is calling: the role and what it is bound to."""

    name: str
    role: str
    token_id: int | None = None
    authority_id: int | None = None
    college_id: int | None = None

    @property
    def is_superuser(self) -> bool:
        return self.role == "admin" and self.authority_id is None


SYSTEM = Principal(name="system", role="admin")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session,
    *,
    role: str,
    name: str,
    authority_id: int | None = None,
    college_id: int | None = None,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token row and the plain token (returned once, never stored)."""
    if role not in ROLES:
        raise Conflict(f"unknown role {role!r}; use one of {', '.join(ROLES)}", error="invalid_role")
    if role == "college" and college_id is None:
        raise Conflict("a college token needs --college", error="college_required")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
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


def revoke_token(session: Session, *, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def principal_for(session: Session, token: str) -> Principal | None:
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= utcnow():
        return None
    return Principal(
        name=row.name,
        role=row.role,
        token_id=row.id,
        authority_id=row.authority_id,
        college_id=row.college_id,
    )


bearer = HTTPBearer(auto_error=False, description="A token from `registry token create`.")


def optional_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    principal = principal_for(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("the token is unknown, expired or revoked", error="invalid_token")
    return principal


def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized("this route needs a bearer token", error="not_authenticated")
    return principal


def require_role(*roles: str):
    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"this route is for {', '.join(roles)}", error="forbidden_role")
        return principal

    return dependency


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
AnyPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_role("admin"))]
ReviewerPrincipal = Annotated[Principal, Depends(require_role("admin", "reviewer"))]

# Responses every protected route documents in OpenAPI.
AUTH_RESPONSES: dict[int | str, dict] = {
    401: {"description": "Missing, unknown, expired or revoked token"},
    403: {"description": "The token's role or binding does not allow this"},
}
