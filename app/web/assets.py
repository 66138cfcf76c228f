"""Static files with versioned URLs (issue 25 item 11): ``static("css/app.css")`` is
``/static/css/app.css?v=<first 10 hex of its SHA-256>``. A request naming the file's current
version is answered ``Cache-Control: public, max-age=31536000, immutable`` (a new release changes
the URL, never the file under it); any other request of a static file revalidates
(``no-cache``: the ETag makes that a 304). The files are part of the release: hashed once."""

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC = Path(__file__).resolve().parent / "static"
FOREVER = "public, max-age=31536000, immutable"


@cache
def version(path: str) -> str:
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:10]


def static(path: str) -> str:
    """The versioned URL of a file under app/web/static."""
    return f"/static/{path}?v={version(path)}"


class VersionedStatic(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        current = response.status_code in (200, 304) and _current(path, asked)
        response.headers["Cache-Control"] = FOREVER if current else "no-cache"
        return response


def _current(path: str, asked: str) -> bool:
    try:
        return bool(asked) and asked == version(path)
    except (OSError, ValueError):
        return False


def install_assets(app: FastAPI) -> None:
    app.mount("/static", VersionedStatic(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for it whatever the page says; a day's cache."""
        return FileResponse(
            STATIC / "favicon.ico",
            media_type="image/x-icon",
            headers={"Cache-Control": "public, max-age=86400"},
        )
