"""What changed between two revisions (a correction) or two years: lines added, removed, changed.

A line is keyed by college + major code + intake + level (one offering). Renumbering (序号) is not
a change: inserting one line would otherwise "change" every line after it."""

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from pydantic import BaseModel, Field
from sqlmodel import Session

from app import exporting
from app.auth import Principal
from app.errors import Invalid, NotFound
from app.publications import views
from app.publications.layouts import TECHNICIAN, Layout, common_layout, layout_of
from app.publications.models import Publication, PublicationLine
from app.publications.schemas import LinePublic
from app.publications.service import lines_of

# The technician layout's (unchanged): kept for callers that name them.
COMPARED = dict(TECHNICIAN.compared)
CSV_HEADER = TECHNICIAN.diff_header
CHANGE_CN = {"added": "新增", "removed": "删除", "changed": "修改"}


class DiffSide(BaseModel):
    ref: str
    publications: list[int] = Field(description="the revisions compared (a year: every list)")


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


class DiffResult(BaseModel):
    from_: DiffSide = Field(alias="from")
    to: DiffSide
    layout: str = Field(
        default="technician",
        description="the layout compared and written: the lists' own (technician or secondary) "
        "when both sides share it, else technician",
    )
    summary: DiffSummary
    added: list[LinePublic]
    removed: list[LinePublic]
    changed: list[LineChange]

    model_config = {"populate_by_name": True}


def _key(line: PublicationLine) -> tuple[str, str, str, str]:
    return (line.college_code, line.major_code, line.intake, line.level)


def resolve(
    session: Session, ref: str, principal: Principal | None, authority: str | None
) -> tuple[DiffSide, list[PublicationLine], list[Publication]]:
    """``17`` (a revision), ``year:2024`` (that year's lists) or a series key (its latest)."""
    ref = ref.strip()
    if ref.isdigit():
        publications = [views.get_visible(session, int(ref), principal)]
    elif ref.startswith("year:"):
        year = ref.removeprefix("year:")
        if not year.isdigit():
            raise Invalid(error="bad_reference", ref=ref)
        publications = views.current_publications(session, year=int(year), authority=authority)
        if not publications:
            raise NotFound(
                error="publication_not_found", msg="publication_not_found.year", year=year
            )
    else:
        publications = [views.latest_of(session, ref)]
    lines = [line for p in publications for line in lines_of(session, p.id or 0)]
    side = DiffSide(ref=ref, publications=[p.id or 0 for p in publications])
    return side, lines, publications


def _keyed(lines: Sequence[PublicationLine]) -> dict[tuple, PublicationLine]:
    """Lines by offering key, in order (the first line wins should a key repeat)."""
    keyed: dict[tuple, PublicationLine] = {}
    for line in lines:
        keyed.setdefault(_key(line), line)
    return keyed


def _change(layout: Layout, old: PublicationLine, new: PublicationLine) -> LineChange | None:
    fields = [f for f, _ in layout.compared if getattr(old, f) != getattr(new, f)]
    if not fields:
        return None
    key = {
        "college_code": new.college_code,
        "major_code": new.major_code,
        "intake": new.intake,
        "level": new.level or None,
    }
    return LineChange(
        key=key, fields=fields, before=views.line_public(old), after=views.line_public(new)
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
    added = [views.line_public(line) for key, line in b.items() if key not in a]
    removed = [views.line_public(line) for key, line in a.items() if key not in b]
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
) -> DiffResult:
    before, old, left = resolve(session, from_ref, principal, authority)
    after, new, right = resolve(session, to_ref, principal, authority)
    layout = common_layout([p.system for p in left + right])
    return compare(before, old, after, new, layout)


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
    """变更, the compared lists' own columns, 变更内容."""
    return layout_of(result.layout).diff_header


def xlsx(result: DiffResult) -> Iterator[bytes]:
    """The diff table as XLSX (专业代码 as a text cell), formula-guarded like the CSV."""
    layout = layout_of(result.layout)
    table = [[exporting.guard(cell) for cell in row] for row in rows(result)]
    codes = tuple(i + 1 for i in layout.lines.text_columns)

    def fill(book: Workbook) -> None:
        sheet = exporting.Sheet(book.create_sheet("对比"), text_columns=codes)
        sheet.append(layout.diff_header)
        sheet.extend(table)

    return exporting.xlsx_stream(fill)


def rows(result: DiffResult) -> Iterator[tuple[Any, ...]]:
    """The diff as a table for CSV/XLSX: removed, changed (new values), added."""
    layout = layout_of(result.layout)
    for line in result.removed:
        yield _cells(layout, "removed", line)
    for change in result.changed:
        yield _cells(layout, "changed", change.after, _note(layout, change))
    for line in result.added:
        yield _cells(layout, "added", line)
