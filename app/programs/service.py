"""Programs: filtered keyset listing, lookups and single-program writes."""

from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app import writes
from app.access.policy import ensure_manage_college
from app.access.principal import Principal
from app.catalog.models import Major
from app.catalog.service import get_edition
from app.clock import utcnow
from app.colleges import service as colleges
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound
from app.programs import lifecycle, readmodel, snapshots
from app.programs.lifecycle import former_codes
from app.programs.models import Program
from app.programs.resolve import MajorResolver
from app.programs.schemas import (
    FormerCode,
    ProgramCreate,
    ProgramDetail,
    ProgramFilters,
    ProgramHistory,
    ProgramPublic,
    ProgramUpdate,
)
from app.vocab import Level, ProgramStatus, System, system_of


def filtered_query(
    filters: ProgramFilters, columns: tuple[Any, ...] = ()
) -> Select[*tuple[Any, ...]]:
    """``SELECT columns`` (default: a program's ``readmodel.COLUMNS``) from program and what it
    joins, narrowed by the filters."""
    columns = columns or tuple(column for _, column in readmodel.COLUMNS)
    where = readmodel.conditions(filters)
    query = readmodel.joined(*columns)
    return query.where(*where) if where else query


def get_program(session: Session, program_id: int) -> ProgramPublic:
    query = filtered_query(ProgramFilters()).where(col(Program.id) == program_id)
    row = session.execute(query).first()
    if row is None:
        raise NotFound(error="program_not_found", id=program_id)
    return ProgramPublic(**readmodel.item(row))


def program_detail(session: Session, program_id: int) -> ProgramDetail:
    """One program with its former codes (``GET /programs/{id}``)."""
    public = get_program(session, program_id)
    former = [FormerCode(**item) for item in former_codes(session, program_id)]
    since = lifecycle.status_since(lifecycle.history_items(session, program_id), public.status)
    return ProgramDetail(**public.model_dump(), former_codes=former, status_since=since)


def program_history(session: Session, program_id: int) -> ProgramHistory:
    """``GET /programs/{id}/history`` (404 for an unknown program)."""
    get_program(session, program_id)
    return ProgramHistory.model_validate({"items": lifecycle.history_items(session, program_id)})


# The event a direct status change records, by (status before, status after).
_STATUS_EVENT: dict[str, str] = {
    ProgramStatus.SUSPENDED: "suspended",
    ProgramStatus.WITHDRAWN: "withdrawn",
}


def _status_event(before: str, after: str) -> str:
    if after in _STATUS_EVENT:
        return _STATUS_EVENT[after]
    return "activated" if before == ProgramStatus.APPROVED else "reactivated"


def resolve_major(
    session: Session,
    code: str,
    *,
    edition: str | None,
    province: str,
    system: str | None = None,
    name: str = "",
) -> Major:
    """The major a code means for a college of ``province`` (and ``system``): in the named
    edition, else in any edition in force — the same rules as ``import programs``."""
    edition_id = get_edition(session, edition).id if edition else None
    resolver = MajorResolver(session, [code])
    ref = resolver.pick(code, name, province=province, system=system, edition_id=edition_id)
    if ref is None:
        finding, message, suggestion = resolver.problem(code, province, system)
        raise NotFound(
            {"code": finding, "message": message, "suggestion": suggestion}, error="major_not_found"
        )
    major = session.get(Major, ref.id)
    assert major is not None
    return major


def _level(college: College, level: Level | None) -> str:
    """'' for 中职 (no training level, domain.md); technician programs need one."""
    if system_of(college.type) == System.SECONDARY:
        if level is not None:
            raise Invalid(error="level_not_allowed")
        return ""
    if level is None:
        raise Invalid(error="level_required")
    return level.value


def create_program(session: Session, data: ProgramCreate, *, actor: Principal) -> Program:
    college = colleges.get_by_code(session, data.college)
    ensure_manage_college(session, actor, college)
    major = resolve_major(
        session,
        data.major_code,
        edition=data.edition,
        province=college.province,
        system=system_of(college.type).value,
    )
    assert college.id is not None
    assert major.id is not None
    program = Program(
        college_id=college.id,
        major_id=major.id,
        level=_level(college, data.level),
        intake=data.intake.value,
        length_years=data.length_years,
        status=data.status.value,
        since_year=data.since_year,
        source="api",
    )
    session.add(program)
    _flush_unique(session, college.code, major.code)
    assert program.id is not None
    writes.record(
        session,
        actor,
        action="program.create",
        target_type="program",
        target_id=program.id,
        after=data.model_dump(mode="json"),
        authority_id=college.authority_id,
        changes=[snapshots.programs([program.id], "created")],
    )
    return program


def update_program(
    session: Session, program_id: int, data: ProgramUpdate, *, actor: Principal
) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(error="program_not_found", id=program_id)
    ensure_manage_college(session, actor, session.get_one(College, program.college_id))
    changes = data.model_dump(exclude_unset=True, exclude={"reason"}, mode="json")
    reason = (data.reason or "").strip() or None
    status_before = program.status
    status_changed = "status" in changes and changes["status"] != status_before
    if status_changed and reason is None:  # a correction says why (issue 24: it was dropped)
        raise Invalid({"field": "reason"}, error="reason_required", msg="reason_required.status")
    before = {k: getattr(program, k) for k in changes}
    for key, value in changes.items():
        setattr(program, key, value)
    session.add(program)
    college = session.get(College, program.college_id)
    major = session.get(Major, program.major_id)
    assert college is not None
    assert major is not None
    _flush_unique(session, college.code, major.code)
    events = []
    if status_changed:
        change = lifecycle.Change(
            action=_status_event(status_before, changes["status"]),
            actor=actor.name,
            year=utcnow().year,
            reason=reason,
            source="api:status",
            detail={"before": status_before, "direct": True},
        )
        events.append(lifecycle.events([program_id], change))
    writes.record(
        session,
        actor,
        action="program.update",
        target_type="program",
        target_id=program.id,
        before=before,
        after=changes,
        reason=reason,
        authority_id=college.authority_id,
        changes=[*events, snapshots.programs([program_id], "updated")],
    )
    return program


def _flush_unique(session: Session, college: str, major: str) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(error="program_exists", college=college, major=major) from exc
