"""gzip of text answers, for the clients that ask for it (docs/deploy.md).

Starlette's ``GZipMiddleware`` wraps every answer in a responder, also when the client did not
send ``Accept-Encoding: gzip`` (wrk, curl, most API clients): that one compresses nothing but
still parses the answer's headers twice and holds its start until the body. ``Gzip`` answers
those requests with a lean pass-through that adds the same ``Vary: Accept-Encoding`` where
Starlette's would (text bodies of ``minimum_size`` or more, or streamed; not already encoded,
not 206, not an excluded type), and leaves the rest to Starlette's gzip responder.
"""

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Message, Receive, Scope, Send

VARY = b"Accept-Encoding"


def asks_for_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value
    return False


class Gzip(GZipMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or asks_for_gzip(scope):
            await super().__call__(scope, receive, send)
            return
        held: Message | None = None
        passing = False

        async def identity(message: Message) -> None:
            nonlocal held, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                if message["status"] == 206 or self._as_is(message.setdefault("headers", [])):
                    passing = True
                    await send(message)
                else:
                    held = message
            elif held is None:  # pragma: no cover  (a body before its start)
                await send(message)
            else:
                start, held, passing = held, None, True
                if message["type"] == "http.response.body" and (
                    message.get("more_body", False)
                    or len(message.get("body", b"")) >= self.minimum_size
                ):
                    _add_vary(start["headers"])
                await send(start)
                await send(message)

        await self.app(scope, receive, identity)

    def _as_is(self, headers: list[tuple[bytes, bytes]]) -> bool:
        """Already encoded, or of a type never compressed: sent without a Vary."""
        media = ""
        for name, value in headers:
            if name == b"content-encoding":
                return True
            if name == b"content-type":
                media = value.decode("latin-1").partition(";")[0].strip().lower()
        types = {media, media.partition("/")[0] + "/*"}
        if media.startswith("application/grpc+"):
            types.add("application/grpc")
        return not types.isdisjoint(self.exclude_content_types)


def _add_vary(headers: list[tuple[bytes, bytes]]) -> None:
    """Starlette's ``add_vary_header``: appended to a Vary already there."""
    for index, (name, value) in enumerate(headers):
        if name == b"vary":
            headers[index] = (name, value + b", " + VARY)
            return
    headers.append((b"vary", VARY))
