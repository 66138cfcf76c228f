"""Mounts the pages on the application: static files, the page routers, HTML error pages."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from app.web import account, public, public_colleges, public_lists
from app.web.assets import install_assets
from app.web.session import SessionLayer
from app.web.templating import render


def install_web(app: FastAPI) -> None:
    install_assets(app)  # /static (versioned URLs, long-lived caching), /favicon.ico
    app.include_router(public.router)
    app.include_router(account.router)
    app.include_router(public_colleges.router)
    app.include_router(public_lists.router)
    app.state.error_page = error_page
    app.add_middleware(SessionLayer)  # the signed-in user of a page (not of /api/)


def error_page(request: Request, status: int, error: str, detail: Any) -> Response:
    """The error family as a page: the catalog's message for the name, the detail if it is a
    message (a dict's ``message``), the name itself for whoever reports it."""
    if isinstance(detail, dict):
        detail = detail.get("message")
    message = detail if isinstance(detail, str) else None
    return render(request, "error.html", status_code=status, error=error, message=message)
