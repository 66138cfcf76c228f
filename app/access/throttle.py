"""Throttling of failed authentication, per client address (docs/security.md).

A client that sent ``auth_fail_limit`` unknown, expired or revoked tokens within
``auth_fail_window_seconds`` is answered ``429 too_many_failures`` with ``Retry-After`` for
every request carrying credentials until that window ends — its tokens are not even looked up.
Requests without credentials (public reads) are never throttled here. The address is the
peer's, or the one a proxy of ``REGISTRY_TRUSTED_PROXIES`` forwarded (``app.middleware``).

Where the counts live:

- PostgreSQL: in the database (``auth_failure``, one row per address: its window's start and
  failures), so every worker of every node counts the same failures — an attacker gets the
  limit once, not once per process (``SharedFailedAuthThrottle``). One indexed read per request
  carrying credentials, one upsert per failure, both on the read engine's autocommit connections
  (not the request's transaction, which a 401 rolls back). Windows are wall-clock seconds: the
  nodes' clocks are kept by NTP.
- SQLite (one node): in the process (a fixed window per address, bounded in number): with
  several workers each counts its own, so the effective limit is at most limit × workers.
"""

import random
import threading
import time
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Column, Float
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from app.db import read_rows
from app.errors import AppError

if TYPE_CHECKING:  # the request is only read here; FastAPI stays out of the services
    from starlette.requests import Request

MAX_TRACKED = 100_000  # addresses remembered at once; the oldest windows are dropped beyond


class TooManyFailures(AppError):
    status_code = 429
    error = "too_many_failures"

    def __init__(self, retry_after: int) -> None:
        super().__init__(error=self.error, seconds=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


class FailedAuthThrottle:
    def __init__(self, limit: int, window_seconds: int) -> None:
        self.limit = limit
        self.window = max(1, window_seconds)
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}  # address → (window start, failures)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        """Seconds the address must wait, or None when it may try."""
        if not self.enabled:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            start, failures = self._counts.get(address, (now, 0))
            if now - start >= self.window:
                return None
            if failures < self.limit:
                return None
            return max(1, int(start + self.window - now + 0.999))

    def failed(self, address: str, now: float | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            start, failures = self._counts.get(address, (now, 0))
            if now - start >= self.window:
                start, failures = now, 0
            self._counts[address] = (start, failures + 1)
            if len(self._counts) > MAX_TRACKED:
                self._forget(now)

    def _forget(self, now: float) -> None:
        expired = [a for a, (start, _) in self._counts.items() if now - start >= self.window]
        for address in expired:
            del self._counts[address]
        while len(self._counts) > MAX_TRACKED:  # all windows current: drop the oldest
            del self._counts[next(iter(self._counts))]


class AuthFailure(SQLModel, table=True):
    """Failed authentications of one client address in its current window (PostgreSQL)."""

    __tablename__ = "auth_failure"
    address: str = Field(primary_key=True, max_length=100)
    window_start: float = Field(sa_column=Column(Float, nullable=False))  # epoch seconds
    failures: int = 0


class Throttle(Protocol):
    @property
    def enabled(self) -> bool: ...

    def retry_after(self, address: str, now: float | None = None) -> int | None: ...

    def failed(self, address: str, now: float | None = None) -> None: ...


_READ = "SELECT window_start, failures FROM auth_failure WHERE address = %(address)s"
_FAILED = """INSERT INTO auth_failure (address, window_start, failures)
VALUES (%(address)s, %(now)s, 1)
ON CONFLICT (address) DO UPDATE SET
  failures = CASE WHEN auth_failure.window_start <= %(cut)s THEN 1
             ELSE auth_failure.failures + 1 END,
  window_start = CASE WHEN auth_failure.window_start <= %(cut)s THEN %(now)s
                 ELSE auth_failure.window_start END
RETURNING failures"""
_FORGET = "DELETE FROM auth_failure WHERE window_start <= %(cut)s RETURNING address"


class SharedFailedAuthThrottle:
    """The same rule as ``FailedAuthThrottle``, counted in the database (PostgreSQL)."""

    FORGET_EVERY = 200  # about one failure in this many also deletes the ended windows

    def __init__(self, engine: Engine, limit: int, window_seconds: int) -> None:
        self.engine = engine  # an AUTOCOMMIT engine (app.db.make_read_engine)
        self.limit = limit
        self.window = max(1, window_seconds)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        if not self.enabled:
            return None
        now = time.time() if now is None else now
        rows = read_rows(self.engine, _READ, {"address": address})
        if not rows:
            return None
        start, failures = rows[0]
        if now - start >= self.window or failures < self.limit:
            return None
        return max(1, int(start + self.window - now + 0.999))

    def failed(self, address: str, now: float | None = None) -> None:
        if not self.enabled:
            return
        now = time.time() if now is None else now
        cut = now - self.window
        read_rows(self.engine, _FAILED, {"address": address, "now": now, "cut": cut})
        if random.randrange(self.FORGET_EVERY) == 0:
            read_rows(self.engine, _FORGET, {"cut": cut})


def make_throttle(read_engine: Engine, limit: int, window_seconds: int) -> Throttle:
    """Shared through the database on PostgreSQL; in the process on SQLite (one node)."""
    if read_engine.dialect.name == "postgresql":
        return SharedFailedAuthThrottle(read_engine, limit, window_seconds)
    return FailedAuthThrottle(limit, window_seconds)


def client_address(request: "Request") -> str:
    """The caller's address as app.middleware resolved it (trusted proxies considered)."""
    resolved = getattr(request.state, "client_ip", None)
    if resolved:
        return resolved
    return request.client.host if request.client else "unknown"


def throttle_of(request: "Request") -> Throttle | None:
    return getattr(request.app.state, "auth_throttle", None)


def check(request: "Request") -> None:
    """429 when the caller's address is throttled (call before looking credentials up)."""
    throttle = throttle_of(request)
    if throttle is not None:
        wait = throttle.retry_after(client_address(request))
        if wait is not None:
            raise TooManyFailures(wait)


def record_failure(request: "Request") -> None:
    """One failed authentication from the caller's address (a bad token, a bad password)."""
    throttle = throttle_of(request)
    if throttle is not None:
        throttle.failed(client_address(request))
