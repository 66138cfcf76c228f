import base64
import binascii
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from app.changes.recorder import ENTITIES
from app.fields import Input, UtcDateTime


def _standard_secret(secret: str) -> str:
    """A ``whsec_`` secret is the base64 of the key (Standard Webhooks): it must decode to 24 to
    64 bytes, as the specification asks; any other secret is the key itself."""
    if secret.startswith("whsec_"):
        try:
            key = base64.b64decode(secret[6:] + "==", validate=False)
        except (binascii.Error, ValueError):
            key = b""
        if not 24 <= len(key) <= 64:
            raise ValueError("a whsec_ secret is whsec_ followed by the base64 of 24 to 64 bytes")
    return secret


Secret = Annotated[
    str,
    Field(
        min_length=16,
        max_length=200,
        description="HMAC-SHA256 key (≥ 16 chars); whsec_<base64> as Standard Webhooks makes it",
    ),
    AfterValidator(_standard_secret),
]


class WebhookCreate(Input):
    url: str = Field(min_length=8, max_length=2000)
    entities: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=lambda: list(ENTITIES),
        max_length=20,
        description="major, college, program, publication",
    )
    secret: Secret
    since: int | None = Field(
        default=None,
        ge=0,
        le=2**63 - 1,
        description="deliver changes after this seq (default: from now on)",
    )


class WebhookUpdate(Input):
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    entities: list[Annotated[str, Field(max_length=20)]] | None = Field(default=None, max_length=20)
    secret: Secret | None = None
    active: bool | None = Field(default=None, description="true re-enables a disabled webhook")


class WebhookPublic(BaseModel):
    id: int
    url: str
    entities: list[str]
    active: bool
    disabled_reason: str | None
    cursor: int
    failures: int
    next_attempt_at: UtcDateTime | None
    created_by: str
    created_at: UtcDateTime


class AttemptPublic(BaseModel):
    at: UtcDateTime
    status_code: int | None
    error: str | None
    duration_ms: int
    retry_at: UtcDateTime | None


class DeliveryPublic(BaseModel):
    id: str
    first_seq: int
    last_seq: int
    item_count: int
    status: str
    attempts: list[AttemptPublic]
    redelivery_of: str | None
    created_at: UtcDateTime
    delivered_at: UtcDateTime | None
