"""``registry import programs`` / ``POST /programs/import``: the ``programs.csv`` export layout.

Built for 150,000 rows: colleges, majors and existing programs are read with a few set-based
queries into dicts; the file is read as lists of cells and checked column by column (dict
lookups mapped over a column, one loop building a plain tuple per valid row; a row the fast
check cannot accept goes through the checks that name every problem); rows go in with the
driver's executemany (SQLite) or COPY (PostgreSQL) — no ORM object, no dict and no query per
row. A row whose (college, major, level, intake) exists updates that program (status, length,
since_year); otherwise it is inserted.
"""

from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session

from app import writes
from app.access.policy import ensure_governs_all
from app.access.principal import Principal
from app.catalog.models import Major
from app.changes.models import Change
from app.colleges.models import College
from app.db import table_of
from app.errors import Conflict
from app.i18n import Joined, t
from app.programs import snapshots
from app.programs.bulk import (
    insert_programs,
    major_facts,
    refresh_statistics,
    update_programs,
)
from app.programs.models import Program
from app.programs.readmodel import CSV_FIELDS, CSV_FIELDS_ZH, STATUS_WORDS
from app.programs.resolve import MajorResolver, college_index
from app.spreadsheets.reading import Grid, ImportResult, Progress, RowErrors, gc_paused, read_grid
from app.vocab import (
    CN_YEARS,
    CollegeType,
    Intake,
    Level,
    ProgramStatus,
    System,
    parse_years,
    system_of,
)

COLUMNS = CSV_FIELDS  # what programs.csv writes, import programs reads
# college, major_name and category are informational (the export writes them for people); the
# codes decide. major_name only breaks a tie when one code is in two editions in force.
REQUIRED = ("college_code", "major_code", "intake", "level", "length_years", "status", "since_year")
# The planners' layout (contract.md, fixed) reads back too: its headers, and 状态 in words
# (学制 as 三年 is one of YEARS' spellings).
ALIASES = dict(zip(CSV_FIELDS_ZH, COLUMNS, strict=True))
STATUS_IN = {zh: en for en, zh in STATUS_WORDS.items()}
INTAKES = {i.value for i in Intake}
LEVELS = {level.value for level in Level}
STATUSES = {s.value for s in ProgramStatus}
# status as written (English or the planners' Chinese) -> as stored
STATUS_OF = {**{s: s for s in STATUSES}, **STATUS_IN}
CHUNK = 5000
# The accepted spellings of 学制 and of since_year, precomputed: dict lookups in the hot loop.
YEARS = {
    k: v
    for k in [
        *map(str, range(1, 9)),
        *(f"{i}年" for i in range(1, 9)),
        *(f"{i}.0" for i in range(1, 9)),
        *CN_YEARS,
    ]
    if (v := parse_years(k)) is not None and 1 <= v <= 8
}
SINCE = {str(year): year for year in range(1949, 2101)}

# A checked row: (spreadsheet row number, college_id, major_id, level, intake, length_years,
# status, since_year); [1:5] is its offering key.
Row = tuple[int, int, int, str, str, int, str, int]
KEY = itemgetter(1, 2, 3, 4)
T = TypeVar("T")


def _int_in(value: str, low: int, high: int) -> int | None:
    return int(value) if value.isdigit() and low <= int(value) <= high else None


