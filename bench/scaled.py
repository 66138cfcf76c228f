"""What grows with the registry besides pages, import and export: 布点 statistics, a catalog
adoption plan and the change-feed replay, measured in-process on the loaded benchmark database.

Run by ``bench.run`` (part ``scaled``) at every ``--scale``; the table beside it gives each
figure's growth 10×/1× (issue 28: each ≤ 10.5× its 1× time, memory flat where the answer's size
does not grow). Each figure is the median of ``repeat`` calls (CPU time of this process, which
stays comparable on a shared machine, plus on PostgreSQL the CPU of the database backends serving
the benchmark's connections; the wall time is in the note); the memory is the peak
of Python allocations during one more call (``tracemalloc``, so that call is not timed).

- ``/statistics/programs?by=…``: ``app.programs.coverage.coverage`` by major, province and
  college type (one GROUP BY over every active program).
- adoption: a ``technician-2026`` edition with every code of ``technician-2022`` (one in ten
  renamed, one in fifty withdrawn) and its crosswalk, loaded with ``registry import catalog`` and
  ``registry import crosswalk``; then applying it (``app.adoption.service.adopt`` with the
  applied answer's JSON, ``answer.Applied``, read back and counted; in a transaction rolled back
  at the end, so the registry stays as it was; the commit's own work, the change-feed rows'
  insert, is done before the rollback and counted since 2026-12-07, session 39; on PostgreSQL
  the tables it wrote are vacuumed after each call, untimed, since session 40), the plan as
  ``registry catalog adopt`` prints it (``stream.opened`` and ``cli.catalog.plan_lines``), the
  dry run's answer as it streams (``answer.dry_run``) and ``adoption.csv`` as it streams
  (``export.csv_stream``; the XLSX is the same stream through xlsxwriter, ~8× the CPU, not
  measured here) — all computed in chunks of programs. Before
  2026-12-07 applying and the command held the whole plan (docs/benchmarks.md).
- change-feed replay: ``app.changes.feed.page_json`` from ``since=0`` in pages of 500 until the
  end, as a follower does on its first sync (the import wrote one change per program).
- publication diff: two years' approval lists published through ``publications.service``
  (``create_draft`` and ``publish``, as ``registry seed`` records its 2024 lists): for each
  authority whose colleges the import filled, the list of DIFF_YEARS[0] and of DIFF_YEARS[1],
  each line an active imported program whose ``since_year`` is the list's year; then the JSON
  answer of ``year:2022`` → ``year:2023`` (``GET /publications/diff``: the lists side by side),
  written as the route streams it and discarded, and what ``GET /publications/diff.csv`` writes
  and streams. Runs after the replay (publishing records changes). The lists grow with the
  registry, the answers with them; their memory holds a chunk of lines (flat).
"""

import csv
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import psycopg

from bench.database import Database, backend_cpu
from bench.generate import Manifest
from bench.load import CommandFailed, run_registry
from bench.results import Result

NEW_EDITION = "technician-2026"
OLD_EDITION = "technician-2022"
# The years of the two approval lists the publication diff compares (the generated programs'
# since_year runs 2005-2024; `registry seed` publishes 2024 lists of its own).
DIFF_YEARS = (2022, 2023)


