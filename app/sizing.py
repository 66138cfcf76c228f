"""The start-up check of PostgreSQL connections (docs/deploy.md, Sizing).

Every worker process of every node keeps two pools (the session engine and the read engine),
each up to ``db_pool_size + db_max_overflow`` connections, the asyncpg pool of ``GET
/api/v1/programs`` (app/db/async_reads.py, up to ``db_pool_size``), and one LISTEN connection
for other processes' commits (app/caching/version.py); the webhook delivery thread of a node
keeps at most ``WEBHOOK_POOL``. Together they must fit in what the
server lets ordinary roles open: ``max_connections`` less the slots it keeps for superusers.
``registry serve`` refuses to start when they would not, instead of failing requests under load.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.config import Settings
from app.i18n import t

ENGINES_PER_WORKER = 2  # app.db.make_engine and make_read_engine
ASYNC_POOLS_PER_WORKER = 1  # app.db.async_reads.AsyncReader (db_pool_size, no overflow)
LISTENERS_PER_WORKER = 1  # app.caching.DataVersion's LISTEN connection
WEBHOOK_POOL = 2  # the delivery thread's own engine (app/cli serve)


@dataclass(frozen=True)
class Sizing:
    needed: int
    available: int

    @property
    def fits(self) -> bool:
        return self.needed <= self.available


def connections_needed(settings: Settings, *, webhook_worker: bool) -> int:
    pools = ENGINES_PER_WORKER * (settings.db_pool_size + settings.db_max_overflow)
    pools += ASYNC_POOLS_PER_WORKER * settings.db_pool_size
    per_worker = pools + LISTENERS_PER_WORKER
    per_node = max(1, settings.workers) * per_worker + (WEBHOOK_POOL if webhook_worker else 0)
    return max(1, settings.nodes) * per_node


def available_connections(engine: Engine) -> int:
    """``max_connections`` less the reserved slots (superuser, and PostgreSQL 16's reserved)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT name, setting::int FROM pg_settings WHERE name IN "
                "('max_connections', 'superuser_reserved_connections', 'reserved_connections')"
            )
        ).all()
    values: dict[str, int] = {name: int(value) for name, value in rows}
    reserved = values.get("superuser_reserved_connections", 0) + values.get(
        "reserved_connections", 0
    )
    return values["max_connections"] - reserved


def check(engine: Engine, settings: Settings, *, webhook_worker: bool) -> Sizing | None:
    """None on SQLite (one file, no connection limit); else what is needed and available."""
    if engine.dialect.name != "postgresql":
        return None
    return Sizing(
        connections_needed(settings, webhook_worker=webhook_worker), available_connections(engine)
    )


def explain(settings: Settings, sizing: Sizing) -> str:
    """The refusal, in the command's language: the figures and the settings that make them."""
    return t(
        "sizing.too_many",
        needed=sizing.needed,
        available=sizing.available,
        nodes=max(1, settings.nodes),
        workers=max(1, settings.workers),
        pool=settings.db_pool_size,
        overflow=settings.db_max_overflow,
    )
