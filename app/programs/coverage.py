"""布点: how many colleges run each major (category, province, city, college type), over the
current programs — the view a province steers by ("全省中职学校专业布点 2616 个", domain.md
"Beyond additions"). Any status, active by default.

Counting the colleges of a key is ``count(DISTINCT college)``, which both databases do by
sorting every program of the key (PostgreSQL's hashed grouping cannot take it): at ten times
the nation the sort outgrew memory and the 布点 cost 13.7-15.2× its 1× on SQLite, 14.6× by
college type on PostgreSQL (docs/benchmarks.md). So nothing here sorts the programs:

- by a college's attribute (province, city, college type) the programs are counted per college
  first (one group per college, in the order of an index on SQLite, hashed on PostgreSQL), and
  those few thousand rows are joined to their colleges and grouped: a college is one row there,
  so its count is ``count(*)``;
- by a program's own key (major, category) SQLite reads the programs in college order (an
  index, no sort) and counts in one pass, a college counted for a key when it differs from the
  last one counted for it — memory per key, not per program. PostgreSQL keeps one GROUP BY (by
  major without nested loops, ``_without_nested_loops``), which it measured at 5.8× its 1×.

The status is written into the statement (a closed set of words): SQLite uses the partial
index of active programs (``uq_program_active_offering``, in college order) only for a literal.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, func, literal, select, text
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app.catalog.models import Major
from app.colleges.models import College
from app.programs import readmodel
from app.programs.models import Program
from app.programs.schemas import STATUS_LABELS
from app.vocab import ProgramStatus

# What each grouping counts by: (key, name) columns, and the CSV header of the key. A college's
# province is its programs' (``program.province`` is a copy kept by triggers).
GROUPINGS: dict[str, tuple[Any, Any, str]] = {
    "major": (col(Major.code), func.max(col(Major.name)), "专业代码"),
    "category": (col(Program.category), col(Program.category), "专业类别"),
    "province": (col(College.province), col(College.province), "省份"),
    "city": (func.coalesce(col(College.city), ""), func.coalesce(col(College.city), ""), "城市"),
    "college_type": (col(College.type), col(College.type), "学校类型"),
}
# The groupings by an attribute of the college (counted per college first).
OF_COLLEGE = ("province", "city", "college_type")
# status= as the programs filters take it: the JSON words and the planners' Chinese labels.
STATUS_WORDS = {status.value: status for status in ProgramStatus} | STATUS_LABELS
HEADER_TAIL = ("名称", "学校数", "布点数")
# Programs fetched at a time when SQLite counts them in one pass.
FETCH = 1000

Item = dict[str, Any]


def header(by: str) -> tuple[str, ...]:
    return (GROUPINGS[by][2], *HEADER_TAIL)


def coverage(
    session: Session,
    *,
    by: str,
    system: str | None = None,
    status: str | None = None,
    province: str | None = None,
    major_code: str | None = None,
) -> list[Item]:
    """``[{key, name, colleges, programs}]``, most programs first, then by key; ``major_code``
    narrows it to one major (the 布点 of a major, on its page)."""
    state = STATUS_WORDS[status or ProgramStatus.ACTIVE]
    where = [*_programs(state, province, major_code), *_of_system(system)]
    if by in OF_COLLEGE:
        found: Iterable[Sequence[Any]] = session.execute(_per_college(by, where))
    elif session.get_bind().dialect.name == "sqlite":
        return _one_pass(session, by, where)
    else:
        query = _grouped(by, where)
        if by == "major" and not major_code:
            found = _without_nested_loops(session, query)
        else:
            found = session.execute(query)
    return [_item(k, n, c, p) for k, n, c, p in found]


def _item(key: Any, name: Any, colleges: Any, programs: Any) -> Item:
    # int(): PostgreSQL's sum of counts is a numeric.
    return {"key": key, "name": name, "colleges": int(colleges), "programs": int(programs)}


def _programs(
    state: ProgramStatus, province: str | None, major_code: str | None
) -> list[ColumnElement[bool]]:
    """The programs counted: of ``state`` (written into the statement, this module's
    docstring), in ``province``, of the majors of ``major_code``."""
    where = [col(Program.status) == literal(state.value, literal_execute=True)]
    if province:
        where.append(col(Program.province) == province)
    if major_code:
        majors = select(col(Major.id)).where(col(Major.code) == major_code)
        where.append(col(Program.major_id).in_(majors))
    return where


def _of_system(system: str | None) -> list[ColumnElement[bool]]:
    """Programs of the colleges of ``system`` (technician or secondary), when given."""
    if system is None:
        return []
    return [col(Program.college_id).in_(readmodel.colleges_of_system(system))]


def _per_college(by: str, where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    """Programs counted per college, then the colleges grouped by ``by``."""
    per_college = (
        select(col(Program.college_id).label("college_id"), func.count().label("programs"))
        .where(*where)
        .group_by(col(Program.college_id))
        .subquery("per_college")
    )
    key, name, _ = GROUPINGS[by]
    programs = func.sum(per_college.c.programs)
    return (
        select(key, name, func.count(), programs)
        .select_from(per_college)
        .join(College, col(College.id) == per_college.c.college_id)
        .group_by(key, name)
        .order_by(programs.desc(), key)
    )


def _grouped(by: str, where: list[ColumnElement[bool]]) -> Select[*tuple[Any, ...]]:
    """PostgreSQL by a program's own key: one GROUP BY."""
    key, name, _ = GROUPINGS[by]
    programs = func.count(col(Program.id))
    query = (
        select(key, name, func.count(func.distinct(col(Program.college_id))), programs)
        .select_from(Program)
        .where(*where)
        .group_by(key)
        .order_by(programs.desc(), key)
    )
    if by == "major":
        return query.join(Major, col(Major.id) == Program.major_id)
    return query.group_by(name)


