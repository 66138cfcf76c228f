"""What a published list does to the registry: the approvals it carries take effect.

``approvals_take_effect`` is the one call the publish service makes for the list's additions
(新增专业, 新增层次, 停招后复开, 改名); lifecycle entries that also take effect at publication get a
sibling call next to it. Runs inside the publish transaction; nothing here commits.
"""

from collections.abc import Sequence

from sqlmodel import Session

from app.access.principal import Principal
from app.filings.models import FilingEntry
from app.programs import lifecycle
from app.programs.models import Program
from app.publications import tracing
from app.publications.models import ProgramApproval, Publication, PublicationLine
from app.vocab import Kind


def approvals_take_effect(
    session: Session,
    publication: Publication,
    lines: Sequence[PublicationLine],
    *,
    actor: Principal,
) -> int:
    """Each line's program becomes ``active`` (``since_year`` the list's year for a new one) and
    points to this revision (``ProgramApproval``); a line added by hand creates its program (the
    publish audit lists it under ``added``). Returns the number of programs linked."""
    assert publication.id is not None
    linked = 0
    for line in lines:
        program_id = _effect(session, publication, line, actor)
        if program_id is not None and line.id is not None:
            session.add(
                ProgramApproval(
                    program_id=program_id, publication_id=publication.id, line_id=line.id
                )
            )
            linked += 1
    session.flush()
    return linked


def _approval(
    line: PublicationLine, year: int, kind: str, source: str, actor: str, former: str = ""
) -> lifecycle.Approval:
    assert line.major_id is not None
    return lifecycle.Approval(
        college_id=line.college_id,
        major_id=line.major_id,
        level=line.level,
        intake=line.intake,
        length_years=line.length_years,
        year=year,
        kind=kind,
        former_name=former,
        source=source,
        actor=actor,
    )


def _effect(
    session: Session, publication: Publication, line: PublicationLine, actor: Principal
) -> int | None:
    assert publication.id is not None
    if line.entry_id is not None:
        entry = session.get(FilingEntry, line.entry_id)
        assert entry is not None
        assert entry.program_id is not None
        program = session.get(Program, entry.program_id)
        assert program is not None
        approval = _approval(
            line,
            publication.year,
            entry.kind,
            f"filing:{entry.filing_id}/{entry.index}",
            actor.name,
            entry.former_name,
        )
        lifecycle.take_effect(session, program, approval, publication_id=publication.id)
        return program.id
    if tracing.recorded(session, publication, line):
        return tracing.active_program(session, line)
    if line.major_id is None:
        return None
    approval = _approval(
        line, publication.year, Kind.NEW_MAJOR, f"publication:{publication.id}", actor.name
    )
    program = lifecycle.activate_new(session, approval, publication_id=publication.id)
    return program.id
