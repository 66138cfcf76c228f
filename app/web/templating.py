"""Rendering pages: one Jinja2 environment with the catalog's ``t()``, the reader's locale and
the CSRF field; ``render()`` answers an HTML page or, for an htmx request, only its fragment."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.i18n import get_locale, t
from app.localtime import show
from app.web import csrf

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


def zone_label(zone: Any) -> str:
    """A time zone as a person names it: 北京时间 for China's (Asia/Shanghai, Asia/Chongqing …),
    else the zone's IANA name."""
    key = str(getattr(zone, "key", zone))
    return t("web.zone.beijing") if key in CHINA_ZONES else key


CHINA_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC")
env.globals["csrf_input"] = _csrf_input
env.globals["moment"] = show
env.globals["zone_label"] = zone_label
env.globals["query"] = _query


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
    response = templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=headers
    )
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
