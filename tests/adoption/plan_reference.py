"""The adoption as it was computed and applied before applying streamed: every carried program
loaded at once (``load``), the whole plan built (``build``) and made into the ``AdoptionPlan``
the route answered, and ``adopt`` — with ``apply`` — writing it from that plan. Kept here, apart
from the code under test, as the oracle of ``test_streamed_apply.py``, ``test_streamed_plan.py``
and ``test_streamed_dry_run.py`` (and of ``tests/adoption/measure.py``'s side by side)."""

from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.adoption import decisions as decisions_mod
from app.adoption.plan import (
    Inputs,
    Options,
    Outcome,
    P,
    Row,
    Target,
    collide,
    crosswalk_lines,
    editions,
    kept_until,
    new_majors,
    place,
    row_query,
    source_majors,
)
from app.adoption.schemas import (
    AdoptionPlan,
    Candidate,
    Collision,
    CollisionMember,
    Move,
    NeedsDecision,
    Withdrawal,
)
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
M = Major.__table__  # type: ignore[attr-defined]


# --- the whole plan (app/adoption/plan.py before) ----------------------------------------------


def load(session: Session, new_key: str, old_key: str) -> Inputs:
    new, old = editions(session, new_key, old_key)
    assert new.id is not None
    assert old.id is not None
    lines = crosswalk_lines(session, new, old)
    absorbed = {k for k in lines if k[0] != old.id}
    rows = [Row(*r) for r in session.execute(row_query(source_majors(old.id, absorbed))).all()]
    existing_query = (
        select(P.c.college_id, P.c.major_id, P.c.level, P.c.intake, P.c.id)
        .join(M, M.c.id == P.c.major_id)
        .where(M.c.edition_id == new.id, P.c.status == ProgramStatus.ACTIVE)
    )
    existing = {(c, m, lv, i): pid for c, m, lv, i, pid in session.execute(existing_query).all()}
    return Inputs(
        old=old,
        new=new,
        rows=rows,
        lines=lines,
        targets=new_majors(session, new.id),
        existing=existing,
        kept=kept_until(session, new.key),
    )


def build(inputs: Inputs, options: Options) -> Outcome:
    out = Outcome()
    for row in inputs.rows:
        place(out, inputs, row, options)
    collide(out, inputs)
    return out


def _member(row: Row) -> CollisionMember:
    return CollisionMember(
        program_id=row.id,
        old_edition=row.edition,
        old_code=row.code,
        old_name=row.name,
        status=row.status,
    )


def public(outcome: Outcome, inputs: Inputs, *, applied: bool = False) -> AdoptionPlan:
    def move(row: Row, target: Target, relation: str, decided: bool) -> Move:
        return Move(
            **row.ref(),
            relation=relation,
            new_code=target.code,
            new_name=target.name,
            category=target.category,
            decided=decided,
        )

    def candidate(target: Target) -> Candidate:
        return Candidate(code=target.code, name=target.name, category=target.category)

    def collision(item: tuple[CollisionMember, list[Row], Target]) -> Collision:
        keep, retired, target = item
        first = retired[0]
        return Collision(
            college_code=first.college_code,
            college=first.college,
            new_code=target.code,
            new_name=target.name,
            level=first.level or None,
            intake=first.intake,
            keep=keep,
            retire=[_member(r) for r in retired],
        )

    return AdoptionPlan(
        edition=inputs.new.key,
        from_edition=inputs.old.key,
        moved=[move(r, t, rel, decided) for r, t, rel, decided in outcome.moves],
        needs_decision=[
            NeedsDecision(**r.ref(), relation=rel, candidates=[candidate(t) for t in ts])
            for r, rel, ts in outcome.pending
        ],
        withdrawn=[
            Withdrawal(
                **r.ref(),
                becomes=ProgramStatus.ACTIVE if until else ProgramStatus.SUSPENDED,
                until=until,
            )
            for r, until in outcome.withdrawals
        ],
        collisions=[collision(c) for c in outcome.collisions],
        applied=applied,
        superseded_on=inputs.old.superseded_on.isoformat() if inputs.old.superseded_on else None,
    )


def counts(plan: AdoptionPlan) -> dict[str, int]:
    return {
        "moved": len(plan.moved),
        "decisions": len(plan.needs_decision),
        "withdrawn": len(plan.withdrawn),
        "collisions": len(plan.collisions),
    }


# --- the service (app/adoption/service.py before) ----------------------------------------------


