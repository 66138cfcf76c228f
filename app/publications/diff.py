"""Two kinds of comparison, named as a planner means them.

- **Revisions** of one year (a correction, or a revision against that year's lists): lines 新增 /
  删除 / 修改 — what the correction changed.
- **Years** (the two sides' lists are of different years, e.g. ``year:2024`` → ``year:2025``):
  the lists side by side. An offering approved in 2025 and not in 2024 is not a removal of the
  2024 line — each year approves new offerings — so the lines are 仅2024年 / 仅2025年 / 两年均有
  (what repeats, with what differs), and the files are labelled with both years.

A line is keyed by college + major code + intake + level (one offering). Renumbering (序号) is not
a change: inserting one line would otherwise "change" every line after it.

``open_diff`` resolves the sides, counts in the database and returns a ``Diff`` whose lines are
read a chunk at a time (``diff_lines``); ``diff_answer`` writes it as the API's JSON, CSV and XLSX
without holding its lines; ``diff_page`` reads it a page of each section at a time (the page
``/publications/diff``). ``diff`` builds the whole ``DiffResult``."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session

from app.access.principal import Principal
from app.errors import Invalid, NotFound
from app.publications import diff_closures, presenters
from app.publications.diff_lines import Line, Matched
from app.publications.layouts import TECHNICIAN, Layout, common_layout
from app.publications.models import Publication
from app.publications.schemas import LinePublic, length_cn

# The technician layout's (unchanged): kept for callers that name them.
COMPARED = dict(TECHNICIAN.compared)
CSV_HEADER = TECHNICIAN.diff_header
CHANGE_CN = {"added": "新增", "removed": "删除", "changed": "修改"}


class DiffSide(BaseModel):
    ref: str
    publications: list[int] = Field(description="the revisions compared (a year: every list)")
    years: list[int] = Field(default_factory=list, description="the years of those lists")


class LineChange(BaseModel):
    key: dict[str, str | None]
    fields: list[str]
    before: LinePublic
    after: LinePublic


class DiffSummary(BaseModel):
    added: int
    removed: int
    changed: int
    unchanged: int


class YearSummary(BaseModel):
    only_from: int = Field(description="offerings only on the earlier side's lists")
    only_to: int = Field(description="offerings only on the later side's lists")
    both: int = Field(description="offerings on both sides' lists (approved again)")


class DiffResult(BaseModel):
    from_: DiffSide = Field(alias="from")
    to: DiffSide
    layout: str = Field(
        default="technician",
        description="the layout compared and written: the lists' own (technician or secondary) "
        "when both sides share it, else technician",
    )
    kind: str = Field(
        default="revisions",
        description="`revisions` (same year: added/removed/changed) or `years` (lists of "
        "different years side by side: only_from/only_to/both)",
    )
    summary: DiffSummary | YearSummary
    added: list[LinePublic] = Field(default_factory=list)
    removed: list[LinePublic] = Field(default_factory=list)
    changed: list[LineChange] = Field(default_factory=list)
    only_from: list[LinePublic] = Field(default_factory=list)
    only_to: list[LinePublic] = Field(default_factory=list)
    both: list[LineChange] = Field(
        default_factory=list, description="before: the earlier list's line; after: the later's"
    )

    closures: diff_closures.ClosureDiff = Field(
        default_factory=diff_closures.ClosureDiff,
        description="the sides' closures annexes (停招、撤销) compared the same way: "
        "added/removed/changed, or comparing years only_from/only_to/both",
    )
    systems: list[str] = Field(
        default_factory=list,
        description="the systems the `year:` sides have lists of; one is compared at a time "
        "(`system=`, default technician)",
    )

    model_config = {"populate_by_name": True}


def _year_of(ref: str) -> int | None:
    """The year of a ``year:YYYY`` reference (None for a revision or a series)."""
    ref = ref.strip()
    if not ref.startswith("year:"):
        return None
    year = ref.removeprefix("year:")
    if not year.isdigit():
        raise Invalid(error="bad_reference", ref=ref)
    return int(year)


def year_systems(session: Session, refs: Sequence[str], authority: str | None) -> list[str]:
    """The systems (technician, secondary) of the current lists the ``year:`` refs name."""
    years = [y for y in (_year_of(r) for r in refs) if y is not None]
    return sorted(
        {
            p.system
            for year in years
            for p in presenters.current_publications(session, year=year, authority=authority)
        }
    )


def resolve(
    session: Session,
    ref: str,
    principal: Principal | None,
    authority: str | None,
    system: str | None = None,
) -> tuple[DiffSide, list[Publication]]:
    """``17`` (a revision), ``year:2024`` (that year's lists of ``system``, when given) or a
    series key (its latest); the side and its publications, in the order its lines are read."""
    ref = ref.strip()
    if ref.isdigit():
        publications = [presenters.get_visible(session, int(ref), principal)]
    elif ref.startswith("year:"):
        year = str(_year_of(ref))
        publications = presenters.current_publications(
            session, year=int(year), authority=authority, system=system
        )
        if not publications:
            raise NotFound(
                error="publication_not_found", msg="publication_not_found.year", year=year
            )
    else:
        publications = [presenters.latest_of(session, ref)]
    years = sorted({p.year for p in publications})
    side = DiffSide(ref=ref, publications=[p.id or 0 for p in publications], years=years)
    return side, publications


@dataclass(frozen=True)
class Refs:
    """What a diff compares: ``from``/``to`` references, narrowed by authority and system."""

    from_ref: str
    to_ref: str
    authority: str | None = None
    system: str | None = None


@dataclass(frozen=True)
class Diff:
    """A diff with its summary and closures (small) and its lines still in the database."""

    before: DiffSide
    after: DiffSide
    layout: Layout
    kind: str  # revisions or years
    summary: DiffSummary | YearSummary
    closures: diff_closures.ClosureDiff
    systems: list[str]
    lines: Matched

    @property
    def years(self) -> bool:
        return self.kind == "years"


def open_diff(session: Session, principal: Principal | None, refs: Refs) -> Diff:
    """``year:`` sides never mix systems: without ``system`` (or an authority, which has one)
    they compare one — technician when the years have its lists — and ``systems`` says which
    others the years have. Refusals (404, 422) are raised here, before any line is read."""
    authority, system = refs.authority, refs.system
    systems = year_systems(session, (refs.from_ref, refs.to_ref), authority)
    if system is None and len(systems) > 1:
        system = TECHNICIAN.system if TECHNICIAN.system in systems else systems[0]
    before, left = resolve(session, refs.from_ref, principal, authority, system)
    after, right = resolve(session, refs.to_ref, principal, authority, system)
    layout = common_layout([p.system for p in left + right])
    years = before.years != after.years
    lines = Matched(
        session.connection(),
        earlier=before.publications,
        later=after.publications,
        compared=[f for f, _ in layout.compared],
    )
    closures = diff_closures.compare(
        diff_closures.of(session, before.publications),
        diff_closures.of(session, after.publications),
        years=years,
    )
    return Diff(
        before=before,
        after=after,
        layout=layout,
        kind="years" if years else "revisions",
        summary=_summary(lines, years=years),
        closures=closures,
        systems=systems,
        lines=lines,
    )


def _summary(lines: Matched, *, years: bool) -> DiffSummary | YearSummary:
    counts = lines.counts()
    alone = counts.later - counts.matched
    if years:
        return YearSummary(only_from=counts.earlier_only, only_to=alone, both=counts.matched)
    unchanged = counts.matched - counts.changed
    return DiffSummary(
        added=alone, removed=counts.earlier_only, changed=counts.changed, unchanged=unchanged
    )


def public(line: Line) -> dict[str, Any]:
    """A line as ``LinePublic`` writes it (its fields in order)."""
    return {
        "seq": line.seq,
        "entry_id": line.entry_id,
        "college_code": line.college_code,
        "college": line.college,
        "major_code": line.major_code,
        "major_name": line.major_name,
        "category": line.category,
        "intake": line.intake,
        "level": line.level or None,
        "length_years": line.length_years,
        "length": length_cn(line.length_years),
        "remark": line.remark,
    }


def fields_of(diff: Diff, old: Line, new: Line) -> list[str]:
    """The compared fields that differ between an earlier line and the later one."""
    return [f for f, _ in diff.layout.compared if getattr(old, f) != getattr(new, f)]


def change(diff: Diff, old: Line, new: Line) -> dict[str, Any]:
    """A matched pair as ``LineChange`` writes it."""
    key = {
        "college_code": new.college_code,
        "major_code": new.major_code,
        "intake": new.intake,
        "level": new.level or None,
    }
    return {
        "key": key,
        "fields": fields_of(diff, old, new),
        "before": public(old),
        "after": public(new),
    }


def later_lines(diff: Diff) -> Iterator[list[dict[str, Any]]]:
    """``added`` or ``only_to``: the later lines the earlier side does not have, in chunks."""
    for pairs in diff.lines.later_pairs("unmatched"):
        yield [public(new) for new, _ in pairs]


def earlier_lines(diff: Diff) -> Iterator[list[dict[str, Any]]]:
    """``removed`` or ``only_from``: the earlier lines the later side does not have."""
    for lines in diff.lines.earlier_alone():
        yield [public(line) for line in lines]


def pairs(diff: Diff) -> Iterator[list[dict[str, Any]]]:
    """``changed`` (revisions: the pairs that differ) or ``both`` (years: every pair)."""
    for found in diff.lines.later_pairs("matched" if diff.years else "changed"):
        yield [change(diff, old, new) for new, old in found if old is not None]


def parts(diff: Diff) -> dict[str, Iterator[list[dict[str, Any]]]]:
    """The lists of ``DiffResult`` this kind fills, by name, each a chunk at a time."""
    if diff.years:
        return {"only_from": earlier_lines(diff), "only_to": later_lines(diff), "both": pairs(diff)}
    return {"added": later_lines(diff), "removed": earlier_lines(diff), "changed": pairs(diff)}


def whole(diff: Diff) -> DiffResult:
    """The diff held whole, every line in memory (tests and benchmarks compare with it)."""
    lists = {name: [i for chunk in chunks for i in chunk] for name, chunks in parts(diff).items()}
    return DiffResult.model_validate(
        {
            "from": diff.before,
            "to": diff.after,
            "layout": diff.layout.system,
            "kind": diff.kind,
            "summary": diff.summary,
            **lists,
            "closures": diff.closures,
            "systems": diff.systems,
        }
    )


def diff(
    session: Session,
    principal: Principal | None,
    *,
    from_ref: str,
    to_ref: str,
    authority: str | None = None,
    system: str | None = None,
) -> DiffResult:
    """The whole ``DiffResult`` of ``open_diff`` (the API streams it instead: ``diff_answer``)."""
    refs = Refs(from_ref, to_ref, authority, system)
    return whole(open_diff(session, principal, refs))
