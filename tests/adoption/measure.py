"""Adoption at national scale (quoted in docs/adoption.md; not a test):
``python -m tests.adoption.measure URL [--colleges 2500] [--memory]``.

In an EMPTY database at URL (tables are dropped and created): the seed, 2,500 colleges, a
600-major national edition ``gen`` and 60 programs a college on it (150,000 programs;
tests/core/generate.py), then a new edition ``gen-2`` whose crosswalk renames every 10th code to
a new code, merges every 50th code into its neighbour and keeps the rest; then times the dry run
and the apply.

With ``--memory``, instead of applying: the dry run's answer as the route wrote it when it held
the plan whole (``service.adopt`` and pydantic's JSON of the ``AdoptionPlan``) and as it streams
now (``answer.dry_run``, each part dropped once counted, as the response sends it), side by side
in this one process: the peak of Python allocations of each (``tracemalloc``, a call of its own),
CPU and wall time (a call without tracemalloc), and that the bytes are the same.
"""

import argparse
import time
from typing import Any

from sqlmodel import SQLModel

from app import models  # noqa: F401
from app.access.principal import SYSTEM
from app.adoption import service
from app.catalog.crosswalk_import import import_crosswalk
from app.catalog.importer import import_catalog
from app.catalog.schemas import EditionOptions
from app.colleges.importer import import_colleges
from app.db import make_engine, session_scope
from app.programs.importer import import_programs
from bench.scaled import peak_mib
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


def memory(engine: Any) -> None:
    """The dry run's answer held whole (as before) and streamed, side by side (``--memory``)."""
    from pydantic import TypeAdapter
    from sqlmodel import Session

    from app.adoption import answer
    from app.adoption.schemas import AdoptionPlan

    def whole() -> bytes:
        with Session(engine) as session:
            plan = service.adopt(
                session, "gen-2", from_key="gen", decisions=[], apply=False, actor=SYSTEM
            )
            return TypeAdapter(AdoptionPlan).dump_json(plan, by_alias=True)

    def streamed() -> int:
        return sum(len(part) for part in answer.dry_run(engine, "gen-2", "gen", decisions=[]))

    same = whole() == b"".join(answer.dry_run(engine, "gen-2", "gen", decisions=[]))
    figures = {}
    for name, call in (("whole", whole), ("streamed", streamed)):
        wall, cpu, out = timed(call)
        figures[name] = peak_mib(call)
        size = len(out) if isinstance(out, bytes) else out
        print(
            f"dry run {name}: peak {figures[name]:.1f} MiB of Python memory; "
            f"{wall:.2f}s wall, {cpu:.2f}s cpu here; {size / 2**20:.1f} MiB of JSON"
        )
    print(f"same bytes: {same}; peak whole/streamed: {figures['whole'] / figures['streamed']:.1f}")


def main(url: str, colleges: int = 2500, *, measure_memory: bool = False) -> None:
    from app import seed

    engine = make_engine(url)
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
    if measure_memory:
        memory(engine)
        return
    for apply in (False, True, True):

        def run(apply=apply):
            with session_scope(engine) as session:
                return service.adopt(
                    session, "gen-2", from_key="gen", decisions=[], apply=apply, actor=SYSTEM
                )

        wall, cpu, plan = timed(run)
        print(
            f"{'apply' if apply else 'dry run'}: {wall:.2f}s wall, {cpu:.2f}s cpu here; "
            f"{plan.summary_line()}; applied {plan.applied}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.adoption.measure")
    parser.add_argument("url", help="an EMPTY database: its tables are dropped and created")
    parser.add_argument("--colleges", type=int, default=2500, help="60 programs each")
    parser.add_argument("--memory", action="store_true", help="the dry run whole and streamed")
    args = parser.parse_args()
    main(args.url, args.colleges, measure_memory=args.memory)
