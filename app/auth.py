"""Bearer tokens, roles and the dependencies every route uses to check them.

Roles (contract.md, "Access"): ``admin`` — bound to an authority, or to none (the superuser);
``reviewer`` — always bound to an authority; ``college`` — bound to one college. The object-level
rules (who governs which authority, college, filing) are the ``governs_*`` / ``can_*`` helpers
below; services call the ``ensure_*`` forms, which raise ``Forbidden``.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Field, Session, SQLModel, col, select

from app.audit import utcnow
from app.authorities.models import Authority
from app.db import SessionDep
from app.errors import Forbidden, Invalid, NotFound, Unauthorized
from app.i18n import Joined

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


def check_binding(role: str, *, authority_id: int | None, college_id: int | None) -> None:
    """The binding a role needs: a reviewer an authority, a college token its college."""
    if role not in ROLES:
        raise Invalid(error="invalid_role", role=role, roles=Joined(ROLES))
    if role == "college" and college_id is None:
        raise Invalid(error="college_required")
    if role == "college" and authority_id is not None:
        raise Invalid(error="invalid_binding")
    if role != "college" and college_id is not None:
        raise Invalid(error="invalid_binding", msg="invalid_binding.not_college")
    # An unbound reviewer would decide every authority's filings: a reviewer is always some
    # bureau's expert, so the binding is required rather than defaulting to "everything".
    if role == "reviewer" and authority_id is None:
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
    callers (the CLI, ``app.access.service``) record the creation with their own actor."""
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


