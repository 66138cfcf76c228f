"""Two checkouts' uncached pages side by side on one PostgreSQL database, under uvicorn + wrk:

    python -m bench.checkouts A_DIR B_DIR [--rounds 3] [--seconds 8] [--kinds college,category]

Each checkout serves with its own ``.venv`` (``make .venv/.installed`` there first); the
database (``--database``, default ``bench_checkouts``) is made and loaded once from the
national data set (``bench.generate``, as ``make bench`` loads it) and kept for later runs.
Rounds alternate A B, B A … so a busy machine slows both alike; each page kind is measured as
benchmark 2 measures it (``load_test.measure_load``: the server's CPU a request, the database
backends' CPU a request, req/s, p99), and the medians are printed with the ratio B/A.
"""

import argparse
import os
import random
import statistics
from pathlib import Path

import psycopg

from bench.database import Database, backend_cpu
from bench.load import load_registry, prepare, run_registry
from bench.load_test import PAGE_KINDS, kind_paths, measure_load, program_filter_values, write_paths
from bench.run import OUT, generated
from bench.server import Server

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def checkout(root: Path, env: dict[str, str]) -> Server:
    """The registry of another checkout, served by that checkout's own interpreter."""
    python = str(root / ".venv" / "bin" / "python")
    return Server("app.asgi:app", env=env, root=root, python=python)


def loaded(name: str) -> str:
    """The database ``name``, made and loaded at 1× unless it exists already."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return url
        conn.execute(f'CREATE DATABASE "{name}"')
    data, manifest = generated(False, 1)
    prepare(url, run_registry)
    load_registry(url, data, manifest)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--kinds", default="college,category,major,province+year")
    parser.add_argument("--database", default="bench_checkouts")
    args = parser.parse_args()
    url = loaded(args.database)
    db = Database("postgresql", url)
    work = OUT / "checkouts"
    work.mkdir(parents=True, exist_ok=True)
    programs = program_filter_values(url)
    rng = random.Random(7)
    kinds = [k for k in PAGE_KINDS if k.label in args.kinds.split(",")]
    paths = {
        k.label: write_paths(work / f"paths_{k.label}.txt", kind_paths(rng, k, programs))
        for k in kinds
    }
    env = {"REGISTRY_DATABASE_URL": url, "REGISTRY_PAGE_CACHE_MB": "0"}
    runs: dict[tuple[Path, str], list[dict]] = {}
    for n in range(args.rounds):
        for root in (args.a, args.b) if n % 2 == 0 else (args.b, args.a):
            with checkout(root.resolve(), env) as server:
                for kind in kinds:
                    got = measure_load(
                        server, paths[kind.label], args.seconds, 3, lambda: backend_cpu(db)
                    )
                    runs.setdefault((root, kind.label), []).append(got)
                    print(
                        f"round {n} {root} {kind.label}: {got['rps']:.0f} req/s, p99 "
                        f"{got['p99_ms']:.1f} ms, server {got['cpu_ms_per_request']:.3f} ms, "
                        f"database {got['db_cpu_ms_per_request']:.3f} ms a request",
                        flush=True,
                    )
    print()
    for kind in kinds:
        a, b = runs[(args.a, kind.label)], runs[(args.b, kind.label)]
        line = [kind.label]
        for key in ("rps", "p99_ms", "cpu_ms_per_request", "db_cpu_ms_per_request"):
            before = statistics.median(r[key] for r in a)
            after = statistics.median(r[key] for r in b)
            line.append(f"{key} {before:.3f} → {after:.3f} ({after / before:.2f}×)")
        print("; ".join(line))
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
