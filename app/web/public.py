"""Public pages: home, language switch, major search (the same index as ``GET /api/v1/majors``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.catalog import search
from app.catalog import service as catalog_service
from app.db.depends import SessionDep
from app.i18n import LOCALES
from app.i18n.middleware import LANG_COOKIE
from app.web import csrf
from app.web.desk import desk_page
from app.web.templating import is_htmx, redirect, render, safe_next

router = APIRouter(include_in_schema=False)
SEARCH_LIMIT = 50


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    """The search box; a signed-in person lands on their desk here (item 2 of issue 25)."""
    if getattr(request.state, "user", None) is not None:
        return desk_page(request, session)
    return render(request, "public/home.html")


@router.get("/lang/{locale}")
def switch_language(request: Request, locale: str, next: str = "/") -> RedirectResponse:
    """The language switch: a cookie the locale middleware prefers to Accept-Language."""
    response = redirect(safe_next(next))
    if locale in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            locale,
            max_age=60 * 60 * 24 * 365,
            samesite="lax",
            secure=csrf.is_https(request),
            path="/",
        )
    return response


@router.get("/majors")
def majors(
    request: Request,
    q: Annotated[str, Query(max_length=100)] = "",
    system: Annotated[str, Query(pattern="^(|technician|secondary)$")] = "",
) -> HTMLResponse:
    """Search as you type: htmx asks for the results fragment, a plain GET gets the page.
    Near-misses are listed apart, as offers ("did you mean"), never in place of a match."""
    hits: list[dict[str, Any]] = []
    if q.strip():
        with request.app.state.engine.connect() as conn:
            hits = search.ranked(conn, q, system=system or None, limit=SEARCH_LIMIT)
    found = [h for h in hits if h["match"] != "near"]
    near = [h for h in hits if h["match"] == "near"]
    template = "public/_major_results.html" if is_htmx(request) else "public/majors.html"
    editions = {}
    if hits:  # catalogs by title, not by key (issue 25 item 4)
        with Session(request.app.state.engine) as session:
            editions = {e.key: e.title for e in catalog_service.list_editions(session)}
    return render(request, template, q=q, system=system, found=found, near=near, editions=editions)
