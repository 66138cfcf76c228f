"""``registry import colleges`` / ``POST /colleges/import``: upsert by code, all or nothing.

A row whose code exists updates that college; a new name or type keeps the former one in the
college's history, as a rename through the API does.
"""

import re
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from app import writes
from app.access.policy import ensure_governs_all
from app.access.principal import Principal
from app.changes.snapshots import showing
from app.clock import utcnow
from app.colleges import snapshots
from app.colleges.models import College, CollegeNameHistory
from app.colleges.service import governing_authority
from app.db import table_of
from app.i18n import Joined, t
from app.spreadsheets.reading import ImportResult, Progress, RowErrors, read_table, require
from app.vocab import CollegeStatus, CollegeType, type_from_name

COLUMNS = ("code", "name", "type", "ownership", "province", "city")
REQUIRED = ("code", "name", "type", "ownership", "province")
FIELDS = ("name", "type", "ownership", "province", "city")
CODE = re.compile(r"^[0-9A-Za-z_-]{1,20}$")
TYPES = {t.value for t in CollegeType}


def _check_row(errors: RowErrors, number: int, cells: dict[str, str]) -> dict[str, Any] | None:
    if not require(errors, number, cells, *REQUIRED):
        return None
    if not CODE.match(cells["code"]):
        errors.add(
            number,
            "code",
            "entry.invalid_value",
            t("entry.invalid_value.college_code"),
            value=cells["code"],
        )
    if cells["type"] not in TYPES:
        errors.add(
            number,
            "type",
            "entry.invalid_value",
            t("entry.invalid_value.use", allowed=Joined(TYPES)),
            value=cells["type"],
            suggestion=type_from_name(cells["name"]).value,
        )
    if cells["ownership"] not in ("公办", "民办"):
        errors.add(
            number,
            "ownership",
            "entry.invalid_value",
            t("entry.invalid_value.use", allowed=t("hint.ownership")),
            value=cells["ownership"],
        )
    for column, limit in (("name", 100), ("province", 20), ("city", 20)):
        if len(cells.get(column, "")) > limit:
            too_long = t("entry.invalid_value.too_long", limit=limit)
            errors.add(number, column, "entry.invalid_value", too_long)
    return {c: cells.get(c) or None for c in COLUMNS}


def _check_unique(
    errors: RowErrors, parsed: list[tuple[int, dict[str, Any]]], owner_of_name: dict[str, str]
) -> None:
    """No code or name twice in the file; no name that another college (not in the file) has."""
    seen: dict[tuple[str, str], int] = {}
    codes = {row["code"] for _, row in parsed}
    for number, row in parsed:
        for column in ("code", "name"):
            first = seen.setdefault((column, row[column]), number)
            if first != number:
                errors.add(
                    number,
                    column,
                    "entry.duplicate",
                    t("entry.duplicate", value=row[column], row=first),
                    value=row[column],
                )
        owner = owner_of_name.get(row["name"])
        if owner and owner != row["code"] and owner not in codes:
            errors.add(
                number,
                "name",
                "college.name_taken",
                t("college.name_taken", name=row["name"], owner=owner),
                value=row["name"],
            )


def check_rows(
    session: Session, data: bytes, *, filename: str, max_rows: int
) -> list[dict[str, Any]]:
    table = read_table(data, filename=filename, required=COLUMNS, max_rows=max_rows)
    errors = RowErrors()
    parsed = [(n, r) for n, cells in table.rows if (r := _check_row(errors, n, cells)) is not None]
    owners = dict(session.execute(select(table_of(College).c.name, table_of(College).c.code)).all())
    _check_unique(errors, parsed, owners)
    errors.raise_if_any(rows=len(table.rows))
    return [row for _, row in parsed]


def _authority(
    session: Session, cache: dict[tuple[str, str | None, str], int | None], row: dict[str, Any]
) -> int | None:
    key = (row["province"], row["city"], row["type"])
    if key not in cache:
        cache[key] = governing_authority(
            session, province=row["province"], city=row["city"], college_type=row["type"]
        )
    return cache[key]


def _ensure_scope(session: Session, actor: Principal, rows: list[dict[str, Any]]) -> None:
    """An authority admin imports only colleges it governs, before and after the import."""
    if actor.is_superuser:
        return
    cache: dict[tuple[str, str | None, str], int | None] = {}
    current = dict(
        session.execute(select(table_of(College).c.code, table_of(College).c.authority_id)).all()
    )
    after = {_authority(session, cache, row) for row in rows}
    before = {current[row["code"]] for row in rows if row["code"] in current}
    ensure_governs_all(session, actor, after | before)


def _write(session: Session, rows: list[dict[str, Any]]) -> ImportResult:
    table = table_of(College)
    existing = {r.code: r for r in session.execute(select(table))}
    cache: dict[tuple[str, str | None, str], int | None] = {}
    inserts, updates, history, renamed = [], [], [], []
    for row in rows:
        values = {**row, "authority_id": _authority(session, cache, row)}
        old = existing.get(row["code"])
        if old is None:
            inserts.append({**values, "status": CollegeStatus.ACTIVE})
        elif any(getattr(old, k) != v for k, v in values.items()):
            updates.append({"_id": old.id, **{k: v for k, v in values.items() if k != "code"}})
            if old.name != row["name"]:
                renamed.append(old.id)
            if old.name != row["name"] or old.type != row["type"]:
                history.append(
                    CollegeNameHistory(
                        college_id=old.id, name=old.name, type=old.type, until=utcnow()
                    )
                )
    created: list[int] = []
    if inserts:
        created = list(session.execute(insert(table).returning(table.c.id), inserts).scalars())
    if updates:
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({k: bindparam(k) for k in updates[0] if k != "_id"})
        )
        session.execute(stmt, updates)
    session.add_all(history)
    session.flush()
    writes.changed(
        session,
        snapshots.colleges(created, "created"),
        snapshots.colleges([u["_id"] for u in updates], "updated"),
        showing("college", renamed),  # programs.csv shows the college's name
    )
    return ImportResult(
        rows=len(rows),
        inserted=len(inserts),
        updated=len(updates),
        unchanged=len(rows) - len(inserts) - len(updates),
    )


def import_colleges(
    session: Session,
    data: bytes,
    *,
    actor: Principal,
    filename: str = "",
    max_rows: int = 200_000,
    record_noop: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then insert new colleges and update known ones, in one transaction."""
    rows = check_rows(session, data, filename=filename, max_rows=max_rows)
    _ensure_scope(session, actor, rows)
    result = _write(session, rows)
    if progress:
        progress("writing", len(rows), len(rows))
    if result.changed or record_noop:
        writes.record(
            session,
            actor,
            action="college.import",
            target_type="college",
            target_id=filename or "import",
            after={"file": filename, **result.model_dump()},
        )
    return result
