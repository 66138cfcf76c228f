"""The plan computed in chunks of programs, so that what reads or writes it holds a chunk, not
the registry (docs/adoption.md, Scale): the downloads (``GET …/adoption.csv`` and ``.xlsx``,
without decisions), the dry run of ``POST …/adoption`` (``answer.py``, with its decisions),
``registry catalog adopt``'s plan and applying (``service.adopt``: ``written``).

Every program of one old code shares its fate (``plan.fate``): the crosswalk moves it, withdraws
it or leaves it to the bureau. So each section of the plan is one query over the programs of the
codes with that fate, read in program-id order through a streaming cursor (a server-side cursor
on PostgreSQL) and placed chunk by chunk with the rules of ``plan.place`` — the order and the
lines are those of the whole plan. Only collisions look at several programs at once: they are
found first, over the programs that can collide, a few colleges at a time (below), and kept —
a collision is a conflict for the bureau, few by nature.

Decisions (the bureau's successor for programs of split or unmapped codes) are checked before the
first section, by ``decisions.check`` over the few programs they can name (``_named``); a decided
program then moves like the others (``moved``, in id order) and may collide (``collisions``).

``opened`` reads all of it in one read transaction, so the plan is of one state of the registry:
REPEATABLE READ on PostgreSQL; on SQLite a deferred transaction, whose first read fixes the WAL
snapshot. ``in_session`` reads it in the caller's transaction, where applying writes each chunk
before it reads the next.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from app.adoption import decisions as decisions_mod
from app.adoption.plan import (
    CollisionMember,
    DecisionKey,
    Fate,
    Inputs,
    M,
    Options,
    Outcome,
    P,
    Row,
    Target,
    collide,
    crosswalk_lines,
    editions,
    fate,
    kept_until,
    new_majors,
    place,
    row_query,
    source_majors,
)
from app.clock import utcnow
from app.db import snapshot
from app.vocab import ProgramStatus

# Programs per chunk (and, at least, per batch of whole colleges for collisions). At 150,000
# programs the streamed CSV peaks at ~2.8 MiB of Python memory with 500 (2,000: 6.9 MiB, 5,000:
# 16.6 MiB; about 3.3 KiB a program of the chunk), at no more CPU.
BATCH_ROWS = 500

# (the kept program, the retired rows, the offering's target): as in ``plan.Outcome``
Collision = tuple[CollisionMember, list[Row], Target]
# (row number, cells) of decisions: ``decisions.from_json`` / ``from_file``
DecisionRows = list[tuple[int, dict[str, str]]]


@dataclass
class Plan:
    """The plan of adopting ``inputs.new`` in place of ``inputs.old``, read section by section
    (in the order of the CSV) inside ``opened``."""

    conn: Connection
    session: Session
    inputs: Inputs  # the editions, the crosswalk lines and the targets; no rows
    fates: dict[int, Fate]  # by the id of a major programs are carried from
    codes: dict[int, str]  # the code of each of those majors
    options: Options  # with the decisions checked (``opened``)
    retired: set[int] = field(default_factory=set)

    def _majors(self, kind: str) -> list[int]:
        return sorted(m for m, f in self.fates.items() if f.kind == kind)

    def _decided(self) -> dict[str, set[str]]:
        """Old code -> the new codes decisions pick for its programs."""
        out: dict[str, set[str]] = {}
        for key, new_code in self.options.decisions.items():
            out.setdefault(key[1], set()).add(new_code)
        return out

    def _moving(self) -> list[int]:
        """The majors whose programs can move: a crosswalk line moves them, or a decision."""
        decided = self._decided()
        pending = [m for m in self._majors("pending") if self.codes[m] in decided]
        return sorted(self._majors("moved") + pending)

    def _chunks(self, kind: str, *conditions: Any) -> Iterator[list[Row]]:
        """The carried programs of the codes of this fate, in id order, a chunk at a time."""
        yield from self._chunks_of(self._majors(kind), *conditions)

    def _chunks_of(self, majors: list[int], *conditions: Any) -> Iterator[list[Row]]:
        if not majors:
            return
        query = row_query(P.c.major_id.in_(majors), *conditions).execution_options(
            stream_results=True, yield_per=BATCH_ROWS
        )
        last = 0
        for part in self.conn.execute(query).partitions():
            # Applying writes each chunk while the query is open on its connection: SQLite may
            # show a row it has already given once more after it was updated (PostgreSQL's
            # cursor does not see the changes), so a row is taken once, in id order.
            rows = [Row(*r) for r in part if r[0] > last]
            if rows:
                last = rows[-1].id
                yield rows

    def _placed(self, rows: list[Row], inputs: Inputs | None = None) -> Outcome:
        out = Outcome()
        for row in rows:
            place(out, inputs or self.inputs, row, self.options)
        return out

    def needs_decision(self) -> Iterator[list[tuple[Row, str, list[Target]]]]:
        for rows in self._chunks("pending"):
            yield self._placed(rows).pending

    def pending(self) -> list[tuple[Row, str, list[Target]]]:
        """Every program that still needs a decision (none read unless a code is split or
        unmapped): what refuses applying."""
        return [p for chunk in self.needs_decision() for p in chunk]

    def collisions(self) -> list[Collision]:
        """Every collision, in the order of the whole plan (by its first program); the programs
        they retire are left out of ``moved`` afterwards.

        Two programs collide when they would become one offering (college, new major, level,
        intake). The programs of one old code cannot collide with each other — the database
        keeps one active program per (college, major, level, intake) — so only the programs of
        codes that share their successor (a successor decisions pick counts), or whose successor
        already has programs, are read:
        ordered by college, a batch of whole colleges at a time, each batch with the programs
        already on the new majors in its colleges."""
        sources: dict[int, list[int]] = {}  # new major -> the majors whose programs go there
        decided = self._decided()
        for major, what in self.fates.items():
            if what.target is not None:
                sources.setdefault(what.target.major_id, []).append(major)
            elif what.kind == "pending":
                for code in sorted(decided.get(self.codes[major], ())):
                    sources.setdefault(self.inputs.targets[code].major_id, []).append(major)
        new_id = self.inputs.new.id
        occupied = select(M.c.id).where(
            M.c.edition_id == new_id,
            exists().where(P.c.major_id == M.c.id, P.c.status == ProgramStatus.ACTIVE),
        )
        targets = {t for t, s in sources.items() if len(s) > 1}
        targets |= set(self.conn.scalars(occupied))
        prone = sorted({m for t in targets for m in sources.get(t, ())})
        found: list[tuple[int, Collision]] = []
        if prone:
            query = (
                row_query(P.c.major_id.in_(prone), P.c.status == ProgramStatus.ACTIVE)
                .order_by(None)
                .order_by(P.c.college_id, P.c.id)
                .execution_options(stream_results=True, yield_per=BATCH_ROWS)
            )
            batch: list[Row] = []
            for part in self.conn.execute(query).partitions():
                for values in part:
                    row = Row(*values)
                    if len(batch) >= BATCH_ROWS and row.college_id != batch[-1].college_id:
                        found += self._collisions_of(batch, sorted(targets))
                        batch = []
                    batch.append(row)
            if batch:
                found += self._collisions_of(batch, sorted(targets))
        found.sort(key=lambda item: item[0])
        self.retired = {r.id for _, (_, losers, _) in found for r in losers}
        return [item for _, item in found]

    def _collisions_of(self, rows: list[Row], targets: list[int]) -> list[tuple[int, Collision]]:
        """The collisions among ``rows`` (whole colleges), each with its first program's id."""
        colleges = sorted({r.college_id for r in rows})
        query = select(P.c.college_id, P.c.major_id, P.c.level, P.c.intake, P.c.id).where(
            P.c.college_id.in_(colleges),
            P.c.major_id.in_(targets),
            P.c.status == ProgramStatus.ACTIVE,
        )
        existing = {(c, m, lv, i): pid for c, m, lv, i, pid in self.conn.execute(query)}
        destined = ((r, self._destination(r)) for r in rows)
        out = Outcome(moves=[(r, t, "", False) for r, t in destined if t is not None])
        collide(out, replace(self.inputs, existing=existing))
        ids = {r.id for r in rows}
        return [
            (min({r.id for r in losers} | ({keep.program_id} & ids)), (keep, losers, target))
            for keep, losers, target in out.collisions
        ]

    def _destination(self, row: Row) -> Target | None:
        """Where ``row`` moves (as ``plan.place`` puts it): its code's successor, or the one a
        decision picked; None while it needs a decision."""
        target = self.fates[row.major_id].target
        if target is not None:
            return target
        decided = self.options.decisions.get(row.key)
        return self.inputs.targets.get(decided) if decided else None

    def withdrawn(self) -> Iterator[list[tuple[Row, Any]]]:
        for rows in self._chunks("withdrawn", P.c.status == ProgramStatus.ACTIVE):
            kept = kept_until(self.session, self.inputs.new.key, [r.id for r in rows])
            yield self._placed(rows, replace(self.inputs, kept=kept)).withdrawals

    def moved(self) -> Iterator[list[tuple[Row, Target, str, bool]]]:
        """The moves, the decided ones among them, without the programs collisions retire
        (``collisions`` first)."""
        for rows in self._chunks_of(self._moving()):
            moves = self._placed(rows).moves
            yield [m for m in moves if m[0].id not in self.retired] if self.retired else moves

    def moving_share(self) -> float:
        """The programs of the codes that can move, as a share of all programs: an upper bound
        of the moves' (withdrawn programs, collisions and pending decisions move none), counted
        in the indexes alone (with the status, 1.7 s at 1,500,000 programs; without, 0.04)."""
        moving = self._moving()
        if not moving:
            return 0.0
        total = self.conn.scalar(select(func.count()).select_from(P)) or 0
        on_them = select(func.count()).where(P.c.major_id.in_(moving))
        return (self.conn.scalar(on_them) or 0) / total if total else 0.0

    def written(self) -> Iterator[tuple[list[Row], Outcome]]:
        """What applying writes, a chunk at a time in program-id order (the order of the change
        feed): the programs of the chunk that collisions retire (``collisions`` first), and its
        moves and withdrawals, as ``moved`` and ``withdrawn`` give them."""
        majors = sorted(set(self._moving()) | set(self._majors("withdrawn")))
        for rows in self._chunks_of(majors):
            ids = [r.id for r in rows if self.fates[r.major_id].kind == "withdrawn"]
            kept = kept_until(self.session, self.inputs.new.key, ids) if ids else {}
            out = self._placed(rows, replace(self.inputs, kept=kept))
            out.moves = [m for m in out.moves if m[0].id not in self.retired]
            yield [r for r in rows if r.id in self.retired], out


