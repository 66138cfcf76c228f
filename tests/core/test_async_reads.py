"""``db.async_reads``: ``GET /api/v1/programs`` on PostgreSQL reads through asyncpg on the event
loop — the same statements and the same answers as ``read_rows``; a pool per event loop; a
connection the server dropped is replaced and the page still answers."""

import asyncio

import pytest
from sqlalchemy import text

from app.db import read_rows
from app.db.async_reads import AsyncReader
from app.programs import listing
from app.programs.schemas import ProgramPageQuery

pytestmark = pytest.mark.postgres_only

VERSION = "SELECT version FROM registry_version WHERE id = $1"


def _bump(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE registry_version SET version = version + 1 WHERE id = 1"))


def test_reads_see_the_last_commit_and_then_runs_on_the_same_connection(seeded):
    reader = AsyncReader(seeded.url, 2)

    async def reads() -> list:
        first = (await reader.rows(VERSION, (1,)))[0][0]
        _bump(seeded)
        second = (await reader.rows(VERSION, (1,)))[0][0]
        pids = await reader.rows(
            "SELECT pg_backend_pid()",
            (),
            then=lambda rows: ("SELECT $1::int = pg_backend_pid()", (rows[0][0],)),
        )
        none = await reader.rows(VERSION + " AND false", (1,), then=lambda rows: None)
        await reader.close()
        return [second - first, pids[0][0], none]

    assert asyncio.run(reads()) == [1, True, []]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"college": "4401J001"},
        {"category": "农业类"},
        {"major_code": "0702"},
        {"province": "广东省", "year": 2023},
        {"status": "active", "limit": 1},
    ],
)
def test_a_page_is_the_same_as_through_read_rows(seeded, filters):
    """Byte for byte: the one statement or the two, compiled for asyncpg ($n) and for psycopg."""
    query = ProgramPageQuery(**{"limit": 3, **filters})
    reader = AsyncReader(seeded.url, 1)

    async def pages() -> list[bytes]:
        out, after = [], None
        for _ in range(3):
            body = await listing.page_json_async(reader, query, after=after, limit=query.limit)
            out.append(body)
            rows = listing.rows(seeded, query, after=after, limit=query.limit)
            after = rows[-1][0] if rows else after
        await reader.close()
        return out

    bodies = asyncio.run(pages())
    after = None
    for body in bodies:
        assert body == listing.page_json(seeded, query, after=after, limit=query.limit)
        rows = listing.rows(seeded, query, after=after, limit=query.limit)
        after = rows[-1][0] if rows else after
    if not filters:  # the seed's programs: pages of 3, a cursor each
        assert all(body.count(b'{"id":') == 3 for body in bodies)
        assert all(b'"next":"' in body for body in bodies)


def test_a_connection_the_server_dropped_is_replaced(seeded):
    reader = AsyncReader(seeded.url, 3)

    async def dropped() -> int:
        before = (await reader.rows("SELECT pg_backend_pid()", ()))[0][0]
        # every connection of the pool goes, as in a server restart
        read_rows(seeded, "SELECT pg_terminate_backend(%s)", (before,))
        after = (await reader.rows("SELECT pg_backend_pid()", ()))[0][0]
        await reader.close()
        return after != before

    assert asyncio.run(dropped())


def test_each_event_loop_has_its_own_pool(seeded):
    reader = AsyncReader(seeded.url, 1)

    async def one() -> int:
        return (await reader.rows("SELECT 1", ()))[0][0]

    assert asyncio.run(one()) == 1
    assert asyncio.run(one()) == 1  # a new loop: the first loop's pool is not used in it


def test_both_read_paths_plan_with_the_read_page_cost(seeded):
    """The page's rows look their colleges and majors up by key (docs/benchmarks.md): the read
    connections of either driver carry ``db_read_random_page_cost``; 0 keeps the server's."""
    from app.config import Settings
    from app.db import make_read_engine
    from app.db.reads import read_planner_settings

    settings = Settings(database_url=str(seeded.url))
    read_engine = make_read_engine(seeded, settings)
    reader = AsyncReader(seeded.url, 1, read_planner_settings(settings))

    async def shown() -> tuple[str, str]:
        value = (await reader.rows("SHOW random_page_cost", ()))[0][0]
        schema = (await reader.rows("SELECT current_schema()", ()))[0][0]
        await reader.close()
        return value, schema

    try:
        assert read_rows(read_engine, "SHOW random_page_cost", ())[0][0] == "1.1"
        # the URL's own options (the tests' search_path) are kept
        own_schema = read_rows(seeded, "SELECT current_schema()", ())[0][0]
        assert read_rows(read_engine, "SELECT current_schema()", ())[0][0] == own_schema
    finally:
        read_engine.dispose()
    assert asyncio.run(shown()) == ("1.1", own_schema)
    assert read_planner_settings(Settings(db_read_random_page_cost=0)) == {}
