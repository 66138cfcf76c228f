"""Measurements quoted in docs/benchmarks.md (not a test): ``python -m tests.core.measure URL``.

Builds a 150,000-program registry (2,500 colleges, 600 majors) through the import services in an
EMPTY database at URL (tables are dropped and created), then reports: import programs rows/s
(insert, then an unchanged re-import), GET /programs page latency per filter (first, middle,
last page), and major search latency over 5,415 majors.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

from sqlmodel import Session, SQLModel, select

from app import models  # noqa: F401
from app.access.principal import SYSTEM
from app.catalog.importer import import_catalog
from app.catalog.models import Major
from app.catalog.schemas import EditionOptions
from app.catalog.search import search
from app.colleges.importer import import_colleges
from app.config import get_settings
from app.db import make_engine, make_read_engine, session_scope
from app.programs.importer import import_programs
from app.programs.listing import page_json
from app.programs.schemas import ProgramFilters
from tests.core.generate import catalog_csv, colleges_csv, programs_csv

FILTERS = [
    {},
    {"college": "G001234"},
    {"major_code": "1234"},
    {"category": "信息类"},
    {"province": "四川省"},
    {"year": 2010},
    {"status": "suspended"},
    {"level": "预备技师"},
    {"college": "G001234", "status": "active"},
    {"province": "四川省", "year": 2010},
    {"year": 1990},
    {"status": "withdrawn"},
    {"category": "冶金类"},
]
QUERIES = [
    "xnyqc",
    "07",
    "汽车",
    "xinnengyuan",
    "网络营销与直播技术",
    "网络营销与直播技朮",
    "wangluo",
    "zhibo",
    "1234",
    "a",
    "机械",
]


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def imports(engine) -> None:
    from app import seed

    seed.run(engine)
    with session_scope(engine) as session:
        import_colleges(session, colleges_csv(2500), actor=SYSTEM)
        import_catalog(
            session, catalog_csv(600), key="gen", options=EditionOptions(title="g"), actor=SYSTEM
        )
    data = programs_csv(2500, 60, 600)
    for label in ("insert 150k", "re-import unchanged"):
        server: list[float] = []

        def run(server=server):
            with session_scope(engine) as session:
                server.append(_server_cpu(session))
                result = import_programs(session, data, actor=SYSTEM, max_rows=200_000)
                server.append(_server_cpu(session))
                return result

        wall, cpu, result = timed(run)
        spent = f" + {server[1] - server[0]:.2f}s PostgreSQL backend cpu" if server[0] else ""
        print(
            f"import programs {label}: {wall:.2f}s wall ({cpu:.2f}s cpu here{spent}), "
            f"{result.rows / wall:,.0f} rows/s  {result}"
        )


def _server_cpu(session) -> float:
    """CPU seconds of this session's PostgreSQL backend (same machine), 0 on SQLite: on a busy
    machine wall time mostly measures the wait for a CPU, so docs/benchmarks.md quotes both."""
    if session.get_bind().dialect.name != "postgresql":
        return 0.0
    pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pages(engine) -> None:
    reads = make_read_engine(engine, get_settings())
    for f in FILTERS:
        filters, times = ProgramFilters(**f), []
        for after in (None, 75_000, 149_000):
            page_json(reads, filters, after=after, limit=50)
            wall, _, _ = timed(lambda a=after, f=filters: page_json(reads, f, after=a, limit=50))
            times.append(wall * 1000)
        print(
            f"GET /programs {f or 'no filter'}: "
            + ", ".join(f"{t:.1f}" for t in times)
            + " ms (first, middle, last page)"
        )


def searches(engine) -> None:
    # 5,000 names recombined from the seed's real ones, so characters and pinyin are realistic.
    with Session(engine) as session:
        names = list(session.scalars(select(Major.name).order_by(Major.id)).all())
    rng = random.Random(1)
    lines = ["code,name,category"] + [
        f"{2000 + i:04d},{a[:4]}{b[-4:]}{i},类{i % 15}"
        for i, (a, b) in enumerate(rng.sample(names, 2) for _ in range(5000))
    ]
    with session_scope(engine) as session:
        import_catalog(
            session,
            "\n".join(lines).encode(),
            key="gen-search",
            options=EditionOptions(title="s"),
            actor=SYSTEM,
        )
    with Session(engine) as session:
        search(session, "x")
        times = [
            timed(lambda q=q: search(session, q, limit=51))[0] * 1000
            for _ in range(30)
            for q in QUERIES
        ]
    times.sort()
    print(
        f"search ({len(times)} queries): median {statistics.median(times):.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)]:.2f} ms, max {times[-1]:.2f} ms"
    )


def main(url: str) -> None:
    engine = make_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    imports(engine)
    pages(engine)
    searches(engine)


if __name__ == "__main__":
    main(sys.argv[1])
