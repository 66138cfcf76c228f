"""The public pages as a planner, a parent or a bureau clerk uses them, in Chromium."""

import re
from pathlib import Path

import httpx
import pytest

GZ_COLLEGE = "4401J001"  # 广州市技师学院


@pytest.fixture(scope="module")
def list_2024(live_server) -> dict:
    found = httpx.get(
        f"{live_server.url}/api/v1/publications", params={"year": 2024, "authority": "GZ-HRSS"}
    ).json()["items"]
    [publication] = [p for p in found if p["latest"]]
    return publication


def test_search_as_you_type_finds_a_major_by_pinyin_initials(page, screenshot):
    page.goto("/majors")
    page.get_by_label("搜索专业").press_sequentially("xnyqc", delay=30)
    hit = page.locator("#results li").filter(has_text="新能源汽车").first
    hit.wait_for()
    assert re.search(r"\d{4} 新能源汽车", hit.inner_text())
    page.wait_for_url("**/majors?q=xnyqc*")  # a shareable address: the page renders it whole
    screenshot(page, "majors-desktop")


def test_search_without_javascript_and_near_misses_are_only_offered(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="zh-CN"
    )
    try:
        page = context.new_page()
        page.goto("/majors?q=新能源汽车检测与维修")
        assert page.locator("#results ul.results").first.get_by_text("新能源汽车检测与维修").count()
        page.goto("/majors?q=新能源汽车检侧与维修")  # a typo: offered, never substituted
        assert page.get_by_text("没有找到相符的专业。").is_visible()
        assert page.locator("ul.near").get_by_text("新能源汽车检测与维修").count() == 1
    finally:
        context.close()


def test_a_college_page_lists_its_programs_and_history(page, live_server, screenshot):
    api = httpx.get(f"{live_server.url}/api/v1/programs", params={"college": GZ_COLLEGE}).json()
    page.goto(f"/colleges/{GZ_COLLEGE}")
    assert page.get_by_role("heading", level=1).inner_text() == "广州市技师学院"
    rows = page.locator("table tbody tr")
    assert rows.count() == len(api["items"]) > 0
    shown = {row.locator("td").first.inner_text() for row in rows.all()}
    assert shown == {p["major_code"] for p in api["items"]}
    assert page.get_by_role("heading", name="沿革（曾用名、升格）").is_visible()
    screenshot(page, "college-desktop")


def test_the_college_list_links_each_college(page):
    page.goto("/colleges")
    page.get_by_role("link", name="广州市技师学院").click()
    page.wait_for_url(f"**/colleges/{GZ_COLLEGE}")


def test_the_2024_list_reads_like_the_notice_and_downloads_are_the_apis_bytes(
    page, live_server, list_2024, screenshot
):
    page.goto(f"/publications/{list_2024['id']}")
    assert page.get_by_role("heading", level=1).inner_text() == list_2024["title"]
    assert page.get_by_text("72 条，82 行").is_visible()
    assert page.locator("table.notice-table tbody tr.line").count() == 82
    assert page.locator("table.notice-table tbody td[rowspan]").first.is_visible()
    seqs = page.locator("table.notice-table tbody tr.line td.num").all_inner_texts()
    assert len(set(seqs)) == 72
    assert page.get_by_text(list_2024["checksum"]).is_visible()
    screenshot(page, "publication-2024-desktop")
    for name, suffix in (("下载附件1 CSV", "csv"), ("下载 Excel 表格", "xlsx")):
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        downloaded = Path(info.value.path()).read_bytes()
        api = httpx.get(f"{live_server.url}/api/v1/publications/{list_2024['id']}.{suffix}")
        assert api.status_code == 200, suffix
        assert downloaded == api.content, suffix


def test_the_lists_page_links_the_newest_revision(page, list_2024):
    page.goto("/publications")
    page.get_by_role("link", name=list_2024["title"]).click()
    page.wait_for_url(f"**/publications/{list_2024['id']}")


def test_programs_page_filters_pages_and_downloads_exactly_what_is_shown(page, live_server):
    page.goto("/programs")
    assert page.locator("table tbody tr").count() == 50
    page.get_by_label("层次").select_option("初中起点")
    page.get_by_label("级别").select_option("高级")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/programs?**")
    shown = page.locator("table tbody tr").count()
    csv_link = page.get_by_role("link", name="下载 CSV").get_attribute("href")
    assert csv_link is not None
    assert "intake=" in csv_link
    assert "level=" in csv_link
    api = httpx.get(
        f"{live_server.url}/api/v1/programs",
        params={"intake": "初中起点", "level": "高级", "limit": 50},
    ).json()
    assert shown == len(api["items"])
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 CSV").click()
    downloaded = Path(info.value.path()).read_bytes()
    assert downloaded == httpx.get(f"{live_server.url}{csv_link}").content


def test_statistics_page_draws_its_charts_and_offers_the_figures_as_csv(
    page, live_server, screenshot
):
    page.goto("/statistics?year=2024")
    charts = page.locator("figure.chart svg.bars")
    assert charts.count() >= 4
    for chart in charts.all():
        bars = chart.locator("rect")
        assert bars.count() >= 1
        assert all(bar.bounding_box()["width"] > 1 for bar in bars.all())  # drawn, visible
    screenshot(page, "statistics-desktop")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载统计 CSV").click()
    body = Path(info.value.path()).read_bytes()
    assert body.startswith("\ufeff分组,取值,行数\r\n".encode())
    assert "按年份,2024,".encode() in body


def test_main_pages_at_phone_width(phone_page, list_2024, screenshot):
    for path, name in (
        ("/", "home-phone"),
        ("/majors?q=xnyqc", "majors-phone"),
        (f"/colleges/{GZ_COLLEGE}", "college-phone"),
        (f"/publications/{list_2024['id']}", "publication-2024-phone"),
        ("/statistics?year=2024", "statistics-phone"),
    ):
        phone_page.goto(path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, (path, width)  # nothing wider than the phone but scrollers
        screenshot(phone_page, name)


def test_the_list_on_a_phone_is_one_card_an_entry_each_cell_named(phone_page, list_2024):
    """At 390 px the notice's nine columns stack (app.css ``table.stack``): a line is a card
    whose cells say which column they are, an entry's further line joined under it — squeezed
    into the phone's width the columns were one character wide."""
    phone_page.goto(f"/publications/{list_2024['id']}")
    first = phone_page.locator("table.notice-table tbody tr.line").first
    assert first.evaluate("tr => getComputedStyle(tr).display") == "block"
    labels = first.locator("td").evaluate_all(
        "tds => tds.map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels[:5] == ['"序号"', '"学校"', '"专业"', '"专业类别"', '"专业代码"']
    college = first.locator("td").nth(1)
    assert college.bounding_box()["width"] > 200  # the name reads on one line, not a column
    further = phone_page.locator("table.notice-table tbody tr.line.more").first
    assert further.locator("td").first.evaluate("td => td.dataset.label") == "层次"
