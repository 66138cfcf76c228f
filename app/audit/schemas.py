from typing import Any

from pydantic import BaseModel

from app.fields import UtcDateTime


class AuditPublic(BaseModel):
    id: int
    at: UtcDateTime
    actor: str
    role: str
    token_id: int | None
    authority: str | None
    action: str
    target_type: str
    target_id: str
    summary: dict[str, Any]
    reason: str | None
