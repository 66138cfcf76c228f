"""Staff pages in-process (issue 25): what a reviewer, a clerk or an admin gets from a page,
checked without a browser (the browser walks are in test_role_walks.py)."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_user

PASSWORD = "correct horse battery"


def test_the_reviewers_search_with_every_round_answers_the_queue(seeded_client, tokens):
    """Item 1: 全部批次 is round= (empty); it answered 422 validation_error."""
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    query = "/review?round=&college=%E5%B9%BF%E5%B7%9E&major=&status=submitted"
    answer = seeded_client.get(query, headers=reviewer)
    assert answer.status_code == 200, answer.text[:300]
    assert 'id="round"' in answer.text
    assert 'value="广州"' in answer.text
    chosen = seeded_client.get("/review?round=abc&status=submitted", headers=reviewer)
    assert chosen.status_code == 200  # a hand-typed round is ignored, not an error page


def _signed_in(client, seeded, username: str, role: str, **binding: str) -> None:
    make_user(seeded, username=username, password=PASSWORD, role=role, **binding)
    client.cookies.clear()
    token = client.get("/login").cookies["csrf"]
    form = {"username": username, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 303


@pytest.mark.audit_unchecked  # a sign-in answers 303 and records one
def test_staff_land_on_their_desk_and_every_header_links_to_it(seeded_client, seeded):
    """Item 2: signing in leads to / (contract), which is the desk for a signed-in person."""
    anonymous = seeded_client.get("/")
    assert 'class="desk-link"' not in anonymous.text
    assert 'role="search"' in anonymous.text
    _signed_in(seeded_client, seeded, "desk-clerk", "college", college="4401J001")
    home = seeded_client.get("/")
    assert "<h1>工作台</h1>" in home.text
    assert 'role="search"' in home.text
    for path in ("/programs", "/colleges/4401J001", "/account", "/majors?q=数控"):
        page = seeded_client.get(path)
        assert page.status_code == 200, path
        assert 'href="/desk" class="desk-link"' in page.text, path
    assert 'href="/filings">我的申报</a>' in home.text


def test_a_college_lists_its_filings_of_every_round(seeded_client, tokens):
    """Item 2: 我的申报 — every filing of the college with its round by name, state, counts."""
    admin = tokens("admin", authority="GZ-HRSS")
    college = tokens("college", college="4401J001")
    window = {"opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-12-31T00:00:00Z"}
    made = []
    for year, title in ((2025, "2025 新增专业"), (2026, "2026 新增专业")):
        answer = seeded_client.post(
            "/api/v1/rounds", headers=admin, json={"year": year, "title": title, **window}
        )
        assert answer.status_code == 201, answer.text
        body = {"college": "4401J001", "year": year, "entries": [{"major_code": "07O2"}]}
        filing = seeded_client.post("/api/v1/filings", headers=college, json=body)
        assert filing.status_code == 201, filing.text
        made.append(filing.json())
    page = seeded_client.get("/filings", headers=college)
    assert page.status_code == 200
    for filing in made:
        assert f'href="/filings/{filing["id"]}"' in page.text
    assert "2025 新增专业" in page.text
    assert "2026 新增专业" in page.text
    assert "广州市人力资源和社会保障局" in page.text
    assert "GZ-HRSS" not in page.text
    assert "草稿" in page.text
    other = seeded_client.get("/filings", headers=tokens("reviewer", authority="GZ-HRSS"))
    assert other.status_code == 403  # a college's page


def test_a_notice_after_a_redirect_is_shown_once_and_never_in_the_url(app, seeded):
    """Item 4: ?notice=web.filings.saved in the address bar became a cookie shown once (every
    handler's redirect goes through the session layer; a probe route stands for them)."""
    from fastapi.testclient import TestClient

    from app.web.templating import redirect

    app.add_api_route("/probe-redirect", lambda: redirect("/programs?notice=web.filings.saved&a=1"))
    with TestClient(app) as client:
        answer = client.get("/probe-redirect", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/programs?a=1"
        assert answer.cookies["flash"] == "web.filings.saved"
        shown = client.get("/programs?a=1")
        assert "已保存" in shown.text
        assert 'class="notice"' in shown.text
        assert "flash" not in client.cookies  # deleted by the page that showed it
        assert 'class="notice"' not in client.get("/programs?a=1").text
        client.cookies.set("flash", "made.up.text")  # only the pages' catalog keys are shown
        assert 'class="notice"' not in client.get("/programs").text


def _submitted_with_remark(seeded_client, tokens) -> dict:
    from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing

    window = {"opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-12-31T00:00:00Z"}
    made = seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin", authority="GZ-HRSS"),
        json={"year": 2025, "title": "2025 新增专业", **window},
    )
    assert made.status_code == 201, made.text
    entry = BASE | {"remark": "校企合作：广汽集团订单班"}
    return submitted_filing(
        seeded_client, tokens("college", college=GZ_COLLEGE), GZ_COLLEGE, [entry]
    )


def test_the_reviewer_decides_with_the_category_remark_and_round_in_view(seeded_client, tokens):
    """Item 3: the decision table dropped 专业类别 and 备注 (the clerk's remark); item 4: the
    filing page spoke of "版本 N" and gave no round."""
    filing = _submitted_with_remark(seeded_client, tokens)
    page = seeded_client.get(
        f"/filings/{filing['id']}", headers=tokens("reviewer", authority="GZ-HRSS")
    )
    table = page.text.split('id="decide-area"')[1]
    assert "校企合作：广汽集团订单班" in table
    assert "机械类" in table
    assert ">备注<" in table
    assert "广州市人力资源和社会保障局 · 2025 新增专业" in page.text
    assert "版本" not in page.text
    assert "北京时间" in page.text
    assert 'hx-post="/filings/' in table
    assert "data-confirm=" in table


@pytest.mark.audit_unchecked  # a sign-in answers 303 and records one
def test_a_refused_rejection_leaves_the_address_bar_on_the_filing(seeded_client, seeded, tokens):
    """Item 6: a refused 不予通过 rendered the page under the POST's URL."""
    filing = _submitted_with_remark(seeded_client, tokens)
    _signed_in(seeded_client, seeded, "reviewer-b", "reviewer", authority="GZ-HRSS")
    page = seeded_client.get(f"/filings/{filing['id']}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    url = f"/filings/{filing['id']}/entries/0/decision"
    form = {"csrf_token": token, "decision": "rejected", "reason-0": ""}
    refused = seeded_client.post(url, data=form, follow_redirects=False)
    assert refused.status_code == 303, refused.text[:400]
    assert refused.headers["location"] == f"/filings/{filing['id']}#entry-0"
    shown = seeded_client.get(f"/filings/{filing['id']}")
    assert 'class="form-error" role="alert"' in shown.text
    assert "理由" in shown.text
    again = seeded_client.get(f"/filings/{filing['id']}")
    assert 'class="form-error"' not in again.text  # shown once
    seeded_client.cookies.set("refusal", "5LiN6KGM.0123456789abcdef0123456789abcdef")
    assert 'class="form-error"' not in seeded_client.get(f"/filings/{filing['id']}").text


def test_the_admin_pages_name_bindings_and_offer_pick_lists(seeded_client, seeded, tokens):
    """Item 8: the user list hid each user's college or authority; codes were typed by hand;
    the round form showed 2027-01-01 00:00 under 2026-12-31 24:00; two panels were both
    labelled 修改原因."""
    admin = tokens("admin", authority="GZ-HRSS")
    made = seeded_client.post(
        "/api/v1/rounds",
        headers=admin,
        json={"year": 2026, "title": "2026", "opens_at": "2026-01-01", "closes_at": "2026-12-31"},
    )
    assert made.status_code == 201, made.text
    round_page = seeded_client.get(f"/admin/rounds/{made.json()['id']}", headers=admin).text
    assert 'name="closes_at" type="date" value="2026-12-31"' in round_page
    assert 'name="closes_at_time" type="time" value=""' in round_page
    assert "即 2026-12-31 24:00（北京时间）" in round_page
    assert round_page.count("修改原因（记入审计日志）") == 1
    assert "提前结束的原因" in round_page
    make_user(seeded, username="bound-clerk", password=PASSWORD, role="college", college="4401J001")
    page = seeded_client.get("/admin/users", headers=admin).text
    assert 'data-label="所属单位">广州市技师学院</td>' in page
    assert '<option value="GZ-HRSS"' in page
    assert "广州市人力资源和社会保障局（GZ-HRSS）" in page
    assert '<option value="4401J001">广州市技师学院</option>' in page
    assert 'value="GD-HRSS"' not in page  # only what this admin governs


def test_static_files_are_versioned_and_cached_long_and_htmx_loads_only_where_used(client):
    """Item 11: /favicon.ico was 404, no meta description, static files without Cache-Control,
    the 52 KB htmx on every page."""
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO
    home = client.get("/").text
    assert '<meta name="description" content="' in home
    assert "htmx" not in home
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', home).group(1)
    versioned = client.get(css)
    assert versioned.status_code == 200
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert client.get("/static/css/app.css").headers["cache-control"] == "no-cache"
    assert client.get("/static/css/app.css?v=0000000000").headers["cache-control"] == "no-cache"
    assert "/static/vendor/htmx/htmx.min.js?v=" in client.get("/majors").text


def test_the_province_decides_with_the_entry_as_filed(seeded_client, tokens):
    """Item 3: the referral page showed the school as 4401J001, "#3" for the entry, and no
    层次, 学制 or remark."""
    from tests.filings.helpers import GZ_COLLEGE

    seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin", authority="GZ-HRSS"),
        json={"year": 2025, "title": "2025", "opens_at": "2020-01-01", "closes_at": "2099-12-31"},
    )
    college = tokens("college", college=GZ_COLLEGE)
    proposal = {
        "major_name": "低空经济无人机技术",
        "category": "交通类",
        "intake": "高中起点",
        "level": "高级",
        "length_years": 3,
        "remark": "本市低空经济产业急需",
    }
    body = {"college": GZ_COLLEGE, "year": 2025, "entries": [proposal]}
    filing = seeded_client.post("/api/v1/filings", headers=college, json=body).json()
    assert seeded_client.post(f"/api/v1/filings/{filing['id']}/submit", headers=college).is_success
    referred = seeded_client.post(
        f"/api/v1/filings/{filing['id']}/entries/0/decision",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={"decision": "referred", "reason": "广州市急需，建议批准"},
    )
    assert referred.status_code == 200, referred.text
    province = tokens("admin", authority="GD-HRSS")
    listed = seeded_client.get("/api/v1/referrals", headers=province).json()["items"]
    referral = next(r for r in listed if r["filing"] == filing["id"])
    page = seeded_client.get(f"/referrals/{referral['id']}", headers=province).text
    facts = page.split('class="facts"')[1].split("</dl>")[0]
    for shown in ("广州市技师学院", "高中起点", "高级", "三年", "本市低空经济产业急需"):
        assert shown in facts, shown
    assert "广州市急需，建议批准" in facts
    assert 'id="entry-row">1<' in facts


@pytest.mark.audit_unchecked  # a sign-in answers 303 and records one
def test_a_rounds_deadline_is_a_day_and_an_optional_time_shown_as_the_page_shows_it(
    seeded_client, seeded
):
    """Item 8 / 4: the form showed 2027-01-01 00:00 while the page said 2026-12-31 24:00. The
    deadline is typed as a day (24:00 of it) with an optional time of day, in 北京时间."""
    _signed_in(seeded_client, seeded, "round-admin", "admin", authority="GZ-HRSS")
    listing = seeded_client.get("/admin/rounds").text
    assert "时间均为北京时间" in listing
    assert "Asia/Shanghai" not in listing
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    form = {"csrf_token": token, "year": "2031", "title": "2031 新增专业"}
    form |= {"opens_at": "2031-01-01", "closes_at": "2031-12-31", "closes_at_time": ""}
    made = seeded_client.post("/admin/rounds", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text[:400]
    url = made.headers["location"].split("?")[0]
    page = seeded_client.get(url).text
    assert "2031-12-31 24:00（北京时间）" in page
    assert 'name="closes_at" type="date" value="2031-12-31"' in page
    assert 'name="opens_at" type="date" value="2031-01-01"' in page

    edit = {"csrf_token": token, "title": "2031 新增专业", "reason": "延期"}
    edit |= {"opens_at": "2031-01-01", "closes_at": "2032-01-15", "closes_at_time": "17:30"}
    assert seeded_client.post(url, data=edit, follow_redirects=False).status_code == 303
    page = seeded_client.get(url).text
    assert "2032-01-15 17:30（北京时间）" in page
    assert 'name="closes_at_time" type="time" value="17:30"' in page
    api = seeded_client.get(f"/api/v1/rounds/{url.rsplit('/', 1)[1]}").json()
    assert api["closes_at"] == "2032-01-15T09:30:00Z"  # 17:30 北京时间, RFC 3339 in UTC

    bad = {**edit, "closes_at_time": "25:99"}
    refused = seeded_client.post(url, data=bad, follow_redirects=False)
    assert refused.status_code == 422
    assert "不是有效的日期或时刻" in refused.text


@pytest.mark.audit_unchecked  # a sign-in answers 303 and records one
def test_my_signed_in_browsers_are_listed_in_beijing_time(seeded_client, seeded):
    """Item 4: /account printed the sessions' UTC times with no zone (8 h off for a clerk)."""
    before = datetime.now(UTC)
    _signed_in(seeded_client, seeded, "zone-clerk", "college", college="4401J001")
    page = seeded_client.get("/account").text
    after = datetime.now(UTC)
    row = re.sub("<[^>]+>", "", page.split('data-label="登录时间">')[1].split("</td>")[0])
    shanghai = ZoneInfo("Asia/Shanghai")
    shown = {f"{m.astimezone(shanghai):%Y-%m-%d %H:%M}" for m in (before, after)}
    assert any(row.startswith(s) for s in shown), row
    assert "北京时间" in row
    assert not any(f"{m:%Y-%m-%d %H:%M}" in page for m in (before, after))  # not UTC


@pytest.mark.audit_unchecked  # a sign-in answers 303 and records one
def test_submitting_after_the_deadline_says_the_window_in_beijing_time(
    seeded_client, seeded, tokens
):
    """Item 4: the refusal printed the round's window in UTC without a zone (8 h off): the round
    closing at 17:30 北京时间 read "2021-03-05 09:30"."""
    from tests.filings.helpers import BASE, GZ_COLLEGE

    window = {"opens_at": "2021-01-04T01:00:00Z", "closes_at": "2021-03-05T09:30:00Z"}
    made = seeded_client.post(
        "/api/v1/rounds",
        headers=tokens("admin", authority="GZ-HRSS"),
        json={"year": 2025, "title": "2025 新增专业", **window},
    )
    assert made.status_code == 201, made.text
    _signed_in(seeded_client, seeded, "late-clerk", "college", college=GZ_COLLEGE)
    filing = seeded_client.post(
        "/api/v1/filings",
        headers=tokens("college", college=GZ_COLLEGE),
        json={"college": GZ_COLLEGE, "year": 2025, "entries": [BASE]},
    ).json()
    page = seeded_client.get(f"/filings/{filing['id']}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "version": str(filing["version"])}
    refused = seeded_client.post(f"/filings/{filing['id']}/submit", data=form)
    assert refused.status_code == 409
    said = refused.text.split('class="form-error" role="alert">')[1].split("</p>")[0]
    expected = "申报批次开放时间为 2021-01-04 09:00 至 2021-03-05 17:30（北京时间）"
    assert said == f"不在申报批次开放时间内：{expected}", said
    api = seeded_client.post(
        f"/api/v1/filings/{filing['id']}/submit", headers=tokens("college", college=GZ_COLLEGE)
    ).json()
    assert api["detail"]["findings"][0]["message"] == expected
