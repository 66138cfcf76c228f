"""``GET /metrics``: Prometheus text (docs/deploy.md, Metrics).

What a process counts — requests by method, route template and status, their latency, its
database pools — is kept by ``prometheus_client``; with several uvicorn workers in
multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, which ``registry serve`` makes and empties at
start), so whichever worker answers a scrape reports the sum over all of them. What the
database knows — the change feed's head, webhook backlog, pending deliveries and failed
attempts — is read from it at each scrape, so every node reports the same figures.

``prometheus_client`` picks its storage when it is first imported: nothing here imports it
before ``prepare_multiprocess_dir`` ran.
"""

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from starlette.types import Scope

from app.vocab import DeliveryStatus

ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: the latency buckets (a page read is ~5 ms, an import may take a minute).
# Answers gzip leaves alone: spreadsheets are zip files already.
SPREADSHEET_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-excel",
)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def prepare_multiprocess_dir() -> str:
    """The directory the worker processes share their counts in: ``PROMETHEUS_MULTIPROC_DIR``
    emptied (counts of an earlier run would be added), or a new temporary one removed at exit."""
    path = os.environ.get(ENV)
    if path:
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):
            if name.endswith(".db"):
                os.remove(os.path.join(path, name))
        return path
    path = tempfile.mkdtemp(prefix="registry-metrics-")
    os.environ[ENV] = path
    atexit.register(shutil.rmtree, path, True)
    return path


def multiprocess() -> bool:
    return bool(os.environ.get(ENV))


@lru_cache
def _instruments() -> dict[str, Any]:
    from prometheus_client import Counter, Gauge, Histogram

    return {
        "requests": Counter(
            "registry_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
        ),
        "latency": Histogram(
            "registry_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by route template",
            ["method", "route"],
            buckets=BUCKETS,
        ),
        "pool": Gauge(
            "registry_db_pool_connections",
            "Database connections of this node's pools (PostgreSQL): checked out or idle",
            ["pool", "state"],
            multiprocess_mode="livesum",
        ),
    }


MAX_CHILDREN = 4096  # (route, method, status) combinations whose children are kept


def _engine_counts(engine: Engine) -> tuple[int, int]:
    pool: Any = engine.pool
    return pool.checkedout(), pool.checkedin()


class RequestMetrics:
    """Called by ``app.middleware.RequestContext`` at the end of every request."""

    def __init__(
        self,
        pools: dict[str, Engine],
        counted: dict[str, Callable[[], tuple[int, int] | None]] | None = None,
    ) -> None:
        """``pools``: engines by name; ``counted``: other pools by name, each as a function
        of its (checked out, idle) connections, None while it has none (app/db/async_reads)."""
        self.instruments = _instruments()
        # SQLite has no pool worth counting (one file, connections per thread)
        self.pools: dict[str, Callable[[], tuple[int, int] | None]] = {
            name: partial(_engine_counts, e)
            for name, e in pools.items()
            if e.dialect.name != "sqlite"
        }
        self.pools.update(counted or {})
        self._pool_children: dict[tuple[str, str], Any] = {}
        self._children: dict[tuple[int, str, int], tuple[Any, Any]] = {}
        self._pool_counts: dict[str, tuple[int, int]] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        method = scope.get("method", "")
        # The counter's and the histogram's children of this route, method and status, looked up
        # once: ``labels()`` takes a lock and builds its key on every call (docs/benchmarks.md).
        # A route object stands for one template (its prefix is its routers'); no route is
        # "unmatched" whatever the path.
        key = (id(route), method, status)
        children = self._children.get(key)
        if children is None:
            children = self._labelled(route, scope.get("path"), method, status)
            if len(self._children) < MAX_CHILDREN:  # methods are the client's to invent
                self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        for name, counted in self.pools.items():
            counts = counted()
            if counts is not None and self._pool_counts.get(name) != counts:  # set when it moves
                self._pool_counts[name] = counts
                self._pool(name, "checked_out").set(counts[0])
                self._pool(name, "idle").set(counts[1])

    def _labelled(self, route: Any, path: str | None, method: str, status: int) -> tuple[Any, Any]:
        from app.middleware import route_template

        template = route_template(route, path) or "unmatched"
        return (
            self.instruments["requests"].labels(method, template, str(status)),
            self.instruments["latency"].labels(method, template),
        )

    def _pool(self, name: str, state: str) -> Any:
        child = self._pool_children.get((name, state))
        if child is None:
            child = self._pool_children[(name, state)] = self.instruments["pool"].labels(
                name, state
            )
        return child


