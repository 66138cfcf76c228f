"""``/api/v1/catalogs/{key}/adoption``: the plan of adopting edition ``key`` (contract.md)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.adoption import decisions, export, plan, service
from app.adoption.schemas import AdoptionPlan, AdoptionRequest
from app.db.depends import SessionDep
from app.spreadsheets import writing

router = APIRouter(prefix="/api/v1/catalogs", tags=["catalog"])

FromQuery = Annotated[str, Query(alias="from", description="key of the edition being replaced")]
BomQuery = Annotated[bool, Query(description="false: no UTF-8 BOM (Excel needs one)")]


@router.post(
    "/{key}/adoption",
    response_model=AdoptionPlan,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}, 422: {}},
)
def adopt(
    request: Request, session: SessionDep, key: str, data: AdoptionRequest, actor: AdminPrincipal
) -> StreamingResponse:
    """The plan of adopting edition `key` in place of `from`; with `"apply": true` it is carried
    out, all or nothing (409 `adoption_needs_decisions` while a program needs a decision).
    `keep_until` keeps the programs of withdrawn codes active until that day."""
    rows = decisions.from_json(data.decisions)
    if not data.apply:
        # The dry run streams as it is read (service.dry_run); applied, the answer is sent once
        # the request has committed (service.apply): both the JSON of AdoptionPlan.
        body = service.dry_run(
            session,
            request.app.state.engine,
            key,
            from_key=data.from_edition,
            decisions=rows,
            actor=actor,
            keep_until=data.keep_until,
        )
    else:
        body = service.apply(
            session,
            key,
            from_key=data.from_edition,
            decisions=rows,
            actor=actor,
            keep_until=data.keep_until,
        )
    return StreamingResponse(body, media_type="application/json")


def _download(session: Session, key: str, from_: str, ext: str) -> dict[str, str]:
    """The editions are checked (404, 409, 422) before the response starts; the plan is then
    computed while it streams, on a connection of its own (the request's session is gone)."""
    new, old = plan.editions(session, key, from_)
    return writing.download_headers(*export.file_name(new.key, old.key, ext))


@router.get(
    "/{key}/adoption.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 404: {}},
)
def adoption_csv(
    request: Request, session: SessionDep, key: str, from_: FromQuery, bom: BomQuery = True
) -> StreamingResponse:
    """The plan as CSV; its first five columns are a decisions file."""
    headers = _download(session, key, from_, "csv")
    body = export.csv_stream(request.app.state.engine, key, from_, bom=bom)
    return StreamingResponse(body, media_type=writing.CSV_MEDIA, headers=headers)


@router.get(
    "/{key}/adoption.xlsx",
    response_class=Response,
    responses={200: {"content": {writing.XLSX_MEDIA: {}}}, 404: {}},
)
def adoption_xlsx(
    request: Request, session: SessionDep, key: str, from_: FromQuery
) -> StreamingResponse:
    """The plan as XLSX (codes as text cells)."""
    headers = _download(session, key, from_, "xlsx")
    body = export.xlsx_stream(request.app.state.engine, key, from_)
    return StreamingResponse(body, media_type=writing.XLSX_MEDIA, headers=headers)
