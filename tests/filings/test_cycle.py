"""The full cycle through the API: round, draft, submit, decisions, referral, programs."""

from sqlmodel import Session, col, select

from app.audit import AuditLog
from app.catalog.models import CatalogEdition, Major
from app.filings.service import approved_entries
from app.programs.lifecycle import ProgramEvent
from tests.filings.helpers import publish_round_list

COLLEGE = "4401J002"  # 广州市工贸技师学院
ENTRIES = [
    {
        "major_code": "0139",
        "major_name": "智能装备运行与维护",
        "category": "机械类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": "5",
    },
    {
        "major_code": "0127",
        "major_name": "机电一体化技术",
        "category": "机械类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
        "remark": "新增层次",
    },
    {
        "major_code": "",
        "major_name": "低空经济无人机技术",
        "category": "交通类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": "五年",
    },
    {
        "major_code": "0301",
        "major_name": "计算机网络应用",
        "category": "信息类",
        "intake": "高中起点",
        "level": "预备技师",
        "length_years": 4,
    },
]


def _programs(client, college):
    items = client.get(f"/api/v1/programs?college={college}&limit=500").json()["items"]
    return {(p["major_code"], p["intake"], p["level"]): p for p in items}


def test_round_filing_review_referral_and_programs_full_cycle(seeded_client, seeded, tokens):
    client = seeded_client
    bureau = tokens("admin", authority="GZ-HRSS")
    college = tokens("college", college=COLLEGE)
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    province = tokens("admin", authority="GD-HRSS")
    before = _programs(client, COLLEGE)

    opened = client.post(
        "/api/v1/rounds",
        headers=bureau,
        json={
            "year": 2025,
            "title": "2025年广州市技工院校新增专业",
            "opens_at": "2025-01-01T00:00:00Z",
            "closes_at": "2099-03-31T23:59:59Z",
        },
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["editions"] == ["gd-specialty", "technician-2022"]
    assert opened.json()["open"] is True
    rounds = client.get("/api/v1/rounds?year=2025").json()["items"]
    assert [r["id"] for r in rounds] == [opened.json()["id"]]

    draft = client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": COLLEGE, "year": 2025, "entries": ENTRIES},
    )
    assert draft.status_code == 201, draft.text
    filing = draft.json()
    kinds = [e["kind"] for e in filing["entries"]]
    assert kinds == ["新增专业", "新增层次", "新增专业", "新增层次"]
    assert filing["errors"] == 0
    assert filing["round"] == opened.json()["id"]
    assert client.get(f"/api/v1/filings/{filing['id']}").status_code == 401  # never public

    submitted = client.post(
        f"/api/v1/filings/{filing['id']}/submit",
        headers=college,
        json={"version": filing["version"]},
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    url = f"/api/v1/filings/{filing['id']}/entries"
    assert (
        client.post(
            f"{url}/0/decision", headers=reviewer, json={"decision": "approved"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{url}/1/decision", headers=reviewer, json={"decision": "approved"}
        ).status_code
        == 200
    )
    rejected = client.post(
        f"{url}/3/decision",
        headers=reviewer,
        json={"decision": "rejected", "reason": "师资不足，实训设备未达标"},
    )
    assert rejected.status_code == 200
    referred = client.post(f"{url}/2/decision", headers=reviewer, json={"decision": "referred"})
    assert referred.status_code == 200
    assert referred.json()["status"] == "submitted"
    assert _programs(client, COLLEGE) == before  # nothing yet: one entry awaits the province

    pending = client.get("/api/v1/referrals?status=pending", headers=province).json()["items"]
    assert [(r["proposed_name"], r["authority"]) for r in pending] == [
        ("低空经济无人机技术", "GD-HRSS")
    ]
    decided = client.post(
        f"/api/v1/referrals/{pending[0]['id']}/decision",
        headers=province,
        json={"decision": "approved", "reason": "符合特色专业条件"},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["major_code"] == "8213"  # 8212 was the highest of 2024

    seen = client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
    assert seen["status"] == "decided"
    assert [e["decision"] for e in seen["entries"]] == [
        "approved",
        "approved",
        "approved",
        "rejected",
    ]
    assert seen["entries"][3]["decision_reason"] == "师资不足，实训设备未达标"
    assert seen["entries"][2]["major_code"] == "8213"
    assert [h["action"] for h in seen["history"]] == [
        "created",
        "submitted",
        "entry.approved",
        "entry.approved",
        "entry.rejected",
        "entry.referred",
        "referral.approved",
        "decided",
    ]

    after = _programs(client, COLLEGE)
    added = {k: v for k, v in after.items() if k not in before}
    assert set(added) == {
        ("0139", "初中起点", "高级"),
        ("0127", "初中起点", "高级"),
        ("8213", "初中起点", "高级"),
    }
    # Approved, they wait for the list (批准待公布); the published list makes them active.
    assert {p["status"] for p in added.values()} == {"approved"}
    publish_round_list(client, tokens, opened.json()["id"])
    added = {k: v for k, v in _programs(client, COLLEGE).items() if k not in before}
    assert {p["status"] for p in added.values()} == {"active"}
    assert {p["since_year"] for p in added.values()} == {2025}
    assert added[("8213", "初中起点", "高级")]["edition"] == "gd-specialty"

    with Session(seeded) as session:
        major = session.exec(
            select(Major)
            .join(CatalogEdition)
            .where(CatalogEdition.key == "gd-specialty", Major.code == "8213")
        ).one()
        assert (major.name, major.added_year, major.proposed_by) == (
            "低空经济无人机技术",
            2025,
            "广州市工贸技师学院",
        )
        approved = approved_entries(session, round_id=opened.json()["id"])
        assert [(a.major_code, a.kind, a.year) for a in approved] == [
            ("0139", "新增专业", 2025),
            ("0127", "新增层次", 2025),
            ("8213", "新增专业", 2025),
        ]
        assert all(a.program_id for a in approved)
        events = session.exec(
            select(ProgramEvent.action).where(
                col(ProgramEvent.program_id).in_([a.program_id for a in approved])
            )
        ).all()
        assert sorted(events) == ["activated"] * 3 + ["approved"] * 3
        actions = session.exec(
            select(AuditLog.action).where(
                col(AuditLog.action).in_(
                    ["filing.create", "filing.submit", "referral.approved", "round.create"]
                )
            )
        ).all()
        assert sorted(actions) == [
            "filing.create",
            "filing.submit",
            "referral.approved",
            "round.create",
        ]
