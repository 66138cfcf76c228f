"""Adoption at national scale (quoted in docs/adoption.md; not a test):
``python -m tests.adoption.measure URL``.

In an EMPTY database at URL (tables are dropped and created): the seed, 2,500 colleges, a
600-major national edition ``gen`` and 150,000 programs on it (tests/core/generate.py), then a
new edition ``gen-2`` whose crosswalk renames every 10th code to a new code, merges every 50th
code into its neighbour and keeps the rest; then times the dry run and the apply.
"""

import sys
import time

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


def main(url: str) -> None:
    from app import seed

    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    seed.run(engine)
    catalog, crosswalk = _new_edition()
    with session_scope(engine) as session:
        import_colleges(session, colleges_csv(2500), actor=SYSTEM)
        options = EditionOptions(title="g")
        import_catalog(session, catalog_csv(MAJORS), key="gen", options=options, actor=SYSTEM)
        import_programs(session, programs_csv(2500, 60, MAJORS), actor=SYSTEM, max_rows=200_000)
        import_catalog(session, catalog, key="gen-2", options=options, actor=SYSTEM)
        import_crosswalk(session, crosswalk, key="gen-2", from_edition="gen", actor=SYSTEM)
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
    main(sys.argv[1])
