"""The program read model, in one place: the filters of ``GET /programs`` (and of its CSV/XLSX
exports) and the columns of a program as the API shows it.

``FILTERS`` says how each filter narrows ``program``: a condition on one of its own columns,
each indexed together with the id — ``(college_id, id)``, ``(major_id, id)``, ``(category, id)``,
``(province, id)``, ``(since_year, id)``, ``(status, id)``, and the pairs ``(category,
since_year, id)``, ``(category, province, id)``, ``(province, since_year, id)`` — the other
college and major attributes as ``IN (SELECT id …)``.
``COLUMNS`` is a program as a JSON item, in order; ``FEED_FIELDS`` the change feed's (and the
bulk import's snapshots, ``programs.snapshots``), ``CSV_FIELDS`` the export's header
(``CSV_FIELDS_ZH`` and ``STATUS_WORDS`` the planners' layout, which the import reads back).
The page statement (``listing``), one program (``service``), the feed, the exports
(``export``) and the schemas (``ProgramFilters``, ``ProgramPublic``;
``tests/core/test_read_model.py`` holds them to these tables) all read from here.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, literal_column, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.authorities import service as authorities
from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.programs.models import Program
from app.programs.schemas import STATUS_LABELS, ProgramFilters
from app.vocab import TECHNICIAN_TYPES, System


@dataclass(frozen=True)
class Filter:
    """``column == value``; with ``lookup``: ``column IN (SELECT lookup_id WHERE lookup ==
    value)``; with ``colleges``: ``column IN (colleges(value))``. ``value`` may be a bind
    parameter (the page statement is compiled once)."""

    column: Any
    lookup: Any = None
    lookup_id: Any = None
    colleges: Callable[[Any], Select[*tuple[Any, ...]]] | None = None

    def condition(self, value: Any) -> ColumnElement[bool]:
        if self.colleges is not None:
            return self.column.in_(self.colleges(value))
        if self.lookup is None:
            return self.column == value
        return self.column.in_(select(self.lookup_id).where(self.lookup == value))


def _sql_text(value: str) -> Any:
    assert "'" not in value  # a vocabulary constant, never a caller's value
    return literal_column(f"'{value}'")


def colleges_of_system(system: Any) -> Select[*tuple[Any, ...]]:
    """The ids of the colleges of ``system``: technician types (技师学院, 高级技工学校, 技工学校),
    else secondary — ``vocab.system_of`` as SQL."""
    # constants of app.vocab written into the SQL (no expanding parameter: the page statement
    # is compiled once and run as text, listing._Compiled)
    technician = [_sql_text(t.value) for t in sorted(TECHNICIAN_TYPES)]
    of_system = case(
        (col(College.type).in_(technician), _sql_text(System.TECHNICIAN.value)),
        else_=_sql_text(System.SECONDARY.value),
    )
    return select(col(College.id)).where(of_system == system)


def colleges_governed(code: Any) -> Select[*tuple[Any, ...]]:
    """The ids of the colleges under authority ``code`` or any authority below it (the tree
    walked down in SQL by ``authorities.service.subtree_ids``)."""
    governed = authorities.subtree_ids(code)
    return select(col(College.id)).where(col(College.authority_id).in_(governed))


FILTERS: dict[str, Filter] = {
    "college": Filter(col(Program.college_id), col(College.code), col(College.id)),
    "major_code": Filter(col(Program.major_id), col(Major.code), col(Major.id)),
    # the major's category, kept on the row (models.py): one (category, id) index range
    "category": Filter(col(Program.category)),
    "level": Filter(col(Program.level)),
    "intake": Filter(col(Program.intake)),
    "status": Filter(col(Program.status)),
    # the college's province, kept on the row (models.py): (province, id) and its pairs
    "province": Filter(col(Program.province)),
    "year": Filter(col(Program.since_year)),  # first approved in this year
    # a system's or an authority's colleges (a few thousand rows): no column of program
    # ``college_id + 0``: no (college_id, id) index for this one — a system is most colleges,
    # and through that index a page read and sorted every program of all of them (18 ms a
    # page at 150,000); walked in id order against the colleges' set it stops at the page.
    "system": Filter(col(Program.college_id) + 0, colleges=colleges_of_system),
    "authority": Filter(col(Program.college_id), colleges=colleges_governed),
}

COLUMNS: tuple[tuple[str, Any], ...] = (
    ("id", col(Program.id)),
    ("college_code", col(College.code)),
    ("college", col(College.name)),
    ("major_code", col(Major.code)),
    ("major_name", col(Major.name)),
    ("category", col(Category.name)),
    ("edition", col(CatalogEdition.key)),
    ("intake", col(Program.intake)),
    ("level", col(Program.level)),
    ("length_years", col(Program.length_years)),
    ("status", col(Program.status)),
    ("since_year", col(Program.since_year)),
)
FIELDS = tuple(name for name, _ in COLUMNS)
# The program as the change feed carries it (``data`` of an item): the API's fields but the
# edition, in the same order — the ``programs.csv`` columns and ``id``.
FEED_FIELDS = tuple(name for name in FIELDS if name != "edition")
# ``programs.csv``'s header (contract.md, fixed): the feed's fields without ``id``.
CSV_FIELDS = tuple(name for name in FEED_FIELDS if name != "id")
# contract.md "Planners' layout" (fixed): the same columns in the same order, Chinese headers,
# 学制 as printed (三年) and 状态 in words; ``registry import programs`` reads it back.
CSV_FIELDS_ZH = (
    "学校代码",
    "学校名称",
    "专业代码",
    "专业名称",
    "专业类别",
    "层次",
    "级别",
    "学制",
    "状态",
    "首次批准年份",
)
# 状态 in words, one mapping with what ``status=`` accepts (批准待公布 = approved)
STATUS_WORDS = {status.value: label for label, status in STATUS_LABELS.items()}


def filter_values(filters: ProgramFilters) -> dict[str, Any]:
    """The filters given, by name in ``FILTERS`` order, as plain values (enums as their value);
    ``None`` and ``''`` mean absent."""
    values = {}
    for name in FILTERS:
        value = getattr(filters, name)
        if value is not None and value != "":
            values[name] = getattr(value, "value", value)
    return values


def conditions(filters: ProgramFilters) -> list[ColumnElement[bool]]:
    """The filters as conditions on ``program``'s own columns."""
    return [FILTERS[name].condition(value) for name, value in filter_values(filters).items()]


