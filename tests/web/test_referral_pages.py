"""Issue 23, items 8 and 10 in the browser: the city's admin follows what its reviewer referred to
the province — the college's name, the entry's 行号, 层次, 级别, 学制, 备注 and the city's reason —
up to the province's outcome, and the filing page says where the filing waits."""

import httpx

from tests.backend import BACKEND
from tests.factories import make_token
from tests.web.helpers import PASSWORD

COLLEGE = "4401J001"  # 广州市技师学院
YEAR = 2027  # a round of its own: the cycle test (same server) has 2025's
BASE = {
    "major_code": "0127",
    "major_name": "机电一体化技术",
    "category": "机械类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}
PROPOSAL = {
    "major_name": "低空物流无人机运营",
    "category": "交通类",
    "intake": "高中起点",
    "level": "高级",
    "length_years": 3,
    "remark": "行业急需，拟报省厅",
}
CITY_REASON = "目录外专业，建议纳入省特色专业目录"


def _api(live_server, role: str, **binding: str) -> httpx.Client:
    token = make_token(live_server.engine, role=role, **binding)
    return httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def _referred_filing(live_server) -> tuple[int, int]:
    """A submitted filing of 广州市技师学院 whose second entry the city referred; (filing,
    referral)."""
    with _api(live_server, "admin", authority="GZ-HRSS") as bureau:
        opened = bureau.post(
            "/api/v1/rounds",
            json={"year": YEAR, "opens_at": "2020-01-01", "closes_at": "2099-12-31"},
        )
        assert opened.status_code == 201, opened.text
    with _api(live_server, "college", college=COLLEGE) as college:
        draft = college.post(
            "/api/v1/filings", json={"college": COLLEGE, "year": YEAR, "entries": [BASE, PROPOSAL]}
        )
        assert draft.status_code == 201, draft.text
        filing = draft.json()["id"]
        assert college.post(f"/api/v1/filings/{filing}/submit").status_code == 200
    with _api(live_server, "reviewer", authority="GZ-HRSS") as reviewer:
        decided = reviewer.post(
            f"/api/v1/filings/{filing}/decisions",
            json={
                "decisions": [
                    {"index": 0, "decision": "approved"},
                    {"index": 1, "decision": "referred", "reason": CITY_REASON},
                ]
            },
        )
        assert decided.status_code == 200, decided.text
        [entry] = [e for e in decided.json()["entries"] if e["index"] == 1]
    return filing, entry["referral"]


def test_the_city_follows_its_referral_to_the_provinces_outcome(
    browser, live_server, screenshot, make_user, sign_in
):
    filing, referral = _referred_filing(live_server)
    username = make_user("admin", authority="GZ-HRSS")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server.url
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        sign_in(page, username, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")

        page.goto("/referrals")
        row = page.locator("#referrals tbody tr").filter(has_text=PROPOSAL["major_name"])
        text = row.inner_text()
        for shown in (
            "广州市技师学院",
            "高中起点",
            "高级",
            "三年",
            PROPOSAL["remark"],
            CITY_REASON,
        ):
            assert shown in text, shown
        assert COLLEGE not in text  # the school's name, not its code
        assert row.locator("td.num").inner_text().strip() == "2"  # 行号 as the filing shows it
        screenshot(page, f"referrals-city-{BACKEND}")

        page.goto(f"/referrals/{referral}")
        facts = page.locator("#referral-facts")
        assert facts.locator("#college").inner_text() == "广州市技师学院"
        assert facts.locator("#entry-row").inner_text() == "2"
        assert facts.locator("#intake").inner_text() == "高中起点"
        assert facts.locator("#length").inner_text() == "三年"
        assert facts.locator("#remark").inner_text() == PROPOSAL["remark"]
        assert facts.locator("#city-reason").inner_text() == CITY_REASON
        assert facts.locator("#outcome").inner_text() == "待审核"
        assert page.get_by_role("button", name="不予批准").count() == 0  # the city only follows

        page.goto(f"/filings/{filing}")
        waiting = page.locator("dl.facts [data-waiting]")
        assert waiting.get_attribute("data-waiting") == "province"
        assert "等待省厅评审（1 项）" in waiting.inner_text()
        screenshot(page, f"referrals-filing-waits-{BACKEND}")
        page.locator("#entry-1").get_by_role("link", name="待审核").click()  # to the referral
        page.wait_for_url(f"{live_server.url}/referrals/{referral}")

        with _api(live_server, "admin", authority="GD-HRSS") as province:
            rejected = province.post(
                f"/api/v1/referrals/{referral}/decision",
                json={"decision": "rejected", "reason": "与已有特色专业重复"},
            )
            assert rejected.status_code == 200, rejected.text

        page.goto(f"/referrals/{referral}")
        assert page.locator("#outcome").inner_text() == "不予批准"
        assert page.locator("#province-reason").inner_text() == "与已有特色专业重复"
        assert page.locator("#city-reason").inner_text() == CITY_REASON
        screenshot(page, f"referrals-outcome-{BACKEND}")
        page.goto("/referrals?status=rejected")
        assert "与已有特色专业重复" in page.locator("#referrals").inner_text()
        page.goto(f"/filings/{filing}")
        assert page.locator("dl.facts [data-waiting]").get_attribute("data-waiting") == "decided"
    finally:
        context.close()
