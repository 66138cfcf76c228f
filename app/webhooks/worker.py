"""The delivery worker: sends each webhook's pending batch, retries with backoff, logs attempts.

At least once, in order per webhook: a batch (``WebhookDelivery``) is cut from the feed only when
the webhook has none pending, and it stays pending — resent with the same id and bytes — until a
2xx acknowledges it. A worker *claims* a webhook before sending: in one short transaction it picks
a due webhook with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL: several worker processes never
pick the same one; SQLite serialises writers anyway), cuts the batch if needed and writes a lease
(``lease_until``, owner). The POST runs outside any transaction; the result is written in a second
one, only by the lease's owner. A worker killed in between leaves the lease to expire
(``REGISTRY_WEBHOOK_TIMEOUT_SECONDS`` × 3) and the same delivery is sent again: nothing is lost.
The lease outlives the POST's timeout, so no batch is ever sent twice at the same time.

Failures back off exponentially with jitter (base × 2^(n-1), capped, times 0.5–1.0); after
``REGISTRY_WEBHOOK_MAX_FAILURES`` consecutive failures the webhook is disabled until an admin
enables it again (PATCH ``active``) or redelivers.
"""

import base64
import hashlib
import hmac
import logging
import os
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import exists, func, or_, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.changes.feed import item_json
from app.changes.models import Change
from app.changes.recorder import QUIET
from app.clock import utcnow
from app.config import Settings
from app.db import writer
from app.errors import AppError
from app.vocab import DeliveryStatus
from app.webhooks import ssrf
from app.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

log = logging.getLogger("registry.webhooks")
USER_AGENT = "vocational-registry-webhooks/1"


