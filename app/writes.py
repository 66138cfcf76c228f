"""The write path: one call records what a write changed, in the caller's transaction.

After a service has changed rows (and before its caller commits), it calls

- ``record`` — the audit entry (actor, action, target, before/after, reason) together with the
  change-feed snapshots and the entity's events of the same write; or
- ``changed`` — the snapshots and events alone, for a step of a larger write whose audit entry
  is recorded once by the step that began it (a publication publishing its programs).

A *change* is what an entity's snapshots return (``app.programs.snapshots``:
``snapshots.programs([id], "updated")``), an event row to add (``ProgramEvent``,
``FilingEvent``), or ``programs.lifecycle.events(...)``.
Changes run in the order given; a snapshot flushes the session first, so it reads the written
state. Nothing commits here: a rollback drops the audit entry, the feed items and the events
together. ``audit.record`` is called from here only (``tests/test_structure.py``).
"""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, SQLModel

from app import audit
from app.access.principal import Principal
from app.changes.recorder import mark_written

Change = Callable[[Session], None] | SQLModel


def changed(session: Session, *changes: Change) -> None:
    """Record feed snapshots and events of a write, in order (a snapshot flushes first)."""
    for change in changes:
        if isinstance(change, SQLModel):
            session.add(change)
        else:
            change(session)


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
    changes: tuple[Change, ...] | list[Change] = (),
) -> audit.AuditLog:
    """The write's audit entry, after its ``changes`` (see ``changed``); returns the entry.

    ``authority_id``: the authority the target belongs to (its admins read the entry); without
    it, the actor's own (a college's bureau for a college token)."""
    if changes:
        changed(session, *changes)
    entry = audit.record(
        session,
        actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        reason=reason,
        authority_id=authority_id,
    )
    mark_written(session)  # the registry's version moves at commit (app.changes.recorder)
    return entry
