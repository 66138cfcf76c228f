"""Filings: the dry-run check, drafts, edits with optimistic locking, submit, withdraw, reads.

Services never commit; the request (or the CLI's unit of work) does.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from app import writes
from app.access import policy
from app.access.principal import Principal
from app.catalog.models import Category, Major
from app.clock import rfc3339, utcnow
from app.colleges import service as colleges
from app.colleges.models import College
from app.errors import Conflict, NotFound
from app.filings.context import Scope, load_context
from app.filings.facts import Checked, EntryValues
from app.filings.models import Filing, FilingEntry, FilingEvent
from app.filings.rules import check_entries, totals
from app.filings.schemas import (
    ApprovedEntry,
    EntryIn,
    FilingCreate,
    FilingUpdate,
    ValidateRequest,
    ValidationResult,
    VersionIn,
)
from app.i18n import t
from app.localtime import as_utc, show, zone_label
from app.vocab import LIFECYCLE_KINDS, Decision, FilingStatus


def _row_of(entries: list[EntryIn], rows: list[int | None] | None, index: int) -> int | None:
    """The spreadsheet row of an entry: given by the import, else carried by the entry (a PUT
    sends back the rows it read, so edits keep them)."""
    return rows[index] if rows else entries[index].row


def values_of(entry: EntryIn) -> EntryValues:
    def text(value: str | None) -> str:
        return (value or "").strip()

    return EntryValues(
        major_code=text(entry.major_code),
        major_name=text(entry.major_name),
        category=text(entry.category),
        intake=text(entry.intake),
        level=text(entry.level),
        length=text(entry.length_years),
        kind=text(entry.kind),
        remark=text(entry.remark),
        former_name=text(entry.former_name),
        effective_year=text(entry.effective_year),
        reason=text(entry.reason),
    )


def result_of(checked: list[Checked]) -> ValidationResult:
    errors, warnings = totals(checked)
    # One validation of plain dicts (pydantic-core) rather than a model constructed per entry
    # and per finding: a fifth of the CPU of a 1,000-entry check went there.
    entries = [
        {"index": c.index, "kind": c.kind, "findings": [f.as_dict() for f in c.findings]}
        for c in checked
    ]
    return ValidationResult.model_validate(
        {"entries": entries, "errors": errors, "warnings": warnings}
    )


def validate(session: Session, data: ValidateRequest, *, actor: Principal) -> ValidationResult:
    """The dry run of contract.md: checks every entry, stores nothing."""
    college = colleges.get_by_code(session, data.college)
    policy.ensure_own_college(actor, college.id)
    colleges.ensure_open(college)
    values = [values_of(e) for e in data.entries]
    ctx, _ = load_context(session, college, values, year=data.year)
    if not policy.can_see_college_private(session, actor, college):
        # Another authority's staff may check a file against the catalogs, but the college's
        # submitted filings are not theirs to see: program.pending would reveal them.
        ctx.pending = frozenset()
    return result_of(check_entries(values, ctx))


# ---- drafts ------------------------------------------------------------------------------


def store_entries(
    session: Session,
    filing: Filing,
    college: College,
    entries: list[EntryIn],
    rows: list[int | None] | None = None,
) -> tuple[list[Checked], Scope]:
    """Replace the filing's entries with these, checked (findings stored with each)."""
    values = [values_of(e) for e in entries]
    ctx, scope = load_context(
        session, college, values, year=filing.year, exclude_filing_id=filing.id
    )
    checked = check_entries(values, ctx)
    session.exec(delete(FilingEntry).where(col(FilingEntry.filing_id) == filing.id))
    assert filing.id is not None
    session.add_all(
        [
            _entry_row(filing.id, v, c, _row_of(entries, rows, c.index))
            for v, c in zip(values, checked, strict=True)
        ]
    )
    if scope.chain:
        filing.authority_id = scope.chain[0].id
    filing.round_id = scope.round.id if scope.round else filing.round_id
    session.flush()
    return checked, scope


def _entry_row(filing_id: int, v: EntryValues, c: Checked, row: int | None) -> FilingEntry:
    return FilingEntry(
        filing_id=filing_id,
        index=c.index,
        row=row,
        major_code=v.major_code,
        major_name=v.major_name,
        category=v.category,
        intake=c.intake or v.intake,
        level=c.level or v.level,
        length_years=c.years,
        length_text="" if c.years is not None else v.length[:20],
        declared_kind=c.declared_kind,
        kind=c.kind,
        former_name=c.former_name[:100],
        remark=v.remark[:200],
        major_id=c.major.id if c.major else c.major_id,
        findings=[f.as_dict() for f in c.findings],
        program_id=c.program_id,
        effective_year=c.effective_year if c.program_id else _year_of(v.effective_year),
        reason=v.reason[:1000],
    )


