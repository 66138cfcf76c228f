"""Issue 24 for the 中职 notice: a school's approved 停招 / 撤销 entries are the list's 附件4
(停招、撤销专业名单) and take effect at its publication like its approvals; a 中职 list that
suspends nothing prints no 附件4 (the seeded 2024 notice keeps its three tables)."""

import io
import re

from openpyxl import load_workbook

from tests.lifecycle.helpers import approve_all, status_of

API = "/api/v1"
EDU = "GZ-EDU"
SCHOOL = "4401Z002"  # 广州市轻工职业学校: runs 710212 人工智能技术与应用 since 2024
SUSPEND = {
    "major_code": "710212",
    "major_name": "人工智能技术与应用",
    "kind": "停招",
    "effective_year": 2025,
    "reason": "专业调整，自 2025 年起停止招生",
}
HEADER = "序号,学校名称,专业名称,专业代码,类型,起始年份"


def _round(client, bureau) -> int:
    opened = client.post(
        f"{API}/rounds",
        headers=bureau,
        json={
            "year": 2025,
            "title": "2025年广州市中等职业学校新设专业",
            "opens_at": "2025-01-01T00:00:00Z",
            "closes_at": "2099-03-31T23:59:59Z",
        },
    )
    assert opened.status_code == 201, opened.text
    return opened.json()["id"]


def _program(client) -> dict:
    items = client.get(f"{API}/programs", params={"college": SCHOOL, "major_code": "710212"})
    [program] = items.json()["items"]
    return program


def test_a_secondary_list_prints_its_closures_as_annex_4_and_they_take_effect(
    seeded_client, seeded, tokens
):
    client = seeded_client
    bureau = tokens("admin", authority=EDU)
    round_id = _round(client, bureau)
    school = tokens("college", college=SCHOOL)
    draft = client.post(
        f"{API}/filings",
        headers=school,
        json={"college": SCHOOL, "year": 2025, "entries": [SUSPEND]},
    )
    assert draft.status_code == 201, draft.text
    assert draft.json()["errors"] == 0, draft.json()
    submitted = client.post(f"{API}/filings/{draft.json()['id']}/submit", headers=school)
    assert submitted.status_code == 200, submitted.text
    approve_all(client, tokens("reviewer", authority=EDU), submitted.json())
    program = _program(client)
    assert program["status"] == "active"  # approved, not yet in effect

    created = client.post(
        f"{API}/publications",
        headers=bureau,
        json={"round_id": round_id, "published_on": "2025-04-02"},
    )
    assert created.status_code == 201, created.text
    listed = created.json()
    assert [(a["key"], a["sheet"], a["rows"]) for a in listed["annexes"]] == [
        ("projects", "附件2", 0),
        ("directions", "附件3", 0),
        ("closures", "附件4", 1),
    ]
    period = {"from": "2025-03-20", "until": "2025-03-26", "contact": "020-83190000"}
    url = f"{API}/publications/{listed['id']}"
    announced = client.post(f"{url}/announce", headers=bureau, json=period)
    assert announced.status_code == 200, announced.text
    assert status_of(seeded, program["id"]) == "active"  # announced is not published
    published = client.post(f"{API}/publications/{listed['id']}/publish", headers=bureau)
    assert published.status_code == 200, published.text
    assert status_of(seeded, program["id"]) == "suspended"
    history = client.get(f"{API}/programs/{program['id']}/history").json()["items"]
    assert (history[-1]["event"], history[-1]["year"], history[-1]["publication_id"]) == (
        "suspended",
        2025,
        listed["id"],
    )

    csv = client.get(f"{API}/publications/{listed['id']}/closures.csv")
    assert (
        csv.content
        == (
            f"\ufeff{HEADER}\r\n1,广州市轻工职业学校,人工智能技术与应用,710212,停招,2025\r\n"
        ).encode()
    )
    book = load_workbook(io.BytesIO(client.get(f"{API}/publications/{listed['id']}.xlsx").content))
    assert book.sheetnames == ["附件一", "附件2", "附件3", "附件4"]
    assert book["附件4"]["D4"].value == "710212"
    assert book["附件4"]["D4"].data_type == "s"
    page = client.get(f"/publications/{listed['id']}")
    assert "停招、撤销专业名单" in page.text
    assert "人工智能技术与应用" in page.text
    # the page prints 附件4's own columns: a 中职 line has no 层次/级别 (the 技工 headers were
    # printed over its cells)
    table = page.text.split('id="closures"')[1].split("</table>")[0]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == ["序号", "学校名称", "专业名称", "专业代码", "类型", "起始年份"]
    cells = re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>', table)
    assert cells == heads


def test_the_seeded_secondary_list_prints_no_annex_4(seeded_client):
    found = seeded_client.get(f"{API}/publications", params={"year": 2024, "authority": EDU})
    [listed] = found.json()["items"]
    detail = seeded_client.get(f"{API}/publications/{listed['id']}").json()
    assert [a["key"] for a in detail["annexes"]] == ["projects", "directions"]
    book = load_workbook(
        io.BytesIO(seeded_client.get(f"{API}/publications/{listed['id']}.xlsx").content)
    )
    assert book.sheetnames == ["附件一", "附件2", "附件3"]
    empty = seeded_client.get(f"{API}/publications/{listed['id']}/closures.csv")
    assert empty.content == f"\ufeff{HEADER}\r\n".encode()
