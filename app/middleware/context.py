"""The request context: what every HTTP request gets, whatever route answers it.

One pure-ASGI middleware, outermost after Starlette's own error middleware, so that it sees every
response — the routes', the error handlers', the body-size limit's 413, a CORS refusal — and
every exception a route let escape:

- a request id: the caller's ``X-Request-ID`` when it is a short safe token, else a new one; sent
  back as ``X-Request-ID`` and written on the request's log line;
- ``request.state``: ``request_id``, ``csp_nonce`` (``app.middleware.security``) and
  ``client_ip`` (the peer, or behind a proxy of ``REGISTRY_TRUSTED_PROXIES`` the client it names);
- the caller: the token dependency calls ``set_actor`` so the log line names who it was;
- one JSON log line per request (``registry.access``, ``app.middleware.jsonlog``) and its
  metrics (``app.metrics.RequestMetrics``) at its end;
- the security headers of ``app.middleware.security`` on every response;
- an escaped exception logged once (``registry.error``, with the traceback) and answered by
  ``app.middleware.failures`` (500, or 503 for a database outage) unless the answer had begun.
"""

import logging
import re
import secrets
import time
from contextvars import ContextVar
from typing import Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import headers
from app.errors import database_unavailable
from app.middleware.failures import internal_error, unavailable
from app.middleware.jsonlog import request_line
from app.middleware.security import security_headers

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

access_log = logging.getLogger("registry.access")
error_log = logging.getLogger("registry.error")

# The request being served: its id and, once the token was read, who the caller is. A dict held
# in a context variable: sync dependencies run in worker threads on a *copy* of the context, so
# they cannot set a variable the middleware would see, but they can fill in this shared dict.
_current: ContextVar[dict[str, Any] | None] = ContextVar("registry_request", default=None)


class Observer(Protocol):
    """What counts requests (``app.metrics.RequestMetrics``)."""

    def observe(self, scope: Scope, status: int, seconds: float) -> None: ...


class Actor(Protocol):
    """The caller a token stood for (``app.access.principal.Principal``)."""

    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def token_id(self) -> int | None: ...


def current_request_id() -> str | None:
    state = _current.get()
    return state["request_id"] if state else None


def set_actor(principal: Actor | None) -> None:
    """Called by the token dependency: the log line of this request names the caller."""
    state = _current.get()
    if state is not None and principal is not None:
        state["actor"] = principal.name
        state["role"] = principal.role
        state["token_id"] = principal.token_id


class RequestContext:
    """The middleware of this module's docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        trusted_proxies: list[str],
        access_log_enabled: bool = True,
        metrics: Observer | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.trusted_proxies = set(trusted_proxies)
        self.access_log_enabled = access_log_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = headers.text(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else secrets.token_hex(8)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})
        scope["state"]["request_id"] = request_id
        scope["state"]["csp_nonce"] = nonce
        scope["state"]["client_ip"] = headers.client_address(scope, self.trusted_proxies)
        state: dict[str, Any] = {"request_id": request_id, "status": None}
        token = _current.set(state)
        started = time.perf_counter()
        extra = [
            (b"x-request-id", request_id.encode()),
            *security_headers(nonce, https=headers.is_https(scope, self.trusted_proxies)),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                kept = headers.without(message.get("headers", []), (b"x-request-id",))
                message = {**message, "headers": kept + extra}
            await send(message)

        try:
            await self._answer(scope, receive, send_with_headers, state, started)
        finally:
            if self.access_log_enabled:
                request_line(access_log, logging.INFO, "request", scope, state, started)
            if self.metrics is not None:
                self.metrics.observe(scope, state["status"] or 500, time.perf_counter() - started)
            _current.reset(token)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, state: dict[str, Any], started: float
    ) -> None:
        """The app's answer; an escaped exception is answered by ``internal_error`` (or
        ``unavailable``) when nothing was sent yet."""
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if state["status"] is None and database_unavailable(exc):
                # raised outside the routes (a middleware's read): 503, as the routes' are
                error_log.warning("database unavailable, answered 503: %s", type(exc).__name__)
                await unavailable(scope, receive, send)
                return
            request_line(error_log, logging.ERROR, "unhandled error", scope, state, started, True)
            if state["status"] is not None:
                raise  # the response had begun: the server can only drop the connection
            await internal_error(scope, send, state["request_id"])
