"""Colleges that close or merge (contract.md "Program lifecycle"): a closed college's programs
are withdrawn; a merged college's programs move to the receiving college, except an offering that
one already runs, which is withdrawn at the merged college. Each program changed gets an event
(``moved`` with the former college, or ``withdrawn`` saying why), the change feed an update of
each program and of the college, the audit one record — all in the caller's transaction.

Set-based: one SELECT plans the programs, UPDATEs by chunks of ids, one INSERT (executemany) of
the events; a college of 2,000 programs is a handful of statements, not a query per program.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app import writes
from app.access.policy import Access, ensure_manage_college
from app.access.principal import Principal
from app.catalog.models import Major
from app.colleges import service as colleges
from app.colleges import snapshots as college_snapshots
from app.colleges.models import College
from app.errors import Conflict, Invalid
from app.i18n import t
from app.programs import lifecycle, snapshots
from app.programs.models import Program
from app.vocab import CollegeStatus, ProgramStatus, system_of

CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit
# An offering the receiving college "runs": any state but withdrawn.
RUNNING = (
    ProgramStatus.ACTIVE,
    ProgramStatus.SUSPENDED,
    ProgramStatus.APPROVED,  # contract.md "Source of truth": approved, waiting for its list
)


@dataclass
class Plan:
    """What a merge or closure does: programs that move (to ``into``) and those withdrawn."""

    college: College
    into: College | None
    moved: list[dict[str, Any]] = field(default_factory=list)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)
    filings: list[int] = field(
        default_factory=list
    )  # open filings withdrawn (filings/college_end.py)


def _rows(session: Session, college: College, into: College | None) -> list[Any]:
    """The college's programs that are not withdrawn, each with whether ``into`` runs it."""
    other = aliased(Program)
    runs = (
        exists()
        .where(
            and_(
                col(other.college_id) == (into.id if into else -1),
                col(other.major_id) == col(Program.major_id),
                col(other.level) == col(Program.level),
                col(other.intake) == col(Program.intake),
                col(other.status).in_(RUNNING),
            )
        )
        .label("overlap")
    )
    query = (
        select(
            col(Program.id),
            col(Major.code),
            col(Major.name),
            col(Program.intake),
            col(Program.level),
            col(Program.status),
            runs,
        )
        .join(Major, col(Major.id) == Program.major_id)
        .where(
            col(Program.college_id) == college.id, col(Program.status) != ProgramStatus.WITHDRAWN
        )
        .order_by(col(Program.id))
    )
    return list(session.execute(query).all())


def plan(session: Session, college: College, into: College | None) -> Plan:
    """What merging ``college`` into ``into`` (or closing it, ``into`` None) would do."""
    out = Plan(college=college, into=into)
    for pid, code, name, intake, level, status, overlap in _rows(session, college, into):
        item = {
            "id": pid,
            "major_code": code,
            "major_name": name,
            "intake": intake,
            "level": level or None,
            "status": status,
        }
        (out.withdrawn if into is None or overlap else out.moved).append(item)
    return out


def check(session: Session, college: College, into: College | None, actor: Principal) -> None:
    ensure_manage_college(session, actor, college)
    for one in (college, into):
        if one is not None and one.status != ProgramStatus.ACTIVE:
            status = t(f"college_status.{one.status}")
            raise Conflict(
                {"college": one.code, "status": one.status},
                error="college_closed",
                msg="college_closed.merge",
                college=one.name,
                status=status,
            )
    if into is None:
        return
    ensure_manage_college(session, actor, into)
    if into.id == college.id:
        raise Invalid({"field": "into"}, error="merge_into_self")
    if system_of(into.type) != system_of(college.type):
        raise Invalid({"field": "into"}, error="merge_across_system")


def merge_targets(session: Session, college: College, actor: Principal) -> list[College]:
    """The colleges ``college`` may be merged into by ``actor`` (what ``check`` accepts): active,
    governed by the actor, of the same system, not itself — the pick-list of the page."""
    query = (
        select(College)
        .where(col(College.status) == CollegeStatus.ACTIVE, col(College.id) != college.id)
        .order_by(col(College.code))
    )
    query = Access(session, actor).restrict(query, col(College.authority_id))
    system = system_of(college.type)
    return [c for c in session.scalars(query) if system_of(c.type) == system]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _apply(session: Session, found: Plan, change: dict[str, Any]) -> None:
    table = Program.__table__  # type: ignore[attr-defined]
    withdrawn = [p["id"] for p in found.withdrawn]
    moved = [p["id"] for p in found.moved]
    for chunk in _chunks(withdrawn):
        session.execute(
            update(table).where(table.c.id.in_(chunk)).values(status=ProgramStatus.WITHDRAWN)
        )
    if found.into is not None:
        for chunk in _chunks(moved):
            session.execute(
                update(table).where(table.c.id.in_(chunk)).values(college_id=found.into.id)
            )
    source, into = found.college, found.into
    why = {"merged_into": into.code} if into else {"college_closed": source.code}
    events = [
        lifecycle.events(withdrawn, lifecycle.Change(action="withdrawn", detail=why, **change))
    ]
    if into is not None:
        detail = {"college_id": into.id, "from": source.code, "to": into.code}
        moves = lifecycle.Change(
            action="moved", former_college_id=source.id, detail=detail, **change
        )
        events.append(lifecycle.events(moved, moves))
    session.expire_all()  # the ORM's programs are stale after the bulk UPDATEs
    writes.changed(session, *events, snapshots.programs(withdrawn + moved, "updated"))


def end_college(
    session: Session,
    code: str,
    *,
    into_code: str | None,
    effective_on: date,
    reason: str,
    actor: Principal,
    audit_extra: dict[str, Any] | None = None,
) -> Plan:
    """Merge the college into ``into_code`` (status ``merged``) or close it (``closed``);
    ``audit_extra`` joins the audit record's ``after`` (what the caller did in the same step)."""
    college = colleges.get_by_code(session, code)
    into = colleges.get_by_code(session, into_code) if into_code else None
    check(session, college, into, actor)
    found = plan(session, college, into)
    change = {
        "actor": actor.name,
        "year": effective_on.year,
        "reason": reason,
        "source": f"college:{college.code}"[:60],
    }
    _apply(session, found, change)
    college = colleges.get_by_code(session, code)
    before = college.status
    college.status = CollegeStatus.MERGED if into else CollegeStatus.CLOSED
    college.merged_into_id = into.id if into else None
    college.ended_on, college.end_reason = effective_on, reason
    session.add(college)
    session.flush()
    assert college.id is not None
    writes.record(
        session,
        actor,
        action="college.merge" if into else "college.close",
        target_type="college",
        target_id=college.code,
        before={"status": before},
        after={
            "status": college.status,
            "into": into.code if into else None,
            "effective_on": effective_on.isoformat(),
            "moved": len(found.moved),
            "withdrawn": len(found.withdrawn),
        }
        | (audit_extra or {}),
        reason=reason,
        authority_id=college.authority_id,
        changes=[college_snapshots.colleges([college.id], "updated")],
    )
    found.college, found.into = (
        college,
        (colleges.get_by_code(session, into.code) if into else None),
    )
    return found
