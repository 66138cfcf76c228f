"""Adopting a new catalog edition: the plan (a dry run) and applying it, all or nothing.

Applying moves every carried program to its successor major, suspends the programs of withdrawn
codes, retires the losers of collisions, records a ``program_event`` per program and one audit
record, and marks the old edition superseded (with the day and the edition that replaced it).
The authorities and the open rounds that applied the old edition apply the new one as well.
Applying again finds nothing left to do and writes nothing.
"""

from collections.abc import Iterator
from datetime import date
from itertools import chain
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.adoption import answer
from app.adoption import decisions as decisions_mod
from app.adoption.plan import Inputs, Options, Outcome, Row, Target, build, editions, load
from app.adoption.schemas import AdoptionPlan
from app.authorities.models import AuthorityCatalog
from app.catalog import snapshots as catalog_snapshots
from app.catalog.models import CatalogEdition, Major
from app.catalog.service import bump_revision
from app.clock import utcnow
from app.errors import Conflict
from app.filings.models import FilingRound, RoundEdition
from app.programs import snapshots
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from app.vocab import EditionStatus, MajorStatus, ProgramStatus

DecisionRows = list[tuple[int, dict[str, str]]]
PROGRAM = Program.__table__  # type: ignore[attr-defined]
PROGRAM_EVENT = ProgramEvent.__table__  # type: ignore[attr-defined]


def compute(
    session: Session,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows | None = None,
    keep_until: date | None = None,
    today: date | None = None,
) -> tuple[Inputs, Outcome]:
    """The plan for adopting ``new_key`` in place of ``from_key``, with the decisions checked."""
    inputs = load(session, new_key, from_key)
    chosen = decisions_mod.check(decisions, inputs) if decisions else {}
    options = Options(chosen, keep_until, today or utcnow().date())
    return inputs, build(inputs, options)


def preview(session: Session, new_key: str, *, from_key: str) -> AdoptionPlan:
    """The whole plan without decisions, in memory, as ``adopt`` holds it (for applying and for
    ``registry catalog adopt``). The dry run of ``POST …/adoption`` (``dry_run``) and the
    downloads (``adoption.csv``/``.xlsx``) compute the same plan in chunks instead
    (``stream.py``), so their memory does not grow with the registry."""
    inputs, outcome = compute(session, new_key, from_key=from_key)
    return outcome.public(inputs)


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


def adopt(
    session: Session,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows,
    apply: bool,
    actor: Principal,
    keep_until: date | None = None,
    today: date | None = None,
) -> AdoptionPlan:
    """The plan; with ``apply`` also carried out (409 ``adoption_needs_decisions`` while a
    program needs a decision — then nothing is written)."""
    new, old = editions(session, new_key, from_key)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    if apply:
        _lock(session, old)
    today = today or utcnow().date()
    inputs, outcome = compute(
        session, new_key, from_key=from_key, decisions=decisions, keep_until=keep_until, today=today
    )
    if not apply:
        return outcome.public(inputs)
    if outcome.pending:
        raise Conflict(
            {
                "needs_decision": [
                    p.model_dump(mode="json") for p in outcome.public(inputs).needs_decision
                ],
            },
            error="adoption_needs_decisions",
        )
    plan = outcome.public(inputs)  # what is about to happen, before the rows change
    if not _has_work(session, inputs, outcome):
        return plan
    _apply(session, inputs, outcome, actor=actor, today=today)
    plan.applied = True
    plan.superseded_on = inputs.old.superseded_on.isoformat() if inputs.old.superseded_on else None
    writes.record(
        session,
        actor,
        action="catalog.adopt",
        target_type="catalog_edition",
        target_id=new_key,
        after={"from": from_key, **plan.counts()},
    )
    return plan


def _lock(session: Session, old: CatalogEdition) -> None:
    """Two adoptions of one edition queue here (PostgreSQL row lock; SQLite writers are already
    serialised by BEGIN IMMEDIATE)."""
    session.exec(select(CatalogEdition.id).where(CatalogEdition.id == old.id).with_for_update())


def _absorbed_majors(session: Session, outcome: Outcome) -> list[Major]:
    """Provincial specialty majors the new edition takes over that are still active there."""
    out = []
    for edition_id, code in sorted(outcome.absorbed):
        major = session.exec(
            select(Major).where(Major.edition_id == edition_id, Major.code == code)
        ).first()
        if major is not None and major.status == MajorStatus.ACTIVE:
            out.append(major)
    return out


