"""The route of the audit log: ``GET /api/v1/audit`` (listed with the tokens under "access")."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.audit import log
from app.audit.schemas import AuditPublic
from app.db.depends import SessionDep
from app.pagination import Page, page_of
from app.params import IdPage

router = APIRouter(prefix="/api/v1", tags=["access"])


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
    rows = log.list_records(
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
    return Page(items=log.to_public(session, items), next=nxt)
