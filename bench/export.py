"""Benchmark 1: the full ``GET /api/v1/programs.csv`` over HTTP beside the backend's own CLI export,
and the server's peak memory while it streams."""

import csv
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.database import Database, reference_export
from bench.server import CLIENT_CPU, RssSampler, Server, pinned


@dataclass
class ExportRun:
    seconds: float
    rows: int
    bytes: int
    peak_rss_kib: int  # VmHWM after the export (peak since the server started)
    sampled_rss_kib: int  # the highest VmRSS sampled during it
    start_rss_kib: int
    cpu_seconds: float  # the server's CPU time for the export


def http_export(server: Server, dest: Path) -> ExportRun:
    """The whole export with curl (on the other core), while sampling the server's memory."""
    start = server.memory_kib()["VmRSS"]
    command = pinned(
        CLIENT_CPU, ["curl", "-sS", "-f", "-o", str(dest), f"{server.url}/api/v1/programs.csv"]
    )
    cpu = server.cpu_seconds()
    with RssSampler(server) as sampler:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"GET /api/v1/programs.csv failed: {done.stderr}")
    with open(dest, "rb") as handle:
        rows = sum(1 for _ in handle) - 1
    return ExportRun(
        seconds,
        rows,
        dest.stat().st_size,
        server.memory_kib()["VmHWM"],
        sampler.peak_kib,
        start,
        server.cpu_seconds() - cpu,
    )


def warm_up(server: Server) -> None:
    """Import every module on the export path and fill the caches, on a tiny filtered export."""
    import httpx

    for path in ("/api/v1/programs?limit=5", "/api/v1/programs.csv?year=1900"):
        httpx.get(server.url + path, timeout=30).raise_for_status()


def rows_of(path: Path) -> list[tuple[str, ...]]:
    """The data rows of a CSV, as the export defines them (BOM, CRLF and quoting aside)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return [tuple(cell.removeprefix("'") for cell in row) for row in rows[1:]]


def compare(http_file: Path, ref_file: Path) -> str:
    """'' when both files hold the same rows in the same order, else what differs."""
    ours, theirs = rows_of(http_file), rows_of(ref_file)
    if ours == theirs:
        return ""
    first = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), None)
    detail = (
        f"first difference at row {first + 1}: {ours[first]} vs {theirs[first]}"
        if first is not None
        else ""
    )
    return f"rows differ ({len(ours)} vs {len(theirs)}); {detail}"


def measure_export(server: Server, db: Database, work: Path, repeat: int) -> dict:
    """Median seconds of ``repeat`` runs of each side, the memory of the first, the row check."""
    warm_up(server)
    http_file, ref_file = work / "export_http.csv", work / "export_ref.csv"
    runs = [http_export(server, http_file) for _ in range(repeat)]
    reference = [reference_export(db, ref_file) for _ in range(repeat)]
    mismatch = compare(http_file, ref_file)
    http_file.unlink(missing_ok=True)
    ref_file.unlink(missing_ok=True)
    return {
        "seconds": statistics.median(r.seconds for r in runs),
        "reference_seconds": statistics.median(reference),
        "rows": runs[0].rows,
        "bytes": runs[0].bytes,
        "peak_rss_kib": max(r.peak_rss_kib for r in runs),
        "sampled_rss_kib": max(r.sampled_rss_kib for r in runs),
        "start_rss_kib": runs[0].start_rss_kib,
        "cpu_seconds": statistics.median(r.cpu_seconds for r in runs),
        "mismatch": mismatch,
    }
