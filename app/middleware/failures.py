"""What a request that failed outside the routes' error handlers is answered.

- ``internal_error``: an exception a route let escape, ``500 {"error": "internal_error",
  "detail": {"message", "request_id"}}`` in the reader's language — never Starlette's
  plain-text page;
- ``unavailable``: a database outage raised around the routes (a middleware's read) answers
  as the routes' own outages do (``app.error_handlers.unavailable_response``): ``503
  service_unavailable`` with ``Retry-After``, the page for a browser, else JSON;
- ``send_json``: a small JSON answer sent straight through ASGI ``send``.
"""

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from app import headers
from app.error_handlers import unavailable_response
from app.errors import RETRY_AFTER_SECONDS
from app.headers import RawHeaders
from app.i18n import negotiate, t
from app.i18n.locale import use_locale


def message(name: str, scope: Scope) -> str:
    """The catalog's message in the language the request asks for (the locale middleware sits
    inside the request context, so it is negotiated here again)."""
    return t(name, locale=negotiate(headers.text(scope, b"accept-language")))


async def send_json(send: Send, status: int, body: bytes, extra: RawHeaders) -> None:
    """Sends ``body`` (JSON) with ``status`` and ``extra`` headers."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": extra
            + [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def internal_error(scope: Scope, send: Send, request_id: str) -> None:
    """The 500 of an escaped exception, naming the request id a clerk quotes."""
    text = message("internal_error", scope)
    body = json.dumps(
        {"error": "internal_error", "detail": {"message": text, "request_id": request_id}},
        ensure_ascii=False,
    ).encode()
    await send_json(send, 500, body, [])


async def unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    """The routes' ``503 service_unavailable`` (app.errors), for an outage raised around them."""
    request = Request(scope, receive)
    with use_locale(negotiate(headers.text(scope, b"accept-language"))):
        try:
            response: Response = unavailable_response(request)
        except Exception:  # the page could not be drawn (it reads the database too): JSON
            response = JSONResponse(
                {
                    "error": "service_unavailable",
                    "detail": t("service_unavailable", seconds=RETRY_AFTER_SECONDS),
                },
                503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
    await response(scope, receive, send)
