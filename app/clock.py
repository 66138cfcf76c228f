"""The one clock: timezone-aware UTC now (models' defaults, windows, audit times)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """A moment as every answer writes it: RFC 3339 in UTC ending ``Z`` (the change feed's
    ``at``, pydantic's JSON); a naive time is UTC (SQLite gives them back so)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
