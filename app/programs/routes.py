from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response, status
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.db import run_read
from app.db.depends import SessionDep
from app.pagination import Page
from app.params import IdPath
from app.programs import export, listing, service, statistics_routes
from app.programs.importer import import_programs
from app.programs.schemas import (
    ProgramCreate,
    ProgramDetail,
    ProgramHistory,
    ProgramPageQuery,
    ProgramPublic,
    ProgramUpdate,
)
from app.queryparams import openapi, read_query
from app.spreadsheets.reading import ImportResult
from app.spreadsheets.upload import IMPORT_RESPONSES, UploadDep

# What app.main includes: the programs (/api/v1/programs…), and ``tail``: beside them, not
# under them, the 布点 statistics and the exports /api/v1/programs.csv and .xlsx
# (app/programs/export.py).
router = APIRouter(prefix="/api/v1")
programs = APIRouter(prefix="/programs", tags=["programs"])


@programs.get("", response_model=Page[ProgramPublic], openapi_extra=openapi(ProgramPageQuery))
async def list_programs(request: Request) -> Response:
    """Ordered by id; `next` pages through every match exactly once (keyset, no OFFSET).
    The hottest read: the query string read in one validation, no session dependency, no
    response-model validation, and no threadpool hop (SQLite: inline; PostgreSQL: asyncpg on
    the event loop, app/db/async_reads.py; docs/benchmarks.md, 2.).
    ``ListFastPath`` answers the pages it can before the router reaches this."""
    return Response(await _page(request), media_type="application/json")


LIST_PATH = "/api/v1/programs"


class ListFastPath:
    """``GET /api/v1/programs`` answered before the router: the same query, read and body as
    ``list_programs`` without route matching, dependency solving and the exception middleware
    around it — a third of what the framework spent on a page (docs/benchmarks.md, 2.).

    Only a page it can answer is answered here; a query string the model refuses, a bad cursor
    or any error goes on to the route, which answers it as it always has (the read is a
    SELECT, so running it again there is harmless). The first request goes through the router,
    and the route it matched is set in ``scope["route"]`` of the others (the access log names
    it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.route: BaseRoute | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] != LIST_PATH
            or self.route is None
        ):
            await self.app(scope, receive, send)
            if (
                self.route is None
                and scope["type"] == "http"
                and scope["method"] == "GET"
                and scope["path"] == LIST_PATH
            ):
                self.route = scope.get("route")  # the router's match, once
            return
        try:
            body = await _page(Request(scope))
        except Exception:  # a 422, a bad cursor, a database error: the route answers it
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", _JSON)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


_JSON = b"application/json"


async def _page(request: Request) -> bytes:
    query = read_query(request, ProgramPageQuery)
    state = request.app.state
    after = listing.after_id(query.cursor)
    reader = state.async_reader
    if reader is not None:  # PostgreSQL: on the event loop (app/db/async_reads.py)
        return await listing.page_json_async(reader, query, after=after, limit=query.limit)
    return await run_read(
        state,
        listing.page_json,
        state.read_engine,
        query,
        after=after,
        limit=query.limit,
    )


BASE_SEQ = (
    "the X-Registry-Seq of the export the file was made from: a program changed after it is "
    "not overwritten (409 changed_since_export) unless force_reason is given"
)
FORCE = "why the import may overwrite programs changed after base_seq (recorded in the audit log)"


@programs.post(
    "/import",
    response_model=ImportResult,
    responses={
        **AUTH_RESPONSES,
        **IMPORT_RESPONSES,
        409: {"description": "changed_since_export: detail.rows are the file's rows concerned"},
    },
)
def import_programs_file(
    session: SessionDep,
    upload: UploadDep,
    actor: AdminPrincipal,
    base_seq: Annotated[int | None, Form(ge=0, le=2**63 - 1, description=BASE_SEQ)] = None,
    force_reason: Annotated[str | None, Form(max_length=500, description=FORCE)] = None,
    base_seq_query: Annotated[
        int | None, Query(alias="base_seq", ge=0, le=2**63 - 1, description=BASE_SEQ)
    ] = None,
    force_reason_query: Annotated[
        str | None, Query(alias="force_reason", max_length=500, description=FORCE)
    ] = None,
) -> ImportResult:
    """The `programs.csv` export layout; colleges and majors must exist. A row whose (college,
    major, level, intake) exists updates it (status, length, since_year); else it is inserted.
    `base_seq` (form field or query parameter): see docs/imports.md."""
    return import_programs(
        session,
        upload.data,
        actor=actor,
        filename=upload.filename,
        source=f"import:{upload.filename}",
        max_rows=upload.max_rows,
        base_seq=base_seq if base_seq is not None else base_seq_query,
        force_reason=force_reason or force_reason_query,
    )


@programs.get("/{program_id:int}", response_model=ProgramDetail, responses={404: {}})
def get_program(session: SessionDep, program_id: IdPath) -> ProgramDetail:
    """One program, with `former_codes`: the codes it had before a rename or a new edition."""
    return service.program_detail(session, program_id)


@programs.get("/{program_id:int}/history", response_model=ProgramHistory, responses={404: {}})
def program_history(session: SessionDep, program_id: IdPath) -> ProgramHistory:
    """What happened to the program, oldest first: approved (by which list), activated,
    suspended from a year, reactivated, withdrawn, renamed (former name), moved (to which
    college) — each with its year, time, actor, reason and the list or entry that caused it."""
    return service.program_history(session, program_id)


@programs.post(
    "",
    response_model=ProgramPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def create_program(
    session: SessionDep, data: ProgramCreate, actor: AdminPrincipal
) -> ProgramPublic:
    program = service.create_program(session, data, actor=actor)
    assert program.id is not None
    return service.get_program(session, program.id)


@programs.patch(
    "/{program_id:int}",
    response_model=ProgramPublic,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def update_program(
    session: SessionDep, program_id: IdPath, data: ProgramUpdate, actor: AdminPrincipal
) -> ProgramPublic:
    service.update_program(session, program_id, data, actor=actor)
    return service.get_program(session, program_id)


router.include_router(programs)
# 布点 and the exports: app.main includes them after the colleges' ends (app/filings/
# college_end_routes.py), where the OpenAPI document has always listed them.
tail = APIRouter(prefix="/api/v1")
tail.include_router(statistics_routes.router)  # 布点 (issue 24)
# Listed under "publications" and "exports" in the OpenAPI document, as since they were added.
tail.include_router(export.router, tags=["publications"])
