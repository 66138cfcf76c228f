"""Routes of a program's life beyond additions (issue 24): colleges that close or merge, and
the 布点 statistics. Thin: parse, call the service, answer."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.colleges import service as colleges
from app.colleges.schemas import CollegePublic
from app.db import SessionDep
from app.fields import Input
from app.filings import college_end
from app.programs import coverage, mergers
from app.spreadsheets import writing

router = APIRouter()  # included under /api/v1 by app/programs/routes.py


class CollegeEndIn(Input):
    effective_on: date = Field(description="YYYY-MM-DD: the day it closes or merges")
    reason: str = Field(min_length=1, max_length=1000, description="kept in every event")


class MergeIn(CollegeEndIn):
    into: str = Field(max_length=20, description="the receiving college's code")


class PlannedProgram(BaseModel):
    id: int
    major_code: str
    major_name: str
    intake: str
    level: str | None
    status: str


class CollegeEndResult(BaseModel):
    """What moved and what was withdrawn (or, previewed, would be)."""

    college: CollegePublic
    into: CollegePublic | None
    moved: list[PlannedProgram]
    withdrawn: list[PlannedProgram]
    filings: list[int] = Field(
        default_factory=list,
        description="the college's open filings (draft or submitted) withdrawn with it "
        "(previewed: that would be)",
    )
    applied: bool


def _result(session: Any, found: mergers.Plan, applied: bool) -> CollegeEndResult:
    return CollegeEndResult(
        college=colleges.to_public(session, found.college),
        into=colleges.to_public(session, found.into) if found.into else None,
        moved=[PlannedProgram(**p) for p in found.moved],
        withdrawn=[PlannedProgram(**p) for p in found.withdrawn],
        filings=found.filings,
        applied=applied,
    )


WRITE = {**AUTH_RESPONSES, 404: {}, 409: {}, 422: {}}


@router.post(
    "/colleges/{code}/merge", response_model=CollegeEndResult, responses=WRITE, tags=["colleges"]
)
def merge_college(
    session: SessionDep, code: str, data: MergeIn, actor: AdminPrincipal
) -> CollegeEndResult:
    """Merge the college into `into` (admin of the governing authority): its programs move
    there, an offering `into` already runs is withdrawn instead; status `merged`. Its open
    filings are withdrawn in the same transaction."""
    found = college_end.end_college(
        session,
        code,
        into_code=data.into,
        effective_on=data.effective_on,
        reason=data.reason,
        actor=actor,
    )
    return _result(session, found, True)


@router.post(
    "/colleges/{code}/close", response_model=CollegeEndResult, responses=WRITE, tags=["colleges"]
)
def close_college(
    session: SessionDep, code: str, data: CollegeEndIn, actor: AdminPrincipal
) -> CollegeEndResult:
    """Close the college: its programs and open filings are withdrawn; status `closed`."""
    found = college_end.end_college(
        session,
        code,
        into_code=None,
        effective_on=data.effective_on,
        reason=data.reason,
        actor=actor,
    )
    return _result(session, found, True)


@router.get(
    "/colleges/{code}/merge-preview",
    response_model=CollegeEndResult,
    responses=WRITE,
    tags=["colleges"],
)
def preview_college_end(
    session: SessionDep,
    code: str,
    actor: AdminPrincipal,
    into: Annotated[str | None, Query(description="merge into; none: a closure")] = None,
) -> CollegeEndResult:
    """What a merge (`into`) or a closure would move and withdraw; changes nothing."""
    college = colleges.get_by_code(session, code)
    target = colleges.get_by_code(session, into) if into else None
    mergers.check(session, college, target, actor)
    return _result(session, college_end.preview(session, college, target), False)


By = Literal["major", "category", "province", "city", "college_type"]
System = Literal["technician", "secondary"]
Status = Literal[
    "active", "suspended", "withdrawn", "approved", "在办", "停招", "撤销", "批准待公布"
]


class CoverageItem(BaseModel):
    key: str
    name: str
    colleges: int
    programs: int


class Coverage(BaseModel):
    items: list[CoverageItem]


@router.get("/statistics/programs", response_model=Coverage, tags=["programs"])
def program_statistics(
    session: SessionDep,
    by: By,
    system: System | None = None,
    status: Status | None = None,
    province: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """布点: colleges and programs per major, category, province, city or college type over
    the current programs (`status`, default active)."""
    items = coverage.coverage(session, by=by, system=system, status=status, province=province)
    return {"items": items}


@router.get("/statistics/programs.{ext}", response_class=Response, tags=["programs"])
def program_statistics_file(
    session: SessionDep,
    ext: Literal["csv", "xlsx"],
    by: By,
    system: System | None = None,
    status: Status | None = None,
    province: str | None = None,
    bom: Annotated[bool, Query(description="false: no UTF-8 BOM")] = True,
) -> Response:
    """The same counts as CSV (BOM, CRLF, formula guard) or XLSX (codes as text)."""
    items = coverage.coverage(session, by=by, system=system, status=status, province=province)
    header, rows = coverage.header(by), coverage.rows(items)
    names = (f"专业布点_{by}.{ext}", f"program-statistics-{by}.{ext}")
    if ext == "csv":
        body = writing.csv_text(header, rows, bom=bom)
        media = writing.CSV_MEDIA
    else:
        body = coverage.xlsx(header, rows)
        media = writing.XLSX_MEDIA
    return Response(body, media_type=media, headers=writing.download_headers(*names))
