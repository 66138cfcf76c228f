"""``make bench``: every benchmark of issue 6 beside its reference, on SQLite and PostgreSQL.

    python -m bench.run [--quick] [--scale 1,10] [--backend sqlite|postgresql|both] [--pg-url URL]
                        [--keep]

Generates the registry (bench/generate.py) at each scale (1: national, 150,000 programs; 10: ten
times that, 1,500,000), loads it into a fresh database per backend and scale through ``registry
migrate|seed|import``, serves it with uvicorn on one core, measures, prints the table, then each
figure at 1× and 10× side by side with the ratio, and writes bench/out/results.json — as each
part ends too (``"complete": false`` until the run has ended), with the part's figures printed,
so a run stopped after hours keeps what it measured. Missed targets do not change the exit
status (1 = it crashed).
"""

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import checks, scaled
from bench.database import (
    DEFAULT_PG_URL,
    Database,
    fresh_database,
    tool_missing,
    unreachable,
)
from bench.generate import Manifest, Spec, generate
from bench.load import load_registry, prepare, run_registry
from bench.results import Result, scale_table, table, write_json
from bench.server import CLIENT_CPU, Server
from bench.tools import ensure

OUT = Path(__file__).resolve().parent / "out"
QUICK = Spec(colleges=200, programs=10_000, extra_programs=30_000, chunk=10_000)


PARTS = frozenset({"export", "list", "validate", "search", "growth", "scaled"})


@dataclass
class Options:
    quick: bool
    seconds: int  # each wrk run
    warm: int  # each wrk warm-up
    repeat: int  # runs of the export and the validation (median)
    search_passes: int
    keep: bool
    pg_url: str
    create_all: bool
    only: frozenset[str] = PARTS
    scales: tuple[int, ...] = (1, 10)  # which numbered benchmarks run (the import always does)


def parse(argv: list[str] | None) -> tuple[argparse.Namespace, Options]:
    parser = argparse.ArgumentParser(description="Run every benchmark and print the table.")
    parser.add_argument("--quick", action="store_true", help="a small registry, short runs")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
        help="a PostgreSQL server's maintenance database (CREATE DATABASE there)",
    )
    parser.add_argument(
        "--scale",
        default="1,10",
        help="comma-separated registry sizes, each measured in the same run: 1 = national "
        "(2,500 colleges, 150,000 programs), 10 = 25,000 colleges, 1,500,000 programs; "
        "--scale 1 for a quick run",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--create-all",
        action="store_true",
        help="make the schema from the models, not `registry migrate`",
    )
    parser.add_argument(
        "--only",
        default=",".join(sorted(PARTS)),
        help="comma-separated parts to run beside their references: export, list, validate,"
        " search, growth, scaled (statistics, adoption, change-feed replay, publication diff;"
        " the import of the programs always runs; a shared machine)",
    )
    args = parser.parse_args(argv)
    only = frozenset(args.only.split(","))
    if not only <= PARTS:
        parser.error(f"--only takes {', '.join(sorted(PARTS))}")
    try:
        scales = tuple(sorted({int(x) for x in args.scale.split(",")}))
    except ValueError:
        parser.error("--scale takes whole numbers, e.g. 1,10")
    if not scales or min(scales) < 1:
        parser.error("--scale takes whole numbers ≥ 1, e.g. 1,10")
    options = Options(
        quick=args.quick,
        seconds=3 if args.quick else 5,
        warm=1,
        repeat=1 if args.quick else 3,
        search_passes=1 if args.quick else 2,
        keep=args.keep,
        pg_url=args.pg_url,
        create_all=args.create_all,
        only=only,
        scales=scales,
    )
    return args, options


def pin_harness() -> None:
    """The harness (clients, curl, wrk) on one core; servers are pinned to the other."""
    if (os.cpu_count() or 1) > 1 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {CLIENT_CPU})


