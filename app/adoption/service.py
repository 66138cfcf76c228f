"""Adopting a new catalog edition: the plan (a dry run) and applying it, all or nothing.

Applying moves every carried program to its successor major, suspends the programs of withdrawn
codes, retires the losers of collisions, records a ``program_event`` per program and one audit
record, and marks the old edition superseded (with the day and the edition that replaced it).
The authorities and the open rounds that applied the old edition apply the new one as well.
It reads the plan a chunk of programs at a time (``stream.py``) and writes each chunk before it
reads the next, in the caller's one transaction; what it did is reported section by section to
a ``Sections`` (the answer's JSON, ``answer.Applied``; the command line's lines). Applying again
finds nothing left to do and writes nothing.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import Any, Protocol

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.adoption import answer, stream
from app.adoption.plan import Counts, Outcome, Row, Target, editions
from app.authorities.models import AuthorityCatalog
from app.catalog import snapshots as catalog_snapshots
from app.catalog.models import CatalogEdition, Major
from app.catalog.service import bump_revision
from app.clock import utcnow
from app.db.bulk import indexes_set_aside, insert_bound
from app.errors import Conflict
from app.filings.models import FilingRound, RoundEdition
from app.programs import snapshots
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from app.vocab import EditionStatus, MajorStatus, ProgramStatus

DecisionRows = list[tuple[int, dict[str, str]]]
PROGRAM = Program.__table__  # type: ignore[attr-defined]
PROGRAM_EVENT = ProgramEvent.__table__  # type: ignore[attr-defined]
# The program indexes a move rewrites (those over major_id), set aside on SQLite while an adoption
# moves at least SET_ASIDE_SHARE of the programs and made again once, sorted
# (``db.bulk.indexes_set_aside``; docs/benchmarks.md, "An adoption's indexes made again").
MAJOR_INDEXES = sorted(ix.name for ix in PROGRAM.indexes if "major_id" in ix.columns)
SET_ASIDE_SHARE = 0.2


class Sections(Protocol):
    """What applying did, told as it is written: the collisions (all at once, first), then the
    withdrawals and the moves of each chunk of programs, the chunks in program order."""

    def collisions(self, items: list[stream.Collision]) -> None: ...

    def withdrawn(self, items: list[tuple[Row, date | None]]) -> None: ...

    def moved(self, items: list[tuple[Row, Target, str, bool]]) -> None: ...


@dataclass(frozen=True)
class Done:
    """What ``adopt`` did: the plan's counts, whether it wrote anything, the old edition's
    ``superseded_on`` afterwards (ISO day or None)."""

    counts: Counts
    applied: bool
    superseded_on: str | None


def dry_run(
    session: Session,
    engine: Engine,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows,
    actor: Principal,
    keep_until: date | None = None,
) -> Iterator[bytes]:
    """The plan ``adopt`` answers without ``apply``, as JSON bytes written while it is computed
    (``answer.py``), in one read transaction of its own on ``engine``. What refuses it (404, 409
    and 422 of the editions, 403, 422 of the decisions) is raised here, before the answer
    starts."""
    new, _ = editions(session, new_key, from_key)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    # The request's transaction ends here (it wrote nothing): its connection goes back to the
    # pool (SQLite: the write lock is released) before the plan's own is taken.
    session.commit()
    body = answer.dry_run(engine, new_key, from_key, decisions=decisions, keep_until=keep_until)
    return chain([next(body)], body)


def apply(
    session: Session,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows,
    actor: Principal,
    keep_until: date | None = None,
) -> Iterator[bytes]:
    """``adopt`` carried out, answered as the plan's JSON (``answer.Applied``): written to a
    temporary file while the programs are, read from it once the caller has committed."""
    sections = answer.Applied()
    try:
        done = adopt(
            session,
            new_key,
            from_key=from_key,
            decisions=decisions,
            actor=actor,
            out=sections,
            keep_until=keep_until,
        )
    except BaseException:
        sections.close()
        raise
    return sections.body(new_key, from_key, done.applied, done.superseded_on)


def adopt(
    session: Session,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows,
    actor: Principal,
    out: Sections,
    keep_until: date | None = None,
    today: date | None = None,
) -> Done:
    """Carries the plan out in ``session``'s transaction, all or nothing: 409
    ``adoption_needs_decisions`` (the programs) while a program needs a decision, found before
    anything is written; then chunk by chunk, each told to ``out`` as it is written."""
    new, old = editions(session, new_key, from_key)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    _lock(session, old)
    today = today or utcnow().date()
    plan = stream.in_session(
        session, new_key, from_key, decisions=decisions, keep_until=keep_until, today=today
    )
    _refuse_pending(plan)
    collisions = plan.collisions()
    out.collisions(collisions)
    counts = Counts(collisions=len(collisions))
    superseding = _supersede(session, plan, today=today)
    at = utcnow()  # one act: every event of the adoption bears its moment
    aside = MAJOR_INDEXES if plan.moving_share() >= SET_ASIDE_SHARE else []
    with indexes_set_aside(session, aside):
        for retired, chunk in plan.written():
            out.withdrawn(chunk.withdrawals)
            out.moved(chunk.moves)
            counts.withdrawn += len(chunk.withdrawals)
            counts.moved += len(chunk.moves)
            _write(session, plan, retired, chunk, actor, at)
    _merged(session, plan, collisions, actor, at)
    if not (superseding or counts.moved or counts.withdrawn or counts.collisions):
        return Done(counts, False, _day(old))
    _finish(session, plan, counts, actor=actor, today=today)
    return Done(counts, True, _day(old))


def _merged(
    session: Session,
    plan: stream.Plan,
    collisions: list[stream.Collision],
    actor: Principal,
    at: datetime,
) -> None:
    """The collision losers' events, last (as the whole plan wrote them)."""
    events = [
        _event(r, "merged", plan, actor, at, new_code=t.code, relation="merged", into=k.program_id)
        for k, losers, t in collisions
        for r in losers
    ]
    _insert_events(session, events)


