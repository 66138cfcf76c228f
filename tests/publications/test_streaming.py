"""Done-when: the programs export streams — the server's memory does not grow with the row
count (tracemalloc peak while serving 10,000 rows vs 100,000 rows)."""

import asyncio
import tracemalloc
from urllib.parse import urlencode

import pytest
from sqlalchemy import insert, select

from app.catalog.models import Major
from app.colleges.models import College
from app.programs.models import Program

# 100,000 rows inserted and streamed twice: more than 10 s (docs/development.md, quick loop).
pytestmark = pytest.mark.slow

BULK = 100_000
SMALL = 10_000
SEEDED = 82 + 16  # the 2024 technician list and the 16 new majors of the 中职 notice
LEVELS = ("中级", "高级", "预备技师")
INTAKES = ("初中起点", "高中起点", "中技起点", "高技起点", "高中、中专或中技起点")


@pytest.fixture
def settings(settings):
    """The page cache off: these tests measure the export's own streaming. With it on, the warm-up
    leaves the small export in the cache (its second serving costs nothing) and a big export is
    copied up to the cache's per-answer bound (2 MiB) before it is given up."""
    return settings.model_copy(update={"page_cache_mb": 0})


def bulk_programs(engine, count: int, small: int) -> None:
    """``count`` suspended programs (so the active-offering index allows repeats), ``small`` of
    them — spread evenly, so both exports meet the same colleges and majors — first approved in
    2010, the rest in 2011; inserted with Core executemany."""
    with engine.begin() as conn:
        majors = conn.execute(select(Major.id).order_by(Major.id)).scalars().all()
        colleges = (
            conn.execute(
                insert(College).returning(College.id),
                [
                    {
                        "code": f"9999B{i:03d}",
                        "name": f"测试学院{i}",
                        "type": "技师学院",
                        "ownership": "公办",
                        "province": "广东省",
                        "city": "广州市",
                    }
                    for i in range(20)
                ],
            )
            .scalars()
            .all()
        )
        every = count // small
        combos = [
            (c, m, lv, it) for c in colleges for m in majors for lv in LEVELS for it in INTAKES
        ]
        rows = [
            {
                "college_id": c,
                "major_id": m,
                "level": lv,
                "intake": it,
                "length_years": 3,
                "status": "suspended",
                "since_year": 2010 if n % every == 0 else 2011,
                "source": "test",
            }
            for n, (c, m, lv, it) in enumerate(combos[:count])
        ]
        assert len(rows) == count
        conn.execute(insert(Program), rows)


def serve(app, path: str, query: dict) -> tuple[int, int, int]:
    """Run one request through the ASGI app, discarding the body as it streams (a client that
    keeps it would measure itself). Returns (status, bytes, CRLF line count)."""
    received = {"status": 0, "bytes": 0, "lines": 0}

    async def receive():
        if received.get("sent"):
            await asyncio.Event().wait()  # the client never disconnects
        received["sent"] = 1
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            received["status"] = message["status"]
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            received["bytes"] += len(chunk)
            received["lines"] += chunk.count(b"\r\n")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": urlencode(query).encode(),
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    asyncio.run(app(scope, receive, send))
    return received["status"], received["bytes"], received["lines"]


def peak_while_serving(app, path: str, query: dict) -> tuple[int, int, int]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        status, size, lines = serve(app, path, query)
        return status, size, lines, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.audit_unchecked  # requests go straight to the ASGI app, not through TestClient
def test_programs_csv_memory_does_not_grow_with_the_row_count(seeded, app):
    bulk_programs(seeded, BULK, SMALL)
    serve(app, "/api/v1/programs.csv", {"year": 2010})  # warm up imports and caches
    status, small_bytes, small_lines, small_peak = peak_while_serving(
        app, "/api/v1/programs.csv", {"year": 2010}
    )
    assert status == 200
    assert small_lines == SMALL + 1
    status, big_bytes, big_lines, big_peak = peak_while_serving(app, "/api/v1/programs.csv", {})
    assert status == 200
    assert big_lines == BULK + SEEDED + 1
    print(
        f"\nprograms.csv: {SMALL} rows {small_bytes} B peak {small_peak} B; "
        f"{BULK + SEEDED} rows {big_bytes} B peak {big_peak} B"
    )
    assert big_bytes > 9 * small_bytes
    # Ten times the rows, about the same peak: well under the body it streamed.
    assert big_peak < small_peak * 1.5 + 1024 * 1024
    assert big_peak < big_bytes / 4


@pytest.mark.audit_unchecked
def test_programs_xlsx_memory_does_not_grow_with_the_row_count(seeded, app, monkeypatch):
    # openpyxl writes ~2,500 rows/s, far slower under tracemalloc: 1,000 vs 10,000 rows here,
    # read in batches of 250 so that both exports are many batches long (the peak holds about
    # two batches; with the default 2,000 a 1,000-row export would be a single one).
    monkeypatch.setattr("app.programs.export.BATCH_ROWS", 250)
    bulk_programs(seeded, SMALL, SMALL // 10)
    serve(app, "/api/v1/programs.xlsx", {"year": 2010})
    status, small_bytes, _, small_peak = peak_while_serving(
        app, "/api/v1/programs.xlsx", {"year": 2010}
    )
    status, big_bytes, _, big_peak = peak_while_serving(app, "/api/v1/programs.xlsx", {})
    assert status == 200
    print(
        f"\nprograms.xlsx: {SMALL // 10} rows {small_bytes} B peak {small_peak} B; "
        f"{SMALL + SEEDED} rows {big_bytes} B peak {big_peak} B"
    )
    assert big_bytes > 5 * small_bytes
    assert big_peak < small_peak * 1.5
