"""Rounds, filings, checks, spreadsheet filing, decisions and referrals (thin routes)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from app.auth import (
    AUTH_RESPONSES,
    AdminPrincipal,
    AnyPrincipal,
    Principal,
    ReviewerPrincipal,
    require_role,
)
from app.db import SessionDep
from app.filings import importer, referrals, review, rounds, service, views
from app.filings.schemas import (
    DecisionIn,
    FilingCreate,
    FilingPublic,
    FilingSummary,
    FilingUpdate,
    ReferralDecisionIn,
    ReferralPublic,
    RoundCreate,
    RoundPublic,
    ValidateRequest,
    ValidationResult,
    VersionIn,
)
from app.pagination import Page, PageParams, decode_cursor, page_of, page_params

router = APIRouter(prefix="/api/v1")
Pages = Annotated[PageParams, Depends(page_params)]
FilerPrincipal = Annotated[Principal, Depends(require_role("college", "admin"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _after(pages: PageParams) -> int | None:
    key = decode_cursor(pages.cursor)
    return int(key[0]) if key else None


@router.post(
    "/rounds",
    tags=["rounds"],
    status_code=201,
    response_model=RoundPublic,
    responses=AUTH_RESPONSES,
)
def create_round(data: RoundCreate, session: SessionDep, actor: AdminPrincipal) -> RoundPublic:
    created = rounds.create_round(session, data, actor=actor)
    return rounds.get_round_public(session, created.id or 0)


@router.get("/rounds", tags=["rounds"], response_model=Page[RoundPublic])
def list_rounds(
    session: SessionDep, pages: Pages, authority: str | None = None, year: int | None = None
) -> Page[RoundPublic]:
    rows = rounds.list_rounds(
        session, authority=authority, year=year, after=_after(pages), limit=pages.limit
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r.id])
    return Page(items=items, next=next_cursor)


@router.post(
    "/filings/validate", tags=["filings"], response_model=ValidationResult, responses=AUTH_RESPONSES
)
def validate(data: ValidateRequest, session: SessionDep, actor: AnyPrincipal) -> ValidationResult:
    """Dry run: checks every entry as a spreadsheet row, stores nothing."""
    return service.validate(session, data, actor=actor)


@router.get("/filings/template.{fmt}", tags=["filings"])
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
    college: Annotated[str | None, Form(description="college code")] = None,
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
    return views.filing_public(session, filing)


@router.post(
    "/filings",
    tags=["filings"],
    status_code=201,
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def create_filing(data: FilingCreate, session: SessionDep, actor: FilerPrincipal) -> FilingPublic:
    return views.filing_public(session, service.create_filing(session, data, actor=actor))


@router.get(
    "/filings", tags=["filings"], response_model=Page[FilingSummary], responses=AUTH_RESPONSES
)
def list_filings(
    session: SessionDep,
    actor: AnyPrincipal,
    pages: Pages,
    status: str | None = None,
    year: int | None = None,
    college: str | None = None,
) -> Page[FilingSummary]:
    rows = service.list_filings(
        session,
        actor=actor,
        status=status,
        year=year,
        college=college,
        after=_after(pages),
        limit=pages.limit,
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r[0].id])
    return Page(items=[views.summary(f, c) for f, c in items], next=next_cursor)


@router.get(
    "/filings/{filing_id}", tags=["filings"], response_model=FilingPublic, responses=AUTH_RESPONSES
)
def get_filing(filing_id: int, session: SessionDep, actor: AnyPrincipal) -> FilingPublic:
    return views.filing_public(session, service.get_filing(session, filing_id, actor=actor))


@router.put(
    "/filings/{filing_id}",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES | {409: {"description": "stale_version or not_draft"}},
)
def update_filing(
    filing_id: int, data: FilingUpdate, session: SessionDep, actor: FilerPrincipal
) -> FilingPublic:
    return views.filing_public(
        session, service.update_filing(session, filing_id, data, actor=actor)
    )


@router.post(
    "/filings/{filing_id}/submit",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES | {409: {"description": "filing_has_errors, round_closed"}},
)
def submit_filing(
    filing_id: int, session: SessionDep, actor: FilerPrincipal, data: VersionIn | None = None
) -> FilingPublic:
    filing = service.submit_filing(session, filing_id, data or VersionIn(), actor=actor)
    return views.filing_public(session, filing)


@router.post(
    "/filings/{filing_id}/withdraw",
    tags=["filings"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def withdraw_filing(
    filing_id: int,
    session: SessionDep,
    actor: FilerPrincipal,
    data: VersionIn | None = None,
    reason: Annotated[str | None, Query(max_length=1000)] = None,
) -> FilingPublic:
    filing = service.withdraw_filing(
        session, filing_id, data or VersionIn(), actor=actor, reason=reason
    )
    return views.filing_public(session, filing)


@router.post(
    "/filings/{filing_id}/entries/{index}/decision",
    tags=["review"],
    response_model=FilingPublic,
    responses=AUTH_RESPONSES,
)
def decide_entry(
    filing_id: int, index: int, data: DecisionIn, session: SessionDep, actor: ReviewerPrincipal
) -> FilingPublic:
    filing = review.decide_entry(session, filing_id, index, data, actor=actor)
    return views.filing_public(session, filing)


@router.get(
    "/referrals", tags=["review"], response_model=Page[ReferralPublic], responses=AUTH_RESPONSES
)
def list_referrals(
    session: SessionDep, actor: AdminPrincipal, pages: Pages, status: str | None = None
) -> Page[ReferralPublic]:
    rows = referrals.list_referrals(
        session, actor=actor, status=status, after=_after(pages), limit=pages.limit
    )
    items, next_cursor = page_of(rows, pages.limit, lambda r: [r.id])
    return Page(items=items, next=next_cursor)


@router.get(
    "/referrals/{referral_id}",
    tags=["review"],
    response_model=ReferralPublic,
    responses=AUTH_RESPONSES,
)
def get_referral(referral_id: int, session: SessionDep, actor: AdminPrincipal) -> ReferralPublic:
    return referrals.get_referral_public(session, referral_id, actor=actor)


@router.post(
    "/referrals/{referral_id}/decision",
    tags=["review"],
    response_model=ReferralPublic,
    responses=AUTH_RESPONSES,
)
def decide_referral(
    referral_id: int, data: ReferralDecisionIn, session: SessionDep, actor: AdminPrincipal
) -> ReferralPublic:
    referral = referrals.decide_referral(session, referral_id, data, actor=actor)
    return referrals.get_referral_public(session, referral.id or 0, actor=actor)
