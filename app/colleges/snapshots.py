"""A college as the change feed carries it: key = code; data = ``GET /colleges/{code}`` (with
``former_names`` and its end). ``colleges`` returns a *change* for the write path
(``app.writes``); ``cascade=True`` (a rename) records an update of each of its programs as well,
since ``programs.csv`` shows the college's name (``app.changes.snapshots``, ``showing``).
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.recorder import record
from app.changes.snapshots import Change, chunks, record_showing
from app.clock import rfc3339
from app.colleges.models import College, CollegeNameHistory


def _colleges(
    session: Session, ids: Iterable[int], op: str = "updated", *, cascade: bool = False
) -> None:
    session.flush()
    ids = sorted(set(ids))
    for chunk in chunks(ids):
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
        record_showing(session, "college", ids)


def _college_end(session: Session, college: College) -> dict[str, Any]:
    """A closed or merged college's end, as ``GET /colleges/{code}`` shows it (issue 24)."""
    into = session.get(College, college.merged_into_id) if college.merged_into_id else None
    return {
        "merged_into": into.code if into else None,
        "ended_on": college.ended_on.isoformat() if college.ended_on else None,
        "end_reason": college.end_reason,
    }


def colleges(ids: Iterable[int], op: str = "updated", *, cascade: bool = False) -> Change:
    """The colleges' public records; ``cascade``: each of their programs too (a rename)."""
    ids = list(ids)
    return lambda session: _colleges(session, ids, op, cascade=cascade)
