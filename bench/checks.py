"""Each benchmark's measurement turned into rows of the table (figure, reference, ratio, target).

A benchmark whose route or command is missing or broken becomes a row saying so, and the others
still run.
"""

import csv
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from app.db import make_engine
from bench.database import Database, reference_import
from bench.export import measure_export
from bench.generate import Manifest
from bench.load import registry_process, run_registry
from bench.load_test import (
    category_paths,
    college_paths,
    ensure_wrk,
    measure_load,
    write_paths,
)
from bench.requests import measure_search, measure_validate
from bench.results import Result
from bench.server import Server

EXPORT_RATIO = 2.5
RSS_GROWTH = 1.10  # "flat": at most 10% more peak memory for four times the rows
LOAD_SHARE = 0.35
LOAD_P99_MS = 50.0
VALIDATE_1000_S = 0.3
VALIDATE_GROWTH = 10.0
IMPORT_RATE = {"sqlite": 20_000, "postgresql": 10_000}
SEARCH_P99_MS = 10.0


def number(benchmark: str) -> int:
    head = benchmark.split(".", 1)[0]
    return int(head) if head.isdigit() else 99


def attempt(backend: str, label: str, measure: Callable[[], list[Result]]) -> list[Result]:
    """The benchmark's rows, or one row saying why it could not be measured."""
    try:
        return measure()
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return [Result(backend, label, None, "", note=f"not measured: {first[:300]}")]


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
        return [_export_row(db, found, program_count(db))]

    results += attempt(db.backend, "1. GET /programs.csv", measure)
    return found


def _scalar(db: Database, sql: str) -> int:
    engine = make_engine(db.url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def _max_program_id(db: Database) -> int:
    return _scalar(db, "SELECT max(id) FROM program")


def program_count(db: Database) -> int:
    """Every program the export must write: the generated ones and the seeded 2024 list."""
    return _scalar(db, "SELECT count(*) FROM program")


def _categories(data: Path, manifest: Manifest) -> list[str]:
    names: dict[str, None] = {}
    for edition in manifest.editions:
        with open(data / edition.file, encoding="utf-8", newline="") as handle:
            names.update(dict.fromkeys(row["category"] for row in csv.DictReader(handle)))
    return sorted(names)


def _load_rows(db: Database, label: str, got: dict, ref: dict) -> list[Result]:
    share = got["rps"] / ref["rps"]
    errors = got["status_errors"] + got["socket_errors"]
    cpu, ref_cpu = got["cpu_ms_per_request"], ref["cpu_ms_per_request"]
    note = (
        f"{errors} failed requests"
        if errors
        else (
            f"p50 {got['p50_ms']:.1f} ms (minimal {ref['p50_ms']:.1f} ms); server CPU "
            f"{cpu:.2f} ms/request (minimal {ref_cpu:.2f}: {ref_cpu / cpu:.0%} by CPU)"
        )
    )
    return [
        Result(
            db.backend,
            f"2. {label} req/s",
            got["rps"],
            "req/s",
            ref["rps"],
            "(minimal FastAPI app)",
            share,
            f"≥ {LOAD_SHARE:.0%} of minimal",
            share >= LOAD_SHARE and not errors,
            note=note,
        ),
        Result(
            db.backend,
            f"2. {label} p99",
            got["p99_ms"],
            "ms",
            ref["p99_ms"],
            "(minimal FastAPI app)",
            got["p99_ms"] / ref["p99_ms"],
            f"< {LOAD_P99_MS:.0f} ms",
            got["p99_ms"] < LOAD_P99_MS and not errors,
        ),
    ]


def load_results(
    server: Server,
    minimal: Server,
    db: Database,
    data: Path,
    manifest: Manifest,
    rng: random.Random,
    work: Path,
    options,
) -> list[Result]:
    wrk, why = ensure_wrk()
    if wrk is None:
        return [Result(db.backend, "2. GET /programs under load", None, "", note=why)]
    with open(data / manifest.colleges_file, encoding="utf-8", newline="") as handle:
        colleges = [row["code"] for row in csv.DictReader(handle)]
    by_college = write_paths(work / "paths_college.txt", college_paths(rng, colleges))
    by_category = write_paths(
        work / "paths_category.txt",
        category_paths(rng, _categories(data, manifest), _max_program_id(db)),
    )
    reference = measure_load(minimal, by_college, options.seconds, options.warm)
    out: list[Result] = []
    for label, paths in (
        ("GET /programs?college=", by_college),
        ("GET /programs?category=", by_category),
    ):
        out += attempt(
            db.backend,
            f"2. {label}",
            lambda p=paths, lb=label: _load_rows(
                db, lb, measure_load(server, p, options.seconds, options.warm), reference
            ),
        )
    return out


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
    for name in manifest.extra_files:
        run_registry(["import", "programs", str(data / name)], db.url)
    seconds = time.perf_counter() - started
    total = manifest.counts["programs"] + rows
    out = [
        Result(
            db.backend,
            f"4. registry import programs, growing to {total:,}",
            rows / seconds,
            "rows/s",
            note=f"{len(manifest.extra_files)} files, {seconds:.1f} s; informational",
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