def _finish(
    session: Session, plan: stream.Plan, counts: Counts, *, actor: Principal, today: date
) -> None:
    """The new edition applied where the old one was, both editions' revisions moved, and the
    audit record ``catalog.adopt`` with the plan's counts."""
    old, new = plan.inputs.old, plan.inputs.new
    _apply_new_edition(session, old, new, year=today.year)
    session.flush()
    bump_revision(session, old)
    bump_revision(session, new)
    writes.record(
        session,
        actor,
        action="catalog.adopt",
        target_type="catalog_edition",
        target_id=new.key,
        after={"from": old.key, **counts.as_dict()},
    )


def _refuse_pending(plan: stream.Plan) -> None:
    """409 ``adoption_needs_decisions`` with every program that still needs a decision (only
    the programs of split or unmapped codes are read), before anything is written."""
    pending = plan.pending()
    if pending:
        raise Conflict(
            {"needs_decision": [answer.needs_decision(*p) for p in pending]},
            error="adoption_needs_decisions",
        )


def _day(edition: CatalogEdition) -> str | None:
    return edition.superseded_on.isoformat() if edition.superseded_on else None


def _lock(session: Session, old: CatalogEdition) -> None:
    """Two adoptions of one edition queue here (PostgreSQL row lock; SQLite writers are already
    serialised by BEGIN IMMEDIATE)."""
    session.exec(select(CatalogEdition.id).where(CatalogEdition.id == old.id).with_for_update())


def _absorbed_majors(session: Session, plan: stream.Plan) -> list[Major]:
    """Provincial specialty majors the new edition takes over that are still active there."""
    absorbed = {k for k in plan.inputs.lines if k[0] != plan.inputs.old.id}
    out = []
    for edition_id, code in sorted(absorbed):
        major = session.exec(
            select(Major).where(Major.edition_id == edition_id, Major.code == code)
        ).first()
        if major is not None and major.status == MajorStatus.ACTIVE:
            out.append(major)
    return out


def _supersede(session: Session, plan: stream.Plan, *, today: date) -> bool:
    """The old edition superseded and the absorbed provincial majors withdrawn, if not yet
    (their feed items come before the programs', as they did); whether it changed anything."""
    old, new = plan.inputs.old, plan.inputs.new
    changed = False
    if old.status != EditionStatus.SUPERSEDED:
        old.status, old.superseded_on, old.superseded_by = EditionStatus.SUPERSEDED, today, new.key
        session.add(old)
        writes.changed(session, catalog_snapshots.edition(old, "updated"))
        changed = True
    for major in _absorbed_majors(session, plan):
        # The province's specialty code lives on as a national one: filings get major.superseded.
        major.status = MajorStatus.WITHDRAWN
        session.add(major)
        writes.changed(session, catalog_snapshots.majors([major.id or 0], "updated"))
        edition = session.get(CatalogEdition, major.edition_id)
        if edition is not None:
            bump_revision(session, edition)
        changed = True
    return changed


