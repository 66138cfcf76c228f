"""Routes of API tokens: who am I, token administration (the audit log: ``app.audit.routes``)."""

from fastapi import APIRouter, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal, AnyPrincipal
from app.accounts import tokens
from app.accounts.schemas import Me, TokenCreate, TokenCreated, TokenPublic
from app.db.depends import SessionDep
from app.pagination import Page, page_of
from app.params import IdPage, IdPath

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
