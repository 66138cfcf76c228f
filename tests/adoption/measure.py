"""Adoption at national scale (quoted in docs/adoption.md; not a test):
``python -m tests.adoption.measure URL [--colleges 2500] [--memory] [--loaded]``.

In an EMPTY database at URL (tables are dropped and created): the seed, 2,500 colleges, a
600-major national edition ``gen`` and 60 programs a college on it (150,000 programs;
tests/core/generate.py), then a new edition ``gen-2`` whose crosswalk renames every 10th code to
a new code, merges every 50th code into its neighbour and keeps the rest; then times the dry run
and the apply.

With ``--memory``, instead of applying for good, side by side in this one process, the way it
was done with the whole plan (``plan_reference``) and the way it is done now, in chunks: the dry
run's answer (pydantic's JSON of the whole ``AdoptionPlan``; ``answer.dry_run``, each part
dropped once counted, as the response sends it), applying with its answer (each rolled back at
the end: the commit's insert of the change-feed rows is the same either way and not counted) and
the plan ``registry catalog adopt`` prints; for each the peak of Python allocations
(``tracemalloc``, a call of its own), CPU and wall time (a call without tracemalloc), and that
the bytes are the same.
"""

import argparse
import hashlib
import time
from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlmodel import SQLModel

from app import models  # noqa: F401
from app.access.principal import SYSTEM
from app.adoption import answer, service, stream
from app.adoption.plan import Counts
from app.catalog.crosswalk_import import import_crosswalk
from app.catalog.importer import import_catalog
from app.catalog.schemas import EditionOptions
from app.cli.catalog import plan_lines
from app.colleges.importer import import_colleges
from app.db import make_engine, session_scope
from app.db.engines import writer
from app.programs.importer import import_programs
from bench.scaled import peak_mib
from tests.adoption import plan_reference
from tests.adoption.helpers import plan_json
from tests.core.generate import CATEGORIES, catalog_csv, colleges_csv, major_code, programs_csv

MAJORS = 600


def _new_code(i: int) -> str:
    if i % 50 == 1:
        return _new_code(i - 1)  # merged into its neighbour
    return f"{2000 + i:04d}" if i % 10 == 0 else major_code(i)


def _new_edition() -> tuple[bytes, bytes]:
    codes = {_new_code(i): i for i in range(MAJORS)}
    catalog = ["code,name,category"] + [
        f"{code},新专业{i},{CATEGORIES[i % len(CATEGORIES)]}" for code, i in sorted(codes.items())
    ]
    lines = ["old_code,new_code,relation"]
    for i in range(MAJORS):
        new = _new_code(i)
        relation = "merged" if i % 50 in (0, 1) else ("renamed" if new != major_code(i) else "")
        lines.append(f"{major_code(i)},{new},{relation or 'renamed'}")
    return "\n".join(catalog).encode(), "\n".join(lines).encode()


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


Digest = tuple[int, str]


def _digest(parts: Iterable[bytes]) -> Digest:
    """(length, SHA-256) of the parts, each dropped once counted (as a response sends them)."""
    sha, size = hashlib.sha256(), 0
    for part in parts:
        sha.update(part)
        size += len(part)
    return size, sha.hexdigest()


def _pairs(engine: Any) -> dict[str, tuple[Any, Any]]:
    """(the whole plan's way, the chunked way) of each thing measured: each returns its bytes
    (held whole, as the whole plan's way did) or their ``Digest``."""
    from sqlmodel import Session

    def whole_dry() -> bytes:
        with Session(engine) as session:
            return plan_json(plan_reference.preview(session, "gen-2", from_key="gen"))

    def whole_apply() -> bytes:
        with Session(writer(engine)) as session:
            plan = plan_reference.adopt(
                session, "gen-2", from_key="gen", decisions=[], apply=True, actor=SYSTEM
            )
            session.rollback()
            return plan_json(plan)

    def chunked_apply() -> Digest:
        with Session(writer(engine)) as session:
            sections = answer.Applied()
            done = service.adopt(
                session, "gen-2", from_key="gen", decisions=[], actor=SYSTEM, out=sections
            )
            session.rollback()
            return _digest(sections.body("gen-2", "gen", done.applied, done.superseded_on))

    def whole_cli() -> bytes:
        with Session(engine) as session:
            lines = plan_reference.cli_lines(
                plan_reference.preview(session, "gen-2", from_key="gen")
            )
        return "".join(f"{line}\n" for line in lines).encode()  # its counts last

    def chunked_cli() -> Digest:
        counts = Counts()
        with stream.opened(engine, "gen-2", "gen") as plan:
            lines = (f"{line}\n".encode() for line in plan_lines(plan, counts))
            last = (f"{counts.line()}\n".encode() for _ in range(1))  # once they are counted
            return _digest(chain(lines, last))

    def chunked_dry() -> Digest:
        return _digest(answer.dry_run(engine, "gen-2", "gen", decisions=[]))

    return {
        "dry run": (whole_dry, chunked_dry),
        "apply": (whole_apply, chunked_apply),
        "registry catalog adopt": (whole_cli, chunked_cli),
    }


