"""Routes of colleges that close or merge (issue 24): their programs move or end and their open
filings are withdrawn (``college_end``). Thin: parse, call the service, answer."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.access.deps import AUTH_RESPONSES, AdminPrincipal
from app.colleges import service as colleges
from app.colleges.schemas import CollegePublic
from app.db.depends import SessionDep
from app.fields import Input
from app.filings import college_end
from app.programs import mergers

# app.main includes it between the programs and their statistics and exports (app.programs.routes),
# where the OpenAPI document has always listed these routes.
router = APIRouter(prefix="/api/v1")


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