class _Checker:
    """Checks rows against the dicts loaded up front; collects every error."""

    def __init__(self, session: Session, grid: Grid):
        self.grid = grid
        self.errors = RowErrors(grid.renamed)
        self.column = {name: i for i, name in enumerate(grid.header) if name}
        self.colleges = college_index(session, set(self.values("college_code")))
        self.majors = MajorResolver(session, set(self.values("major_code")))
        # domain.md: 中职 programs have no level ('' only); technician ones have one of three.
        levels = {
            t.value: {""} if system_of(t) == System.SECONDARY else LEVELS for t in CollegeType
        }
        # code -> (id, (province, type), the levels its programs may have): the fast path's view
        self.fast_colleges = {
            code: (c.id, (c.province, c.type), levels.get(c.type, ()))
            for code, c in self.colleges.items()
        }
        self._major_ids: dict[tuple[str, str, tuple[str, str]], int] = {}

    def values(self, name: str) -> list[str]:
        """A column's cells ('' for each row when the file has no such column)."""
        i = self.column.get(name)
        if i is None:
            return [""] * len(self.grid.rows)
        return list(map(itemgetter(i), self.grid.rows))

    def check(self, progress: Progress | None = None) -> list[Row]:
        """The valid rows in file order; the errors of the others are in ``errors``.

        Column by column first (the vocabularies are dict lookups mapped over a column), then
        one loop: a row whose every value is known takes the fast path, any other goes through
        _slow, which names every problem (and accepts the rarer spellings of a valid value)."""
        total = len(self.grid.rows)
        columns = zip(
            range(total),
            self.grid.numbers,
            map(self.fast_colleges.get, self.values("college_code")),
            self.values("major_code"),
            self.values("major_name"),
            self.values("level"),
            self.values("intake"),
            map(YEARS.get, self.values("length_years")),
            map(STATUS_OF.get, self.values("status")),
            map(SINCE.get, self.values("since_year")),
            strict=True,
        )
        rows: list[Row] = []
        append, major_ids, intakes = rows.append, self._major_ids, INTAKES
        for index, number, college, code, name, level, intake, years, status, since in columns:
            if (
                college is None
                or years is None
                or status is None
                or since is None
                or intake not in intakes
                or level not in college[2]
            ):
                row = self._slow(number, self.grid.cells(index))
                if row is not None:
                    append(row)
            else:
                major_id = major_ids.get((code, name, college[1]))
                if major_id is None:
                    major_id = major_ids[(code, name, college[1])] = self._major_id(
                        code, name, *college[1]
                    )
                if major_id:
                    append((number, college[0], major_id, level, intake, years, status, since))
                else:
                    row = self._slow(number, self.grid.cells(index))
                    if row is not None:
                        append(row)
            if progress and (index + 1) % CHUNK == 0:
                progress("checking", index + 1, total)
        return rows

    def _major_id(self, code: str, name: str, province: str, college_type: str) -> int:
        """The major's id, or 0 when the code means nothing for such a college."""
        system = system_of(college_type).value
        ref = self.majors.pick(code, name, province=province, system=system)
        return ref.id if ref else 0

    def _slow(self, number: int, cells: dict[str, str]) -> Row | None:
        blank = [c for c in REQUIRED if not cells.get(c) and c != "level"]
        for column in blank:
            self.errors.add(
                number, column, "entry.missing_field", t("entry.missing_field", field=column)
            )
        college = self.colleges.get(cells.get("college_code", ""))
        if college is None and "college_code" not in blank:
            self.errors.add(
                number,
                "college_code",
                "college.unknown",
                t("college.unknown", code=cells["college_code"]),
                value=cells["college_code"],
            )
        values = self._values(number, cells, blank)
        if college is None or "major_code" in blank:
            return None
        system = system_of(college.type).value
        level = self._level(number, cells.get("level", ""), system)
        major_id = self.majors.resolve(
            self.errors,
            number,
            cells["major_code"],
            cells.get("major_name", ""),
            province=college.province,
            system=system,
        )
        if major_id is None or level is None or values is None:
            return None
        length, status, since = values
        return (number, college.id, major_id, level, cells["intake"], length, status, since)

    def _values(
        self, number: int, cells: dict[str, str], blank: list[str]
    ) -> tuple[int, str, int] | None:
        intake, status = cells.get("intake", ""), cells.get("status", "")
        status = STATUS_IN.get(status, status)
        length = parse_years(cells.get("length_years", ""))
        since = _int_in(cells.get("since_year", ""), 1949, 2100)
        ok = not blank
        for column, good, hint in (
            ("intake", intake in INTAKES, Joined(sorted(INTAKES))),
            ("status", status in STATUSES, t("hint.status")),
            ("length_years", length is not None and 1 <= length <= 8, t("hint.length_years")),
            ("since_year", since is not None, t("hint.since_year")),
        ):
            if column not in blank and not good:
                self.errors.add(
                    number,
                    column,
                    "entry.invalid_value",
                    t("entry.invalid_value.use", allowed=hint),
                    value=cells.get(column, ""),
                )
                ok = False
        if not ok or length is None or since is None:
            return None
        return length, status, since

    def _level(self, number: int, level: str, system: str) -> str | None:
        if system == "secondary":
            if level:  # domain.md: 中职 programs have no training level
                self.errors.add(
                    number,
                    "level",
                    "entry.invalid_value",
                    t("entry.invalid_value.no_level"),
                    value=level,
                )
                return None
            return ""
        if level not in LEVELS:
            self.errors.add(
                number,
                "level",
                "entry.missing_field" if not level else "entry.invalid_value",
                t("entry.invalid_value.use", allowed=t("hint.levels")),
                value=level,
            )
            return None
        return level


