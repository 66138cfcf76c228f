"""Issue 24, finding 5: 布点 — colleges and programs per major, category, province, city and
college type over the current programs, on the API and as CSV/XLSX."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import Session

from app.programs import coverage
from tests.changes.helpers import csv_rows

API = "/api/v1/statistics/programs"


def _programs(client, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/programs", params={"limit": 500, **params, "cursor": cursor}
        ).json()
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items


def _expected(programs: list[dict], key) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[set, int]] = {}
    for p in programs:
        colleges, count = out.get(key(p), (set(), 0))
        out[key(p)] = (colleges | {p["college_code"]}, count + 1)
    return {k: (len(c), n) for k, (c, n) in out.items()}


def test_coverage_by_major_counts_colleges_and_programs(seeded_client):
    items = seeded_client.get(API, params={"by": "major"}).json()["items"]
    active = _programs(seeded_client, status="active")
    assert {i["key"]: (i["colleges"], i["programs"]) for i in items} == _expected(
        active, lambda p: p["major_code"]
    )
    names = {p["major_code"]: p["major_name"] for p in active}
    assert all(i["name"] == names[i["key"]] for i in items)
    assert [i["programs"] for i in items] == sorted((i["programs"] for i in items), reverse=True)


def test_coverage_by_category_and_college_type_with_filters(seeded_client):
    technician = seeded_client.get(API, params={"by": "category", "system": "technician"})
    secondary = seeded_client.get(API, params={"by": "category", "system": "secondary"})
    everyone = seeded_client.get(API, params={"by": "category"})
    total = sum(i["programs"] for i in everyone.json()["items"])
    assert total == len(_programs(seeded_client, status="active")) == 98
    assert sum(i["programs"] for i in technician.json()["items"]) == 82
    assert sum(i["programs"] for i in secondary.json()["items"]) == 16
    types = seeded_client.get(API, params={"by": "college_type"}).json()["items"]
    assert {i["key"] for i in types} <= {"技师学院", "高级技工学校", "技工学校", "中等职业学校"}
    city = seeded_client.get(API, params={"by": "city", "province": "广东省"}).json()["items"]
    assert [(i["key"], i["programs"]) for i in city] == [("广州市", 98)]
    none = seeded_client.get(API, params={"by": "province", "status": "停招"}).json()
    assert none == {"items": []}  # nothing suspended in the seed
    assert seeded_client.get(API, params={"by": "school"}).status_code == 422


def test_coverage_follows_a_suspension(seeded_client, admin_headers):
    program = _programs(seeded_client, college="4401J001")[0]
    before = {
        i["key"]: i["programs"]
        for i in seeded_client.get(API, params={"by": "major"}).json()["items"]
    }
    patched = seeded_client.patch(
        f"/api/v1/programs/{program['id']}",
        headers=admin_headers,
        json={"status": "suspended", "reason": "停招"},
    )
    assert patched.status_code == 200
    after = {
        i["key"]: i["programs"]
        for i in seeded_client.get(API, params={"by": "major"}).json()["items"]
    }
    assert after.get(program["major_code"], 0) == before[program["major_code"]] - 1
    suspended = seeded_client.get(API, params={"by": "major", "status": "suspended"}).json()
    assert suspended["items"] == [
        {"key": program["major_code"], "name": program["major_name"], "colleges": 1, "programs": 1}
    ]


def test_coverage_downloads_as_csv_and_xlsx(seeded_client):
    items = seeded_client.get(API, params={"by": "major"}).json()["items"]
    csv = seeded_client.get(f"{API}.csv", params={"by": "major"})
    assert csv.content.startswith("\ufeff专业代码,名称,学校数,布点数\r\n".encode())
    assert csv_rows(csv.content)[1:] == [
        [i["key"], i["name"], str(i["colleges"]), str(i["programs"])] for i in items
    ]
    xlsx = seeded_client.get(f"{API}.xlsx", params={"by": "major"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("专业代码", "名称", "学校数", "布点数")
    assert rows[1][0] == items[0]["key"]
    assert isinstance(rows[1][0], str)


@pytest.mark.postgres_only
def test_coverage_by_major_leaves_nested_loops_as_they_were(seeded):
    """By major, PostgreSQL plans the statement without nested loops (docs/benchmarks.md); the
    rest of the transaction plans as before."""
    with Session(seeded) as session:
        items = coverage.coverage(session, by="major")
        assert items
        assert sum(i["programs"] for i in items) == 98
        assert session.execute(text("SHOW enable_nestloop")).scalar() == "on"
        session.execute(text("SET LOCAL enable_nestloop = off"))
        coverage.coverage(session, by="major")
        assert session.execute(text("SHOW enable_nestloop")).scalar() == "off"
