"""The closures annex (停招、撤销专业名单) and its effect: a list drafted from a round carries the
round's approved 停招 / 撤销 entries; publishing it suspends or withdraws those programs, each
with an event naming the list, the entry, the year and the reason (contract.md "Program
lifecycle"). Nothing here commits."""

from collections.abc import Sequence

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import writes
from app.access.principal import Principal
from app.catalog.models import Major
from app.colleges.models import College
from app.errors import Conflict
from app.filings.lifecycle_rules import ALLOWED_FROM
from app.filings.models import Filing, FilingEntry
from app.programs import lifecycle, snapshots
from app.programs.models import Program
from app.publications.models import Publication, PublicationClosure
from app.vocab import LIFECYCLE_KINDS, Decision, FilingStatus, Kind, ProgramStatus

STATUS_OF = {
    Kind.SUSPEND.value: ProgramStatus.SUSPENDED,
    Kind.WITHDRAW.value: ProgramStatus.WITHDRAWN,
}
EVENT_OF = {Kind.SUSPEND.value: "suspended", Kind.WITHDRAW.value: "withdrawn"}


def from_round(session: Session, round_id: int) -> list[PublicationClosure]:
    """The round's approved lifecycle entries of decided filings, in the filings' order
    (college code, filing, entry), names as the registry holds them now."""
    rows = session.execute(
        core_select(FilingEntry, Filing, College, Program, Major)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(College, col(College.id) == Filing.college_id)
        .join(Program, col(Program.id) == FilingEntry.program_id)
        .join(Major, col(Major.id) == Program.major_id)
        .where(
            col(Filing.round_id) == round_id,
            col(Filing.status) == FilingStatus.DECIDED,
            col(FilingEntry.decision) == Decision.APPROVED,
            col(FilingEntry.kind).in_(LIFECYCLE_KINDS),
        )
        .order_by(col(College.code), col(Filing.id), col(FilingEntry.index))
    ).all()
    return [
        PublicationClosure(
            publication_id=0,
            position=index,
            program_id=program.id,
            entry_id=entry.id,
            college_id=college.id,
            college_code=college.code,
            college=college.name,
            major_code=major.code,
            major_name=major.name,
            intake=program.intake,
            level=program.level,
            kind=entry.kind,
            effective_year=entry.effective_year or filing.year,
            reason=entry.reason,
        )
        for index, (entry, filing, college, program, major) in enumerate(rows)
    ]


def drafted(session: Session, publication: Publication) -> dict[str, list[PublicationClosure]]:
    """The closures annex of a list drafted from a round (none for one typed by hand): the
    technician notice's 附件3, the 中职 notice's 附件4 (layouts.py)."""
    if publication.round_id is None:
        return {}
    return {"closures": from_round(session, publication.round_id)}


def rows_of(session: Session, publication_id: int) -> Sequence[PublicationClosure]:
    query = select(PublicationClosure).where(PublicationClosure.publication_id == publication_id)
    return session.exec(query.order_by(col(PublicationClosure.position))).all()


def counts(session: Session, publication_ids: list[int]) -> list[tuple[str, int]]:
    """(类型, lines) of these lists' closures annexes: what the statistics count (issue 24)."""
    if not publication_ids:
        return []
    n = func.count(col(PublicationClosure.id))
    rows = session.execute(
        core_select(col(PublicationClosure.kind), n)
        .where(col(PublicationClosure.publication_id).in_(publication_ids))
        .group_by(col(PublicationClosure.kind))
        .order_by(col(PublicationClosure.kind))
    ).all()
    return [(kind, count) for kind, count in rows]


def take_effect(session: Session, publication: Publication, *, actor: Principal) -> int:
    """Suspend or withdraw the programs of the list's closures annex (at its publication), one
    event each; a program already in that state (a correction published again) is left as it
    is. A program that left the states allowing it meanwhile: 409 ``closure_stale``."""
    assert publication.id is not None
    changed: list[int] = []
    for row in rows_of(session, publication.id):
        program = session.get(Program, row.program_id, with_for_update=True)
        assert program is not None
        target = STATUS_OF[row.kind].value
        if program.status == target:
            continue
        if program.status not in ALLOWED_FROM[row.kind]:
            raise Conflict(
                {"program_id": program.id, "status": program.status},
                error="closure_stale",
                code=row.major_code,
                college=row.college,
                kind=row.kind,
            )
        before = program.status
        program.status = target
        session.add(program)
        change = lifecycle.Change(
            action=EVENT_OF[row.kind],
            actor=actor.name,
            year=row.effective_year,
            reason=row.reason,
            publication_id=publication.id,
            entry_id=row.entry_id,
            source=f"publication:{publication.id}",
            detail={"kind": row.kind, "before": before},
        )
        session.flush()
        writes.changed(session, lifecycle.events([row.program_id], change))
        changed.append(row.program_id)
    writes.changed(session, snapshots.programs(changed, "updated"))
    return len(changed)