def _year_of(text: str) -> int | None:
    """A year as filed, kept when it is one (a draft stores what was sent)."""
    text = text.removesuffix("年").strip()
    return int(text) if text.isdigit() and 1949 <= int(text) <= 2100 else None


def create_filing(
    session: Session,
    data: FilingCreate,
    *,
    actor: Principal,
    source: str = "api",
    rows: list[int | None] | None = None,
) -> Filing:
    college = colleges.get_by_code(session, data.college)
    policy.ensure_act_for_college(session, actor, college)
    colleges.ensure_open(college)
    assert college.id is not None
    filing = Filing(
        college_id=college.id,
        authority_id=college.authority_id,
        year=data.year,
        source=source,
        created_by=actor.name,
    )
    session.add(filing)
    session.flush()
    checked, _ = store_entries(session, filing, college, data.entries, rows)
    errors, warnings = totals(checked)
    after = {
        "college": college.code,
        "year": data.year,
        "entries": len(checked),
        "errors": errors,
        "warnings": warnings,
        "source": source,
    }
    writes.record(
        session,
        actor,
        action="filing.create",
        target_type="filing",
        target_id=filing.id,
        after=after,
        authority_id=filing.authority_id,
        changes=[filing_event(filing, actor, "created", detail=after)],
    )
    return filing


def filing_event(
    filing: Filing,
    actor: Principal,
    action: str,
    *,
    entry_index: int | None = None,
    detail: dict[str, Any] | None = None,
    reason: str | None = None,
) -> FilingEvent:
    """The filing's event of a write (its history), for ``writes.record(..., changes=[...])``."""
    assert filing.id is not None
    return FilingEvent(
        filing_id=filing.id,
        entry_index=entry_index,
        actor=actor.name,
        role=actor.role,
        action=action,
        detail=detail or {},
        reason=reason,
    )


