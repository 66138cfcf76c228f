"""The read path of ``GET /api/v1/programs``: one statement compiled once per combination of
filters, run on a raw connection of the read engine, each item made as JSON text by the database.

Measured by the benchmarks (docs/benchmarks.md, 2.): through an ORM session, statements rebuilt
per request and a pydantic model per row validated twice, a page cost 4-7 ms of CPU. Here each
filter on a college or major attribute is an ``IN (SELECT id …)`` inside the one statement (no
lookup round trips), the SQL is compiled once per dialect and combination of filters, it runs
through ``db.read_rows`` (no transaction round trips, no result objects), and each row comes
back as ``(id, item)``, the item a JSON object text the database made (SQLite ``json_object``,
PostgreSQL ``row_to_json``) with ``readmodel.item``'s keys, order and values: the body is those
texts joined, no dict or serialisation per row in Python (a category page on SQLite: 0.21 ->
0.17 ms of CPU in-process).
``rows`` still gives the tuples, for the HTML pages.
"""

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import (
    Integer,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.catalog.models import CatalogEdition, Major
from app.colleges.models import College
from app.db import read_rows
from app.db.async_reads import DIALECT, AsyncReader
from app.db.reads import Then
from app.pagination import decode_after, encode_cursor
from app.programs import readmodel
from app.programs.models import Program
from app.programs.schemas import ProgramFilters

# A page's columns: ``readmodel.COLUMNS`` with the category read from the program's own copy
# (``program.category``, kept equal to its major's by triggers): one join fewer to plan and run.
PAGE_COLUMNS = tuple(
    col(Program.category) if name == "category" else column for name, column in readmodel.COLUMNS
)

# A page's item: ``PAGE_COLUMNS`` by their item names, a 中职 program's level '' as NULL
# (``readmodel.item``'s null).
ITEM_COLUMNS = tuple(
    (name, func.nullif(column, literal_column("''")) if name == "level" else column)
    for (name, _), column in zip(readmodel.COLUMNS, PAGE_COLUMNS, strict=True)
)


def _condition(name: str, value: Any) -> ColumnElement[bool]:
    if name == "college":
        # College codes are unique: an equality with one id, which the planners weigh like a
        # literal (as IN (SELECT …) SQLite chose the (status, id) index for college+status and
        # walked the 135,000 active programs: 10 ms a page).
        college = select(col(College.id)).where(col(College.code) == value)
        return col(Program.college_id) == college.scalar_subquery()
    return readmodel.FILTERS[name].condition(value)


def ids_statement(
    names: tuple[str, ...], after: bool, per_major: bool = False
) -> Select[*tuple[Any, ...]]:
    """The ids of a page: ``program`` alone through its indexes, ordered by id, after
    ``after``, at most ``limit``.

    With ``per_major`` (PostgreSQL) a ``major_code`` page takes at most ``limit`` ids of each
    major of the code (a code is one major, rarely a few), each an index range of ``(major_id,
    id)`` in id order (LATERAL), then the first ``limit`` of those: the same ids. As ``major_id
    IN (SELECT …)`` PostgreSQL could not know the subquery gives one major, so it read every
    program of the major and sorted them for 51 (2,500 index entries and heap visits at 1.5
    million programs, 250 at 150,000: 35.9 against 1.04 ms of database CPU a page,
    docs/benchmarks.md)."""
    if per_major and "major_code" in names:
        return _per_major_ids(names, after)
    ids = select(col(Program.id))
    for name in names:
        ids = ids.where(_condition(name, bindparam(name)))
    if after:
        ids = ids.where(col(Program.id) > bindparam("after"))
    return ids.order_by(col(Program.id)).limit(bindparam("limit"))


def _per_major_ids(names: tuple[str, ...], after: bool) -> Select[*tuple[Any, ...]]:
    majors = (
        select(col(Major.id).label("major_id"))
        .where(col(Major.code) == bindparam("major_code"))
        .subquery("majors")
    )
    ids = select(col(Program.id)).where(col(Program.major_id) == majors.c.major_id)
    for name in names:
        if name != "major_code":
            ids = ids.where(_condition(name, bindparam(name)))
    if after:
        ids = ids.where(col(Program.id) > bindparam("after"))
    page = ids.order_by(col(Program.id)).limit(bindparam("limit")).lateral("page")
    return (
        select(page.c.id)
        .select_from(majors)
        .join(page, true())
        .order_by(page.c.id)
        .limit(bindparam("limit"))
    )


def _joined() -> Select[*tuple[Any, ...]]:
    return (
        select(*PAGE_COLUMNS)
        .select_from(Program)
        .join(College, col(College.id) == Program.college_id)
        .join(Major, col(Major.id) == Program.major_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
    )


def as_items(rows: Select[*tuple[Any, ...]], dialect: str) -> Select[*tuple[Any, ...]]:
    """``rows`` (``PAGE_COLUMNS`` ordered by id) as ``(id, item)``, the item the row as a JSON
    object text: ``ITEM_COLUMNS`` in order, numbers as numbers, UTF-8 as it is, quotes,
    backslashes and control characters escaped by the database. SQLite: ``json_object``.
    PostgreSQL: ``row_to_json`` of the labelled columns as a subquery (compact, where
    ``json_build_object`` writes ``" : "``), cast to text (psycopg would parse ``json``)."""
    if dialect == "sqlite":
        pairs = [part for name, column in ITEM_COLUMNS for part in (_literal(name), column)]
        return rows.with_only_columns(col(Program.id), func.json_object(*pairs))
    labelled = [column.label(name) for name, column in ITEM_COLUMNS]
    item = rows.with_only_columns(*labelled).order_by(None).subquery("item")
    as_text = cast(func.row_to_json(item.table_valued()), Text)
    return select(item.c.id, as_text).order_by(item.c.id)


def _literal(name: str) -> Any:
    return literal_column(f"'{name}'")  # a column name of readmodel, never a caller's value


def page_statement(
    names: tuple[str, ...], after: bool, dialect: str = "sqlite", items: bool = False
) -> Select[*tuple[Any, ...]]:
    """The page in one statement (SQLite: planned in-process, in microseconds): the ids from
    the indexes, then only those rows joined for names; with ``items`` as ``(id, item)``."""
    ids = ids_statement(names, after)
    page = _joined().where(col(Program.id).in_(ids.scalar_subquery())).order_by(col(Program.id))
    return as_items(page, dialect) if items else page


def rows_statement(items: bool = False) -> Select[*tuple[Any, ...]]:
    """PostgreSQL's second step: the rows of the page's ids (``= ANY(:ids)``).

    In one statement PostgreSQL planned the four-table join afresh for every page (a custom
    plan: 0.6-1.2 ms of planning against 0.1-0.4 ms of execution) — a generic plan of it
    cannot tell a common filter value from a rare one (a category that matches nothing walked
    all 150,000 programs, 120 ms). Split, the ids statement is one table (planned per page in
    ~0.07 ms, for its values) and this one does not depend on them: psycopg prepares it after
    a few pages and PostgreSQL keeps its generic plan (primary-key lookups)."""
    ids = bindparam("ids", type_=ARRAY(Integer))
    found = _joined().where(col(Program.id) == any_(ids)).order_by(col(Program.id))
    return as_items(found, "postgresql") if items else found


class _Compiled:
    """A statement compiled for one dialect: its SQL and how to lay out its parameters."""

    def __init__(self, statement: Select[*tuple[Any, ...]], dialect: Dialect) -> None:
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


_COMPILED: dict[tuple[Any, ...], _Compiled] = {}  # (dialect, driver, what shapes the statement)


def _compiled(dialect: Dialect, names: tuple[str, ...], after: bool, items: bool) -> _Compiled:
    """The page statement (SQLite) or the ids statement (the others) for these filters."""
    one = _one_statement(dialect, names)
    key = (dialect.name, dialect.driver, names, after, items and one)
    found = _COMPILED.get(key)
    if found is None:
        # 8 filters: at most 2**8 * 2 * 2 combinations per dialect, so the cache stays bounded.
        statement = (
            page_statement(names, after, dialect.name, items)
            if one
            else ids_statement(names, after, per_major=True)
        )
        found = _COMPILED[key] = _Compiled(statement, dialect)
    return found


def _one_statement(dialect: Dialect, names: tuple[str, ...]) -> bool:
    """Whether the page is one statement: on SQLite always; on PostgreSQL for one college's
    pages, whose plan does not depend on the values (one college id: the generic plan psycopg's
    prepared statement settles on is the right one for every college), so a second round trip
    would only add work (0.35 against 0.58 ms of server CPU a page)."""
    return dialect.name == "sqlite" or "college" in names


def _rows_compiled(dialect: Dialect, items: bool) -> _Compiled:
    key = (dialect.name, dialect.driver, "rows", items)
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = _Compiled(rows_statement(items), dialect)
    return found


def rows(
    engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int
) -> Sequence[Any]:
    """Up to ``limit`` rows (tuples in ``readmodel.COLUMNS`` order) after id ``after``, by id;
    ``engine`` is a read engine (``db.make_read_engine``)."""
    return _read(engine, filters, after=after, limit=limit, items=False)


Statements = tuple[str, Any, Then | None]


def _statements(
    dialect: Dialect, filters: ProgramFilters, *, after: int | None, limit: int, items: bool
) -> Statements:
    """What ``_read`` runs for these filters: the SQL, its parameters and, on PostgreSQL
    unless the page is one statement, the second statement of the page's ids."""
    given = readmodel.filter_values(filters)
    values: dict[str, Any] = {"limit": limit, **given}
    names = tuple(given)
    if after is not None:
        values["after"] = after
    compiled = _compiled(dialect, names, after is not None, items)
    if _one_statement(dialect, names):
        return compiled.sql, compiled.params(values), None
    second = _rows_compiled(dialect, items)

    def by_id(found: Sequence[Any]) -> tuple[str, Any] | None:
        return (second.sql, second.params({"ids": [r[0] for r in found]})) if found else None

    return compiled.sql, compiled.params(values), by_id


def _read(
    engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int, items: bool
) -> Sequence[Any]:
    """``rows``, or with ``items`` the same rows as ``(id, item JSON text)``."""
    sql, params, then = _statements(engine.dialect, filters, after=after, limit=limit, items=items)
    return read_rows(engine, sql, params, then=then)


def after_id(cursor: str | None) -> int | None:
    """The id a ``next`` cursor of this listing carries."""
    return decode_after(cursor, int)


def page_json(engine: Engine, filters: ProgramFilters, *, after: int | None, limit: int) -> bytes:
    """The page as ``{"items": [...], "next": cursor|null}``: the items' JSON texts as the
    database made them, joined."""
    return _page_body(_read(engine, filters, after=after, limit=limit + 1, items=True), limit)


async def page_json_async(
    reader: AsyncReader, filters: ProgramFilters, *, after: int | None, limit: int
) -> bytes:
    """``page_json`` on PostgreSQL through ``reader``, on the event loop."""
    sql, params, then = _statements(DIALECT, filters, after=after, limit=limit + 1, items=True)
    return _page_body(await reader.rows(sql, params, then), limit)


def _page_body(found: Sequence[Any], limit: int) -> bytes:
    nxt = orjson.dumps(encode_cursor([found[limit - 1][0]])) if len(found) > limit else b"null"
    items = ",".join([item for _, item in found[:limit]]).encode()
    return b'{"items":[' + items + b'],"next":' + nxt + b"}"