@dataclass(frozen=True)
class Claim:
    webhook_id: int
    delivery_id: int
    uid: str
    url: str
    secret: str
    entities: tuple[str, ...]
    first_seq: int
    last_seq: int


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def sign(secret: str, body: bytes) -> str:
    """``X-Registry-Signature``: the registry's own signature, kept for existing receivers."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


WHSEC = "whsec_"


def signing_key(secret: str) -> bytes:
    """The Standard Webhooks key: a ``whsec_<base64>`` secret is its decoded bytes, as the
    specification derives it; any other secret is used as it is (its UTF-8 bytes)."""
    if secret.startswith(WHSEC):
        return base64.b64decode(secret[len(WHSEC) :] + "==")
    return secret.encode()


def standard_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp``, ``webhook-signature`` (Standard Webhooks v1): the
    signed content is ``{id}.{timestamp}.{body}``, so a receiver can reject a replay by its age."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


def backoff(settings: Settings, failures: int) -> float:
    """Seconds before the next attempt after ``failures`` consecutive failures."""
    ceiling = min(
        settings.webhook_retry_max_seconds,
        settings.webhook_retry_base_seconds * 2 ** (failures - 1),
    )
    return ceiling * random.uniform(0.5, 1.0)


def _session(engine: Engine) -> Session:
    session = Session(writer(engine), expire_on_commit=False)
    session.info[QUIET] = True  # bookkeeping: the registry's public version does not move
    return session


class Worker:
    def __init__(self, engine: Engine, settings: Settings, *, owner: str | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.allowed = ssrf.allowed_hosts(settings.webhook_allowed_hosts)
        self.client = httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False)
        self.stopping = threading.Event()

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=3 * self.settings.webhook_timeout_seconds)

    # --- one step --------------------------------------------------------------------------

    def run_once(self) -> bool:
        """Claims one due webhook and sends its batch; False when nothing was due."""
        claim = self.claim()
        if claim is None:
            return False
        result = self.send(claim)
        self.finish(claim, result)
        return True

    def claim(self) -> Claim | None:
        with _session(self.engine) as session:
            while True:
                hook = self._due(session)
                if hook is None:
                    session.commit()
                    return None
                delivery = self._pending(session, hook) or self._cut(session, hook)
                if delivery is None:  # nothing of its entities since its cursor
                    session.flush()
                    continue
                now = utcnow()
                hook.lease_until, hook.lease_owner = now + self.lease, self.owner
                session.add(hook)
                session.commit()
                assert hook.id is not None
                assert delivery.id is not None
                return Claim(
                    hook.id,
                    delivery.id,
                    delivery.uid,
                    hook.url,
                    hook.secret,
                    tuple(delivery.entities.split(",")),
                    delivery.first_seq,
                    delivery.last_seq,
                )

    def _due(self, session: Session) -> Webhook | None:
        now = utcnow()
        newest = select(func.max(Change.seq)).scalar_subquery()
        pending = exists().where(
            col(WebhookDelivery.webhook_id) == Webhook.id,
            col(WebhookDelivery.status) == DeliveryStatus.PENDING,
        )
        query = (
            select(Webhook)
            .where(
                col(Webhook.active).is_(True),
                or_(col(Webhook.next_attempt_at).is_(None), col(Webhook.next_attempt_at) <= now),
                or_(col(Webhook.lease_until).is_(None), col(Webhook.lease_until) < now),
                or_(pending, col(Webhook.cursor) < newest),
            )
            .order_by(col(Webhook.next_attempt_at).is_(None).desc(), col(Webhook.next_attempt_at))
            .order_by(col(Webhook.id))
            .limit(1)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Webhook)
        return session.execute(query).scalars().first()

    def _pending(self, session: Session, hook: Webhook) -> WebhookDelivery | None:
        query = (
            select(WebhookDelivery)
            .where(
                col(WebhookDelivery.webhook_id) == hook.id,
                col(WebhookDelivery.status) == DeliveryStatus.PENDING,
            )
            .order_by(col(WebhookDelivery.id))
            .limit(1)
        )
        return session.execute(query).scalars().first()

    def _cut(self, session: Session, hook: Webhook) -> WebhookDelivery | None:
        """The next batch after the cursor; or, when no item of its entities is there, the
        cursor moved to the feed's newest seq (all below it are committed: recorder)."""
        entities = hook.entities.split(",")
        seqs = (
            session.execute(
                select(col(Change.seq))
                .where(col(Change.seq) > hook.cursor, col(Change.entity).in_(entities))
                .order_by(col(Change.seq))
                .limit(self.settings.webhook_batch)
            )
            .scalars()
            .all()
        )
        if not seqs:
            newest = session.execute(select(func.max(Change.seq))).scalar_one() or 0
            hook.cursor = max(hook.cursor, newest)
            session.add(hook)
            return None
        delivery = WebhookDelivery(
            uid=str(uuid.uuid4()),
            webhook_id=hook.id or 0,
            first_seq=seqs[0],
            last_seq=seqs[-1],
            entities=hook.entities,
            item_count=len(seqs),
        )
        hook.cursor = seqs[-1]
        session.add_all([hook, delivery])
        session.flush()
        return delivery

    def body(self, claim: Claim) -> bytes:
        """The delivery's items as the feed serves them, rebuilt identically on every attempt."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(
                    col(Change.seq),
                    col(Change.at),
                    col(Change.entity),
                    col(Change.op),
                    col(Change.key),
                    col(Change.data),
                )
                .where(
                    col(Change.seq) >= claim.first_seq,
                    col(Change.seq) <= claim.last_seq,
                    col(Change.entity).in_(claim.entities),
                )
                .order_by(col(Change.seq))
            ).all()
        return b'{"items":[%s]}' % b",".join(item_json(tuple(r)) for r in rows)

    def send(self, claim: Claim) -> Result:
        started = time.monotonic()
        try:
            # checked again (a name can be re-pointed), and the connection goes to the address
            # that was checked: no second resolution
            target = ssrf.resolve(claim.url, self.allowed)
            body = self.body(claim)
            extensions = {"sni_hostname": target.server_name} if target.server_name else {}
            response = self.client.post(
                target.url,
                content=body,
                headers={
                    "Host": target.host,
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    "X-Registry-Delivery": claim.uid,
                    "X-Registry-Signature": sign(claim.secret, body),
                    # the same id on every attempt (a receiver's idempotency key), a new time
                    **standard_headers(claim.secret, claim.uid, int(time.time()), body),
                },
                extensions=extensions,
            )
            status, error = response.status_code, None
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except AppError as exc:
            status, error = None, f"{exc.error}: {exc.detail}"
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        return Result(
            status, error[:500] if error else None, int((time.monotonic() - started) * 1000)
        )

    def finish(self, claim: Claim, result: Result) -> None:
        with _session(self.engine) as session:
            hook = session.get(Webhook, claim.webhook_id, with_for_update=True)
            delivery = session.get(WebhookDelivery, claim.delivery_id)
            if hook is None or delivery is None:  # deleted meanwhile
                session.commit()
                return
            now = utcnow()
            delivery.attempts += 1
            retry_at = None
            if result.ok:
                delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
                hook.failures, hook.next_attempt_at = 0, None
            else:
                hook.failures += 1
                if hook.failures >= self.settings.webhook_max_failures:
                    hook.active = False
                    hook.disabled_reason = f"{hook.failures} failures in a row: {result.error}"[
                        :200
                    ]
                else:
                    retry_at = now + timedelta(seconds=backoff(self.settings, hook.failures))
                    hook.next_attempt_at = retry_at
            if hook.lease_owner == self.owner:
                hook.lease_until, hook.lease_owner = None, None
            session.add_all([hook, delivery])
            session.add(
                WebhookAttempt(
                    delivery_id=claim.delivery_id,
                    at=now,
                    status_code=result.status_code,
                    error=result.error,
                    duration_ms=result.duration_ms,
                    retry_at=retry_at,
                )
            )
            session.commit()
        log.info("webhook %s delivery %s: %s", claim.webhook_id, claim.uid, result)

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        """Until ``stop()``: send what is due, else wait ``REGISTRY_WEBHOOK_POLL_SECONDS``."""
        while not self.stopping.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the database restarting, a bug: log, wait, go on
                log.exception("webhook worker step failed")
                busy = False
            if not busy:
                self.stopping.wait(self.settings.webhook_poll_seconds)
        self.client.close()

    def stop(self) -> None:
        self.stopping.set()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="webhook-worker", daemon=True)
        thread.start()
        return thread
