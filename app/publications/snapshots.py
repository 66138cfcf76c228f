"""A published revision as the change feed carries it: key = id; data = the revision's summary
(drafts never appear). ``publication`` returns a *change* for the write path (``app.writes``).
"""

from typing import Any

from sqlalchemy.orm import Session

from app.authorities.models import Authority
from app.changes.recorder import record
from app.changes.snapshots import Change
from app.clock import rfc3339


def _publication(session: Session, publication: Any, op: str = "created") -> None:
    """A published revision (``app.publications.models.Publication``); drafts never appear."""
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


def publication(publication: Any, op: str = "created") -> Change:
    """A published revision (``app.publications.models.Publication``); drafts never appear."""
    return lambda session: _publication(session, publication, op)
