"""HTTP caching of the public API, one concern per module:

- ``version``: ``DataVersion``, the registry's data version (read per request on SQLite; kept in
  memory and followed by ``LISTEN`` on PostgreSQL), fed by the commit hooks it is given;
- ``validators``: ETags, ``Last-Modified`` and their comparisons;
- ``pages``: ``PageCache``, the LRU of rendered public answers;
- ``middleware``: ``HttpCache``, the ASGI middleware that answers 304s and serves the cache.

Nothing here imports a domain package: ``app.main`` hands ``DataVersion`` the recorder's hooks.
"""

from app.caching.middleware import HttpCache
from app.caching.pages import PageCache
from app.caching.validators import etag_for, http_date, matches
from app.caching.version import DataVersion

__all__ = ["DataVersion", "HttpCache", "PageCache", "etag_for", "http_date", "matches"]
