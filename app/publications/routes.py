"""Approval lists, their downloads, diffs and statistics.

Within this router literal segments come first: ``/publications/{series}/latest.{ext}`` must win
over ``/publications/{publication_id:int}/{annex}.{ext}`` for a series that is all digits."""

from email.utils import formatdate
from hashlib import sha256
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import RedirectResponse, StreamingResponse

from app.access.deps import AUTH_RESPONSES, AdminPrincipal, OptionalPrincipal, ReviewerPrincipal
from app.db.depends import SessionDep
from app.errors import NotFound
from app.i18n import t
from app.pagination import Page, page_of
from app.params import IdPage, IdPath, YearQuery
from app.publications import corrections, diff_answer, export, notice, presenters, service, stats
from app.publications import diff as diffs
from app.publications.layouts import ANNEX_KEYS, Annex, layout_of
from app.publications.models import Publication
from app.publications.schemas import (
    AnnounceIn,
    CorrectionIn,
    DirectionsIn,
    LinesIn,
    ObjectionIn,
    ObjectionPublic,
    ObjectionUpdate,
    ProjectsIn,
    PublicationCreate,
    PublicationMeta,
    PublicationPublic,
    PublicationSummary,
    PublishResult,
    SpecialtiesIn,
)
from app.spreadsheets import writing
from app.vocab import PublicationStatus

router = APIRouter(prefix="/api/v1", tags=["publications"])


def _zone(request: Request) -> ZoneInfo:
    """The bureau's time zone (REGISTRY_TIMEZONE): 公示 dates are its dates."""
    return request.app.state.settings.zone


Zone = Annotated[ZoneInfo, Depends(_zone)]
# A published revision's files (its permanent URLs) never change (docs/publications.md).
IMMUTABLE = "public, max-age=31536000, immutable"


BomQuery = Annotated[bool, Query(description="false: no UTF-8 BOM (Excel needs one)")]
CSV_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV (UTF-8 with BOM, CRLF)"}
}
XLSX_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {writing.XLSX_MEDIA: {}}, "description": "XLSX, codes as text"}
}
WRITE_DOC: dict[int | str, dict[str, Any]] = {**AUTH_RESPONSES, 404: {}, 409: {}}


def _headers(
    names: tuple[str, str], body: bytes, published: Publication | None = None
) -> dict[str, str]:
    """Download name, and ``X-Checksum-SHA256``: the SHA-256 of these bytes, so any download
    can be checked with ``sha256sum``. A list's stored ``checksum`` stays its canonical CSV's
    (the default ``.csv`` download: same value there). A published revision's files never
    change: they say so (``immutable``), with an ETag of their bytes and the publication time."""
    digest = sha256(body).hexdigest()
    headers = writing.download_headers(*names, **{"X-Checksum-SHA256": digest})
    if published is not None and published.status == PublicationStatus.PUBLISHED:
        headers["ETag"] = f'"{digest}"'
        headers["Cache-Control"] = IMMUTABLE
        if published.published_at is not None:
            headers["Last-Modified"] = formatdate(published.published_at.timestamp(), usegmt=True)
    return headers


def _csv(body: bytes, names: tuple[str, str], published: Publication | None = None) -> Response:
    headers = _headers(names, body, published)
    return Response(body, media_type=writing.CSV_MEDIA, headers=headers)


def _xlsx(body: bytes, names: tuple[str, str], published: Publication | None = None) -> Response:
    headers = _headers(names, body, published)
    return Response(body, media_type=writing.XLSX_MEDIA, headers=headers)


# --- literal paths first -------------------------------------------------------------------

FromQuery = Annotated[str, Query(alias="from", description="revision id, `year:2024` or a series")]
ToQuery = Annotated[str, Query(description="revision id, `year:2025` or a series")]
AuthorityQuery = Annotated[str | None, Query(description="authority code (narrows `year:`)")]
SystemQuery = Annotated[
    Literal["technician", "secondary"] | None,
    Query(
        description="the system compared or counted (default: technician when there are "
        "its lists); systems are never mixed"
    ),
]


@router.get("/publications/diff", response_model=diffs.DiffResult, responses=CSV_DOC)
def diff_publications(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
    system: SystemQuery = None,
    format: Literal["json", "csv"] = "json",
    bom: BomQuery = True,
) -> diffs.DiffResult | Response:
    """Revisions of one year: lines added, removed, changed. Lists of different years
    (`year:2024` → `year:2025`): side by side — only in one year, or in both (`kind: years`)."""
    refs = diffs.Refs(from_, to, authority, system)
    engine = request.app.state.engine
    if format == "csv":
        return _download(diff_answer.csv_download(session, engine, principal, refs, bom=bom))
    # Streamed as it is read (diff_answer): the bytes of the DiffResult the route is declared with.
    body = diff_answer.json_answer(session, engine, principal, refs)
    return StreamingResponse(body, media_type="application/json")


