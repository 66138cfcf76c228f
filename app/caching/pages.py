"""The page cache: rendered public answers kept in memory for one registry version.

Keyed by (path, query, language); an entry is valid only for the version it was made at.
Least recently used first out, at most ``max_bytes`` of bodies; an answer over ``max_entry``
bytes (a streamed export) is not kept. An entry keeps the route that answered, so the access log
of a hit names it too.
"""

from collections import OrderedDict
from typing import Any

from app.headers import RawHeaders

Key = tuple[str, bytes, str]


class PageCache:
    """The LRU of this module's docstring."""

    def __init__(self, max_bytes: int, max_entry: int = 2 * 1024 * 1024) -> None:
        self.max_bytes, self.max_entry = max_bytes, min(max_entry, max_bytes)
        self.size = 0
        self.entries: OrderedDict[Key, tuple[int, RawHeaders, bytes, Any]] = OrderedDict()

    def get(self, key: Key, version: int) -> tuple[RawHeaders, bytes, Any] | None:
        """(headers, body, route) of ``key`` at ``version``; None when absent or older."""
        found = self.entries.get(key)
        if found is None or found[0] != version:
            return None
        self.entries.move_to_end(key)
        return found[1], found[2], found[3]

    def put(
        self, key: Key, version: int, headers: RawHeaders, body: bytes, route: Any = None
    ) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self.entries[key] = (version, headers, body, route)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, _, dropped, _) = self.entries.popitem(last=False)
            self.size -= len(dropped)
