"""The province's decision on out-of-catalog proposals: approving one adds the major to the
province's specialty catalog under the next free 8xxx code and approves the filed entry."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import writes
from app.access import policy
from app.access.principal import Principal, Role
from app.authorities.models import Authority
from app.catalog import service as catalog
from app.catalog import snapshots
from app.catalog.models import CatalogEdition, Major
from app.catalog.schemas import MajorCreate
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid
from app.filings.models import Filing, FilingEntry, FilingEvent, Referral
from app.filings.review import close_if_decided, get_referral, set_decision
from app.filings.schemas import ReferralDecisionIn, ReferralPublic
from app.filings.service import locked_filing, record_event
from app.i18n import t
from app.vocab import Decision, EditionStatus, ReferralStatus

SPECIALTY_FIRST, SPECIALTY_LAST = 8001, 8999


def ensure_province_admin(session: Session, actor: Principal, referral: Referral) -> None:
    """The province's admins (or the superuser) decide what the province was referred."""
    policy.ensure_role(actor, Role.ADMIN, msg="forbidden_role.referrals")
    policy.ensure_governs(session, actor, referral.authority_id, msg="not_your_authority.referral")


def specialty_edition(session: Session, authority_id: int, *, lock: bool) -> CatalogEdition:
    """The province's specialty catalog, row-locked on PostgreSQL: the lock serialises code
    allocation (SQLite writers are already serialised by BEGIN IMMEDIATE)."""
    authority = session.get(Authority, authority_id)
    assert authority is not None
    query = (
        select(CatalogEdition)
        .where(
            CatalogEdition.kind == "provincial",
            CatalogEdition.province == authority.province,
            CatalogEdition.system == authority.system,
            CatalogEdition.status == EditionStatus.IN_FORCE,
        )
        .order_by(col(CatalogEdition.id))
    )
    edition = session.exec(query.with_for_update() if lock else query).first()
    if edition is None:
        raise Conflict(error="no_specialty_catalog", province=authority.province)
    return edition


def next_free_code(session: Session, edition: CatalogEdition) -> str:
    """max + 1 of the edition's 8xxx codes (8001 for an empty catalog)."""
    codes = session.exec(
        select(Major.code).where(Major.edition_id == edition.id, col(Major.code).like("8___"))
    ).all()
    numbers = [int(c) for c in codes if c.isdigit()]
    code = max(numbers, default=SPECIALTY_FIRST - 1) + 1
    if code > SPECIALTY_LAST:
        raise Conflict(error="no_free_code", edition=edition.key)
    return str(code)


def _add_major(
    session: Session, referral: Referral, filing: Filing, data: ReferralDecisionIn
) -> Major:
    edition = specialty_edition(session, referral.authority_id, lock=True)
    college = session.get(College, filing.college_id)
    category = (data.category or referral.category).strip()
    if not category:
        raise Invalid(error="category_required")
    code = next_free_code(session, edition)
    if data.code and data.code != code:
        # the page showed a code before the admin confirmed; another approval took it since
        raise Conflict(
            {"shown": data.code, "next_code": code},
            error="code_changed",
            shown=data.code,
            code=code,
        )
    major_data = MajorCreate(
        code=code,
        name=(data.name or referral.proposed_name).strip(),
        category=category,
        added_year=filing.year,
    )
    assert edition.id is not None
    major = catalog.new_major(
        edition.id,
        catalog.category_id(session, edition, category),
        major_data,
        proposed_by=college.name if college else None,
    )
    session.add(major)
    try:
        with session.begin_nested():
            session.flush()  # the unique (edition, code) constraint is the last guard
    except IntegrityError as exc:
        raise Conflict(error="code_taken") from exc
    assert major.id is not None
    writes.changed(session, snapshots.majors([major.id], "created"))
    return major


