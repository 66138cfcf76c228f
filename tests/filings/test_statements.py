"""Validating N entries issues a number of SQL statements that does not grow with N."""

import time
from itertools import cycle, islice

from sqlalchemy import event
from sqlmodel import Session

from app.access.principal import SYSTEM
from app.filings import service
from app.filings.schemas import ValidateRequest
from tests.filings.helpers import as_entry, list_2024

ODD_ONES = [
    {
        "major_code": "",
        "major_name": "低空无人机应用",
        "category": "交通类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
    },
    {
        "major_code": "0199",
        "major_name": "机电一体化技术",
        "category": "机械类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
    },
    {
        "major_code": "702",
        "major_name": "现代农艺技术",
        "category": "农业类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": "五年",
    },
]


def _entries(n: int) -> list[dict]:
    pattern = ODD_ONES + [as_entry(row) for row in list_2024()]
    return list(islice(cycle(pattern), n))


def _count(engine, n: int) -> tuple[int, float, dict]:
    statements: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    data = ValidateRequest(college="4401J002", year=2025, entries=_entries(n))
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        with Session(engine) as session:
            started = time.perf_counter()
            result = service.validate(session, data, actor=SYSTEM)
            elapsed = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    return len(statements), elapsed, result.model_dump()


def test_validating_1000_entries_issues_as_many_statements_as_10(seeded):
    small, _, small_result = _count(seeded, 10)
    large, elapsed, large_result = _count(seeded, 1000)
    assert len(small_result["entries"]) == 10
    assert len(large_result["entries"]) == 1000
    # the checks really ran: errors in both, more of them for more entries
    assert 0 < small_result["errors"] < large_result["errors"]
    assert small == large, (small, large)
    print(f"\n1,000 entries: {large} statements, {elapsed * 1000:.0f} ms")
