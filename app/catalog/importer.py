"""``registry import catalog`` / ``POST /catalogs/{key}/import``: a catalog file, all or nothing.

Upsert by code within the edition: a re-imported file updates names, categories and levels and
never duplicates; majors absent from the file are left as they are.
"""

from typing import Any, cast

from sqlalchemy import bindparam, insert, update
from sqlmodel import Session, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.catalog import snapshots
from app.catalog.codes import code_problem
from app.catalog.models import CatalogEdition, Category, Major
from app.catalog.schemas import EditionOptions
from app.catalog.service import bump_revision, get_edition
from app.changes.snapshots import showing
from app.db import table_of
from app.errors import Invalid
from app.i18n import Joined, t
from app.spreadsheets.reading import ImportResult, Progress, RowErrors, read_table, require
from app.text import normalize_name, pinyin_keys
from app.vocab import Level

REQUIRED = ("code", "name", "category")
# Optional columns; a column absent from the file leaves that field of existing majors alone.
OPTIONAL = ("levels", "category_code", "class_name", "added_year", "proposed_by")
LEVEL_SEPARATORS = ("|", "、", "，", ",", "/")


def _levels(value: str) -> tuple[str | None, list[str]]:
    """('中级|高级', []) or (None, [bad values]); '' means the catalog lists no levels."""
    text = value
    for sep in LEVEL_SEPARATORS[1:]:
        text = text.replace(sep, "|")
    parts = [p.strip() for p in text.split("|") if p.strip()]
    bad = [p for p in parts if p not in {level.value for level in Level}]
    return ("|".join(parts) or None), bad


def _check_row(
    errors: RowErrors, number: int, cells: dict[str, str], system: str, header: set[str]
) -> dict[str, Any] | None:
    if not require(errors, number, cells, *REQUIRED):
        return None
    row: dict[str, Any] = {
        "code": cells["code"],
        "name": cells["name"],
        "category": cells["category"],
    }
    problem = code_problem(cells["code"], system)
    if problem:
        errors.add(
            number,
            "code",
            "major.code_format",
            problem.message,
            value=cells["code"],
            suggestion=problem.suggestion,
        )
    for column, limit in (("name", 100), ("category", 40)):
        if len(cells[column]) > limit:
            too_long = t("entry.invalid_value.too_long", limit=limit)
            errors.add(number, column, "entry.invalid_value", too_long)
    if "levels" in header:
        row["levels"], bad = _levels(cells.get("levels", ""))
        if bad:
            errors.add(
                number,
                "levels",
                "entry.invalid_value",
                t("entry.invalid_value.levels", value=Joined(bad), allowed=Joined(Level)),
                value=cells["levels"],
            )
    if "added_year" in header:
        year = cells.get("added_year", "")
        if year and not (year.isdigit() and 1949 <= int(year) <= 2100):
            errors.add(
                number,
                "added_year",
                "entry.invalid_value",
                t("entry.invalid_value.year", value=year),
                value=year,
            )
        row["added_year"] = int(year) if year.isdigit() else None
    for column in ("category_code", "class_name", "proposed_by"):
        if column in header:
            row[column] = cells.get(column) or None
    return row


def check_rows(data: bytes, *, filename: str, system: str, max_rows: int) -> list[dict[str, Any]]:
    """The file's rows, checked; raises with every row/column error when any row is wrong."""
    table = read_table(data, filename=filename, required=REQUIRED, max_rows=max_rows)
    errors, header = RowErrors(), set(table.header)
    rows: list[dict[str, Any]] = []
    first_row_of: dict[str, int] = {}
    for number, cells in table.rows:
        row = _check_row(errors, number, cells, system, header)
        if row is None:
            continue
        if row["code"] in first_row_of:
            errors.add(
                number,
                "code",
                "entry.duplicate",
                t("entry.duplicate", value=row["code"], row=first_row_of[row["code"]]),
                value=row["code"],
            )
        first_row_of.setdefault(row["code"], number)
        rows.append(row)
    errors.raise_if_any(rows=len(table.rows))
    return rows


def _edition(session: Session, key: str, options: EditionOptions) -> CatalogEdition:
    """The edition ``key``, created when new; options must not contradict an existing one."""
    found = session.exec(select(CatalogEdition).where(CatalogEdition.key == key)).first()
    if found is None:
        base = get_edition(session, options.supplements) if options.supplements else None
        edition = CatalogEdition(
            key=key,
            title=options.title or key,
            system=(options.system or (base.system if base else "technician")),
            kind="supplement" if base else ("provincial" if options.province else "national"),
            province=options.province,
            year=options.year,
            partial=bool(options.partial),
            supplements_id=base.id if base else None,
            note=options.note or "",
        )
        session.add(edition)
        session.flush()
        writes.changed(session, snapshots.edition(edition, "created"))
        return edition
    before = (found.title, found.partial)
    for field in ("system", "province"):
        wanted = getattr(options, field)
        if wanted is not None and wanted != getattr(found, field):
            raise Invalid(
                error="edition_mismatch",
                key=key,
                field=field,
                found=getattr(found, field),
                wanted=wanted,
            )
    if options.title and options.title != found.title:
        found.title = options.title
    if options.partial is not None:
        # Loading the official file into the seed's extract makes it complete (docs/imports.md).
        found.partial = options.partial
    session.add(found)
    if (found.title, found.partial) != before:
        writes.changed(session, snapshots.edition(found, "updated"))
    return found


