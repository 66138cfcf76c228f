"""Webhook subscriptions, their deliveries (batches of feed items) and each attempt to send one."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer
from sqlmodel import Field, SQLModel

from app.clock import utcnow
from app.vocab import DeliveryStatus

SEQ = BigInteger().with_variant(Integer(), "sqlite")


def _when(nullable: bool = True) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable)


class Webhook(SQLModel, table=True):
    """An admin's subscription: ``url`` gets the feed's items of ``entities`` (comma-separated),
    signed with ``secret``. ``cursor`` is the last seq handed to a delivery; one delivery is in
    flight at a time (``lease_until``), so batches arrive in seq order."""

    __table_args__ = (Index("ix_webhook_due", "active", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    entities: str = Field(max_length=60)
    secret: str = Field(max_length=200)
    authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    created_by: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(False))
    active: bool = True
    disabled_reason: str | None = Field(default=None, max_length=200)
    cursor: int = Field(default=0, sa_column=Column(SEQ, nullable=False, default=0))
    failures: int = 0  # consecutive failed attempts
    next_attempt_at: datetime | None = Field(default=None, sa_column=_when())
    lease_until: datetime | None = Field(default=None, sa_column=_when())
    lease_owner: str | None = Field(default=None, max_length=100)


class WebhookDelivery(SQLModel, table=True):
    """One POST body: the items of ``entities`` with ``first_seq`` ≤ seq ≤ ``last_seq`` (rebuilt
    from the feed byte for byte on every attempt, so a retry carries the same signature)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_webhook_status", "webhook_id", "status", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)  # X-Registry-Delivery
    webhook_id: int = Field(foreign_key="webhook.id")
    first_seq: int = Field(sa_column=Column(SEQ, nullable=False))
    last_seq: int = Field(sa_column=Column(SEQ, nullable=False))
    entities: str = Field(max_length=60)
    item_count: int
    status: str = Field(default=DeliveryStatus.PENDING, max_length=12)
    attempts: int = 0
    redelivery_of: str | None = Field(default=None, max_length=36)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(False))
    delivered_at: datetime | None = Field(default=None, sa_column=_when())


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: one row per POST (or refusal to send), with the answer or the error."""

    __tablename__ = "webhook_attempt"
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_when(False))
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
    duration_ms: int = 0
    retry_at: datetime | None = Field(default=None, sa_column=_when())
