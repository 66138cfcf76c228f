"""The publication diff page in Chromium (issue 28): a clerk compares the 2024 list with its
correction; each section shows its first lines with its total, and the keyboard reaches its next
lines; over all its pages a section shows the API's lines once each; axe-core finds nothing, and
on a phone the tables stack into cards."""

import re

import httpx
import pytest

from tests.factories import make_token
from tests.publications.helpers import lines_as_input
from tests.publications.test_diff_page import remark_every_line_drop_twenty_replace_the_last
from tests.web.axe import sideways, violations

LIMIT = 20


@pytest.fixture(scope="module")
def compared(live_server) -> str:
    """The query of the page comparing the seeded 2024 list with a correction of it (60 lines
    changed, 22 removed, 1 added), published through the API as the bureau's admin."""
    token = make_token(live_server.engine, role="admin", authority="GZ-HRSS")
    with httpx.Client(
        base_url=f"{live_server.url}/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as api:
        found = api.get("/publications", params={"year": 2024, "authority": "GZ-HRSS"}).json()[
            "items"
        ]
        [original] = [p for p in found if p["latest"]]
        revision = api.post(
            f"/publications/{original['id']}/corrections", json={"reason": "勘误：备注"}
        )
        assert revision.status_code == 201, revision.text
        lines = lines_as_input(revision.json())
        remark_every_line_drop_twenty_replace_the_last(lines)
        rid = revision.json()["id"]
        assert api.put(f"/publications/{rid}/lines", json={"lines": lines}).status_code == 200
        assert api.post(f"/publications/{rid}/publish").status_code == 200
    return f"from={original['id']}&to={rid}"


def _codes(page, anchor: str) -> list[str]:
    """The 专业代码 of each row of a section's table."""
    table = page.locator(f"h2#{anchor} ~ div.table-wrap").first
    return table.locator("tbody tr td:nth-child(2) code").all_inner_texts()


def test_a_section_a_page_at_a_time_with_the_keyboard(page, live_server, compared, screenshot):
    api = httpx.get(f"{live_server.url}/api/v1/publications/diff?{compared}").json()
    page.goto(f"/publications/diff?{compared}&limit={LIMIT}")
    assert page.get_by_text("新增 1 行，删除 22 行，修改 60 行，未变 0 行。").is_visible()
    assert page.get_by_role("heading", name="修改（60）").is_visible()
    assert page.get_by_role("heading", name="删除（22）").is_visible()
    assert page.get_by_text("第 1–20 行，共 60 行").is_visible()
    assert (
        _codes(page, "lines-changed") == [c["after"]["major_code"] for c in api["changed"]][:LIMIT]
    )
    assert violations(page) == []
    assert sideways(page) == []
    screenshot(page, "diff-desktop")

    shown: list[str] = []
    for first, last in ((21, 40), (41, 60)):
        shown += _codes(page, "lines-changed")
        pager = page.get_by_role("navigation", name="修改：翻页")
        link = pager.get_by_role("link", name=f"下一页：第 {first}–{last} 行")
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")  # a link the keyboard reaches and follows
        assert re.search(r"&changed=[^&#]+#lines-changed$", page.url)
        assert page.get_by_text(f"第 {first}–{last} 行，共 60 行").is_visible()
        assert page.get_by_text("第 1–20 行，共 22 行").is_visible()  # removed stays
    shown += _codes(page, "lines-changed")
    assert shown == [c["after"]["major_code"] for c in api["changed"]]  # each once, in order
    pager = page.get_by_role("navigation", name="修改：翻页")
    assert pager.get_by_role("link", name=re.compile("下一页")).count() == 0
    assert violations(page) == []
    with page.expect_navigation():
        pager.get_by_role("link", name="回到第 1 行").click()
    assert page.url.endswith(f"?{compared}&limit={LIMIT}#lines-changed")
    assert page.get_by_text("第 1–20 行，共 60 行").is_visible()


def test_the_diff_page_on_a_phone_stacks_its_tables(phone_page, compared, screenshot):
    phone_page.goto(f"/publications/diff?{compared}&limit={LIMIT}")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    row = phone_page.locator("h2#lines-changed ~ div.table-wrap tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert phone_page.get_by_role("link", name="下一页：第 21–40 行").is_visible()
    assert violations(phone_page) == []
    pager = phone_page.get_by_role("navigation", name="删除：翻页")
    pager.scroll_into_view_if_needed()
    phone_page.evaluate("window.scrollBy(0, 300)")  # the pager and the next section's heading
    screenshot(phone_page, "diff-phone", full_page=False)
