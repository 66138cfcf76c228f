"""Filings as the API shows them: entries with findings and decisions, and the history."""

from sqlmodel import Session, col, select

from app.colleges.models import College
from app.filings.models import Filing, FilingEntry, FilingEvent, Referral
from app.filings.schemas import EntryPublic, FilingPublic, FilingSummary, FindingOut, HistoryItem
from app.filings.service import entries_of


def summary(filing: Filing, college: College) -> FilingSummary:
    assert filing.id is not None
    return FilingSummary(
        id=filing.id,
        college=college.code,
        college_name=college.name,
        year=filing.year,
        round=filing.round_id,
        status=filing.status,
        version=filing.version,
        source=filing.source,
        created_at=filing.created_at,
        submitted_at=filing.submitted_at,
        decided_at=filing.decided_at,
    )


def entry_public(entry: FilingEntry, referral: Referral | None) -> EntryPublic:
    return EntryPublic(
        index=entry.index,
        row=entry.row,
        major_code=entry.major_code,
        major_name=entry.major_name,
        category=entry.category,
        intake=entry.intake,
        level=entry.level or None,
        length_years=entry.length_years,
        declared_kind=entry.declared_kind or None,
        kind=entry.kind,
        former_name=entry.former_name or None,
        remark=entry.remark,
        findings=[FindingOut(**f) for f in entry.findings],
        decision=entry.decision,
        decision_reason=entry.decision_reason,
        decided_at=entry.decided_at,
        referral=referral.id if referral else None,
        referral_status=referral.status if referral else None,
    )


def filing_public(session: Session, filing: Filing) -> FilingPublic:
    college = session.get(College, filing.college_id)
    assert college is not None
    entries = entries_of(session, filing)
    ids = [e.id for e in entries]
    referrals = (
        {
            r.entry_id: r
            for r in session.exec(select(Referral).where(col(Referral.entry_id).in_(ids))).all()
        }
        if ids
        else {}
    )
    events = session.exec(
        select(FilingEvent).where(FilingEvent.filing_id == filing.id).order_by(col(FilingEvent.id))
    ).all()
    findings = [f for e in entries for f in e.findings]
    return FilingPublic(
        **summary(filing, college).model_dump(),
        errors=sum(f["severity"] == "error" for f in findings),
        warnings=sum(f["severity"] == "warning" for f in findings),
        entries=[entry_public(e, referrals.get(e.id or 0)) for e in entries],
        history=[
            HistoryItem(
                at=ev.at,
                actor=ev.actor,
                role=ev.role,
                action=ev.action,
                entry_index=ev.entry_index,
                detail=ev.detail,
                reason=ev.reason,
            )
            for ev in events
        ],
    )
