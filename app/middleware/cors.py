"""CORS (docs/security.md): Starlette's ``CORSMiddleware`` with the registry's lists.

Only the origins of ``REGISTRY_CORS_ORIGINS`` (none by default) get
``Access-Control-Allow-Origin``; credentials are never allowed cross-origin (bearer tokens go
in a header). What differs from Starlette's answers, as the contract has it: a preflight from
an allowed origin is ``204`` with the allowed methods and headers (the browser holds a request
to them), one from any other origin is ``403 cors_forbidden`` in the reader's language, not a
plain-text 400. A request without ``Origin`` is no CORS request and passes untouched.
"""

import orjson
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import headers
from app.i18n import negotiate, t

ALLOW_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# Headers a browser script of an allowed origin may send, and may read back.
ALLOW_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-None-Match",
    "Accept-Language",
    "X-Request-ID",
)
EXPOSE_HEADERS = (
    "X-Request-ID",
    "ETag",
    "Retry-After",
    "Content-Disposition",
    "X-Checksum-SHA256",
    "Location",
)
MAX_AGE = 600


class Cors(CORSMiddleware):
    """The middleware of this module's docstring."""

    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        super().__init__(
            app,
            allow_origins=[o.rstrip("/") for o in origins if o],
            allow_methods=ALLOW_METHODS,
            allow_headers=ALLOW_HEADERS,
            expose_headers=EXPOSE_HEADERS,
            max_age=MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or headers.raw(scope, b"origin") is None:
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def is_allowed_origin(self, origin: str) -> bool:
        return super().is_allowed_origin(origin.rstrip("/"))

    def preflight_response(self, request_headers: Headers) -> Response:
        if not self.is_allowed_origin(request_headers["origin"]):
            return refusal(request_headers.get("accept-language"))
        answer = super().preflight_response(request_headers)
        kept = {
            name: value
            for name, value in answer.headers.items()
            if name not in ("content-length", "content-type")
        }
        return Response(status_code=204, headers=kept)


def refusal(accept_language: str | None) -> Response:
    """``403 cors_forbidden``: this origin may not call the API from a browser."""
    text = t("cors_forbidden", locale=negotiate(accept_language))
    body = orjson.dumps({"error": "cors_forbidden", "detail": text})
    return Response(
        body, status_code=403, media_type="application/json", headers={"Vary": "Origin"}
    )