@contextmanager
def opened(
    engine: Engine,
    new_key: str,
    old_key: str,
    *,
    decisions: DecisionRows | None = None,
    keep_until: date | None = None,
) -> Iterator[Plan]:
    """The plan of adopting ``new_key`` in place of ``old_key``, to read inside the block; the
    editions (404, 409, 422) and the decisions (422 ``import_rejected``) are checked on entry."""
    with snapshot(engine) as conn:
        session = Session(bind=conn)
        yield _plan(conn, session, new_key, old_key, decisions, keep_until, utcnow().date())


def in_session(
    session: Session,
    new_key: str,
    old_key: str,
    *,
    decisions: DecisionRows | None,
    keep_until: date | None,
    today: date,
) -> Plan:
    """The same plan read in ``session``'s own transaction (applying reads it there, a chunk
    before it writes that chunk): checked as ``opened`` checks it."""
    return _plan(session.connection(), session, new_key, old_key, decisions, keep_until, today)


def _plan(
    conn: Connection,
    session: Session,
    new_key: str,
    old_key: str,
    decisions: DecisionRows | None,
    keep_until: date | None,
    today: date,
) -> Plan:
    new, old = editions(session, new_key, old_key)
    assert new.id is not None
    assert old.id is not None
    lines = crosswalk_lines(session, new, old)
    targets = new_majors(session, new.id)
    absorbed = {k for k in lines if k[0] != old.id}
    sources = source_majors(old.id, absorbed)
    majors = select(M.c.id, M.c.edition_id, M.c.code).where(sources)
    fates: dict[int, Fate] = {}
    codes: dict[int, str] = {}
    for m, e, code in conn.execute(majors):
        fates[m], codes[m] = fate(lines, targets, e, code), code
    inputs = Inputs(old=old, new=new, rows=[], lines=lines, targets=targets, existing={})
    chosen: dict[DecisionKey, str] = {}
    if decisions:
        named = replace(inputs, rows=_named(conn, sources, decisions))
        chosen = decisions_mod.check(decisions, named)
    options = Options(chosen, keep_until, today)
    return Plan(conn, session, inputs, fates, codes, options)


