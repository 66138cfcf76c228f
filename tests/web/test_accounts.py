"""Accounts in the browser: signing in and out, throttling, one-time passwords, CSRF, sessions,
tokens and the admin's users page — users created with `registry user create` as fixed in
contract.md (Accounts)."""

import uuid

import httpx

from tests.web.helpers import PASSWORD, registry_command


def test_sign_in_with_a_password_and_sign_out(page, live_server, make_user, sign_in, screenshot):
    name = make_user("college", college="4401J001")
    page.goto("/login")
    screenshot(page, "login-desktop")
    sign_in(page, name, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")  # contract: success leads to /
    assert page.get_by_role("link", name=name).is_visible()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["session"]["httpOnly"]
    assert cookies["session"]["sameSite"] == "Lax"
    assert PASSWORD not in page.url
    assert cookies["session"]["value"] not in page.url
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="登录").is_visible()
    assert page.get_by_role("link", name=name).count() == 0


def test_wrong_passwords_warn_then_slow_down_without_locking(page, make_user, sign_in):
    """Issue 25 item 9: a warning before the delay, then a delay for this address only (the
    other address is tested in-process: tests/access/test_sign_in.py)."""
    name = make_user("college", college="4401J001")
    for attempt in range(5):
        sign_in(page, name, "wrong password!")
        assert page.get_by_text("用户名或密码不正确").is_visible()
        assert page.get_by_text("再输错").is_visible() == (attempt >= 2)
    sign_in(page, name, "wrong password!")
    assert page.get_by_text("登录失败次数过多，请 30 秒后再试").is_visible()
    assert page.get_by_role("link", name=name).count() == 0


def test_a_form_post_without_its_csrf_field_is_refused(page, live_server, make_user):
    name = make_user("college", college="4401J001")
    page.goto("/login")  # the browser now holds a csrf cookie, like a real visitor
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    form = {"username": name, "password": PASSWORD}
    with httpx.Client(base_url=live_server.url, cookies=cookies) as client:
        refused = client.post("/login", data=form, headers={"Accept": "text/html"})
        assert refused.status_code == 403
        assert "session" not in refused.cookies
        assert "csrf_failed" in refused.text
        forged = client.post("/login", data=form | {"csrf_token": "x" * 43})
        assert forged.status_code == 403
        right = client.post("/login", data=form | {"csrf_token": cookies["csrf"]})
        assert right.status_code == 303
        assert right.headers["location"] == "/"


def test_a_signed_in_form_carries_a_token_bound_to_its_session(
    page, browser, live_server, make_user, sign_in
):
    from app.web.csrf import session_token

    name = make_user("college", college="4401J001")
    sign_in(page, name, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    field = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert field == session_token(cookies["session"])
    assert field != cookies.get("csrf")

    other = browser.new_context(base_url=live_server.url, locale="zh-CN")  # another session
    try:
        sign_in(other.new_page(), name, PASSWORD)
        other_session = {c["name"]: c["value"] for c in other.cookies()}["session"]
    finally:
        other.close()
    with httpx.Client(base_url=live_server.url, cookies=cookies) as client:
        for wrong in (cookies.get("csrf", "y" * 43), session_token(other_session), "x" * 43):
            refused = client.post("/logout", data={"csrf_token": wrong})
            assert refused.status_code == 403
            assert "csrf_failed" in refused.text
        signed_out = client.post("/logout", data={"csrf_token": field})
        assert signed_out.status_code == 303
    page.reload()
    assert page.get_by_role("link", name="登录").is_visible()  # the session ended


def test_a_one_time_password_must_be_changed_first(page, live_server, sign_in):
    name = f"clerk-{uuid.uuid4().hex[:8]}"
    done = registry_command(
        live_server, "user", "create", name, "--role=college", "--college=4401J001"
    )
    assert done.returncode == 0, done.stderr
    one_time = done.stdout.strip()
    assert done.stdout == one_time + "\n"
    assert len(one_time) >= 12
    sign_in(page, name, one_time)
    page.wait_for_url("**/account/password**")
    page.goto("/programs")  # anything else waits until the password is changed
    page.wait_for_url("**/account/password**")
    page.get_by_label("当前密码").fill(one_time)
    page.get_by_label("新密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入新密码").fill(PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url(lambda url: "/account/password" not in url)
    page.goto("/programs")
    assert page.get_by_role("heading", name="专业设置").is_visible()


def test_sessions_are_listed_and_revocable_and_tokens_belong_to_the_user(
    browser, live_server, make_user, sign_in, screenshot
):
    name = make_user("college", college="4401J001")
    first = browser.new_context(locale="zh-CN", base_url=live_server.url)
    second = browser.new_context(locale="zh-CN", base_url=live_server.url)
    try:
        a, b = first.new_page(), second.new_page()
        sign_in(a, name, PASSWORD)
        sign_in(b, name, PASSWORD)
        a.goto("/account")
        assert a.locator("table").first.locator("tbody tr").count() == 2
        a.once("dialog", lambda dialog: dialog.accept())  # asks first
        a.get_by_role("button", name="注销").first.click()  # the other browser's session
        b.goto("/account")
        b.wait_for_url("**/login**")  # signed out there
        a.goto("/account")
        a.get_by_label("令牌名称").fill("script")
        a.get_by_role("button", name="新建令牌").click()
        token = a.locator("#new-token").inner_text()
        assert token.startswith("reg_")
        assert token not in a.url
        me = httpx.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["role"] == "college"
        assert me.json()["college"] == "4401J001"
        screenshot(a, "account-desktop")
    finally:
        first.close()
        second.close()


def test_an_admin_manages_the_authoritys_users(page, make_user, sign_in, screenshot):
    admin = make_user("admin", authority="GZ-HRSS")
    sign_in(page, admin, PASSWORD)
    page.goto("/admin/users")
    new = f"clerk-{uuid.uuid4().hex[:8]}"
    page.get_by_label("用户名").fill(new)
    page.get_by_label("院校代码（院校用户）").fill("4401J001")
    page.get_by_role("button", name="创建").click()
    assert page.locator("#one-time-password").inner_text().strip()
    assert page.get_by_role("cell", name=new).is_visible()
    screenshot(page, "users-desktop")