def compute(
    session: Session,
    new_key: str,
    *,
    from_key: str,
    decisions: DecisionRows | None = None,
    keep_until: date | None = None,
    today: date | None = None,
) -> tuple[Inputs, Outcome]:
    inputs = load(session, new_key, from_key)
    chosen = decisions_mod.check(decisions, inputs) if decisions else {}
    options = Options(chosen, keep_until, today or utcnow().date())
    return inputs, build(inputs, options)


def preview(session: Session, new_key: str, *, from_key: str) -> AdoptionPlan:
    inputs, outcome = compute(session, new_key, from_key=from_key)
    return public(outcome, inputs)


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
    new, old = editions(session, new_key, from_key)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    if apply:
        session.exec(select(CatalogEdition.id).where(CatalogEdition.id == old.id).with_for_update())
    today = today or utcnow().date()
    inputs, outcome = compute(
        session, new_key, from_key=from_key, decisions=decisions, keep_until=keep_until, today=today
    )
    if not apply:
        return public(outcome, inputs)
    if outcome.pending:
        raise Conflict(
            {
                "needs_decision": [
                    p.model_dump(mode="json") for p in public(outcome, inputs).needs_decision
                ],
            },
            error="adoption_needs_decisions",
        )
    plan = public(outcome, inputs)
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
        after={"from": from_key, **counts(plan)},
    )
    return plan


def _absorbed_majors(session: Session, inputs: Inputs) -> list[Major]:
    out = []
    for edition_id, code in sorted({k for k in inputs.lines if k[0] != inputs.old.id}):
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
        or _absorbed_majors(session, inputs)
    )


def _apply(
    session: Session, inputs: Inputs, outcome: Outcome, *, actor: Principal, today: date
) -> None:
    retired = [r for c in outcome.collisions for r in c[1]]
    _set_status(session, [r.id for r in retired], ProgramStatus.WITHDRAWN)
    _set_status(
        session,
        [r.id for r, until in outcome.withdrawals if until is None],
        ProgramStatus.SUSPENDED,
    )
    if outcome.moves:
        statement = (
            update(PROGRAM)
            .where(PROGRAM.c.id == bindparam("_id"))
            .values(major_id=bindparam("_major"))
        )
        session.execute(
            statement, [{"_id": r.id, "_major": t.major_id} for r, t, _, _ in outcome.moves]
        )
    _events(session, inputs, outcome, actor=actor)
    _supersede(session, inputs, outcome, today=today)
    suspended = [r.id for r, until in outcome.withdrawals if until is None]
    changed = [r.id for r in retired] + suspended
    moved = [r.id for r, _, _, _ in outcome.moves]
    writes.changed(session, snapshots.programs(changed + moved, "updated"))


def _set_status(session: Session, ids: list[int], status: str) -> None:
    if ids:
        session.execute(update(PROGRAM).where(PROGRAM.c.id.in_(ids)).values(status=status))


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
    for major in _absorbed_majors(session, inputs):
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


# --- the command line (app/cli/catalog.py before) ----------------------------------------------


def cli_lines(plan: AdoptionPlan) -> list[str]:
    """The lines ``registry catalog adopt`` printed for a whole plan, its counts last."""
    from app.i18n import t

    def line(what: str, p: Any, tail: str) -> str:
        return "\t".join(
            (what, f"#{p.program_id}", p.college_code, p.college, p.old_code, p.old_name)
            + (p.level or "", p.intake, tail)
        )

    out = []
    for n in plan.needs_decision:
        cands = " | ".join(f"{c.code} {c.name}" for c in n.candidates) or t("cli.adopt.any_major")
        out.append(line(t("cli.adopt.pending"), n, f"{n.relation}: {cands}"))
    for c in plan.collisions:
        retired = ", ".join(f"#{r.program_id} {r.old_code}" for r in c.retire)
        out.append(
            "\t".join(
                (t("cli.adopt.collision"), c.college_code, c.college, c.level or "", c.intake)
                + (
                    f"→ {c.new_code} {c.new_name}: "
                    + t("cli.adopt.keep_retire", keep=c.keep.program_id, retired=retired),
                )
            )
        )
    for w in plan.withdrawn:
        becomes = t("cli.adopt.active_until", until=w.until) if w.until else t("cli.adopt.suspend")
        out.append(line(t("cli.adopt.withdrawn"), w, f"→ {becomes}"))
    for m in plan.moved:
        how = f"{m.relation}, {t('cli.adopt.decided')}" if m.decided else m.relation
        out.append(line(t("cli.adopt.moved"), m, f"→ {m.new_code} {m.new_name} ({how})"))
    c = counts(plan)
    out.append(
        f"moved {c['moved']}, decisions {c['decisions']}, "
        f"withdrawn {c['withdrawn']}, collisions {c['collisions']}"
    )
    return out
