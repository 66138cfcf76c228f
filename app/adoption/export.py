"""The plan as a spreadsheet a bureau opens in Excel (CSV and XLSX, contract.md "Exports").

Its first five columns are those of a decisions file: fill ``new_code`` on the 待定 lines and give
the file back with ``--decisions`` (or as ``decisions`` in the JSON body)."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Engine

from app.adoption import stream
from app.adoption.plan import Row
from app.spreadsheets import writing
from app.spreadsheets.writing import guard, xml_safe

HEADER = (
    "college_code",
    "old_code",
    "level",
    "intake",
    "new_code",
    "plan",
    "relation",
    "college",
    "old_edition",
    "old_name",
    "new_name",
    "category",
    "status",
    "candidates",
    "program_id",
)
TEXT_COLUMNS = (0, 1, 4)  # codes stay text in Excel (0702)


def _line(
    row: Row, plan: str, relation: str, new: tuple[str, str, str], cands: str = ""
) -> tuple[Any, ...]:
    code, name, category = new
    return (
        row.college_code,
        row.code,
        row.level,
        row.intake,
        code,
        plan,
        relation,
        row.college,
        row.edition,
        row.name,
        name,
        category,
        row.status,
        cands,
        row.id,
    )


NO_MAJOR = ("", "", "")


def lines(plan: stream.Plan) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of the table's rows: lines needing a decision first, then collisions, withdrawals
    and moves; each section by program (the order of ``POST …/adoption``'s lists)."""
    for pending in plan.needs_decision():
        yield [
            _line(r, "needs_decision", rel, NO_MAJOR, "|".join(f"{c.code} {c.name}" for c in cs))
            for r, rel, cs in pending
        ]
    yield [
        _line(r, "collision", f"merged into {keep.program_id}", (target.code, target.name, ""))
        for keep, losers, target in plan.collisions()
        for r in losers
    ]
    for withdrawals in plan.withdrawn():
        yield [_line(r, "withdrawn", "withdrawn", NO_MAJOR) for r, _ in withdrawals]
    for moves in plan.moved():
        yield [_line(r, "moved", rel, (t.code, t.name, t.category)) for r, t, rel, _ in moves]


def _guarded(batches: Iterator[list[tuple[Any, ...]]]) -> Iterator[list[list[Any]]]:
    for batch in batches:
        yield [[guard(cell) for cell in row] for row in batch]


def csv_stream(engine: Engine, new_key: str, old_key: str, *, bom: bool = True) -> Iterator[bytes]:
    """The plan as CSV, written as it is computed (``stream``: memory bounded by a chunk)."""
    with stream.opened(engine, new_key, old_key) as plan:
        yield from writing.csv_chunks(HEADER, _guarded(lines(plan)), bom=bom)


def xlsx_stream(engine: Engine, new_key: str, old_key: str) -> Iterator[bytes]:
    """The same table as XLSX (codes as text cells, formula-guarded like the CSV), written row
    by row to a temp file by xlsxwriter (constant memory), then streamed."""

    def fill(book: Any) -> None:
        sheet = writing.FastSheet(book, "adoption", TEXT_COLUMNS)
        sheet.append(HEADER)
        with stream.opened(engine, new_key, old_key) as plan:
            for batch in _guarded(lines(plan)):
                sheet.extend([xml_safe(v) if isinstance(v, str) else v for v in r] for r in batch)

    return writing.fast_xlsx_stream(fill)


def file_name(new_key: str, old_key: str, ext: str) -> tuple[str, str]:
    """(Chinese download name, ASCII fallback)."""
    return (
        f"专业目录换版_{old_key}_{new_key}.{ext}",
        f"adoption_{old_key}_{new_key}.{ext}",
    )
