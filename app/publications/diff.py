"""Two kinds of comparison, named as a planner means them.

- **Revisions** of one year (a correction, or a revision against that year's lists): lines 新增 /
  删除 / 修改 — what the correction changed.
- **Years** (the two sides' lists are of different years, e.g. ``year:2024`` → ``year:2025``):
  the lists side by side. An offering approved in 2025 and not in 2024 is not a removal of the
  2024 line — each year approves new offerings — so the lines are 仅2024年 / 仅2025年 / 两年均有
  (what repeats, with what differs), and the files are labelled with both years.

A line is keyed by college + major code + intake + level (one offering). Renumbering (序号) is not
a change: inserting one line would otherwise "change" every line after it."""

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from pydantic import BaseModel, Field, PrivateAttr
from sqlmodel import Session

from app.access.principal import Principal
from app.errors import Invalid, NotFound
from app.publications import diff_closures, presenters
from app.publications.layouts import TECHNICIAN, Layout, common_layout, layout_of
from app.publications.models import Publication, PublicationLine
from app.publications.schemas import LinePublic
from app.publications.service import lines_of
from app.spreadsheets import writing

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
    _later: list[tuple[str, int]] = PrivateAttr(default_factory=list)


def _key(line: PublicationLine) -> tuple[str, str, str, str]:
    return (line.college_code, line.major_code, line.intake, line.level)


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
) -> tuple[DiffSide, list[PublicationLine], list[Publication]]:
    """``17`` (a revision), ``year:2024`` (that year's lists of ``system``, when given) or a
    series key (its latest)."""
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
    lines = [line for p in publications for line in lines_of(session, p.id or 0)]
    years = sorted({p.year for p in publications})
    side = DiffSide(ref=ref, publications=[p.id or 0 for p in publications], years=years)
    return side, lines, publications


def _keyed(lines: Sequence[PublicationLine]) -> dict[tuple[str, str, str, str], PublicationLine]:
    """Lines by offering key, in order (the first line wins should a key repeat)."""
    keyed: dict[tuple[str, str, str, str], PublicationLine] = {}
    for line in lines:
        keyed.setdefault(_key(line), line)
    return keyed


def _change(
    layout: Layout, old: PublicationLine, new: PublicationLine, *, always: bool = False
) -> LineChange | None:
    fields = [f for f, _ in layout.compared if getattr(old, f) != getattr(new, f)]
    if not fields and not always:
        return None
    key = {
        "college_code": new.college_code,
        "major_code": new.major_code,
        "intake": new.intake,
        "level": new.level or None,
    }
    return LineChange(
        key=key,
        fields=fields,
        before=presenters.line_public(old),
        after=presenters.line_public(new),
    )


