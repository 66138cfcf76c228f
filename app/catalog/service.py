"""Catalog editions and majors: reads, lookups and single-row writes."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from app import writes
from app.access.policy import ensure_manage_edition
from app.access.principal import Principal
from app.catalog import snapshots
from app.catalog.codes import code_problem
from app.catalog.models import CatalogEdition, Category, Major
from app.catalog.schemas import EditionCreate, EditionPublic, MajorCreate, MajorPublic, MajorUpdate
from app.db import table_of
from app.errors import Conflict, Invalid, NotFound
from app.text import normalize_name, pinyin_keys
from app.vocab import EditionStatus, MajorStatus


def get_edition(session: Session, key: str) -> CatalogEdition:
    edition = session.exec(select(CatalogEdition).where(CatalogEdition.key == key)).first()
    if edition is None:
        raise NotFound(error="edition_not_found", key=key)
    return edition


def bump_revision(session: Session, edition: CatalogEdition) -> None:
    """Marks the edition's majors changed, so every process's search index rebuilds."""
    table = table_of(CatalogEdition)
    session.execute(
        update(table).where(table.c.id == edition.id).values(revision=table.c.revision + 1)
    )


def list_editions(session: Session) -> list[EditionPublic]:
    counts = dict(
        session.exec(select(Major.edition_id, func.count()).group_by(col(Major.edition_id))).all()
    )
    editions = session.exec(select(CatalogEdition).order_by(col(CatalogEdition.key))).all()
    keys = {e.id: e.key for e in editions}
    out = []
    for e in editions:
        public = EditionPublic.model_validate(e)
        public.majors = counts.get(e.id, 0) if e.id is not None else 0
        public.supplements = keys.get(e.supplements_id) if e.supplements_id else None
        out.append(public)
    return out


def create_edition(session: Session, data: EditionCreate, *, actor: Principal) -> CatalogEdition:
    ensure_manage_edition(session, actor, province=data.province, system=data.system.value)
    if session.exec(select(CatalogEdition).where(CatalogEdition.key == data.key)).first():
        raise Conflict(error="edition_exists", key=data.key)
    base = get_edition(session, data.supplements) if data.supplements else None
    kind = "supplement" if base else ("provincial" if data.province else "national")
    edition = CatalogEdition(
        key=data.key,
        title=data.title,
        system=data.system.value,
        kind=kind,
        province=data.province,
        year=data.year,
        supplements_id=base.id if base else None,
        partial=data.partial,
        note=data.note,
    )
    session.add(edition)
    session.flush()
    writes.record(
        session,
        actor,
        action="catalog.edition.create",
        target_type="catalog_edition",
        target_id=edition.key,
        after=data.model_dump(mode="json"),
        changes=[snapshots.edition(edition, "created")],
    )
    return edition


def category_id(
    session: Session, edition: CatalogEdition, name: str, code: str | None = None
) -> int:
    """The id of the edition's category of that name, created on first use."""
    found = session.exec(
        select(Category).where(Category.edition_id == edition.id, Category.name == name)
    ).first()
    if found is None:
        assert edition.id is not None
        found = Category(edition_id=edition.id, name=name, code=code)
        session.add(found)
        session.flush()
    assert found.id is not None
    return found.id


def new_major(edition_id: int, category_id: int, data: MajorCreate, **extra: Any) -> Major:
    full, initials = pinyin_keys(data.name)
    return Major(
        edition_id=edition_id,
        code=data.code,
        name=data.name,
        name_norm=normalize_name(data.name),
        category_id=category_id,
        class_name=data.class_name,
        levels="|".join(level.value for level in data.levels) if data.levels else None,
        pinyin=full,
        initials=initials,
        added_year=data.added_year,
        **extra,
    )


