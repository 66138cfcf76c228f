"""The lines of a diff, matched in the database and read a chunk at a time.

A side is a list of publications in the order ``diff.resolve`` gives them; its lines are read in
that order, each publication's by ``position``. A line is keyed by college code + major code +
intake + level; should a key repeat within a side, the side's first line is the one compared
(its repeats are left out of the diff). Matching is a join on the key (``ix_publication_line_key``
looks a key up), never a dict of a side's lines:

- ``later(which)``: the later side's lines, each with the earlier side's line of its key (or
  None) — all of them, the unmatched, the matched, or the matched whose compared fields differ;
- ``earlier()``: the earlier side's lines whose key the later side does not have;
- ``counts()``: how many of each, first (a diff's summary comes before its lists);
- ``later_page`` / ``earlier_page``: the same lines a page at a time, ``limit`` after a ``Place``
  (keyset on the side's order, no OFFSET: a later page costs what the first does).

Rows are tuples read through a streaming cursor (server-side on PostgreSQL), ``BATCH_ROWS`` at a
time. Run every query on one connection in one transaction (``app.db.snapshot``) and they agree.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from sqlalchemy import and_, case, exists, func, literal, or_, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import FromClause

from app.db import table_of
from app.publications.models import PublicationLine

BATCH_ROWS = 500  # lines a chunk
KEY = ("college_code", "major_code", "intake", "level")
LINE = table_of(PublicationLine)
Which = Literal["all", "unmatched", "matched", "changed"]


class Line(NamedTuple):
    """A printed line, as the diff reads it (the columns of ``schemas.LinePublic``)."""

    seq: int
    entry_id: int | None
    college_code: str
    college: str
    major_code: str
    major_name: str
    category: str
    intake: str
    level: str
    length_years: int
    remark: str


COLUMNS = Line._fields
# (a later line, the earlier side's line of its key or None)
Pair = tuple[Line, Line | None]


class Place(NamedTuple):
    """Where a line stands on its side: its list, and its place in that list."""

    publication_id: int
    position: int


@dataclass(frozen=True)
class Counts:
    later: int  # the later side's lines (the first of each key)
    matched: int  # of them, those the earlier side has
    changed: int  # of those, the ones whose compared fields differ
    earlier_only: int  # the earlier side's lines the later side does not have


def _same_key(a: FromClause, b: FromClause) -> list[ColumnElement[bool]]:
    return [a.c[k] == b.c[k] for k in KEY]


def _order(t: FromClause, ids: Sequence[int]) -> ColumnElement[Any]:
    """Where ``t``'s publication stands on its side: its id when the side lists its
    publications by id (``diff.resolve`` does), else its place in ``ids``."""
    if list(ids) == sorted(ids):
        return t.c.publication_id
    return case({pid: i for i, pid in enumerate(ids)}, value=t.c.publication_id)


def _after(t: FromClause, ids: Sequence[int], place: Place) -> ColumnElement[bool]:
    """``t``'s line comes after ``place`` (a line of one of ``ids``) in the side's order."""
    ordered = list(ids) == sorted(ids)
    rank = place.publication_id if ordered else list(ids).index(place.publication_id)
    return tuple_(_order(t, ids), t.c.position) > tuple_(literal(rank), literal(place.position))


def _first(t: FromClause, ids: Sequence[int]) -> ColumnElement[bool]:
    """``t``'s line is the first of its key on the side of publications ``ids``."""
    d = LINE.alias()
    same = and_(d.c.publication_id == t.c.publication_id, d.c.position < t.c.position)
    before = or_(_order(d, ids) < _order(t, ids), same)
    return ~exists().where(*_same_key(d, t), d.c.publication_id.in_(ids), before)


