"""Public pages of colleges and programs: the services and the keyset listing of the API
(``GET /api/v1/colleges``, ``GET /api/v1/programs``); the download buttons link the API's
exports with exactly the filters shown."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from pydantic import ValidationError

from app.access import policy
from app.catalog import service as catalog_service
from app.colleges import service as colleges
from app.db import run_read
from app.db.depends import SessionDep
from app.errors import Invalid
from app.i18n import t
from app.pagination import decode_after, page_of
from app.params import IdPath
from app.programs import listing, readmodel
from app.programs import service as programs
from app.programs.schemas import ProgramFilters, ProgramPageQuery
from app.vocab import YEARS_CN, CollegeStatus, CollegeType, Intake, Level, ProgramStatus
from app.web.actor import page_principal
from app.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50
COLLEGE_PROGRAMS = 500  # a college runs tens of programs; more pages link to /programs


def _program_rows(
    request: Request, filters: ProgramFilters, after: int | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """(rows as dicts, next cursor) of one page, the listing ``GET /api/v1/programs`` runs."""
    found = listing.rows(request.app.state.read_engine, filters, after=after, limit=limit + 1)
    items = [dict(zip(readmodel.FIELDS, r, strict=True)) for r in found[:limit]]
    for item in items:
        item["length"] = YEARS_CN.get(item["length_years"], f"{item['length_years']}年")
    nxt = str(found[limit - 1][0]) if len(found) > limit else None
    return items, nxt


def _rows_html(items: list[dict[str, Any]], show_college: bool) -> Markup:
    """The table body in one pass (a page of 50 rows renders in a third of Jinja's time: the
    page stays within 2x the API page, docs/web.md). Every value escaped."""
    labels = {k: escape(t(f"web.col.{k}")) for k in COLUMNS}
    status = {k: escape(t(f"web.program_status.{k}")) for k in ProgramStatus}
    out = []
    for p in items:
        college = (
            f'<td data-label="{labels["college"]}"><a href="/colleges/{escape(p["college_code"])}">'
            f"{escape(p['college'])}</a></td>"
            if show_college
            else ""
        )
        out.append(
            f'<tr><td data-label="{labels["major_code"]}">'
            f"<code>{escape(p['major_code'])}</code></td>"
            f'<td data-label="{labels["major_name"]}"><a href="/programs/{p["id"]}">'
            f"{escape(p['major_name'])}</a></td>"
            f'<td data-label="{labels["category"]}">{escape(p["category"])}</td>{college}'
            f'<td data-label="{labels["intake"]}">{escape(p["intake"])}</td>'
            f'<td data-label="{labels["level"]}">{escape(p["level"] or "—")}</td>'
            f'<td data-label="{labels["length"]}">{escape(p["length"])}</td>'
            f'<td data-label="{labels["status"]}"><span class="badge {escape(p["status"])}">'
            f"{status.get(p['status'], escape(p['status']))}</span></td>"
            f'<td data-label="{labels["since_year"]}" class="num">{p["since_year"] or ""}</td></tr>'
        )
    return Markup("\n".join(out))


COLUMNS = (
    "major_code",
    "major_name",
    "category",
    "college",
    "intake",
    "level",
    "length",
    "status",
    "since_year",
)


def _filters_of(request: Request) -> tuple[ProgramPageQuery, dict[str, str]]:
    """The form's filters as the API reads them (blank fields dropped), and those values."""
    given = {k: v for k, v in request.query_params.items() if v.strip()}
    given.pop("after", None)
    try:
        query = ProgramPageQuery.model_validate(given | {"limit": PAGE})
    except ValidationError as exc:
        raise Invalid(error="validation_error", msg="web.programs.bad_filter") from exc
    shown = {k: v for k, v in given.items() if k in ProgramFilters.model_fields}
    return query, shown


@router.get("/colleges")
def college_list(
    request: Request,
    session: SessionDep,
    province: str = "",
    city: str = "",
    type: str = "",
    after: str = "",
) -> HTMLResponse:
    rows = colleges.list_colleges(
        session,
        province=province or None,
        city=city or None,
        type=type or None,
        after=after or None,
        limit=PAGE,
    )
    items, nxt = page_of(list(rows), PAGE, lambda c: [c.code])
    next_code = decode_after(nxt, str)
    return render(
        request,
        "public/colleges.html",
        items=items,
        next_code=next_code,
        province=province,
        city=city,
        type=type,
        types=[t.value for t in CollegeType],
    )


@router.get("/colleges/{code}")
def college_page(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    """The college and its programs; for an admin governing it, the link to close or merge it."""
    found = colleges.get_by_code(session, code)
    college = colleges.to_public(session, found)
    viewer = page_principal(request, session)
    programs, more = _program_rows(
        request, ProgramFilters(college=code), after=None, limit=COLLEGE_PROGRAMS
    )
    return render(
        request,
        "public/college.html",
        college=college,
        programs=programs,
        rows_html=_rows_html(programs, show_college=False),
        more=more is not None,
        can_end=viewer is not None
        and found.status == CollegeStatus.ACTIVE
        and policy.can_manage_college(session, viewer, found),
    )


@router.get("/programs")
async def program_list(
    request: Request, after: Annotated[int | None, Query()] = None
) -> HTMLResponse:
    """Async like ``GET /api/v1/programs``: the page's one read goes through ``run_read`` (inline
    on SQLite, bounded worker threads on PostgreSQL) instead of a threadpool hop per request."""
    query, shown = _filters_of(request)
    items, nxt = await run_read(request.app.state, _program_rows, request, query, after, PAGE)
    exports = urlencode(shown)
    return render(
        request,
        "public/programs.html",
        items=items,
        rows_html=_rows_html(items, show_college=True),
        shown=shown,
        next_url="/programs?" + urlencode(shown | {"after": nxt}) if nxt else None,
        first_url="/programs?" + exports if after else None,
        csv_url="/api/v1/programs.csv" + ("?" + exports if exports else ""),
        xlsx_url="/api/v1/programs.xlsx" + ("?" + exports if exports else ""),
        choices=_choices(),
    )


@router.get("/programs/{program_id:int}")
def program_page(request: Request, session: SessionDep, program_id: IdPath) -> HTMLResponse:
    """One program and its former codes (a rename, or a new catalog edition's adoption)."""
    program = programs.program_detail(session, program_id)
    length = YEARS_CN.get(program.length_years, f"{program.length_years}年")
    history = programs.program_history(session, program_id).model_dump()["items"]  # issue 24
    editions = {e.key: e.title for e in catalog_service.list_editions(session)}
    return render(
        request,
        "public/program.html",
        program=program,
        length=length,
        history=history,
        editions=editions,
    )


def _choices() -> dict[str, Any]:
    return {
        "level": [v.value for v in Level],
        "intake": [v.value for v in Intake],
        "status": [v.value for v in ProgramStatus],
    }
