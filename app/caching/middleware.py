"""HTTP caching of the public API (contract.md, "Change feed, webhooks and caching").

``HttpCache`` is a pure ASGI middleware in front of every public ``GET /api/v1/…``:

- the answer gets the validators of ``app.caching.validators`` (ETag from the data version,
  ``Last-Modified``, ``Vary``, ``Cache-Control: public, no-cache``); a request whose
  ``If-None-Match`` (or ``If-Modified-Since``) holds them is answered 304 before routing;
- a request with a token (``Authorization``) or a session cookie is private: it always runs (the
  token is checked), and gets a 304 only afterwards, on an ETag that includes a digest of its
  credentials, with ``Cache-Control: private, no-cache``;
- a route's own validators (published list files: a strong ETag, ``immutable``) are kept, and a
  matching ``If-None-Match`` is still answered 304;
- with a page cache (``REGISTRY_PAGE_CACHE_MB``), whole public 200 answers are kept for their
  version and served without routing (``app.caching.pages``).
"""

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import headers
from app.caching.pages import Key, PageCache
from app.caching.validators import (
    TIMED,
    etag_for,
    http_date,
    matches,
    not_modified_since,
    private_digest,
)
from app.caching.version import DataVersion
from app.headers import RawHeaders
from app.i18n.middleware import locale_of

PREFIX = "/api/v1/"
# Admin views of state the version does not follow (the webhook worker's bookkeeping is quiet).
UNCACHED = ("/api/v1/webhooks",)
PUBLIC_CONTROL = b"public, no-cache"
PRIVATE_CONTROL = b"private, no-cache"
VARY = b"Accept-Language, Authorization"
_BODY_HEADERS = {b"content-length", b"content-type", b"content-disposition", b"transfer-encoding"}


class HttpCache:
    """The middleware of this module's docstring (pure ASGI: the 304 path must stay close to a
    hello-world's cost)."""

    def __init__(
        self, app: ASGIApp, versions: Callable[[], DataVersion], page_cache_bytes: int = 0
    ) -> None:
        self.app = app
        self.versions = versions
        self.pages = PageCache(page_cache_bytes) if page_cache_bytes > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not path.startswith(PREFIX)
            or path.startswith(UNCACHED)
        ):
            await self.app(scope, receive, send)
            return
        request = headers.as_dict(scope)
        private = private_digest(request)
        version, changed_at = await self.versions().get(scope["app"].state)
        etag = etag_for(version, scope, path, private)
        validators = [(b"etag", etag), (b"vary", VARY)]
        last_modified = http_date(changed_at)
        if last_modified and private is None:
            validators.append((b"last-modified", last_modified.encode()))
        control = PRIVATE_CONTROL if private is not None else PUBLIC_CONTROL
        if private is None and (
            matches(request.get(b"if-none-match"), etag) or not_modified_since(request, changed_at)
        ):
            await _send_304(send, [*validators, (b"cache-control", control)])
            return
        wrapped = _Validators(send, request, validators, control)
        if (
            self.pages is None
            or private is not None
            or scope["method"] != "GET"
            or path.startswith(TIMED)
        ):
            await self.app(scope, receive, wrapped)
            return
        key = (path, scope.get("query_string", b""), locale_of(scope))
        if await self._from_cache(self.pages, key, version, scope, request, send):
            return
        keeper = _Keeper(send, self.pages, key, version, scope)  # sees the answer as it is sent
        await self.app(scope, receive, _Validators(keeper, request, validators, control))

    @staticmethod
    async def _from_cache(
        pages: PageCache,
        key: Key,
        version: int,
        scope: Scope,
        request: dict[bytes, bytes],
        send: Send,
    ) -> bool:
        """Answers from the page cache (200, or 304 on the kept ETag); False on a miss."""
        hit = pages.get(key, version)
        if hit is None:
            return False
        kept_headers, body, route = hit
        if route is not None:
            scope["route"] = route  # for the access log
        if matches(request.get(b"if-none-match"), headers.first(kept_headers, b"etag") or b""):
            await _send_304(send, headers.without(kept_headers, _BODY_HEADERS))
            return True
        # a copy: a layer outside (the gzip) rewrites the list it is sent in place
        await send({"type": "http.response.start", "status": 200, "headers": list(kept_headers)})
        await send({"type": "http.response.body", "body": body})
        return True


async def _send_304(send: Send, kept: RawHeaders) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})


class _Validators:
    """Adds the validators to a 200 answer (keeping a route's own) and turns it into a 304
    when the request's If-None-Match holds its ETag."""

    def __init__(
        self, send: Send, request: dict[bytes, bytes], validators: RawHeaders, control: bytes
    ) -> None:
        self.send = send
        self.request = request
        self.validators = validators
        self.control = control
        self.swallow = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] != 200:
                await self.send(message)
                return
            answer = list(message.get("headers", ()))
            have = {name.lower() for name, _ in answer}
            answer += [(n, v) for n, v in self.validators if n not in have]
            if b"cache-control" not in have:
                answer.append((b"cache-control", self.control))
            if matches(self.request.get(b"if-none-match"), headers.first(answer, b"etag") or b""):
                self.swallow = True
                await _send_304(self.send, headers.without(answer, _BODY_HEADERS))
                return
            await self.send({**message, "headers": answer})
            return
        if not self.swallow:
            await self.send(message)


class _Keeper:
    """Passes the answer on and keeps a copy of a whole 200 answer for the page cache."""

    def __init__(self, send: Send, pages: PageCache, key: Key, version: int, scope: Scope) -> None:
        self.send, self.pages, self.key, self.version = send, pages, key, version
        self.scope = scope  # the router sets the route that answers in it
        self.headers: RawHeaders | None = None
        self.chunks: list[bytes] | None = []
        self.size = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            answer = list(message.get("headers", ()))
            if message["status"] != 200 or headers.has(answer, b"set-cookie"):
                self.chunks = None
            self.headers = answer
        elif message["type"] == "http.response.body" and self.chunks is not None:
            body = message.get("body", b"")
            self.size += len(body)
            if self.size > self.pages.max_entry:
                self.chunks = None
            else:
                self.chunks.append(body)
                if not message.get("more_body", False) and self.headers is not None:
                    route = self.scope.get("route")
                    self.pages.put(
                        self.key, self.version, self.headers, b"".join(self.chunks), route
                    )
        await self.send(message)
