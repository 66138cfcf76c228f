"""HEAD on every GET route, generically: a HEAD request goes through the app as a GET — the
same routing, access checks, ETag/304 and headers, ``Content-Length`` included — and this
middleware drops the body on the way out (RFC 9110 §9.3.2). The access log still says HEAD (the
middleware sits inside the request context, which has read the method already).

A streamed answer (the CSV exports) is still
produced and thrown away: its headers, ``X-Registry-Seq`` and ``X-Checksum-SHA256`` among them,
depend on what it would send."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def send_headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                if ended:
                    return
                if not message.get("more_body", False):
                    ended = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
