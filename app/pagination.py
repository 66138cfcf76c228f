"""Keyset pagination: ``{"items": [...], "next": cursor|null}`` with an opaque cursor.

A cursor is the key of the last row of a page (an id, a code, an offset) as base64url JSON. Every
list reads it through one helper (``decode_after``) that also checks its shape, so a forged or
mistyped cursor is ``422 invalid_cursor`` on every list, never a 500 or a silent restart.
Routes take the page as one dependency (``app.params``): ``IdPage`` (lists ordered by id) or
``CodePage`` (by code).
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.errors import Invalid

T = TypeVar("T")
K = TypeVar("K", int, str)

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None


def encode_cursor(key: list[Any]) -> str:
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid() -> Invalid:
    return Invalid(error="invalid_cursor")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The key a cursor carries, as a list; None without a cursor. Only the shape is checked:
    lists read their key with ``decode_after``."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise _invalid() from exc
    if not isinstance(key, list):
        raise _invalid()
    return key


def decode_after(cursor: str | None, kind: type[K]) -> K | None:
    """The one-value key of a ``next`` cursor — an ``int`` (an id, an offset ≥ 0) or a ``str``
    (a code); 422 ``invalid_cursor`` for anything else (``true`` is not an id)."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    if len(key) != 1 or type(key[0]) is not kind:
        raise _invalid()
    value: K = key[0]
    if kind is int and value < 0:  # type: ignore[operator]
        raise _invalid()
    return value


@dataclass(frozen=True)
class PageParams(Generic[K]):
    """The page a list was asked for: the key to start after (None: the first page), its size."""

    after: K | None
    limit: int


def page_of(rows: list[Any], limit: int, key: Any) -> tuple[list[Any], str | None]:
    """Given up to limit+1 rows, the page and the cursor of the row after it (or None)."""
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(key(rows[-1]))
    return rows, None