def _one_pass(session: Session, by: str, where: list[ColumnElement[bool]]) -> list[Item]:
    """SQLite by a program's own key (major: its code; category): the programs in college
    order, counted in one pass (this module's docstring)."""
    column = col(Program.major_id) if by == "major" else col(Program.category)
    query = select(col(Program.college_id), column).where(*where).order_by(col(Program.college_id))
    majors: dict[Any, tuple[str, str]] = {}
    if by == "major":
        found = session.execute(select(col(Major.id), col(Major.code), col(Major.name)))
        majors = {id_: (code, name) for id_, code, name in found}
    programs: dict[Any, int] = {}  # by the column read (a major's id, a category)
    colleges: dict[Any, int] = {}  # by key (a major's code, a category)
    last: dict[Any, int] = {}  # the college last counted for a key
    for part in _fetched(session, query):
        for college, value in part:
            programs[value] = programs.get(value, 0) + 1
            key = majors[value][0] if majors else value
            if last.get(key) != college:
                last[key] = college
                colleges[key] = colleges.get(key, 0) + 1
    if not majors:
        items = [_item(k, k, colleges[k], n) for k, n in programs.items()]
    else:
        codes: dict[str, tuple[str, int]] = {}  # code -> (the greatest name, programs)
        for major, n in programs.items():
            code, name = majors[major]
            was = codes.get(code)
            codes[code] = (max(was[0], name), was[1] + n) if was else (name, n)
        items = [_item(c, name, colleges[c], n) for c, (name, n) in codes.items()]
    return sorted(items, key=lambda i: (-i["programs"], i["key"]))


def _fetched(session: Session, query: Select[*tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """``query``'s rows, ``FETCH`` at a time, as the driver's tuples: through a Result each row
    was a Row object, 3× the time of the count itself (1.0 against 0.33 s at 540,000
    programs)."""
    compiled = query.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    values = compiled.construct_params()
    params = tuple(values[name] for name in compiled.positiontup or ())
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        while part := cursor.fetchmany(FETCH):
            yield part
    finally:
        cursor.close()


def _without_nested_loops(session: Session, query: Any) -> list[Any]:
    """``query`` planned without nested loops, in this transaction only. PostgreSQL's plan of
    the whole registry by major walked the majors in code order (``ix_major_code``) and each
    one's programs through ``(major_id, id)``, one heap visit per program in no order: cheap
    while the table is in shared buffers (150,000 programs); at 1.5 million most visits were
    reads — 4.9 s of database CPU against 0.2 s at 1× (24×). Without nested loops: one
    sequential scan, hash-joined to the majors (docs/benchmarks.md). One major's 布点
    (``major_code``) keeps the walk: a few thousand programs through the index."""
    was = session.execute(text("SELECT current_setting('enable_nestloop')")).scalar()
    session.execute(text("SELECT set_config('enable_nestloop', 'off', true)"))
    try:
        return list(session.execute(query))
    finally:
        session.execute(text("SELECT set_config('enable_nestloop', :was, true)"), {"was": was})


def rows(items: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(i["key"], i["name"], i["colleges"], i["programs"]) for i in items]


def xlsx(head: Sequence[str], body: Sequence[Sequence[Any]]) -> bytes:
    """One sheet 布点, the key column as text (codes keep their leading zeros)."""
    from app.spreadsheets import writing

    def fill(book: Any) -> None:
        sheet = writing.FastSheet(book, "布点", text_columns=(0,))
        sheet.append(head, book.add_format({"bold": True}))
        sheet.extend([[writing.guard(v) for v in row] for row in body])

    return b"".join(writing.fast_xlsx_stream(fill))