def _has_work(session: Session, inputs: Inputs, outcome: Outcome) -> bool:
    return bool(
        outcome.moves
        or outcome.withdrawals
        or outcome.collisions
        or inputs.old.status != EditionStatus.SUPERSEDED
        or _absorbed_majors(session, outcome)
    )


def _apply(
    session: Session, inputs: Inputs, outcome: Outcome, *, actor: Principal, today: date
) -> None:
    retired = [r for c in outcome.collisions for r in c[1]]
    # Losers first: the unique index on active offerings never sees two at once.
    _set_status(session, [r.id for r in retired], ProgramStatus.WITHDRAWN)
    _set_status(
        session,
        [r.id for r, until in outcome.withdrawals if until is None],
        ProgramStatus.SUSPENDED,
    )
    _move(session, outcome.moves)
    _events(session, inputs, outcome, actor=actor)
    _supersede(session, inputs, outcome, today=today)
    # the feed (app.changes): every program the adoption moved, suspended or retired
    suspended = [r.id for r, until in outcome.withdrawals if until is None]
    changed = [r.id for r in retired] + suspended
    moved = [r.id for r, _, _, _ in outcome.moves]
    writes.changed(session, snapshots.programs(changed + moved, "updated"))


def _set_status(session: Session, ids: list[int], status: str) -> None:
    if ids:
        session.execute(update(PROGRAM).where(PROGRAM.c.id.in_(ids)).values(status=status))


def _move(session: Session, moves: list[tuple[Row, Target, str, bool]]) -> None:
    if not moves:
        return
    statement = (
        update(PROGRAM).where(PROGRAM.c.id == bindparam("_id")).values(major_id=bindparam("_major"))
    )
    session.execute(statement, [{"_id": r.id, "_major": t.major_id} for r, t, _, _ in moves])


def _event(
    row: Row, action: str, inputs: Inputs, actor: Principal, **detail: Any
) -> dict[str, Any]:
    return {
        "program_id": row.id,
        "at": utcnow(),
        "action": action,
        "actor": actor.name,
        "former_major_id": row.major_id,
        "former_name": row.name,
        "source": f"adoption:{inputs.new.key}"[:60],
        "detail": {
            "old_code": row.code,
            "old_edition": row.edition,
            "edition": inputs.new.key,
            **detail,
        },
    }


def _events(session: Session, inputs: Inputs, outcome: Outcome, *, actor: Principal) -> None:
    """One program event per program the adoption changed (history: the former code, name and
    the edition that changed it)."""
    events = [
        _event(r, "adopted", inputs, actor, new_code=t.code, relation=rel, decided=decided)
        for r, t, rel, decided in outcome.moves
    ]
    events += [
        _event(r, "suspended", inputs, actor, new_code=None, relation="withdrawn")
        if until is None
        else _event(r, "kept", inputs, actor, new_code=None, relation="withdrawn", until=str(until))
        for r, until in outcome.withdrawals
    ]
    for keep, losers, target in outcome.collisions:
        events += [
            _event(
                r,
                "merged",
                inputs,
                actor,
                new_code=target.code,
                relation="merged",
                into=keep.program_id,
            )
            for r in losers
        ]
    if events:
        session.execute(insert(PROGRAM_EVENT), events)


def _supersede(session: Session, inputs: Inputs, outcome: Outcome, *, today: date) -> None:
    old, new = inputs.old, inputs.new
    if old.status != EditionStatus.SUPERSEDED:
        old.status, old.superseded_on, old.superseded_by = EditionStatus.SUPERSEDED, today, new.key
        session.add(old)
        writes.changed(session, catalog_snapshots.edition(old, "updated"))
    for major in _absorbed_majors(session, outcome):
        # The province's specialty code lives on as a national one: filings get major.superseded.
        major.status = MajorStatus.WITHDRAWN
        session.add(major)
        writes.changed(session, catalog_snapshots.majors([major.id or 0], "updated"))
        edition = session.get(CatalogEdition, major.edition_id)
        if edition is not None:
            bump_revision(session, edition)
    _apply_new_edition(session, old, new, year=today.year)
    session.flush()
    bump_revision(session, old)
    bump_revision(session, new)


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
