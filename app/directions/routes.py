"""专业方向 of 中职 schools: public reads; writes and imports by the admins governing the school."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Response, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.db.depends import SessionDep
from app.directions import service
from app.directions.importer import import_directions
from app.directions.schemas import DirectionCreate, DirectionPublic, DirectionUpdate
from app.fields import YEAR_MAX, YEAR_MIN
from app.pagination import Page, page_of
from app.params import IdPage, IdPath, YearQuery
from app.spreadsheets.reading import ImportResult
from app.spreadsheets.upload import IMPORT_RESPONSES, UploadDep

router = APIRouter(prefix="/api/v1/directions", tags=["directions"])
WRITE_DOC: dict[int | str, dict[str, Any]] = {**AUTH_RESPONSES, 404: {}, 409: {}, 422: {}}


@router.get("", response_model=Page[DirectionPublic])
def list_directions(
    session: SessionDep,
    page: IdPage,
    college: str | None = None,
    status: Literal["kept", "normalised"] | None = None,
    year: YearQuery = None,
) -> Page[DirectionPublic]:
    """Recorded directions by id; `college` (code), `status`, `year` narrow them."""
    rows = service.list_directions(
        session,
        college=college,
        status=status,
        year=year,
        after=page.after,
        limit=page.limit,
    )
    items, nxt = page_of(list(rows), page.limit, lambda d: [d.id])
    return Page(items=[service.to_public(session, d) for d in items], next=nxt)


@router.post(
    "/import", response_model=ImportResult, responses={**AUTH_RESPONSES, **IMPORT_RESPONSES}
)
def import_directions_file(
    session: SessionDep,
    upload: UploadDep,
    actor: AdminPrincipal,
    year: Annotated[
        int | None,
        Form(ge=YEAR_MIN, le=YEAR_MAX, description="when the file has no year column"),
    ] = None,
) -> ImportResult:
    """附件3 as printed (`学校名称,原专业方向名称,规范专业名称,说明`) or the English columns;
    upsert by school and name, all or nothing."""
    return import_directions(
        session,
        upload.data,
        actor=actor,
        filename=upload.filename,
        year=year,
        max_rows=upload.max_rows,
    )


@router.get("/{direction_id:int}", response_model=DirectionPublic, responses={404: {}})
def get_direction(session: SessionDep, direction_id: IdPath) -> DirectionPublic:
    return service.to_public(session, service.get(session, direction_id))


@router.post(
    "", response_model=DirectionPublic, status_code=status.HTTP_201_CREATED, responses=WRITE_DOC
)
def create_direction(
    session: SessionDep, data: DirectionCreate, actor: AdminPrincipal
) -> DirectionPublic:
    """Record a kept direction, or one normalised to a catalog major (`normalised_name`)."""
    return service.to_public(session, service.register(session, data, actor=actor))


@router.patch("/{direction_id:int}", response_model=DirectionPublic, responses=WRITE_DOC)
def update_direction(
    session: SessionDep, direction_id: IdPath, data: DirectionUpdate, actor: AdminPrincipal
) -> DirectionPublic:
    return service.to_public(session, service.update(session, direction_id, data, actor=actor))


@router.delete("/{direction_id:int}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_DOC)
def delete_direction(session: SessionDep, direction_id: IdPath, actor: AdminPrincipal) -> Response:
    service.delete(session, direction_id, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