def create_major(
    session: Session, edition: CatalogEdition, data: MajorCreate, *, actor: Principal
) -> Major:
    ensure_manage_edition(session, actor, province=edition.province, system=edition.system)
    problem = code_problem(data.code, edition.system)
    if problem:
        raise Invalid(
            {"field": "code", "message": problem.message, "suggestion": problem.suggestion},
            error="code_format",
        )
    exists = select(Major).where(Major.edition_id == edition.id, Major.code == data.code)
    if session.exec(exists).first():
        raise Conflict(error="major_exists", edition=edition.key, code=data.code)
    assert edition.id is not None
    major = new_major(edition.id, category_id(session, edition, data.category), data)
    session.add(major)
    session.flush()
    bump_revision(session, edition)
    assert major.id is not None
    writes.record(
        session,
        actor,
        action="catalog.major.create",
        target_type="major",
        target_id=f"{edition.key}/{major.code}",
        after=data.model_dump(mode="json"),
        changes=[snapshots.majors([major.id], "created")],
    )
    return major


def get_major(session: Session, edition: CatalogEdition, code: str) -> Major:
    major = session.exec(
        select(Major).where(Major.edition_id == edition.id, Major.code == code)
    ).first()
    if major is None:
        raise NotFound(error="major_not_found", edition=edition.key, code=code)
    return major


def update_major(
    session: Session, edition: CatalogEdition, major: Major, data: MajorUpdate, *, actor: Principal
) -> Major:
    ensure_manage_edition(session, actor, province=edition.province, system=edition.system)
    updates = data.model_dump(exclude_unset=True, mode="json")
    before = {k: getattr(major, k, None) for k in updates if k != "category"}
    if "name" in updates:
        major.name = updates["name"]
        major.name_norm = normalize_name(major.name)
        major.pinyin, major.initials = pinyin_keys(major.name)
    if "category" in updates:
        major.category_id = category_id(session, edition, updates["category"])
    if "levels" in updates:
        major.levels = "|".join(updates["levels"]) if updates["levels"] else None
    if "status" in updates:
        major.status = updates["status"]
    session.add(major)
    session.flush()
    bump_revision(session, edition)
    assert major.id is not None
    # programs.csv shows the major's name and category: their programs change with them
    writes.record(
        session,
        actor,
        action="catalog.major.update",
        target_type="major",
        target_id=f"{edition.key}/{major.code}",
        before=before,
        after=updates,
        changes=[snapshots.majors([major.id], cascade="name" in updates or "category" in updates)],
    )
    return major


def list_majors(
    session: Session, edition: CatalogEdition, *, after: str | None, limit: int
) -> Sequence[tuple[Major, Category]]:
    query = (
        select(Major, Category)
        .join(Category, col(Category.id) == Major.category_id)
        .where(Major.edition_id == edition.id)
        .order_by(Major.code)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(Major.code > after)
    return session.exec(query).all()


def major_public(major: Major, category: Category, edition_key: str) -> MajorPublic:
    return MajorPublic(
        edition=edition_key,
        code=major.code,
        name=major.name,
        category=category.name,
        category_code=category.code,
        class_name=major.class_name,
        levels=major.levels.split("|") if major.levels else None,
        status=major.status,
        added_year=major.added_year,
    )


NEAR_NAME_SCORE = 75  # rapidfuzz ratio; as the filings' name hints (filings/rules.py)


def match_name(
    session: Session, name: str, *, system: str, province: str | None = None
) -> tuple[Major | None, Major | None]:
    """(the major of this exact name, else the nearest by similarity) among active majors of the
    editions in force of ``system`` (national, or of ``province``). The near one is only ever a
    suggestion: similar names are different majors (8191 ≠ 8197)."""
    from rapidfuzz import fuzz, process

    query = (
        select(Major)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(
            CatalogEdition.system == system,
            CatalogEdition.status == EditionStatus.IN_FORCE,
            Major.status == MajorStatus.ACTIVE,
            or_(col(CatalogEdition.province).is_(None), col(CatalogEdition.province) == province),
        )
        .order_by(col(Major.code))
    )
    majors: dict[str, Major] = {}
    for major in session.exec(query).all():
        majors.setdefault(major.name_norm, major)
    norm = normalize_name(name)
    if norm in majors:
        return majors[norm], None
    best = process.extractOne(norm, majors.keys(), scorer=fuzz.ratio, score_cutoff=NEAR_NAME_SCORE)
    return None, (majors[best[0]] if best else None)