def _no_duplicate_active(errors: RowErrors, rows: list[Row]) -> None:
    """Two active rows for one offering would break the registry's uniqueness: name both."""
    first: dict[tuple[int, int, str, str], int] = {}
    for row in rows:
        if row[6] != ProgramStatus.ACTIVE:
            continue
        key = row[1:5]
        if key in first:
            errors.add(
                row[0],
                "status",
                "program.duplicate_active",
                t("program.duplicate_active", row=first[key]),
                value=row[6],
            )
        else:
            first[key] = row[0]


def check_rows(
    session: Session, data: bytes, *, filename: str, max_rows: int, progress: Progress | None = None
) -> tuple[list[Row], dict[str, Any]]:
    """The valid rows, and the colleges of the file by code (raising with every error)."""
    grid = read_grid(data, filename=filename, required=REQUIRED, max_rows=max_rows, aliases=ALIASES)
    checker = _Checker(session, grid)
    rows = checker.check(progress)
    _no_duplicate_active(checker.errors, rows)
    checker.errors.raise_if_any(rows=len(grid.rows))
    return rows, checker.colleges


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# A program as read for planning: (id, college_id, major_id, level, intake, status,
# length_years, since_year); [1:5] is its offering key, [5:8] the values an import sets.
Old = tuple[int, int, int, str, str, str, int, int]
# What plan() gives write(): a new program (college_id, major_id, level, intake, length_years,
# status, since_year), and a changed one (id, college_id, major_id, level, intake,
# length_years, status, since_year) — the key and the values of the feed's snapshot.
New = tuple[int, int, str, str, int, str, int]
Changed = tuple[int, int, int, str, str, int, str, int]


def _group(items: Iterable[T], key: Any) -> tuple[dict[Any, T], dict[Any, list[T]]]:
    """(first item by key, every item of the keys seen more than once) — the single dict stays
    flat for the common case of one item per key."""
    first: dict[Any, T] = {}
    many: dict[Any, list[T]] = {}
    for item in items:
        k = key(item)
        if k in first:
            many.setdefault(k, [first[k]]).append(item)
        else:
            first[k] = item
    return first, many


def _existing(session: Session, college_ids: Iterable[int]) -> list[Old]:
    """Programs of these colleges, the active one of a key first, then by id."""
    t = table_of(Program)
    out: list[Old] = []
    for chunk in _chunks(sorted(college_ids), 500):
        query = select(
            t.c.id,
            t.c.college_id,
            t.c.major_id,
            t.c.level,
            t.c.intake,
            t.c.status,
            t.c.length_years,
            t.c.since_year,
        ).where(t.c.college_id.in_(chunk))
        out.extend(tuple(r) for r in session.execute(query).all())
    return out


def _pair(rows: list[Row], olds: list[Old]) -> tuple[list[tuple[Row, Old]], list[Row]]:
    """Matches a key's file rows to its programs: same status first, then in order; the rest
    of the file rows are new programs."""
    remaining = sorted(olds, key=lambda o: (o[5] != ProgramStatus.ACTIVE, o[0]))
    pairs, unmatched = [], []
    for row in rows:
        match = next((o for o in remaining if o[5] == row[6]), None)
        if match is None:
            unmatched.append(row)
        else:
            remaining.remove(match)
            pairs.append((row, match))
    new = []
    for row in unmatched:
        if remaining:
            pairs.append((row, remaining.pop(0)))
        else:
            new.append(row)
    return pairs, new