def _database_cpu(db: Database, before: dict[int, float]) -> float:
    """CPU seconds the PostgreSQL backends of ``db`` used since ``before`` (a new backend's
    whole CPU); 0 on SQLite, whose queries run in this process."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in backend_cpu(db).items())


def _untimed() -> None:
    pass


# What a rolled-back apply writes: PostgreSQL keeps its dead rows and index entries until a
# vacuum (autovacuum had not come after three applies at 10×: 4.7 M dead programs beside 1.5 M),
# so each repeat would meet bigger tables than the one before; SQLite's rollback leaves none.
ADOPTION_WRITES = ("program", "program_event", "change")


def _vacuum(db: Database, tables: tuple[str, ...]) -> Callable[[], None]:
    """After each call, untimed: the tables' dead rows removed on PostgreSQL (nothing on SQLite),
    so every repeat starts where the first did."""
    if db.backend != "postgresql":
        return _untimed

    def vacuum() -> None:
        with psycopg.connect(db.libpq, autocommit=True) as conn:
            conn.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")

    return vacuum


def _timed(
    db: Database, call: Callable[[], Any], repeat: int, after: Callable[[], None] = _untimed
) -> tuple[float, float, float, Any]:
    """(median CPU seconds of this process and the database's, median of the database's alone,
    median wall seconds, the last answer). ``after`` runs after each call, not timed."""
    cpu: list[float] = []
    database: list[float] = []
    wall: list[float] = []
    answer = None
    for _ in range(repeat):
        d0 = backend_cpu(db)
        c0, w0 = time.process_time(), time.perf_counter()
        answer = call()
        own, elapsed = time.process_time() - c0, time.perf_counter() - w0
        theirs = _database_cpu(db, d0)
        cpu.append(own + theirs)
        database.append(theirs)
        wall.append(elapsed)
        after()
    return statistics.median(cpu), statistics.median(database), statistics.median(wall), answer


def peak_mib(call: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _rows(
    db: Database,
    label: str,
    call: Callable[[], Any],
    repeat: int,
    size: str | Callable[[Any], str],
    after: Callable[[], None] = _untimed,
) -> list:
    cpu, database, wall, answer = _timed(db, call, repeat, after)
    peak = peak_mib(call)
    after()
    in_database = f", of which the database's {database * 1000:.1f} ms" if database else ""
    return [
        Result(
            db.backend,
            label,
            cpu * 1000,
            "ms CPU",
            note=f"{size(answer) if callable(size) else size}; wall {wall * 1000:.1f} ms "
            f"(median of {repeat}){in_database}",
        ),
        Result(db.backend, f"{label}: peak Python memory", peak, "MiB"),
    ]


def statistics_results(db: Database, repeat: int) -> list[Result]:
    from sqlmodel import Session

    from app.db import make_engine
    from app.programs import coverage

    engine = make_engine(db.url)
    out: list[Result] = []
    try:
        for by in ("major", "province", "college_type"):

            def call(by: str = by) -> list:
                with Session(engine) as session:
                    return coverage.coverage(session, by=by)

            out += _rows(
                db,
                f"6. GET /statistics/programs?by={by} (布点)",
                call,
                repeat,
                lambda items: (
                    f"{len(items)} groups, {sum(i['programs'] for i in items):,} programs"
                ),
            )
    finally:
        engine.dispose()
    return out


def _crosswalk_files(db: Database, work: Path) -> tuple[Path, Path, int]:
    """The new edition's catalog and the 对照表 from the old edition's codes in the database."""
    from sqlalchemy import text

    from app.db import make_engine

    engine = make_engine(db.url)
    try:
        with engine.connect() as conn:
            majors = conn.execute(
                text(
                    "SELECT m.code, m.name, c.name, m.levels FROM major m "
                    "JOIN catalog_edition e ON e.id = m.edition_id "
                    "JOIN category c ON c.id = m.category_id WHERE e.key = :key "
                    "ORDER BY m.code"
                ),
                {"key": OLD_EDITION},
            ).all()
    finally:
        engine.dispose()
    catalog, crosswalk = work / f"catalog_{NEW_EDITION}.csv", work / "crosswalk.csv"
    with (
        open(catalog, "w", encoding="utf-8", newline="") as cat,
        open(crosswalk, "w", encoding="utf-8", newline="") as walk,
    ):
        cat_w, walk_w = csv.writer(cat), csv.writer(walk)
        cat_w.writerow(["code", "name", "category", "levels"])
        walk_w.writerow(["old_code", "old_name", "new_code", "new_name", "relation"])
        for n, (code, name, category, levels) in enumerate(majors):
            if n % 50 == 49:
                walk_w.writerow([code, name, "", "", "withdrawn"])
                continue
            new_name, relation = (
                (name + "（新）", "renamed") if n % 10 == 9 else (name, "unchanged")
            )
            cat_w.writerow([code, new_name, category, levels or ""])
            walk_w.writerow([code, name, code, new_name, relation])
    return catalog, crosswalk, len(majors)


def adoption_results(db: Database, work: Path, repeat: int) -> list[Result]:
    from sqlmodel import Session

    from app.access.principal import SYSTEM
    from app.adoption import answer, export, service, stream
    from app.adoption.plan import Counts
    from app.changes import recorder
    from app.cli.catalog import plan_lines
    from app.db import make_engine
    from app.db.engines import writer

    catalog, crosswalk, codes = _crosswalk_files(db, work)
    try:
        run_registry(
            ["import", "catalog", str(catalog), "--edition", NEW_EDITION, "--title",
             "全国技工院校专业目录（2026年修订，基准合成）", "--system", "technician"],
            db.url,
        )  # fmt: skip
        run_registry(
            ["import", "crosswalk", str(crosswalk), "--edition", NEW_EDITION,
             "--from", OLD_EDITION],
            db.url,
        )  # fmt: skip
    except CommandFailed as exc:
        return [Result(db.backend, "7. adoption plan", None, "", note=str(exc).splitlines()[0])]
    engine = make_engine(db.url)

    def applied() -> int:
        with Session(writer(engine), expire_on_commit=False) as session:
            sections = answer.Applied()
            done = service.adopt(
                session, NEW_EDITION, from_key=OLD_EDITION, decisions=[], actor=SYSTEM, out=sections
            )
            recorder.write_changes(session)  # the commit's work (the feed's rows), then undone
            size = streamed(sections.body(NEW_EDITION, OLD_EDITION, True, done.superseded_on))
            session.rollback()
        return size

    def printed() -> int:
        counts = Counts()
        with stream.opened(engine, NEW_EDITION, OLD_EDITION) as plan:
            return sum(len(line.encode()) + 1 for line in plan_lines(plan, counts))

    def streamed(chunks: Iterator[bytes]) -> int:
        return sum(len(chunk) for chunk in chunks)  # what the client gets, never held whole

    try:
        return (
            _rows(
                db,
                f"7. adoption {OLD_EDITION} → {NEW_EDITION} applied (rolled back)",
                applied,
                repeat,
                lambda length: f"{codes} codes crosswalked; {length / 2**20:.1f} MiB of JSON",
                after=_vacuum(db, ADOPTION_WRITES),
            )
            + _rows(
                db,
                "7. registry catalog adopt: the plan printed",
                printed,
                repeat,
                lambda length: f"{length / 2**20:.1f} MiB of lines",
            )
            + _rows(
                db,
                "7. POST /catalogs/…/adoption dry run (streamed)",
                lambda: streamed(answer.dry_run(engine, NEW_EDITION, OLD_EDITION, decisions=[])),
                repeat,
                lambda length: f"{length / 2**20:.1f} MiB of JSON",
            )
            + _rows(
                db,
                "7. GET /catalogs/…/adoption.csv (streamed)",
                lambda: streamed(export.csv_stream(engine, NEW_EDITION, OLD_EDITION)),
                repeat,
                lambda length: f"{length / 2**20:.1f} MiB of CSV",
            )
        )
    finally:
        engine.dispose()


def replay(engine: Any) -> tuple[int, int]:
    """Every change from since=0 in pages of 500: (changes, pages)."""
    from app.changes import feed

    since, total, pages = 0, 0, 0
    while True:
        body = feed.page_json(engine, feed.ChangesQuery(since=since, limit=500))
        page = orjson.loads(body)
        pages += 1
        total += len(page["items"])
        if page["next"] is None:
            return total, pages
        since = page["last_seq"]


def replay_results(db: Database, repeat: int) -> list[Result]:
    from app.config import Settings
    from app.db import make_engine, make_read_engine

    engine = make_engine(db.url)
    reader = make_read_engine(engine, Settings(database_url=db.url))
    try:
        return _rows(
            db,
            "8. change-feed replay from since=0, pages of 500",
            lambda: replay(reader),
            repeat,
            lambda got: f"{got[0]:,} changes in {got[1]:,} pages",
        )
    finally:
        reader.dispose()
        engine.dispose()


def _list_lines(session: Any, year: int) -> dict[str, list[Any]]:
    """Authority code -> the lines of its approval list of ``year``: every active program the
    import wrote (source ``import:…``) with that ``since_year`` in the colleges it governs, in
    college and major order; the lines of one college and major share a 序号."""
    from sqlalchemy import text

    from app.publications.schemas import LineIn

    found = session.execute(
        text(
            "SELECT a.code, c.code, m.code, m.name, k.name, p.intake, p.level, p.length_years "
            "FROM program p JOIN college c ON c.id = p.college_id "
            "JOIN authority a ON a.id = c.authority_id JOIN major m ON m.id = p.major_id "
            "JOIN category k ON k.id = m.category_id "
            "WHERE p.since_year = :year AND p.status = 'active' AND p.source LIKE 'import:%' "
            "ORDER BY a.code, c.code, m.code, p.intake, p.level"
        ),
        {"year": year},
    ).all()
    lists: dict[str, list[Any]] = {}
    previous: dict[str, tuple[str, str]] = {}
    for authority, college, code, name, category, intake, level, years in found:
        lines = lists.setdefault(authority, [])
        seq = (lines[-1].seq if lines else 0) + (previous.get(authority) != (college, code))
        previous[authority] = (college, code)
        lines.append(
            LineIn(
                seq=seq,
                college=college,
                major_code=code,
                major_name=name,
                category=category,
                intake=intake,
                level=level or None,
                length_years=years,
            )
        )
    return lists


def publish_approval_lists(db: Database) -> tuple[int, int]:
    """The approval lists of DIFF_YEARS, drafted and published through the publication service
    (one transaction each, as ``registry seed`` records its 2024 lists: the notice was published
    outside the registry); returns (lists, lines)."""
    from datetime import date

    from app.access.principal import SYSTEM
    from app.db import make_engine, session_scope
    from app.publications import service
    from app.publications.schemas import PublicationCreate

    engine = make_engine(db.url)
    published = lines_total = 0
    try:
        for year in DIFF_YEARS:
            with session_scope(engine) as session:
                lists = _list_lines(session, year)
            for authority, lines in lists.items():
                with session_scope(engine) as session:
                    draft = service.create_draft(
                        session,
                        PublicationCreate(
                            authority=authority,
                            year=year,
                            title=f"{year}年技工院校新增专业名单（{authority}，基准合成）",
                            series=f"bench-{authority}-{year}",
                            published_on=date(year, 6, 1),
                            lines=lines,
                        ),
                        actor=SYSTEM,
                    )
                    assert draft.id is not None
                    assert draft.published_on is not None
                    service.publish(
                        session,
                        draft.id,
                        actor=SYSTEM,
                        today=draft.published_on,
                        notice_recorded=True,
                    )
                published += 1
                lines_total += len(lines)
    finally:
        engine.dispose()
    return published, lines_total


def diff_results(db: Database, repeat: int) -> list[Result]:
    from sqlmodel import Session

    from app.db import make_engine, snapshot
    from app.jsonstream import joined
    from app.publications import diff, diff_answer
    from app.spreadsheets import writing

    started = time.perf_counter()
    lists, lines = publish_approval_lists(db)
    setup = f"{lists} lists of {lines:,} lines published in {time.perf_counter() - started:.0f} s"
    refs = diff.Refs(f"year:{DIFF_YEARS[0]}", f"year:{DIFF_YEARS[1]}")
    engine = make_engine(db.url)

    def compare() -> Any:
        with snapshot(engine) as conn:
            opened = diff.open_diff(Session(bind=conn), None, refs)
            for _ in joined(diff_answer.json_parts(opened)):
                pass
            return opened.summary

    def compare_csv() -> int:
        with Session(engine) as session:
            download = diff_answer.csv_download(session, engine, None, refs, bom=True)
            return sum(len(chunk) for chunk in writing.stream_open(download.file))

    def size(summary: Any) -> str:
        return (
            f"{setup}; only {DIFF_YEARS[0]} {summary.only_from:,}, only {DIFF_YEARS[1]} "
            f"{summary.only_to:,}, both {summary.both:,}"
        )

    label = f"9. publication diff year:{DIFF_YEARS[0]} → year:{DIFF_YEARS[1]}"
    try:
        return _rows(db, label, compare, repeat, size) + _rows(
            db,
            "9. GET /publications/diff.csv (diff and CSV)",
            compare_csv,
            repeat,
            lambda body: f"{body / 2**20:.1f} MiB of CSV",
        )
    finally:
        engine.dispose()


def scaled_results(db: Database, data: Path, manifest: Manifest, work: Path) -> list[Result]:
    from bench.checks import attempt

    repeat = 3
    return (
        attempt(db.backend, "6. statistics", lambda: statistics_results(db, repeat))
        + attempt(db.backend, "7. adoption plan", lambda: adoption_results(db, work, repeat))
        + attempt(db.backend, "8. change-feed replay", lambda: replay_results(db, 1))
        + attempt(db.backend, "9. publication diff", lambda: diff_results(db, repeat))
    )
