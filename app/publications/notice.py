"""公示 (public notice) before publication: the period and contact, objections (异议) and their
handling. The 中职 notice of 广州市教育局 is published "经公示无异议" (domain.md); whether an
authority announces first, and for how long, is its setting (``Authority.notice_required``,
``notice_days``).
"""

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app import writes
from app.access import policy
from app.access.principal import Principal
from app.clock import utcnow
from app.errors import Conflict, Invalid, NotFound
from app.filings.models import Filing, FilingEntry
from app.filings.review import set_decision
from app.filings.service import record_event
from app.i18n import t
from app.programs import lifecycle
from app.programs.models import Program
from app.publications import closures
from app.publications.models import Objection, Publication, PublicationLine
from app.publications.schemas import AnnounceIn, ObjectionIn, ObjectionUpdate
from app.publications.service import _editable, get, lines_of
from app.vocab import Decision, ObjectionStatus, PublicationStatus


def announce(
    session: Session, publication_id: int, data: AnnounceIn, *, actor: Principal
) -> Publication:
    """Announce a draft (or replace the period of an announced one): it becomes public as
    公示中. Dates may lie in the past (a notice recorded afterwards)."""
    publication = _editable(session, publication_id, actor)
    if data.until < data.from_:
        raise Invalid({"from": data.from_.isoformat()}, error="bad_period")
    # A list that only suspends or withdraws (附件1 empty, closures annex not) is announced
    # like any other: what it closes is what the public may object to (issue 24).
    if not lines_of(session, publication_id) and not closures.rows_of(session, publication_id):
        raise Conflict(error="empty_publication")
    before = {
        "status": publication.status,
        "from": publication.announced_from.isoformat() if publication.announced_from else None,
        "until": publication.announced_until.isoformat() if publication.announced_until else None,
    }
    publication.status = PublicationStatus.ANNOUNCED
    publication.announced_from, publication.announced_until = data.from_, data.until
    publication.announcement_contact = data.contact
    session.add(publication)
    session.flush()
    writes.record(
        session,
        actor,
        action="publication.announce",
        target_type="publication",
        target_id=publication.id,
        before=before,
        after={"from": data.from_.isoformat(), "until": data.until.isoformat()},
        authority_id=publication.authority_id,
    )
    return publication


def objections_of(session: Session, publication_id: int) -> list[Objection]:
    query = select(Objection).where(Objection.publication_id == publication_id)
    return list(session.exec(query.order_by(col(Objection.id))).all())


def _staff_list(session: Session, publication_id: int, actor: Principal) -> Publication:
    """Objections are recorded by the authority's admins and reviewers, on a list not yet
    published."""
    publication = get(session, publication_id, lock=True)
    policy.ensure_staff_of(session, actor, publication.authority_id)
    if publication.status == PublicationStatus.PUBLISHED:
        raise Conflict({"id": publication.id, "checksum": publication.checksum}, error="published")
    return publication


def raise_objection(
    session: Session, publication_id: int, data: ObjectionIn, *, actor: Principal
) -> Objection:
    publication = _staff_list(session, publication_id, actor)
    if data.seq is not None and data.seq not in {x.seq for x in lines_of(session, publication_id)}:
        raise Invalid({"seq": data.seq}, error="no_such_entry", seq=data.seq)
    objection = Objection(
        publication_id=publication_id, seq=data.seq, text=data.text, created_by=actor.name
    )
    session.add(objection)
    session.flush()
    writes.record(
        session,
        actor,
        action="publication.objection",
        target_type="publication",
        target_id=f"{publication_id}/{objection.id}",
        after={"seq": data.seq, "text": data.text},
        authority_id=publication.authority_id,
    )
    return objection


def resolve_objection(
    session: Session,
    publication_id: int,
    objection_id: int,
    data: ObjectionUpdate,
    *,
    actor: Principal,
) -> Objection:
    """Dismissed (with its reason) or upheld; upheld with ``drop``, the entry's lines leave the
    draft and the entries after it are renumbered (an admin's write). Otherwise the bureau
    corrects the line itself."""
    publication = _staff_list(session, publication_id, actor)
    objection = session.get(Objection, objection_id)
    if objection is None or objection.publication_id != publication_id:
        raise NotFound(error="objection_not_found", id=objection_id)
    before = {"status": objection.status, "resolution": objection.resolution}
    objection.status, objection.resolution = data.status, data.resolution
    objection.resolved_by, objection.resolved_at = actor.name, utcnow()
    session.add(objection)
    dropped = 0
    if data.status == ObjectionStatus.UPHELD and data.drop:
        if objection.seq is None:
            raise Invalid(error="no_such_entry", msg="no_such_entry.whole_list")
        policy.ensure_admin_of(session, actor, publication.authority_id)
        dropped = _drop(session, publication, objection, actor)
    session.flush()
    writes.record(
        session,
        actor,
        action=f"publication.objection.{data.status}",
        target_type="publication",
        target_id=f"{publication_id}/{objection.id}",
        before=before,
        after={"status": data.status, "resolution": data.resolution, "dropped": dropped},
        reason=data.resolution,
        authority_id=publication.authority_id,
    )
    return objection


def _drop(
    session: Session, publication: Publication, objection: Objection, actor: Principal
) -> int:
    """Remove entry ``seq`` and number the later ones down (objections follow their entry). The
    approvals it printed are overturned: their entries become rejected (the resolution is the
    reason the college reads) and the programs they reserved stop waiting."""
    assert publication.id is not None
    assert objection.seq is not None
    seq = objection.seq
    lines = lines_of(session, publication.id)
    for line in lines:
        if line.seq == seq and line.entry_id is not None:
            _overturn(session, line.entry_id, objection, actor)
    kept = [x for x in lines if x.seq != seq]
    session.execute(
        delete(PublicationLine).where(col(PublicationLine.publication_id) == publication.id)
    )
    session.flush()
    for position, line in enumerate(kept):
        session.add(
            PublicationLine(
                **line.model_dump(exclude={"id", "position", "seq"}),
                position=position,
                seq=line.seq - (line.seq > seq),
            )
        )
    for other in objections_of(session, publication.id):
        if other.seq is not None and other.seq > seq:
            other.seq -= 1
            session.add(other)
    publication.line_count = len(kept)
    session.add(publication)
    return len(lines) - len(kept)


def _overturn(session: Session, entry_id: int, objection: Objection, actor: Principal) -> None:
    entry = session.get(FilingEntry, entry_id)
    filing = session.get(Filing, entry.filing_id) if entry else None
    if entry is None or filing is None or entry.decision != Decision.APPROVED:
        return
    reason = t("objection_upheld", resolution=objection.resolution)
    set_decision(entry, Decision.REJECTED, actor, reason)
    session.add(entry)
    record_event(
        session,
        filing,
        actor,
        "entry.rejected",
        entry_index=entry.index,
        detail={"objection": objection.id, "publication": objection.publication_id},
        reason=reason,
    )
    program = session.get(Program, entry.program_id) if entry.program_id else None
    if program is not None:
        source = f"publication:{objection.publication_id}"
        lifecycle.revoke_approval(session, program, actor=actor.name, source=source)
