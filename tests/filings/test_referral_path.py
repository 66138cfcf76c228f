"""Issue 23, items 8 and 10: a referral is seen, with its context, by every admin and reviewer on
its path from the city to the province; the city follows it to the province's outcome; a
filing's state says where it waits (the college, the bureau, the province, decided)."""

import pytest

from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing

PROPOSAL = {
    "major_name": "低空经济无人机技术",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
    "remark": "目录外专业，拟报省厅",
}
CITY_REASON = "目录外专业，建议纳入省特色专业目录"


@pytest.fixture
def college(tokens):
    return tokens("college", college=GZ_COLLEGE)


@pytest.fixture
def city_reviewer(tokens):
    return tokens("reviewer", authority="GZ-HRSS")


@pytest.fixture
def city_admin(tokens):
    return tokens("admin", authority="GZ-HRSS")


@pytest.fixture
def province_admin(tokens):
    return tokens("admin", authority="GD-HRSS")


def _refer(client, reviewer, filing_id: int) -> None:
    response = client.post(
        f"/api/v1/filings/{filing_id}/decisions",
        headers=reviewer,
        json={
            "decisions": [
                {"index": 0, "decision": "approved"},
                {"index": 1, "decision": "referred", "reason": CITY_REASON},
            ]
        },
    )
    assert response.status_code == 200, response.text


def _waiting(client, headers, filing_id: int) -> str:
    response = client.get(f"/api/v1/filings/{filing_id}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["waiting"]


def test_city_admin_follows_its_referral_to_the_provinces_outcome(
    seeded_client, tokens, college, city_reviewer, city_admin, province_admin, open_round
):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, PROPOSAL])
    _refer(seeded_client, city_reviewer, filing["id"])

    listed = seeded_client.get("/api/v1/referrals", headers=city_admin)
    assert listed.status_code == 200, listed.text
    [item] = [r for r in listed.json()["items"] if r["filing"] == filing["id"]]
    assert item["college"] == GZ_COLLEGE
    assert item["college_name"] == "广州市技师学院"
    assert (item["entry_index"], item["entry_row"]) == (1, 2)
    assert (item["intake"], item["level"], item["length_years"]) == ("初中起点", "高级", 5)
    assert item["remark"] == PROPOSAL["remark"]
    assert item["referred_reason"] == CITY_REASON
    assert item["referred_from"] == "GZ-HRSS"
    assert item["authority"] == "GD-HRSS"
    assert item["status"] == "pending"
    assert item["can_decide"] is False

    url = f"/api/v1/referrals/{item['id']}"
    for city in (city_admin, city_reviewer):
        one = seeded_client.get(url, headers=city)  # was 403 "这是其他省份…"
        assert one.status_code == 200, one.text
        assert one.json()["can_decide"] is False
        assert one.json()["next_code"] is None
    refused = seeded_client.post(
        f"{url}/decision", headers=city_admin, json={"decision": "rejected", "reason": "x"}
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "not_your_authority"

    province = seeded_client.get(url, headers=province_admin).json()
    assert province["can_decide"] is True
    assert province["next_code"]
    assert province["college_name"] == "广州市技师学院"
    assert province["referred_reason"] == CITY_REASON
    decided = seeded_client.post(
        f"{url}/decision",
        headers=province_admin,
        json={"decision": "approved", "code": province["next_code"]},
    )
    assert decided.status_code == 200, decided.text

    outcome = seeded_client.get(url, headers=city_admin).json()
    assert outcome["status"] == "approved"
    assert outcome["major_code"] == province["next_code"]
    assert outcome["decided_at"] is not None
    assert outcome["decided_by"]
    assert outcome["referred_reason"] == CITY_REASON  # the city's reason survives the decision
    approved = seeded_client.get(
        "/api/v1/referrals", headers=city_admin, params={"status": "approved"}
    ).json()["items"]
    assert [r["id"] for r in approved] == [item["id"]]


def test_a_referral_is_hidden_from_those_off_its_path(
    seeded_client, tokens, college, city_reviewer, open_round
):
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, PROPOSAL])
    _refer(seeded_client, city_reviewer, filing["id"])
    mine = seeded_client.get("/api/v1/referrals", headers=city_reviewer).json()["items"]
    [referral] = [r for r in mine if r["filing"] == filing["id"]]
    url = f"/api/v1/referrals/{referral['id']}"

    for other in (tokens("admin", authority="GZ-EDU"), tokens("reviewer", authority="GD-EDU")):
        assert seeded_client.get(url, headers=other).status_code == 403
        listed = seeded_client.get("/api/v1/referrals", headers=other).json()["items"]
        assert all(r["id"] != referral["id"] for r in listed)
    assert seeded_client.get(url, headers=college).status_code == 403
    assert seeded_client.get("/api/v1/referrals", headers=college).status_code == 403
    # the province's reviewers are on the path too (they see; only its admins decide)
    province_reviewer = tokens("reviewer", authority="GD-HRSS")
    seen = seeded_client.get(url, headers=province_reviewer)
    assert seen.status_code == 200
    assert seen.json()["can_decide"] is False


