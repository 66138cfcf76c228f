"""HTTP validators of the public API's answers: ETags, Last-Modified, their comparisons.

- ``etag_for``: the weak ETag of an answer — the registry's version, plus the language when it
  is not zh-CN, the minute for routes that change with the clock (``TIMED``) and a digest of the
  caller's credentials for a private request (``private_digest``);
- ``matches``: RFC 9110's weak comparison of an ``If-None-Match``;
- ``http_date`` / ``not_modified_since``: ``Last-Modified`` once its second is over, and
  ``If-Modified-Since`` (ignored when ``If-None-Match`` is present).
"""

import hashlib
import time
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime

from starlette.types import Scope

from app import headers
from app.i18n.middleware import LANG_COOKIE, locale_of

# Answers that change with the clock: a round is `open` between two instants.
TIMED = ("/api/v1/rounds", "/api/v1/filings")
# Cookies that do not make a request private (the language, the pages' form token).
NOT_PRIVATE_COOKIES = frozenset({LANG_COOKIE, "csrf"})

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
            seconds = int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
            parsed = (seconds, formatdate(seconds, usegmt=True))
        except ValueError:
            parsed = None
        _LAST_DATE = (iso, parsed)
    if parsed is None or time.time() < parsed[0] + 1:
        return None
    return parsed[1]


def private_digest(request: dict[bytes, bytes]) -> bytes | None:
    """A digest of the caller's credentials (``Authorization``, cookies other than
    ``NOT_PRIVATE_COOKIES``), or None for an anonymous request."""
    auth = request.get(b"authorization")
    cookie = request.get(b"cookie")
    if cookie is not None:
        names = {name for name, _ in headers.cookies_in(cookie.decode("latin-1"))}
        if names <= NOT_PRIVATE_COOKIES:
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


def not_modified_since(request: dict[bytes, bytes], changed_at: str) -> bool:
    """``If-Modified-Since`` holds the registry's last change (and no ``If-None-Match`` came)."""
    since = request.get(b"if-modified-since")
    last = http_date(changed_at)
    if since is None or last is None or b"if-none-match" in request:
        return False
    try:
        return parsedate_to_datetime(last) <= parsedate_to_datetime(since.decode("latin-1"))
    except (TypeError, ValueError):
        return False
