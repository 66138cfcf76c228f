"""The read path of ``GET /api/v1/programs``: Core statements built once, one connection, rows
serialised to JSON once.

Measured by the benchmarks (README "Benchmarks", 2.): through an ORM session, statements rebuilt
per request and a pydantic model per row validated twice, a page cost 4-7 ms of CPU. Here the
statements are built once per combination of filters (SQLAlchemy then reuses their compiled
form), the college/major filters become id lists with one small indexed query each, and the 50
rows go straight from tuples to JSON.
"""

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.engine import Connection, Engine

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.errors import Invalid
from app.pagination import decode_cursor, encode_cursor
from app.programs.models import Program
from app.programs.schemas import ProgramFilters

FIELDS = ("id", "college_code", "college", "major_code", "major_name", "category", "edition",
          "intake", "level", "length_years", "status", "since_year")

# filter -> (program column, the ids it means); each lookup is one indexed query.
LOOKUPS: dict[str, tuple[Any, Select]] = {
    "college": (Program.college_id,
                select(College.id).where(College.code == bindparam("value"))),
    "province": (Program.college_id,
                 select(College.id).where(College.province == bindparam("value"))),
    "major_code": (Program.major_id,
                   select(Major.id).where(Major.code == bindparam("value"))),
    "category": (Program.major_id,
                 select(Major.id).join(Category, Category.id == Major.category_id)
                 .where(Category.name == bindparam("value"))),
}
OWN = {"level": Program.level, "intake": Program.intake, "status": Program.status,
       "year": Program.since_year}


@lru_cache(maxsize=512)
def _page_statement(lookups: tuple[str, ...], own: tuple[str, ...], after: bool) -> Select:
    """The page query for this combination of filters, with bind parameters for the values."""
    ids = select(Program.id)
    for name in lookups:
        ids = ids.where(LOOKUPS[name][0].in_(bindparam(f"{name}_ids", expanding=True)))
    for name in own:
        ids = ids.where(OWN[name] == bindparam(name))
    if after:
        ids = ids.where(Program.id > bindparam("after"))
    ids = ids.order_by(Program.id).limit(bindparam("limit"))
    return (
        select(Program.id, College.code, College.name, Major.code, Major.name, Category.name,
               CatalogEdition.key, Program.intake, Program.level, Program.length_years,
               Program.status, Program.since_year)
        .select_from(Program)
        .join(College, College.id == Program.college_id)
        .join(Major, Major.id == Program.major_id)
        .join(Category, Category.id == Major.category_id)
        .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
        .where(Program.id.in_(ids.scalar_subquery()))
        .order_by(Program.id)
    )


def _params(conn: Connection, filters: ProgramFilters) -> tuple[dict, list, list] | None:
    """Bind values and the names of the filters given; None when a lookup finds nothing."""
    params: dict[str, Any] = {}
    lookups, own = [], []
    for name, (_, query) in LOOKUPS.items():
        value = getattr(filters, name)
        if value:
            ids = conn.execute(query, {"value": value}).scalars().all()
            if not ids:
                return None
            params[f"{name}_ids"] = ids
            lookups.append(name)
    for name in OWN:
        value = getattr(filters, name)
        if value is not None:
            params[name] = getattr(value, "value", value)
            own.append(name)
    return params, lookups, own


def rows(conn: Connection, filters: ProgramFilters, *, after: int | None,
         limit: int) -> list[tuple]:
    """Up to ``limit`` rows (tuples in FIELDS order) after id ``after``, by id."""
    found = _params(conn, filters)
    if found is None:
        return []
    params, lookups, own = found
    params["limit"] = limit
    if after is not None:
        params["after"] = after
    statement = _page_statement(tuple(lookups), tuple(own), after is not None)
    return [tuple(r) for r in conn.execute(statement, params)]


def after_id(cursor: str | None) -> int | None:
    """The id a ``next`` cursor of this listing carries."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    if len(key) != 1 or not isinstance(key[0], int):
        raise Invalid("the cursor is not one this API issued", error="invalid_cursor")
    return key[0]


def page_json(engine: Engine, filters: ProgramFilters, *, after: int | None,
              limit: int) -> bytes:
    """The page as ``{"items": [...], "next": cursor|null}``, serialised once."""
    with engine.connect() as conn:
        found = rows(conn, filters, after=after, limit=limit + 1)
    nxt = encode_cursor([found[limit - 1][0]]) if len(found) > limit else None
    items: list[dict[str, Any]] = [dict(zip(FIELDS, r, strict=True)) for r in found[:limit]]
    for item in items:
        item["level"] = item["level"] or None  # '' is stored for 中职 (no level)
    return json.dumps({"items": items, "next": nxt}, ensure_ascii=False,
                      separators=(",", ":")).encode()
