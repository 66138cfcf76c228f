"""Rounds, filings, checks, spreadsheet filing, decisions and referrals (thin routes)."""

from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from app.access.deps import (
    AUTH_RESPONSES,
    AdminPrincipal,
    AnyPrincipal,
    FilerPrincipal,
    ReviewerPrincipal,
)
from app.db.depends import SessionDep
from app.fields import DB_INT_MAX
from app.filings import importer, presenters, referrals, review, rounds, service, summary
from app.filings.schemas import (
    BulkDecisionIn,
    DecisionIn,
    FilingCreate,
    FilingPublic,
    FilingSummary,
    FilingUpdate,
    ReferralDecisionIn,
    ReferralPublic,
    RoundClose,
    RoundCreate,
    RoundPublic,
    RoundUpdate,
    ValidateRequest,
    ValidationResult,
    VersionIn,
)
from app.pagination import Page, page_of
from app.params import EntryIndex, FormCollege, IdPage, IdPath, YearQuery

router = APIRouter(prefix="/api/v1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bureau_zone(request: Request) -> ZoneInfo:
    """The bureau's time zone (setting REGISTRY_TIMEZONE): deadlines are typed and read in it."""
    return request.app.state.settings.zone


Zone = Annotated[ZoneInfo, Depends(bureau_zone)]
ROUND_ERRORS = AUTH_RESPONSES | {404: {"description": "round_not_found"}}


@router.post(
    "/rounds",
    tags=["rounds"],
    status_code=201,
    response_model=RoundPublic,
    responses=AUTH_RESPONSES,
)
def create_round(
    data: RoundCreate, session: SessionDep, actor: AdminPrincipal, zone: Zone
) -> RoundPublic:
    """Open a round. A date-only `closes_at` (`2026-03-31`) closes at 24:00 of that day in the
    bureau's time zone; a date-only `opens_at` opens at 00:00 there."""
    created = rounds.create_round(session, data, actor=actor, zone=zone)
    return rounds.get_round_public(session, created.id or 0, zone=zone)


@router.get("/rounds", tags=["rounds"], response_model=Page[RoundPublic])
def list_rounds(
    session: SessionDep,
    pages: IdPage,
    zone: Zone,
    authority: str | None = None,
    year: YearQuery = None,
) -> Page[RoundPublic]:
    rows = rounds.list_rounds(
        session, zone=zone, authority=authority, year=year, after=pages.after, limit=pages.limit
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r.id])
    return Page(items=items, next=next_cursor)


@router.get(
    "/rounds/{round_id:int}", tags=["rounds"], response_model=RoundPublic, responses=ROUND_ERRORS
)
def get_round(round_id: IdPath, session: SessionDep, zone: Zone) -> RoundPublic:
    """One round: its window (UTC and local), editions in force, and whether it is open now."""
    return rounds.get_round_public(session, round_id, zone=zone)


@router.get(
    "/rounds/{round_id:int}/summary",
    tags=["rounds"],
    response_model=summary.RoundSummary,
    responses=ROUND_ERRORS,
)
def round_summary(
    round_id: IdPath, session: SessionDep, actor: ReviewerPrincipal, zone: Zone
) -> summary.RoundSummary:
    """The round in figures (colleges, filings, entries filed, approved, rejected, referred and
    the province's outcome, withdrawn, undecided), per college, and the notice's opening
    sentence generated from them (`paragraph`). Admins and reviewers of its authority."""
    return summary.round_summary(session, round_id, actor=actor, zone=zone)


@router.patch(
    "/rounds/{round_id:int}", tags=["rounds"], response_model=RoundPublic, responses=ROUND_ERRORS
)
def update_round(
    round_id: IdPath, data: RoundUpdate, session: SessionDep, actor: AdminPrincipal, zone: Zone
) -> RoundPublic:
    """Edit the title, window (extend, shorten, reopen) or editions; audited with the reason."""
    rounds.update_round(session, round_id, data, actor=actor, zone=zone)
    return rounds.get_round_public(session, round_id, zone=zone)


@router.post(
    "/rounds/{round_id:int}/close",
    tags=["rounds"],
    response_model=RoundPublic,
    responses=ROUND_ERRORS | {409: {"description": "round_already_closed"}},
)
def close_round(
    round_id: IdPath,
    session: SessionDep,
    actor: AdminPrincipal,
    zone: Zone,
    data: RoundClose | None = None,
) -> RoundPublic:
    """Close the round now, before its deadline (audited with the reason)."""
    rounds.close_round(session, round_id, data or RoundClose(), actor=actor)
    return rounds.get_round_public(session, round_id, zone=zone)


@router.post(
    "/filings/validate", tags=["filings"], response_model=ValidationResult, responses=AUTH_RESPONSES
)
def validate(data: ValidateRequest, session: SessionDep, actor: AnyPrincipal) -> ValidationResult:
    """Dry run: checks every entry as a spreadsheet row, stores nothing."""
    return service.validate(session, data, actor=actor)


@router.get(
    "/filings/template.{fmt}",
    tags=["filings"],
    responses={200: {"content": {"text/csv": {}, XLSX: {}}, "description": "CSV or XLSX"}},
)
def template(fmt: Literal["xlsx", "csv"]) -> Response:
    """The empty filing template (published-list layout)."""
    body = importer.template_xlsx() if fmt == "xlsx" else importer.template_csv()
    media = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="filing-template.{fmt}"'}
    return Response(body, media_type=media, headers=headers)


