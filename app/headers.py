"""Reading an ASGI request's headers and cookies, and editing a response's header list.

The one place the pure ASGI middlewares read ``scope["headers"]`` (lower-case names, latin-1
values as the server received them): the first value of a header, a cookie by name (and the
pairs of a ``Cookie`` value), the scheme the request arrived with and the client's address
(behind a trusted proxy, what its ``X-Forwarded-Proto`` / ``X-Forwarded-For`` say). Response
helpers work on the ``(name, value)`` byte pairs of an ``http.response.start`` message in place.
"""

from collections.abc import Collection, Iterable

from starlette.types import Scope

RawHeaders = list[tuple[bytes, bytes]]


def raw(scope: Scope, name: bytes) -> bytes | None:
    """The first value of request header ``name`` (lower case), as bytes; None when absent."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def text(scope: Scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower case), decoded latin-1."""
    value = raw(scope, name)
    return None if value is None else value.decode("latin-1")


def as_dict(scope: Scope) -> dict[bytes, bytes]:
    """Every request header by name (the last value of a repeated header)."""
    return {bytes(name): bytes(value) for name, value in scope.get("headers", ())}


def cookies_in(value: str) -> Iterable[tuple[str, str]]:
    """The ``(name, value)`` pairs of a ``Cookie`` header's value, stripped."""
    for part in value.split(";"):
        name, _, found = part.strip().partition("=")
        if name:
            yield name, found.strip()


def cookie(scope: Scope, name: str) -> str | None:
    """The value of cookie ``name`` sent with the request; None when absent or empty."""
    header = text(scope, b"cookie")
    if header is None:
        return None
    return next((value for key, value in cookies_in(header) if key == name and value), None)


def peer(scope: Scope) -> str | None:
    """The address of the connection's other end (the client, or a proxy in front of us)."""
    client = scope.get("client")
    return str(client[0]) if client else None


def is_https(scope: Scope, trusted_proxies: Collection[str]) -> bool:
    """The request came over HTTPS: to this server directly, or through a proxy listed in
    ``trusted_proxies`` that says so in ``X-Forwarded-Proto`` (its first value)."""
    if scope.get("scheme") == "https":
        return True
    if peer(scope) not in trusted_proxies:
        return False
    proto = text(scope, b"x-forwarded-proto") or ""
    return proto.split(",")[0].strip().lower() == "https"


def client_address(scope: Scope, trusted_proxies: Collection[str]) -> str:
    """The client's address: the peer's, or behind a trusted proxy the nearest address of
    ``X-Forwarded-For`` that is not itself a trusted proxy."""
    address = peer(scope) or "unknown"
    if address not in trusted_proxies:
        return address
    forwarded = [a.strip() for a in (text(scope, b"x-forwarded-for") or "").split(",")]
    for hop in reversed([a for a in forwarded if a]):
        if hop not in trusted_proxies:
            return hop
    return address


def has(headers: RawHeaders, name: bytes) -> bool:
    """Response ``headers`` hold ``name`` (lower case; compared case-insensitively)."""
    return any(key.lower() == name for key, _ in headers)


def first(headers: RawHeaders, name: bytes) -> bytes | None:
    """The first value of ``name`` in response ``headers`` (compared case-insensitively)."""
    return next((value for key, value in headers if key.lower() == name), None)


def without(headers: Iterable[tuple[bytes, bytes]], names: Collection[bytes]) -> RawHeaders:
    """A copy of ``headers`` without the ones named (lower case)."""
    return [(key, value) for key, value in headers if key.lower() not in names]


def add_vary(headers: RawHeaders, value: bytes) -> None:
    """Appends ``value`` to the ``Vary`` of response ``headers`` (one header, comma-joined)."""
    for index, (key, current) in enumerate(headers):
        if key.lower() == b"vary":
            headers[index] = (key, current + b", " + value)
            return
    headers.append((b"vary", value))
