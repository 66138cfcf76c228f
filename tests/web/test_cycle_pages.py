"""The whole 2025 cycle in a real browser, as four people: the city bureau's admin opens the round,
a college uploads its spreadsheet and fixes it with the suggestions, a reviewer decides in bulk
and refers the proposal, the province approves it as a new 8xxx code, the bureau publishes the
list, and the public list page shows it. Each person has an account (`registry user create`) and
signs in through /login. A screenshot of every step is kept in test-artifacts/."""

import io
import re
from datetime import date, timedelta

import httpx
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.backend import BACKEND
from tests.factories import make_token
from tests.web.helpers import PASSWORD

COLLEGE = "4401J002"  # 广州市工贸技师学院
HEADER = ["序号", "学校", "专业", "专业类别", "专业代码", "层次", "级别", "学制", "备注"]
ROWS = [
    # row 2: wrong 学制 (初中起点高级 is five years)
    [1, "广州市工贸技师学院", "智能装备运行与维护", "机械类", "0139", "初中起点", "高级", 3, ""],
    # row 3: a code that lost its leading zero (a numeric cell: 0127 → 127)
    [2, "广州市工贸技师学院", "机电一体化技术", "机械类", 127, "初中起点", "高级", 5, ""],
    # row 4: out of both catalogs — a proposal for the province
    [3, "广州市工贸技师学院", "低空经济无人机技术", "交通类", None, "初中起点", "高级", 5, ""],
    # row 5: clean
    [4, "广州市工贸技师学院", "计算机网络应用", "信息类", "0301", "高中起点", "预备技师", 4, ""],
]


