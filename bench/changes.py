"""Benchmarks of the change feed and HTTP caching, beside an ``async def`` hello-world.

    python -m bench.changes [--backend sqlite|postgresql|both] [--duration 8]

For each backend: a fresh registry (migrate + seed, then program updates until the feed holds
more than 500 changes), the registry and ``bench/minimal_app.py`` as real uvicorn processes pinned
to core 0, wrk (32 connections) on core 1. Measured in one run, one after the other: the
hello-world, ``GET /api/v1/programs`` answered 304 (``If-None-Match`` with its ETag), a 500-item
page of ``GET /api/v1/changes``, and the hello-world again (the reference is the mean of its two
runs). Targets (issue 14): a 304 at ≥ 70% of the hello-world's req/s, the 500-item page at
≥ 35%. Server CPU time per request (``/proc/<pid>/stat``) is printed beside wall-clock figures:
it stays comparable when other work shares the machine. Results: ``bench/out/changes.json``.
"""

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.server import CLIENT_CPU, ROOT, Server, pinned

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TARGETS = {"304": 0.70, "changes500": 0.35, "changes500_uncached": 0.35}


def build_registry(url: str) -> int:
    """Migrate, seed, then update programs until the feed has more than 500 changes."""
    from sqlmodel import Session, select

    from app import migrate, seed, writes
    from app.db import make_engine, writer
    from app.programs import snapshots
    from app.programs.models import Program

    engine = make_engine(url)
    migrate.upgrade(engine)
    seed.run(engine)
    with Session(writer(engine)) as session:
        ids = list(session.exec(select(Program.id)).all())
        while session.execute(text("SELECT count(*) FROM change")).scalar_one() < 520:
            writes.changed(session, snapshots.programs(ids, "updated"))
            session.commit()
        total = session.execute(text("SELECT count(*) FROM change")).scalar_one()
    engine.dispose()
    return int(total)


def wrk(url: str, duration: int, headers: dict[str, str] | None = None) -> dict[str, float]:
    command = ["wrk", "-t1", "-c32", f"-d{duration}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        pinned(CLIENT_CPU, [*command, url]), capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "requests": total, "errors": int(non2xx.group(1)) if non2xx else 0}


def measure(server: Server, url: str, duration: int, headers=None) -> dict[str, float]:
    wrk(url, 1, headers)  # warm-up
    before = server.cpu_seconds()
    result = wrk(url, duration, headers)
    result["cpu_ms"] = 1000 * (server.cpu_seconds() - before) / max(result["requests"], 1)
    return result


def run_backend(backend: str, url: str, duration: int) -> dict:
    items = build_registry(url)
    env = {"REGISTRY_DATABASE_URL": url, "REGISTRY_LOG_LEVEL": "warning"}
    with (
        Server("bench.minimal_app:app", ready="/hello") as minimal,
        Server("app.asgi:app", env=env, ready="/healthz") as registry,
    ):
        programs = f"{registry.url}/api/v1/programs"
        etag = httpx.get(programs).headers["ETag"]
        assert httpx.get(programs, headers={"If-None-Match": etag}).status_code == 304
        page = f"{registry.url}/api/v1/changes?since=0&limit=500"
        assert len(httpx.get(page).json()["items"]) == 500
        hello1 = measure(minimal, f"{minimal.url}/hello", duration)
        not_modified = measure(registry, programs, duration, {"If-None-Match": etag})
        changes = measure(registry, page, duration)
        hello2 = measure(minimal, f"{minimal.url}/hello", duration)
    # the same page without the page cache (REGISTRY_PAGE_CACHE_MB=0): query + splice each time
    with Server(
        "app.asgi:app", env={**env, "REGISTRY_PAGE_CACHE_MB": "0"}, ready="/healthz"
    ) as bare:
        uncached = measure(bare, f"{bare.url}/api/v1/changes?since=0&limit=500", duration)
    hello_rps = (hello1["rps"] + hello2["rps"]) / 2
    hello_cpu = (hello1["cpu_ms"] + hello2["cpu_ms"]) / 2
    rows = {"304": not_modified, "changes500": changes, "changes500_uncached": uncached}
    out = {
        "backend": backend,
        "feed_items": items,
        "hello": {"rps": hello_rps, "cpu_ms": hello_cpu, "runs": [hello1, hello2]},
    }
    for name, r in rows.items():
        out[name] = {
            **r,
            "ratio": r["rps"] / hello_rps,
            "cpu_ratio": hello_cpu / r["cpu_ms"] if r["cpu_ms"] else None,
            "target": TARGETS[name],
        }
    return out


def sqlite_url(work: Path) -> str:
    return f"sqlite:///{work / 'registry.db'}"


def postgres(run):
    name = f"bench_changes_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return run(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def report(results: list[dict]) -> None:
    print(
        f"{'backend':<11}{'figure':<34}{'req/s':>10}{'hello req/s':>13}{'ratio':>8}"
        f"{'CPU ms/req':>12}{'hello CPU':>11}{'target':>8}  result"
    )
    labels = {
        "304": "304 Not Modified (GET /programs)",
        "changes500": "GET /changes, 500 items",
        "changes500_uncached": "  the same, page cache off",
    }
    for r in results:
        for name, label in labels.items():
            f = r[name]
            ok = "pass" if f["ratio"] >= f["target"] else "FAIL"
            print(
                f"{r['backend']:<11}{label:<34}{f['rps']:>10,.0f}{r['hello']['rps']:>13,.0f}"
                f"{f['ratio']:>7.0%} {f['cpu_ms']:>11.3f}{r['hello']['cpu_ms']:>11.3f}"
                f"{f['target']:>8.0%}  {ok}"
            )
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--duration", type=int, default=8)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as work:
        if args.backend in ("sqlite", "both"):
            results.append(run_backend("sqlite", sqlite_url(Path(work)), args.duration))
        if args.backend in ("postgresql", "both"):
            results.append(postgres(lambda url: run_backend("postgresql", url, args.duration)))
    report(results)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "changes.json").write_text(
        json.dumps(
            {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "results": results}, indent=2
        )
    )


if __name__ == "__main__":
    main()
