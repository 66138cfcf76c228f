"""The API's own documentation pages and the probes: ``/docs`` (Swagger UI), ``/redoc``
(ReDoc), ``/healthz`` (liveness), ``/readyz`` (the database answers).

The documentation assets are vendored in ``app/apidocs_static`` (see its README) and served from
``/docs/static``: FastAPI's defaults load them from a CDN, which leaves the pages blank on an
offline intranet and would need the CDN in the Content-Security-Policy."""

from html import escape
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from app.i18n import t

STATIC_DIR = Path(__file__).parent / "apidocs_static"
STATIC_URL = "/docs/static"

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} – API</title>
<link rel="stylesheet" href="{static}/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="{static}/swagger-ui/favicon-32x32.png">
</head>
<body data-openapi-url="{openapi}">
<div id="swagger-ui"></div>
<script src="{static}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{static}/swagger-init.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} – API</title>
</head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="{static}/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def _page(template: str, request: Request) -> HTMLResponse:
    app = request.app
    html = template.format(
        title=escape(app.title), static=STATIC_URL, openapi=escape(app.openapi_url or "")
    )
    return HTMLResponse(html)


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(_SWAGGER, request)


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return _page(_REDOC, request)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness: the process answers (no database access)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Readiness: the database answers a trivial query; 503 ``not_ready`` when it does not."""
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        detail = f"{t('not_ready')} ({type(exc).__name__})"
        return JSONResponse({"error": "not_ready", "detail": detail}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="apidocs-static")