def test_a_filing_says_where_it_waits(
    seeded_client, tokens, college, city_reviewer, province_admin, open_round
):
    draft = seeded_client.post(
        "/api/v1/filings",
        headers=college,
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE, PROPOSAL]},
    ).json()
    assert draft["waiting"] == "college"
    submitted = seeded_client.post(f"/api/v1/filings/{draft['id']}/submit", headers=college)
    assert submitted.status_code == 200, submitted.text
    filing = submitted.json()
    assert filing["waiting"] == "bureau"
    assert _waiting(seeded_client, college, filing["id"]) == "bureau"
    _refer(seeded_client, city_reviewer, filing["id"])
    body = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
    assert body["status"] == "submitted"
    assert body["counts"]["undecided"] == 0
    assert body["waiting"] == "province"
    assert body["counts"]["referred"] == 1
    listed = seeded_client.get(
        "/api/v1/filings", headers=city_reviewer, params={"status": "submitted"}
    ).json()["items"]
    assert {f["id"]: f["waiting"] for f in listed}[filing["id"]] == "province"

    [referral] = [
        r
        for r in seeded_client.get("/api/v1/referrals", headers=province_admin).json()["items"]
        if r["filing"] == filing["id"]
    ]
    seeded_client.post(
        f"/api/v1/referrals/{referral['id']}/decision",
        headers=province_admin,
        json={"decision": "rejected", "reason": "与已有专业重复"},
    )
    assert _waiting(seeded_client, college, filing["id"]) == "decided"


def test_the_provinces_code_replaces_the_stale_out_of_catalog_finding_where_it_is_stored(
    seeded_client, college, city_reviewer, province_admin, open_round
):
    """Issue 25 item 3: after the province gave 8213 the clerk's row still said "未填专业代码…";
    the page rewrote it only for itself. The approval now stores the new finding on the entry,
    so the API, the clerk's page and the reviewer's all read the same."""
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, PROPOSAL])
    before = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
    assert [f["code"] for f in before["entries"][1]["findings"]] == ["major.out_of_catalog"]
    _refer(seeded_client, city_reviewer, filing["id"])
    [item] = [
        r
        for r in seeded_client.get("/api/v1/referrals", headers=province_admin).json()["items"]
        if r["filing"] == filing["id"]
    ]
    url = f"/api/v1/referrals/{item['id']}"
    code = seeded_client.get(url, headers=province_admin).json()["next_code"]
    decided = seeded_client.post(
        f"{url}/decision", headers=province_admin, json={"decision": "approved", "code": code}
    )
    assert decided.status_code == 200, decided.text

    entry = seeded_client.get(f"/api/v1/filings/{filing['id']}", headers=college).json()
    [finding] = entry["entries"][1]["findings"]
    assert (finding["code"], finding["severity"], finding["field"]) == (
        "referral.approved",
        "info",
        "major_code",
    )
    assert finding["message"] == f"省级评审已批准此目录外专业，赋予代码 {code}"
    assert entry["entries"][1]["major_code"] == code
    for who in (college, city_reviewer):
        page = seeded_client.get(f"/filings/{filing['id']}", headers=who).text
        assert f"赋予代码 {code}" in page
        assert "未填专业代码" not in page
