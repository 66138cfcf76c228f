"""Throttling of failed authentication, per client address (docs/security.md).

A client that sent ``auth_fail_limit`` unknown, expired or revoked tokens within
``auth_fail_window_seconds`` is answered ``429 too_many_failures`` with ``Retry-After`` for
every request carrying credentials until that window ends — its tokens are not even looked up.
Requests without credentials (public reads) are never throttled here. The address is the
peer's, or the one a proxy of ``REGISTRY_TRUSTED_PROXIES`` forwarded (``app.middleware``).

The counters live in the process (a fixed window per address, bounded in number): with several
workers each counts its own, so the effective limit is at most limit × workers.
"""

import threading
import time

from fastapi import Request

from app.errors import AppError

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


def client_address(request: Request) -> str:
    """The caller's address as app.middleware resolved it (trusted proxies considered)."""
    resolved = getattr(request.state, "client_ip", None)
    if resolved:
        return resolved
    return request.client.host if request.client else "unknown"


def throttle_of(request: Request) -> FailedAuthThrottle | None:
    return getattr(request.app.state, "auth_throttle", None)


def check(request: Request) -> None:
    """429 when the caller's address is throttled (call before looking credentials up)."""
    throttle = throttle_of(request)
    if throttle is not None:
        wait = throttle.retry_after(client_address(request))
        if wait is not None:
            raise TooManyFailures(wait)


def record_failure(request: Request) -> None:
    """One failed authentication from the caller's address (a bad token, a bad password)."""
    throttle = throttle_of(request)
    if throttle is not None:
        throttle.failed(client_address(request))
