"""Rendering pages: one Jinja2 environment with the catalog's ``t()``, the reader's locale and
the CSRF field; ``render()`` answers an HTML page or, for an htmx request, only its fragment."""

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.access.principal import Role
from app.i18n import get_locale, has, t
from app.localtime import show, zone_label
from app.vocab import (
    Decision,
    FilingStatus,
    MajorStatus,
    ObjectionStatus,
    ProgramStatus,
    PublicationStatus,
    ReferralStatus,
)
from app.web import csrf
from app.web import flash as flash_module
from app.web.assets import static
from app.web.session import FLASH

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
env = templates.env
env.globals["t"] = t
env.globals["get_locale"] = get_locale
env.trim_blocks = True
# Templates are part of the release: no stat() of every template file on every render.
env.auto_reload = False
env.lstrip_blocks = True


def _csrf_input(request: Request) -> Markup:
    token = csrf.token_for(request)
    request.state.csrf_used = True  # the page holds a form token: private (app.web.session)
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(token)


def _query(request: Request, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + urlencode(params) if params else ""


env.globals["csrf_input"] = _csrf_input
env.globals["moment"] = show
env.globals["static"] = static
env.globals["zone_label"] = zone_label
env.globals["query"] = _query
# The vocabularies a template compares with (``pub.status == PublicationStatus.PUBLISHED``): the
# one definition of each state and role, never a bare string in a template.
env.globals.update(
    {
        enum.__name__: enum
        for enum in (
            Decision,
            FilingStatus,
            MajorStatus,
            ObjectionStatus,
            ProgramStatus,
            PublicationStatus,
            ReferralStatus,
            Role,
        )
    }
)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request,
    name: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``name`` rendered with ``context``; the page's CSRF cookie is set on first visit."""
    context.setdefault("user", getattr(request.state, "user", None))
    flash = request.cookies.get(FLASH)
    if flash is not None:  # the notice a redirect handed over (app.web.session)
        key = unquote(flash)
        if not context.get("notice") and key.startswith("web.") and has(key):
            context["notice"] = t(key)
    refused = request.cookies.get(flash_module.COOKIE)
    if refused is not None and not context.get("error"):
        context["error"] = flash_module.take(request)
    context.setdefault("htmx", is_htmx(request))
    response = templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
    if flash is not None:
        response.delete_cookie(FLASH, path="/", httponly=True, samesite="lax")
    if refused is not None:
        response.delete_cookie(flash_module.COOKIE, path="/", httponly=True, samesite="lax")
    csrf.set_cookie_if_new(request, response)
    return response


def redirect(url: str, *, status_code: int = 303) -> RedirectResponse:
    """After a POST: 303 See Other, so the browser GETs the next page (POST, redirect, GET)."""
    return RedirectResponse(url, status_code=status_code)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to return to: never another site (``//host``, ``https://…``, ``\\``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
