from fastapi import APIRouter, Request, Response, status

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.db import SessionDep, run_read
from app.fields import IdPath
from app.pagination import Page
from app.programs import export, listing, service
from app.programs.importer import import_programs
from app.programs.schemas import (
    ProgramCreate,
    ProgramDetail,
    ProgramPageQuery,
    ProgramPublic,
    ProgramUpdate,
)
from app.queryparams import openapi, read_query
from app.spreadsheets.reading import ImportResult
from app.spreadsheets.upload import IMPORT_RESPONSES, UploadDep

# What app.main includes: the programs (/api/v1/programs…) and beside them, not under them,
# their exports /api/v1/programs.csv and .xlsx (app/programs/export.py), mounted at the end.
router = APIRouter(prefix="/api/v1")
programs = APIRouter(prefix="/programs", tags=["programs"])


@programs.get("", response_model=Page[ProgramPublic], openapi_extra=openapi(ProgramPageQuery))
async def list_programs(request: Request):
    """Ordered by id; `next` pages through every match exactly once (keyset, no OFFSET).
    The hottest read: the query string read in one validation, no session dependency, no
    response-model validation, and on SQLite no threadpool hop (docs/benchmarks.md, 2.)."""
    query = read_query(request, ProgramPageQuery)
    state = request.app.state
    body = await run_read(
        state,
        listing.page_json,
        state.read_engine,
        query,
        after=listing.after_id(query.cursor),
        limit=query.limit,
    )
    return Response(body, media_type="application/json")


@programs.post(
    "/import",
    response_model=ImportResult,
    responses={**AUTH_RESPONSES, **IMPORT_RESPONSES},
)
def import_programs_file(session: SessionDep, upload: UploadDep, actor: AdminPrincipal):
    """The `programs.csv` export layout; colleges and majors must exist. A row whose (college,
    major, level, intake) exists updates it (status, length, since_year); else it is inserted."""
    return import_programs(
        session,
        upload.data,
        actor=actor,
        filename=upload.filename,
        source=f"import:{upload.filename}",
        max_rows=upload.max_rows,
    )


@programs.get("/{program_id}", response_model=ProgramDetail, responses={404: {}})
def get_program(session: SessionDep, program_id: IdPath):
    """One program, with `former_codes`: the codes it had before a rename or a new edition."""
    return service.program_detail(session, program_id)


@programs.post(
    "",
    response_model=ProgramPublic,
    status_code=status.HTTP_201_CREATED,
    responses={**AUTH_RESPONSES, 404: {}, 409: {}},
)
def create_program(session: SessionDep, data: ProgramCreate, actor: AdminPrincipal):
    program = service.create_program(session, data, actor=actor)
    assert program.id is not None
    return service.get_program(session, program.id)


@programs.patch(
    "/{program_id}", response_model=ProgramPublic, responses={**AUTH_RESPONSES, 404: {}, 409: {}}
)
def update_program(
    session: SessionDep, program_id: IdPath, data: ProgramUpdate, actor: AdminPrincipal
):
    service.update_program(session, program_id, data, actor=actor)
    return service.get_program(session, program_id)


router.include_router(programs)
# Listed under "publications" and "exports" in the OpenAPI document, as since they were added.
router.include_router(export.router, tags=["publications"])
