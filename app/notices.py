"""In-app notices: what waits for each person, read from the registry's state (nothing is stored,
so a notice disappears when its reason does). Colleges: open rounds and their deadlines, drafts
not yet submitted, filings under review, decisions. Reviewers and bureau admins: filings with
undecided entries. Province admins: pending out-of-catalog proposals. Bureau admins: rounds whose
filings are decided and whose list is not drafted yet.

Reads across domains (filings, publications), so it sits above them; only pages import it."""

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from app.access.policy import governed_authorities
from app.access.principal import Principal, Role
from app.authorities.models import Authority
from app.colleges.models import College
from app.filings import presenters as filing_presenters
from app.filings import referrals as referral_service
from app.filings import rounds as round_service
from app.filings import service as filings
from app.filings.context import college_chain
from app.filings.models import Filing, FilingRound
from app.filings.schemas import RoundPublic
from app.localtime import zone_label
from app.publications.models import Publication
from app.vocab import Decision, FilingStatus, ReferralStatus

LIMIT = 50


@dataclass
class Notice:
    key: str  # a message of the catalog (web.cycle.notice.*)
    link: str
    params: dict[str, Any] = field(default_factory=dict)


def notices_for(session: Session, actor: Principal, *, zone: ZoneInfo) -> list[Notice]:
    if actor.role == Role.COLLEGE:
        return _college(session, actor, zone)
    out = _to_review(session, actor)
    if actor.role == Role.ADMIN:
        out += _referrals(session, actor) + _to_publish(session, actor)
    return out


def _open_rounds(session: Session, college: College, zone: ZoneInfo) -> list[Notice]:
    return [
        Notice(
            "web.cycle.notice.round_open",
            "/filings/new",
            {"title": r.title or r.year, "closes": r.closes_at_local, "zone": zone_label(zone)},
        )
        for r in open_rounds_for(session, college, zone=zone)
    ]


def open_rounds_for(session: Session, college: College, *, zone: ZoneInfo) -> list[RoundPublic]:
    """The rounds open now for the college: its authority's, or a parent authority's."""
    chain = [a.code for a in college_chain(session, college)]
    return [
        r
        for code in chain
        for r in round_service.list_rounds(session, zone=zone, authority=code, limit=LIMIT)
        if r.open
    ]


def _college(session: Session, actor: Principal, zone: ZoneInfo) -> list[Notice]:
    college = session.get(College, actor.college_id)
    assert college is not None
    out = _open_rounds(session, college, zone)
    rows = filings.list_filings(session, actor=actor, limit=LIMIT)
    for summary in filing_presenters.summaries(session, rows[:LIMIT]):
        params = summary.counts.model_dump() | {"id": summary.id, "year": summary.year}
        link = f"/filings/{summary.id}"
        if summary.status == FilingStatus.DRAFT:
            out.append(Notice("web.cycle.notice.draft", link, params))
        elif summary.status == FilingStatus.SUBMITTED:
            out.append(Notice("web.cycle.notice.submitted", link, params))
        elif summary.status == FilingStatus.DECIDED:
            filing = filings.get_filing(session, summary.id, actor=actor)
            decisions = [e.decision for e in filings.entries_of(session, filing)]
            params |= {
                "approved": decisions.count(Decision.APPROVED),
                "rejected": decisions.count(Decision.REJECTED),
            }
            out.append(Notice("web.cycle.notice.decided", link, params))
    return out


def _to_review(session: Session, actor: Principal) -> list[Notice]:
    rows = filings.list_filings(session, actor=actor, status=FilingStatus.SUBMITTED, limit=LIMIT)
    return [
        Notice(
            "web.cycle.notice.to_review",
            f"/filings/{s.id}",
            {"id": s.id, "college": s.college_name, "undecided": s.counts.undecided},
        )
        for s in filing_presenters.summaries(session, rows[:LIMIT])
        if s.counts.undecided
    ]


def _referrals(session: Session, actor: Principal) -> list[Notice]:
    pending = referral_service.list_referrals(
        session, actor=actor, status=ReferralStatus.PENDING, limit=LIMIT
    )
    names = dict(session.exec(select(College.code, College.name)).all()) if pending else {}
    return [
        Notice(
            "web.cycle.notice.referral",
            f"/referrals/{r.id}",
            {"name": r.proposed_name, "college": names.get(r.college, r.college)},
        )
        for r in pending[:LIMIT]
    ]


def _to_publish(session: Session, actor: Principal) -> list[Notice]:
    """Rounds of the admin's own authority with decided filings and no list drafted from them."""
    if actor.authority_id is None:
        return []
    governed = governed_authorities(session, actor) or []
    drafted = select(Publication.round_id).where(col(Publication.round_id).is_not(None))
    rounds = session.exec(
        select(FilingRound, Authority.code)
        .join(Authority, col(Authority.id) == FilingRound.authority_id)
        .where(FilingRound.authority_id == actor.authority_id)
        .where(col(FilingRound.id).not_in(drafted))
    ).all()
    out = []
    for filing_round, _code in rounds:
        if filing_round.authority_id not in governed:
            continue
        decided = session.exec(
            select(Filing.id).where(
                Filing.round_id == filing_round.id, Filing.status == FilingStatus.DECIDED
            )
        ).all()
        if decided:
            out.append(
                Notice(
                    "web.cycle.notice.to_publish",
                    f"/admin/rounds/{filing_round.id}",
                    {"title": filing_round.title or filing_round.year, "decided": len(decided)},
                )
            )
    return out
