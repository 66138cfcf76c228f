"""Helpers of the filings tests: the 2024 list as entries, filings submitted over HTTP."""

import csv
from pathlib import Path

from sqlmodel import select

from app.colleges.models import College
from app.db import session_scope

LIST_2024 = Path(__file__).resolve().parents[2] / "seed/source/gz2024_technician_new_majors.csv"
GZ_COLLEGE = "4401J001"  # 广州市技师学院 (技师学院): runs 0702 0219 0529 8172 0314 0444 8206
# A valid entry for 广州市技师学院 in the seeded registry: it does not run 0127.
BASE = {
    "major_code": "0127",
    "major_name": "机电一体化技术",
    "category": "机械类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}


def delete_programs(engine) -> None:
    """Leave the seeded registry without programs (and whatever refers to them)."""
    from sqlalchemy import text

    from app.db import SQLModel

    referring = [
        t.name
        for t in SQLModel.metadata.sorted_tables
        if any(fk.column.table.name == "program" for fk in t.foreign_keys)
    ]
    with session_scope(engine) as session:
        for name in referring + ["program"]:
            session.exec(text(f'DELETE FROM "{name}"'))


def list_2024() -> list[dict[str, str]]:
    with open(LIST_2024, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_entry(row: dict[str, str]) -> dict[str, object]:
    """A line of the published 2024 list as a filing entry."""
    return {
        "major_code": row["major_code"],
        "major_name": row["major_name"],
        "category": row["category"],
        "intake": row["intake"],
        "level": row["level"],
        "length_years": row["length_years"],
        "remark": row["remark"],
    }


def college_codes(engine) -> dict[str, str]:
    with session_scope(engine) as session:
        return {c.name: c.code for c in session.exec(select(College)).all()}


def submitted_filing(client, headers, college: str, entries: list[dict], year: int = 2025):
    """Create a draft and submit it (a round must be open); returns the filing."""
    draft = client.post(
        "/api/v1/filings",
        headers=headers,
        json={"college": college, "year": year, "entries": entries},
    )
    assert draft.status_code == 201, draft.text
    response = client.post(f"/api/v1/filings/{draft.json()['id']}/submit", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def publish_round_list(client, tokens, round_id: int, authority: str = "GZ-HRSS") -> dict:
    """Draft the round's list (``round_id`` alone) and publish it: the approvals take effect."""
    admin = tokens("admin", authority=authority)
    body = {"round_id": round_id, "published_on": "2025-04-20"}
    draft = client.post("/api/v1/publications", headers=admin, json=body)
    assert draft.status_code == 201, draft.text
    published = client.post(f"/api/v1/publications/{draft.json()['id']}/publish", headers=admin)
    assert published.status_code == 200, published.text
    return published.json()
