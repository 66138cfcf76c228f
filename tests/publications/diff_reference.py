"""The publication diff as the routes answered it before it streamed: both sides' lines loaded as
ORM objects, keyed in Python dicts (the first line of a key wins), the whole ``DiffResult`` built
and serialized by FastAPI's response model, the CSV written from it whole. Kept here, apart from
the code under test, as the oracle of ``test_streamed_diff.py``."""

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.access.principal import Principal
from app.errors import NotFound
from app.publications import diff_closures, presenters
from app.publications.diff import (
    DiffResult,
    DiffSide,
    DiffSummary,
    LineChange,
    YearSummary,
    _year_of,
    year_systems,
)
from app.publications.layouts import TECHNICIAN, Layout, common_layout, layout_of
from app.publications.models import PublicationLine
from app.publications.schemas import LinePublic
from app.publications.service import lines_of
from app.spreadsheets import writing

CHANGE_CN = {"added": "新增", "removed": "删除", "changed": "修改"}
# The later lists' order, for the files of years: ("both", i) or ("only_to", i) per line.
Order = list[tuple[str, int]]


def _key(line: PublicationLine) -> tuple[str, str, str, str]:
    return (line.college_code, line.major_code, line.intake, line.level)


def resolve(
    session: Session,
    ref: str,
    principal: Principal | None,
    authority: str | None,
    system: str | None = None,
) -> tuple[DiffSide, list[PublicationLine], list[Any]]:
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


def compare(before, old, after, new, layout: Layout) -> tuple[DiffResult, Order]:
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
    result = DiffResult.model_validate(
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
    return result, []


def compare_years(before, old, after, new, layout: Layout) -> tuple[DiffResult, Order]:
    a, b = _keyed(old), _keyed(new)
    both = [_change(layout, a[key], line, always=True) for key, line in b.items() if key in a]
    only_to = [presenters.line_public(line) for key, line in b.items() if key not in a]
    only_from = [presenters.line_public(line) for key, line in a.items() if key not in b]
    summary = YearSummary(only_from=len(only_from), only_to=len(only_to), both=len(both))
    order: Order = []
    counts = {"both": 0, "only_to": 0}
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
    return result, order


def diff(
    session: Session,
    principal: Principal | None,
    *,
    from_ref: str,
    to_ref: str,
    authority: str | None = None,
    system: str | None = None,
) -> tuple[DiffResult, Order]:
    systems = year_systems(session, (from_ref, to_ref), authority)
    if system is None and len(systems) > 1:
        system = TECHNICIAN.system if TECHNICIAN.system in systems else systems[0]
    before, old, left = resolve(session, from_ref, principal, authority, system)
    after, new, right = resolve(session, to_ref, principal, authority, system)
    layout = common_layout([p.system for p in left + right])
    years = before.years != after.years
    compared = compare_years if years else compare
    result, order = compared(before, old, after, new, layout)
    result.closures = diff_closures.compare(
        diff_closures.of(session, before.publications),
        diff_closures.of(session, after.publications),
        years=years,
    )
    result.systems = systems
    return result, order


def json_bytes(result: DiffResult) -> bytes:
    """What FastAPI wrote for a route declared ``response_model=DiffResult`` returning it."""
    app = FastAPI()

    @app.get("/", response_model=DiffResult)
    def answer() -> DiffResult:
        return result

    with TestClient(app) as client:
        return client.get("/").content


def _years(side: DiffSide) -> str:
    return "、".join(str(y) for y in side.years)


def header(result: DiffResult) -> tuple[str, ...]:
    layout = layout_of(result.layout)
    if result.kind == "years":
        return ("对照", *layout.lines.header, "说明")
    return layout.diff_header


def _cells(layout: Layout, change: str, line: LinePublic, note: str = "") -> tuple[Any, ...]:
    return (CHANGE_CN[change], *layout.lines.cells(line), note)


def _note(layout: Layout, change: LineChange) -> str:
    names = dict(layout.compared)

    def shown(line: LinePublic, field: str) -> str:
        return line.length if field == "length_years" else str(getattr(line, field))

    return "; ".join(
        f"{names[f]}: {shown(change.before, f)} → {shown(change.after, f)}" for f in change.fields
    )


def _year_rows(result: DiffResult, order: Order, layout: Layout) -> Iterator[tuple[Any, ...]]:
    a, b = _years(result.from_), _years(result.to)
    for part, index in order:
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


def rows(result: DiffResult, order: Order) -> Iterator[tuple[Any, ...]]:
    layout = layout_of(result.layout)
    if result.kind == "years":
        yield from _year_rows(result, order, layout)
        return
    for line in result.removed:
        yield _cells(layout, "removed", line)
    for change in result.changed:
        yield _cells(layout, "changed", change.after, _note(layout, change))
    for line in result.added:
        yield _cells(layout, "added", line)
    yield from diff_closures.rows(result.closures, layout.lines.header)


def csv_bytes(result: DiffResult, order: Order, *, bom: bool = True) -> bytes:
    return writing.csv_text(header(result), rows(result, order), bom=bom)


def xlsx_rows(result: DiffResult, order: Order) -> list[list[Any]]:
    """The XLSX's rows as openpyxl reads them back (blank cells None)."""
    table = [list(header(result))]
    table += [[writing.guard(cell) for cell in row] for row in rows(result, order)]
    return [[None if cell == "" else cell for cell in row] for row in table]
