"""Filings as the API shows them: entries with findings and decisions, and the history."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app.catalog.models import Major
from app.colleges.models import College
from app.filings.models import Filing, FilingEntry, FilingEvent, Referral
from app.filings.schemas import (
    FilingCounts,
    FilingEntryPublic,
    FilingPublic,
    FilingSummary,
    FindingOut,
    HistoryItem,
    Waiting,
)
from app.filings.service import entries_of
from app.programs.models import Program
from app.vocab import Decision, FilingStatus


def count(entries: Sequence[tuple[list[dict[str, Any]], str | None]]) -> FilingCounts:
    """Entries, errors, warnings (findings) and undecided entries of one filing."""
    findings = [f for found, _ in entries for f in found]
    return FilingCounts(
        entries=len(entries),
        errors=sum(f["severity"] == "error" for f in findings),
        warnings=sum(f["severity"] == "warning" for f in findings),
        undecided=sum(decision is None for _, decision in entries),
        referred=sum(decision == Decision.REFERRED for _, decision in entries),
    )


def waiting(status: str, counts: FilingCounts) -> Waiting:
    """Where a filing waits: a submitted one with the bureau while any entry is undecided, then
    with the province while a referral is open (the filing is decided when both are done)."""
    if status == FilingStatus.SUBMITTED:
        return "province" if counts.undecided == 0 and counts.referred else "bureau"
    if status == FilingStatus.DRAFT:
        return "college"
    return "decided" if status == FilingStatus.DECIDED else "withdrawn"


def counts_of(session: Session, filing_ids: list[int]) -> dict[int, FilingCounts]:
    """The counts of a page of filings, in one query."""
    if not filing_ids:
        return {}
    rows = session.exec(
        select(FilingEntry.filing_id, FilingEntry.findings, FilingEntry.decision).where(
            col(FilingEntry.filing_id).in_(filing_ids)
        )
    ).all()
    grouped: dict[int, list[tuple[list[dict[str, Any]], str | None]]] = defaultdict(list)
    for filing_id, findings, decision in rows:
        grouped[filing_id].append((list(findings), decision))
    return {i: count(grouped.get(i, [])) for i in filing_ids}


def summaries(session: Session, rows: Sequence[tuple[Filing, College]]) -> list[FilingSummary]:
    counts = counts_of(session, [f.id for f, _ in rows if f.id is not None])
    return [summary(f, c, counts.get(f.id or 0)) for f, c in rows]


def summary(filing: Filing, college: College, counts: FilingCounts | None = None) -> FilingSummary:
    assert filing.id is not None
    counts = counts or FilingCounts()
    return FilingSummary(
        id=filing.id,
        college=college.code,
        college_name=college.name,
        year=filing.year,
        round=filing.round_id,
        status=filing.status,
        waiting=waiting(filing.status, counts),
        version=filing.version,
        source=filing.source,
        created_at=filing.created_at,
        submitted_at=filing.submitted_at,
        decided_at=filing.decided_at,
        updated_at=filing.updated_at,
        counts=counts,
    )


def entry_public(entry: FilingEntry, referral: Referral | None) -> FilingEntryPublic:
    return FilingEntryPublic(
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
        effective_year=entry.effective_year,
        reason=entry.reason,
        program_id=entry.program_id,
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
    counts = count([(e.findings, e.decision) for e in entries])
    return FilingPublic(
        **summary(filing, college, counts).model_dump(),
        errors=counts.errors,
        warnings=counts.warnings,
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


def college_history(session: Session, filing: Filing) -> dict[str, list[dict[str, Any]]]:
    """What the college already runs of each major code the filing names (any status), so a
    reviewer reads an entry against the college's history: code → offerings."""
    codes = {e.major_code for e in entries_of(session, filing) if e.major_code}
    if not codes:
        return {}
    columns = (Major.code, Program.intake, Program.level, Program.length_years, Program.status)
    rows = session.execute(
        core_select(*(col(c) for c in columns), col(Program.since_year))
        .join(Major, col(Major.id) == Program.major_id)
        .where(col(Program.college_id) == filing.college_id, col(Major.code).in_(codes))
        .order_by(col(Major.code), col(Program.id))
    ).all()
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for code, intake, level, years, status, since in rows:
        history[code].append(
            {"intake": intake, "level": level, "years": years, "status": status, "since": since}
        )
    return dict(history)