def _named(conn: Connection, sources: ColumnElement[bool], decisions: DecisionRows) -> list[Row]:
    """What ``decisions.check`` needs of the carried programs, which it would look through
    whole: for every decision and each of its first one to four columns (college_code,
    old_code, level, intake), the first program in id order that matches them, if any. The
    first program of a decision's own key is among them, and a column that matches no program
    matches none of these (the check's ``adoption.unknown_program``): so the check answers as
    over every program. At most four programs a decision that gives a ``new_code``; one pass
    over the programs."""
    wanted: set[tuple[str, ...]] = set()
    for _, cells in decisions:
        if not cells.get("new_code"):
            continue  # decides nothing: the check looks no program up for it
        key = tuple(cells.get(c, "") for c in ("college_code", "old_code", "level", "intake"))
        wanted.update(key[:n] for n in range(1, 5))
    out: list[Row] = []
    query = row_query(sources).execution_options(stream_results=True, yield_per=BATCH_ROWS)
    for part in conn.execute(query).partitions():
        for values in part:
            # Row's columns: college_code 2, code 7, level 9, intake 10
            key = (values[2], values[7], values[9], values[10])
            found = [key[:n] for n in range(1, 5) if key[:n] in wanted]
            if found:
                wanted.difference_update(found)
                out.append(Row(*values))
    return out