LATE_COLLEGE = "4401J001"  # 广州市技师学院: its approval comes after the list is published
LATE_ENTRY = {
    "major_code": "0127",
    "major_name": "机电一体化技术",
    "category": "机械类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}
OTHER_ENTRY = LATE_ENTRY | {
    "major_code": "0301",
    "major_name": "计算机网络应用",
    "category": "信息类",
}
TODAY = date.today()


def _spreadsheet(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


def _person(browser, live_server, token: str | None = None):
    """A browser of its own for one person (a separate cookie jar), with a token when given (a
    script's way in; people sign in through /login). JavaScript is off: every step of the cycle
    works with plain forms (POST, redirect, GET)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        base_url=live_server.url,
        extra_http_headers=headers,
        java_script_enabled=False,
    )
    context.set_default_timeout(20_000)
    return context, context.new_page()


def _signed_in(browser, live_server, sign_in, username: str):
    context, page = _person(browser, live_server)
    sign_in(page, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")  # contract: success leads to /
    assert page.get_by_role("link", name=username).is_visible()  # the header names who it is
    return context, page


@pytest.mark.slow  # four people through a whole round in Chromium: 15-30 s
def test_the_2025_cycle_through_the_pages(
    browser, live_server, screenshot, tmp_path, make_user, sign_in
):
    shot = iter(range(1, 100))

    def snap(page, name):
        screenshot(page, f"cycle-{BACKEND}-{next(shot):02d}-{name}")

    people = {
        "bureau": make_user("admin", authority="GZ-HRSS"),
        "college": make_user("college", college=COLLEGE),
        "reviewer": make_user("reviewer", authority="GZ-HRSS"),
        "province": make_user("admin", authority="GD-HRSS"),
    }
    contexts = []
    try:
        pages = {}
        for who, username in people.items():
            context, page = _signed_in(browser, live_server, sign_in, username)
            contexts.append(context)
            pages[who] = page
        anonymous = browser.new_context(locale="zh-CN", base_url=live_server.url)
        contexts.append(anonymous)
        pages["anonymous"] = anonymous.new_page()
        _cycle(pages, snap, tmp_path, live_server)
    finally:
        for context in contexts:
            context.close()


def _late_filing(live_server) -> tuple[int, str]:
    """A second college (广州市技师学院) files one clean entry by script before the list is out;
    its decision comes late, after publication. The filing id and the college's token."""
    token = make_token(live_server.engine, role="college", college=LATE_COLLEGE, name="教务处")
    headers = {"Authorization": f"Bearer {token}"}
    body = {"college": LATE_COLLEGE, "year": 2025, "entries": [LATE_ENTRY]}
    api = f"{live_server.url}/api/v1/filings"
    filing = httpx.post(api, headers=headers, json=body, timeout=30)
    assert filing.status_code == 201, filing.text
    submitted = httpx.post(f"{api}/{filing.json()['id']}/submit", headers=headers, json={})
    assert submitted.status_code == 200, submitted.text
    return filing.json()["id"], token


def _cycle(pages, snap, tmp_path, live_server):
    # 1. the bureau opens the 2025 round: dates typed, the deadline shown as 24:00 local time
    bureau = pages["bureau"]
    bureau.goto("/admin/rounds")
    bureau.get_by_label("年度").fill("2025")
    bureau.get_by_label("名称").fill("2025年广州市技工院校新增专业申报")
    bureau.get_by_label("开始日期", exact=True).fill("2025-01-01")
    bureau.get_by_label("截止日期", exact=True).fill("2099-03-31")
    bureau.get_by_role("button", name="开设批次").click()
    bureau.wait_for_url(re.compile(r"/admin/rounds/\d+"))
    assert "2099-03-31 24:00" in bureau.locator("#closes").inner_text()
    assert "开放中" in bureau.locator("#round-facts").inner_text()
    round_url = bureau.url
    snap(bureau, "bureau-opens-round")
    # extended to a time of day, with the reason kept in the audit log; the form shows the
    # deadline as the page does (2099-03-31 with no time: 24:00), not 2099-04-01 00:00
    assert bureau.get_by_label("截止日期", exact=True).input_value() == "2099-03-31"
    assert bureau.get_by_label(re.compile("^截止时刻")).input_value() == ""
    bureau.get_by_label("截止日期", exact=True).fill("2099-04-15")
    bureau.get_by_label(re.compile("^截止时刻")).fill("18:00")
    bureau.get_by_label("修改原因（记入审计日志）").first.fill("学校申请延期")
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.get_by_role("button", name="保存修改").click()
    assert "2099-04-15 18:00" in bureau.locator("#closes").inner_text()
    snap(bureau, "bureau-extends-round")

    # 2. the college uploads its spreadsheet and sees three findings beside their rows
    college = pages["college"]
    college.goto("/desk")
    assert "2099-04-15 18:00" in college.locator("#notices").inner_text()
    snap(college, "college-desk")
    college.goto("/filings/new")
    sheet = tmp_path / "工贸技师学院2025新增专业.xlsx"
    _spreadsheet(sheet)
    college.locator("input[name=file]").set_input_files(str(sheet))
    college.get_by_role("button", name="上传").click()
    college.wait_for_url(re.compile(r"/filings/\d+$"))
    filing_url = college.url
    rows = {row: college.locator(f"tr[data-row='{row}']").inner_text() for row in (2, 3, 4, 5)}
    assert "program.length_mismatch" in rows[2]
    assert "学制为五年" in rows[2]
    assert "major.code_format" in rows[3]
    assert "4 位数字" in rows[3]
    assert "0127" in rows[3]
    assert "major.out_of_catalog" in rows[4]
    assert "目录外专业" in rows[4]
    assert "无问题" in rows[5]
    snap(college, "college-uploaded-findings")

    # fixes two with the suggestions (五年, 0127), then submits
    with college.expect_navigation():  # the notice comes in a cookie, not the URL
        college.locator("tr[data-row='2']").get_by_role(
            "button", name=re.compile("采纳建议")
        ).click()
    with college.expect_navigation():  # the notice comes in a cookie, not the URL
        college.locator("tr[data-row='3']").get_by_role(
            "button", name=re.compile("采纳建议")
        ).click()
    assert "0127" in college.locator("tr[data-row='3']").inner_text()
    assert "无问题" in college.locator("tr[data-row='2']").inner_text()
    assert "0 个错误" in college.locator("#counts").inner_text()
    snap(college, "college-fixed")
    college.once("dialog", lambda dialog: dialog.accept())  # 提交 asks first
    with college.expect_navigation():  # the notice comes in a cookie, not the URL
        college.get_by_role("button", name="提交").click()
    assert "notice" not in college.url
    assert "已提交" in college.locator("p.notice").inner_text()
    assert "已提交" in college.locator("dl.facts").inner_text()
    snap(college, "college-submitted")

    # 3. the reviewer: the queue with counts, bulk-approve the clean entries, refer the proposal
    reviewer = pages["reviewer"]
    reviewer.goto("/review")
    queue = reviewer.locator("#queue").inner_text()
    assert "广州市工贸技师学院" in queue
    snap(reviewer, "reviewer-queue")
    reviewer.goto(filing_url)
    # without JavaScript a decision posts and comes back to the entry (htmx: test_role_walks)
    reviewer.get_by_role("button", name="通过所有无问题的条目（3 条）").click()
    expect(reviewer.locator("#decide .badge.decision-approved")).to_have_count(3)
    reviewer.locator("#entry-2").get_by_role("button", name="报省厅").click()
    expect(reviewer.locator("#entry-2 .badge.decision-referred")).to_be_visible()
    assert reviewer.url == filing_url + "#entry-2"
    decided = reviewer.locator("#decide").inner_text()
    assert decided.count("通过") >= 3
    assert "报省厅" in decided
    snap(reviewer, "reviewer-decided")

    # 4. the province approves the proposal as the next free specialty code, shown first
    province = pages["province"]
    province.goto("/referrals")
    province.get_by_role("link", name="评审").first.click()
    assert "8213" in province.locator("#next-code").inner_text()  # 8212 was 2024's highest
    snap(province, "province-referral")
    with province.expect_navigation():  # the notice comes in a cookie, not the URL
        province.once("dialog", lambda dialog: dialog.accept())  # asks first
        province.get_by_role("button", name="确认批准，赋予代码 8213").click()
    assert "8213" in province.locator("#given-code").inner_text()
    snap(province, "province-approved")

    # the college reads its decisions
    college.goto(filing_url)
    assert "已决定" in college.locator("dl.facts").inner_text()
    snap(college, "college-decided")

    # a second college's filing waits for the reviewer while the list goes out
    late_filing, late_token = _late_filing(live_server)

    # 5. the bureau drafts the 2025 list from the round: the round's summary and its sentence
    bureau.goto(round_url)
    assert "所院校申报的" in bureau.locator("#summary-paragraph").inner_text()
    bureau.get_by_role("button", name="根据本批次起草名单").click()
    bureau.wait_for_url(re.compile(r"/admin/publications/\d+"))
    list_url = bureau.url
    annex = bureau.locator("#annex1").inner_text()
    assert "智能装备运行与维护" in annex
    assert "低空经济无人机技术" in annex
    assert "8213" in annex
    assert "2025年广州市技工院校新增专业名单" in bureau.locator("h1").inner_text()  # from the round
    paragraph = bureau.locator("#summary-paragraph").inner_text()
    # two colleges filed 5 majors (the late one is still undecided), 4 met the conditions
    assert paragraph.startswith(
        "我局于 2025 年 1 月至 2099 年 4 月组织专家对广州市技师学院等 2 所院校"
    )
    assert "申报的 5 个新增专业资料" in paragraph
    assert "其中 4 个符合开设条件" in paragraph
    assert "我市低空经济无人机技术等 1 个专业通过评审并纳入广东省技工院校特色专业目录" in paragraph
    snap(bureau, "bureau-preview")
    # no 发布日期 yet: publishing is refused, then 名称/文号/发布日期 are filled in
    bureau.get_by_label(re.compile("我已核对")).check()
    bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
    bureau.get_by_role("button", name="发布").click()
    assert "发布日期" in bureau.locator(".form-error").inner_text()
    bureau.goto(list_url)
    bureau.get_by_label("文号").fill("穗人社函〔2025〕18号")
    bureau.get_by_label("发布日期").fill("2025-04-20")
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.get_by_role("button", name="保存", exact=True).click()

    # 6. 公示: the public sees the draft as 公示中 with its period; publishing waits for it
    bureau.get_by_label("公示开始日期").fill(TODAY.isoformat())
    bureau.get_by_label("公示结束日期").fill((TODAY + timedelta(days=4)).isoformat())
    bureau.get_by_label("异议联系方式").fill("020-83190000 专业建设科")
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.get_by_role("button", name="开始公示").click()
    publication = re.search(r"/admin/publications/(\d+)", bureau.url).group(1)
    public = pages["anonymous"]
    response = public.goto(f"/publications/{publication}")
    assert response is not None
    assert response.status == 200
    assert "公示中" in public.locator("#announcement").inner_text()
    snap(public, "public-announced")
    bureau.get_by_label(re.compile("我已核对")).check()
    bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
    bureau.get_by_role("button", name="发布").click()
    assert "公示期至" in bureau.locator(".form-error").inner_text()
    # two objections: one dismissed, one upheld (the entry leaves the draft)
    reviewer.goto(list_url)
    for about, text in (("智能装备运行与维护", "学制有误"), ("机电一体化技术", "该校实训条件不足")):
        option = reviewer.locator("#objection-seq option", has_text=about)
        reviewer.get_by_label("针对").select_option(value=option.get_attribute("value"))
        reviewer.get_by_label("异议内容").fill(text)
        with reviewer.expect_navigation():  # the notice comes in a cookie, not the URL
            reviewer.get_by_role("button", name="记录异议").click()
    first = reviewer.locator("#objections tbody tr", has_text="学制有误")
    first.get_by_label("处理意见").fill("学制符合学制表，不予采纳")
    with reviewer.expect_navigation():  # the notice comes in a cookie, not the URL
        reviewer.once("dialog", lambda dialog: dialog.accept())  # asks first
        first.get_by_role("button", name="驳回异议").click()
    snap(reviewer, "reviewer-objection-dismissed")
    # dropping an entry edits the list: the bureau's admin upholds the second one
    bureau.goto(list_url)
    second = bureau.locator("#objections tbody tr", has_text="该校实训条件不足")
    second.get_by_label("处理意见").fill("经核实实训设备未达标")
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
        second.get_by_role("button", name="异议成立并删除该条").click()
    handled = bureau.locator("#objections").inner_text()
    assert "已驳回" in handled
    assert "成立" in handled
    assert "待处理" not in handled
    assert "机电一体化技术" not in bureau.locator("#annex1").inner_text()
    snap(bureau, "bureau-objections-handled")
    # the period recorded as it ran (ended yesterday): now the list can be published
    bureau.get_by_label("公示开始日期").fill((TODAY - timedelta(days=7)).isoformat())
    bureau.get_by_label("公示结束日期").fill((TODAY - timedelta(days=1)).isoformat())
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.get_by_role("button", name="开始公示").click()
    bureau.get_by_label(re.compile("我已核对")).check()
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
        bureau.get_by_role("button", name="发布").click()
    checksum = bureau.locator("#checksum").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", checksum)
    snap(bureau, "bureau-published")

    # 7. the public sees it: the list page and the public API (no token, no cookie)
    base = bureau.url.split("/admin")[0]
    listed = httpx.get(f"{base}/api/v1/publications/GZ-HRSS-2025/latest", timeout=30).json()
    assert str(listed["id"]) == publication
    assert listed["checksum"] == checksum
    assert listed["document_number"] == "穗人社函〔2025〕18号"
    response = public.goto(f"/publications/{publication}")
    assert response is not None
    assert response.status == 200
    annex = public.locator("table").first.inner_text()
    assert "低空经济无人机技术" in annex
    assert "8213" in annex
    assert "智能装备运行与维护" in annex
    assert "机电一体化技术" not in annex
    assert checksum in public.content()
    snap(public, "public-list")
    programs = httpx.get(
        f"{base}/api/v1/programs", params={"college": COLLEGE, "year": 2025}, timeout=30
    ).json()["items"]
    status = {(p["major_code"], p["intake"], p["level"]): p["status"] for p in programs}
    assert status[("8213", "初中起点", "高级")] == "active"
    assert status[("0127", "初中起点", "高级")] == "withdrawn"  # overturned: never ran

    # 8. the round is closed; the late filing is still decided; the correction picks it up
    late_headers = {"Authorization": f"Bearer {late_token}"}
    again = httpx.post(
        f"{base}/api/v1/filings",
        headers=late_headers,
        json={
            "college": LATE_COLLEGE,
            "year": 2025,
            "entries": [LATE_ENTRY | {"level": "中级", "length_years": 3}],
        },
        timeout=30,
    ).json()
    refused = httpx.post(
        f"{base}/api/v1/filings/{again['id']}/submit", headers=late_headers, json={}, timeout=30
    )
    assert refused.status_code == 409
    assert refused.json()["error"] == "round_closed"
    reviewer.goto(f"/filings/{late_filing}")
    reviewer.get_by_role("button", name="通过所有无问题的条目（1 条）").click()  # in place (htmx)
    expect(reviewer.locator("#entry-0 .badge.decision-approved")).to_have_count(1)
    bureau.goto(list_url)
    bureau.get_by_label("勘误原因").fill("补入 4 月 25 日批准的广州市技师学院机电一体化技术")
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.get_by_role("button", name="勘误").click()
    late = bureau.locator("#annex1 tr", has_text="广州市技师学院")
    assert "勘误新增" in late.inner_text()
    snap(bureau, "bureau-correction-draft")
    bureau.get_by_label(re.compile("我已核对")).check()
    with bureau.expect_navigation():  # the notice comes in a cookie, not the URL
        bureau.once("dialog", lambda dialog: dialog.accept())  # asks first
        bureau.get_by_role("button", name="发布").click()
    latest = httpx.get(f"{base}/api/v1/publications/GZ-HRSS-2025/latest", timeout=30).json()
    assert latest["revision"] == 2
    assert latest["corrects"] == int(publication)
    assert "广州市技师学院" in {e["college"] for e in latest["entries"]}
    snap(bureau, "bureau-correction-published")


def test_a_stale_save_in_the_page_keeps_both_versions(browser, live_server, screenshot):
    """Two clerks of one college edit the same draft: the later save is refused, says who saved
    first, shows their version and keeps the clerk's own edit in the grid; saving again works."""
    engine = live_server.engine
    first = make_token(engine, role="college", college="4401J003", name="教务处 刘老师")
    second = make_token(engine, role="college", college="4401J003", name="教务处 黄老师")
    one, page_one = _person(browser, live_server, first)
    two, page_two = _person(browser, live_server, second)
    try:
        page_one.goto("/filings/new")
        page_one.get_by_label("申报年度").fill("2026")
        page_one.get_by_role("button", name="在线逐行填写").click()
        page_one.wait_for_url(re.compile(r"/filings/\d+$"))
        typed = {"专业代码": "0127", "专业": "机电一体化技术", "专业类别": "机械类"}
        typed |= {"层次": "初中起点", "级别": "高级", "学制": "5"}
        for column, value in typed.items():
            page_one.get_by_label(f"空行（填写即新增一条） {column}", exact=True).fill(value)
        with page_one.expect_navigation():  # the notice comes in a cookie, not the URL
            page_one.get_by_role("button", name="保存").click()
        url = page_one.url.split("?")[0]
        assert "2026" in page_one.locator("dl.facts").inner_text()

        page_two.goto(url)  # both read version 2
        page_one.get_by_label("学制 1", exact=True).fill("3")
        page_one.get_by_label("级别 1", exact=True).fill("中级")
        with page_one.expect_navigation():  # the notice comes in a cookie, not the URL
            page_one.get_by_role("button", name="保存").click()

        page_two.get_by_label("备注 1", exact=True).fill("新增层次")
        page_two.get_by_role("button", name="保存").click()
        stale = page_two.locator("#stale").inner_text()
        assert "教务处 刘老师" in stale
        assert "北京时间" in stale
        assert "第 3 版" not in stale
        assert "中级" in page_two.locator("#current-version").inner_text()
        # nothing lost: the clerk's own edit is still in the grid
        assert page_two.get_by_label("备注 1", exact=True).input_value() == "新增层次"
        screenshot(page_two, f"cycle-{BACKEND}-stale-save")
        with page_two.expect_navigation():  # the notice comes in a cookie, not the URL
            page_two.get_by_role("button", name="保存").click()
        assert page_two.get_by_label("备注 1", exact=True).input_value() == "新增层次"
    finally:
        one.close()
        two.close()
