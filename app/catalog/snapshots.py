"""Majors and catalog editions as the change feed carries them (entity ``major``): a major's key
is ``<edition>/<code>``, its data the ``GET /catalogs/{edition}/majors`` item; an edition's key is
``<edition>`` (no ``/``), its data its ``GET /catalogs`` fields. Each function returns a *change*
for the write path (``app.writes``); ``cascade=True`` (a new name or category) records an update
of each of the major's programs as well (``app.changes.snapshots``, ``showing``).
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import CatalogEdition, Category, Major
from app.changes.recorder import record
from app.changes.snapshots import Change, chunks, record_showing


def _majors(
    session: Session, ids: Iterable[int], op: str = "updated", *, cascade: bool = False
) -> None:
    session.flush()
    ids = sorted(set(ids))
    for chunk in chunks(ids):
        query = (
            select(Major, Category, CatalogEdition.key)  # type: ignore[call-overload]
            .join(Category, Category.id == Major.category_id)
            .join(CatalogEdition, CatalogEdition.id == Major.edition_id)
            .where(Major.id.in_(chunk))  # type: ignore[union-attr]
            .order_by(Major.id)
        )
        for major, category, edition in session.execute(query):
            data = {
                "edition": edition,
                "code": major.code,
                "name": major.name,
                "category": category.name,
                "category_code": category.code,
                "class_name": major.class_name,
                "levels": major.levels.split("|") if major.levels else None,
                "status": major.status,
                "added_year": major.added_year,
            }
            record(session, "major", op, f"{edition}/{major.code}", data)
    if cascade:
        record_showing(session, "major", ids)


def _edition(session: Session, edition: CatalogEdition, op: str = "updated") -> None:
    session.flush()
    base = session.get(CatalogEdition, edition.supplements_id) if edition.supplements_id else None
    data = {
        "key": edition.key,
        "title": edition.title,
        "system": edition.system,
        "kind": edition.kind,
        "province": edition.province,
        "year": edition.year,
        "supplements": base.key if base else None,
        "status": edition.status,
        "partial": edition.partial,
        "note": edition.note,
    }
    for name in ("superseded_on", "superseded_by"):  # catalog adoption (app/adoption)
        if hasattr(edition, name):
            value = getattr(edition, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    record(session, "major", op, edition.key, data)


def majors(ids: Iterable[int], op: str = "updated", *, cascade: bool = False) -> Change:
    """The majors as their edition lists them; ``cascade``: their programs too (a new name or
    category)."""
    ids = list(ids)
    return lambda session: _majors(session, ids, op, cascade=cascade)


def edition(edition: CatalogEdition, op: str = "updated") -> Change:
    """A catalog edition (entity ``major``, key ``<edition>``)."""
    return lambda session: _edition(session, edition, op)
