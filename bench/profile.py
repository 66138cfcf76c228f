"""Where a benchmark's time goes: ``python -m bench.profile WHAT [--backend B] [--seconds N]``.

WHAT is ``list`` (GET /programs under wrk; ``--kind category+year`` picks the page kind of
benchmark 2, default ``college``), ``export`` (GET /programs.csv), ``validate`` (the
1,000-entry filing), ``search`` (GET /majors?q=) or ``import`` (``registry import programs``).
The server scenarios sample the uvicorn process with py-spy and print the hottest functions
(inclusive and self); ``import`` runs the command in-process under pyinstrument. Uses the quick
registry and keeps its database in bench/out/work between runs. Needs ``pip install -e '.[bench]'``.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from bench.database import DEFAULT_PG_URL, Database
from bench.generate import Spec, read_manifest
from bench.load import load_registry, prepare, registry_in_process, registry_process
from bench.load_test import PAGE_KINDS, kind_paths, program_filter_values, run_wrk, write_paths
from bench.run import OUT, QUICK, generate
from bench.server import Server

WORK = OUT / "work"
PY_SPY = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))


def profile_db(backend: str, pg_url: str, name: str, rebuild: bool) -> tuple[Database, bool]:
    """The kept quick registry ``name`` of ``backend``: (database, whether it is new)."""
    WORK.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        path = WORK / f"{name}.db"
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return Database("sqlite", f"sqlite:///{path}", path), not path.exists()
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        if rebuild:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        fresh = not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if fresh:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    return Database("postgresql", url), fresh


def summarise(raw: Path, top: int = 30) -> str:
    """Top functions of py-spy's collapsed stacks, by inclusive and by self samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    pending = ""
    for line in raw.read_text().splitlines():
        # A frame's name can hold a newline (py-spy prints a lambda's source): join until the
        # line ends with the sample count.
        stack, _, count = (pending + line).rpartition(" ")
        if not count.isdigit():
            pending += line + " "
            continue
        pending = ""
        frames = stack.split(";")
        samples = int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in dict.fromkeys(frames):
            inclusive[frame] += samples
    lines = [f"{total} samples", "", "inclusive:"]
    lines += [f"{n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    lines += ["", "self:"] + [f"{n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    return "\n".join(lines)


def workload(
    what: str, server: Server, db: Database, data: Path, manifest, token: str, seconds: int, kind
) -> None:
    if what == "list":
        found = kind_paths(random.Random(1), kind, program_filter_values(db.url))
        run_wrk(server, write_paths(WORK / "profile_paths.txt", found), seconds)
        return
    deadline = time.monotonic() + seconds
    with httpx.Client(
        base_url=server.url, timeout=120, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        body = (data / manifest.filings["1000"]).read_bytes()
        queries = json.loads((data / manifest.queries_file).read_text(encoding="utf-8"))
        while time.monotonic() < deadline:
            if what == "export":
                client.get("/api/v1/programs.csv").raise_for_status()
            elif what == "validate":
                client.post(
                    "/api/v1/filings/validate",
                    content=body,
                    headers={"Content-Type": "application/json"},
                ).raise_for_status()
            else:
                for q in queries:
                    client.get("/api/v1/majors", params={"q": q["q"]}).raise_for_status()


def profile_server(what: str, db: Database, data: Path, manifest, seconds: int, kind) -> str:
    token = registry_process(["token", "create", "--role", "admin", "--name", "profile"], db.url)[
        1
    ].strip()
    raw = WORK / f"profile_{what}.txt"
    env = {"REGISTRY_DATABASE_URL": db.url, "REGISTRY_PAGE_CACHE_MB": "0"}  # as bench.run
    with Server("app.asgi:app", env=env) as server:
        # --gil: only the thread holding the GIL, i.e. where the one core's time goes.
        command = [
            PY_SPY,
            "record",
            "--pid",
            str(server.pid),
            "--rate",
            "250",
            "--gil",
            "--duration",
            str(seconds + 1),
            "--format",
            "raw",
            "--nonblocking",
            "-o",
            str(raw),
        ]
        spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        workload(what, server, db, data, manifest, token, seconds, kind)
        spy.wait(timeout=seconds + 30)
    return summarise(raw)


def profile_import(db: Database, data: Path, manifest) -> str:
    from pyinstrument import Profiler

    profiler = Profiler()
    profiler.start()
    registry_in_process(["import", "programs", str(data / manifest.programs_file)], db.url)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("list", "export", "validate", "search", "import"))
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--full", action="store_true", help="the national-scale registry")
    kinds = {kind.label: kind for kind in PAGE_KINDS}
    parser.add_argument("--kind", choices=sorted(kinds), default="college", help="list: page kind")
    args = parser.parse_args(argv)
    if args.what != "import" and not Path(PY_SPY).exists():
        raise SystemExit("py-spy is missing: pip install -e '.[bench]'")
    data = OUT / ("data" if args.full else "data-quick")
    if not (data / "manifest.json").exists():
        generate(data, Spec() if args.full else QUICK)
    manifest = read_manifest(data)
    importing = args.what == "import"
    name = "registry_profile" + ("_import" if importing else "") + ("_full" if args.full else "")
    db, fresh = profile_db(args.backend, args.pg_url, name, rebuild=importing)
    if fresh:
        prepare(db.url, registry_in_process)
        load_registry(db.url, data, manifest, run=registry_in_process, programs=not importing)
    else:  # a registry kept from an older schema: migrations since then (backfills included)
        registry_in_process(["migrate"], db.url)
    if importing:
        print(profile_import(db, data, manifest))
    else:
        print(profile_server(args.what, db, data, manifest, args.seconds, kinds[args.kind]))


if __name__ == "__main__":
    main()
