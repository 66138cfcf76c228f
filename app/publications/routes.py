"""Approval lists, their downloads, diffs and statistics; also mounts the programs exports.

Included first in ``app.main`` so that literal paths (``/programs.csv``, ``/publications/diff``)
win over the path parameters of other routers; within this router literal routes come first."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from fastapi.responses import RedirectResponse, StreamingResponse

from app import exporting
from app.auth import AUTH_RESPONSES, AdminPrincipal, OptionalPrincipal
from app.db import SessionDep
from app.pagination import Page, PageParams, decode_cursor, page_of, page_params
from app.programs.export import router as programs_export_router
from app.publications import corrections, export, service, stats, views
from app.publications import diff as diffs
from app.publications.models import Publication
from app.publications.schemas import (
    CorrectionIn,
    LinesIn,
    PublicationCreate,
    PublicationMeta,
    PublicationPublic,
    PublicationSummary,
    PublishResult,
    SpecialtiesIn,
)

router = APIRouter(prefix="/api/v1", tags=["publications"])
router.include_router(programs_export_router)


BomQuery = Annotated[bool, Query(description="false: no UTF-8 BOM (Excel needs one)")]
CSV_DOC: dict[int | str, dict] = {
    200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 with BOM, CRLF)"}
}
XLSX_DOC: dict[int | str, dict] = {
    200: {"content": {exporting.XLSX_MEDIA: {}}, "description": "XLSX, codes as text"}
}
WRITE_DOC: dict[int | str, dict] = {**AUTH_RESPONSES, 404: {}, 409: {}}


def _headers(names: tuple[str, str], publication: Publication | None) -> dict[str, str]:
    """Download name, and for a published list the checksum of its canonical CSV."""
    checksum = publication.checksum if publication else None
    extra = {"X-Checksum-SHA256": checksum} if checksum else {}
    return exporting.download_headers(*names, **extra)


def _csv(body: bytes, names: tuple[str, str], publication: Publication | None = None) -> Response:
    return Response(body, media_type=exporting.CSV_MEDIA, headers=_headers(names, publication))


def _xlsx(body, names: tuple[str, str], publication: Publication | None = None) -> Response:
    headers = _headers(names, publication)
    return StreamingResponse(body, media_type=exporting.XLSX_MEDIA, headers=headers)


# --- literal paths first -------------------------------------------------------------------

FromQuery = Annotated[str, Query(alias="from", description="revision id, `year:2024` or a series")]
ToQuery = Annotated[str, Query(description="revision id, `year:2025` or a series")]
AuthorityQuery = Annotated[str | None, Query(description="authority code (narrows `year:`)")]


@router.get("/publications/diff", response_model=diffs.DiffResult, responses=CSV_DOC)
def diff_publications(
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
    format: Literal["json", "csv"] = "json",
    bom: BomQuery = True,
):
    """Lines added, removed and changed between two revisions or two years."""
    result = diffs.diff(session, principal, from_ref=from_, to_ref=to, authority=authority)
    if format == "csv":
        return diff_csv_response(result, bom)
    return result


def diff_csv_response(result: diffs.DiffResult, bom: bool) -> Response:
    body = exporting.csv_text(diffs.CSV_HEADER, diffs.rows(result), bom=bom)
    return _csv(body, ("新增专业名单对比.csv", "publications-diff.csv"))


@router.get("/publications/diff.csv", response_class=Response, responses=CSV_DOC)
def diff_publications_csv(
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
    bom: BomQuery = True,
):
    result = diffs.diff(session, principal, from_ref=from_, to_ref=to, authority=authority)
    return diff_csv_response(result, bom)


@router.get("/publications/diff.xlsx", response_class=Response, responses=XLSX_DOC)
def diff_publications_xlsx(
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
):
    result = diffs.diff(session, principal, from_ref=from_, to_ref=to, authority=authority)
    return _xlsx(diffs.xlsx(result), ("新增专业名单对比.xlsx", "publications-diff.xlsx"))


@router.get("/statistics/approvals", response_model=stats.ApprovalStats)
def approval_statistics(
    session: SessionDep,
    year: int | None = None,
    authority: AuthorityQuery = None,
    system: Literal["technician", "secondary"] | None = None,
):
    """Approved offerings (lines of current published revisions) by year, category, level,
    intake and college."""
    return stats.approvals(session, year=year, authority=authority, system=system)


@router.get(
    "/programs/{program_id:int}/approvals",
    response_model=Page[PublicationSummary],
    responses={404: {}},
)
def program_approvals(session: SessionDep, program_id: int):
    """The published lists (revisions) that approve a program."""
    return Page(items=views.approvals_of_program(session, program_id), next=None)


@router.get("/publications", response_model=Page[PublicationSummary])
def list_publications(
    session: SessionDep,
    principal: OptionalPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    year: int | None = None,
    series: str | None = None,
    authority: AuthorityQuery = None,
    status: Literal["draft", "published"] | None = None,
):
    """Newest first. Without an admin or reviewer token: published revisions only."""
    key = decode_cursor(page.cursor)
    rows = views.list_publications(
        session,
        principal,
        year=year,
        series=series,
        authority=authority,
        status=status,
        after=int(key[0]) if key else None,
        limit=page.limit,
    )
    items, nxt = page_of(rows, page.limit, lambda p: [p.id])
    return Page(items=items, next=nxt)


@router.post(
    "/publications",
    response_model=PublicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_DOC, 422: {}},
)
def create_publication(session: SessionDep, data: PublicationCreate, actor: AdminPrincipal):
    """Draft a list from a round's approved entries (`round_id`) or from `lines`."""
    return views.public(session, service.create_draft(session, data, actor=actor))


