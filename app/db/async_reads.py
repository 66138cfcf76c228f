"""PostgreSQL reads on the event loop: ``read_rows``' statements through asyncpg, for the hottest
``async`` routes (``GET /api/v1/programs``), with no worker thread between the request and the
database.

Through ``run_read`` every page handed its read to a worker thread and waited for it (the hop
itself cost more CPU than the query's own client side, docs/benchmarks.md "Latest figures",
"After it"); here the request awaits the statement on the event loop. asyncpg prepares
each statement once per connection (its statement cache): PostgreSQL plans it for its values
the first five times, then keeps a generic plan only when that is no worse — as psycopg's
prepared statements do.

- ``AsyncReader``: one pool per event loop (made on first use, inside that loop: a test client
  runs each of its portals in a loop of its own), at most ``size`` connections, closed by
  ``close``; connections are not reset when they go back to the pool (they only ever ran
  single SELECTs in autocommit: nothing to reset, and a reset is a round trip).
- ``rows``: every row of a statement (and optionally of a second one chosen from them, on the
  same connection); a connection the server dropped (a restart) is replaced and the read
  retried once, like ``read_rows``.
"""

import asyncio
import weakref
from collections.abc import Sequence
from typing import Any

import asyncpg
from anyio import CapacityLimiter
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.engine import URL, Dialect

from app.db.reads import Then

# The dialect statements are compiled for when asyncpg runs them ($1, $2 … parameters).
DIALECT: Dialect = PGDialect_asyncpg()

# What a dropped connection raises (server restart, network): the read is retried once.
_DROPPED = (
    asyncpg.PostgresConnectionError,  # the connection is gone
    asyncpg.AdminShutdownError,  # the server was shut down (restarted) under it
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # a connection left mid-operation by a read cut short
    OSError,
)


async def _statements(
    conn: asyncpg.Connection, sql: str, params: Sequence[Any], then: Then | None
) -> Sequence[Any]:
    """``rows``' statement (and ``then``'s) on one connection."""
    found: Sequence[Any] = await conn.fetch(sql, *params)
    if then is None:
        return found
    following = then(found)
    if following is None:
        return []
    rows: Sequence[Any] = await conn.fetch(following[0], *following[1])
    return rows


async def _keep(connection: asyncpg.Connection) -> None:
    """The pool's reset: none (this module's docstring)."""


class AsyncReader:
    """asyncpg pools of one PostgreSQL database, one per event loop."""

    def __init__(self, url: URL, size: int, settings: dict[str, str] | None = None) -> None:
        self.dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.size = max(1, size)
        self.settings = settings or {}  # the server's settings on each connection
        self._pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[Any]] = (
            weakref.WeakKeyDictionary()
        )
        # The reads that hold a connection, first come first served: asyncpg's own queue lets a
        # newcomer take a connection released for a reader already waiting (measured: p99 of
        # the pages under 32 clients 50-100 → 90-160 ms without this).
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = (
            weakref.WeakKeyDictionary()
        )

    async def _pool(self) -> asyncpg.Pool:
        loop = asyncio.get_running_loop()
        made = self._pools.get(loop)
        if made is None or (made.done() and (made.cancelled() or made.exception() is not None)):
            made = self._pools[loop] = loop.create_task(self._made())
        pool: asyncpg.Pool = await asyncio.shield(made)
        return pool

    async def _made(self) -> asyncpg.Pool:
        pool: asyncpg.Pool = await asyncpg.create_pool(
            self.dsn, min_size=1, max_size=self.size, reset=_keep, server_settings=self.settings
        )
        return pool

    async def rows(
        self, sql: str, params: Sequence[Any], then: Then | None = None
    ) -> Sequence[Any]:
        """``read_rows`` on the event loop (this module's docstring)."""
        pool = await self._pool()
        turns = self._turns.get(asyncio.get_running_loop())
        if turns is None:
            turns = self._turns[asyncio.get_running_loop()] = CapacityLimiter(self.size)
        for attempt in (1, 2):
            try:
                async with turns, pool.acquire() as conn:
                    try:
                        return await _statements(conn, sql, params, then)
                    except BaseException:
                        # A read cut short (the server gone, the request cancelled) can leave
                        # the connection mid-operation, and the pool does not reset it (_keep):
                        # it must not serve the next read.
                        conn.terminate()
                        raise
            except _DROPPED:
                if attempt == 2:
                    raise
                await pool.expire_connections()  # the others went with the same server
        raise AssertionError("unreachable")

    def counts(self) -> tuple[int, int] | None:
        """(checked out, idle) connections of the running loop's pool; None before it is made
        (the metrics' pool gauges, ``pool="pages"``)."""
        try:
            made = self._pools.get(asyncio.get_running_loop())
        except RuntimeError:  # no loop running here
            return None
        if made is None or not made.done() or made.cancelled() or made.exception() is not None:
            return None
        pool: asyncpg.Pool = made.result()
        idle = pool.get_idle_size()
        return pool.get_size() - idle, idle

    async def close(self) -> None:
        """Closes the pool of the running loop (the app's shutdown)."""
        made = self._pools.pop(asyncio.get_running_loop(), None)
        if made is not None and made.done() and not made.cancelled() and made.exception() is None:
            await made.result().close()
