"""The uncached page path in-process: variants of the app side by side in one run.

    python -m bench.inprocess [--database-url EMPTY_DB_URL] [--rounds 15] [--requests 400]

Builds the app once per variant on one database (default: a fresh SQLite file; given an empty
database, e.g. PostgreSQL, it migrates and seeds that), page cache off, and drives each with raw
ASGI calls (no socket, no HTTP client: what is left is the app's own CPU, and on PostgreSQL its
read thread's) — ``GET /api/v1/programs?limit=50`` without ``Accept-Encoding``, as wrk and most
API clients send it. The variants alternate round by round (each round runs every variant once,
in a rotating order), so a busy machine slows them alike; the figure is each variant's median
over the rounds of CPU µs per request (``time.process_time``), and the ratio is
against ``before`` of the same run.

Variants (issue 28, cheap CPU wins on the uncached page path):

- ``before``: Starlette's ``GZipMiddleware`` (its identity responder when gzip is not asked for)
  and the metrics' ``labels()`` looked up on every request, as before;
- ``metrics``: only the metrics' children kept per (route, method, status) and the pool gauges
  (PostgreSQL) set only when they move;
- ``gzip``: only the lean pass-through of ``app/compression.py``;
- ``after``: both (the app as it is).
"""

import argparse
import asyncio
import statistics
import tempfile
import time
import types
from pathlib import Path
from typing import Any

from starlette.middleware.gzip import GZipMiddleware

PATH = "/api/v1/programs"
QUERY = b"limit=50"
VARIANTS = ("before", "metrics", "gzip", "after")


def legacy_observe(self: Any, scope: dict, status: int, seconds: float) -> None:
    """RequestMetrics.observe before its children were kept (labels() per request)."""
    from app.middleware import route_template

    route = route_template(scope.get("route"), scope.get("path")) or "unmatched"
    method = scope.get("method", "")
    self.instruments["requests"].labels(method, route, str(status)).inc()
    self.instruments["latency"].labels(method, route).observe(seconds)
    for name, engine in self.pools.items():
        pool: Any = engine.pool
        self._pool(name, "checked_out").set(pool.checkedout())
        self._pool(name, "idle").set(pool.checkedin())


def build(variant: str, url: str) -> Any:
    import app.main as main
    from app.config import Settings
    from app.middleware import RequestContext

    settings = Settings(database_url=url, page_cache_mb=0)
    saved = main.Gzip
    if variant in ("before", "metrics"):
        main.Gzip = GZipMiddleware  # type: ignore[misc]
    try:
        app = main.create_app(settings)
    finally:
        main.Gzip = saved  # type: ignore[misc]
    if variant in ("before", "gzip"):
        for middleware in app.user_middleware:
            if middleware.cls is RequestContext:
                metrics = middleware.kwargs["metrics"]
                metrics.observe = types.MethodType(legacy_observe, metrics)
    return app


async def call(app: Any) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": QUERY,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(url: str, rounds: int, requests: int) -> dict[str, list[float]]:
    apps = {v: build(v, url) for v in VARIANTS}
    contexts = [app.router.lifespan_context(app) for app in apps.values()]
    for context in contexts:
        await context.__aenter__()
    try:
        for app in apps.values():  # warm-up: statements compiled, connections open
            for _ in range(50):
                assert await call(app) == 200
        got: dict[str, list[float]] = {v: [] for v in VARIANTS}
        for n in range(rounds):
            order = VARIANTS[n % len(VARIANTS) :] + VARIANTS[: n % len(VARIANTS)]
            for variant in order:
                app = apps[variant]
                started = time.process_time()
                for _ in range(requests):
                    await call(app)
                got[variant].append((time.process_time() - started) / requests * 1e6)
        return got
    finally:
        for context in reversed(contexts):
            await context.__aexit__(None, None, None)


def fresh_database(folder: Path, url: str | None = None) -> str:
    from app import migrate, seed
    from app.db import make_engine

    url = url or f"sqlite:///{folder / 'inprocess.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    seed.run(engine)
    engine.dispose()
    return url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        help="an empty database to migrate and seed (e.g. PostgreSQL; default: a SQLite file)",
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=400, help="requests per variant a round")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = fresh_database(Path(folder), args.database_url)
        got = asyncio.run(measure(url, args.rounds, args.requests))
    base = statistics.median(got["before"])
    print(f"GET {PATH}?{QUERY.decode()}, page cache off, {args.rounds} rounds × {args.requests}")
    print("| variant | CPU µs per request (median of rounds) | range | ratio to before |")
    print("|---|---|---|---|")
    for variant in VARIANTS:
        values = got[variant]
        median = statistics.median(values)
        print(
            f"| {variant} | {median:.1f} | {min(values):.1f}–{max(values):.1f} "
            f"| {median / base:.3f}× |"
        )


if __name__ == "__main__":
    main()
