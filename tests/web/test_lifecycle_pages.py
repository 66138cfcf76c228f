"""Issue 24 in a real browser: a college files a 停招 from its 我的专业 page (one click, then the
usual filing page), the reviewer approves it with the program's history beside the entry, the
bureau publishes the list with its closures annex, and the program's page shows the history."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.backend import BACKEND
from tests.factories import make_token
from tests.web.axe import sideways, violations
from tests.web.conftest import DESKTOP, PHONE
from tests.web.helpers import PASSWORD
from tests.web.test_cycle_pages import _signed_in

COLLEGE = "4401J003"  # 广州市轻工技师学院 (no other browser test files for it)
YEAR = 2028  # a round of its own: the cycle test has 2025
REASON = "生源不足，2028 年起停止招生"


def _api(live_server, role: str, **binding):
    token = make_token(live_server.engine, role=role, **binding)
    return httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


@pytest.mark.slow  # three people through a 停招 in Chromium: 10-20 s
def test_a_suspension_from_the_program_page_to_the_published_annex(
    browser, live_server, screenshot, make_user, sign_in
):
    shot = iter(range(1, 100))

    def snap(page, name):
        screenshot(page, f"lifecycle-{BACKEND}-{next(shot):02d}-{name}")

    with _api(live_server, "admin", authority="GZ-HRSS") as admin:
        opened = admin.post(
            "/api/v1/rounds",
            json={
                "year": YEAR,
                "title": f"{YEAR}年广州市技工院校专业申报",
                "opens_at": "2020-01-01",
                "closes_at": "2099-12-31",
            },
        )
        assert opened.status_code == 201, opened.text
        round_id = opened.json()["id"]
        program = next(
            p
            for p in admin.get("/api/v1/programs", params={"college": COLLEGE}).json()["items"]
            if p["status"] == "active"
        )
    people = {
        "college": make_user("college", college=COLLEGE),
        "reviewer": make_user("reviewer", authority="GZ-HRSS"),
        "bureau": make_user("admin", authority="GZ-HRSS"),
    }
    contexts, pages = [], {}
    try:
        for who, username in people.items():
            context, page = _signed_in(browser, live_server, sign_in, username)
            contexts.append(context)
            pages[who] = page

        # 1. the college: 我的专业, one click on 申请停招 beside the program, then submits
        college = pages["college"]
        college.goto(f"/college/programs?year={YEAR}")
        row = college.locator(f"#program-{program['id']}")
        assert program["major_name"] in row.inner_text()
        assert "在办" in row.inner_text()
        snap(college, "my-programs")
        form = row.locator("form").filter(has=college.get_by_role("button", name="申请停招"))
        form.get_by_label("停招理由").fill(REASON)
        form.get_by_role("button", name="申请停招").click()
        college.wait_for_url(re.compile(r"/filings/\d+$"))
        filing_url = college.url
        assert "停招" in college.locator("#entry-0").inner_text()
        assert REASON in college.locator("#entry-0").inner_text()
        snap(college, "filing")
        college.once("dialog", lambda dialog: dialog.accept())  # 提交 asks first
        with college.expect_navigation():  # the notice comes in a cookie, not the URL
            college.get_by_role("button", name="提交").click()

        # 2. the reviewer: the program's history beside the entry, then approves it
        reviewer = pages["reviewer"]
        reviewer.goto(filing_url)
        entry = reviewer.locator("#entry-0")
        assert "专业历史" in entry.inner_text()
        assert REASON in entry.inner_text()
        snap(reviewer, "review")
        entry.get_by_role("button", name="通过", exact=True).click()  # in place (htmx)
        expect(reviewer.locator("#entry-0 .badge.decision-approved")).to_be_visible()

        # 3. the bureau drafts the round's list (the annex carries the 停招) and publishes it
        bureau = pages["bureau"]
        bureau.goto(f"/admin/rounds/{round_id}")
        bureau.get_by_role("button", name="根据本批次起草名单").click()
        bureau.wait_for_url(re.compile(r"/admin/publications/\d+"))
        assert "停招、撤销专业名单" in bureau.locator("#closures-annex").inner_text()
        snap(bureau, "draft")
        bureau.get_by_label("发布日期").fill("2025-04-20")  # required before publishing
        with bureau.expect_navigation():
            bureau.get_by_role("button", name="保存", exact=True).click()
        bureau.get_by_label(re.compile("我已核对")).check()
        with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
            bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
            bureau.get_by_role("button", name="发布").click()
        publication = re.search(r"/admin/publications/(\d+)", bureau.url).group(1)

        # 4. anyone: the list's page shows the annex, the program's page its history
        public = pages["college"]
        public.goto(f"/publications/{publication}")
        closures = public.locator("#closures").inner_text()
        assert program["major_name"] in closures
        assert "停招" in closures
        assert str(YEAR) in closures
        snap(public, "published-list")
        public.goto(f"/programs/{program['id']}")
        assert "停招" in public.locator("dl.facts").inner_text()
        history = public.locator("ol.program-history").inner_text()
        assert "停招" in history
        assert REASON in history
        assert f"名单 {publication}" in history
        snap(public, "program-history")
    finally:
        for context in contexts:
            context.close()


MERGED, INTO = "4401J013", "4401J012"  # 广州城市职业技工学校 into 广州市金领技工学校


def test_the_bureau_merges_a_college_from_its_page(
    browser, live_server, screenshot, make_user, sign_in
):
    """The college page's 撤销或合并该校 link (issue 24) walked at 1280 px and 390 px: the form
    offers the colleges it may merge into by name, the preview names the college programs move
    to, the confirmation asks, and the college page then says 已合并 into which college."""
    bureau = make_user("admin", authority="GZ-HRSS")
    with _api(live_server, "admin", authority="GZ-HRSS") as admin:
        programs = admin.get("/api/v1/programs", params={"college": MERGED}).json()["items"]
    assert programs, "the seeded college has programs to move"
    # JavaScript on (the other walks here run without it): axe-core runs in the page, and the
    # confirmation is confirm.js's dialog
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        sign_in(page, bureau, PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"/colleges/{MERGED}")
        page.get_by_role("link", name="撤销或合并该校").click()
        page.wait_for_url(f"**/admin/colleges/{MERGED}/end")
        options = page.locator("#merge-targets option")
        offered = dict(
            zip(
                options.evaluate_all("os => os.map(o => o.value)"),
                options.evaluate_all("os => os.map(o => o.textContent)"),
                strict=True,
            )
        )
        assert offered[INTO] == "广州市金领技工学校"
        assert MERGED not in offered
        assert not any(code.startswith("4401Z") for code in offered)  # 中职: another system
        assert violations(page) == []
        page.get_by_label("操作").select_option("merge")
        page.get_by_label("并入学校代码").fill(INTO)
        page.get_by_role("button", name="预览").click()
        page.wait_for_url(re.compile(r"action=merge"))
        moved = page.locator("#preview-moved")
        expect(page.get_by_role("heading", name="转入 广州市金领技工学校 的专业")).to_be_visible()
        assert programs[0]["major_name"] in moved.inner_text()
        assert violations(page) + sideways(page) == []
        page.set_viewport_size(PHONE)
        assert sideways(page) == [], "the preview fits a phone"
        screenshot(page, "college-end-preview-phone")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "college-end-preview-desktop")
        page.get_by_label(re.compile("原因")).fill("两校合并办学（穗人社函〔2028〕3号）")
        page.once("dialog", lambda dialog: dialog.accept())  # asks first
        with page.expect_navigation():
            page.get_by_role("button", name="确认合并").click()
        assert page.url.endswith(f"/colleges/{MERGED}")
        end = page.locator("#college-end").inner_text()
        assert "广州城市职业技工学校" in page.locator("h1").inner_text()
        assert INTO in end
        assert "两校合并办学" in end
        assert "已合并" in page.locator("dl.facts").inner_text()
        assert page.get_by_role("link", name="撤销或合并该校").count() == 0  # ended: no link
    finally:
        context.close()