def plan(session: Session, rows: list[Row]) -> tuple[list[New], list[Changed]]:
    """(inserts, updates) in the order they are written."""
    first, many = _group(rows, KEY)
    old_first, old_many = _group(_existing(session, {row[1] for row in rows}), KEY)
    inserts: list[New] = []
    updates: list[Changed] = []
    for key, row in first.items():
        if key in many or key in old_many:
            old = old_first.get(key)
            pairs, new = _pair(many.get(key, [row]), old_many.get(key, [old] if old else []))
        elif (old := old_first.get(key)) is not None:
            pairs, new = [(row, old)], []
        else:
            inserts.append((*key, row[5], row[6], row[7]))
            continue
        for r, o in pairs:
            if o[5:8] != (r[6], r[5], r[7]):
                updates.append((o[0], *key, r[5], r[6], r[7]))
        inserts.extend((*key, r[5], r[6], r[7]) for r in new)
    # Programs leaving 'active' go first, so the active-offering index never sees two at once.
    updates.sort(key=lambda u: u[6] == ProgramStatus.ACTIVE)
    return inserts, updates


def write(
    session: Session,
    inserts: list[New],
    updates: list[Changed],
    *,
    source: str,
    colleges: dict[str, Any],
    progress: Progress | None = None,
) -> None:
    total, done = len(inserts) + len(updates), 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress("writing", done, total)

    majors = major_facts(session, {u[2] for u in updates} | {r[1] for r in inserts})
    update_programs(session, [(u[0], u[6], u[5], u[7]) for u in updates], tick)
    categories = {major_id: facts[2] for major_id, facts in majors.items()}
    # The feed (app.changes): each program's state after the import, in this transaction — made
    # from what was written (the same fields GET /programs.csv shows), not read back. The new
    # programs': on PostgreSQL block by block while the rows go in (while the server inserts the
    # block before); on SQLite by the database at commit, one statement.
    by_id = {c.id: (c.code, c.name) for c in colleges.values()}
    snapshots.programs_written(session, sorted(updates), "updated", colleges=by_id, majors=majors)

    def created(ids: list[int], rows: list[New]) -> None:
        snapshots.programs_written(
            session,
            [(i, *row) for i, row in zip(ids, rows, strict=True)],
            "created",
            colleges=by_id,
            majors=majors,
        )

    provinces = {c.id: c.province for c in colleges.values()}
    if session.get_bind().dialect.name == "postgresql":
        insert_programs(session, inserts, source, categories, provinces, tick, created)
        return
    # SQLite: the ids follow the highest (bulk.new_ids), and the database makes their feed rows
    ids = insert_programs(session, inserts, source, categories, provinces, tick)
    if ids:
        snapshots.programs_created(session, ids[0], ids[-1])


def changed_since(session: Session, program_ids: Iterable[int], base_seq: int) -> dict[int, int]:
    """Program id -> the seq of its newest change after ``base_seq``, for those changed since."""
    t = table_of(Change)
    newest: dict[int, int] = {}
    for chunk in _chunks(sorted(set(program_ids)), 500):
        query = (
            select(t.c.key, func.max(t.c.seq))
            .where(
                t.c.entity == "program",
                t.c.seq > base_seq,
                t.c.key.in_([str(i) for i in chunk]),
            )
            .group_by(t.c.key)
        )
        newest.update((int(key), seq) for key, seq in session.execute(query).all())
    return newest


def _stale_rows(
    session: Session, rows: list[Row], updates: list[Changed], newest: dict[int, int]
) -> list[dict[str, Any]]:
    """The file's rows that would change a program changed after the file's base: its row
    number, the offering and the program, and the seq that changed it."""
    by_key = {tuple(u[1:5]): u[0] for u in updates if u[0] in newest}
    p, c, m = table_of(Program), table_of(College), table_of(Major)
    codes: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(sorted(newest), 500):
        query = (
            select(p.c.id, c.c.code, m.c.code)
            .join(c, c.c.id == p.c.college_id)
            .join(m, m.c.id == p.c.major_id)
            .where(p.c.id.in_(chunk))
        )
        codes.update((pid, (college, major)) for pid, college, major in session.execute(query))
    stale = []
    for row in rows:
        program_id = by_key.get(KEY(row))
        if program_id is None:
            continue
        college_code, major_code = codes[program_id]
        stale.append(
            {
                "row": row[0],
                "program_id": program_id,
                "college_code": college_code,
                "major_code": major_code,
                "level": row[3],
                "intake": row[4],
                "changed_seq": newest[program_id],
            }
        )
    return stale