def record_event(
    session: Session,
    filing: Filing,
    actor: Principal,
    action: str,
    *,
    entry_index: int | None = None,
    detail: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """A filing's event on its own (a step whose audit entry is recorded elsewhere)."""
    event = filing_event(
        filing, actor, action, entry_index=entry_index, detail=detail, reason=reason
    )
    writes.changed(session, event)


def locked_filing(session: Session, filing_id: int) -> Filing:
    """The filing, row-locked on PostgreSQL for the rest of the transaction (SQLite writers
    are already serialised by BEGIN IMMEDIATE)."""
    filing = session.exec(select(Filing).where(Filing.id == filing_id).with_for_update()).first()
    if filing is None:
        raise NotFound(error="filing_not_found", id=filing_id)
    return filing


def get_filing(session: Session, filing_id: int, *, actor: Principal) -> Filing:
    filing = session.get(Filing, filing_id)
    if filing is None:
        raise NotFound(error="filing_not_found", id=filing_id)
    policy.ensure_read_filing(session, actor, filing)
    return filing


def _last_change(session: Session, filing: Filing) -> FilingEvent | None:
    query = select(FilingEvent).where(FilingEvent.filing_id == filing.id)
    return session.exec(query.order_by(col(FilingEvent.id).desc()).limit(1)).first()


def snapshot(entry: FilingEntry) -> dict[str, Any]:
    """A stored entry as the values a clerk typed (and its row): what a 409 shows as the
    current version beside the one that was refused."""
    return entry_input(entry).model_dump() | {"index": entry.index}


def _check_version(
    session: Session, filing: Filing, version: int | None, yours: list[EntryIn] | None = None
) -> None:
    """A stale version is refused and nothing changes; the answer says who changed the filing
    and when, and carries both versions (the current entries and the ones sent) so that the
    refused edit is not lost: the clerk merges and saves again with ``current_version``."""
    if version is None or version == filing.version:
        return
    last = _last_change(session, filing)
    detail: dict[str, Any] = {
        "message": t("stale_version"),
        "current_version": filing.version,
        "your_version": version,
        "changed_by": last.actor if last else None,
        "changed_at": rfc3339(last.at) if last else None,
        "change": last.action if last else None,
    }
    if yours is not None:
        detail["current"] = [snapshot(e) for e in entries_of(session, filing)]
        detail["yours"] = [e.model_dump() | {"index": i} for i, e in enumerate(yours)]
    raise Conflict(detail, error="stale_version")


def update_filing(
    session: Session,
    filing_id: int,
    data: FilingUpdate,
    *,
    actor: Principal,
    change: dict[str, Any] | None = None,
) -> Filing:
    """Replace a draft's entries (checked again). ``change`` says what the edit was when it is
    known (an accepted suggestion); it goes to the history and the audit record."""
    filing = locked_filing(session, filing_id)
    policy.ensure_write_filing(session, actor, filing)
    _check_version(session, filing, data.version, data.entries)
    if filing.status != FilingStatus.DRAFT:
        raise Conflict(error="not_draft", status=t(f"status.{filing.status}"))
    college = session.get(College, filing.college_id)
    assert college is not None
    colleges.ensure_open(college)
    before = {"version": filing.version, "entries": _entry_count(session, filing)}
    checked, _ = store_entries(session, filing, college, data.entries)
    filing.version += 1
    filing.updated_at = utcnow()
    session.add(filing)
    errors, warnings = totals(checked)
    after: dict[str, Any] = {
        "version": filing.version,
        "entries": len(checked),
        "errors": errors,
        "warnings": warnings,
    }
    if change:
        after["change"] = change
    writes.record(
        session,
        actor,
        action="filing.update",
        target_type="filing",
        target_id=filing.id,
        before=before,
        after=after,
        authority_id=filing.authority_id,
        changes=[filing_event(filing, actor, "edited", detail={"before": before, "after": after})],
    )
    return filing


def _entry_count(session: Session, filing: Filing) -> int:
    query = select(FilingEntry.id).where(FilingEntry.filing_id == filing.id)
    return len(session.exec(query).all())


def entries_of(session: Session, filing: Filing) -> Sequence[FilingEntry]:
    query = select(FilingEntry).where(FilingEntry.filing_id == filing.id)
    return session.exec(query.order_by(col(FilingEntry.index))).all()


def entry_input(entry: FilingEntry) -> EntryIn:
    """A stored entry back as filed, to check it again."""
    length = str(entry.length_years) if entry.length_years is not None else entry.length_text
    return EntryIn(
        major_code=entry.major_code,
        major_name=entry.major_name,
        category=entry.category,
        intake=entry.intake,
        level=entry.level,
        length_years=length,
        kind=entry.declared_kind or None,
        remark=entry.remark,
        former_name=entry.former_name or None,
        row=entry.row,
        effective_year=str(entry.effective_year) if entry.effective_year else None,
        reason=entry.reason or None,
    )


def round_closed(scope: Scope, now: datetime, zone: ZoneInfo) -> dict[str, Any] | None:
    """The ``round.closed`` finding when no round of the year is open now (or its list is
    published already), else None. The window is said in the bureau's ``zone`` as the pages
    show it (``2026-12-31 24:00（北京时间）``): stored moments are UTC, 8 hours off for a
    clerk in China."""
    current = scope.round
    published = current is not None and current.closed_by_list is not None
    if (
        current is not None
        and not published
        and as_utc(current.opens_at) <= now <= as_utc(current.closes_at)
    ):
        return None
    message = (
        t("round.closed")
        if current is None
        else t("round.closed.published")
        if published
        else t(
            "round.closed.window",
            opens=show(current.opens_at, zone),
            closes=show(current.closes_at, zone, deadline=True),
            zone=zone_label(zone),
        )
    )
    return {
        "code": "round.closed",
        "severity": "error",
        "field": "round",
        "message": message,
        "suggestion": None,
    }


def submit_filing(
    session: Session, filing_id: int, data: VersionIn, *, actor: Principal, zone: ZoneInfo
) -> Filing:
    """Checks the entries again; refused (409) while any error remains or outside the window
    (said in the bureau's ``zone``). Warnings travel with the entries to the reviewer."""
    filing = locked_filing(session, filing_id)
    policy.ensure_write_filing(session, actor, filing)
    _check_version(session, filing, data.version)
    # One submission per college at a time: on PostgreSQL two concurrent submissions of one
    # offering would both pass program.pending (neither sees the other's uncommitted filing).
    # The college row lock makes the second wait and then see the first (SQLite writers are
    # serialised already).
    college = session.exec(
        select(College).where(College.id == filing.college_id).with_for_update()
    ).first()
    assert college is not None
    # Before the draft check: closing the college withdrew its drafts, and the college's
    # end is what the clerk needs to read (issue 24), not "not a draft".
    colleges.ensure_open(college)
    if filing.status != FilingStatus.DRAFT:
        status = t(f"status.{filing.status}")
        raise Conflict(error="not_draft", msg="not_draft.submit", status=status)
    entries = entries_of(session, filing)
    if not entries:
        raise Conflict(error="empty_filing")
    checked, scope = store_entries(session, filing, college, [entry_input(e) for e in entries])
    closed = round_closed(scope, utcnow(), zone)
    result = result_of(checked)
    if result.errors or closed:
        detail = result.model_dump() | {"findings": [closed] if closed else []}
        raise Conflict(detail, error="round_closed" if closed else "filing_has_errors")
    assert scope.round is not None
    filing.status, filing.round_id = FilingStatus.SUBMITTED, scope.round.id
    filing.submitted_at = filing.updated_at = utcnow()
    filing.version += 1
    session.add(filing)
    after = {
        "status": FilingStatus.SUBMITTED,
        "round": scope.round.id,
        "entries": len(checked),
        "warnings": result.warnings,
    }
    writes.record(
        session,
        actor,
        action="filing.submit",
        target_type="filing",
        target_id=filing.id,
        before={"status": FilingStatus.DRAFT},
        after=after,
        authority_id=filing.authority_id,
        changes=[filing_event(filing, actor, "submitted", detail=after)],
    )
    return filing


def withdraw_filing(
    session: Session,
    filing_id: int,
    data: VersionIn,
    *,
    actor: Principal,
    reason: str | None = None,
) -> Filing:
    filing = locked_filing(session, filing_id)
    policy.ensure_write_filing(session, actor, filing)
    _check_version(session, filing, data.version)
    decided = [e.index for e in entries_of(session, filing) if e.decision is not None]
    if filing.status not in (FilingStatus.DRAFT, FilingStatus.SUBMITTED) or decided:
        raise Conflict(
            {
                "status": filing.status,
                "decided_entries": decided,
            },
            error="already_decided" if decided else "not_withdrawable",
            msg="already_decided.filing" if decided else None,
        )
    before = filing.status
    filing.status = FilingStatus.WITHDRAWN
    filing.version += 1
    filing.updated_at = utcnow()
    session.add(filing)
    writes.record(
        session,
        actor,
        action="filing.withdraw",
        target_type="filing",
        target_id=filing.id,
        before={"status": before},
        after={"status": FilingStatus.WITHDRAWN},
        reason=reason,
        authority_id=filing.authority_id,
        changes=[filing_event(filing, actor, "withdrawn", detail={"from": before}, reason=reason)],
    )
    return filing


def list_filings(
    session: Session,
    *,
    actor: Principal,
    status: str | None = None,
    year: int | None = None,
    college: str | None = None,
    major: str | None = None,
    round_id: int | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[tuple[Filing, College]]:
    """The filings the actor may see, by id. ``college``: a code, or part of the name (current
    name); ``major``: a code, or part of a filed name — filings with such an entry."""
    query = (
        select(Filing, College)
        .join(College, col(College.id) == Filing.college_id)
        .order_by(col(Filing.id))
        .limit(limit + 1)
    )
    query = policy.visible_filings(
        session,
        actor,
        query,
        college_id=Filing.college_id,
        authority_id=col(Filing.authority_id),
        status=Filing.status,
    )
    if status:
        query = query.where(Filing.status == status)
    if year:
        query = query.where(Filing.year == year)
    if college:
        query = query.where(or_(col(College.code) == college, col(College.name).contains(college)))
    if major:
        having = select(FilingEntry.filing_id).where(
            or_(col(FilingEntry.major_code) == major, col(FilingEntry.major_name).contains(major))
        )
        query = query.where(col(Filing.id).in_(having))
    if round_id:
        query = query.where(Filing.round_id == round_id)
    if after is not None:
        query = query.where(col(Filing.id) > after)
    return list(session.exec(query).all())


def approved_entries(session: Session, *, round_id: int) -> list[ApprovedEntry]:
    """The approved entries of a round's decided filings, with the catalog's name and category
    of the approved major (for a referred proposal: its new specialty code) and the program the
    approval reserved (``approved`` until the list carrying it is published). Ordered by
    college code, filing, entry. The yearly approval list is built from these. A filing still
    awaiting a referral is not decided, so not here yet."""
    rows = session.execute(
        core_select(FilingEntry, Filing, College, Major, col(Category.name))
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(College, col(College.id) == Filing.college_id)
        .join(Major, col(Major.id) == FilingEntry.major_id)
        .join(Category, col(Category.id) == Major.category_id)
        .where(
            col(Filing.round_id) == round_id,
            col(Filing.status) == FilingStatus.DECIDED,
            col(FilingEntry.decision) == Decision.APPROVED,
            # 停招 / 撤销 print in the closures annex, not as approved lines
            col(FilingEntry.kind).not_in(LIFECYCLE_KINDS),
        )
        .order_by(col(College.code), col(Filing.id), col(FilingEntry.index))
    ).all()
    return [
        ApprovedEntry(
            filing_id=f.id,
            entry_index=e.index,
            round_id=f.round_id,
            year=f.year,
            college_id=c.id,
            college_code=c.code,
            college=c.name,
            major_id=m.id,
            major_code=m.code,
            major_name=m.name,
            category=category,
            intake=e.intake,
            level=e.level or None,
            length_years=e.length_years or 0,
            kind=e.kind,
            remark=e.remark,
            public_remark=e.public_remark,
            former_name=e.former_name,
            entry_id=e.id,
            decision=Decision.APPROVED,
            decided_at=e.decided_at,
            program_id=e.program_id,
        )
        for e, f, c, m, category in rows
    ]
