"""Webhook subscriptions and their delivery log (the admin's side); sending is ``worker.py``."""

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from app import writes
from app.access import policy
from app.access.principal import Principal, Role
from app.changes.models import Change
from app.changes.recorder import ENTITIES
from app.errors import Invalid, NotFound
from app.webhooks import ssrf
from app.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from app.webhooks.schemas import (
    AttemptPublic,
    DeliveryPublic,
    WebhookCreate,
    WebhookPublic,
    WebhookUpdate,
)


def _entities(values: list[str]) -> str:
    unknown = sorted(set(values) - set(ENTITIES))
    if unknown or not values:
        raise Invalid(
            {"entities": values},
            error="invalid_entity",
            entity=",".join(unknown) or "-",
            allowed=", ".join(ENTITIES),
        )
    return ",".join(e for e in ENTITIES if e in values)


def to_public(hook: Webhook) -> WebhookPublic:
    assert hook.id is not None
    return WebhookPublic(
        id=hook.id,
        url=hook.url,
        entities=hook.entities.split(","),
        active=hook.active,
        disabled_reason=hook.disabled_reason,
        cursor=hook.cursor,
        failures=hook.failures,
        next_attempt_at=hook.next_attempt_at,
        created_by=hook.created_by,
        created_at=hook.created_at,
    )


def get(session: Session, webhook_id: int, *, actor: Principal) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None or not _visible(session, actor, hook):
        raise NotFound(error="webhook_not_found", id=webhook_id)
    return hook


def _visible(session: Session, actor: Principal, hook: Webhook) -> bool:
    """The admins governing the authority that registered it (the province's over a city's
    too); the superuser all (policy.can_manage_webhook)."""
    return policy.can_manage_webhook(session, actor, hook.authority_id)


def create(
    session: Session, data: WebhookCreate, *, actor: Principal, allowed: set[str]
) -> Webhook:
    ssrf.check_url(data.url, allowed)
    newest = session.execute(select(func.max(Change.seq))).scalar_one() or 0
    hook = Webhook(
        url=data.url,
        entities=_entities(data.entities),
        secret=data.secret,
        authority_id=actor.authority_id,
        created_by=actor.name,
        cursor=newest if data.since is None else data.since,
    )
    session.add(hook)
    session.flush()
    writes.record(
        session,
        actor,
        action="webhook.create",
        target_type="webhook",
        target_id=hook.id,
        after={"url": hook.url, "entities": hook.entities, "cursor": hook.cursor},
    )
    return hook


def update(
    session: Session, webhook_id: int, data: WebhookUpdate, *, actor: Principal, allowed: set[str]
) -> Webhook:
    hook = get(session, webhook_id, actor=actor)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    before = {k: getattr(hook, k) for k in changes if k != "secret"}
    if "url" in changes:
        ssrf.check_url(changes["url"], allowed)
        hook.url = changes["url"]
    if "entities" in changes:
        hook.entities = _entities(changes["entities"])
    if "secret" in changes:
        hook.secret = changes["secret"]
    if changes.get("active") is True and not hook.active:
        hook.active, hook.failures, hook.disabled_reason = True, 0, None
        hook.next_attempt_at = None
    elif changes.get("active") is False:
        hook.active, hook.disabled_reason = False, "disabled by an admin"
    session.add(hook)
    writes.record(
        session,
        actor,
        action="webhook.update",
        target_type="webhook",
        target_id=hook.id,
        before=before,
        after={k: v for k, v in changes.items() if k != "secret"},
    )
    return hook


def remove(session: Session, webhook_id: int, *, actor: Principal) -> None:
    hook = get(session, webhook_id, actor=actor)
    deliveries = select(col(WebhookDelivery.id)).where(col(WebhookDelivery.webhook_id) == hook.id)
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == hook.id))
    session.delete(hook)
    writes.record(
        session,
        actor,
        action="webhook.delete",
        target_type="webhook",
        target_id=webhook_id,
        before={"url": hook.url, "entities": hook.entities},
    )


def list_webhooks(
    session: Session, *, actor: Principal, after: int | None, limit: int
) -> Sequence[Webhook]:
    policy.ensure_role(actor, Role.ADMIN)
    query = select(Webhook).order_by(col(Webhook.id)).limit(limit + 1)
    query = policy.Access(session, actor).restrict(query, col(Webhook.authority_id))
    if after is not None:
        query = query.where(col(Webhook.id) > after)
    return session.execute(query).scalars().all()


def deliveries(
    session: Session, webhook_id: int, *, actor: Principal, before: int | None, limit: int
) -> list[tuple[int, DeliveryPublic]]:
    """The delivery log, newest first, each delivery with its attempts."""
    hook = get(session, webhook_id, actor=actor)
    query = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.webhook_id) == hook.id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(col(WebhookDelivery.id) < before)
    rows = session.execute(query).scalars().all()
    ids = [d.id for d in rows]
    attempts: dict[int, list[AttemptPublic]] = {}
    found = select(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(ids))
    for a in session.execute(found.order_by(col(WebhookAttempt.id))).scalars():
        attempts.setdefault(a.delivery_id, []).append(
            AttemptPublic(
                at=a.at,
                status_code=a.status_code,
                error=a.error,
                duration_ms=a.duration_ms,
                retry_at=a.retry_at,
            )
        )
    return [(d.id or 0, _delivery_public(d, attempts.get(d.id or 0, []))) for d in rows]


def _delivery_public(d: WebhookDelivery, attempts: list[AttemptPublic]) -> DeliveryPublic:
    return DeliveryPublic(
        id=d.uid,
        first_seq=d.first_seq,
        last_seq=d.last_seq,
        item_count=d.item_count,
        status=d.status,
        attempts=attempts,
        redelivery_of=d.redelivery_of,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
    )


def redeliver(session: Session, webhook_id: int, uid: str, *, actor: Principal) -> DeliveryPublic:
    """Queues the same items again under a new delivery id (sent next, before new batches);
    a disabled webhook is enabled again."""
    hook = get(session, webhook_id, actor=actor)
    original = session.execute(
        select(WebhookDelivery).where(
            col(WebhookDelivery.uid) == uid, col(WebhookDelivery.webhook_id) == hook.id
        )
    ).scalar_one_or_none()
    if original is None:
        raise NotFound(error="delivery_not_found", id=uid)
    copy = WebhookDelivery(
        uid=str(uuid.uuid4()),
        webhook_id=original.webhook_id,
        first_seq=original.first_seq,
        last_seq=original.last_seq,
        entities=original.entities,
        item_count=original.item_count,
        redelivery_of=original.uid,
    )
    session.add(copy)
    if not hook.active:
        hook.active, hook.failures, hook.disabled_reason = True, 0, None
    hook.next_attempt_at = None
    session.add(hook)
    session.flush()
    writes.record(
        session,
        actor,
        action="webhook.redeliver",
        target_type="webhook",
        target_id=hook.id,
        after={"delivery": copy.uid, "of": uid},
    )
    return _delivery_public(copy, [])
