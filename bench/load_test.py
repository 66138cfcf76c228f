"""Benchmark 2: ``GET /api/v1/programs`` with a college or category filter under 32 connections
(wrk, on the other core) beside the minimal FastAPI app served the same way."""

import json
import random
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from app.pagination import encode_cursor
from bench.server import CLIENT_CPU, Server, pinned
from bench.tools import ensure

LUA = Path(__file__).with_name("rotate.lua")
CONNECTIONS = 32


def ensure_wrk() -> tuple[str | None, str]:
    return ensure("wrk")


def write_paths(dest: Path, queries: list[dict[str, str]]) -> Path:
    dest.write_text(
        "".join(f"/api/v1/programs?{urlencode(q)}\n" for q in queries), encoding="utf-8"
    )
    return dest


def college_paths(rng: random.Random, colleges: list[str]) -> list[dict[str, str]]:
    """Every college's first page of 50, in a shuffled order."""
    order = list(colleges)
    rng.shuffle(order)
    return [{"college": code, "limit": "50"} for code in order]


def category_paths(
    rng: random.Random, categories: list[str], max_id: int, count: int = 2000
) -> list[dict[str, str]]:
    """Pages of 50 of a category from all over the table: a cursor after a random program id."""
    out = []
    for _ in range(count):
        query = {"category": rng.choice(categories), "limit": "50"}
        start = rng.randint(0, max_id)
        if start:
            query["cursor"] = encode_cursor([start])
        out.append(query)
    return out


def run_wrk(server: Server, paths: Path, seconds: int) -> dict:
    command = pinned(
        CLIENT_CPU,
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "5s",
            "-s",
            str(LUA),
            server.url,
            "--",
            str(paths),
        ],
    )
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    stats = json.loads(line.removeprefix("BENCH_JSON "))
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    stats["p99_ms"] = stats["p99_us"] / 1000
    stats["p50_ms"] = stats["p50_us"] / 1000
    return stats


def measure_load(server: Server, paths: Path, seconds: int, warm: int) -> dict:
    """A short warm-up run (not counted), then the measured one, with the server's CPU time."""
    run_wrk(server, paths, warm)
    cpu = server.cpu_seconds()
    stats = run_wrk(server, paths, seconds)
    stats["cpu_ms_per_request"] = (server.cpu_seconds() - cpu) * 1000 / max(1, stats["requests"])
    return stats
