"""The append-only audit log: every write records who did what, to what, and why (``record``,
called by the write path, ``app.writes``, only); ``log`` reads it, ``routes`` serves it.

Append-only is enforced by the database, not only by the absence of routes: triggers raise on
UPDATE and DELETE (and TRUNCATE on PostgreSQL). The same DDL is attached to the table for
``SQLModel.metadata.create_all`` (tests) and run by migration 0004, so both agree.
"""

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, Column, Index, column, event, select, table
from sqlmodel import Field, Session, SQLModel

from app.access.principal import Principal
from app.clock import utcnow


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    # Filters of GET /audit: by actor, by action, by target (type + id).
    __table_args__ = (
        Index("ix_audit_log_actor", "actor"),
        Index("ix_audit_log_action", "action"),
        Index("ix_audit_log_target", "target_type", "target_id"),
    )
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


# --- append-only triggers (migration 0004 repeats this DDL: migrations never import models) ----

APPEND_ONLY_MESSAGE = "audit_log is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"""
    for op in ("UPDATE", "DELETE")
]
POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]

_TABLE = AuditLog.__table__  # type: ignore[attr-defined]
for _statement in SQLITE_TRIGGERS:
    event.listen(_TABLE, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(_TABLE, "after_create", DDL(_statement).execute_if(dialect="postgresql"))


# The two columns of the college table the log reads: a table clause, not app.colleges.models
# (the log sits below every domain package, which all write through it).
_COLLEGE = table("college", column("id"), column("authority_id"))


def _college_authority(session: Session, college_id: int) -> int | None:
    # A college token has no authority of its own; its writes belong to its college's bureau, so
    # that bureau's admins read them.
    query = select(_COLLEGE.c.authority_id).where(_COLLEGE.c.id == college_id)
    with session.no_autoflush:  # a read on the side: the write's own rows flush when it does
        return session.execute(query).scalar_one_or_none()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def record(
    session: Session,
    actor: Principal,
    *,
    action: str,
    target_type: str,
    target_id: object,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
    authority_id: int | None = None,
) -> AuditLog:
    """Add one audit record to the caller's transaction (it commits or rolls back with it).

    ``authority_id`` is the authority the target belongs to (a college's, a round's); admins of
    that authority (and of its parents) read the record. Without it, the actor's own authority.
    """
    if not actor.name:
        raise ValueError("an audit record needs a named actor")
    if authority_id is None and actor.college_id is not None:
        authority_id = _college_authority(session, actor.college_id)
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
