"""``/api/v1/catalogs/{key}/adoption``: the plan of adopting edition ``key`` (contract.md)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import StreamingResponse

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.adoption import decisions, export, service
from app.adoption.schemas import AdoptionPlan, AdoptionRequest
from app.db import SessionDep
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
    session: SessionDep, key: str, data: AdoptionRequest, actor: AdminPrincipal
) -> AdoptionPlan:
    """The plan of adopting edition `key` in place of `from`; with `"apply": true` it is carried
    out, all or nothing (409 `adoption_needs_decisions` while a program needs a decision).
    `keep_until` keeps the programs of withdrawn codes active until that day."""
    return service.adopt(
        session,
        key,
        from_key=data.from_edition,
        decisions=decisions.from_json(data.decisions),
        apply=data.apply,
        actor=actor,
        keep_until=data.keep_until,
    )


@router.get(
    "/{key}/adoption.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 404: {}},
)
def adoption_csv(session: SessionDep, key: str, from_: FromQuery, bom: BomQuery = True) -> Response:
    """The plan as CSV; its first five columns are a decisions file."""
    plan = service.preview(session, key, from_key=from_)
    return Response(
        export.plan_csv(plan, bom=bom),
        media_type=writing.CSV_MEDIA,
        headers=writing.download_headers(*export.file_name(plan, "csv")),
    )


@router.get(
    "/{key}/adoption.xlsx",
    response_class=Response,
    responses={200: {"content": {writing.XLSX_MEDIA: {}}}, 404: {}},
)
def adoption_xlsx(session: SessionDep, key: str, from_: FromQuery) -> StreamingResponse:
    """The plan as XLSX (codes as text cells)."""
    plan = service.preview(session, key, from_key=from_)
    return StreamingResponse(
        export.plan_xlsx(plan),
        media_type=writing.XLSX_MEDIA,
        headers=writing.download_headers(*export.file_name(plan, "xlsx")),
    )
