"""The bureau's review: per-entry decisions, closing a fully decided filing (approved entries
reserve their programs — status ``approved`` — in the same transaction; the published list makes
them active), and out-of-catalog referrals to the province."""

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, select

from app import writes
from app.access import policy
from app.access.principal import Principal
from app.authorities import service as authorities
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid, NotFound
from app.filings.models import Filing, FilingEntry, Referral
from app.filings.schemas import BulkDecisionIn, DecisionIn, EntryDecisionIn
from app.filings.service import entries_of, locked_filing, record_event
from app.programs import lifecycle
from app.vocab import LIFECYCLE_KINDS, Decision, FilingStatus, ReferralStatus


def decide_entry(
    session: Session, filing_id: int, index: int, data: DecisionIn, *, actor: Principal
) -> Filing:
    """One entry's decision (or a change of it, while the filing is under review)."""
    one = EntryDecisionIn(
        index=index, decision=data.decision, reason=data.reason, remark=data.remark
    )
    filing, changes, closed = _decide(session, filing_id, [one], actor)
    writes.record(
        session,
        actor,
        action=f"filing.entry.{data.decision}",
        target_type="filing",
        target_id=f"{filing.id}/{index}",
        after={"decision": data.decision, "filing_decided": closed}
        | ({"previous": changes[0]["previous"]} if changes and changes[0]["previous"] else {}),
        reason=data.reason,
        authority_id=filing.authority_id,
    )
    return filing


def decide_entries(
    session: Session, filing_id: int, data: BulkDecisionIn, *, actor: Principal
) -> Filing:
    """Several decisions on one filing in one transaction: any refused decision (a rejection
    without a reason, an unknown entry...) refuses them all, and nothing changes."""
    filing, changes, closed = _decide(session, filing_id, data.decisions, actor)
    writes.record(
        session,
        actor,
        action="filing.decisions",
        target_type="filing",
        target_id=filing.id,
        after={"decisions": changes, "filing_decided": closed},
        authority_id=filing.authority_id,
    )
    return filing


def _decide(
    session: Session, filing_id: int, decisions: list[EntryDecisionIn], actor: Principal
) -> tuple[Filing, list[dict[str, Any]], bool]:
    filing = locked_filing(session, filing_id)
    policy.ensure_decide(session, actor, filing.authority_id)
    if filing.status != FilingStatus.SUBMITTED:
        raise Conflict(
            {"status": filing.status},
            error="not_under_review",
            msg="not_under_review.closed",
        )
    entries = entries_of(session, filing)
    by_index = {e.index: e for e in entries}
    indexes = [d.index for d in decisions]
    if len(set(indexes)) != len(indexes):
        raise Invalid(
            {"indexes": indexes},
            error="duplicate_index",
        )
    changes = []
    for data in decisions:
        entry = by_index.get(data.index)
        if entry is None:
            raise NotFound(
                {"index": data.index},
                error="entry_not_found",
                id=filing_id,
                index=data.index,
            )
        change = _apply(session, filing, entry, data, actor)
        if change:
            changes.append(change)
    session.flush()
    return filing, changes, close_if_decided(session, filing, actor, entries)


def _apply(
    session: Session, filing: Filing, entry: FilingEntry, data: EntryDecisionIn, actor: Principal
) -> dict[str, Any] | None:
    """Set (or change) one entry's decision; the earlier one stays in the filing's history."""
    previous, previous_reason = entry.decision, entry.decision_reason
    if data.remark is not None:
        entry.public_remark = data.remark.strip()
        session.add(entry)
    if previous == data.decision and (previous_reason or "") == (data.reason or ""):
        return None  # the same decision again changes nothing
    _check_decision(entry, data)
    referral = _referral_of(session, entry)
    if referral is not None and referral.status in (
        ReferralStatus.APPROVED,
        ReferralStatus.REJECTED,
    ):
        raise Conflict(
            {"index": entry.index},
            error="referral_decided",
        )
    if referral is not None and previous == Decision.REFERRED:
        referral.status = ReferralStatus.WITHDRAWN  # the province no longer sees it as pending
        session.add(referral)
    set_decision(entry, data.decision, actor, data.reason)
    session.add(entry)
    if data.decision == Decision.REFERRED:
        _refer(session, filing, entry, referral)
    detail: dict[str, str | None] = {
        "major_code": entry.major_code,
        "major_name": entry.major_name,
    }
    if previous is not None:
        detail |= {"previous": previous, "previous_reason": previous_reason}
    record_event(
        session,
        filing,
        actor,
        f"entry.{data.decision}",
        entry_index=entry.index,
        detail=detail,
        reason=data.reason,
    )
    return {"index": entry.index, "decision": data.decision, "previous": previous}


