"""The province's decision on out-of-catalog proposals: approving one adds the major to the
province's specialty catalog under the next free 8xxx code and approves the filed entry."""

from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit
from app.access import policy
from app.access.principal import Principal
from app.authorities.models import Authority
from app.catalog import service as catalog
from app.catalog.models import CatalogEdition, Major
from app.catalog.schemas import MajorCreate
from app.changes import snapshots
from app.clock import utcnow
from app.colleges.models import College
from app.errors import Conflict, Invalid
from app.filings.models import Filing, FilingEntry, Referral
from app.filings.review import close_if_decided, get_referral, set_decision
from app.filings.schemas import ReferralDecisionIn, ReferralPublic
from app.filings.service import locked_filing, record_event
from app.i18n import t

SPECIALTY_FIRST, SPECIALTY_LAST = 8001, 8999


def ensure_province_admin(session: Session, actor: Principal, referral: Referral) -> None:
    """The province's admins (or the superuser) decide what the province was referred."""
    policy.ensure_role(actor, "admin", msg="forbidden_role.referrals")
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
            CatalogEdition.status == "in_force",
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
    snapshots.majors(session, [major.id], "created")
    return major


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
    if referral.status != "pending":
        raise Conflict(
            error="already_decided",
            msg="already_decided.referral",
            id=referral_id,
            status=t(f"status.{referral.status}"),
        )
    if data.decision == "rejected" and not (data.reason or "").strip():
        raise Invalid({}, error="reason_required")
    if data.decision == "approved":
        major = _add_major(session, referral, filing, data)
        referral.major_id = major.id
        entry.major_id, entry.major_code = major.id, major.code
        entry.major_name = major.name
        entry.category = (data.category or referral.category).strip()
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
    audit.record(
        session,
        actor,
        action=f"referral.{data.decision}",
        target_type="referral",
        target_id=referral.id,
        before={"status": "pending"},
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
    query = _public_query().order_by(col(Referral.id)).limit(limit + 1)
    query = policy.restrict(
        query, col(Referral.authority_id), policy.governed_authorities(session, actor)
    )
    if status:
        query = query.where(col(Referral.status) == status)
    if after is not None:
        query = query.where(col(Referral.id) > after)
    return [referral_public(*row) for row in session.execute(query).all()]


def _public_query():
    return (
        core_select(Referral, FilingEntry, col(College.code), col(Authority.code), col(Major.code))
        .join(FilingEntry, col(FilingEntry.id) == Referral.entry_id)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(College, col(College.id) == Filing.college_id)
        .join(Authority, col(Authority.id) == Referral.authority_id)
        .outerjoin(Major, col(Major.id) == Referral.major_id)
    )


def referral_public(
    r: Referral, e: FilingEntry, college: str, authority: str, code: str | None
) -> ReferralPublic:
    assert r.id is not None
    return ReferralPublic(
        id=r.id,
        filing=e.filing_id,
        entry_index=e.index,
        college=college,
        authority=authority,
        proposed_name=r.proposed_name,
        category=r.category,
        status=r.status,
        reason=r.reason,
        major_code=code,
        created_at=r.created_at,
        decided_at=r.decided_at,
    )


def get_referral_public(session: Session, referral_id: int, *, actor: Principal) -> ReferralPublic:
    row = session.execute(_public_query().where(col(Referral.id) == referral_id)).first()
    if row is None:
        get_referral(session, referral_id)  # raises NotFound
    assert row is not None
    ensure_province_admin(session, actor, row[0])
    public = referral_public(*row)
    if public.status == "pending":
        edition = specialty_edition(session, row[0].authority_id, lock=False)
        public.next_code = next_free_code(session, edition)
    return public
