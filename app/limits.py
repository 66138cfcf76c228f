"""Request limits: the body size (REGISTRY_MAX_BODY_BYTES) and the spreadsheet row count
(REGISTRY_MAX_UPLOAD_ROWS) — a bureau's server must not read a 2 GB upload into memory."""

import json
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooLarge


class BodyTooLarge(TooLarge):
    error = "too_large"


def _too_large_body(limit: int) -> bytes:
    detail = f"the request body is larger than {limit} bytes"
    return json.dumps({"error": "too_large", "detail": detail}).encode()


class BodySizeLimit:
    """Refuses bodies over ``max_bytes`` with 413: at once when Content-Length says so, and by
    counting the bytes as they arrive otherwise (chunked uploads have no Content-Length, and a
    client can lie in it)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send)
            return
        started = False
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(f"the request body is larger than {self.max_bytes} bytes")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Normally the app's error handler already answered 413; this covers a body read
            # outside a route (middleware), where no handler runs.
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _too_large_body(self.max_bytes)
        await send({
            "type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def upload_row_limit(request: Request) -> int:
    """The most data rows an uploaded spreadsheet may have; pass it to ``read_table(max_rows=)``."""
    settings: Any = request.app.state.settings
    return int(settings.max_upload_rows)


MaxUploadRows = Annotated[int, Depends(upload_row_limit)]
