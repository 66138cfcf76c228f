"""A diff a page at a time, as the page ``/publications/diff`` shows it.

The summary and every section's total are the counts ``diff.open_diff`` makes in the database; of
each section (``only_to``, ``only_from``, ``both`` — or ``added``, ``removed``, ``changed`` — and
their closures) only ``limit`` lines are read, after the section's cursor: the lines matched by key
in the database as the API's answer reads them (``diff_lines.later_page``, ``earlier_page``), never
the whole lists. A line section's cursor is ``[lines before it, publication id, position]`` of its
last line shown (keyset: a later page costs what the first does); a closures section's, compared
whole as the API compares them, ``[lines before it]``. Cursors are ``app.pagination``'s: one this
page did not give is 422 ``invalid_cursor``."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.access.principal import Principal
from app.errors import Invalid
from app.fields import DB_INT_MAX
from app.pagination import decode_cursor, encode_cursor
from app.publications import diff as diffs
from app.publications import diff_closures
from app.publications.diff_lines import Place, Which

PAGE_LINES = 100  # lines a section shows at a time
Found = list[tuple[Place, dict[str, Any]]]


@dataclass(frozen=True)
class Section:
    """One table of the page: ``items`` are its lines ``start + 1`` to ``last`` of ``total``."""

    name: str  # only_to, both, closures_only_to …: the query parameter of its cursor
    kind: str  # how a row is drawn: lines, pairs, closures or closure_pairs
    total: int
    start: int
    items: list[Any]
    next: str | None  # the cursor of its next page; None on its last
    limit: int

    @property
    def part(self) -> str:
        return self.name.removeprefix("closures_")

    @property
    def anchor(self) -> str:
        """The id of the section's heading (``lines-only_to``, ``closures-only_to``)."""
        return f"closures-{self.part}" if self.kind.startswith("closure") else f"lines-{self.name}"

    @property
    def title(self) -> str:
        """Its heading's message key."""
        closures = self.kind.startswith("closure")
        return f"web.diff.closures.{self.part}" if closures else f"web.diff.{self.name}"

    @property
    def last(self) -> int:
        return self.start + len(self.items)

    @property
    def next_last(self) -> int:
        """The number of the last line of the next page."""
        return min(self.last + self.limit, self.total)


@dataclass(frozen=True)
class DiffPage:
    diff: diffs.Diff
    sections: list[Section]

    @property
    def line_fields(self) -> dict[str, str]:
        """A compared field's printed name (``length_years``: 学制)."""
        return dict(self.diff.layout.compared)

    @property
    def closure_fields(self) -> dict[str, str]:
        return dict(diff_closures.COMPARED)


def _later_alone(diff: diffs.Diff, after: Place | None, limit: int) -> Found:
    return [
        (p, diffs.public(new)) for p, (new, _) in diff.lines.later_page("unmatched", after, limit)
    ]


def _earlier_alone(diff: diffs.Diff, after: Place | None, limit: int) -> Found:
    return [(p, diffs.public(line)) for p, line in diff.lines.earlier_page(after, limit)]


def _pairs(diff: diffs.Diff, after: Place | None, limit: int) -> Found:
    which: Which = "matched" if diff.years else "changed"
    found = diff.lines.later_page(which, after, limit)
    return [(p, diffs.change(diff, old, new)) for p, (new, old) in found if old is not None]


# a line section: (how a row is drawn, its reader, whether it lists the later side's lines)
Reader = Callable[[diffs.Diff, Place | None, int], Found]
LINE_SECTIONS: dict[str, tuple[str, Reader, bool]] = {
    "added": ("lines", _later_alone, True),
    "removed": ("lines", _earlier_alone, False),
    "changed": ("pairs", _pairs, True),
    "only_to": ("lines", _later_alone, True),
    "only_from": ("lines", _earlier_alone, False),
    "both": ("pairs", _pairs, True),
}


def page(
    session: Session,
    principal: Principal | None,
    refs: diffs.Refs,
    *,
    at: Mapping[str, str],
    limit: int = PAGE_LINES,
) -> DiffPage:
    """The diff of ``refs`` with ``limit`` lines of each section, from the cursor ``at`` names
    by the section's name (none: its first lines). Refusals: ``open_diff``'s (404, 422), and
    422 ``invalid_cursor``."""
    diff = diffs.open_diff(session, principal, refs)
    names = ("only_to", "only_from", "both") if diff.years else ("added", "removed", "changed")
    sections = [_lines(diff, name, at.get(name), limit) for name in names]
    sections += [_closures(diff, part, at.get(f"closures_{part}"), limit) for part in names]
    return DiffPage(diff, sections)


def _lines(diff: diffs.Diff, name: str, cursor: str | None, limit: int) -> Section:
    kind, read, later = LINE_SECTIONS[name]
    total: int = getattr(diff.summary, name)
    side = diff.after if later else diff.before
    start, after = _place(cursor, side.publications)
    found = read(diff, after, limit + 1) if total else []
    shown = found[:limit]
    more = len(found) > limit
    nxt = encode_cursor([start + limit, *shown[-1][0]]) if more else None
    return Section(name, kind, total, start, [item for _, item in shown], nxt, limit)


def _closures(diff: diffs.Diff, part: str, cursor: str | None, limit: int) -> Section:
    rows = getattr(diff.closures, part)
    start = _start(cursor)
    nxt = encode_cursor([start + limit]) if start + limit < len(rows) else None
    kind = "closure_pairs" if part in ("changed", "both") else "closures"
    return Section(
        f"closures_{part}", kind, len(rows), start, rows[start : start + limit], nxt, limit
    )


def _numbers(cursor: str | None, size: int) -> list[int] | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    if len(key) != size or not all(type(v) is int and 0 <= v <= DB_INT_MAX for v in key):
        raise Invalid(error="invalid_cursor")
    return key


def _place(cursor: str | None, publications: Sequence[int]) -> tuple[int, Place | None]:
    """(lines before the page, the place of the last of them) of a line section's cursor."""
    key = _numbers(cursor, 3)
    if key is None:
        return 0, None
    if key[1] not in publications:  # a cursor of another diff
        raise Invalid(error="invalid_cursor")
    return key[0], Place(key[1], key[2])


def _start(cursor: str | None) -> int:
    key = _numbers(cursor, 1)
    return key[0] if key else 0
