"""``registry import crosswalk`` / ``POST /catalogs/{key}/crosswalk/import``: the official
新旧专业对照表 (old code, old name, new code, new name, relation) into edition ``key``.

Checked like every import — all or nothing, each error naming its row and column: codes have the
shape of their system, every old code of the replaced edition appears at least once (an error on
row 1, the file as a whole, names a missing one), no new code that the new edition lacks, names
agree with the catalogs, and an old code has one line unless it is split (then two or more).
Re-importing is an upsert by (old edition, old code, new code); other lines are left alone.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.catalog.codes import code_problem
from app.catalog.models import CatalogEdition, Crosswalk, Major
from app.catalog.schemas import Relation
from app.catalog.service import get_edition
from app.errors import Invalid
from app.i18n import Joined, t
from app.spreadsheets.reading import ImportResult, Progress, RowErrors, Table, read_table, require
from app.text import normalize_name

REQUIRED = ("old_code", "new_code", "relation")
# The headers of the published 对照表 (and our own), to the column names used here.
ALIASES = {
    "old_code": ("原专业代码", "原代码", "旧专业代码"),
    "old_name": ("原专业名称", "旧专业名称"),
    "new_code": ("新专业代码", "现专业代码", "新代码"),
    "new_name": ("新专业名称", "现专业名称"),
    "relation": ("对应关系", "调整情况", "变化情况", "调整类型"),
    "old_edition": ("原目录",),
}
RELATIONS = {
    "保留": Relation.UNCHANGED,
    "不变": Relation.UNCHANGED,
    "更名": Relation.RENAMED,
    "名称调整": Relation.RENAMED,
    "合并": Relation.MERGED,
    "拆分": Relation.SPLIT,
    "调整": Relation.MOVED,
    "移入": Relation.MOVED,
    "归属调整": Relation.MOVED,
    "撤销": Relation.WITHDRAWN,
    "取消": Relation.WITHDRAWN,
    **{r.value: r for r in Relation},
}


@dataclass(frozen=True)
class Line:
    row: int
    old_edition: CatalogEdition
    old_code: str
    new_code: str | None
    relation: Relation


def _rename(table: Table) -> Table:
    names = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
    header = [names.get(h, h) for h in table.header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid(
            {"row": 1, "missing_columns": missing, "header": table.header}, error="bad_header"
        )
    rows = [(n, {names.get(k, k): v for k, v in cells.items()}) for n, cells in table.rows]
    return Table(header=header, rows=rows, encoding=table.encoding)


class _Checker:
    """The file's rows against the two catalogs (their majors loaded once)."""

    def __init__(self, session: Session, old: CatalogEdition, new: CatalogEdition):
        self.session, self.old, self.new = session, old, new
        self.errors = RowErrors()
        self.names: dict[int, dict[str, str]] = {}
        self.editions: dict[str, CatalogEdition | None] = {old.key: old}

    def majors(self, edition: CatalogEdition) -> dict[str, str]:
        assert edition.id is not None
        if edition.id not in self.names:
            query = select(Major.code, Major.name).where(Major.edition_id == edition.id)
            self.names[edition.id] = dict(self.session.exec(query).all())
        return self.names[edition.id]

    def edition(self, number: int, key: str) -> CatalogEdition | None:
        if key not in self.editions:
            found = self.session.exec(select(CatalogEdition).where(CatalogEdition.key == key))
            self.editions[key] = found.first()
        edition = self.editions[key]
        if edition is None or edition.id == self.new.id:
            self.errors.add(
                number,
                "old_edition",
                "entry.invalid_value",
                t("entry.invalid_value.old_edition", key=key),
                value=key,
            )
            return None
        return edition

    def code(self, number: int, column: str, code: str, edition: CatalogEdition, name: str) -> None:
        problem = code_problem(code, edition.system)
        if problem:
            self.errors.add(
                number,
                column,
                "major.code_format",
                problem.message,
                value=code,
                suggestion=problem.suggestion,
            )
            return
        known = self.majors(edition).get(code)
        if known is None and (edition.id == self.new.id or not edition.partial):
            self.errors.add(
                number,
                column,
                "major.unknown_code",
                t("major.unknown_code.edition", edition=edition.key, code=code),
                value=code,
            )
        elif known is not None and name and normalize_name(name) != normalize_name(known):
            name_column = column.replace("code", "name")
            self.errors.add(
                number,
                name_column,
                "major.name_mismatch",
                t("major.name_mismatch.edition", edition=edition.key, code=code, name=known),
                value=name,
                suggestion=known,
            )

    def row(self, number: int, cells: dict[str, str]) -> Line | None:
        if not require(self.errors, number, cells, "old_code", "relation"):
            return None
        relation = RELATIONS.get(cells["relation"].strip().lower())
        if relation is None:
            allowed = Joined(k for k in RELATIONS if not k.isascii())
            self.errors.add(
                number,
                "relation",
                "entry.invalid_value",
                t("entry.invalid_value.relation", allowed=allowed),
                value=cells["relation"],
            )
            return None
        edition = (
            self.edition(number, cells["old_edition"]) if cells.get("old_edition") else self.old
        )
        if edition is None:
            return None
        self.code(number, "old_code", cells["old_code"], edition, cells.get("old_name", ""))
        new_code = cells.get("new_code") or None
        if (relation == Relation.WITHDRAWN) != (new_code is None):
            self.errors.add(
                number,
                "new_code",
                "entry.missing_field" if new_code is None else "entry.invalid_value",
                t("entry.invalid_value.withdrawn_new_code")
                if new_code
                else t("entry.missing_field", field="new_code"),
                value=new_code,
            )
        elif new_code:
            self.code(number, "new_code", new_code, self.new, cells.get("new_name", ""))
        return Line(number, edition, cells["old_code"], new_code, relation)


