"""What every HTTP response carries, whatever route answered it (docs/security.md).

One pure-ASGI middleware, outermost after Starlette's own error middleware, so that it sees every
response — the routes', the error handlers', the body-size limit's 413 — and every exception a
route let escape:

- a request id: the caller's ``X-Request-ID`` when it is a short safe token, else a new one; sent
  back as ``X-Request-ID`` and written on the request's log line;
- one JSON log line per request (``registry.access``): request id, method, route template, status,
  duration, client address and the actor the token stood for; an escaped exception is logged once
  (``registry.error``, with the traceback) and answered ``500 {"error": "internal_error",
  "detail": {"message", "request_id"}}`` — never Starlette's plain-text page;
- security headers: ``nosniff``, ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY`` for
  old browsers), a Content-Security-Policy with a per-request script nonce
  (``request.state.csp_nonce``, docs/security.md), ``Referrer-Policy``, and HSTS when the request
  came over HTTPS (directly, or through a proxy listed in ``REGISTRY_TRUSTED_PROXIES``);
- CORS: only origins listed in ``REGISTRY_CORS_ORIGINS`` (none by default) get
  ``Access-Control-Allow-Origin``; a preflight from any other origin is ``403 cors_forbidden``.
"""

import json
import logging
import math
import re
import secrets
import sys
import time
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import RETRY_AFTER_SECONDS, database_unavailable, unavailable_response
from app.i18n import negotiate, t

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

access_log = logging.getLogger("registry.access")
error_log = logging.getLogger("registry.error")

# The request being served: its id and, once the token was read, who the caller is. A dict held
# in a context variable: sync dependencies run in worker threads on a *copy* of the context, so
# they cannot set a variable the middleware would see, but they can fill in this shared dict.
_current: ContextVar[dict[str, Any] | None] = ContextVar("registry_request", default=None)

# Headers a browser script of an allowed origin may send, and may read back.
CORS_ALLOW_HEADERS = "Authorization, Content-Type, If-None-Match, Accept-Language, X-Request-ID"
CORS_EXPOSE_HEADERS = (
    "X-Request-ID, ETag, Retry-After, Content-Disposition, X-Checksum-SHA256, Location"
)
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE"


def current_request_id() -> str | None:
    state = _current.get()
    return state["request_id"] if state else None


def set_actor(principal: Any) -> None:
    """Called by the token dependency: the log line of this request names the caller."""
    state = _current.get()
    if state is not None and principal is not None:
        state["actor"] = principal.name
        state["role"] = principal.role
        state["token_id"] = principal.token_id


def message(name: str, accept_language: str | None) -> str:
    """The catalog's message in the language the request asks for (the locale middleware sits
    inside this one, so it is negotiated here again)."""
    return t(name, locale=negotiate(accept_language))


