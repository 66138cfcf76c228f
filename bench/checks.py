"""Each benchmark's measurement turned into rows of the table (figure, reference, ratio, target).

A benchmark whose route or command is missing or broken becomes a row saying so, and the others
still run.
"""

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from app.db import make_engine
from bench.database import Database, backend_cpu, reference_import
from bench.export import measure_export
from bench.generate import Manifest
from bench.load import children_cpu, registry_process, run_registry
from bench.load_test import (
    PAGE_KINDS,
    PageKind,
    ensure_wrk,
    kind_paths,
    measure_load,
    program_filter_values,
    write_lines,
    write_paths,
)
from bench.requests import measure_search, measure_validate
from bench.results import Result
from bench.server import Server

EXPORT_RATIO = 2.5
RSS_GROWTH = 1.10  # "flat": at most 10% more peak memory for four times the rows
LOAD_SHARE = 0.35
LOAD_P99_MS = 50.0
VALIDATE_1000_S = 0.1
VALIDATE_GROWTH = 10.0
IMPORT_RATE = {"sqlite": 40_000, "postgresql": 25_000}
SEARCH_P99_MS = 10.0


def number(benchmark: str) -> int:
    head = benchmark.split(".", 1)[0]
    return int(head) if head.isdigit() else 99


def attempt(backend: str, label: str, measure: Callable[[], list[Result]]) -> list[Result]:
    """The benchmark's rows, or one row saying why it could not be measured."""
    try:
        return measure()
    except Exception as exc:
        return [failed(backend, label, exc)]


def failed(backend: str, label: str, exc: Exception) -> Result:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return Result(backend, label, None, "", note=f"not measured: {first[:300]}")


def admin_token(db: Database) -> str:
    return registry_process(["token", "create", "--role", "admin", "--name", "bench"], db.url)[
        1
    ].strip()


def import_result(
    db: Database, csv_file: Path, seconds: float, rows: int, work: Path, cpu: float
) -> Result:
    floor = reference_import(db, csv_file, work)
    rate, floor_rate = rows / seconds, rows / floor
    tool = "sqlite3 .import" if db.backend == "sqlite" else "psql \\copy"
    return Result(
        db.backend,
        f"4. registry import programs, {rows:,} rows",
        rate,
        "rows/s",
        floor_rate,
        f"({tool} into a bare table)",
        rate / floor_rate,
        f"≥ {IMPORT_RATE[db.backend]:,} rows/s",
        rate >= IMPORT_RATE[db.backend],
        note=f"{seconds:.1f} s including the command's start-up ({cpu:.1f} s CPU: "
        f"{rows / cpu:,.0f} rows per CPU-second); the floor took {floor:.2f} s",
    )


def _export_row(db: Database, m: dict, expected: int) -> Result:
    ratio = m["seconds"] / m["reference_seconds"]
    tool = "sqlite3 -csv" if db.backend == "sqlite" else "psql \\copy"
    problems = [m["mismatch"]] if m["mismatch"] else []
    if m["rows"] != expected:
        problems.append(f"{m['rows']:,} rows exported, {expected:,} expected")
    mb_s = m["bytes"] / m["seconds"] / 1e6
    return Result(
        db.backend,
        f"1. GET /programs.csv, {m['rows']:,} rows",
        m["seconds"],
        "s",
        m["reference_seconds"],
        f"({tool})",
        ratio,
        f"≤ {EXPORT_RATIO}×",
        ratio <= EXPORT_RATIO and not problems,
        note="; ".join(problems)
        or f"{mb_s:.1f} MB/s, server CPU {m['cpu_seconds']:.2f} s; same rows as the reference",
    )


def export_result(
    results: list[Result], server: Server, db: Database, work: Path, repeat: int, manifest: Manifest
) -> dict:
    """Appends the 150,000-row export row; returns the measurement (memory for the growth row)."""
    found: dict = {}

    def measure() -> list[Result]:
        found.update(measure_export(server, db, work, repeat))
        rows = program_count(db)
        return [
            _export_row(db, found, rows),
            # beside the same row at the other scale: memory flat for ten times the rows
            Result(
                db.backend,
                f"1. server peak RSS after the export of {rows:,} rows",
                found["peak_rss_kib"] / 1024,
                "MiB",
                note=f"VmHWM; {found['start_rss_kib'] / 1024:.0f} MiB before the export",
            ),
        ]

    results += attempt(db.backend, "1. GET /programs.csv", measure)
    return found


