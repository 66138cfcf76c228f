"""The request body limit (REGISTRY_MAX_BODY_BYTES): a bureau's server must not read a 2 GB upload
into memory. The spreadsheet row limit (REGISTRY_MAX_UPLOAD_ROWS) is applied where uploads are
read: ``app.spreadsheets.reading.read_table(max_rows=)``, given the setting by ``UploadDep``
(app.spreadsheets.upload) and the CLI; the XLSX inflation limit is checked there too."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import headers
from app.errors import TooLarge
from app.i18n import t


class BodyTooLarge(TooLarge):
    error = "too_large"


def _too_large_body(limit: int) -> bytes:
    detail = t("too_large.body", limit=limit)
    return json.dumps({"error": "too_large", "detail": detail}, ensure_ascii=False).encode()


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
        state = {"received": 0, "exceeded": False, "started": False}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    state["exceeded"] = True
                    raise BodyTooLarge(msg="too_large.body", limit=self.max_bytes)
            return message

        async def guarded_send(message: Message) -> None:
            # FastAPI turns an error while reading the body into its own 400; whatever the app
            # answers once the limit was crossed, the client gets the 413.
            if state["exceeded"]:
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await self._refuse(send)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not state["started"]:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _too_large_body(self.max_bytes)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    value = headers.raw(scope, b"content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
