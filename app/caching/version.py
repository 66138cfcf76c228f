"""The registry's data version: one number every writing transaction bumps at its commit.

``DataVersion.get`` answers ``(version, changed_at)`` of one database. SQLite: read per request
(one indexed row in-process). PostgreSQL: kept in memory — this process's own commits advance it
at once (``committed``, registered on the commit hooks it is given), the other processes' through
``LISTEN registry_version`` (their ``pg_notify`` arrives at their commit); while that listener is
not connected, or with several nodes (``always_read``), the row is read per request.

The writing side (``app.changes.recorder``) owns the row and the hooks; ``app.main`` hands the
hooks in, so this module knows nothing of who writes.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from app.db import is_sqlite, read_rows, run_read

log = logging.getLogger("registry.caching")

VERSION_SQL = "SELECT version, changed_at FROM registry_version WHERE id = 1"
CommitHook = Callable[[str, int, str], None]  # (engine url, version, changed_at)


class DataVersion:
    """The registry's version and when it last changed (ISO 8601), for one database."""

    def __init__(
        self, engine: Engine, read_engine: Engine, commit_hooks: list[CommitHook] | None = None
    ) -> None:
        self.read_engine = read_engine
        self.sqlite = is_sqlite(engine)
        self.url = engine.url.render_as_string()
        self.commit_hooks = commit_hooks if commit_hooks is not None else []
        self.value: tuple[int, str] | None = None
        self.live = False  # PostgreSQL: the LISTEN connection is up, ``value`` is current
        self.schema: str | None = None
        self._task: asyncio.Task[None] | None = None
        # Several nodes (REGISTRY_NODES > 1): read the row on every request instead of trusting
        # the LISTEN value, which lags another node's commit by a NOTIFY's trip.
        self.always_read = False

    def read(self) -> tuple[int, str]:
        rows = read_rows(self.read_engine, VERSION_SQL, ())
        return (int(rows[0][0]), rows[0][1]) if rows else (0, "")

    async def get(self, state: Any) -> tuple[int, str]:
        value = self.value
        if self.live and value is not None and not self.always_read:
            return value
        if self.sqlite:
            # One indexed row in-process: read inline, without run_read's turn of the event
            # loop (the page read that follows takes that turn).
            return self.read()
        return await run_read(state, self.read)

    def committed(self, url: str, version: int, at: str) -> None:
        """This process committed a write to the database at ``url``."""
        if url == self.url:
            self._advance(version, at)

    def _advance(self, version: int, at: str) -> None:
        if self.value is None or version > self.value[0]:
            self.value = (version, at)

    # --- PostgreSQL: LISTEN for the other processes' commits --------------------------------

    def start(self) -> None:
        """Follows this process's commits and, on PostgreSQL, the others' (in the running loop)."""
        self.commit_hooks.append(self.committed)
        if not self.sqlite:
            self._task = asyncio.get_running_loop().create_task(self._listen_forever())

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.commit_hooks.remove(self.committed)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        self.live = False

    async def _listen_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a restart of the server: fall back to reading the row
                log.warning("registry_version listener down (%s); retrying in %.1f s", exc, delay)
            self.live = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    async def _listen(self) -> None:
        import psycopg

        url = self.read_engine.url.set(drivername="postgresql")
        conn = await psycopg.AsyncConnection.connect(
            url.render_as_string(hide_password=False), autocommit=True
        )
        async with conn:
            cursor = await conn.execute("SELECT current_schema()")
            row = await cursor.fetchone()
            self.schema = row[0] if row else None
            await conn.execute("LISTEN registry_version")
            # after LISTEN: a commit from now on is either in this read or notified
            cursor = await conn.execute(VERSION_SQL)
            row = await cursor.fetchone()
            if row is not None:
                self._advance(int(row[0]), row[1])
            self.live = True
            async for notify in conn.notifies():
                schema, _, rest = notify.payload.partition("|")
                version, _, at = rest.partition("|")
                if schema == self.schema and version.isdigit():
                    self._advance(int(version), at)