def generated(quick: bool, scale: int = 1) -> tuple[Path, Manifest]:
    data = OUT / (("data-quick" if quick else "data") + ("" if scale == 1 else f"-x{scale}"))
    started = time.perf_counter()
    manifest = generate(data, (QUICK if quick else Spec()).scaled(scale))
    print(
        f"generated {scale}×: {manifest.counts} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return data, manifest


# Called with a backend's results so far each time one of its parts ends (``main`` writes them).
OnPart = Callable[[list[Result]], None]


def _ignore(_results: list[Result]) -> None:
    pass


def run_backend(
    backend: str,
    data: Path,
    manifest: Manifest,
    options: Options,
    scale: int = 1,
    on_part: OnPart = _ignore,
) -> list[Result]:
    def scaled_part(results: list[Result]) -> None:
        for result in results:
            result.scale = scale
        on_part(results)

    results = _run_backend(backend, data, manifest, options, scaled_part)
    for result in results:
        result.scale = scale
    return results


def _run_backend(
    backend: str, data: Path, manifest: Manifest, options: Options, on_part: OnPart = _ignore
) -> list[Result]:
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    down = unreachable(options.pg_url) if backend == "postgresql" else None
    if down:
        return [Result(backend, "(skipped)", None, "", note=down)]
    with fresh_database(backend, work, options.pg_url, keep=options.keep) as db:
        missing = tool_missing(db)
        if missing:
            print(f"[{backend}] note: {missing}", flush=True)
        return bench_database(db, data, manifest, options, work, on_part)


def bench_database(
    db: Database,
    data: Path,
    manifest: Manifest,
    options: Options,
    work: Path,
    on_part: OnPart = _ignore,
) -> list[Result]:
    say = lambda text: print(f"[{db.backend}] {text}", flush=True)  # noqa: E731
    say("migrate, seed, import catalogs and colleges, import programs")
    prepare(db.url, run_registry, create_all=options.create_all)
    timings = load_registry(db.url, data, manifest)
    results = [
        checks.import_result(
            db,
            data / manifest.programs_file,
            timings["programs"],
            manifest.counts["programs"],
            work,
            timings["programs_cpu"],
        )
    ]
    on_part(results)
    token = checks.admin_token(db)
    # The page cache off: every GET runs its query (a few hundred distinct pages would otherwise
    # be answered from memory after the warm-up; bench/changes.py measures the cache).
    env = {"REGISTRY_DATABASE_URL": db.url, "REGISTRY_PAGE_CACHE_MB": "0"}
    rng = random.Random(manifest.spec["seed"])
    first: dict = {}
    with Server("app.asgi:app", env=env) as server, Server("bench.minimal_app:app") as minimal:
        if "export" in options.only:
            say("1. export")
            first = checks.export_result(results, server, db, work, options.repeat, manifest)
            on_part(results)
        if "list" in options.only:
            say("2. load (wrk)")
            results += checks.load_results(server, minimal, db, rng, work, options)
            on_part(results)
        if "validate" in options.only:
            say("3. validate")
            results += checks.validate_results(db, server, minimal, token, data, manifest, options)
            on_part(results)
        if "search" in options.only:
            say("5. search")
            results += checks.search_results(db, server, minimal, data, manifest, options)
            on_part(results)
    if "scaled" in options.only:
        say("statistics, adoption, change-feed replay, publication diff (in-process)")
        results += scaled.scaled_results(db, data, manifest, work)
        on_part(results)
    if "growth" in options.only and manifest.extra_files:
        say("grow the registry (import the extra programs), export again")
        results += checks.growth_results(db, data, manifest, first, work, options, env)
        on_part(results)
    return results


def main(argv: list[str] | None = None) -> int:
    args, options = parse(argv)
    pin_harness()
    if ensure("curl")[0] is None:
        raise SystemExit("curl is needed for the export benchmark: apt-get install -y curl")
    started = time.perf_counter()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results: list[Result] = []
    counts: dict[int, dict[str, int]] = {}

    def save(done: list[Result], complete: bool) -> None:
        """bench/out/results.json with every figure measured so far: written as each part
        ends, so a run stopped after hours (both scales take over two) keeps what it
        measured; ``complete`` is false until the run has ended."""
        write_json(
            OUT / "results.json",
            done,
            {
                "complete": complete,
                "quick": options.quick,
                "counts": {f"{k}x": v for k, v in counts.items()},
                "seconds": round(time.perf_counter() - started, 1),
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
                "options": json.loads(json.dumps(options.__dict__, default=sorted)),
            },
        )

    def reporter() -> OnPart:
        """A backend's ``on_part``: prints the part's figures as it ends, and saves them."""
        printed = 0

        def part_done(so_far: list[Result]) -> None:
            nonlocal printed
            print(table(so_far[printed:]), flush=True)
            printed = len(so_far)
            save(results + so_far, complete=False)

        return part_done

    for scale in options.scales:
        data, manifest = generated(options.quick, scale)
        counts[scale] = manifest.counts
        for backend in backends:
            try:
                results.extend(run_backend(backend, data, manifest, options, scale, reporter()))
            except Exception as exc:  # one backend failing must not hide the other's figures
                print(f"[{backend} {scale}×] crashed: {exc}", file=sys.stderr, flush=True)
                note = str(exc).splitlines()[0]
                results.append(Result(backend, "(run)", None, "", note=note, scale=scale))
    # Side by side: each benchmark's SQLite rows, then its PostgreSQL rows, each scale after the
    # other (the sort is stable).
    results.sort(key=lambda r: (checks.number(r.benchmark), r.backend != "sqlite", r.scale))
    elapsed = time.perf_counter() - started
    load = [round(x, 2) for x in os.getloadavg()]
    print()
    print(table(results))
    for other in options.scales[1:]:
        base = options.scales[0]
        print(f"\nThe same figures at {base}× and {other}× side by side (one run):\n")
        print(scale_table(results, base, other))
    # Other work on the machine skews absolute figures (ratios less so): say how busy it was.
    print(
        f"\ntotal {elapsed / 60:.1f} min; load average at the end {load} on "
        f"{os.cpu_count()} cores; results in {OUT / 'results.json'}"
    )
    save(results, complete=True)
    return 1 if any(r.benchmark == "(run)" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