def memory(engine: Any) -> None:
    """Each of ``_pairs`` the whole plan's way and in chunks, side by side (``--memory``)."""
    for name, (whole, chunked) in _pairs(engine).items():
        figures = {}
        outs = {}
        for way, call in (("whole", whole), ("chunked", chunked)):
            wall, cpu, out = timed(call)
            outs[way] = _digest([out]) if isinstance(out, bytes) else out
            figures[way] = (peak_mib(call), cpu)
            print(
                f"{name} {way}: peak {figures[way][0]:.1f} MiB of Python memory; "
                f"{wall:.2f}s wall, {cpu:.2f}s cpu here; {outs[way][0] / 2**20:.1f} MiB",
                flush=True,
            )
        peak = figures["whole"][0] / figures["chunked"][0]
        cpu = figures["chunked"][1] / figures["whole"][1]
        print(
            f"{name}: same bytes {outs['whole'] == outs['chunked']}; "
            f"peak whole/chunked {peak:.1f}; cpu chunked/whole {cpu:.2f}",
            flush=True,
        )


def _load(engine: Any, colleges: int) -> None:
    from app import seed

    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    seed.run(engine)
    catalog, crosswalk = _new_edition()
    with session_scope(engine) as session:
        import_colleges(session, colleges_csv(colleges), actor=SYSTEM)
        options = EditionOptions(title="g")
        import_catalog(session, catalog_csv(MAJORS), key="gen", options=options, actor=SYSTEM)
        rows = programs_csv(colleges, 60, MAJORS)
        import_programs(session, rows, actor=SYSTEM, max_rows=max(200_000, colleges * 60))
        import_catalog(session, catalog, key="gen-2", options=options, actor=SYSTEM)
        import_crosswalk(session, crosswalk, key="gen-2", from_edition="gen", actor=SYSTEM)


def main(
    url: str, colleges: int = 2500, *, measure_memory: bool = False, loaded: bool = False
) -> None:
    engine = make_engine(url)
    if not loaded:
        _load(engine, colleges)
    if measure_memory:
        memory(engine)
        return

    def dry_run() -> str:
        size = sum(len(part) for part in answer.dry_run(engine, "gen-2", "gen", decisions=[]))
        return f"{size / 2**20:.1f} MiB of JSON"

    def apply() -> str:
        with session_scope(engine) as session:
            sections = answer.Applied()
            done = service.adopt(
                session, "gen-2", from_key="gen", decisions=[], actor=SYSTEM, out=sections
            )
        sections.close()
        return f"{done.counts.line()}; applied {done.applied}"

    for name, call in (("dry run", dry_run), ("apply", apply), ("apply again", apply)):
        wall, cpu, said = timed(call)
        print(f"{name}: {wall:.2f}s wall, {cpu:.2f}s cpu here; {said}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.adoption.measure")
    parser.add_argument("url", help="an EMPTY database: its tables are dropped and created")
    parser.add_argument("--colleges", type=int, default=2500, help="60 programs each")
    parser.add_argument(
        "--memory", action="store_true", help="the whole plan and the chunks side by side"
    )
    parser.add_argument("--loaded", action="store_true", help="URL is loaded already: no load")
    args = parser.parse_args()
    main(args.url, args.colleges, measure_memory=args.memory, loaded=args.loaded)