@dataclass(frozen=True)
class Matched:
    """The lines of publications ``earlier`` against those of ``later`` (each side in order),
    comparing the fields ``compared`` (the layout's)."""

    conn: Connection
    earlier: Sequence[int]
    later: Sequence[int]
    compared: Sequence[str]

    def _pairs(self) -> tuple[FromClause, FromClause, FromClause, ColumnElement[bool]]:
        """(new, old, new LEFT JOIN old, old's fields differ)."""
        new, old = LINE.alias("new"), LINE.alias("old")
        found = and_(
            *_same_key(old, new),
            old.c.publication_id.in_(self.earlier),
            _first(old, self.earlier),
        )
        differs = or_(*(new.c[f] != old.c[f] for f in self.compared))
        return new, old, new.outerjoin(old, found), differs

    def counts(self) -> Counts:
        new, old, joined, differs = self._pairs()
        changed = func.sum(case((and_(old.c.id.is_not(None), differs), 1), else_=0))
        query = (
            select(func.count(), func.count(old.c.id), func.coalesce(changed, 0))
            .select_from(joined)
            .where(new.c.publication_id.in_(self.later), _first(new, self.later))
        )
        later, matched, changed_count = self.conn.execute(query).one()
        earlier = self._earlier_only(LINE.alias("line"), self.earlier)
        alone = self.conn.scalar(select(func.count()).where(*earlier)) or 0
        return Counts(later, matched, int(changed_count), alone)

    def later_pairs(self, which: Which = "all") -> Iterator[list[Pair]]:
        """The later side's lines in its order, with their earlier lines: ``which`` of them."""
        for part in self._chunks(self._later(which)[1]):
            yield [_pair(r) for r in part]

    def later_page(self, which: Which, after: Place | None, limit: int) -> list[tuple[Place, Pair]]:
        """``limit`` of ``later_pairs(which)``: the first after ``after`` (None: from the
        start), each with its place."""
        new, query = self._later(which, places=True)
        if after is not None:
            query = query.where(_after(new, self.later, after))
        rows = self.conn.execute(query.limit(limit)).all()
        return [(Place(r[0], r[1]), _pair(r[2:])) for r in rows]

    def _later(self, which: Which, *, places: bool = False) -> tuple[FromClause, Any]:
        """(new, the query of the later lines ``which``: new's and old's columns in the side's
        order, after new's publication id and position when ``places``)."""
        new, old, joined, differs = self._pairs()
        choices: dict[str, list[ColumnElement[bool]]] = {
            "all": [],
            "unmatched": [old.c.id.is_(None)],
            "matched": [old.c.id.is_not(None)],
            "changed": [old.c.id.is_not(None), differs],
        }
        lead = (new.c.publication_id, new.c.position) if places else ()
        query = (
            select(*lead, *(new.c[c] for c in COLUMNS), *(old.c[c] for c in COLUMNS))
            .select_from(joined)
            .where(new.c.publication_id.in_(self.later), _first(new, self.later), *choices[which])
            .order_by(_order(new, self.later), new.c.position)
        )
        return new, query

    def earlier_alone(self) -> Iterator[list[Line]]:
        """The earlier side's lines whose key the later side does not have, in its order."""
        for part in self._chunks(self._earlier()[1]):
            yield [Line(*r) for r in part]

    def earlier_page(self, after: Place | None, limit: int) -> list[tuple[Place, Line]]:
        """``limit`` of ``earlier_alone()``: the first after ``after``, each with its place."""
        line, query = self._earlier(places=True)
        if after is not None:
            query = query.where(_after(line, self.earlier, after))
        rows = self.conn.execute(query.limit(limit)).all()
        return [(Place(r[0], r[1]), Line(*r[2:])) for r in rows]

    def _earlier(self, *, places: bool = False) -> tuple[FromClause, Any]:
        line = LINE.alias("line")
        lead = (line.c.publication_id, line.c.position) if places else ()
        query = (
            select(*lead, *(line.c[c] for c in COLUMNS))
            .where(*self._earlier_only(line, self.earlier))
            .order_by(_order(line, self.earlier), line.c.position)
        )
        return line, query

    def _earlier_only(self, line: FromClause, ids: Sequence[int]) -> list[ColumnElement[bool]]:
        other = LINE.alias()
        on_later = exists().where(*_same_key(other, line), other.c.publication_id.in_(self.later))
        return [line.c.publication_id.in_(ids), _first(line, ids), ~on_later]

    def _chunks(self, query: Any) -> Iterator[Sequence[Any]]:
        options = query.execution_options(stream_results=True, yield_per=BATCH_ROWS)
        yield from self.conn.execute(options).partitions()


def _pair(row: Sequence[Any]) -> Pair:
    """A row of new's columns then old's (None when the earlier side has no line of the key)."""
    width = len(COLUMNS)
    return Line(*row[:width]), Line(*row[width:]) if row[width] is not None else None