def compare(
    before: DiffSide,
    old: Sequence[PublicationLine],
    after: DiffSide,
    new: Sequence[PublicationLine],
    layout: Layout = TECHNICIAN,
) -> DiffResult:
    a, b = _keyed(old), _keyed(new)
    changes = [_change(layout, a[key], line) for key, line in b.items() if key in a]
    changed = [c for c in changes if c is not None]
    added = [presenters.line_public(line) for key, line in b.items() if key not in a]
    removed = [presenters.line_public(line) for key, line in a.items() if key not in b]
    summary = DiffSummary(
        added=len(added),
        removed=len(removed),
        changed=len(changed),
        unchanged=len(changes) - len(changed),
    )
    return DiffResult.model_validate(
        {
            "from": before,
            "to": after,
            "layout": layout.system,
            "summary": summary,
            "added": added,
            "removed": removed,
            "changed": changed,
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
    """``year:`` sides never mix systems: without ``system`` (or an authority, which has one)
    they compare one — technician when the years have its lists — and ``systems`` says which
    others the years have."""
    systems = year_systems(session, (from_ref, to_ref), authority)
    if system is None and len(systems) > 1:
        system = TECHNICIAN.system if TECHNICIAN.system in systems else systems[0]
    before, old, left = resolve(session, from_ref, principal, authority, system)
    after, new, right = resolve(session, to_ref, principal, authority, system)
    layout = common_layout([p.system for p in left + right])
    years = before.years != after.years
    if years:
        result = compare_years(before, old, after, new, layout)
    else:
        result = compare(before, old, after, new, layout)
    result.closures = diff_closures.compare(
        diff_closures.of(session, before.publications),
        diff_closures.of(session, after.publications),
        years=years,
    )
    result.systems = systems
    return result


def compare_years(
    before: DiffSide,
    old: Sequence[PublicationLine],
    after: DiffSide,
    new: Sequence[PublicationLine],
    layout: Layout = TECHNICIAN,
) -> DiffResult:
    """Lists of different years side by side: only in the earlier, only in the later, both."""
    a, b = _keyed(old), _keyed(new)
    both = [_change(layout, a[key], line, always=True) for key, line in b.items() if key in a]
    only_to = [presenters.line_public(line) for key, line in b.items() if key not in a]
    only_from = [presenters.line_public(line) for key, line in a.items() if key not in b]
    summary = YearSummary(only_from=len(only_from), only_to=len(only_to), both=len(both))
    # The later lists' order, for the files: ("both", i) or ("only_to", i) per line.
    order, counts = [], {"both": 0, "only_to": 0}
    for key in b:
        part = "both" if key in a else "only_to"
        order.append((part, counts[part]))
        counts[part] += 1
    result = DiffResult.model_validate(
        {
            "from": before,
            "to": after,
            "layout": layout.system,
            "kind": "years",
            "summary": summary,
            "only_from": only_from,
            "only_to": only_to,
            "both": both,
        }
    )
    result._later = order
    return result


def _years(side: DiffSide) -> str:
    return "、".join(str(y) for y in side.years)


def file_names(result: DiffResult, ext: str) -> tuple[str, str]:
    """(Chinese download name, ASCII fallback); a comparison of years names both years."""
    if result.kind == "years":
        a, b = _years(result.from_), _years(result.to)
        ascii_years = "-".join(str(y) for y in (*result.from_.years, *result.to.years))
        return f"{a}年与{b}年新增专业名单对照.{ext}", f"publications-years-{ascii_years}.{ext}"
    return f"新增专业名单对比.{ext}", f"publications-diff.{ext}"


def _cells(layout: Layout, change: str, line: LinePublic, note: str = "") -> tuple[Any, ...]:
    return (CHANGE_CN[change], *layout.lines.cells(line), note)


def _note(layout: Layout, change: LineChange) -> str:
    names = dict(layout.compared)

    def shown(line: LinePublic, field: str) -> str:
        return line.length if field == "length_years" else str(getattr(line, field))

    return "; ".join(
        f"{names[f]}: {shown(change.before, f)} → {shown(change.after, f)}" for f in change.fields
    )


def header(result: DiffResult) -> tuple[str, ...]:
    """变更, the compared lists' own columns, 变更内容 — or, comparing years, 对照 … 说明."""
    layout = layout_of(result.layout)
    if result.kind == "years":
        return ("对照", *layout.lines.header, "说明")
    return layout.diff_header


def xlsx(result: DiffResult) -> Iterator[bytes]:
    """The diff table as XLSX (专业代码 as a text cell), formula-guarded like the CSV."""
    layout = layout_of(result.layout)
    table = [[writing.guard(cell) for cell in row] for row in rows(result)]
    codes = tuple(i + 1 for i in layout.lines.text_columns)

    def fill(book: Workbook) -> None:
        name = "对照" if result.kind == "years" else "对比"
        sheet = writing.Sheet(book.create_sheet(name), text_columns=codes)
        sheet.append(header(result))
        sheet.extend(table)

    return writing.xlsx_stream(fill)


def _year_rows(result: DiffResult, layout: Layout) -> Iterator[tuple[Any, ...]]:
    """The later year's lines in their order (仅2025年, or 均有 with the earlier 序号 and what
    differs), then the earlier year's lines the later lists do not repeat (仅2024年)."""
    a, b = _years(result.from_), _years(result.to)
    for part, index in result._later:
        if part == "only_to":
            yield (f"仅{b}年", *layout.lines.cells(result.only_to[index]), "")
            continue
        change = result.both[index]
        note = f"{a}年名单序号 {change.before.seq}"
        if change.fields:
            note += "; " + _note(layout, change)
        yield (f"{a}年、{b}年均有", *layout.lines.cells(change.after), note)
    for line in result.only_from:
        yield (f"仅{a}年", *layout.lines.cells(line), "")
    yield from diff_closures.year_rows(result.closures, layout.lines.header, a, b)


def rows(result: DiffResult) -> Iterator[tuple[Any, ...]]:
    """The diff as a table for CSV/XLSX: removed, changed (new values), added — or, comparing
    years, the two years' lines side by side; then the closures annexes' rows the same way."""
    layout = layout_of(result.layout)
    if result.kind == "years":
        yield from _year_rows(result, layout)
        return
    for line in result.removed:
        yield _cells(layout, "removed", line)
    for change in result.changed:
        yield _cells(layout, "changed", change.after, _note(layout, change))
    for line in result.added:
        yield _cells(layout, "added", line)
    yield from diff_closures.rows(result.closures, layout.lines.header)