def _set_status(session: Session, ids: list[int], status: str) -> None:
    if ids:
        session.execute(update(PROGRAM).where(PROGRAM.c.id.in_(ids)).values(status=status))


def _write(
    session: Session,
    plan: stream.Plan,
    retired: list[Row],
    chunk: Outcome,
    actor: Principal,
    at: datetime,
) -> None:
    """A chunk of the plan written: collision losers withdrawn, the withdrawn codes' programs
    suspended (or kept active until a day), the moves made (the category follows the major,
    kept by the database); an event for each but the losers (theirs come last), and the feed."""
    suspended = [r.id for r, until in chunk.withdrawals if until is None]
    _set_status(session, [r.id for r in retired], ProgramStatus.WITHDRAWN)
    _set_status(session, suspended, ProgramStatus.SUSPENDED)
    if chunk.moves:
        statement = (
            update(PROGRAM)
            .where(PROGRAM.c.id == bindparam("_id"))
            .values(major_id=bindparam("_major"))
        )
        moves = [{"_id": r.id, "_major": t.major_id} for r, t, _, _ in chunk.moves]
        session.execute(statement, moves)
    _insert_events(
        session,
        [
            _event(r, "suspended", plan, actor, at, new_code=None, relation="withdrawn")
            if until is None
            else _event(
                r, "kept", plan, actor, at, new_code=None, relation="withdrawn", until=str(until)
            )
            for r, until in chunk.withdrawals
        ]
        + [
            _event(r, "adopted", plan, actor, at, new_code=t.code, relation=rel, decided=decided)
            for r, t, rel, decided in chunk.moves
        ],
    )
    changed = [r.id for r in retired] + suspended + [r.id for r, _, _, _ in chunk.moves]
    if changed:
        # the change feed (app.changes), in program-id order as the chunks come; each program is
        # written once, so on SQLite its item is made by the database at commit
        writes.changed(session, snapshots.programs_as_committed(changed, "updated"))


def _event(
    row: Row, action: str, plan: stream.Plan, actor: Principal, at: datetime, **detail: Any
) -> dict[str, Any]:
    """One program event (history: the former code, name and the edition that changed it)."""
    new_key = plan.inputs.new.key
    return {
        "program_id": row.id,
        "at": at,
        "action": action,
        "actor": actor.name,
        "former_major_id": row.major_id,
        "former_name": row.name,
        "source": f"adoption:{new_key}"[:60],
        "detail": {
            "old_code": row.code,
            "old_edition": row.edition,
            "edition": new_key,
            **detail,
        },
    }


def _insert_events(session: Session, events: list[dict[str, Any]]) -> None:
    insert_bound(session, PROGRAM_EVENT, events)


def _apply_new_edition(
    session: Session, old: CatalogEdition, new: CatalogEdition, *, year: int
) -> None:
    """Authorities that applied the old edition, and rounds of this year or later that listed
    it, apply the new one too (the old one stays listed, superseded, for major.superseded)."""
    assert new.id is not None
    authorities = session.exec(
        select(AuthorityCatalog.authority_id).where(AuthorityCatalog.edition_id == old.id)
    ).all()
    have = set(
        session.exec(
            select(AuthorityCatalog.authority_id).where(AuthorityCatalog.edition_id == new.id)
        ).all()
    )
    for authority_id in sorted(set(authorities) - have):
        session.add(AuthorityCatalog(authority_id=authority_id, edition_id=new.id))
    rounds = session.exec(
        select(RoundEdition.round_id)
        .join(FilingRound, col(FilingRound.id) == RoundEdition.round_id)
        .where(RoundEdition.edition_id == old.id, FilingRound.year >= year)
    ).all()
    listed = set(
        session.exec(
            select(RoundEdition.round_id).where(
                RoundEdition.edition_id == new.id, col(RoundEdition.round_id).in_(rounds)
            )
        ).all()
    )
    for round_id in sorted(set(rounds) - listed):
        session.add(RoundEdition(round_id=round_id, edition_id=new.id))
