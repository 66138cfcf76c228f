"""Loads what the checks need for one college's filing in a fixed number of set-based queries,
however many entries there are (a test counts the statements for 10 and 1,000 entries)."""

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, or_
from sqlalchemy import select as core_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.authorities import service as authorities
from app.authorities.models import Authority, CollegeTypeLevel, LengthRule
from app.catalog.models import CatalogEdition, Category, Crosswalk, Major
from app.colleges import service as colleges
from app.colleges.models import College
from app.directions.models import MajorDirection
from app.directions.names import split_direction
from app.filings.facts import CatalogMajor, Context, DirectionFact, EntryValues, ProgramRow
from app.filings.models import Filing, FilingEntry, FilingRound, RoundEdition
from app.filings.rules import CODE_DIGITS, offering_key, typed_code
from app.programs.lifecycle import ProgramEvent
from app.programs.models import Program
from app.text import normalize_name
from app.vocab import Decision, DirectionStatus, EditionStatus, FilingStatus, MajorStatus, system_of

Rule = TypeVar("Rule", LengthRule, CollegeTypeLevel)


@dataclass
class Scope:
    """The college's governing authorities (nearest first) and the round of the year, if any."""

    chain: list[Authority]
    round: FilingRound | None
    edition_ids: set[int]


def college_chain(session: Session, college: College) -> list[Authority]:
    """The college's authority, then its parent, and so on."""
    authority_id = college.authority_id or colleges.governing_authority(
        session, province=college.province, city=college.city, college_type=college.type
    )
    return authorities.chain(session, authority_id)


def round_for(session: Session, chain: list[Authority], year: int | None) -> FilingRound | None:
    if not chain or year is None:
        return None
    ids = [a.id for a in chain]
    rounds = session.exec(
        select(FilingRound).where(col(FilingRound.authority_id).in_(ids), FilingRound.year == year)
    ).all()
    rank = {a.id: i for i, a in enumerate(chain)}
    return min(rounds, key=lambda r: rank[r.authority_id], default=None)


def scope_of(session: Session, college: College, year: int | None) -> Scope:
    chain = college_chain(session, college)
    filing_round = round_for(session, chain, year)
    if filing_round is not None:
        query = select(RoundEdition.edition_id).where(RoundEdition.round_id == filing_round.id)
        edition_ids = set(session.exec(query).all())
    else:
        edition_ids = set(authorities.nearest_editions(session, chain)) or _system_editions(
            session, college
        )
    in_force = select(col(CatalogEdition.id)).where(
        col(CatalogEdition.id).in_(edition_ids), CatalogEdition.status == EditionStatus.IN_FORCE
    )
    return Scope(
        chain,
        filing_round,
        {i for i in session.exec(in_force).all() if i is not None} if edition_ids else set(),
    )


def _system_editions(session: Session, college: College) -> set[int]:
    """No authority applies catalogs to this college: the national editions of its system and
    its own province's specialty catalog."""
    query = select(col(CatalogEdition.id)).where(
        CatalogEdition.system == system_of(college.type).value,
        or_(
            col(CatalogEdition.province).is_(None), col(CatalogEdition.province) == college.province
        ),
    )
    return {i for i in session.exec(query).all() if i is not None}


def _nearest(rows: list[Rule], chain: list[Authority]) -> list[Rule]:
    """The rows of the nearest authority in the chain that has any."""
    for authority in chain:
        mine = [r for r in rows if r.authority_id == authority.id]
        if mine:
            return mine
    return []


def load_context(
    session: Session,
    college: College,
    values: list[EntryValues],
    *,
    year: int | None,
    exclude_filing_id: int | None = None,
) -> tuple[Context, Scope]:
    scope = scope_of(session, college, year)
    system = system_of(college.type).value
    ctx = Context(system=system, province=college.province, college_type=college.type, year=year)
    codes = _codes(values, system)
    ctx.majors = _majors(session, codes, scope.edition_ids)
    ctx.successors = _successors(session, codes)
    ids = [a.id for a in scope.chain]
    lengths = _nearest(
        list(session.exec(select(LengthRule).where(col(LengthRule.authority_id).in_(ids))).all()),
        scope.chain,
    )
    ctx.lengths = {(r.intake, r.level): r.years for r in lengths}
    norms = _nearest(
        list(
            session.exec(
                select(CollegeTypeLevel).where(
                    col(CollegeTypeLevel.authority_id).in_(ids),
                    CollegeTypeLevel.college_type == college.type,
                )
            ).all()
        ),
        scope.chain,
    )
    ctx.type_levels = frozenset(r.level for r in norms)
    ctx.programs = _programs(session, college)
    ctx.pending = _pending(session, college, exclude_filing_id)
    in_direction_form = system == "secondary" and any(split_direction(v.major_name) for v in values)
    if in_direction_form or any(not v.major_code or v.major_code not in ctx.majors for v in values):
        ctx.names = _names(session, scope.edition_ids, college.province)
    if in_direction_form:
        ctx.directions = _directions(session, college)
    return ctx, scope