def database_figures(engine: Engine) -> dict[str, float]:
    """What every node reports alike, read at the scrape."""
    with engine.connect() as conn:
        head = conn.execute(text("SELECT COALESCE(MAX(seq), 0) FROM change")).scalar_one()
        pending = conn.execute(
            text("SELECT COUNT(*) FROM webhook_delivery WHERE status = :pending"),
            {"pending": DeliveryStatus.PENDING},
        ).scalar_one()
        failed = conn.execute(
            text(
                "SELECT COUNT(*) FROM webhook_attempt WHERE error IS NOT NULL "
                "OR status_code IS NULL OR status_code < 200 OR status_code > 299"
            )
        ).scalar_one()
        disabled = conn.execute(text("SELECT COUNT(*) FROM webhook WHERE NOT active")).scalar_one()
        backlog = 0
        for cursor, entities in conn.execute(
            text("SELECT cursor, entities FROM webhook WHERE active")
        ).all():
            names = [e.strip() for e in (entities or "").split(",") if e.strip()]
            if names:
                backlog += conn.execute(
                    text(
                        "SELECT COUNT(*) FROM change WHERE seq > :c AND entity IN :names"
                    ).bindparams(bindparam("names", expanding=True)),
                    {"c": cursor, "names": names},
                ).scalar_one()
    return {
        "head": head,
        "pending": pending,
        "failed": failed,
        "disabled": disabled,
        "backlog": backlog,
    }


def exposition(engine: Engine) -> tuple[bytes, str]:
    """The scrape's body and content type: the processes' counts, then the database's."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    from prometheus_client.core import GaugeMetricFamily

    _instruments()  # this process's instruments exist (a scrape may be its first request)
    if multiprocess():
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)

    try:
        figures: dict[str, float] | None = database_figures(engine)
    except Exception as exc:  # the scrape still shows the processes' counts, and the outage
        from app.errors import database_unavailable

        if not database_unavailable(exc):
            raise
        figures = None
    families = [
        GaugeMetricFamily(
            "registry_database_up",
            "1 when the database answered this scrape, else 0",
            value=0 if figures is None else 1,
        )
    ]
    if figures is not None:
        families += database_families(figures)

    class _Database:
        def collect(self) -> list[Any]:
            return families

    database = CollectorRegistry(auto_describe=False)
    database.register(_Database())
    return body + generate_latest(database), CONTENT_TYPE_LATEST


def database_families(figures: dict[str, float]) -> list[Any]:
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

    return [
        GaugeMetricFamily(
            "registry_feed_head_seq",
            "Sequence number of the newest change in the feed",
            value=figures["head"],
        ),
        GaugeMetricFamily(
            "registry_webhook_queue_changes",
            "Changes active webhooks subscribe to and have not yet been handed",
            value=figures["backlog"],
        ),
        GaugeMetricFamily(
            "registry_webhook_pending_deliveries",
            "Deliveries waiting to be sent or retried",
            value=figures["pending"],
        ),
        CounterMetricFamily(
            "registry_webhook_failed_attempts",
            "Webhook POSTs that failed (no answer, or not 2xx), since the registry began",
            value=figures["failed"],
        ),
        GaugeMetricFamily(
            "registry_webhooks_disabled",
            "Webhooks disabled after failing too often",
            value=figures["disabled"],
        ),
    ]


def install(app: Any) -> None:
    """``GET /metrics`` (REGISTRY_METRICS=false leaves it out: 404)."""
    from fastapi import APIRouter, Request
    from fastapi.responses import Response

    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    def metrics(request: Request) -> Response:
        body, content_type = exposition(request.app.state.engine)
        return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})

    app.include_router(router)
