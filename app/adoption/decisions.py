"""Decisions on split (or unmapped) programs — from a file (``--decisions FILE``) or the JSON
body — checked like every import: each error names the row and the column, nothing is applied
while one is wrong.

The plan's CSV (``adoption.csv``) is itself a decisions file: its first columns are
``college_code,old_code,level,intake,new_code``; a row with a blank ``new_code`` decides nothing,
and a row that repeats what the crosswalk already does is accepted.
"""

from collections.abc import Iterable

from app.adoption.plan import DecisionKey, Inputs, Row, key_index
from app.catalog.codes import code_problem
from app.i18n import Joined, t
from app.spreadsheets.reading import RowErrors, read_table, require

COLUMNS = ("college_code", "old_code", "level", "intake", "new_code")
REQUIRED = ("college_code", "old_code", "intake")


def from_file(data: bytes, *, filename: str, max_rows: int) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, cells) of a decisions file (CSV in UTF-8/BOM/GBK, or XLSX)."""
    table = read_table(data, filename=filename, required=COLUMNS, max_rows=max_rows)
    return table.rows


def from_json(decisions: Iterable[object]) -> list[tuple[int, dict[str, str]]]:
    """Decisions of the JSON body, numbered from 1 as ``row`` of the errors."""
    out = []
    for number, item in enumerate(decisions, start=1):
        cells = item.model_dump() if hasattr(item, "model_dump") else dict(item)  # type: ignore
        out.append((number, {k: (cells.get(k) or "").strip() for k in COLUMNS}))
    return out


def check(rows: list[tuple[int, dict[str, str]]], inputs: Inputs) -> dict[DecisionKey, str]:
    """The decisions as (college, old code, level, intake) -> new code; raises 422
    ``import_rejected`` with every row/column error."""
    errors = RowErrors()
    index = key_index(inputs.rows)
    first_row: dict[DecisionKey, int] = {}
    out: dict[DecisionKey, str] = {}
    for number, cells in rows:
        if not require(errors, number, cells, *REQUIRED):
            continue
        key = (cells["college_code"], cells["old_code"], cells.get("level", ""), cells["intake"])
        new_code = cells.get("new_code", "")
        if not new_code:
            continue  # undecided: the plan still lists it under needs_decision
        if key in first_row:
            errors.add(
                number,
                "old_code",
                "entry.duplicate",
                t("entry.duplicate.decision", row=first_row[key]),
                value=cells["old_code"],
            )
            continue
        first_row[key] = number
        programs = index.get(key)
        if not programs:
            # Once adopted, the programs a decision named have moved: giving the same decisions
            # again is applying twice, which changes nothing.
            if inputs.old.superseded_by != inputs.new.key:
                _unknown(errors, number, cells, inputs)
            continue
        if _check_code(errors, number, new_code, programs[0], inputs):
            out[key] = new_code
    errors.raise_if_any(rows=len(rows))
    return out


def _unknown(errors: RowErrors, number: int, cells: dict[str, str], inputs: Inputs) -> None:
    """Names the first column that matches no carried program of the old edition."""
    rows = inputs.rows
    for column in ("college_code", "old_code", "level", "intake"):
        value = cells.get(column, "")
        narrowed = [r for r in rows if _cell(r, column) == value]
        if not narrowed:
            errors.add(
                number,
                column,
                "adoption.unknown_program",
                t("adoption.unknown_program", edition=inputs.old.key, column=column),
                value=value,
            )
            return
        rows = narrowed


def _cell(row: Row, column: str) -> str:
    return {
        "college_code": row.college_code,
        "old_code": row.code,
        "level": row.level,
        "intake": row.intake,
    }[column]


def _check_code(errors: RowErrors, number: int, new_code: str, row: Row, inputs: Inputs) -> bool:
    problem = code_problem(new_code, inputs.new.system)
    if problem:
        errors.add(
            number,
            "new_code",
            "major.code_format",
            problem.message,
            value=new_code,
            suggestion=problem.suggestion,
        )
        return False
    if new_code not in inputs.targets:
        errors.add(
            number,
            "new_code",
            "major.unknown_code",
            t("major.unknown_code.edition", edition=inputs.new.key, code=new_code),
            value=new_code,
        )
        return False
    lines = inputs.lines.get((row.major_edition_id, row.code), [])
    codes = [code for _, code in lines if code]
    if not lines:
        return True  # no crosswalk line: the bureau may pick any major of the new edition
    if [r for r, _ in lines] == ["withdrawn"]:
        errors.add(
            number,
            "new_code",
            "adoption.no_decision_needed",
            t("adoption.no_decision_needed.withdrawn", code=row.code),
            value=new_code,
        )
        return False
    if len(lines) == 1 and lines[0][0] != "split":
        if new_code == codes[0]:
            return False  # what the crosswalk does anyway
        errors.add(
            number,
            "new_code",
            "adoption.no_decision_needed",
            t("adoption.no_decision_needed.automatic", code=row.code, successor=codes[0]),
            value=new_code,
            suggestion=codes[0],
        )
        return False
    if new_code not in codes:
        errors.add(
            number,
            "new_code",
            "adoption.not_a_candidate",
            t("adoption.not_a_candidate", code=row.code, codes=Joined(codes), new_code=new_code),
            value=new_code,
            suggestion="|".join(codes),
        )
        return False
    return True
