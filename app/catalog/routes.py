from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.catalog import crosswalk, service
from app.catalog.crosswalk_import import import_crosswalk
from app.catalog.importer import import_catalog
from app.catalog.schemas import (
    CrosswalkCreate,
    CrosswalkPublic,
    EditionCreate,
    EditionOptions,
    EditionPublic,
    MajorCreate,
    MajorPublic,
    MajorUpdate,
    SearchHit,
)
from app.catalog.search import offset_of, search_json
from app.db.depends import SessionDep
from app.pagination import MAX_LIMIT, Page, page_of
from app.params import CodePage, FormProvince, FormTitle, IdPage
from app.spreadsheets.reading import ImportResult
from app.spreadsheets.upload import IMPORT_RESPONSES, UploadDep
from app.vocab import System

router = APIRouter(prefix="/api/v1", tags=["catalog"])


@router.get("/catalogs", response_model=Page[EditionPublic])
def list_catalogs(session: SessionDep, page: CodePage) -> Page[EditionPublic]:
    """Every edition, by key (a few dozen: paged like every list, so `limit`/`cursor` work)."""
    editions = [
        e for e in service.list_editions(session) if page.after is None or e.key > page.after
    ]
    items, cursor = page_of(editions[: page.limit + 1], page.limit, lambda e: [e.key])
    return Page(items=items, next=cursor)


@router.post(
    "/catalogs",
    response_model=EditionPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 409: {}},
)
def create_catalog(
    session: SessionDep, data: EditionCreate, actor: AdminPrincipal
) -> EditionPublic:
    edition = service.create_edition(session, data, actor=actor)
    return next(e for e in service.list_editions(session) if e.key == edition.key)


@router.get("/catalogs/{key}/majors", response_model=Page[MajorPublic], responses={404: {}})
def list_catalog_majors(session: SessionDep, key: str, page: CodePage) -> Page[MajorPublic]:
    edition = service.get_edition(session, key)
    rows = service.list_majors(session, edition, after=page.after, limit=page.limit)
    items, nxt = page_of(list(rows), page.limit, lambda r: [r[0].code])
    return Page(items=[service.major_public(m, c, edition.key) for m, c in items], next=nxt)


@router.post(
    "/catalogs/{key}/majors",
    response_model=MajorPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def create_major(
    session: SessionDep, key: str, data: MajorCreate, actor: AdminPrincipal
) -> MajorPublic:
    edition = service.get_edition(session, key)
    major = service.create_major(session, edition, data, actor=actor)
    return MajorPublic(
        edition=key,
        **data.model_dump(exclude={"class_name", "added_year"}),
        class_name=major.class_name,
        status=major.status,
        added_year=major.added_year,
    )


@router.patch(
    "/catalogs/{key}/majors/{code}",
    response_model=MajorPublic,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def update_major(
    session: SessionDep, key: str, code: str, data: MajorUpdate, actor: AdminPrincipal
) -> MajorPublic:
    edition = service.get_edition(session, key)
    major = service.update_major(
        session, edition, service.get_major(session, edition, code), data, actor=actor
    )
    category = session.get(service.Category, major.category_id)
    assert category is not None
    return service.major_public(major, category, key)


@router.post(
    "/catalogs/{key}/import",
    response_model=ImportResult,
    responses={**AUTH_RESPONSES, **IMPORT_RESPONSES},
)
def import_catalog_file(
    session: SessionDep,
    key: str,
    upload: UploadDep,
    actor: AdminPrincipal,
    title: FormTitle = None,
    system: Annotated[System | None, Form()] = None,
    province: FormProvince = None,
    partial: Annotated[bool | None, Form(description="true: an extract; false: complete")] = None,
) -> ImportResult:
    """Columns `code,name,category[,levels]`; creates the edition when new; upsert by code."""
    return import_catalog(
        session,
        upload.data,
        key=key,
        filename=upload.filename,
        max_rows=upload.max_rows,
        options=EditionOptions(title=title, system=system, province=province, partial=partial),
        actor=actor,
    )


@router.get("/majors", response_model=Page[SearchHit])
def search_majors(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="code prefix, Chinese name or part, pinyin, initials",
        ),
    ],
    edition: Annotated[str | None, Query(description="catalog key")] = None,
    system: System | None = None,
    province: Annotated[
        str | None, Query(description="national catalogs plus this province's specialty catalog")
    ] = None,
    cursor: Annotated[str | None, Query(description="`next` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> Response:
    """Ranked: exact code/name, prefix, substring, pinyin, initials, then near-misses
    (`match: "near"`, offered, never substituted). Withdrawn majors come last.
    Plain parameters, no session dependency and JSON built once: this is a typeahead path."""
    body = search_json(
        request.app.state.engine,
        q,
        edition=edition,
        system=system.value if system else None,
        province=province,
        offset=offset_of(cursor),
        limit=limit,
    )
    return Response(body, media_type="application/json")


@router.get("/catalogs/{key}/crosswalk", response_model=Page[CrosswalkPublic], responses={404: {}})
def list_crosswalk(session: SessionDep, key: str, page: IdPage) -> Page[CrosswalkPublic]:
    """新旧专业对照 lines into or out of this edition."""
    rows = crosswalk.list_entries(session, key, after=page.after, limit=page.limit)
    items, nxt = page_of(rows, page.limit, lambda r: [r.id])
    return Page(items=items, next=nxt)


@router.post(
    "/catalogs/{key}/crosswalk",
    response_model=CrosswalkPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def create_crosswalk(
    session: SessionDep, key: str, data: CrosswalkCreate, actor: AdminPrincipal
) -> CrosswalkPublic:
    """Adds a line mapping a code of an older edition to this (newer) edition."""
    entry = crosswalk.create_entry(session, key, data, actor=actor)
    assert entry.id is not None
    return crosswalk.get_entry(session, entry.id)


@router.post(
    "/catalogs/{key}/crosswalk/import",
    response_model=ImportResult,
    responses={**AUTH_RESPONSES, 404: {}, **IMPORT_RESPONSES},
)
def import_crosswalk_file(
    session: SessionDep,
    key: str,
    upload: UploadDep,
    actor: AdminPrincipal,
    from_edition: Annotated[str, Form(description="key of the edition being replaced")],
) -> ImportResult:
    """The 新旧专业对照表 into edition `key`: columns `old_code,old_name,new_code,new_name,
    relation` (or the table's Chinese headers); all or nothing; upsert by old and new code."""
    return import_crosswalk(
        session,
        upload.data,
        key=key,
        from_edition=from_edition,
        actor=actor,
        filename=upload.filename,
        max_rows=upload.max_rows,
    )