def revoke_token(session: Session, *, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(error="token_not_found", id=token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
    return row


def principal_for(session: Session, token: str) -> Principal | None:
    """The caller a plain token stands for; None when unknown, revoked or expired."""
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


# --- governance: which authorities, colleges and objects a principal may act on -------------


def authority_chain(session: Session, authority_id: int) -> list[int]:
    """The authority and its ancestors (a city bureau, then its province), nearest first."""
    chain: list[int] = []
    current: int | None = authority_id
    while current is not None and current not in chain:  # `not in`: a cycle cannot hang us
        chain.append(current)
        current = session.exec(select(Authority.parent_id).where(Authority.id == current)).first()
    return chain


def authority_governs(session: Session, governor_id: int, authority_id: int | None) -> bool:
    """Whether authority ``governor_id`` is ``authority_id`` or one of its ancestors."""
    return authority_id is not None and governor_id in authority_chain(session, authority_id)


def governed_authorities(session: Session, principal: Principal) -> list[int] | None:
    """Ids of the authorities the principal governs (its own and their descendants);
    None means every authority (the superuser). Colleges govern none."""
    if principal.is_superuser:
        return None
    if principal.role == "college" or principal.authority_id is None:
        return []
    governed = [principal.authority_id]
    frontier = [principal.authority_id]
    while frontier:
        children = session.exec(
            select(Authority.id).where(col(Authority.parent_id).in_(frontier))
        ).all()
        frontier = [c for c in children if c is not None and c not in governed]
        governed.extend(frontier)
    return governed


def governs_authority(session: Session, principal: Principal, authority_id: int | None) -> bool:
    """The superuser governs every authority; an admin or reviewer governs its own authority and
    the ones under it (广东省人社厅 governs 广州市人社局). Nothing governs an unknown authority
    except the superuser."""
    if principal.is_superuser:
        return True
    if principal.role == "college" or principal.authority_id is None or authority_id is None:
        return False
    return principal.authority_id in authority_chain(session, authority_id)


def _college_authority(college: Any) -> int | None:
    return getattr(college, "authority_id", None)


def can_manage_college(session: Session, principal: Principal, college: Any) -> bool:
    """Admin writes on a college and its programs: an admin governing the college's authority."""
    return principal.role == "admin" and governs_authority(
        session, principal, _college_authority(college)
    )


def can_act_for_college(session: Session, principal: Principal, college: Any) -> bool:
    """Filing for a college: its own college token, or an admin governing it."""
    if principal.role == "college":
        return principal.college_id is not None and principal.college_id == college.id
    return can_manage_college(session, principal, college)


def can_see_college_private(session: Session, principal: Principal, college: Any) -> bool:
    """Non-public data of a college (its drafts, filings, findings): the college itself, or an
    admin or reviewer governing it."""
    if principal.role == "college":
        return principal.college_id is not None and principal.college_id == college.id
    return governs_authority(session, principal, _college_authority(college))


def can_decide(session: Session, principal: Principal, authority_id: int | None) -> bool:
    """Review decisions on a round of ``authority_id``: a reviewer or admin governing it."""
    return principal.role in ("admin", "reviewer") and governs_authority(
        session, principal, authority_id
    )


def can_manage_edition(
    session: Session, principal: Principal, *, province: str | None, system: str
) -> bool:
    """Catalog writes. National editions and their supplements are the Ministry's: the superuser
    loads them. A provincial specialty catalog (特色专业目录) is kept by that province's bureau of
    its system (广东省人社厅 for 广东省 technician colleges), so its province-level admins may."""
    if principal.is_superuser:
        return True
    if principal.role != "admin" or principal.authority_id is None or province is None:
        return False
    own = session.get(Authority, principal.authority_id)
    return (
        own is not None
        and own.level == "province"
        and own.province == province
        and own.system == system
    )


def governs_all(session: Session, principal: Principal, authority_ids: Iterable[int | None]):
    """True when the principal governs every one of these authorities (bulk imports)."""
    governed = governed_authorities(session, principal)
    if governed is None:
        return True
    return all(a is not None and a in governed for a in authority_ids)


def _deny(allowed: bool, what: str) -> None:
    """``what``: the catalog key of the refusal's wording (``forbidden_scope.…``)."""
    if not allowed:
        raise Forbidden(error="forbidden_scope", msg=what)


def ensure_governs_authority(session: Session, principal: Principal, authority_id: int | None):
    _deny(governs_authority(session, principal, authority_id), "forbidden_scope")


def ensure_manage_college(session: Session, principal: Principal, college: Any) -> None:
    _deny(can_manage_college(session, principal, college), "forbidden_scope.college")


def ensure_act_for_college(session: Session, principal: Principal, college: Any) -> None:
    _deny(can_act_for_college(session, principal, college), "forbidden_scope.act_for_college")


def ensure_see_college_private(session: Session, principal: Principal, college: Any) -> None:
    _deny(can_see_college_private(session, principal, college), "forbidden_scope.college_private")


def ensure_manage_edition(
    session: Session, principal: Principal, *, province: str | None, system: str
) -> None:
    allowed = can_manage_edition(session, principal, province=province, system=system)
    _deny(allowed, "forbidden_scope.catalog")


def ensure_governs_all(
    session: Session, principal: Principal, authority_ids: Iterable[int | None]
) -> None:
    _deny(governs_all(session, principal, authority_ids), "forbidden_scope.rows")


def ensure_decide(session: Session, principal: Principal, authority_id: int | None) -> None:
    _deny(can_decide(session, principal, authority_id), "forbidden_scope.filing")


# --- dependencies: one per rule ----------------------------------------------------------------

bearer = HTTPBearer(auto_error=False, description="A token from `registry token create`.")


def optional_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    principal = principal_for(session, credentials.credentials)
    if principal is None:
        raise Unauthorized(error="invalid_token")
    return principal


def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized(error="not_authenticated")
    return principal


def require_role(*roles: str):
    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in roles:
            raise Forbidden(error="forbidden_role", msg="forbidden_role.roles", roles=Joined(roles))
        return principal

    return dependency


def require_superuser(
    principal: Annotated[Principal, Depends(require_role("admin"))],
) -> Principal:
    if not principal.is_superuser:
        raise Forbidden(error="forbidden_role", msg="forbidden_role.superuser")
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
AnyPrincipal = Annotated[Principal, Depends(current_principal)]
AdminPrincipal = Annotated[Principal, Depends(require_role("admin"))]
ReviewerPrincipal = Annotated[Principal, Depends(require_role("admin", "reviewer"))]
CollegePrincipal = Annotated[Principal, Depends(require_role("college"))]
# Those who may file for a college (its own token, or an admin governing it).
FilerPrincipal = Annotated[Principal, Depends(require_role("admin", "college"))]
SuperuserPrincipal = Annotated[Principal, Depends(require_superuser)]

# Responses every protected route documents in OpenAPI.
AUTH_RESPONSES: dict[int | str, dict] = {
    401: {"description": "Missing, unknown, expired or revoked token"},
    403: {"description": "The token's role or binding does not allow this"},
}
