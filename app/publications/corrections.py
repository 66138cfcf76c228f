"""Corrections (勘误): a new draft revision of a published list, naming the one it corrects."""

from typing import Any

from sqlmodel import Session, select

from app import writes
from app.access import policy
from app.access.principal import Principal
from app.errors import Conflict
from app.publications import drafting
from app.publications.models import Publication, PublicationLine
from app.publications.schemas import CorrectionIn
from app.publications.service import (
    ANNEX_MODELS,
    annexes_of,
    get,
    latest_published,
    lines_of,
    next_revision,
    store,
)
from app.vocab import PublicationStatus


def _check_correctable(session: Session, original: Publication) -> None:
    """Only the latest published revision is corrected, and one correction at a time."""
    if original.status != PublicationStatus.PUBLISHED:
        raise Conflict(error="not_published")
    latest = latest_published(session, original.series)
    if latest is None or latest.id != original.id:
        raise Conflict(
            {
                "latest": latest.id if latest else None,
            },
            error="not_latest",
        )
    pending = session.exec(
        select(Publication.id).where(
            Publication.series == original.series, Publication.status == PublicationStatus.DRAFT
        )
    ).first()
    if pending is not None:
        raise Conflict({"draft": pending}, error="draft_exists")


def _revision_of(session: Session, original: Publication, data: CorrectionIn) -> Publication:
    """The new draft's head: the original's, with the correction's reason and new metadata."""
    return Publication(
        series=original.series,
        revision=next_revision(session, original.series),
        corrects_id=original.id,
        correction_reason=data.reason,
        authority_id=original.authority_id,
        system=original.system,
        year=original.year,
        title=data.title or original.title,
        document_number=original.document_number
        if data.document_number is None
        else data.document_number,
        published_on=data.published_on or original.published_on,
        round_id=original.round_id,
    )


def correct(
    session: Session, publication_id: int, data: CorrectionIn, *, actor: Principal
) -> Publication:
    """A correction (勘误): a new draft revision of the latest published one, naming it and why —
    drafted from the round again when the list came from one (so approvals made since appear),
    else a copy of its lines. Edit it, then publish it; the corrected revision stays as it was."""
    original = get(session, publication_id, lock=True)
    policy.ensure_admin_of(session, actor, original.authority_id, msg="not_your_authority.list")
    _check_correctable(session, original)
    revision = _revision_of(session, original, data)
    revision.created_by = actor.name
    session.add(revision)
    session.flush()
    lines = _from_round(session, original) if original.round_id else _copies(session, original)
    store(session, revision, lines, annexes=_annex_copies(session, original))
    writes.record(
        session,
        actor,
        action="publication.correct",
        target_type="publication",
        target_id=revision.id,
        reason=data.reason,
        authority_id=original.authority_id,
        after={"series": revision.series, "revision": revision.revision, "corrects": original.id},
    )
    return revision


def _from_round(session: Session, original: Publication) -> list[PublicationLine]:
    """A list drafted from a round is corrected from the round again: every approval made since
    (a late approval, a referral the province decided afterwards) appears, then the lines the
    corrected revision added by hand, numbered on."""
    assert original.round_id is not None
    lines = drafting.lines_from_round(session, original.round_id)
    last = lines[-1].seq if lines else 0
    by_hand = [x for x in _copies(session, original) if x.entry_id is None]
    previous: int | None = None
    for line in by_hand:
        last += line.seq != previous
        previous = line.seq
        line.seq, line.position = last, len(lines)
        lines.append(line)
    return lines


def _copies(session: Session, publication: Publication) -> list[PublicationLine]:
    assert publication.id is not None
    keep = PublicationLine.model_fields.keys() - {"id", "publication_id"}
    return [
        PublicationLine(publication_id=0, **{k: getattr(line, k) for k in keep})
        for line in lines_of(session, publication.id)
    ]


def _annex_copies(session: Session, publication: Publication) -> dict[str, list[Any]]:
    """Every annex of the list's layout, copied row for row."""
    out: dict[str, list[Any]] = {}
    for key, rows in annexes_of(session, publication).items():
        model = ANNEX_MODELS[key]
        keep = model.model_fields.keys() - {"id", "publication_id"}
        out[key] = [model(publication_id=0, **{k: getattr(r, k) for k in keep}) for r in rows]
    return out
