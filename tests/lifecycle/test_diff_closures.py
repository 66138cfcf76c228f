"""Issue 24: a list's closures (停招、撤销) are part of what a diff between lists compares — in
the JSON, the CSV/XLSX and the page, for revisions of one year and for lists of two years."""

from tests.filings.helpers import submitted_filing
from tests.lifecycle.helpers import COLLEGE, GZ, SUSPEND_0702, approve_all, draft_and_publish

API = "/api/v1"
ROW = "1,广州市技师学院,现代农艺技术,,0702,初中起点,高级,,2025年起停招"


def _published_with_a_suspension(client, tokens, round_id: int) -> dict:
    filing = submitted_filing(client, tokens("college", college=COLLEGE), COLLEGE, [SUSPEND_0702])
    approve_all(client, tokens("reviewer", authority=GZ), filing)
    return draft_and_publish(client, tokens("admin", authority=GZ), round_id)


def test_a_diff_of_two_years_shows_the_later_lists_closures(seeded_client, tokens, open_round):
    _published_with_a_suspension(seeded_client, tokens, open_round["id"])
    query = {"from": "year:2024", "to": "year:2025", "system": "technician"}
    result = seeded_client.get(f"{API}/publications/diff", params=query).json()
    closures = result["closures"]
    assert closures["summary"] == {"only_from": 0, "only_to": 1, "both": 0}
    [only] = closures["only_to"]
    assert (only["major_code"], only["kind"], only["effective_year"]) == ("0702", "停招", 2025)
    csv = seeded_client.get(f"{API}/publications/diff.csv", params=query)
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").endswith(f"仅2025年（停招）,{ROW},\r\n")
    xlsx = seeded_client.get(f"{API}/publications/diff.xlsx", params=query)
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    page = seeded_client.get("/publications/diff", params=query)
    assert page.status_code == 200
    assert 'id="closures-only_to"' in page.text
    assert "停招、撤销：仅在新名单" in page.text


def test_a_diff_of_revisions_adds_and_removes_closures(seeded_client, tokens, open_round):
    published = _published_with_a_suspension(seeded_client, tokens, open_round["id"])
    admin = tokens("admin", authority=GZ)
    by_hand = seeded_client.post(
        f"{API}/publications",
        headers=admin,
        json={
            "year": 2025,
            "title": "2025年广州市技工院校新增专业名单（补充）",
            "series": "GZ-HRSS-2025-B",
            "lines": [],
        },
    )
    assert by_hand.status_code == 201, by_hand.text
    other = by_hand.json()["id"]
    same = seeded_client.get(
        f"{API}/publications/diff",
        params={"from": published["id"], "to": published["id"]},
        headers=admin,
    ).json()
    assert same["kind"] == "revisions"
    assert same["closures"]["summary"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 1}
    removed = seeded_client.get(
        f"{API}/publications/diff", params={"from": published["id"], "to": other}, headers=admin
    ).json()
    assert removed["closures"]["summary"]["removed"] == 1
    assert removed["closures"]["removed"][0]["kind"] == "停招"
    added = seeded_client.get(
        f"{API}/publications/diff.csv", params={"from": other, "to": published["id"]}, headers=admin
    )
    assert added.status_code == 200
    assert added.content.decode("utf-8-sig").endswith(f"新增（停招）,{ROW},\r\n")
