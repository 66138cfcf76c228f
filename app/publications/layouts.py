"""Publication layouts: what a list prints, per system — data, read by every exporter.

A list of 广州市人社局 (technician colleges) prints 附件1 with nine columns and 附件2 the
province's new specialty majors (contract.md: Exports). A list of 广州市教育局 (中职 schools)
prints the notice of 2024-04-02: 附件一 ``序号,学校名称,专业名称,专业代码``,
附件2 示范专业及校企合作项目 and 附件3 专业（含专业方向）名称规范备案 (contract.md: 中职 lists).
The CSV, XLSX, JSON, diff and statistics all take the list's layout from here (``layout_of``)
instead of branching on the system.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.publications.schemas import length_cn


@dataclass(frozen=True)
class Column:
    """One printed column: its header and how a row (a model or its JSON twin) fills it."""

    header: str
    cell: Callable[[Any], Any]
    text: bool = False  # a code: a text cell with number format ``@`` in XLSX


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def text_columns(self) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.columns) if c.text)

    def cells(self, row: Any) -> tuple[Any, ...]:
        return tuple(c.cell(row) for c in self.columns)


@dataclass(frozen=True)
class Annex:
    """A further table of the notice (附件2, 附件3): its own download and XLSX sheet."""

    key: str  # URL part: /publications/{id}/{key}.csv
    sheet: str  # 附件2
    title: str
    table: Table
    # Printed only when it has rows: a notice that suspends nothing has no such annex (the
    # seeded 2024 中职 notice's XLSX stays its three tables).
    optional: bool = False


@dataclass(frozen=True)
class Layout:
    system: str
    sheet: str  # the main table's sheet name: 附件1 / 附件一
    lines: Table
    annexes: tuple[Annex, ...]
    # Line fields a diff compares, with the header that names them in 变更内容.
    compared: tuple[tuple[str, str], ...]
    # Groupings the statistics report (the others answer an empty list).
    statistics: tuple[str, ...]

    def annex(self, key: str) -> Annex | None:
        return next((a for a in self.annexes if a.key == key), None)

    @property
    def diff_header(self) -> tuple[str, ...]:
        return ("变更", *self.lines.header, "变更内容")


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, name)


def _length(row: Any) -> str:
    return length_cn(row.length_years)


def _level(row: Any) -> str:
    return row.level or ""


# issue 24: the programs a list suspends or withdraws (contract.md "Program lifecycle").
CLOSURES = Annex(
    key="closures",
    sheet="附件3",
    title="停招、撤销专业名单",
    table=Table(
        (
            Column("序号", lambda row: row.position + 1),
            Column("学校", _attr("college")),
            Column("专业", _attr("major_name")),
            Column("专业代码", _attr("major_code"), text=True),
            Column("层次", _attr("intake")),
            Column("级别", _level),
            Column("类型", _attr("kind")),
            Column("起始年份", _attr("effective_year")),
        )
    ),
)

# The 中职 notice's own annex of closures (附件4, after 附件2 and 附件3): its columns as 附件一
# prints them, no 层次/级别 (a 中职 line has none), then 类型 and 起始年份.
SECONDARY_CLOSURES = Annex(
    key="closures",
    sheet="附件4",
    title="停招、撤销专业名单",
    table=Table(
        (
            Column("序号", lambda row: row.position + 1),
            Column("学校名称", _attr("college")),
            Column("专业名称", _attr("major_name")),
            Column("专业代码", _attr("major_code"), text=True),
            Column("类型", _attr("kind")),
            Column("起始年份", _attr("effective_year")),
        )
    ),
    optional=True,
)

TECHNICIAN = Layout(
    system="technician",
    sheet="附件1",
    lines=Table(
        (
            Column("序号", _attr("seq")),
            Column("学校", _attr("college")),
            Column("专业", _attr("major_name")),
            Column("专业类别", _attr("category")),
            Column("专业代码", _attr("major_code"), text=True),
            Column("层次", _attr("intake")),
            Column("级别", _level),
            Column("学制", _length),
            Column("备注", _attr("remark")),
        )
    ),
    annexes=(
        Annex(
            key="specialties",
            sheet="附件2",
            title="新增特色专业名单",
            table=Table(
                (
                    Column("专业名称", _attr("major_name")),
                    Column("专业编码", _attr("major_code"), text=True),
                    Column("培养层次", _level),
                    Column("学制", _length),
                    Column("专业大类", _attr("category")),
                    Column("申报学校", _attr("applicant_college")),
                )
            ),
        ),
        CLOSURES,
    ),
    compared=(
        ("college", "学校"),
        ("major_name", "专业"),
        ("category", "专业类别"),
        ("length_years", "学制"),
        ("remark", "备注"),
    ),
    statistics=("category", "level", "intake"),
)

SECONDARY = Layout(
    system="secondary",
    sheet="附件一",
    lines=Table(
        (
            Column("序号", _attr("seq")),
            Column("学校名称", _attr("college")),
            Column("专业名称", _attr("major_name")),
            Column("专业代码", _attr("major_code"), text=True),
        )
    ),
    annexes=(
        Annex(
            key="projects",
            sheet="附件2",
            title="示范专业及校企合作项目名单",
            table=Table(
                (
                    Column("序号", lambda row: row.position + 1),
                    Column("学校", _attr("school")),
                    Column("专业名称", _attr("major_name")),
                    Column("校企合作项目名称", _attr("project")),
                )
            ),
        ),
        Annex(
            key="directions",
            sheet="附件3",
            title="专业（含专业方向）名称规范备案名单",
            table=Table(
                (
                    Column("序号", lambda row: row.position + 1),
                    Column("学校名称", _attr("school")),
                    Column("原专业方向名称", _attr("original_name")),
                    Column("规范专业名称", _attr("normalised_name")),
                    Column("说明", _attr("note")),
                )
            ),
        ),
        SECONDARY_CLOSURES,
    ),
    compared=(("college", "学校名称"), ("major_name", "专业名称")),
    # 中职 lines have no level and all start after junior school: only 专业大类 says something.
    statistics=("category",),
)

LAYOUTS = {layout.system: layout for layout in (TECHNICIAN, SECONDARY)}
ANNEX_KEYS = tuple(a.key for layout in LAYOUTS.values() for a in layout.annexes)


def layout_of(system: str) -> Layout:
    """The layout of a list of this system (the publishing authority's)."""
    return LAYOUTS.get(system, TECHNICIAN)


def common_layout(systems: Sequence[str]) -> Layout:
    """One layout for lines of several lists: theirs when they share it, else the fullest one
    (the technician table has every column a line holds)."""
    distinct = set(systems)
    return layout_of(distinct.pop()) if len(distinct) == 1 else TECHNICIAN