def approved_findings(findings: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """The entry's findings once the province gave its proposal a code: the "no code, out of
    catalog" finding (its check ran before) gives way to a stored ``referral.approved`` one, so
    the clerk's row, the reviewer's and the API all say what happened (issue 25 item 3)."""
    kept = [f for f in findings if not str(f.get("code", "")).startswith("major.out_of_catalog")]
    given = {
        "code": "referral.approved",
        "severity": "info",
        "field": "major_code",
        "message": t("referral.approved", code=code),
        "suggestion": None,
    }
    return [*kept, given]


def decide_referral(
    session: Session, referral_id: int, data: ReferralDecisionIn, *, actor: Principal
) -> Referral:
    # Lock the filing before the referral: a reviewer changing the entry's decision locks in
    # the same order (filing, then referral), so the two never wait on each other.
    referral = get_referral(session, referral_id)
    ensure_province_admin(session, actor, referral)
    entry = session.get(FilingEntry, referral.entry_id)
    assert entry is not None
    filing = locked_filing(session, entry.filing_id)
    session.refresh(referral, with_for_update=True)
    session.refresh(entry)
    if referral.status != ReferralStatus.PENDING:
        raise Conflict(
            error="already_decided",
            msg="already_decided.referral",
            id=referral_id,
            status=t(f"status.{referral.status}"),
        )
    if data.decision == Decision.REJECTED and not (data.reason or "").strip():
        raise Invalid({}, error="reason_required")
    if data.decision == Decision.APPROVED:
        major = _add_major(session, referral, filing, data)
        referral.major_id = major.id
        entry.major_id, entry.major_code = major.id, major.code
        entry.major_name = major.name
        entry.category = (data.category or referral.category).strip()
        entry.findings = approved_findings(entry.findings, major.code)
    referral.status, referral.reason = data.decision, data.reason
    referral.decided_by, referral.decided_at = actor.name, utcnow()
    set_decision(entry, data.decision, actor, data.reason)
    session.add_all([referral, entry])
    session.flush()
    after: dict[str, object] = {
        "decision": data.decision,
        "name": entry.major_name,
        "major_code": entry.major_code if referral.major_id else None,
    }
    record_event(
        session,
        filing,
        actor,
        f"referral.{data.decision}",
        entry_index=entry.index,
        detail=after,
        reason=data.reason,
    )
    after["filing_decided"] = close_if_decided(session, filing, actor)
    writes.record(
        session,
        actor,
        action=f"referral.{data.decision}",
        target_type="referral",
        target_id=referral.id,
        before={"status": ReferralStatus.PENDING},
        after=after,
        reason=data.reason,
        authority_id=referral.authority_id,
    )
    return referral


def next_code_preview(session: Session, referral_id: int, *, actor: Principal) -> str:
    """The code an approval would give now (shown before the admin confirms; approving with
    ``code`` set refuses with 409 code_changed if another approval took it meanwhile)."""
    referral = get_referral(session, referral_id)
    ensure_province_admin(session, actor, referral)
    return next_free_code(session, specialty_edition(session, referral.authority_id, lock=False))


def list_referrals(
    session: Session,
    *,
    actor: Principal,
    status: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[ReferralPublic]:
    """The referrals on the actor's path: those its city sent up and those its province decides
    (``policy.can_see_referral``), oldest first."""
    query = _public_query().order_by(col(Referral.id)).limit(limit + 1)
    query = policy.visible_referrals(
        session,
        actor,
        query,
        filing_authority=col(Filing.authority_id),
        province=col(Referral.authority_id),
    )
    if status:
        query = query.where(col(Referral.status) == status)
    if after is not None:
        query = query.where(col(Referral.id) > after)
    rows = session.execute(query).all()
    reasons = _referring_reasons(session, [row[1] for row in rows])
    decides = policy.referral_decider(session, actor)
    return [_public(row, reasons, decides) for row in rows]


def _public_query() -> Select[*tuple[Any, ...]]:
    city = aliased(Authority)
    return (
        core_select(
            Referral,
            FilingEntry,
            col(Filing.authority_id),
            col(College.code),
            col(College.name),
            col(Authority.code),
            col(Authority.name),
            col(city.code),
            col(city.name),
            col(Major.code),
        )
        .join(FilingEntry, col(FilingEntry.id) == Referral.entry_id)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(College, col(College.id) == Filing.college_id)
        .join(Authority, col(Authority.id) == Referral.authority_id)
        .outerjoin(city, col(city.id) == Filing.authority_id)
        .outerjoin(Major, col(Major.id) == Referral.major_id)
    )


def _referring_reasons(
    session: Session, entries: list[FilingEntry]
) -> dict[tuple[int, int], tuple[str, str | None]]:
    """(filing, entry index) → (who, reason) of the last ``entry.referred`` event: the entry's
    own ``decision_reason`` is the province's once it decides."""
    filing_ids = {e.filing_id for e in entries}
    if not filing_ids:
        return {}
    events = session.exec(
        select(FilingEvent)
        .where(col(FilingEvent.filing_id).in_(filing_ids), FilingEvent.action == "entry.referred")
        .order_by(col(FilingEvent.id))
    ).all()
    return {(ev.filing_id, ev.entry_index or 0): (ev.actor, ev.reason) for ev in events}


def _public(
    row: Any,
    reasons: dict[tuple[int, int], tuple[str, str | None]],
    decides: Callable[[int], bool],
) -> ReferralPublic:
    r, e, _city_id, college, college_name, province, province_name, city, city_name, code = row
    assert r.id is not None
    referred_by, referred_reason = reasons.get((e.filing_id, e.index), (None, None))
    return ReferralPublic(
        id=r.id,
        filing=e.filing_id,
        entry_index=e.index,
        entry_row=e.row if e.row is not None else e.index + 1,
        college=college,
        college_name=college_name,
        authority=province,
        authority_name=province_name,
        referred_from=city,
        referred_from_name=city_name,
        referred_by=referred_by,
        referred_reason=referred_reason,
        proposed_name=r.proposed_name,
        category=r.category,
        intake=e.intake,
        level=e.level or None,
        length_years=e.length_years,
        remark=e.remark,
        status=r.status,
        reason=r.reason,
        major_code=code,
        created_at=r.created_at,
        decided_at=r.decided_at,
        decided_by=r.decided_by,
        can_decide=r.status == ReferralStatus.PENDING and decides(r.authority_id),
    )


def get_referral_public(session: Session, referral_id: int, *, actor: Principal) -> ReferralPublic:
    """One referral for anyone on its path (403 for the others); ``next_code`` only for those
    who may decide it while it is pending."""
    row = session.execute(_public_query().where(col(Referral.id) == referral_id)).first()
    if row is None:
        get_referral(session, referral_id)  # raises NotFound
    assert row is not None
    policy.ensure_see_referral(
        session, actor, filing_authority_id=row[2], province_id=row[0].authority_id
    )
    decides = policy.referral_decider(session, actor)
    public = _public(row, _referring_reasons(session, [row[1]]), decides)
    if public.can_decide:
        edition = specialty_edition(session, row[0].authority_id, lock=False)
        public.next_code = next_free_code(session, edition)
    return public
