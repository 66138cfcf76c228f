from datetime import datetime

from pydantic import BaseModel, Field

from app.changes.recorder import ENTITIES


class WebhookCreate(BaseModel):
    url: str = Field(min_length=8, max_length=2000)
    entities: list[str] = Field(
        default_factory=lambda: list(ENTITIES), description="major, college, program, publication"
    )
    secret: str = Field(min_length=16, max_length=200, description="HMAC-SHA256 key (≥ 16 chars)")
    since: int | None = Field(
        default=None, ge=0, description="deliver changes after this seq (default: from now on)"
    )


class WebhookUpdate(BaseModel):
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    entities: list[str] | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    active: bool | None = Field(default=None, description="true re-enables a disabled webhook")


class WebhookPublic(BaseModel):
    id: int
    url: str
    entities: list[str]
    active: bool
    disabled_reason: str | None
    cursor: int
    failures: int
    next_attempt_at: datetime | None
    created_by: str
    created_at: datetime


class AttemptPublic(BaseModel):
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    retry_at: datetime | None


class DeliveryPublic(BaseModel):
    id: str
    first_seq: int
    last_seq: int
    item_count: int
    status: str
    attempts: list[AttemptPublic]
    redelivery_of: str | None
    created_at: datetime
    delivered_at: datetime | None
