"""The read path of ``GET /api/v1/programs``: one statement compiled once per combination of
filters, run on a raw connection of the read engine, rows serialised to JSON once.

Measured by the benchmarks (docs/benchmarks.md, 2.): through an ORM session, statements rebuilt
per request and a pydantic model per row validated twice, a page cost 4-7 ms of CPU. Here each
filter on a college or major attribute is an ``IN (SELECT id …)`` inside the one statement (no
lookup round trips), the SQL is compiled once per dialect and combination of filters, it runs
through ``db.read_rows`` (no transaction round trips, no result objects), and the 50 tuples go
straight to JSON with orjson.
"""

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Select, bindparam, select
from sqlalchemy.engine import Dialect, Engine
from sqlmodel import col

from app.db import read_rows
from app.pagination import decode_after, encode_cursor
from app.programs import readmodel
from app.programs.models import Program
from app.programs.schemas import ProgramFilters


def page_statement(names: tuple[str, ...], after: bool) -> Select:
    """The page query for these filters, with a bind parameter per value, ``after`` and
    ``limit``: the ids come from the indexes ordered by id, then 50 rows are joined."""
    ids = select(col(Program.id))
    for name in names:
        ids = ids.where(readmodel.FILTERS[name].condition(bindparam(name)))
    if after:
        ids = ids.where(col(Program.id) > bindparam("after"))
    ids = ids.order_by(col(Program.id)).limit(bindparam("limit"))
    return (
        readmodel.joined(*(column for _, column in readmodel.COLUMNS))
        .where(col(Program.id).in_(ids.scalar_subquery()))
        .order_by(col(Program.id))
    )


class _Compiled:
    """A page statement compiled for one dialect: its SQL and how to lay out its parameters."""

    def __init__(self, statement: Select, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        # Values the statement carries itself (e.g. SQLite's OFFSET 0); the others come per page.
        self.defaults = {
            name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required
        }
        self.order = compiled.positiontup  # None for named parameter styles (psycopg)

    def params(self, values: dict[str, Any]) -> Any:
        merged = {**self.defaults, **values}
        return merged if self.order is None else tuple(merged[k] for k in self.order)


_COMPILED: dict[tuple, _Compiled] = {}


def _compiled(dialect: Dialect, names: tuple[str, ...], after: bool) -> _Compiled:
    key = (dialect.name, dialect.driver, names, after)
    found = _COMPILED.get(key)
    if found is None:
        # 8 filters: at most 2**8 * 2 combinations per dialect, so the cache stays bounded.
        found = _COMPILED[key] = _Compiled(page_statement(names, after), dialect)
    return found


def rows(
    engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` rows (tuples in ``readmodel.COLUMNS`` order) after id ``after``, by id;
    ``engine`` is a read engine (``db.make_read_engine``)."""
    given = readmodel.filter_values(filters)
    values: dict[str, Any] = {"limit": limit, **given}
    names = list(given)
    if after is not None:
        values["after"] = after
    compiled = _compiled(engine.dialect, tuple(names), after is not None)
    return read_rows(engine, compiled.sql, compiled.params(values))


def after_id(cursor: str | None) -> int | None:
    """The id a ``next`` cursor of this listing carries."""
    return decode_after(cursor, int)


def page_json(engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int) -> bytes:
    """The page as ``{"items": [...], "next": cursor|null}``, serialised once."""
    found = rows(engine, filters, after=after, limit=limit + 1)
    nxt = encode_cursor([found[limit - 1][0]]) if len(found) > limit else None
    items = [readmodel.item(r) for r in found[:limit]]
    return orjson.dumps({"items": items, "next": nxt})