def _directions(session: Session, college: College) -> dict[str, DirectionFact]:
    """The 专业方向 recorded for the college (one query; a school has a handful)."""
    base = aliased(Major)
    target = aliased(Major)
    rows = session.exec(
        select(MajorDirection, base.code, base.name, target.code)
        .join(base, col(base.id) == MajorDirection.major_id)
        .outerjoin(target, col(target.id) == MajorDirection.normalised_major_id)
        .where(MajorDirection.college_id == college.id)
    ).all()
    return {
        d.name_norm: DirectionFact(
            name=d.name,
            kept=d.status == DirectionStatus.KEPT,
            major_code=code,
            major_name=name,
            normalised_name=d.normalised_name,
            normalised_code=normalised_code,
        )
        for d, code, name, normalised_code in rows
    }


def _codes(values: list[EntryValues], system: str) -> set[str]:
    """The codes filed, plus the codes they likely mean (``702`` → ``0702``, ``07O2`` →
    ``0702``) for suggestions."""
    digits = CODE_DIGITS[system]
    codes = {v.major_code for v in values if v.major_code}
    meant = (typed_code(c, digits) for c in codes if not (c.isdigit() and len(c) == digits))
    return codes | {m for m in meant if m}


# The columns a CatalogMajor is made of, read as plain rows (no ORM object per major: a filing
# reads a few hundred codes and, for suggestions, every major in force).
_MAJOR_COLUMNS = (
    col(Major.id),
    col(Major.code),
    col(Major.name),
    col(Category.name),
    col(Major.levels),
    col(Major.status),
    col(CatalogEdition.key),
    col(CatalogEdition.province),
    col(CatalogEdition.id),
)


def _majors(session: Session, codes: set[str], in_force: set[int]) -> dict[str, list[CatalogMajor]]:
    if not codes:
        return {}
    rows = session.execute(
        core_select(*_MAJOR_COLUMNS)
        .select_from(Major)
        .join(Category, col(Category.id) == Major.category_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(col(Major.code).in_(codes))
    ).all()
    out: dict[str, list[CatalogMajor]] = {}
    for row in rows:
        out.setdefault(row[1], []).append(_catalog_major(row, in_force))
    return out


def _catalog_major(row: Any, in_force: set[int]) -> CatalogMajor:
    major_id, code, name, category, levels, status, edition_key, province, edition_id = row
    return CatalogMajor(
        id=major_id,
        code=code,
        name=name,
        category=category,
        levels=tuple(levels.split("|")) if levels else (),
        status=status,
        edition_key=edition_key,
        edition_province=province,
        in_force=edition_id in in_force,
    )


def _successors(session: Session, codes: set[str]) -> dict[str, list[str]]:
    if not codes:
        return {}
    rows = session.exec(
        select(Crosswalk)
        .where(col(Crosswalk.from_code).in_(codes), Crosswalk.relation != "unchanged")
        # In the table's order: the 对照表 lists a split's branches as the catalog does.
        .order_by(col(Crosswalk.id))
    ).all()
    out: dict[str, list[str]] = {}
    for row in rows:
        # Every branch of a split is a candidate, also one that keeps the old code.
        if row.to_code != row.from_code or row.relation == "split":
            found = out.setdefault(row.from_code, [])
            if (row.to_code or "") not in found:
                found.append(row.to_code or "")
    return out


def _programs(session: Session, college: College) -> list[ProgramRow]:
    suspended = (
        core_select(func.max(col(ProgramEvent.year)))
        .where(
            col(ProgramEvent.program_id) == col(Program.id), col(ProgramEvent.action) == "suspended"
        )
        .scalar_subquery()
    )
    rows = session.execute(
        core_select(
            col(Major.code),
            col(Major.name_norm),
            col(Program.level),
            col(Program.intake),
            col(Program.status),
            col(Program.id),
            col(Program.major_id),
            suspended,
        )
        .join(Major, col(Major.id) == Program.major_id)
        .where(col(Program.college_id) == college.id)
    ).all()
    return [ProgramRow(*row) for row in rows]


def _pending(
    session: Session, college: College, exclude_filing_id: int | None
) -> frozenset[tuple[str, str, str]]:
    """Offerings in the college's other filings awaiting review (submitted, not rejected)."""
    query = (
        select(
            FilingEntry.major_code, FilingEntry.major_name, FilingEntry.level, FilingEntry.intake
        )
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .where(
            Filing.college_id == college.id,
            Filing.status == FilingStatus.SUBMITTED,
            or_(
                col(FilingEntry.decision).is_(None), col(FilingEntry.decision) != Decision.REJECTED
            ),
        )
    )
    if exclude_filing_id is not None:
        query = query.where(Filing.id != exclude_filing_id)
    return frozenset(offering_key(*row) for row in session.exec(query).all())


def _names(session: Session, edition_ids: set[int], province: str) -> dict[str, CatalogMajor]:
    """Majors in force by normalised name: only for suggestions, never substituted."""
    if not edition_ids:
        return {}
    rows = session.execute(
        core_select(*_MAJOR_COLUMNS)
        .select_from(Major)
        .join(Category, col(Category.id) == Major.category_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(col(Major.edition_id).in_(edition_ids), col(Major.status) == MajorStatus.ACTIVE)
        .order_by(col(Major.code))
    ).all()
    out: dict[str, CatalogMajor] = {}
    for row in rows:
        if row[7] in (None, province):
            name = normalize_name(row[2])
            if name not in out:
                out[name] = _catalog_major(row, edition_ids)
    return out
