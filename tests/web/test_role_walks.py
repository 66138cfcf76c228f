"""Each role walks its day at desktop (1280 px) and phone (390 px) widths (issue 25, done-when):
no work table makes anyone scroll sideways, axe-core finds no violation of impact moderate or
worse on any page of the walk, and the screenshots show what the person sees
(``REGISTRY_DOCS_SCREENSHOTS=1`` writes them to docs/screenshots/walk-*.png)."""

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from tests.factories import make_token
from tests.web.axe import sideways, violations
from tests.web.conftest import DESKTOP, PHONE
from tests.web.helpers import PASSWORD

COLLEGE = "4401J001"  # 广州市技师学院
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def cycle(live_server) -> Iterator[dict]:
    """A 2027 round of 广州市人社局, a submitted filing of 广州市技师学院 (one entry referred to
    the province, one waiting for the reviewer) and a draft with a finding to fix. Afterwards
    the round is closed and the referral decided: the server is shared, and another test's
    college must not find this round open nor its province this referral waiting."""
    engine = live_server.engine
    bureau = {"Authorization": f"Bearer {make_token(engine, role='admin', authority='GZ-HRSS')}"}
    college = {"Authorization": f"Bearer {make_token(engine, role='college', college=COLLEGE)}"}
    reviewer = {
        "Authorization": f"Bearer {make_token(engine, role='reviewer', authority='GZ-HRSS')}"
    }
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        made = client.post(
            "/api/v1/rounds",
            headers=bureau,
            json={
                "year": 2027,
                "title": "2027 年专业设置申报（走查）",
                "opens_at": "2020-01-01T00:00:00Z",
                "closes_at": "2099-12-31T00:00:00Z",
            },
        )
        assert made.status_code == 201, made.text
        entries = [
            {
                "major_code": "0127",
                "major_name": "机电一体化技术",
                "category": "机械类",
                "intake": "初中起点",
                "level": "高级",
                "length_years": 5,
                "remark": "校企合作：广汽集团订单班",
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
        body = {"college": COLLEGE, "year": 2027, "entries": entries}
        filed = client.post("/api/v1/filings", headers=college, json=body)
        assert filed.status_code == 201, filed.text
        submitted = filed.json()["id"]
        done = client.post(f"/api/v1/filings/{submitted}/submit", headers=college)
        assert done.status_code == 200, done.text
        referred = client.post(
            f"/api/v1/filings/{submitted}/entries/1/decision",
            headers=reviewer,
            json={"decision": "referred", "reason": "目录外专业，报省厅"},
        )
        assert referred.status_code == 200, referred.text
        typo = [entries[0] | {"major_code": "07O2", "major_name": "数控加工"}]
        draft = client.post(
            "/api/v1/filings", headers=college, json=body | {"entries": typo}
        ).json()["id"]
        referrals = client.get("/api/v1/referrals", headers=admin_of(engine, "GD-HRSS"))
        pending = [r["id"] for r in referrals.json()["items"] if r["filing"] == submitted]
    yield {"submitted": submitted, "draft": draft, "referral": pending[0]}
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        closed = client.post(f"/api/v1/rounds/{made.json()['id']}/close", headers=bureau)
        assert closed.status_code == 200, closed.text
        decided = client.post(
            f"/api/v1/referrals/{pending[0]}/decision",
            headers=admin_of(engine, "GD-HRSS"),
            json={"decision": "rejected", "reason": "走查结束"},
        )
        assert decided.status_code == 200, decided.text


def admin_of(engine, authority: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(engine, role='admin', authority=authority)}"}


WALKS = {
    "college": (
        {"role": "college", "college": COLLEGE},
        ["/", "/filings", "/filings/{draft}", "/filings/{submitted}", "/filings/new", "/account"],
    ),
    "reviewer": (
        {"role": "reviewer", "authority": "GZ-HRSS"},
        [
            "/",
            "/review",
            "/review?round=&college=技师&major=&status=submitted",
            "/filings/{submitted}",
        ],
    ),
    "province": (
        {"role": "admin", "authority": "GD-HRSS"},
        ["/", "/referrals", "/referrals/{referral}"],
    ),
    "bureau": (
        {"role": "admin", "authority": "GZ-HRSS"},
        ["/", "/review", "/admin/rounds", "/admin/users", "/admin/publications"],
    ),
}


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-") or "desk"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", WALKS)
def test_a_day_of_each_role(
    browser, live_server, make_user, sign_in, screenshot, cycle, who, width
):
    binding, paths = WALKS[who]
    role = binding["role"]
    name = make_user(role, **{k: v for k, v in binding.items() if k != "role"})
    options = {"is_mobile": True, "has_touch": True} if width == "phone" else {}
    context = browser.new_context(
        viewport=WIDTHS[width], locale="zh-CN", base_url=live_server.url, **options
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, name, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")  # contract: signing in leads to /, the desk
        assert page.get_by_role("heading", name="工作台").is_visible()
        found = {}
        for path in paths:
            page.goto(path.format(**cycle))
            assert page.get_by_role("link", name="工作台").first.is_visible() or width == "phone"
            problems = violations(page) + [f"sideways {w}" for w in sideways(page)]
            if problems:
                found[path] = problems
            screenshot(page, f"walk-{who}-{slug(path)}-{width}")
        assert not found, found
    finally:
        context.close()


def test_a_decision_updates_the_table_in_place(browser, live_server, make_user, sign_in, cycle):
    """Item 6 with JavaScript: htmx swaps the decision table; the address and scroll stay."""
    name = make_user("reviewer", authority="GZ-HRSS")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, name, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        url = f"{live_server.url}/filings/{cycle['submitted']}"
        page.goto(url)
        row = page.locator("#entry-0")
        row.scroll_into_view_if_needed()
        before = page.evaluate("window.scrollY")
        assert before > 0
        page.once("dialog", lambda dialog: dialog.dismiss())  # 不予通过 asks; no: nothing sent
        row.get_by_role("button", name="不予通过").click()
        expect(row.locator(".badge.decision-rejected")).to_have_count(0)
        row.get_by_role("button", name="通过", exact=True).click()
        expect(page.locator("#entry-0 .badge.decision-approved")).to_be_visible()
        assert page.url == url
        assert abs(page.evaluate("window.scrollY") - before) < 40
        assert "已记录决定" in page.locator("#decide-area").inner_text()
    finally:
        context.close()


def test_chart_labels_stay_legible_on_a_phone(phone_page, screenshot):
    """Item 7: at 390 px the charts' 13 px labels were scaled down to about 7 px."""
    phone_page.goto("/statistics?year=2024")
    sizes = phone_page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.bars')).map(svg =>
             13 * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)"""
    )
    assert sizes, sizes
    assert min(sizes) >= 11, sizes
    assert phone_page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    screenshot(phone_page, "walk-statistics-phone")
