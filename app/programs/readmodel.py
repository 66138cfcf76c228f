"""The program read model, in one place: the filters of ``GET /programs`` (and of its CSV/XLSX
exports) and the columns of a program as the API shows it.

``FILTERS`` says how each filter narrows ``program``: a condition on one of its own columns,
each indexed together with the id — ``(college_id, id)``, ``(major_id, id)``, ``(category, id)``,
``(province, id)``, ``(since_year, id)``, ``(status, id)``, and the pairs ``(category,
since_year, id)``, ``(category, province, id)``, ``(province, since_year, id)`` — the other
college and major attributes as ``IN (SELECT id …)``.
``COLUMNS`` is a program as a JSON item, in order. The page statement (``listing``), one program
(``service``), the exports (``export``) and the schemas (``ProgramFilters``, ``ProgramPublic``;
``tests/core/test_read_model.py`` holds them to these tables) all read from here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.catalog.models import CatalogEdition, Category, Major
from app.colleges.models import College
from app.programs.models import Program
from app.programs.schemas import ProgramFilters


@dataclass(frozen=True)
class Filter:
    """``column == value``; with ``lookup``: ``column IN (SELECT lookup_id WHERE lookup ==
    value)``. ``value`` may be a bind parameter (the page statement is compiled once)."""

    column: Any
    lookup: Any = None
    lookup_id: Any = None

    def condition(self, value: Any) -> ColumnElement[bool]:
        if self.lookup is None:
            return self.column == value
        return self.column.in_(select(self.lookup_id).where(self.lookup == value))


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


def joined(*columns: Any) -> Select:
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
