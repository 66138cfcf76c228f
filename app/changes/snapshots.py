"""The public state of an entity as the change feed carries it, read after the write is flushed,
and queued with ``recorder.record``. Each function here returns a *change* for the write path
(``app.writes.record(..., changes=[...])`` or ``writes.changed(session, ...)``), which runs it
in the writing transaction; on its own it records nothing (docs/development.md, "Writes: one
call records a change").

- program: key = id; data = the ``programs.csv`` fields and ``id`` (``level`` null for 中职);
- college: key = code; data = ``GET /colleges/{code}`` (with ``former_names``);
- major: key = ``<edition>/<code>``; data = ``GET /catalogs/{edition}/majors`` item; an edition
  itself is entity ``major`` with key ``<edition>`` (no ``/``) and its ``GET /catalogs`` fields;
- publication: key = id; data = the published revision's summary (drafts never appear).

A college's rename and a major's rename or new category change what ``programs.csv`` shows for
their programs: ``cascade=True`` records an update of each of those programs as well.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.catalog.models import CatalogEdition, Category, Major
from app.changes.recorder import record, record_many
from app.clock import rfc3339
from app.colleges.models import College, CollegeNameHistory
from app.programs.models import Program
from app.programs.readmodel import FEED_FIELDS, feed_item, feed_query

CHUNK = 500  # ids per IN (...): well under SQLite's bound-parameter limit


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


PROGRAM_FIELDS = FEED_FIELDS  # the programs.csv fields and id (app.programs.readmodel)


def program_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """The programs (by id, in id order) as the feed carries them."""
    query = feed_query().where(col(Program.id).in_(ids)).order_by(col(Program.id))
    return [feed_item(row) for row in session.execute(query)]


def _programs(session: Session, ids: Iterable[int], op: str = "updated") -> None:
    """Records ``op`` for each program (by id); one that no longer exists is ``deleted``."""
    session.flush()
    for chunk in _chunks(ids):
        found = {row["id"]: row for row in program_rows(session, chunk)}
        for program_id in chunk:
            data = found.get(program_id)
            record(session, "program", op if data else "deleted", program_id, data)


def programs_written(
    session: Session,
    rows: Iterable[tuple[Any, ...]],
    op: str,
    *,
    colleges: dict[int, tuple[str, str]],
    majors: dict[int, tuple[str, str, str]],
) -> None:
    """Records ``op`` for programs a bulk write has just written, from the values it wrote
    rather than read back: rows of (id, college_id, major_id, level, intake, length_years,
    status, since_year); ``colleges``: id -> (code, name); ``majors``: id -> (code, name,
    category). The same data as ``programs`` reads (``program_rows``), in the order given.
    Touches no connection (it may run while a COPY is open on it), so the bulk import calls
    it directly rather than through ``app.writes`` (which flushes first)."""
    record_many(
        session,
        "program",
        op,
        (
            (
                row[0],
                {  # FEED_FIELDS, in order, as a literal: the fastest dict per row at 150,000
                    "id": row[0],  # (tests/core/test_read_model.py holds it to FEED_FIELDS)
                    "college_code": colleges[row[1]][0],
                    "college": colleges[row[1]][1],
                    "major_code": majors[row[2]][0],
                    "major_name": majors[row[2]][1],
                    "category": majors[row[2]][2],
                    "intake": row[4],
                    "level": row[3] or None,  # '' is stored for 中职 (no level)
                    "length_years": row[5],
                    "status": row[6],
                    "since_year": row[7],
                },
            )
            for row in rows
        ),
    )


def _programs_of(
    session: Session, *, college_ids: Iterable[int] = (), major_ids: Iterable[int] = ()
) -> None:
    """An update of every program of these colleges or majors (their names show in it)."""
    session.flush()
    ids: set[int] = set()
    for column, keys in ((Program.college_id, college_ids), (Program.major_id, major_ids)):
        for chunk in _chunks(keys):
            found = select(Program.id).where(column.in_(chunk))  # type: ignore[call-overload,attr-defined]
            ids.update(session.execute(found).scalars())
    _programs(session, ids, "updated")


def _colleges(
    session: Session, ids: Iterable[int], op: str = "updated", *, cascade: bool = False
) -> None:
    session.flush()
    ids = sorted(set(ids))
    for chunk in _chunks(ids):
        history: dict[int, list[dict[str, str]]] = {}
        query = (
            select(CollegeNameHistory)
            .where(CollegeNameHistory.college_id.in_(chunk))  # type: ignore[attr-defined]
            .order_by(CollegeNameHistory.until, CollegeNameHistory.id)  # type: ignore[arg-type]
        )
        for h in session.execute(query).scalars():
            history.setdefault(h.college_id, []).append(
                {"name": h.name, "type": h.type, "until": rfc3339(h.until)}
            )
        rows = session.execute(select(College).where(College.id.in_(chunk))).scalars()  # type: ignore[union-attr]
        for c in sorted(rows, key=lambda c: c.code):
            data = {
                "code": c.code,
                "name": c.name,
                "type": c.type,
                "ownership": c.ownership,
                "province": c.province,
                "city": c.city,
                "status": c.status,
                "former_names": history.get(c.id or 0, []),
                **_college_end(session, c),
            }
            record(session, "college", op, c.code, data)
    if cascade:
        _programs_of(session, college_ids=ids)


def _college_end(session: Session, college: College) -> dict[str, Any]:
    """A closed or merged college's end, as ``GET /colleges/{code}`` shows it (issue 24)."""
    into = session.get(College, college.merged_into_id) if college.merged_into_id else None
    return {
        "merged_into": into.code if into else None,
        "ended_on": college.ended_on.isoformat() if college.ended_on else None,
        "end_reason": college.end_reason,
    }