@router.get(
    "/publications/{series}/latest",
    response_model=PublicationPublic,
    responses={404: {}},
)
def latest_publication(session: SessionDep, series: str):
    """The newest published revision of a list (the default); older ones keep their URL."""
    return views.public(session, views.latest_of(session, series))


@router.get("/publications/{series}/latest.{ext}", responses={307: {}, 404: {}})
def latest_publication_file(session: SessionDep, series: str, ext: Literal["csv", "xlsx"]):
    """Redirects to the newest revision's permanent download."""
    latest = views.latest_of(session, series)
    return RedirectResponse(f"{views.API}/{latest.id}.{ext}", status_code=307)


# --- one revision ----------------------------------------------------------------------------


@router.get(
    "/publications/{publication_id:int}.csv",
    response_class=Response,
    responses={**CSV_DOC, 404: {}},
)
def publication_csv(
    session: SessionDep, principal: OptionalPrincipal, publication_id: int, bom: BomQuery = True
):
    """附件1 in the official layout; `X-Checksum-SHA256` is the SHA-256 of the default download."""
    publication = views.get_visible(session, publication_id, principal)
    body = export.lines_csv(service.lines_of(session, publication_id), bom=bom)
    return _csv(body, export.file_names(publication, "csv"), publication)


@router.get(
    "/publications/{publication_id:int}.xlsx",
    response_class=Response,
    responses={**XLSX_DOC, 404: {}},
)
def publication_xlsx(session: SessionDep, principal: OptionalPrincipal, publication_id: int):
    """附件1 and 附件2 as two sheets, codes stored as text."""
    publication = views.get_visible(session, publication_id, principal)
    body = export.lines_xlsx(
        service.lines_of(session, publication_id), service.specialties_of(session, publication_id)
    )
    return _xlsx(body, export.file_names(publication, "xlsx"), publication)


@router.get(
    "/publications/{publication_id:int}/specialties.csv",
    response_class=Response,
    responses={**CSV_DOC, 404: {}},
)
def publication_specialties_csv(
    session: SessionDep, principal: OptionalPrincipal, publication_id: int, bom: BomQuery = True
):
    """附件2: the specialty majors the province granted that year."""
    publication = views.get_visible(session, publication_id, principal)
    body = export.specialties_csv(service.specialties_of(session, publication_id), bom=bom)
    return _csv(body, export.file_names(publication, "csv", "specialties"))


@router.get(
    "/publications/{publication_id:int}", response_model=PublicationPublic, responses={404: {}}
)
def get_publication(session: SessionDep, principal: OptionalPrincipal, publication_id: int):
    """One revision, at a permanent URL: entries numbered as printed, and 附件2."""
    return views.public(session, views.get_visible(session, publication_id, principal))


@router.patch(
    "/publications/{publication_id:int}", response_model=PublicationPublic, responses=WRITE_DOC
)
def update_publication(
    session: SessionDep, publication_id: int, data: PublicationMeta, actor: AdminPrincipal
):
    """Title, document number, date — while a draft (a published list: 409 `published`)."""
    return views.public(session, service.update_meta(session, publication_id, data, actor=actor))


@router.put(
    "/publications/{publication_id:int}/lines",
    response_model=PublicationPublic,
    responses={**WRITE_DOC, 422: {}},
)
def replace_lines(session: SessionDep, publication_id: int, data: LinesIn, actor: AdminPrincipal):
    """Replace a draft's lines (in order of publication)."""
    return views.public(session, service.replace_lines(session, publication_id, data, actor=actor))


@router.put(
    "/publications/{publication_id:int}/specialties",
    response_model=PublicationPublic,
    responses=WRITE_DOC,
)
def replace_specialties(
    session: SessionDep, publication_id: int, data: SpecialtiesIn, actor: AdminPrincipal
):
    """Replace a draft's 附件2."""
    publication = service.replace_specialties(session, publication_id, data, actor=actor)
    return views.public(session, publication)


@router.delete(
    "/publications/{publication_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_DOC,
)
def delete_publication(session: SessionDep, publication_id: int, actor: AdminPrincipal):
    """Discard a draft (a published list: 409)."""
    service.delete_draft(session, publication_id, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/publications/{publication_id:int}/publish", response_model=PublishResult, responses=WRITE_DOC
)
def publish_publication(session: SessionDep, publication_id: int, actor: AdminPrincipal):
    """Freeze the list and store its checksum; publishing twice: 409 `published`."""
    publication, linked = service.publish(session, publication_id, actor=actor)
    return PublishResult(**views.public(session, publication).model_dump(), linked_programs=linked)


@router.post(
    "/publications/{publication_id:int}/corrections",
    response_model=PublicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_DOC,
)
def correct_publication(
    session: SessionDep, publication_id: int, data: CorrectionIn, actor: AdminPrincipal
):
    """A correction (勘误): a new draft revision of the list, naming this one and why."""
    return views.public(session, corrections.correct(session, publication_id, data, actor=actor))
