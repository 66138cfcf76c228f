"""The plan as a spreadsheet a bureau opens in Excel (CSV and XLSX, contract.md "Exports").

Its first five columns are those of a decisions file: fill ``new_code`` on the 待定 lines and give
the file back with ``--decisions`` (or as ``decisions`` in the JSON body)."""

from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

from app.adoption.schemas import AdoptionPlan, ProgramRef
from app.spreadsheets.writing import Sheet, csv_text, guard, xlsx_stream

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


def _row(
    p: ProgramRef, plan: str, relation: str, new: tuple[str, str, str], cands: str = ""
) -> tuple[Any, ...]:
    code, name, category = new
    return (
        p.college_code,
        p.old_code,
        p.level or "",
        p.intake,
        code,
        plan,
        relation,
        p.college,
        p.old_edition,
        p.old_name,
        name,
        category,
        p.status,
        cands,
        p.program_id,
    )


def rows(plan: AdoptionPlan) -> Iterator[tuple[Any, ...]]:
    """Lines needing a decision first, then collisions, withdrawals and moves; by program."""
    for n in plan.needs_decision:
        cands = "|".join(f"{c.code} {c.name}" for c in n.candidates)
        yield _row(n, "needs_decision", n.relation, ("", "", ""), cands)
    for c in plan.collisions:
        for r in c.retire:
            ref = ProgramRef(
                program_id=r.program_id,
                college_code=c.college_code,
                college=c.college,
                old_edition=r.old_edition,
                old_code=r.old_code,
                old_name=r.old_name,
                level=c.level,
                intake=c.intake,
                status=r.status,
            )
            note = f"merged into {c.keep.program_id}"
            yield _row(ref, "collision", note, (c.new_code, c.new_name, ""))
    for w in plan.withdrawn:
        yield _row(w, "withdrawn", w.relation, ("", "", ""))
    for m in plan.moved:
        yield _row(m, "moved", m.relation, (m.new_code, m.new_name, m.category))


def plan_csv(plan: AdoptionPlan, *, bom: bool = True) -> bytes:
    return csv_text(HEADER, list(rows(plan)), bom=bom)


def plan_xlsx(plan: AdoptionPlan) -> Iterator[bytes]:
    """The same table as XLSX (codes as text cells, formula-guarded like the CSV)."""
    table = [[guard(cell) for cell in row] for row in rows(plan)]

    def fill(book: Workbook) -> None:
        sheet = Sheet(book.create_sheet("adoption"), TEXT_COLUMNS)
        sheet.append(HEADER)
        sheet.extend(table)

    return xlsx_stream(fill)


def file_name(plan: AdoptionPlan, ext: str) -> tuple[str, str]:
    """(Chinese download name, ASCII fallback)."""
    return (
        f"专业目录换版_{plan.from_edition}_{plan.edition}.{ext}",
        f"adoption_{plan.from_edition}_{plan.edition}.{ext}",
    )
