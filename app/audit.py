"""The append-only audit log: every write records who did what, to what, and why."""

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, Session, SQLModel

if TYPE_CHECKING:
    from app.auth import Principal


def utcnow() -> datetime:
    return datetime.now(UTC)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=100)
    role: str = Field(max_length=12)
    token_id: int | None = None
    authority_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=60)
    target_type: str = Field(max_length=40)
    target_id: str = Field(max_length=60)
    summary: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str | None = Field(default=None, max_length=1000)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def record(
    session: Session,
    actor: "Principal",
    *,
    action: str,
    target_type: str,
    target_id: object,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    authority_id: int | None = None,
) -> AuditLog:
    """Add one audit record to the caller's transaction (it commits or rolls back with it)."""
    entry = AuditLog(
        actor=actor.name,
        role=actor.role,
        token_id=actor.token_id,
        authority_id=authority_id if authority_id is not None else actor.authority_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        summary=_jsonable({"before": before, "after": after}),
        reason=reason,
    )
    session.add(entry)
    return entry
