"""Benchmarks 3 and 5, one request at a time over HTTP: validating a filing, searching majors."""

import json
import statistics
import time
from pathlib import Path

import httpx

from bench.server import Server


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p99 of 1,000 samples is the 990th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def post_filing(client: httpx.Client, body: bytes, entries: int) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.post(
        "/api/v1/filings/validate", content=body, headers={"Content-Type": "application/json"}
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"validate answered {response.status_code}: {response.text[:500]}")
    payload = response.json()
    answered = payload["entries"]
    count = answered if isinstance(answered, int) else len(answered)  # the minimal app counts
    if count != entries:
        raise RuntimeError(f"validate answered {count} entries for {entries}")
    return elapsed, payload


def measure_validate(server: Server, token: str, filing: Path, repeat: int) -> dict:
    """Median seconds of ``repeat`` validations of the filing (after one warm-up)."""
    body = filing.read_bytes()
    entries = len(json.loads(body)["entries"])
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=120) as client:
        _, summary = post_filing(client, body, entries)
        cpu = server.cpu_seconds()
        times = [post_filing(client, body, entries)[0] for _ in range(repeat)]
        cpu = (server.cpu_seconds() - cpu) / repeat
    return {
        "seconds": statistics.median(times),
        "runs": times,
        "entries": entries,
        "cpu": cpu,
        "errors": summary.get("errors"),
        "warnings": summary.get("warnings"),
    }


def measure_search(server: Server, queries: list[dict[str, str]], passes: int) -> dict:
    """Latency of every query, one at a time on a kept-alive connection (after one warm-up pass)."""
    latencies: list[float] = []
    empty = 0
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for query in queries[:50]:
            client.get("/api/v1/majors", params={"q": query["q"]})
        cpu = server.cpu_seconds()
        for _ in range(passes):
            for query in queries:
                started = time.perf_counter()
                response = client.get("/api/v1/majors", params={"q": query["q"]})
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"/majors?q={query['q']} answered {response.status_code}")
                items = response.json().get("items")
                empty += isinstance(items, list) and not items
    cpu_ms = (server.cpu_seconds() - cpu) * 1000 / len(latencies)
    return {
        "p99_ms": percentile(latencies, 99) * 1000,
        "p50_ms": percentile(latencies, 50) * 1000,
        "samples": len(latencies),
        "empty": empty,
        "cpu_ms": cpu_ms,
    }
