"""The staff's list pages at 390 px (issue 25 item 7, the admin pages): every work table reflows
into cards as the college page's does — no sideways scroll of the page or of a table, each cell
named by its column, and every action of a row (管理, 预览, 重置密码, 驳回异议…) inside the window
and clickable. axe-core finds no violation of impact moderate or worse."""

from collections.abc import Iterator

import httpx
import pytest

from tests.factories import make_token
from tests.web.axe import sideways, violations
from tests.web.conftest import PHONE
from tests.web.helpers import PASSWORD

COLLEGE = "4401J001"  # 广州市技师学院


def bearer(engine, **binding: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(engine, **binding)}"}


@pytest.fixture(scope="module")
def cycle(live_server) -> Iterator[dict]:
    """A 2028 round of 广州市人社局 with two filings of 广州市技师学院 (one approved, one referred
    to the province), a draft list from it carrying an open objection."""
    engine = live_server.engine
    bureau = bearer(engine, role="admin", authority="GZ-HRSS")
    college = bearer(engine, role="college", college=COLLEGE)
    reviewer = bearer(engine, role="reviewer", authority="GZ-HRSS")
    with httpx.Client(base_url=live_server.url, timeout=60) as client:

        def ok(response: httpx.Response) -> dict:
            assert response.status_code in (200, 201), response.text
            return response.json()

        made = ok(
            client.post(
                "/api/v1/rounds",
                headers=bureau,
                json={
                    "year": 2028,
                    "title": "2028 年专业设置申报（手机走查）",
                    "opens_at": "2020-01-01T00:00:00Z",
                    "closes_at": "2099-12-31T00:00:00Z",
                },
            )
        )
        entries = [
            {
                "major_code": "0127",
                "major_name": "机电一体化技术",
                "category": "机械类",
                "intake": "初中起点",
                "level": "高级",
                "length_years": 5,
                "remark": "校企合作：广汽集团订单班，订单人数每年不少于四十人",
            },
            {
                "major_name": "低空经济无人机技术",
                "category": "交通类",
                "intake": "高中起点",
                "level": "高级",
                "length_years": 3,
                "remark": "本市低空经济产业急需",
            },
        ]
        decided, referred = (
            ok(
                client.post(
                    "/api/v1/filings",
                    headers=college,
                    json={"college": COLLEGE, "year": 2028, "entries": [entry]},
                )
            )["id"]
            for entry in entries
        )
        for filing in (decided, referred):
            ok(client.post(f"/api/v1/filings/{filing}/submit", headers=college))
        ok(
            client.post(
                f"/api/v1/filings/{decided}/entries/0/decision",
                headers=reviewer,
                json={"decision": "approved"},
            )
        )
        ok(
            client.post(
                f"/api/v1/filings/{referred}/entries/0/decision",
                headers=reviewer,
                json={"decision": "referred", "reason": "目录外专业，报省厅"},
            )
        )
        listed = ok(
            client.post("/api/v1/publications", headers=bureau, json={"round_id": made["id"]})
        )
        assert listed["entries"], listed
        ok(
            client.post(
                f"/api/v1/publications/{listed['id']}/objections",
                headers=bureau,
                json={"seq": 1, "text": "该校实训场地面积不足，请核实"},
            )
        )
    return {"round": made["id"], "publication": listed["id"]}


LINK, BUTTON = "link", "button"
PAGES = {
    # path: the actions every row (card) offers, each inside the window
    ("admin", "GZ-HRSS"): {
        "/admin/rounds": [(LINK, "管理")],
        "/admin/rounds/{round}": [(LINK, "广州市技师学院")],
        "/admin/publications": [(LINK, "预览")],
        "/admin/publications/{publication}": [(BUTTON, "驳回异议"), (BUTTON, "异议成立")],
        "/admin/users": [(BUTTON, "重置密码"), (BUTTON, "停用")],
        "/review": [(LINK, "评审")],
    },
    ("admin", "GD-HRSS"): {"/referrals": [(LINK, "评审")], "/admin/users": [(BUTTON, "重置密码")]},
}
FIRST_CLICK = {
    "GZ-HRSS": ("/admin/rounds", "管理", "/admin/rounds/"),
    "GD-HRSS": ("/referrals", "评审", "/referrals/"),
}


@pytest.mark.parametrize("who", PAGES, ids=lambda who: who[1])
def test_staff_tables_are_cards_on_a_phone(
    browser, live_server, make_user, sign_in, screenshot, cycle, who
):
    role, authority = who
    make_user("college", college=COLLEGE)  # /admin/users lists more than its admin
    name = make_user(role, authority=authority)
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", base_url=live_server.url, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, name, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        found: dict[str, list[str]] = {}
        for path, actions in PAGES[who].items():
            page.goto(path.format(**cycle))
            problems = violations(page) + [f"sideways {w}" for w in sideways(page)]
            tables = page.locator("main table")
            assert tables.count() > 0, path
            for i in range(tables.count()):
                # a card: the column headings are off-screen, each cell names its column
                head = tables.nth(i).locator("thead")
                box = head.bounding_box() if head.count() else None
                if box and box["x"] + box["width"] > 0:
                    problems.append(f"table {i} is not stacked into cards")
            for kind, action in actions:
                found_actions = page.locator("main table").get_by_role(kind, name=action)
                if found_actions.count() == 0:
                    problems.append(f"no {action}")
                for j in range(found_actions.count()):
                    box = found_actions.nth(j).bounding_box()
                    if box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
                        problems.append(f"{action} #{j} outside the window: {box}")
            if problems:
                found[path] = problems
            slug = path.strip("/").replace("/", "-").replace("{", "").replace("}", "")
            screenshot(page, f"phone-{authority.lower()}-{slug}")
        assert not found, found
        # an action is clickable where it stands: the first card's leads to its page
        path, action, lands = FIRST_CLICK[authority]
        page.goto(path)
        page.locator("main table").get_by_role("link", name=action).first.click()
        page.wait_for_url(lambda url: lands in url)
    finally:
        context.close()
