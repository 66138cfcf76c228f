"""The read path of ``GET /api/v1/programs``: one statement compiled once per combination of
filters, run on a raw connection of the read engine, rows serialised to JSON once.

Measured by the benchmarks (README "Benchmarks", 2.): through an ORM session, statements rebuilt
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

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.db import read_rows
from app.errors import Invalid
from app.pagination import decode_cursor, encode_cursor
from app.programs.models import Program
from app.programs.schemas import ProgramFilters

FIELDS = (
    "id",
    "college_code",
    "college",
    "major_code",
    "major_name",
    "category",
    "edition",
    "intake",
    "level",
    "length_years",
    "status",
    "since_year",
)

# filter -> (program column, the ids the value means); each is one indexed lookup.
LOOKUPS: dict[str, tuple[Any, Select]] = {
    "college": (Program.college_id, select(College.id).where(College.code == bindparam("college"))),
    "province": (
        Program.college_id,
        select(College.id).where(College.province == bindparam("province")),
    ),
    "major_code": (Program.major_id, select(Major.id).where(Major.code == bindparam("major_code"))),
}
OWN = {
    # the major's category, kept on the row (models.py): one (category, id) index range
    "category": Program.category,
    "level": Program.level,
    "intake": Program.intake,
    "status": Program.status,
    "year": Program.since_year,
}


def page_statement(names: tuple[str, ...], after: bool) -> Select:
    """The page query for these filters, with a bind parameter per value, ``after`` and
    ``limit``: the ids come from the indexes ordered by id, then 50 rows are joined."""
    ids = select(Program.id)
    for name in names:
        if name in LOOKUPS:
            column, lookup = LOOKUPS[name]
            ids = ids.where(column.in_(lookup.scalar_subquery()))
        else:
            ids = ids.where(OWN[name] == bindparam(name))
    if after:
        ids = ids.where(Program.id > bindparam("after"))
    ids = ids.order_by(Program.id).limit(bindparam("limit"))
    return (
        select(
            Program.id,
            College.code,
            College.name,
            Major.code,
            Major.name,
            Category.name,
            CatalogEdition.key,
            Program.intake,
            Program.level,
            Program.length_years,
            Program.status,
            Program.since_year,
        )
        .select_from(Program)
        .join(College, College.id == Program.college_id)
        .join(Major, Major.id == Program.major_id)
        .join(Category, Category.id == Major.category_id)
        .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
        .where(Program.id.in_(ids.scalar_subquery()))
        .order_by(Program.id)
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
    """Up to ``limit`` rows (tuples in FIELDS order) after id ``after``, by id; ``engine`` is a
    read engine (``db.make_read_engine``)."""
    values: dict[str, Any] = {"limit": limit}
    names = []
    for name in (*LOOKUPS, *OWN):
        value = getattr(filters, name)
        if value is not None and value != "":
            values[name] = getattr(value, "value", value)
            names.append(name)
    if after is not None:
        values["after"] = after
    compiled = _compiled(engine.dialect, tuple(names), after is not None)
    return read_rows(engine, compiled.sql, compiled.params(values))


def after_id(cursor: str | None) -> int | None:
    """The id a ``next`` cursor of this listing carries."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    if len(key) != 1 or not isinstance(key[0], int):
        raise Invalid(error="invalid_cursor")
    return key[0]


def page_json(engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int) -> bytes:
    """The page as ``{"items": [...], "next": cursor|null}``, serialised once."""
    found = rows(engine, filters, after=after, limit=limit + 1)
    nxt = encode_cursor([found[limit - 1][0]]) if len(found) > limit else None
    items = [dict(zip(FIELDS, r, strict=True)) for r in found[:limit]]
    for item in items:
        item["level"] = item["level"] or None  # '' is stored for 中职 (no level)
    return orjson.dumps({"items": items, "next": nxt})