def _majors(
    session: Session, ids: Iterable[int], op: str = "updated", *, cascade: bool = False
) -> None:
    session.flush()
    ids = sorted(set(ids))
    for chunk in _chunks(ids):
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
        _programs_of(session, major_ids=ids)


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


def _publication(session: Session, publication: Any, op: str = "created") -> None:
    """A published revision (``app.publications.models.Publication``); drafts never appear."""
    from app.authorities.models import Authority

    session.flush()
    authority = session.get(Authority, publication.authority_id)
    data = {
        "id": publication.id,
        "series": publication.series,
        "revision": publication.revision,
        "corrects": publication.corrects_id,
        "correction_reason": publication.correction_reason,
        "authority": authority.code if authority else None,
        "system": publication.system,
        "year": publication.year,
        "title": publication.title,
        "document_number": publication.document_number,
        "published_on": publication.published_on.isoformat() if publication.published_on else None,
        "status": publication.status,
        "checksum": publication.checksum,
        "line_count": publication.line_count,
        "published_at": rfc3339(publication.published_at) if publication.published_at else None,
    }
    record(session, "publication", op, publication.id, data)


# --- the changes the write path runs (app.writes): each records when given the session -----

Change = Callable[[Session], None]


def programs(ids: Iterable[int], op: str = "updated") -> Change:
    """``op`` for each program (by id); one that no longer exists is ``deleted``."""
    ids = list(ids)
    return lambda session: _programs(session, ids, op)


def programs_of(*, college_ids: Iterable[int] = (), major_ids: Iterable[int] = ()) -> Change:
    """An update of every program of these colleges or majors (their names show in it)."""
    college_ids, major_ids = list(college_ids), list(major_ids)
    return lambda session: _programs_of(session, college_ids=college_ids, major_ids=major_ids)


def colleges(ids: Iterable[int], op: str = "updated", *, cascade: bool = False) -> Change:
    """The colleges' public records; ``cascade``: each of their programs too (a rename)."""
    ids = list(ids)
    return lambda session: _colleges(session, ids, op, cascade=cascade)


def majors(ids: Iterable[int], op: str = "updated", *, cascade: bool = False) -> Change:
    """The majors as their edition lists them; ``cascade``: their programs too (a new name or
    category)."""
    ids = list(ids)
    return lambda session: _majors(session, ids, op, cascade=cascade)


def edition(edition: CatalogEdition, op: str = "updated") -> Change:
    """A catalog edition (entity ``major``, key ``<edition>``)."""
    return lambda session: _edition(session, edition, op)


def publication(publication: Any, op: str = "created") -> Change:
    """A published revision (``app.publications.models.Publication``); drafts never appear."""
    return lambda session: _publication(session, publication, op)
