"""HTTP caching of the public API: ``ETag`` / ``If-None-Match`` → 304, ``Last-Modified``,
``Cache-Control`` (contract.md: "Change feed, webhooks and caching").

Every public ``GET /api/v1/…`` answer is versioned by ``registry_version`` — one number that every
writing transaction bumps at commit (``app.changes.recorder``) — so the ETag of any public answer
is that number (plus the language, and for time-dependent routes the minute). A request whose
``If-None-Match`` holds the current ETag is answered 304 here, before routing: no query, no
serialisation. The version is read per request on SQLite (one indexed row in-process, ~20 µs);
on PostgreSQL it is kept in memory, updated by this process's own commits at once and by the other
processes' through ``LISTEN registry_version`` (the writer's ``pg_notify`` is delivered at its
commit, a few milliseconds later here); while that listener is not connected, every request reads
the row.

Requests with a token (``Authorization``) or a session cookie are private: their answer may differ
by caller, so they always run (the token is checked) and get a 304 only afterwards, on an ETag
that includes a hash of their credentials, with ``Cache-Control: private, no-cache``.
Routes may set their own validators (published list files: a strong ETag of their checksum and
``immutable``); those are kept, and a matching ``If-None-Match`` is still answered 304.
"""

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.changes import recorder
from app.db import is_sqlite, read_rows, run_read
from app.i18n.middleware import locale_of

log = logging.getLogger("registry.caching")

PREFIX = "/api/v1/"
# Admin views of state the version does not follow (the webhook worker's bookkeeping is quiet).
UNCACHED = ("/api/v1/webhooks",)
# Answers that change with the clock: a round is `open` between two instants.
TIMED = ("/api/v1/rounds", "/api/v1/filings")
PUBLIC_CONTROL = "public, no-cache"
PRIVATE_CONTROL = "private, no-cache"
VARY = b"Accept-Language, Authorization"
NOT_PRIVATE_COOKIES = ("lang", "csrf")
VERSION_SQL = "SELECT version, changed_at FROM registry_version WHERE id = 1"


class DataVersion:
    """The registry's version and when it last changed (ISO 8601), for one database."""

    def __init__(self, engine: Engine, read_engine: Engine) -> None:
        self.read_engine = read_engine
        self.sqlite = is_sqlite(engine)
        self.url = engine.url.render_as_string()
        self.value: tuple[int, str] | None = None
        self.live = False  # PostgreSQL: the LISTEN connection is up, ``value`` is current
        self.schema: str | None = None
        self._task: asyncio.Task | None = None
        # Several nodes (REGISTRY_NODES > 1): read the row on every request instead of trusting
        # the LISTEN value, which lags another node's commit by a NOTIFY's trip (issue 26).
        self.always_read = False

    def read(self) -> tuple[int, str]:
        rows = read_rows(self.read_engine, VERSION_SQL, ())
        return (int(rows[0][0]), rows[0][1]) if rows else (0, "")

    async def get(self, state: Any) -> tuple[int, str]:
        value = self.value
        if self.live and value is not None and not self.always_read:
            return value
        if self.sqlite:
            # One indexed row in-process (~20 µs): read inline, without run_read's turn of the
            # event loop (the page read that follows takes that turn).
            return self.read()
        return await run_read(state, self.read)

    def committed(self, url: str, version: int, at: str) -> None:
        """This process committed a write (``recorder.on_commit``)."""
        if url == self.url:
            self._advance(version, at)

    def _advance(self, version: int, at: str) -> None:
        if self.value is None or version > self.value[0]:
            self.value = (version, at)

    # --- PostgreSQL: LISTEN for the other processes' commits --------------------------------

    def start(self) -> None:
        recorder.on_commit.append(self.committed)
        if not self.sqlite:
            self._task = asyncio.get_running_loop().create_task(self._listen_forever())

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            recorder.on_commit.remove(self.committed)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        self.live = False

    async def _listen_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a restart of the server: fall back to reading the row
                log.warning("registry_version listener down (%s); retrying in %.1f s", exc, delay)
            self.live = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    async def _listen(self) -> None:
        import psycopg

        url = self.read_engine.url.set(drivername="postgresql")
        conn = await psycopg.AsyncConnection.connect(
            url.render_as_string(hide_password=False), autocommit=True
        )
        async with conn:
            cursor = await conn.execute("SELECT current_schema()")
            row = await cursor.fetchone()
            self.schema = row[0] if row else None
            await conn.execute("LISTEN registry_version")
            # after LISTEN: a commit from now on is either in this read or notified
            cursor = await conn.execute(VERSION_SQL)
            row = await cursor.fetchone()
            if row is not None:
                self._advance(int(row[0]), row[1])
            self.live = True
            async for notify in conn.notifies():
                schema, _, rest = notify.payload.partition("|")
                version, _, at = rest.partition("|")
                if schema == self.schema and version.isdigit():
                    self._advance(int(version), at)


