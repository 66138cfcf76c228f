"""``registry import directions`` / ``POST /directions/import``: a bureau's 专业方向名称规范备案
(附件3 as the notice prints it) into the registry — upsert by school and name, all or nothing.

Columns, English or as printed: ``school`` (学校名称; a former name resolves) or ``college_code``,
``original_direction_name`` (原专业方向名称), ``normalised_major_name`` (规范专业名称), ``note``
(说明), and ``year`` (or the import's year)."""

from sqlmodel import Session

from app import writes
from app.access.policy import ensure_governs_all
from app.access.principal import Principal
from app.colleges.models import College
from app.directions.models import MajorDirection
from app.directions.service import Problem, _existing, find_college, plan
from app.i18n import t
from app.spreadsheets.reading import ImportResult, RowErrors, read_table

ALIASES = {
    "学校名称": "school",
    "学校": "school",
    "学校代码": "college_code",
    "原专业方向名称": "original_direction_name",
    "规范专业名称": "normalised_major_name",
    "说明": "note",
    "年份": "year",
}
# The file's column of a field the service names.
COLUMN_OF = {"name": "original_direction_name", "normalised_name": "normalised_major_name"}
UPDATED = ("status", "normalised_name", "normalised_major_id", "reason", "year")


def _cells(raw: dict[str, str]) -> dict[str, str]:
    return {ALIASES.get(k, k): v for k, v in raw.items()}


def _year(cells: dict[str, str], default: int | None) -> int | None:
    text = cells.get("year", "")
    return int(text) if text.isdigit() else default


def _row(
    session: Session, errors: RowErrors, number: int, cells: dict[str, str], year: int | None
) -> MajorDirection | None:
    name = cells.get("original_direction_name", "")
    for column, missing in (
        ("original_direction_name", not name),
        ("year", not _year(cells, year)),
    ):
        if missing:
            errors.add(
                number, column, "entry.missing_field", t("entry.missing_field", field=column)
            )
            return None
    try:
        college = find_college(
            session, code=cells.get("college_code") or None, name=cells.get("school")
        )
        return plan(
            session,
            college,
            name=name,
            normalised_name=cells.get("normalised_major_name"),
            reason=cells.get("note", ""),
            year=_year(cells, year) or 0,
        )
    except Problem as problem:
        where = COLUMN_OF.get(problem.field, problem.field)
        errors.add(
            number,
            where,
            problem.code,
            problem.message,
            value=cells.get(where, ""),
            suggestion=problem.suggestion,
        )
        return None


def _check_scope(
    session: Session, actor: Principal, rows: list[tuple[int, MajorDirection]]
) -> None:
    """An authority admin imports only directions of schools it governs (403, as colleges)."""
    authorities = {
        college.authority_id
        for college in (session.get(College, row.college_id) for _, row in rows)
        if college is not None
    }
    ensure_governs_all(session, actor, authorities)


def import_directions(
    session: Session,
    data: bytes,
    *,
    actor: Principal,
    filename: str = "",
    year: int | None = None,
    max_rows: int = 200_000,
    record_noop: bool = True,
) -> ImportResult:
    """Check every row, then insert new directions and update recorded ones, in one
    transaction; any error rejects the file and writes nothing."""
    table = read_table(data, filename=filename, max_rows=max_rows)
    errors = RowErrors()
    planned: list[tuple[int, MajorDirection]] = []
    seen: dict[tuple[int, str], int] = {}
    for number, raw in table.rows:
        row = _row(session, errors, number, _cells(raw), year)
        if row is None:
            continue
        same = (row.college_id, row.name_norm)
        if same in seen:
            message = t("entry.duplicate", value=row.name, row=seen[same])
            errors.add(number, "original_direction_name", "entry.duplicate", message)
            continue
        seen[same] = number
        planned.append((number, row))
    errors.raise_if_any(rows=len(table.rows))
    _check_scope(session, actor, planned)
    result = ImportResult(rows=len(table.rows))
    for _, row in planned:
        known = _existing(session, row.college_id, row.name_norm)
        if known is None:
            session.add(row)
            result.inserted += 1
        elif any(getattr(known, k) != getattr(row, k) for k in UPDATED):
            for key in UPDATED:
                setattr(known, key, getattr(row, key))
            session.add(known)
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    if result.changed or record_noop:
        writes.record(
            session,
            actor,
            action="direction.import",
            target_type="direction",
            target_id=filename or "import",
            after={"file": filename, **result.model_dump()},
        )
    return result
