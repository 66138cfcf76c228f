"""The adoption plan's rules: where each program of the old edition goes under the new one.

Loading (set-based queries) is kept apart from deciding (``fate``, ``place``, ``collide``: pure),
so the rules read in one place: one crosswalk line that is not ``withdrawn`` or ``split`` moves
the program; ``split`` (or no line at all) needs the bureau's decision; ``withdrawn`` suspends an
active program; two active programs that would become one offering collide. The first three
depend on the program's code alone (``fate``): ``stream.py`` reads the programs of one fate at a
time, a chunk at a time, and places them with ``place`` and ``collide`` — for the downloads, the
dry run, applying and ``registry catalog adopt`` alike.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from app.adoption.schemas import CollisionMember
from app.catalog.models import CatalogEdition, Category, Crosswalk, Major
from app.catalog.service import get_edition
from app.colleges.models import College
from app.errors import Conflict, Invalid
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from app.vocab import ProgramStatus

# Programs an adoption carries over; a withdrawn (撤销) program stays on its code as history.
CARRIED = (ProgramStatus.ACTIVE, ProgramStatus.SUSPENDED)
AUTOMATIC = ("unchanged", "renamed", "merged", "moved")

# (college_code, old_code, level, intake): how a decision names a program.
DecisionKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class Row:
    """A program of the old edition (or of an absorbed provincial code)."""

    id: int
    college_id: int
    college_code: str
    college: str
    major_id: int
    major_edition_id: int
    edition: str
    code: str
    name: str
    level: str
    intake: str
    status: str
    since_year: int

    @property
    def key(self) -> DecisionKey:
        return (self.college_code, self.code, self.level, self.intake)

    def ref(self) -> dict[str, Any]:
        return {
            "program_id": self.id,
            "college_code": self.college_code,
            "college": self.college,
            "old_edition": self.edition,
            "old_code": self.code,
            "old_name": self.name,
            "level": self.level or None,
            "intake": self.intake,
            "status": self.status,
        }


@dataclass(frozen=True)
class Target:
    """A major of the new edition."""

    major_id: int
    code: str
    name: str
    category: str


@dataclass
class Inputs:
    old: CatalogEdition
    new: CatalogEdition
    rows: list[Row]  # carried programs (``decisions.check`` looks through them)
    # (edition id, old code) -> [(relation, new code or None)] of the crosswalk into the new edition
    lines: dict[tuple[int, str], list[tuple[str, str | None]]]
    targets: dict[str, Target]  # the new edition's majors by code
    # active programs already on a major of the new edition: (college, major, level, intake) -> id
    existing: dict[tuple[int, int, str, str], int]
    # programs of withdrawn codes an earlier apply kept active: id -> the day they stop
    kept: dict[int, date] = field(default_factory=dict)


@dataclass
class Outcome:
    """The fates of some programs with what applying needs (row, target)."""

    moves: list[tuple[Row, Target, str, bool]] = field(default_factory=list)
    pending: list[tuple[Row, str, list[Target]]] = field(default_factory=list)
    # (row, None: suspended now | the day it stays active until)
    withdrawals: list[tuple[Row, date | None]] = field(default_factory=list)
    # (the kept program, the retired rows, the offering's target)
    collisions: list[tuple[CollisionMember, list[Row], Target]] = field(default_factory=list)


@dataclass
class Counts:
    """Programs moved, needing a decision, withdrawn, and collisions: the figures of the audit
    record ``catalog.adopt`` and of the last line of ``registry catalog adopt``."""

    moved: int = 0
    decisions: int = 0
    withdrawn: int = 0
    collisions: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "moved": self.moved,
            "decisions": self.decisions,
            "withdrawn": self.withdrawn,
            "collisions": self.collisions,
        }

    def line(self) -> str:
        """The last line of ``registry catalog adopt`` (contract.md, fixed)."""
        return (
            f"moved {self.moved}, decisions {self.decisions}, "
            f"withdrawn {self.withdrawn}, collisions {self.collisions}"
        )


def _member(row: Row) -> CollisionMember:
    return CollisionMember(
        program_id=row.id,
        old_edition=row.edition,
        old_code=row.code,
        old_name=row.name,
        status=row.status,
    )


# --- loading -----------------------------------------------------------------------------------


def editions(session: Session, new_key: str, old_key: str) -> tuple[CatalogEdition, CatalogEdition]:
    """The two editions, checked: same system, distinct, the old one not replaced by another."""
    new, old = get_edition(session, new_key), get_edition(session, old_key)
    if new.id == old.id:
        raise Invalid(error="same_edition")
    if new.system != old.system or new.kind != "national" or old.kind == "supplement":
        raise Invalid(
            error="edition_mismatch", msg="edition_mismatch.adoption", new=new_key, old=old_key
        )
    if old.superseded_by not in (None, new.key):
        raise Conflict(
            {"superseded_by": old.superseded_by, "superseded_on": str(old.superseded_on)},
            key=old_key,
            error="edition_superseded",
        )
    return new, old


# Core tables: the loads below read tuples, not models (150,000 programs in a national revision).
P = Program.__table__  # type: ignore[attr-defined]
M = Major.__table__  # type: ignore[attr-defined]
E = CatalogEdition.__table__  # type: ignore[attr-defined]
C = College.__table__  # type: ignore[attr-defined]
K = Category.__table__  # type: ignore[attr-defined]
X = Crosswalk.__table__  # type: ignore[attr-defined]
PE = ProgramEvent.__table__  # type: ignore[attr-defined]


def crosswalk_lines(
    session: Session, new: CatalogEdition, old: CatalogEdition
) -> dict[tuple[int, str], list[tuple[str, str | None]]]:
    """Crosswalk lines into the new edition from the old one, and from provincial specialty
    catalogs of the same system (a national revision that absorbs an 8xxx major: ``moved``)."""
    provincial = select(E.c.id).where(E.c.kind == "provincial", E.c.system == new.system)
    query = (
        select(X.c.from_edition_id, X.c.from_code, X.c.relation, X.c.to_code)
        .where(
            X.c.to_edition_id == new.id,
            or_(X.c.from_edition_id == old.id, X.c.from_edition_id.in_(provincial)),
        )
        .order_by(X.c.id)
    )
    out: dict[tuple[int, str], list[tuple[str, str | None]]] = {}
    for edition_id, code, relation, to_code in session.execute(query).all():
        out.setdefault((edition_id, code), []).append((relation, to_code))
    return out


def source_majors(old_id: int, absorbed: Collection[tuple[int, str]]) -> ColumnElement[bool]:
    """The majors whose programs an adoption carries over: the old edition's and the provincial
    codes the crosswalk takes over (condition on ``M``)."""
    by_edition: dict[int, list[str]] = {}
    for edition_id, code in absorbed:
        by_edition.setdefault(edition_id, []).append(code)
    return or_(
        M.c.edition_id == old_id,
        *(and_(M.c.edition_id == e, M.c.code.in_(codes)) for e, codes in by_edition.items()),
    )


def row_query(*conditions: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """The carried programs matching ``conditions`` as ``Row`` columns, in program-id order."""
    return (
        select(
            P.c.id,
            P.c.college_id,
            C.c.code,
            C.c.name,
            P.c.major_id,
            M.c.edition_id,
            E.c.key,
            M.c.code,
            M.c.name,
            P.c.level,
            P.c.intake,
            P.c.status,
            P.c.since_year,
        )
        .join(C, C.c.id == P.c.college_id)
        .join(M, M.c.id == P.c.major_id)
        .join(E, E.c.id == M.c.edition_id)
        .where(*conditions, P.c.status.in_(CARRIED))
        .order_by(P.c.id)
    )


def new_majors(session: Session, new_id: int) -> dict[str, Target]:
    query = (
        select(M.c.id, M.c.code, M.c.name, K.c.name)
        .join(K, K.c.id == M.c.category_id)
        .where(M.c.edition_id == new_id)
    )
    return {code: Target(i, code, name, cat) for i, code, name, cat in session.execute(query).all()}


def kept_until(
    session: Session, new_key: str, ids: Collection[int] | None = None
) -> dict[int, date]:
    """Programs of withdrawn codes an earlier apply kept active (of ``ids``, or all): the day
    they stop."""
    query = select(PE.c.program_id, PE.c.detail).where(
        PE.c.action == "kept", PE.c.source == f"adoption:{new_key}"[:60]
    )
    if ids is not None:
        query = query.where(PE.c.program_id.in_(ids))
    return {pid: date.fromisoformat(d["until"]) for pid, d in session.execute(query).all()}


# --- deciding (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    decisions: dict[DecisionKey, str] = field(default_factory=dict)
    keep_until: date | None = None  # withdrawn codes' programs stay active until this day
    today: date = field(default_factory=date.today)


def _withdraw(out: Outcome, inputs: Inputs, row: Row, options: Options) -> None:
    """An active program of a withdrawn code is suspended — or kept active until the bureau's
    day; once kept, it is left alone until that day has come (then it is suspended)."""
    if row.status != ProgramStatus.ACTIVE:
        return
    kept = inputs.kept.get(row.id)
    if kept is not None:
        if kept <= options.today:
            out.withdrawals.append((row, None))
        return
    keep = options.keep_until if options.keep_until and options.keep_until > options.today else None
    out.withdrawals.append((row, keep))


@dataclass(frozen=True)
class Fate:
    """What the crosswalk does with every program of one old code: ``moved`` to ``target``,
    ``withdrawn``, or ``pending`` (split or unmapped: the bureau picks one of ``candidates``)."""

    kind: str
    relation: str
    target: Target | None = None
    candidates: tuple[Target, ...] = ()


def fate(
    lines: dict[tuple[int, str], list[tuple[str, str | None]]],
    targets: dict[str, Target],
    edition_id: int,
    code: str,
) -> Fate:
    """The fate of code ``code`` of edition ``edition_id`` — the same for all its programs."""
    found = lines.get((edition_id, code), [])
    if {relation for relation, _ in found} == {"withdrawn"}:
        return Fate("withdrawn", "withdrawn")
    if len(found) == 1 and found[0][0] in AUTOMATIC and found[0][1] in targets:
        return Fate("moved", found[0][0], targets[found[0][1]])
    candidates = tuple(targets[code] for _, code in found if code in targets)
    return Fate("pending", found[0][0] if found else "unmapped", candidates=candidates)


def place(out: Outcome, inputs: Inputs, row: Row, options: Options) -> None:
    what = fate(inputs.lines, inputs.targets, row.major_edition_id, row.code)
    if what.kind == "withdrawn":
        _withdraw(out, inputs, row, options)
    elif what.target is not None:
        out.moves.append((row, what.target, what.relation, False))
    else:
        decided = options.decisions.get(row.key)
        if decided and decided in inputs.targets:
            out.moves.append((row, inputs.targets[decided], what.relation, True))
        else:
            out.pending.append((row, what.relation, list(what.candidates)))


def collide(out: Outcome, inputs: Inputs) -> None:
    """Active programs that would share (college, new major, level, intake): one is kept (one
    already on the new edition, else the one whose code carries on, else the oldest), the others
    are retired — taken out of the moves."""
    groups: dict[tuple[int, int, str, str], list[tuple[Row, Target]]] = {}
    for row, target, _, _ in out.moves:
        if row.status == ProgramStatus.ACTIVE:
            key = (row.college_id, target.major_id, row.level, row.intake)
            groups.setdefault(key, []).append((row, target))
    retired: set[int] = set()
    for key, members in groups.items():
        present = inputs.existing.get(key)
        if len(members) + (present is not None) < 2:
            continue
        target = members[0][1]
        ranked = sorted(members, key=lambda m: (m[0].code != target.code, m[0].since_year, m[0].id))
        if present is not None:
            keep = CollisionMember(
                program_id=present,
                old_edition=inputs.new.key,
                old_code=target.code,
                old_name=target.name,
                status=ProgramStatus.ACTIVE,
            )
            losers = [m[0] for m in ranked]
        else:
            keep, losers = _member(ranked[0][0]), [m[0] for m in ranked[1:]]
        out.collisions.append((keep, losers, target))
        retired.update(r.id for r in losers)
    out.moves = [m for m in out.moves if m[0].id not in retired]


def key_index(rows: Iterable[Row]) -> dict[DecisionKey, list[Row]]:
    out: dict[DecisionKey, list[Row]] = {}
    for row in rows:
        out.setdefault(row.key, []).append(row)
    return out