# The last ``changed_at`` and its (seconds, HTTP date), replaced as one tuple.
_LAST_DATE: tuple[str, tuple[int, str] | None] = ("", None)


def http_date(iso: str) -> str | None:
    """``changed_at`` as an HTTP date — only once its second is over: two writes in one second
    would otherwise share a Last-Modified, and If-Modified-Since could not tell them apart.
    The last one is kept (every request of an unchanged registry asks for the same)."""
    global _LAST_DATE
    if not iso:
        return None
    last = _LAST_DATE
    if last[0] == iso:
        parsed = last[1]
    else:
        try:
            from datetime import datetime

            seconds = int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
            parsed = (seconds, formatdate(seconds, usegmt=True))
        except ValueError:
            parsed = None
        _LAST_DATE = (iso, parsed)
    if parsed is None or time.time() < parsed[0] + 1:
        return None
    return parsed[1]


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers", ()))


def _private(headers: dict[bytes, bytes]) -> bytes | None:
    """A digest of the caller's credentials, or None for an anonymous request."""
    auth = headers.get(b"authorization")
    cookie = headers.get(b"cookie")
    if cookie is not None:
        names = {part.split(b"=", 1)[0].strip() for part in cookie.split(b";")}
        if names <= {name.encode() for name in NOT_PRIVATE_COOKIES}:
            cookie = None
    if auth is None and cookie is None:
        return None
    return hashlib.sha256((auth or b"") + b"\0" + (cookie or b"")).hexdigest()[:16].encode()


