"""The bureau's review: per-entry decisions, closing a fully decided filing (approved entries
become programs in the same transaction), and out-of-catalog referrals to the province."""

from collections.abc import Sequence

from sqlmodel import Session, select

from app import audit
from app.auth import Principal
from app.authorities.models import Authority
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound
from app.filings import access
from app.filings.models import Filing, FilingEntry, Referral
from app.filings.schemas import DecisionIn
from app.filings.service import entries_of, locked_filing, record_event
from app.programs import lifecycle


def decide_entry(
    session: Session, filing_id: int, index: int, data: DecisionIn, *, actor: Principal
) -> Filing:
    filing = locked_filing(session, filing_id)
    access.check_reviewer(session, actor, filing)
    if filing.status != "submitted":
        raise Conflict(f"a {filing.status} filing is not under review", error="not_under_review")
    entries = entries_of(session, filing)
    entry = next((e for e in entries if e.index == index), None)
    if entry is None:
        raise NotFound(f"filing {filing_id} has no entry {index}", error="entry_not_found")
    if entry.decision is not None:
        raise Conflict(f"entry {index} is already {entry.decision}", error="already_decided")
    _check_decision(entry, data)
    set_decision(entry, data.decision, actor, data.reason)
    session.add(entry)
    if data.decision == "referred":
        assert entry.id is not None
        session.add(
            Referral(
                entry_id=entry.id,
                authority_id=province_of(session, filing),
                proposed_name=entry.major_name,
                category=entry.category,
            )
        )
    session.flush()
    record_event(
        session,
        filing,
        actor,
        f"entry.{data.decision}",
        entry_index=index,
        detail={"major_code": entry.major_code, "major_name": entry.major_name},
        reason=data.reason,
    )
    closed = close_if_decided(session, filing, actor, entries)
    audit.record(
        session,
        actor,
        action=f"filing.entry.{data.decision}",
        target_type="filing",
        target_id=f"{filing.id}/{index}",
        after={"decision": data.decision, "filing_decided": closed},
        reason=data.reason,
        authority_id=filing.authority_id,
    )
    return filing


def _check_decision(entry: FilingEntry, data: DecisionIn) -> None:
    if data.decision == "rejected" and not (data.reason or "").strip():
        # the college sees the reason: a rejection without one is refused
        raise Invalid("a rejection needs a reason the college can read", error="reason_required")
    if data.decision == "referred" and entry.major_code:
        raise Conflict(
            "only an out-of-catalog proposal (no code) goes to the province",
            error="not_out_of_catalog",
        )
    if data.decision == "approved" and entry.major_id is None:
        raise Conflict(
            "an entry without a catalog major is referred to the province, not approved here",
            error="out_of_catalog",
        )


def set_decision(entry: FilingEntry, decision: str, actor: Principal, reason: str | None) -> None:
    entry.decision = decision
    entry.decision_reason = reason
    entry.decided_by = actor.name
    entry.decided_at = audit.utcnow()


def province_of(session: Session, filing: Filing) -> int:
    """The province authority above the filing's (it decides out-of-catalog proposals)."""
    current = session.get(Authority, filing.authority_id) if filing.authority_id else None
    while current is not None and current.level != "province" and current.parent_id:
        current = session.get(Authority, current.parent_id)
    if current is None:
        raise Conflict("the filing has no authority to refer to", error="no_province")
    assert current.id is not None
    return current.id


def close_if_decided(
    session: Session,
    filing: Filing,
    actor: Principal,
    entries: Sequence[FilingEntry] | None = None,
) -> bool:
    """When every entry is approved or rejected, the filing is decided and its approved entries
    become active programs — in this same transaction."""
    entries = list(entries if entries is not None else entries_of(session, filing))
    if any(e.decision not in ("approved", "rejected") for e in entries):
        return False
    college = session.get(College, filing.college_id)
    assert college is not None and college.id is not None
    programs = []
    for entry in (e for e in entries if e.decision == "approved"):
        assert entry.major_id is not None and entry.length_years is not None
        program = lifecycle.apply_approval(
            session,
            lifecycle.Approval(
                college_id=college.id,
                major_id=entry.major_id,
                level=entry.level,
                intake=entry.intake,
                length_years=entry.length_years,
                year=filing.year,
                kind=entry.kind,
                former_name=entry.former_name,
                source=f"filing:{filing.id}/{entry.index}",
                actor=actor.name,
            ),
        )
        entry.program_id = program.id
        session.add(entry)
        programs.append(program.id)
    filing.status, filing.decided_at = "decided", audit.utcnow()
    filing.version += 1
    session.add(filing)
    session.flush()
    record_event(
        session,
        filing,
        actor,
        "decided",
        detail={
            "approved": sum(e.decision == "approved" for e in entries),
            "rejected": sum(e.decision == "rejected" for e in entries),
            "programs": programs,
        },
    )
    return True


def get_referral(session: Session, referral_id: int, *, lock: bool = False) -> Referral:
    query = select(Referral).where(Referral.id == referral_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound(f"no referral {referral_id}", error="referral_not_found")
    return found
