"""The 教育局's yearly cycle end to end, like the 人社局's: round, a 中职 filing with MOE codes
(the supplement code 660704 and a kept 专业方向 included), review, and the list in the 中职
layout — compared with its expected bytes, typed by hand."""

from tests.publications.helpers import sha256

SCHOOL = (
    "4401Z002"  # 广州市轻工职业学校: runs 710212 since 2024; keeps 民间传统工艺（岭南文化艺术）
)
ENTRIES = [
    {"major_code": "660704", "major_name": "智能网联汽车技术", "length_years": 3},  # 增补
    {"major_code": "710212", "major_name": "人工智能技术与应用", "length_years": 3},  # runs it
    {"major_code": "750305", "major_name": "民间传统工艺（岭南文化艺术）", "length_years": "三年"},
    {"major_code": "740105", "major_name": "茶艺与茶营销", "length_years": 3},
    {"major_code": "750101", "major_name": "艺术设计与制作（动漫设计方向）", "length_years": 3},
]
EXPECTED_CSV = (
    "\ufeff序号,学校名称,专业名称,专业代码\r\n"
    "1,广州市轻工职业学校,智能网联汽车技术,660704\r\n"
    "2,广州市轻工职业学校,民间传统工艺,750305\r\n"
).encode()


def _findings(filing: dict) -> list[list[str]]:
    return [[f["code"] for f in e["findings"]] for e in filing["entries"]]


def test_education_bureau_round_filing_review_and_secondary_list(seeded_client, tokens):
    client = seeded_client
    bureau = tokens("admin", authority="GZ-EDU")
    reviewer = tokens("reviewer", authority="GZ-EDU")
    school = tokens("college", college=SCHOOL)
    opened = client.post(
        "/api/v1/rounds",
        headers=bureau,
        json={
            "year": 2025,
            "title": "2025年广州市中等职业学校新设专业",
            "opens_at": "2025-01-01T00:00:00Z",
            "closes_at": "2099-03-31T23:59:59Z",
        },
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["editions"] == ["moe-2021", "moe-2021-supplement"]

    draft = client.post(
        "/api/v1/filings",
        headers=school,
        json={"college": SCHOOL, "year": 2025, "entries": ENTRIES},
    )
    assert draft.status_code == 201, draft.text
    assert _findings(draft.json()) == [
        [],
        ["program.exists"],
        [],
        [],
        ["major.direction_unregistered"],
    ]
    fixed = [ENTRIES[0], ENTRIES[2], ENTRIES[3]]
    filing = client.put(
        f"/api/v1/filings/{draft.json()['id']}",
        headers=school,
        json={"version": draft.json()["version"], "entries": fixed},
    ).json()
    assert filing["errors"] == 0
    assert [e["kind"] for e in filing["entries"]] == ["新增专业"] * 3
    submitted = client.post(
        f"/api/v1/filings/{filing['id']}/submit",
        headers=school,
        json={"version": filing["version"]},
    )
    assert submitted.status_code == 200, submitted.text

    url = f"/api/v1/filings/{filing['id']}/entries"
    for index, decision in ((0, {"decision": "approved"}), (1, {"decision": "approved"})):
        assert (
            client.post(f"{url}/{index}/decision", headers=reviewer, json=decision).status_code
            == 200
        )
    rejected = client.post(
        f"{url}/2/decision",
        headers=reviewer,
        json={"decision": "rejected", "reason": "实训室未建成"},
    )
    assert rejected.status_code == 200
    assert (
        client.get(f"/api/v1/filings/{filing['id']}", headers=school).json()["status"] == "decided"
    )
    programs = client.get("/api/v1/programs", params={"college": SCHOOL, "year": 2025}).json()
    assert sorted(
        (p["major_code"], p["level"], p["intake"], p["length_years"]) for p in programs["items"]
    ) == [
        ("660704", None, "初中起点", 3),
        ("750305", None, "初中起点", 3),
    ]

    recorded = client.post(  # a direction the bureau keeps for the school this year: 附件3
        "/api/v1/directions",
        headers=bureau,
        json={
            "college": SCHOOL,
            "name": "民间传统工艺（广彩）",
            "reason": "岭南区域特色，准予保留专业方向",
            "year": 2025,
        },
    )
    assert recorded.status_code == 201, recorded.text
    created = client.post(
        "/api/v1/publications",
        headers=bureau,
        json={
            "year": 2025,
            "title": "2025年广州市中等职业学校新设专业名单",
            "round_id": opened.json()["id"],
            "published_on": "2025-04-02",
        },
    )
    assert created.status_code == 201, created.text
    listed = created.json()
    assert listed["system"] == "secondary"
    assert listed["series"] == "GZ-EDU-2025"
    unannounced = client.post(f"/api/v1/publications/{listed['id']}/publish", headers=bureau)
    assert unannounced.status_code == 409  # 广州市教育局 announces first (公示)
    assert unannounced.json()["error"] == "announcement_required"
    period = {"from": "2025-03-20", "until": "2025-03-26", "contact": "020-83190000"}
    announced = client.post(
        f"/api/v1/publications/{listed['id']}/announce", headers=bureau, json=period
    )
    assert announced.status_code == 200
    assert announced.json()["status"] == "announced"
    published = client.post(f"/api/v1/publications/{listed['id']}/publish", headers=bureau)
    assert published.status_code == 200
    assert published.json()["linked_programs"] == 2
    csv = client.get(f"/api/v1/publications/{listed['id']}.csv")
    assert csv.content == EXPECTED_CSV
    assert published.json()["checksum"] == sha256(EXPECTED_CSV) == csv.headers["x-checksum-sha256"]
    annex = client.get(f"/api/v1/publications/{listed['id']}/directions.csv").content
    assert annex.decode("utf-8-sig").split("\r\n")[1:] == [
        "1,广州市轻工职业学校,民间传统工艺（广彩）,民间传统工艺（广彩）,岭南区域特色，准予保留专业方向",
        "",
    ]
    again = client.post(f"/api/v1/publications/{listed['id']}/publish", headers=bureau)
    assert again.status_code == 409
    assert again.json()["error"] == "published"
