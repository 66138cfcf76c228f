"""Routes of access control: who am I, token administration, the audit log."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.access import audit_log, tokens
from app.access.deps import AUTH_RESPONSES, AdminPrincipal, AnyPrincipal
from app.access.schemas import AuditPublic, Me, TokenCreate, TokenCreated, TokenPublic
from app.db import SessionDep
from app.fields import IdPath
from app.pagination import IdPage, Page, page_of

router = APIRouter(prefix="/api/v1", tags=["access"])


@router.get("/me", response_model=Me, responses=AUTH_RESPONSES)
def who_am_i(session: SessionDep, actor: AnyPrincipal) -> Me:
    """The caller's role and binding, as the registry sees its token."""
    return tokens.whoami(session, actor)


@router.get("/tokens", response_model=Page[TokenPublic], responses=AUTH_RESPONSES)
def list_tokens(session: SessionDep, actor: AdminPrincipal, page: IdPage) -> Page[TokenPublic]:
    """Tokens of the caller's authority (every token for the superuser); never the secrets."""
    rows = tokens.list_tokens(session, actor, after=page.after, limit=page.limit)
    items, nxt = page_of(list(rows), page.limit, lambda t: [t.id])
    return Page(items=[tokens.to_public(session, t) for t in items], next=nxt)


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 404: {}},
)
def create_token(session: SessionDep, data: TokenCreate, actor: AdminPrincipal) -> TokenCreated:
    """A new token for a reviewer, college or admin within the caller's authority. The token is
    in this response only."""
    return tokens.issue(session, data, actor=actor)


@router.delete(
    "/tokens/{token_id:int}", response_model=TokenPublic, responses={**AUTH_RESPONSES, 404: {}}
)
def revoke_token(session: SessionDep, token_id: IdPath, actor: AdminPrincipal) -> TokenPublic:
    """Revoke a token at once (a revoked token answers 401)."""
    return tokens.revoke(session, token_id, actor=actor)


@router.get("/audit", response_model=Page[AuditPublic], responses=AUTH_RESPONSES)
def list_audit(
    session: SessionDep,
    actor: AdminPrincipal,
    page: IdPage,
    actor_name: Annotated[str | None, Query(alias="actor", description="exact actor name")] = None,
    action: Annotated[str | None, Query(description="exact, or a prefix `filing.`")] = None,
    target_type: str | None = None,
    target_id: str | None = None,
) -> Page[AuditPublic]:
    """The append-only audit log, newest first: the caller's authority (and those under it);
    every record for the superuser."""
    rows = audit_log.list_records(
        session,
        actor,
        actor_name=actor_name,
        action=action,
        target_type=target_type,
        target_id=target_id,
        after=page.after,
        limit=page.limit,
    )
    items, nxt = page_of(list(rows), page.limit, lambda r: [r.id])
    return Page(items=audit_log.to_public(session, items), next=nxt)