def etag_for(version: int, scope: Scope, path: str, private: bytes | None) -> bytes:
    tag = b'W/"r%d' % version
    locale = locale_of(scope)
    if locale != "zh-CN":
        tag += b"-" + locale.encode()
    if path.startswith(TIMED):
        tag += b"-m%d" % (int(time.time()) // 60)
    if private is not None:
        tag += b"-p" + private
    return tag + b'"'


def matches(if_none_match: bytes | None, etag: bytes) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored; ``*`` matches."""
    if not if_none_match:
        return False
    bare = etag.removeprefix(b"W/")
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate == b"*" or candidate.removeprefix(b"W/") == bare:
            return True
    return False


def _not_modified_since(headers: dict[bytes, bytes], changed_at: str) -> bool:
    since = headers.get(b"if-modified-since")
    last = http_date(changed_at)
    if since is None or last is None or b"if-none-match" in headers:
        return False
    try:
        return parsedate_to_datetime(last) <= parsedate_to_datetime(since.decode("latin-1"))
    except (TypeError, ValueError):
        return False


class PageCache:
    """Rendered public answers keyed by (path, query, language), valid for one registry version:
    a repeated public GET (the same feed page polled by many followers) is served from memory
    without routing, query or serialisation. Least recently used first out, at most
    ``max_bytes`` of bodies; answers over ``max_entry`` bytes (a streamed export) are not kept.
    An entry keeps the route that answered, so the access log of a hit names it too."""

    def __init__(self, max_bytes: int, max_entry: int = 2 * 1024 * 1024) -> None:
        self.max_bytes, self.max_entry = max_bytes, min(max_entry, max_bytes)
        self.size = 0
        self.entries: OrderedDict[tuple, tuple[int, list, bytes, Any]] = OrderedDict()

    def get(self, key: tuple, version: int) -> tuple[list, bytes, Any] | None:
        found = self.entries.get(key)
        if found is None or found[0] != version:
            return None
        self.entries.move_to_end(key)
        return found[1], found[2], found[3]

    def put(self, key: tuple, version: int, headers: list, body: bytes, route: Any = None) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self.entries[key] = (version, headers, body, route)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, _, dropped, _) = self.entries.popitem(last=False)
            self.size -= len(dropped)


class HttpCache:
    """Pure ASGI middleware (the 304 path must stay close to a hello-world's cost)."""

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
        headers = _headers(scope)
        private = _private(headers)
        version, changed_at = await self.versions().get(scope["app"].state)
        etag = etag_for(version, scope, path, private)
        validators = [(b"etag", etag), (b"vary", VARY)]
        last_modified = http_date(changed_at)
        if last_modified and private is None:
            validators.append((b"last-modified", last_modified.encode()))
        control = PRIVATE_CONTROL if private is not None else PUBLIC_CONTROL
        if private is None and (
            matches(headers.get(b"if-none-match"), etag) or _not_modified_since(headers, changed_at)
        ):
            await _send_304(send, [*validators, (b"cache-control", control.encode())])
            return
        wrapped = _Validators(send, headers, validators, control)
        if self.pages is None or private is not None or scope["method"] != "GET":
            await self.app(scope, receive, wrapped)
            return
        if path.startswith(TIMED):
            await self.app(scope, receive, wrapped)
            return
        key = (path, scope.get("query_string", b""), locale_of(scope))
        hit = self.pages.get(key, version)
        if hit is not None:
            if hit[2] is not None:
                scope["route"] = hit[2]  # for the access log
            etag = next((v for n, v in hit[0] if n == b"etag"), b"")
            if matches(headers.get(b"if-none-match"), etag):  # a route's own ETag
                kept = [(n, v) for n, v in hit[0] if n.lower() not in _BODY_HEADERS]
                await _send_304(send, kept)
                return
            # a copy: a layer outside (the gzip) rewrites the list it is sent in place
            await send({"type": "http.response.start", "status": 200, "headers": list(hit[0])})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        keeper = _Keeper(send, self.pages, key, version, scope)  # sees the answer as it is sent
        await self.app(scope, receive, _Validators(keeper, headers, validators, control))


async def _send_304(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


class _Validators:
    """Adds the validators to a 200 answer (keeping a route's own) and turns it into a 304
    when the request's If-None-Match holds its ETag."""

    def __init__(self, send: Send, request: dict[bytes, bytes], validators: list, control: str):
        self.send = send
        self.request = request
        self.validators = validators
        self.control = control.encode()
        self.swallow = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            if message["status"] != 200:
                await self.send(message)
                return
            headers = list(message.get("headers", ()))
            have = {name.lower() for name, _ in headers}
            headers += [(n, v) for n, v in self.validators if n not in have]
            if b"cache-control" not in have:
                headers.append((b"cache-control", self.control))
            etag = next(v for n, v in headers if n.lower() == b"etag")
            if matches(self.request.get(b"if-none-match"), etag):
                self.swallow = True
                kept = [(n, v) for n, v in headers if n.lower() not in _BODY_HEADERS]
                await self.send({"type": "http.response.start", "status": 304, "headers": kept})
                await self.send({"type": "http.response.body", "body": b""})
                return
            await self.send({**message, "headers": headers})
            return
        if not self.swallow:
            await self.send(message)


class _Keeper:
    """Passes the answer on and keeps a copy of a whole 200 answer for the page cache."""

    def __init__(
        self, send: Send, pages: PageCache, key: tuple, version: int, scope: Scope
    ) -> None:
        self.send, self.pages, self.key, self.version = send, pages, key, version
        self.scope = scope  # the router sets the route that answers in it
        self.headers: list | None = None
        self.chunks: list[bytes] | None = []
        self.size = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            if message["status"] != 200 or any(n.lower() == b"set-cookie" for n, _ in headers):
                self.chunks = None
            self.headers = headers
        elif message["type"] == "http.response.body" and self.chunks is not None:
            body = message.get("body", b"")
            self.size += len(body)
            if self.size > self.pages.max_entry:
                self.chunks = None
            else:
                self.chunks.append(body)
                if not message.get("more_body", False) and self.headers is not None:
                    body = b"".join(self.chunks)
                    route = self.scope.get("route")
                    self.pages.put(self.key, self.version, self.headers, body, route)
        await self.send(message)


_BODY_HEADERS = {b"content-length", b"content-type", b"content-disposition", b"transfer-encoding"}
