"""A college that closes or merges, seen from its filings (issue 24, contract.md "Program
lifecycle"): its programs move or end (``programs/mergers.py``) and, in the same transaction,
its open filings (draft or submitted) are withdrawn — each with a ``withdrawn`` event in the
filing's history naming the closure, and listed in the closure's one audit record. A filing of
the college is refused afterwards (409 ``college_closed``). Nothing here commits."""

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from app.access.principal import Principal
from app.clock import utcnow
from app.colleges import service as colleges
from app.colleges.models import College
from app.filings.models import Filing
from app.filings.service import record_event
from app.programs import mergers
from app.vocab import FilingStatus

OPEN = (
    FilingStatus.DRAFT,
    FilingStatus.SUBMITTED,
)  # a decided filing stays: its decisions are the bureau's record


def open_filings(session: Session, college: College, *, lock: bool = False) -> Sequence[Filing]:
    """The college's filings not yet decided nor withdrawn, oldest first."""
    query = (
        select(Filing)
        .where(Filing.college_id == college.id, col(Filing.status).in_(OPEN))
        .order_by(col(Filing.id))
    )
    return session.exec(query.with_for_update() if lock else query).all()


def _withdraw(
    session: Session, college: College, *, into: str | None, reason: str, actor: Principal
) -> list[int]:
    """Withdraw every open filing of the college; the event says why. Returns their ids."""
    why = {"merged_into": into} if into else {"college_closed": college.code}
    ids: list[int] = []
    for filing in open_filings(session, college, lock=True):
        before = filing.status
        filing.status = FilingStatus.WITHDRAWN
        filing.version += 1
        filing.updated_at = utcnow()
        session.add(filing)
        record_event(
            session, filing, actor, "withdrawn", detail={"from": before} | why, reason=reason
        )
        assert filing.id is not None
        ids.append(filing.id)
    session.flush()
    return ids


def end_college(
    session: Session,
    code: str,
    *,
    into_code: str | None,
    effective_on: date,
    reason: str,
    actor: Principal,
) -> mergers.Plan:
    """Merge the college into ``into_code`` or close it (``mergers.end_college``) and withdraw
    its open filings, all in the caller's transaction; ``Plan.filings`` lists those withdrawn."""
    college = colleges.get_by_code(session, code)
    into = colleges.get_by_code(session, into_code) if into_code else None
    mergers.check(session, college, into, actor)  # refused before anything is written
    withdrawn = _withdraw(session, college, into=into_code, reason=reason, actor=actor)
    found = mergers.end_college(
        session,
        code,
        into_code=into_code,
        effective_on=effective_on,
        reason=reason,
        actor=actor,
        audit_extra={"filings_withdrawn": withdrawn},
    )
    found.filings = withdrawn
    return found


def preview(session: Session, college: College, into: College | None) -> mergers.Plan:
    """What closing or merging would do, the open filings it would withdraw included."""
    found = mergers.plan(session, college, into)
    found.filings = [f.id for f in open_filings(session, college) if f.id is not None]
    return found