def content_security_policy(nonce: str) -> str:
    """Scripts only from this origin or carrying this response's nonce; styles from this origin
    (inline styles allowed: Swagger UI and ReDoc set them, and a style cannot run code); no
    framing, no plugins, forms post only here. docs/security.md says how pages use the nonce."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    FIELDS = (
        "request_id",
        "method",
        "route",
        "path",
        "status",
        "duration_ms",
        "client",
        "actor",
        "role",
        "token_id",
    )

    # (second, "YYYY-MM-DDTHH:MM:SS.") of the last line: lines within a second share it.
    _second: tuple[int, str] = (-1, "")

    def timestamp(self, created: float) -> str:
        """``created`` as ``datetime.fromtimestamp(created, UTC).isoformat(timespec=
        "milliseconds")`` writes it (rounded to the microsecond, half to even, then cut to the
        millisecond), the date and time formatted once a second."""
        fraction, whole = math.modf(created)
        micro = round(fraction * 1e6)
        if micro >= 1_000_000:
            whole, micro = whole + 1, micro - 1_000_000
        second, prefix = self._second
        if second != whole:
            second = int(whole)
            prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S.")
            self._second = (second, prefix)
        return f"{prefix}{micro // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in self.FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        try:
            return orjson.dumps(entry, default=str).decode()
        except TypeError:  # what orjson refuses (a lone surrogate, an int beyond 64 bits)
            return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it per test)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: str = "info") -> None:
    """JSON lines on stderr for the ``registry`` loggers (once per process)."""
    logger = logging.getLogger("registry")
    if any(isinstance(h, _StderrHandler) for h in logger.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False


def log_config(level: str = "info") -> dict[str, Any]:
    """``logging.config.dictConfig`` of ``registry serve`` (given to uvicorn, which applies it in
    every worker process): uvicorn's own lines (``Started server process``, errors) and every
    other library's go through the same JSON formatter as the app's, on stderr — one format
    for a log shipper. The ``registry`` loggers keep their own handler (``configure_logging``)."""
    handler = {"()": f"{__name__}._StderrHandler", "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            # access lines are the app's own (registry.access); uvicorn's stay off
            "uvicorn.access": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class RequestContext:
    """The middleware of this module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        cors_origins: list[str],
        trusted_proxies: list[str],
        access_log_enabled: bool = True,
        metrics: Any = None,
    ) -> None:
        self.app = app
        self.metrics = metrics  # app.metrics.RequestMetrics, or None
        self.cors_origins = {o.rstrip("/") for o in cors_origins if o}
        self.trusted_proxies = set(trusted_proxies)
        self.access_log_enabled = access_log_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else secrets.token_hex(8)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        scope["state"]["csp_nonce"] = nonce
        scope["state"]["client_ip"] = self._client_ip(scope)
        state: dict[str, Any] = {"request_id": request_id, "status": None}
        token = _current.set(state)
        started = time.perf_counter()
        origin = _header(scope, b"origin")
        try:
            if scope["method"] == "OPTIONS" and origin is not None and self._is_preflight(scope):
                await self._preflight(scope, send, origin, state)
                return
            extra = self._response_headers(scope, request_id, nonce, origin)

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    state["status"] = message["status"]
                    headers = [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if k.lower() != b"x-request-id"
                    ]
                    message = {**message, "headers": headers + extra}
                await send(message)

            try:
                await self.app(scope, receive, send_with_headers)
            except Exception as exc:
                if state["status"] is None and database_unavailable(exc):
                    # raised outside the routes (a middleware's read): 503, as the routes' are
                    error_log.warning("database unavailable, answered 503: %s", type(exc).__name__)
                    await _unavailable(scope, receive, send_with_headers)
                    return
                _log(error_log, logging.ERROR, "unhandled error", scope, state, started, True)
                if state["status"] is not None:
                    raise  # the response had begun: the server can only drop the connection
                await self._internal_error(scope, send_with_headers, request_id)
        finally:
            if self.access_log_enabled:
                _log(access_log, logging.INFO, "request", scope, state, started)
            if self.metrics is not None:
                self.metrics.observe(scope, state["status"] or 500, time.perf_counter() - started)
            _current.reset(token)

    # --- pieces ---------------------------------------------------------------------------

    def _client_ip(self, scope: Scope) -> str:
        """The peer's address; behind a trusted proxy the nearest untrusted one it forwarded."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if peer not in self.trusted_proxies:
            return peer
        forwarded = [a.strip() for a in (_header(scope, b"x-forwarded-for") or "").split(",")]
        for address in reversed([a for a in forwarded if a]):
            if address not in self.trusted_proxies:
                return address
        return peer

    def _is_https(self, scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        client = scope.get("client")
        if client and client[0] in self.trusted_proxies:
            proto = _header(scope, b"x-forwarded-proto") or ""
            return proto.split(",")[0].strip().lower() == "https"
        return False

    def _response_headers(
        self, scope: Scope, request_id: str, nonce: str, origin: str | None
    ) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"x-request-id", request_id.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"content-security-policy", content_security_policy(nonce).encode()),
        ]
        if self._is_https(scope):
            headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        if origin is not None and origin.rstrip("/") in self.cors_origins:
            headers += [
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-expose-headers", CORS_EXPOSE_HEADERS.encode()),
                (b"vary", b"Origin"),
            ]
        return headers

    @staticmethod
    def _is_preflight(scope: Scope) -> bool:
        return _header(scope, b"access-control-request-method") is not None

    async def _preflight(self, scope: Scope, send: Send, origin: str, state: dict) -> None:
        request_id = state["request_id"]
        common = [(b"x-request-id", request_id.encode()), (b"vary", b"Origin")]
        if origin.rstrip("/") not in self.cors_origins:
            text = message("cors_forbidden", _header(scope, b"accept-language"))
            body = json.dumps(
                {"error": "cors_forbidden", "detail": text}, ensure_ascii=False
            ).encode()
            state["status"] = 403
            await _send_json(send, 403, body, common)
            return
        state["status"] = 204
        await send(
            {
                "type": "http.response.start",
                "status": 204,
                "headers": common
                + [
                    (b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"access-control-allow-methods", CORS_METHODS.encode()),
                    (b"access-control-allow-headers", CORS_ALLOW_HEADERS.encode()),
                    (b"access-control-max-age", b"600"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _internal_error(self, scope: Scope, send: Send, request_id: str) -> None:
        text = message("internal_error", _header(scope, b"accept-language"))
        body = json.dumps(
            {"error": "internal_error", "detail": {"message": text, "request_id": request_id}},
            ensure_ascii=False,
        ).encode()
        await _send_json(send, 500, body, [])


def _log(
    logger: logging.Logger,
    level: int,
    message: str,
    scope: Scope,
    state: dict[str, Any],
    started: float,
    exc_info: bool = False,
) -> None:
    """The request's line on ``logger``: what ``logger.log(level, message, extra=…)`` makes,
    with the fields set on the record as they are read (no ``extra`` dict copied into it) and
    no walk up the stack for the caller (the record names this module)."""
    if not logger.isEnabledFor(level):
        return
    record = logger.makeRecord(
        logger.name, level, __file__, 0, message, (), sys.exc_info() if exc_info else None
    )
    record.request_id = state["request_id"]
    record.method = scope["method"]
    record.route = route_template(scope.get("route"), scope.get("path"))
    record.path = scope.get("path")
    record.status = state["status"] or 500
    record.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    record.client = scope["state"].get("client_ip")
    record.actor = state.get("actor")
    record.role = state.get("role")
    record.token_id = state.get("token_id")
    logger.handle(record)


async def _unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    """The routes' ``503 service_unavailable`` (app.errors), for an error raised around them."""
    from starlette.requests import Request

    from app.i18n.locale import locale_token, reset_locale

    request = Request(scope, receive)
    language = locale_token(negotiate(_header(scope, b"accept-language")))
    try:
        response = unavailable_response(request)
    except Exception:  # the page could not be drawn (it reads the database too): the JSON one
        from starlette.responses import JSONResponse

        text = t("service_unavailable", seconds=RETRY_AFTER_SECONDS)
        response = JSONResponse(
            {"error": "service_unavailable", "detail": text},
            503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    finally:
        reset_locale(language)
    await response(scope, receive, send)


async def _send_json(send: Send, status: int, body: bytes, headers: list) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": headers
            + [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def route_template(route: Any, path: str | None) -> str | None:
    """The route's template as /docs shows it: ``/api/v1/tokens/{token_id}``, not its
    ``{token_id:int}``. A route of a router included inside another one (``programs/`` under
    ``/api/v1``) knows only the part below its routers' prefixes; the prefix is then the path's
    leading segments (a template's parameter is one segment)."""
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template or not path:
        return template
    missing = path.count("/") - template.count("/")
    if missing > 0:
        template = "/".join(path.split("/")[: missing + 1]) + template
    return template
