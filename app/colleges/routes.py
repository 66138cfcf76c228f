from typing import Annotated

from fastapi import APIRouter, Query, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.colleges import service
from app.colleges.importer import import_colleges
from app.colleges.schemas import CollegeCreate, CollegePublic, CollegeUpdate
from app.db.depends import SessionDep
from app.pagination import Page, page_of
from app.params import CodePage
from app.spreadsheets.reading import ImportResult
from app.spreadsheets.upload import IMPORT_RESPONSES, UploadDep

router = APIRouter(prefix="/api/v1/colleges", tags=["colleges"])


@router.get("", response_model=Page[CollegePublic])
def list_colleges(
    session: SessionDep,
    page: CodePage,
    name: Annotated[str | None, Query(description="exact current or former full name")] = None,
    province: str | None = None,
    city: str | None = None,
    type: str | None = None,
) -> Page[CollegePublic]:
    if name:
        found = service.find_by_name(session, name)
        return Page(items=[service.to_public(session, found)] if found else [], next=None)
    rows = service.list_colleges(
        session,
        province=province,
        city=city,
        type=type,
        after=page.after,
        limit=page.limit,
    )
    items, nxt = page_of(list(rows), page.limit, lambda c: [c.code])
    return Page(items=[service.to_public(session, c) for c in items], next=nxt)


@router.post(
    "/import",
    response_model=ImportResult,
    responses={**AUTH_RESPONSES, **IMPORT_RESPONSES},
)
def import_colleges_file(
    session: SessionDep, upload: UploadDep, actor: AdminPrincipal
) -> ImportResult:
    """Columns `code,name,type,ownership,province,city`; upsert by code."""
    return import_colleges(
        session, upload.data, actor=actor, filename=upload.filename, max_rows=upload.max_rows
    )


@router.get("/{code}", response_model=CollegePublic, responses={404: {}})
def get_college(session: SessionDep, code: str) -> CollegePublic:
    return service.to_public(session, service.get_by_code(session, code))


@router.post(
    "",
    response_model=CollegePublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 409: {}},
)
def create_college(
    session: SessionDep, data: CollegeCreate, actor: AdminPrincipal
) -> CollegePublic:
    return service.to_public(session, service.create_college(session, data, actor=actor))


@router.patch(
    "/{code}", response_model=CollegePublic, responses={**AUTH_RESPONSES, 404: {}, 409: {}}
)
def update_college(
    session: SessionDep, code: str, data: CollegeUpdate, actor: AdminPrincipal
) -> CollegePublic:
    college = service.get_by_code(session, code)
    return service.to_public(session, service.update_college(session, college, data, actor=actor))