def _referral_of(session: Session, entry: FilingEntry) -> Referral | None:
    return session.exec(select(Referral).where(Referral.entry_id == entry.id)).first()


def _refer(session: Session, filing: Filing, entry: FilingEntry, referral: Referral | None) -> None:
    """Send the proposal to the province (again, when an earlier referral was withdrawn)."""
    assert entry.id is not None
    referral = referral or Referral(
        entry_id=entry.id, authority_id=province_of(session, filing), proposed_name=""
    )
    referral.status, referral.reason = ReferralStatus.PENDING, None
    referral.proposed_name, referral.category = entry.major_name, entry.category
    referral.decided_by = referral.decided_at = None
    referral.created_at = utcnow()
    session.add(referral)


def clean_indexes(session: Session, filing: Filing) -> list[int]:
    """Undecided entries without any error or warning that a reviewer can approve as they
    are (a catalog major resolved): what "approve every clean entry" selects."""
    return [
        e.index
        for e in entries_of(session, filing)
        if e.decision is None
        and e.major_id is not None
        and not any(f["severity"] in ("error", "warning") for f in e.findings)
    ]


def _check_decision(entry: FilingEntry, data: DecisionIn) -> None:
    if data.decision == Decision.REJECTED and not (data.reason or "").strip():
        # the college sees the reason: a rejection without one is refused
        raise Invalid(
            {"index": entry.index},
            error="reason_required",
        )
    if data.decision == Decision.REFERRED and entry.major_code:
        raise Conflict(
            {"index": entry.index},
            error="not_out_of_catalog",
        )
    if data.decision == Decision.APPROVED and entry.major_id is None:
        raise Conflict(
            {"index": entry.index},
            error="out_of_catalog",
        )


def set_decision(entry: FilingEntry, decision: str, actor: Principal, reason: str | None) -> None:
    entry.decision = decision
    entry.decision_reason = reason
    entry.decided_by = actor.name
    entry.decided_at = utcnow()


def province_of(session: Session, filing: Filing) -> int:
    """The province authority above the filing's (it decides out-of-catalog proposals)."""
    current = authorities.province_of(session, filing.authority_id)
    if current is None:
        raise Conflict(error="no_province")
    assert current.id is not None
    return current.id


def close_if_decided(
    session: Session,
    filing: Filing,
    actor: Principal,
    entries: Sequence[FilingEntry] | None = None,
) -> bool:
    """When every entry is approved or rejected, the filing is decided and its approved entries
    reserve their programs (status ``approved``, 批准待公布) — in this same transaction. They
    become ``active`` when a list carrying them is published (publications.service)."""
    entries = list(entries if entries is not None else entries_of(session, filing))
    if any(e.decision not in (Decision.APPROVED, Decision.REJECTED) for e in entries):
        return False
    college = session.get(College, filing.college_id)
    assert college is not None
    assert college.id is not None
    programs = []
    # 停招 / 撤销 take effect when the list carrying them is published (publications/closures.py)
    for entry in (
        e for e in entries if e.decision == Decision.APPROVED and e.kind not in LIFECYCLE_KINDS
    ):
        assert entry.major_id is not None
        assert entry.length_years is not None
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
    filing.status, filing.decided_at = FilingStatus.DECIDED, utcnow()
    filing.version += 1
    session.add(filing)
    session.flush()
    record_event(
        session,
        filing,
        actor,
        "decided",
        detail={
            "approved": sum(e.decision == Decision.APPROVED for e in entries),
            "rejected": sum(e.decision == Decision.REJECTED for e in entries),
            "programs": programs,
        },
    )
    return True


def get_referral(session: Session, referral_id: int, *, lock: bool = False) -> Referral:
    query = select(Referral).where(Referral.id == referral_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound(error="referral_not_found", id=referral_id)
    return found
