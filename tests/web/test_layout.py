"""The layout every page shares: the language of the page, the language switch, the search box,
locally served assets (no CDN), an HTML error page."""

import httpx


def test_home_is_chinese_with_one_labelled_search_box_and_local_assets(
    page, live_server, screenshot
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    search = page.get_by_label("搜索专业")
    assert search.count() == 1
    assert page.get_by_role("button", name="搜索").is_visible()
    # every asset comes from the registry itself: an offline intranet sees the same page
    assert requests
    assert all(url.startswith(live_server.url) for url in requests)
    assert page.evaluate("typeof htmx") == "undefined"  # loaded only where used (issue 25)
    assert page.locator("link[rel=icon]").count() == 2
    assert page.locator("meta[name=description]").get_attribute("content")
    screenshot(page, "home-desktop")
    page.goto("/majors")
    assert page.evaluate("typeof htmx") == "object"


def test_language_switch_gives_english_and_back(page):
    page.goto("/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Search majors").count() == 1
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_accept_language_en_gives_an_english_page_without_the_switch(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "en"
    finally:
        context.close()


def test_an_unknown_page_is_an_html_page_in_chinese_and_the_api_stays_json(page, live_server):
    response = page.goto("/no/such/page")
    assert response is not None
    assert response.status == 404
    assert page.get_by_role("heading", name="出错了").is_visible()
    assert page.get_by_text("没有这个地址").is_visible()
    api = httpx.get(f"{live_server.url}/api/v1/no/such", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.json()["error"] == "not_found"


def test_the_language_switch_returns_only_to_local_pages(live_server):
    response = httpx.get(f"{live_server.url}/lang/en?next=//evil.example/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