@router.post(
    "/filings/import",
    tags=["filings"],
    status_code=201,
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def import_filing(
    request: Request,
    session: SessionDep,
    actor: FilerPrincipal,
    file: Annotated[UploadFile, File(description="XLSX or CSV (UTF-8, BOM, GBK)")],
    year: Annotated[int, Form(ge=1949, le=2100)],
    college: FormCollege = None,
) -> FilingPublic:
    filing = importer.import_filing(
        session,
        file.file.read(),
        filename=file.filename or "",
        year=year,
        college_code=college,
        actor=actor,
        max_rows=request.app.state.settings.max_upload_rows,
    )
    return presenters.filing_public(session, filing)


@router.post(
    "/filings",
    tags=["filings"],
    status_code=201,
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def create_filing(data: FilingCreate, session: SessionDep, actor: FilerPrincipal) -> FilingPublic:
    return presenters.filing_public(session, service.create_filing(session, data, actor=actor))


@router.get(
    "/filings", tags=["filings"], response_model=Page[FilingSummary], responses=AUTH_RESPONSES
)
def list_filings(
    session: SessionDep,
    actor: AnyPrincipal,
    pages: IdPage,
    status: Annotated[str | None, Query(description="draft submitted decided withdrawn")] = None,
    year: YearQuery = None,
    college: Annotated[str | None, Query(description="a college code or part of its name")] = None,
    major: Annotated[str | None, Query(description="a major code or part of a filed name")] = None,
    round: Annotated[int | None, Query(ge=1, le=DB_INT_MAX, description="a round id")] = None,
) -> Page[FilingSummary]:
    """The filings you may see, with counts (entries, errors, warnings, undecided)."""
    rows = service.list_filings(
        session,
        actor=actor,
        status=status,
        year=year,
        college=college,
        major=major,
        round_id=round,
        after=pages.after,
        limit=pages.limit,
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r[0].id])
    return Page(items=presenters.summaries(session, items), next=next_cursor)


@router.get(
    "/filings/{filing_id:int}",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def get_filing(filing_id: IdPath, session: SessionDep, actor: AnyPrincipal) -> FilingPublic:
    return presenters.filing_public(session, service.get_filing(session, filing_id, actor=actor))


@router.put(
    "/filings/{filing_id:int}",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES | {409: {"description": "stale_version or not_draft"}},
)
def update_filing(
    filing_id: IdPath, data: FilingUpdate, session: SessionDep, actor: FilerPrincipal
) -> FilingPublic:
    return presenters.filing_public(
        session, service.update_filing(session, filing_id, data, actor=actor)
    )


@router.post(
    "/filings/{filing_id:int}/submit",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES | {409: {"description": "filing_has_errors, round_closed"}},
)
def submit_filing(
    filing_id: IdPath,
    session: SessionDep,
    actor: FilerPrincipal,
    zone: Zone,
    data: VersionIn | None = None,
) -> FilingPublic:
    filing = service.submit_filing(session, filing_id, data or VersionIn(), actor=actor, zone=zone)
    return presenters.filing_public(session, filing)


@router.post(
    "/filings/{filing_id:int}/withdraw",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def withdraw_filing(
    filing_id: IdPath,
    session: SessionDep,
    actor: FilerPrincipal,
    data: VersionIn | None = None,
    reason: Annotated[str | None, Query(max_length=1000)] = None,
) -> FilingPublic:
    filing = service.withdraw_filing(
        session, filing_id, data or VersionIn(), actor=actor, reason=reason
    )
    return presenters.filing_public(session, filing)


@router.post(
    "/filings/{filing_id:int}/entries/{index:int}/decision",
    tags=["review"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def decide_entry(
    filing_id: IdPath,
    index: EntryIndex,
    data: DecisionIn,
    session: SessionDep,
    actor: ReviewerPrincipal,
) -> FilingPublic:
    """Decide one entry, or change its decision while the filing is under review (the earlier
    decision stays in `history`)."""
    filing = review.decide_entry(session, filing_id, index, data, actor=actor)
    return presenters.filing_public(session, filing)


@router.post(
    "/filings/{filing_id:int}/decisions",
    tags=["review"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES | {409: {"description": "not_under_review, referral_decided"}},
)
def decide_entries(
    filing_id: IdPath, data: BulkDecisionIn, session: SessionDep, actor: ReviewerPrincipal
) -> FilingPublic:
    """Several decisions at once, all or nothing: one refused decision refuses them all."""
    filing = review.decide_entries(session, filing_id, data, actor=actor)
    return presenters.filing_public(session, filing)


@router.get(
    "/referrals", tags=["review"], response_model=Page[ReferralPublic], responses=AUTH_RESPONSES
)
def list_referrals(
    session: SessionDep, actor: ReviewerPrincipal, pages: IdPage, status: str | None = None
) -> Page[ReferralPublic]:
    """Every referral on the caller's path: those its city referred (to follow the province's
    outcome) and those its province decides."""
    rows = referrals.list_referrals(
        session, actor=actor, status=status, after=pages.after, limit=pages.limit
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r.id])
    return Page(items=items, next=next_cursor)


@router.get(
    "/referrals/{referral_id:int}",
    tags=["review"],
    response_model=ReferralPublic,
    responses=AUTH_RESPONSES,
)
def get_referral(
    referral_id: IdPath, session: SessionDep, actor: ReviewerPrincipal
) -> ReferralPublic:
    return referrals.get_referral_public(session, referral_id, actor=actor)


@router.post(
    "/referrals/{referral_id:int}/decision",
    tags=["review"],
    response_model=ReferralPublic,
    responses=AUTH_RESPONSES,
)
def decide_referral(
    referral_id: IdPath, data: ReferralDecisionIn, session: SessionDep, actor: AdminPrincipal
) -> ReferralPublic:
    referral = referrals.decide_referral(session, referral_id, data, actor=actor)
    return referrals.get_referral_public(session, referral.id or 0, actor=actor)
