"""A college asks to suspend (停招) or withdraw (撤销) one of its programs with one click: the
entry goes into its draft filing of the year (a new draft when it has none), which it then
completes and submits on the usual filing page."""

from sqlmodel import Session, col, select

from app.access.principal import Principal
from app.catalog.models import Major
from app.colleges.models import College
from app.errors import NotFound
from app.filings import service
from app.filings.models import Filing
from app.filings.schemas import EntryIn, FilingCreate, FilingUpdate
from app.programs.models import Program
from app.vocab import FilingStatus


def entry_for(session: Session, program: Program, *, kind: str, reason: str, year: int) -> EntryIn:
    """The lifecycle entry naming ``program`` as a clerk would type it."""
    major = session.get(Major, program.major_id)
    assert major is not None
    return EntryIn(
        major_code=major.code,
        major_name=major.name,
        intake=program.intake,
        level=program.level or None,
        length_years=str(program.length_years),
        kind=kind,
        effective_year=str(year),
        reason=reason,
    )


def file_lifecycle(
    session: Session,
    program_id: int,
    *,
    kind: str,
    reason: str,
    year: int,
    effective_year: int | None,
    actor: Principal,
) -> Filing:
    """Add the entry to the college's latest draft of ``year`` (checked like any edit), or start
    a draft with it. The college's own token only (``ensure_act_for_college``)."""
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(error="program_not_found", id=program_id)
    college = session.get(College, program.college_id)
    assert college is not None
    entry = entry_for(session, program, kind=kind, reason=reason, year=effective_year or year)
    draft = session.exec(
        select(Filing)
        .where(
            Filing.college_id == college.id,
            Filing.year == year,
            Filing.status == FilingStatus.DRAFT,
        )
        .order_by(col(Filing.id).desc())
    ).first()
    if draft is None or draft.id is None:
        data = FilingCreate(college=college.code, year=year, entries=[entry])
        return service.create_filing(session, data, actor=actor)
    entries = [service.entry_input(e) for e in service.entries_of(session, draft)] + [entry]
    update = FilingUpdate(version=draft.version, entries=entries)
    return service.update_filing(session, draft.id, update, actor=actor)