def _ensure_base(
    session: Session,
    rows: list[Row],
    updates: list[Changed],
    base_seq: int,
    force_reason: str | None,
) -> list[int]:
    """Refuses (409 ``changed_since_export``) an import that would change a program changed
    after change ``base_seq`` — the export the file was made from did not show that change, so
    writing the file would undo it — unless forced with a reason. The overridden program ids."""
    newest = changed_since(session, [u[0] for u in updates], base_seq)
    if not newest:
        return []
    if not (force_reason or "").strip():
        stale = _stale_rows(session, rows, updates, newest)
        raise Conflict(
            {"base_seq": base_seq, "rows": stale},
            error="changed_since_export",
            count=len(stale),
            base_seq=base_seq,
        )
    return sorted(newest)


def _ensure_scope(session: Session, actor: Principal, rows: list[Row]) -> None:
    """An authority admin imports programs of the colleges it governs only."""
    if actor.is_superuser:
        return
    college_ids = sorted({row[1] for row in rows})
    t = table_of(College)
    authorities = set()
    for chunk in _chunks(college_ids, 500):
        authorities |= set(
            session.execute(select(t.c.authority_id).where(t.c.id.in_(chunk))).scalars()
        )
    ensure_governs_all(session, actor, authorities)


def _import(
    session: Session,
    data: bytes,
    *,
    actor: Principal,
    filename: str,
    source: str,
    max_rows: int,
    progress: Progress | None,
    base_seq: int | None,
    force_reason: str | None,
) -> tuple[ImportResult, list[int]]:
    """``import_programs``' checks and writes; its rows, plans and lookups (hundreds of
    thousands of objects) die with this call, before the collector is back: its first
    collection would scan every one of them still held (0.2 s at 150,000 rows)."""
    overridden: list[int] = []
    rows, colleges = check_rows(
        session, data, filename=filename, max_rows=max_rows, progress=progress
    )
    _ensure_scope(session, actor, rows)
    inserts, updates = plan(session, rows)
    if base_seq is not None:
        overridden = _ensure_base(session, rows, updates, base_seq, force_reason)
    write(session, inserts, updates, source=source[:60], colleges=colleges, progress=progress)
    refresh_statistics(session, len(inserts) + len(updates))
    result = ImportResult(
        rows=len(rows),
        inserted=len(inserts),
        updated=len(updates),
        unchanged=len(rows) - len(inserts) - len(updates),
    )
    return result, overridden


def import_programs(
    session: Session,
    data: bytes,
    *,
    actor: Principal,
    filename: str = "",
    source: str = "import",
    max_rows: int = 200_000,
    record_noop: bool = False,
    progress: Progress | None = None,
    base_seq: int | None = None,
    force_reason: str | None = None,
) -> ImportResult:
    """Check every row (raising with all errors), then insert and update in one transaction.
    With ``base_seq`` (the ``X-Registry-Seq`` of the export the file was made from), refuse to
    change a program changed after it unless ``force_reason`` says why (``_ensure_base``)."""
    with gc_paused():  # the rows are let go of before the collector runs again (_import)
        result, overridden = _import(
            session,
            data,
            actor=actor,
            filename=filename,
            source=source,
            max_rows=max_rows,
            progress=progress,
            base_seq=base_seq,
            force_reason=force_reason,
        )
    if result.changed or record_noop:
        writes.record(
            session,
            actor,
            action="program.import",
            target_type="program",
            target_id=filename or "import",
            after={
                "file": filename,
                **result.model_dump(),
                **({"base_seq": base_seq} if base_seq is not None else {}),
                **({"overridden": overridden} if overridden else {}),
            },
            reason=force_reason if overridden else None,
        )
    return result