def _download(download: diff_answer.Download) -> StreamingResponse:
    headers = writing.download_headers(*download.names, **{"X-Checksum-SHA256": download.checksum})
    body = writing.stream_open(download.file)
    return StreamingResponse(body, media_type=download.media, headers=headers)


@router.get("/publications/diff.csv", response_class=Response, responses=CSV_DOC)
def diff_publications_csv(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
    system: SystemQuery = None,
    bom: BomQuery = True,
) -> Response:
    refs = diffs.Refs(from_, to, authority, system)
    engine = request.app.state.engine
    return _download(diff_answer.csv_download(session, engine, principal, refs, bom=bom))


@router.get("/publications/diff.xlsx", response_class=Response, responses=XLSX_DOC)
def diff_publications_xlsx(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipal,
    from_: FromQuery,
    to: ToQuery,
    authority: AuthorityQuery = None,
    system: SystemQuery = None,
) -> Response:
    refs = diffs.Refs(from_, to, authority, system)
    engine = request.app.state.engine
    return _download(diff_answer.xlsx_download(session, engine, principal, refs))


@router.get("/statistics/approvals", response_model=stats.ApprovalStats)
def approval_statistics(
    session: SessionDep,
    year: YearQuery = None,
    authority: AuthorityQuery = None,
    system: SystemQuery = None,
) -> stats.ApprovalStats:
    """Approved offerings (lines of current published revisions) by year, category, level,
    intake and college, of one system (`system`, default technician when it has lists)."""
    return stats.approvals(session, year=year, authority=authority, system=system)


@router.get(
    "/programs/{program_id:int}/approvals",
    response_model=Page[PublicationSummary],
    responses={404: {}},
)
def program_approvals(session: SessionDep, program_id: IdPath) -> Page[PublicationSummary]:
    """The published lists (revisions) that approve a program."""
    return Page(items=presenters.approvals_of_program(session, program_id), next=None)