def _scalar(db: Database, sql: str) -> int:
    engine = make_engine(db.url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def program_count(db: Database) -> int:
    """Every program the export must write: the generated ones and the seeded 2024 list."""
    return _scalar(db, "SELECT count(*) FROM program")


HELLO = "(async def hello-world)"


def _cpu_note(got: dict, ref: dict) -> str:
    """Server CPU per request beside the hello-world's, and the database's on PostgreSQL."""
    cpu, ref_cpu = got["cpu_ms_per_request"], ref["cpu_ms_per_request"]
    note = f"server CPU {cpu:.2f} ms/request (hello {ref_cpu:.2f}: {ref_cpu / cpu:.0%} by CPU)"
    if got.get("db_cpu_ms_per_request") is not None:
        note += f", database CPU {got['db_cpu_ms_per_request']:.2f} ms/request"
    return note


def _kind_label(kind: PageKind) -> str:
    return "2. GET /programs?" + "&".join(f"{name}=" for name in kind.filters)


def _kind_row(db: Database, kind: PageKind, got: dict, ref: dict) -> Result:
    share = got["rps"] / ref["rps"]
    errors = got["status_errors"] + got["socket_errors"]
    passed = share >= LOAD_SHARE and got["p99_ms"] < LOAD_P99_MS and not errors
    note = f"{errors} failed requests; " if errors else ""
    note += f"p50 {got['p50_ms']:.1f} ms (hello {ref['p50_ms']:.1f} ms); " + _cpu_note(got, ref)
    return Result(
        db.backend,
        _kind_label(kind),
        got["rps"],
        "req/s",
        ref["rps"],
        HELLO,
        share,
        f"≥ {LOAD_SHARE:.0%} of hello, p99 < {LOAD_P99_MS:.0f} ms",
        passed,
        note=note,
        detail=f"p99 {got['p99_ms']:.1f} ms",
    )


def _reference_row(db: Database, runs: list[dict], ref: dict, plain: dict) -> Result:
    """The hello-world (mean of its runs before and after the pages) and, for information, a
    plain ``def`` route answering a constant JSON page (a worker-thread hop per request)."""
    return Result(
        db.backend,
        "2. reference: async def hello-world",
        ref["rps"],
        "req/s",
        target="",
        passed=None,
        note=f"runs before/after the pages {runs[0]['rps']:,.0f} / {runs[1]['rps']:,.0f} req/s, "
        f"server CPU {ref['cpu_ms_per_request']:.3f} ms/request, p50 {ref['p50_ms']:.1f} ms; "
        f"a plain `def` route with a constant page: {plain['rps']:,.0f} req/s, "
        f"p99 {plain['p99_ms']:.1f} ms, CPU {plain['cpu_ms_per_request']:.3f} ms/request",
        detail=f"p99 {ref['p99_ms']:.1f} ms",
    )


def _mean(runs: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request")
    return {k: sum(r[k] for r in runs) / len(runs) for k in keys}


def load_results(
    server: Server,
    minimal: Server,
    db: Database,
    rng: random.Random,
    work: Path,
    options,
) -> list[Result]:
    """Every page kind under wrk, between two runs of the hello-world (their mean is the
    reference: the machine is shared, so it is measured around the pages, not once before)."""
    wrk, why = ensure_wrk()
    if wrk is None:
        return [Result(db.backend, "2. GET /programs under load", None, "", note=why)]
    programs = program_filter_values(db.url)
    paths = {
        kind: write_paths(work / f"paths_{kind.label}.txt", kind_paths(rng, kind, programs))
        for kind in PAGE_KINDS
    }
    hello = write_lines(work / "paths_hello.txt", ["/hello"])
    plain = write_lines(work / "paths_plain.txt", ["/api/v1/programs"])
    database = (lambda: backend_cpu(db)) if db.backend == "postgresql" else None
    seconds, warm = options.seconds, options.warm
    runs = [measure_load(minimal, hello, seconds, warm)]
    plain_run = measure_load(minimal, plain, seconds, warm)
    measured: dict[PageKind, dict | Exception] = {}
    for kind in PAGE_KINDS:
        try:
            measured[kind] = measure_load(server, paths[kind], seconds, warm, database)
        except Exception as exc:
            measured[kind] = exc
    runs.append(measure_load(minimal, hello, seconds, warm))
    ref = _mean(runs)
    return [_reference_row(db, runs, ref, plain_run)] + [
        failed(db.backend, _kind_label(kind), got)
        if isinstance(got, Exception)
        else _kind_row(db, kind, got, ref)
        for kind, got in measured.items()
    ]


def validate_results(
    db: Database,
    server: Server,
    minimal: Server,
    token: str,
    data: Path,
    manifest: Manifest,
    options,
) -> list[Result]:
    backend = db.backend
    small, large = (data / manifest.filings[k] for k in ("1000", "10000"))

    def measure() -> list[Result]:
        got = measure_validate(server, token, small, 5 if not options.quick else 3)
        ref = measure_validate(minimal, token, small, 5 if not options.quick else 3)
        big = measure_validate(server, token, large, options.repeat)
        note = (
            f"{got['errors']} errors, {got['warnings']} warnings found; "
            f"server CPU {got['cpu']:.3f} s per validation"
        )
        return [
            Result(
                backend,
                "3. validate a 1,000-entry filing",
                got["seconds"],
                "s",
                ref["seconds"],
                "(minimal app parsing the same body)",
                got["seconds"] / ref["seconds"],
                f"< {VALIDATE_1000_S} s",
                got["seconds"] < VALIDATE_1000_S,
                note=note,
            ),
            Result(
                backend,
                "3. validate a 10,000-entry filing",
                big["seconds"],
                "s",
                got["seconds"],
                "(the 1,000-entry one)",
                big["seconds"] / got["seconds"],
                f"< {VALIDATE_GROWTH:.0f}× the 1,000",
                big["seconds"] / got["seconds"] < VALIDATE_GROWTH,
                note=f"{big['errors']} errors, {big['warnings']} warnings; "
                f"server CPU {big['cpu']:.3f} s per validation",
            ),
        ]

    return attempt(backend, "3. validate a filing", measure)


def search_results(
    db: Database, server: Server, minimal: Server, data: Path, manifest: Manifest, options
) -> list[Result]:
    queries = json.loads((data / manifest.queries_file).read_text(encoding="utf-8"))
    backend = db.backend

    def measure() -> list[Result]:
        got = measure_search(server, queries, options.search_passes)
        ref = measure_search(minimal, queries, options.search_passes)
        return [
            Result(
                backend,
                f"5. GET /majors?q= p99, {got['samples']:,} queries",
                got["p99_ms"],
                "ms",
                ref["p99_ms"],
                "(minimal FastAPI app)",
                got["p99_ms"] / ref["p99_ms"],
                f"< {SEARCH_P99_MS:.0f} ms",
                got["p99_ms"] < SEARCH_P99_MS,
                note=f"p50 {got['p50_ms']:.2f} ms (minimal {ref['p50_ms']:.2f} ms); server CPU "
                f"{got['cpu_ms']:.2f} ms/query (minimal {ref['cpu_ms']:.2f}); "
                f"{got['empty']} queries found nothing",
            )
        ]

    return attempt(backend, "5. GET /majors?q=", measure)


def growth_results(
    db: Database,
    data: Path,
    manifest: Manifest,
    first: dict,
    work: Path,
    options,
    env: dict[str, str],
) -> list[Result]:
    """Imports the extra programs (informational rate), then the export and memory at that size."""
    started, rows = time.perf_counter(), manifest.counts["extra_programs"]
    cpu = children_cpu()
    for name in manifest.extra_files:
        run_registry(["import", "programs", str(data / name)], db.url)
    seconds = time.perf_counter() - started
    cpu = children_cpu() - cpu
    total = manifest.counts["programs"] + rows
    out = [
        Result(
            db.backend,
            f"4. registry import programs, growing to {total:,}",
            rows / seconds,
            "rows/s",
            note=f"{len(manifest.extra_files)} files, {seconds:.1f} s ({cpu:.1f} s CPU: "
            f"{rows / max(cpu, 0.01):,.0f} rows per CPU-second); informational",
        )
    ]

    def measure() -> list[Result]:
        with Server("app.asgi:app", env=env) as server:
            m = measure_export(server, db, work, 1)
        rows_out = [_export_row(db, m, program_count(db))]
        if first:
            peak, base = m["peak_rss_kib"] / 1024, first["peak_rss_kib"] / 1024
            rows_out.append(
                Result(
                    db.backend,
                    f"1. server peak RSS, {manifest.counts['programs']:,} → {total:,}",
                    peak,
                    "MiB",
                    base,
                    f"(at {manifest.counts['programs']:,} rows)",
                    peak / base,
                    f"≤ {RSS_GROWTH:.2f}× (flat)",
                    peak / base <= RSS_GROWTH,
                    note=f"VmHWM; sampled VmRSS peak {m['sampled_rss_kib'] / 1024:.0f} MiB, "
                    f"{m['start_rss_kib'] / 1024:.0f} MiB before the export",
                )
            )
        return rows_out

    return out + attempt(db.backend, "1. GET /programs.csv (grown)", measure)
