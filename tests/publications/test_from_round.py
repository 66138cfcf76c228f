"""A draft from a filing round's approved entries (filings' ``approved_entries``)."""

import pytest

from tests.publications.helpers import API, GZ

ENTRIES = {
    "4401J001": [  # 广州市技师学院
        {
            "major_code": "0127",
            "major_name": "机电一体化技术",
            "category": "机械类",
            "intake": "初中起点",
            "level": "高级",
            "length_years": 5,
        },
        {
            "major_code": "0127",
            "major_name": "机电一体化技术",
            "category": "机械类",
            "intake": "高中起点",
            "level": "预备技师",
            "length_years": 4,
        },
        {
            "major_code": "0301",
            "major_name": "计算机网络应用",
            "category": "信息类",
            "intake": "初中起点",
            "level": "高级",
            "length_years": 5,
        },
    ],
    "4401J002": [  # 广州市工贸技师学院 already runs 0127 预备技师 初中起点: adds a level
        {
            "major_code": "0127",
            "major_name": "机电一体化技术",
            "category": "机械类",
            "intake": "高中起点",
            "level": "高级",
            "length_years": 3,
            "kind": "新增层次",
        },
    ],
}


@pytest.fixture
def decided_round(seeded_client, tokens):
    """A 2025 round of GZ-HRSS: two colleges filed; all approved except 4401J001's 0301."""
    admin = tokens("admin", authority=GZ)
    response = seeded_client.post(
        "/api/v1/rounds",
        headers=admin,
        json={
            "year": 2025,
            "title": "2025",
            "opens_at": "2020-01-01T00:00:00Z",
            "closes_at": "2099-12-31T00:00:00Z",
        },
    )
    assert response.status_code == 201, response.text
    reviewer = tokens("reviewer", authority=GZ)
    for college, entries in ENTRIES.items():
        filer = tokens("college", college=college)
        filing = seeded_client.post(
            "/api/v1/filings",
            headers=filer,
            json={"college": college, "year": 2025, "entries": entries},
        )
        assert filing.status_code == 201, filing.text
        fid = filing.json()["id"]
        submitted = seeded_client.post(f"/api/v1/filings/{fid}/submit", headers=filer, json={})
        assert submitted.status_code == 200, submitted.text
        for index, entry in enumerate(entries):
            rejected = entry["major_code"] == "0301"
            decision = (
                {"decision": "rejected", "reason": "不符合条件"}
                if rejected
                else {"decision": "approved"}
            )
            decided = seeded_client.post(
                f"/api/v1/filings/{fid}/entries/{index}/decision", headers=reviewer, json=decision
            )
            assert decided.status_code == 200, decided.text
    return response.json()


def test_draft_from_a_round_numbers_its_approved_entries(seeded_client, tokens, decided_round):
    admin = tokens("admin", authority=GZ)
    response = seeded_client.post(
        API,
        headers=admin,
        json={
            "year": 2025,
            "title": "2025年广州市技工院校新增专业名单",
            "round_id": decided_round["id"],
            "published_on": "2025-04-20",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["series"] == "GZ-HRSS-2025"
    assert body["status"] == "draft"
    assert body["round_id"] == decided_round["id"]
    got = [
        (
            e["seq"],
            e["college_code"],
            e["major_code"],
            [(x["intake"], x["level"], x["length"], x["remark"]) for x in e["lines"]],
        )
        for e in body["entries"]
    ]
    assert got == [
        (
            1,
            "4401J001",
            "0127",
            [("初中起点", "高级", "五年", ""), ("高中起点", "预备技师", "四年", "")],
        ),
        (2, "4401J002", "0127", [("高中起点", "高级", "三年", "新增层次")]),
    ]
    published = seeded_client.post(f"{API}/{body['id']}/publish", headers=admin).json()
    assert published["linked_programs"] == 3
    assert all(x["program_id"] for e in published["entries"] for x in e["lines"])


def test_draft_from_a_round_of_another_year_is_refused(seeded_client, tokens, decided_round):
    response = seeded_client.post(
        API,
        headers=tokens("admin", authority=GZ),
        json={
            "year": 2026,
            "title": "t",
            "round_id": decided_round["id"],
        },
    )
    assert response.status_code == 422
    assert response.json()["error"] == "round_mismatch"
    missing = seeded_client.post(
        API,
        headers=tokens("admin", authority=GZ),
        json={
            "year": 2025,
            "title": "t",
            "round_id": 99999,
        },
    )
    assert missing.status_code == 404