@router.get("/publications", response_model=Page[PublicationSummary])
def list_publications(
    session: SessionDep,
    principal: OptionalPrincipal,
    page: IdPage,
    year: YearQuery = None,
    series: str | None = None,
    authority: AuthorityQuery = None,
    status: Literal["draft", "published"] | None = None,
) -> Page[PublicationSummary]:
    """Newest first. Without an admin or reviewer token: published revisions only."""
    rows = presenters.list_publications(
        session,
        principal,
        year=year,
        series=series,
        authority=authority,
        status=status,
        after=page.after,
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
def create_publication(
    session: SessionDep, data: PublicationCreate, actor: AdminPrincipal, zone: Zone
) -> PublicationPublic:
    """Draft a list from a round's approved entries (`round_id` alone: year, authority and a
    default title come from the round) or from `lines` (each traced to an approval, or added by
    hand with a `reason` and checked like a filing entry)."""
    publication = service.create_draft(session, data, actor=actor)
    return presenters.public(session, publication, actor, service.today_in(zone))


@router.get(
    "/publications/{series}/latest",
    response_model=PublicationPublic,
    responses={404: {}},
)
def latest_publication(session: SessionDep, series: str, zone: Zone) -> PublicationPublic:
    """The newest published revision of a list (the default); older ones keep their URL."""
    today = service.today_in(zone)
    return presenters.public(session, presenters.latest_of(session, series), None, today)


@router.get("/publications/{series}/latest.{ext}", responses={307: {}, 404: {}})
def latest_publication_file(
    session: SessionDep, series: str, ext: Literal["csv", "xlsx"]
) -> RedirectResponse:
    """Redirects to the newest revision's permanent download."""
    latest = presenters.latest_of(session, series)
    return RedirectResponse(f"{presenters.API}/{latest.id}.{ext}", status_code=307)


# --- one revision ----------------------------------------------------------------------------


@router.get(
    "/publications/{publication_id:int}.csv",
    response_class=Response,
    responses={**CSV_DOC, 404: {}},
)
def publication_csv(
    session: SessionDep, principal: OptionalPrincipal, publication_id: IdPath, bom: BomQuery = True
) -> Response:
    """The main table in the list's layout (technician: 附件1 of contract.md's Exports; 中职:
    附件一 `序号,学校名称,专业名称,专业代码`); `X-Checksum-SHA256` is the SHA-256 of the default
    download."""
    publication = presenters.get_visible(session, publication_id, principal)
    layout = layout_of(publication.system)
    body = export.lines_csv(layout, service.lines_of(session, publication_id), bom=bom)
    return _csv(body, export.file_names(publication, "csv"), publication)


@router.get(
    "/publications/{publication_id:int}.xlsx",
    response_class=Response,
    responses={**XLSX_DOC, 404: {}},
)
def publication_xlsx(
    session: SessionDep, principal: OptionalPrincipal, publication_id: IdPath
) -> Response:
    """The main table and each annex of the list's layout as sheets, codes stored as text."""
    publication = presenters.get_visible(session, publication_id, principal)
    body = export.lines_xlsx(
        publication,
        layout_of(publication.system),
        service.lines_of(session, publication_id),
        service.annexes_of(session, publication),
    )
    return _xlsx(body, export.file_names(publication, "xlsx"), publication)


def _annex(publication: Publication, key: str) -> Annex:
    annex = layout_of(publication.system).annex(key)
    if annex is None:
        raise NotFound(error="annex_not_found", system=t(f"system.{publication.system}"), key=key)
    return annex


AnnexPath = Annotated[str, Path(description=f"one of {', '.join(ANNEX_KEYS)}")]


@router.get(
    "/publications/{publication_id:int}/{annex}.{ext}",
    response_class=Response,
    responses={**CSV_DOC, **XLSX_DOC, 404: {}},
)
def publication_annex(
    session: SessionDep,
    principal: OptionalPrincipal,
    publication_id: IdPath,
    annex: AnnexPath,
    ext: Literal["csv", "xlsx"],
    bom: BomQuery = True,
) -> Response:
    """An annex of the list: `specialties` (technician 附件2), `projects` (中职 附件2
    `序号,学校,专业名称,校企合作项目名称`), `directions` (中职 附件3
    `序号,学校名称,原专业方向名称,规范专业名称,说明`). A list whose layout lacks it: 404."""
    publication = presenters.get_visible(session, publication_id, principal)
    found = _annex(publication, annex)
    rows = service.annex_rows(session, publication_id, found.key)
    names = export.file_names(publication, ext, found)
    if ext == "xlsx":
        return _xlsx(export.annex_xlsx(publication, found, rows), names, publication)
    return _csv(export.table_csv(found.table, rows, bom=bom), names, publication)


@router.get(
    "/publications/{publication_id:int}", response_model=PublicationPublic, responses={404: {}}
)
def get_publication(
    session: SessionDep, principal: OptionalPrincipal, publication_id: IdPath, zone: Zone
) -> PublicationPublic:
    """One revision, at a permanent URL: entries numbered as printed, and 附件2. Public once
    announced (公示中) or published."""
    publication = presenters.get_visible(session, publication_id, principal)
    return presenters.public(session, publication, principal, service.today_in(zone))


@router.patch(
    "/publications/{publication_id:int}", response_model=PublicationPublic, responses=WRITE_DOC
)
def update_publication(
    session: SessionDep,
    publication_id: IdPath,
    data: PublicationMeta,
    actor: AdminPrincipal,
    zone: Zone,
) -> PublicationPublic:
    """名称, 文号, 发布日期 — while a draft (a published list: 409 `published`)."""
    publication = service.update_meta(session, publication_id, data, actor=actor)
    return presenters.public(session, publication, actor, service.today_in(zone))


@router.put(
    "/publications/{publication_id:int}/lines",
    response_model=PublicationPublic,
    responses={**WRITE_DOC, 422: {}},
)
def replace_lines(
    session: SessionDep, publication_id: IdPath, data: LinesIn, actor: AdminPrincipal
) -> PublicationPublic:
    """Replace a draft's lines (in order of publication). A line no approved entry of the
    round carries needs a `reason` (422 `line_not_approved`) and passes a filing entry's checks
    (422 `line_has_errors`, `detail.findings`)."""
    publication = service.replace_lines(session, publication_id, data, actor=actor)
    return presenters.public(session, publication, actor)


@router.put(
    "/publications/{publication_id:int}/specialties",
    response_model=PublicationPublic,
    responses=WRITE_DOC,
)
def replace_specialties(
    session: SessionDep, publication_id: IdPath, data: SpecialtiesIn, actor: AdminPrincipal
) -> PublicationPublic:
    """Replace a draft's 附件2."""
    publication = service.replace_specialties(session, publication_id, data, actor=actor)
    return presenters.public(session, publication, actor)


@router.put(
    "/publications/{publication_id:int}/projects",
    response_model=PublicationPublic,
    responses={**WRITE_DOC, 422: {}},
)
def replace_projects(
    session: SessionDep, publication_id: IdPath, data: ProjectsIn, actor: AdminPrincipal
) -> PublicationPublic:
    """Replace a 中职 draft's 附件2 (示范专业及校企合作项目), names as printed."""
    publication = service.replace_annex(
        session, publication_id, "projects", data.projects, actor=actor
    )
    return presenters.public(session, publication, actor)


@router.put(
    "/publications/{publication_id:int}/directions",
    response_model=PublicationPublic,
    responses={**WRITE_DOC, 422: {}},
)
def replace_directions(
    session: SessionDep, publication_id: IdPath, data: DirectionsIn, actor: AdminPrincipal
) -> PublicationPublic:
    """Replace a 中职 draft's 附件3 (专业（含专业方向）名称规范备案), as printed."""
    publication = service.replace_annex(
        session, publication_id, "directions", data.directions, actor=actor
    )
    return presenters.public(session, publication, actor)


@router.delete(
    "/publications/{publication_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE_DOC,
)
def delete_publication(
    session: SessionDep, publication_id: IdPath, actor: AdminPrincipal
) -> Response:
    """Discard a draft (a published list: 409)."""
    service.delete_draft(session, publication_id, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/publications/{publication_id:int}/publish", response_model=PublishResult, responses=WRITE_DOC
)
def publish_publication(
    session: SessionDep, publication_id: IdPath, actor: AdminPrincipal, zone: Zone
) -> PublishResult:
    """Freeze the list and store its checksum; its approvals take effect (programs `active`)
    and its round closes. 409: `published` (twice), `published_on_required`,
    `announcement_required`, `announcement_open` (the bureau's today on or before `until`),
    `objection_open`, `line_conflict` (naming the line)."""
    today = service.today_in(zone)
    publication, linked = service.publish(session, publication_id, actor=actor, today=today)
    return PublishResult(
        **presenters.public(session, publication, actor, today).model_dump(),
        linked_programs=linked,
    )


@router.post(
    "/publications/{publication_id:int}/announce",
    response_model=PublicationPublic,
    responses={**WRITE_DOC, 422: {}},
)
def announce_publication(
    session: SessionDep, publication_id: IdPath, data: AnnounceIn, actor: AdminPrincipal, zone: Zone
) -> PublicationPublic:
    """公示: announce a draft for a period (`from`, `until`: dates in the bureau's time zone) with a
    contact; it becomes public as 公示中 (`status` `announced`). Again: replaces the period."""
    publication = notice.announce(session, publication_id, data, actor=actor)
    return presenters.public(session, publication, actor, service.today_in(zone))


@router.post(
    "/publications/{publication_id:int}/objections",
    response_model=ObjectionPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**WRITE_DOC, 422: {}},
)
def raise_objection(
    session: SessionDep, publication_id: IdPath, data: ObjectionIn, actor: ReviewerPrincipal
) -> ObjectionPublic:
    """Record an objection (异议) to an entry (`seq`) or the whole list (admin or reviewer)."""
    objection = notice.raise_objection(session, publication_id, data, actor=actor)
    return ObjectionPublic.model_validate(objection, from_attributes=True)


@router.patch(
    "/publications/{publication_id:int}/objections/{objection_id:int}",
    response_model=ObjectionPublic,
    responses={**WRITE_DOC, 422: {}},
)
def resolve_objection(
    session: SessionDep,
    publication_id: IdPath,
    objection_id: IdPath,
    data: ObjectionUpdate,
    actor: ReviewerPrincipal,
) -> ObjectionPublic:
    """`dismissed` (with the reason) or `upheld` (`drop: true` removes the entry's lines)."""
    objection = notice.resolve_objection(session, publication_id, objection_id, data, actor=actor)
    return ObjectionPublic.model_validate(objection, from_attributes=True)


@router.post(
    "/publications/{publication_id:int}/corrections",
    response_model=PublicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses=WRITE_DOC,
)
def correct_publication(
    session: SessionDep, publication_id: IdPath, data: CorrectionIn, actor: AdminPrincipal
) -> PublicationPublic:
    """A correction (勘误): a new draft revision of the list, naming this one and why."""
    return presenters.public(
        session, corrections.correct(session, publication_id, data, actor=actor), actor
    )