def _check_lines(checker: _Checker, lines: list[Line]) -> None:
    """Duplicates, one line per old code unless split, and every old code covered."""
    errors = checker.errors
    seen: dict[tuple[str, str, str | None], int] = {}
    by_code: dict[tuple[str, str], list[Line]] = {}
    for line in lines:
        key = (line.old_edition.key, line.old_code, line.new_code)
        if key in seen:
            errors.add(
                line.row,
                "new_code",
                "entry.duplicate",
                t("entry.duplicate", value=line.old_code, row=seen[key]),
                value=line.old_code,
            )
            continue
        seen[key] = line.row
        by_code.setdefault(key[:2], []).append(line)
    for group in by_code.values():
        split = [g for g in group if g.relation == Relation.SPLIT]
        if (split and len(split) != len(group)) or len(group) != max(len(split), 1):
            for line in group[1:]:
                errors.add(
                    line.row,
                    "relation",
                    "crosswalk.inconsistent",
                    t("crosswalk.inconsistent.many", code=line.old_code),
                    value=line.relation.value,
                )
        elif len(split) == 1:
            errors.add(
                split[0].row,
                "relation",
                "crosswalk.inconsistent",
                t("crosswalk.inconsistent.split"),
                value="split",
            )
    covered = {code for edition, code in by_code if edition == checker.old.key}
    for code in sorted(set(checker.majors(checker.old)) - covered):
        errors.add(
            1,
            "old_code",
            "crosswalk.missing_code",
            t("crosswalk.missing_code", edition=checker.old.key, code=code),
            value=code,
        )


def _write(session: Session, new: CatalogEdition, lines: list[Line]) -> ImportResult:
    result = ImportResult(rows=len(lines))
    existing = {
        (c.from_edition_id, c.from_code, c.to_code): c
        for c in session.exec(select(Crosswalk).where(Crosswalk.to_edition_id == new.id)).all()
    }
    for line in lines:
        assert line.old_edition.id is not None
        assert new.id is not None
        found = existing.get((line.old_edition.id, line.old_code, line.new_code))
        if found is None:
            session.add(
                Crosswalk(
                    from_edition_id=line.old_edition.id,
                    from_code=line.old_code,
                    to_edition_id=new.id,
                    to_code=line.new_code,
                    relation=line.relation.value,
                )
            )
            result.inserted += 1
        elif found.relation != line.relation.value:
            found.relation = line.relation.value
            session.add(found)
            result.updated += 1
    session.flush()
    result.unchanged = result.rows - result.inserted - result.updated
    return result


def import_crosswalk(
    session: Session,
    data: bytes,
    *,
    key: str,
    from_edition: str,
    actor: Principal,
    filename: str = "",
    max_rows: int = 200_000,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row, then upsert the crosswalk lines from ``from_edition`` into ``key``."""
    new, old = get_edition(session, key), get_edition(session, from_edition)
    ensure_manage_edition(session, actor, province=new.province, system=new.system)
    if new.id == old.id:
        raise Invalid(error="same_edition")
    table = _rename(read_table(data, filename=filename, max_rows=max_rows))
    checker = _Checker(session, old, new)
    lines = [line for n, cells in table.rows if (line := checker.row(n, cells)) is not None]
    _check_lines(checker, lines)
    checker.errors.raise_if_any(rows=len(table.rows))
    result = _write(session, new, lines)
    if progress:
        progress("writing", len(lines), len(lines))
    if not result.changed:  # a file that changes nothing leaves no trace in the audit log
        return result
    writes.record(
        session,
        actor,
        action="catalog.crosswalk.import",
        target_type="catalog_edition",
        target_id=key,
        after={"file": filename, "from": from_edition, **result.model_dump()},
    )
    return result