def joined(*columns: Any) -> Select[*tuple[Any, ...]]:
    """``SELECT columns FROM program`` joined to the tables ``COLUMNS`` reads."""
    return (
        select(*columns)
        .select_from(Program)
        .join(College, col(College.id) == Program.college_id)
        .join(Major, col(Major.id) == Program.major_id)
        .join(Category, col(Category.id) == Major.category_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
    )


def item(row: Sequence[Any]) -> dict[str, Any]:
    """A row in ``COLUMNS`` order as the JSON item. A 中职 program stores '' as its level (part
    of the unique key, where NULLs would never collide); the API says ``null``."""
    data = dict(zip(FIELDS, row, strict=True))
    data["level"] = data["level"] or None
    return data


def feed_query() -> Select[*tuple[Any, ...]]:
    """``SELECT`` of the ``FEED_FIELDS`` columns, joined; the caller adds its ``WHERE``."""
    columns = dict(COLUMNS)
    return joined(*(columns[name] for name in FEED_FIELDS))


def feed_item(row: Sequence[Any]) -> dict[str, Any]:
    """A row in ``FEED_FIELDS`` order as the feed's ``data`` (``level`` null for 中职)."""
    data = dict(zip(FEED_FIELDS, row, strict=True))
    data["level"] = data["level"] or None
    return data
