"""The one clock: timezone-aware UTC now (models' defaults, windows, audit times)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
