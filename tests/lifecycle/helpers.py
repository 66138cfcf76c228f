"""Helpers of the program lifecycle tests (issue 24)."""

from sqlmodel import select

from app.catalog.models import Major
from app.colleges.models import College
from app.db import session_scope
from app.programs.models import Program

GZ = "GZ-HRSS"
COLLEGE = "4401J001"  # 广州市技师学院
SUSPEND_0702 = {
    "major_code": "0702",
    "intake": "初中起点",
    "level": "高级",
    "kind": "停招",
    "effective_year": 2025,
    "reason": "生源不足，自 2025 年起停止招生",
}


def program_id(engine, college: str, code: str, intake: str = "初中起点", level: str = "高级"):
    with session_scope(engine) as session:
        return session.exec(
            select(Program.id)
            .join(College, College.id == Program.college_id)
            .join(Major, Major.id == Program.major_id)
            .where(
                College.code == college,
                Major.code == code,
                Program.intake == intake,
                Program.level == level,
            )
        ).one()


def status_of(engine, pid: int) -> str:
    with session_scope(engine) as session:
        return session.get(Program, pid).status


def validate(client, headers, entries, college: str = COLLEGE, year: int = 2025):
    response = client.post(
        "/api/v1/filings/validate",
        headers=headers,
        json={"college": college, "year": year, "entries": entries},
    )
    assert response.status_code == 200, response.text
    return response.json()


def codes(result, index: int = 0) -> list[str]:
    return [f["code"] for f in result["entries"][index]["findings"]]


def approve_all(client, reviewer, filing: dict) -> dict:
    decisions = [{"index": e["index"], "decision": "approved"} for e in filing["entries"]]
    response = client.post(
        f"/api/v1/filings/{filing['id']}/decisions", headers=reviewer, json={"decisions": decisions}
    )
    assert response.status_code == 200, response.text
    return response.json()


def draft_and_publish(client, admin, round_id: int, year: int = 2025) -> dict:
    draft = client.post(
        "/api/v1/publications",
        headers=admin,
        json={
            "year": year,
            "title": f"{year}年广州市技工院校新增专业名单",
            "round_id": round_id,
            "published_on": f"{year}-04-20",  # required before publishing
        },
    )
    assert draft.status_code == 201, draft.text
    published = client.post(f"/api/v1/publications/{draft.json()['id']}/publish", headers=admin)
    assert published.status_code == 200, published.text
    return published.json()
