"""Moments in the bureau's time zone (setting ``REGISTRY_TIMEZONE``, default Asia/Shanghai).

Stored moments are UTC. What people type and read is local: a deadline typed as a date means
the end of that day in the bureau's zone (``2026-11-24`` closes at 24:00 Beijing time, i.e.
2026-11-24T16:00Z), a date as an opening means its start (00:00 there), and a date-time without
an offset is local time. A moment with an offset (``…Z``, ``…+08:00``) is taken as given.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator

from app.i18n import t

_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def _keep_dates(value: Any) -> Any:
    """A date-only string stays a date (pydantic would make it midnight of a naive datetime)."""
    if isinstance(value, str) and _DATE_ONLY.match(value):
        return date.fromisoformat(value.strip())
    return value


# A request field that is either a moment or a whole day (resolved by ``to_utc``).
Moment = Annotated[datetime | date, BeforeValidator(_keep_dates)]


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_utc(value: datetime | date, zone: ZoneInfo, *, end_of_day: bool) -> datetime:
    """The UTC moment a typed value means: a day is its start, or its end (24:00) for a
    deadline; a naive date-time is local; an aware one is kept."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.astimezone(UTC)
    day = value + timedelta(days=1) if end_of_day else value
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored (UTC) moment in the bureau's zone."""
    return as_utc(moment).astimezone(zone)


def show(moment: datetime | None, zone: ZoneInfo, *, deadline: bool = False) -> str:
    """A moment as a clerk reads it, in local time without seconds: ``2026-11-24 09:30``; a
    deadline at local midnight reads as the end of the day before (``2026-11-24 24:00``)."""
    if moment is None:
        return ""
    here = local(moment, zone)
    if deadline and (here.hour, here.minute, here.second) == (0, 0, 0):
        before = here - timedelta(days=1)
        return f"{before:%Y-%m-%d} 24:00"
    return f"{here:%Y-%m-%d %H:%M}"


def form_value(moment: datetime, zone: ZoneInfo) -> str:
    """The value of an ``<input type="datetime-local">`` for a stored moment."""
    return f"{local(moment, zone):%Y-%m-%dT%H:%M}"


# China's zones (one time, UTC+8): people call it 北京时间, not Asia/Shanghai (issue 25 item 4)
CHINA_ZONES = ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "PRC")


def zone_label(zone: Any) -> str:
    """A time zone as a person names it: 北京时间 for China's, else the zone's IANA name."""
    key = str(getattr(zone, "key", zone))
    return t("web.zone.beijing") if key in CHINA_ZONES else key
