"""Routes of the 布点 statistics (issue 24): colleges and programs counted per major, category,
place or college type. Thin: parse, call the service, answer."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from app.db.depends import SessionDep
from app.programs import coverage
from app.spreadsheets import writing

router = APIRouter()  # included under /api/v1 by app/programs/routes.py (``tail``)


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
