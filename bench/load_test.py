"""Benchmark 2: ``GET /api/v1/programs`` under 32 connections (wrk, on the other core), one run
per page kind — a filter or a pair of filters, its first, middle and last pages — beside an
``async def`` hello-world (``bench/minimal_app.py``) served the same way."""

import json
import random
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from app.db import make_engine
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


PAGE = 50
PATHS_PER_KIND = 3000


@dataclass(frozen=True)
class PageKind:
    """A page kind of ``GET /programs``: the filters it gives (query names of docs/api.md)."""

    label: str
    filters: tuple[str, ...]


# Every filter of the issue and pairs a planner asks for: college, category, major, province,
# year, then a place and a year, a field and a year, a field in a place, a college's status.
PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("college", ("college",)),
    PageKind("category", ("category",)),
    PageKind("major", ("major_code",)),
    PageKind("province", ("province",)),
    PageKind("year", ("year",)),
    PageKind("province+year", ("province", "year")),
    PageKind("category+year", ("category", "year")),
    PageKind("category+province", ("category", "province")),
    PageKind("college+status", ("college", "status")),
)

# Each program with the value of every filter above, by id (what the API filters on).
_FILTER_VALUES_SQL = (
    "SELECT p.id, c.code, p.category, m.code, c.province, p.since_year, p.status "
    "FROM program p JOIN college c ON c.id = p.college_id JOIN major m ON m.id = p.major_id "
    "ORDER BY p.id"
)
_FILTER_COLUMNS = ("college", "category", "major_code", "province", "year", "status")


def program_filter_values(url: str) -> list[tuple]:
    """``(id, college, category, major_code, province, year, status)`` of every program, by id."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(_FILTER_VALUES_SQL))]
    finally:
        engine.dispose()


def page_cursors(ids: Sequence[int], page: int = PAGE) -> list[str | None]:
    """The cursor of every page of ``page`` a client walking ``ids`` (sorted) asks for: None for
    the first, then the id ending each page before it."""
    return [None] + [encode_cursor([ids[i - 1]]) for i in range(page, len(ids), page)]


def kind_paths(
    rng: random.Random,
    kind: PageKind,
    programs: Iterable[tuple],
    count: int = PATHS_PER_KIND,
    page: int = PAGE,
) -> list[dict[str, str]]:
    """``count`` pages of ``kind``, a third each first, middle and last: the filter values (or
    pairs) that match programs, shuffled and visited in turn; a middle page is any page between
    the first and the last, so the pages come from all over the table."""
    at = [1 + _FILTER_COLUMNS.index(name) for name in kind.filters]
    groups: dict[tuple, list[int]] = {}
    for row in programs:
        groups.setdefault(tuple(row[i] for i in at), []).append(row[0])
    values = sorted(groups)
    rng.shuffle(values)
    out = []
    for n in range(count):
        value = values[n % len(values)]
        cursors = page_cursors(groups[value], page)
        position = n % 3  # first, middle, last
        if position == 0:
            cursor = cursors[0]
        elif position == 2:
            cursor = cursors[-1]
        else:
            cursor = cursors[rng.randrange(1, len(cursors) - 1)] if len(cursors) > 2 else None
        query = {name: str(v) for name, v in zip(kind.filters, value, strict=True)}
        query["limit"] = str(page)
        if cursor is not None:
            query["cursor"] = cursor
        out.append(query)
    return out


def write_lines(dest: Path, lines: Iterable[str]) -> Path:
    dest.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return dest


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


def measure_load(
    server: Server,
    paths: Path,
    seconds: int,
    warm: int,
    database: Callable[[], dict[int, float]] | None = None,
) -> dict:
    """A short warm-up run (not counted), then the measured one, with the server's CPU time and,
    given ``database`` (CPU seconds by database backend pid), the database's."""
    run_wrk(server, paths, warm)
    cpu = server.cpu_seconds()
    backends = database() if database else {}
    stats = run_wrk(server, paths, seconds)
    requests = max(1, stats["requests"])
    stats["cpu_ms_per_request"] = (server.cpu_seconds() - cpu) * 1000 / requests
    if database is not None:
        after = database()
        used = sum(t - backends.get(pid, 0.0) for pid, t in after.items())
        stats["db_cpu_ms_per_request"] = used * 1000 / requests if after else None
    return stats