def _category_ids(
    session: Session, edition: CatalogEdition, rows: list[dict[str, Any]]
) -> dict[str, int]:
    """name -> id of the edition's categories, creating the ones the file introduces."""
    have = {
        c.name: c
        for c in session.exec(select(Category).where(Category.edition_id == edition.id)).all()
    }
    for row in rows:
        if row["category"] not in have:
            # Provincial 8xxx codes do not encode their category (domain.md), so no code there.
            code = (
                None
                if edition.kind == "provincial"
                else (row.get("category_code") or row["code"][:2])
            )
            assert edition.id is not None
            have[row["category"]] = Category(edition_id=edition.id, name=row["category"], code=code)
            session.add(have[row["category"]])
    session.flush()
    # flushed above: every category has its id
    return {name: cast(int, category.id) for name, category in have.items()}


def _values(row: dict[str, Any], category_id: int) -> dict[str, Any]:
    full, initials = pinyin_keys(row["name"])
    values = {
        "name": row["name"],
        "name_norm": normalize_name(row["name"]),
        "category_id": category_id,
        "pinyin": full,
        "initials": initials,
    }
    for column in ("levels", "class_name", "added_year", "proposed_by"):
        if column in row:
            values[column] = row[column]
    return values


def _shown_changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(k in old and old[k] != new[k] for k in ("name", "category_id"))


def _existing(session: Session, edition_id: int, fields: list[str]) -> dict[str, dict[str, Any]]:
    columns = [table_of(Major).c[f] for f in ("id", "code", *fields)]
    query = select(*columns).where(table_of(Major).c.edition_id == edition_id)
    return {r.code: dict(r._mapping) for r in session.execute(query)}


def _write(
    session: Session, edition: CatalogEdition, rows: list[dict[str, Any]], progress: Progress | None
) -> ImportResult:
    category_ids = _category_ids(session, edition, rows)
    result = ImportResult(rows=len(rows))
    inserts, updates = [], []
    fields = list(_values(rows[0], 0)) if rows else []
    existing = _existing(session, edition.id or 0, fields)
    existing_by_id = {old["id"]: old for old in existing.values()}
    for row in rows:
        values = _values(row, category_ids[row["category"]])
        old = existing.get(row["code"])
        if old is None:
            inserts.append({"edition_id": edition.id, "code": row["code"], **values})
        elif any(old[k] != v for k, v in values.items()):
            updates.append({"_id": old["id"], **values})
    table = table_of(Major)
    if inserts:
        # RETURNING with executemany (SQLAlchemy's insertmanyvalues): the new ids, for the feed
        created = session.execute(insert(table).returning(table.c.id), inserts).scalars().all()
        writes.changed(session, snapshots.majors(created, "created"))
    if updates:
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({k: bindparam(k) for k in updates[0] if k != "_id"})
        )
        session.execute(stmt, updates)
        # a new name or category shows in programs.csv: those majors' programs change too
        shown = {u["_id"] for u in updates if _shown_changed(existing_by_id[u["_id"]], u)}
        writes.changed(
            session,
            snapshots.majors([u["_id"] for u in updates], "updated"),
            showing("major", shown),
        )
    if progress:
        progress("writing", len(rows), len(rows))
    result.inserted, result.updated = len(inserts), len(updates)
    result.unchanged = len(rows) - result.inserted - result.updated
    return result


def import_catalog(
    session: Session,
    data: bytes,
    *,
    key: str,
    options: EditionOptions,
    actor: Principal,
    filename: str = "",
    max_rows: int = 200_000,
    record_noop: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then upsert the majors of edition ``key`` (created when new)."""
    found = session.exec(select(CatalogEdition).where(CatalogEdition.key == key)).first()
    system = options.system or (found.system if found else None) or "technician"
    if options.supplements and not found and not options.system:
        system = get_edition(session, options.supplements).system
    province = found.province if found else options.province
    ensure_manage_edition(session, actor, province=province, system=system)
    rows = check_rows(data, filename=filename, system=system, max_rows=max_rows)
    edition = _edition(session, key, options.model_copy(update={"system": system}))
    result = _write(session, edition, rows, progress)
    if result.changed:
        bump_revision(session, edition)
    if result.changed or record_noop:
        writes.record(
            session,
            actor,
            action="catalog.import",
            target_type="catalog_edition",
            target_id=key,
            after={"file": filename, **result.model_dump()},
        )
    return result
