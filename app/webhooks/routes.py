from typing import Any

from fastapi import APIRouter, Request, Response, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.db.depends import SessionDep
from app.pagination import Page, encode_cursor, page_of
from app.params import IdPage, IdPath
from app.webhooks import service, ssrf
from app.webhooks.schemas import DeliveryPublic, WebhookCreate, WebhookPublic, WebhookUpdate

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
DOC: dict[int | str, dict[str, Any]] = {**AUTH_RESPONSES, 404: {}}


def _allowed(request: Request) -> set[str]:
    return ssrf.allowed_hosts(request.app.state.settings.webhook_allowed_hosts)


@router.post(
    "",
    response_model=WebhookPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 422: {}},
)
def create_webhook(
    request: Request, session: SessionDep, data: WebhookCreate, actor: AdminPrincipal
) -> WebhookPublic:
    """`{"url", "entities", "secret"[, "since"]}`: POSTs of the feed's items, signed
    `X-Registry-Signature: sha256=<HMAC>` (docs/changes.md, "Webhooks")."""
    hook = service.create(session, data, actor=actor, allowed=_allowed(request))
    return service.to_public(hook)


@router.get("", response_model=Page[WebhookPublic], responses=AUTH_RESPONSES)
def list_webhooks(session: SessionDep, actor: AdminPrincipal, page: IdPage) -> Page[WebhookPublic]:
    rows = service.list_webhooks(session, actor=actor, after=page.after, limit=page.limit)
    items, nxt = page_of(list(rows), page.limit, lambda h: [h.id])
    return Page(items=[service.to_public(h) for h in items], next=nxt)


@router.get("/{webhook_id:int}", response_model=WebhookPublic, responses=DOC)
def get_webhook(session: SessionDep, webhook_id: IdPath, actor: AdminPrincipal) -> WebhookPublic:
    return service.to_public(service.get(session, webhook_id, actor=actor))


@router.patch("/{webhook_id:int}", response_model=WebhookPublic, responses={**DOC, 422: {}})
def update_webhook(
    request: Request,
    session: SessionDep,
    webhook_id: IdPath,
    data: WebhookUpdate,
    actor: AdminPrincipal,
) -> WebhookPublic:
    """Change the URL, entities or secret; `active: true` enables a disabled webhook again."""
    hook = service.update(session, webhook_id, data, actor=actor, allowed=_allowed(request))
    return service.to_public(hook)


@router.delete("/{webhook_id:int}", status_code=status.HTTP_204_NO_CONTENT, responses=DOC)
def delete_webhook(session: SessionDep, webhook_id: IdPath, actor: AdminPrincipal) -> Response:
    service.remove(session, webhook_id, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id:int}/deliveries", response_model=Page[DeliveryPublic], responses=DOC)
def list_deliveries(
    session: SessionDep,
    webhook_id: IdPath,
    actor: AdminPrincipal,
    page: IdPage,
) -> Page[DeliveryPublic]:
    """The delivery log, newest first: each batch with its attempts (status code or error,
    duration, when it is retried)."""
    rows = service.deliveries(session, webhook_id, actor=actor, before=page.after, limit=page.limit)
    items = rows[: page.limit]
    nxt = encode_cursor([items[-1][0]]) if len(rows) > page.limit else None
    return Page(items=[d for _, d in items], next=nxt)


@router.post(
    "/{webhook_id:int}/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=DOC,
)
def redeliver(
    session: SessionDep, webhook_id: IdPath, delivery_id: str, actor: AdminPrincipal
) -> DeliveryPublic:
    """The same items again under a new delivery id, sent next (enables a disabled webhook)."""
    return service.redeliver(session, webhook_id, delivery_id, actor=actor)
