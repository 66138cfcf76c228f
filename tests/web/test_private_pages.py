"""Private pages never land in a shared cache, and cookies are Secure over HTTPS (issue 25
item 10). In-process: every GET page route of ``app/web`` is walked by each role, so a new page
is covered without naming it here (a new path parameter needs a sample below)."""

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import app.web
from app.config import Settings
from app.main import create_app
from tests.factories import make_user

PASSWORD = "correct horse battery"
# a value for each path parameter of the pages (ids that may or may not exist: an error page
# is an answer like any other)
SAMPLES = {
    "round_id": "1",
    "publication_id": "1",
    "filing_id": "1",
    "program_id": "1",
    "referral_id": "1",
    "code": "4401J001",
    "locale": "zh-CN",
    "series": "1",
}
# a sign-in answers 303 and records user.sign_in; the audit plugin counts only 2xx as writes
pytestmark = pytest.mark.audit_unchecked


def page_paths() -> list[str]:
    paths = set()
    for module in pkgutil.iter_modules(app.web.__path__):
        router = getattr(importlib.import_module(f"app.web.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            if "GET" in (route.methods or ()):
                paths.add(route.path)
    return sorted(paths)


def filled(path: str) -> str:
    def sample(match: re.Match) -> str:
        name = match.group(1)
        assert name in SAMPLES, f"add a sample value for {{{name}}} ({path}) to SAMPLES"
        return SAMPLES[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", sample, path)


@pytest.fixture
def proxied(database_url, seeded) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, trusted_proxies="testclient")
    with TestClient(create_app(settings, seeded)) as client:
        yield client


def sign_in(client: TestClient, username: str, **headers: str):
    client.cookies.clear()
    token = client.get("/login", headers=headers).cookies["csrf"]
    client.cookies.clear()  # a Secure cookie is not sent over the test's plain HTTP: send it
    return client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        headers={"Cookie": f"csrf={token}", **headers},
        follow_redirects=False,
    )


def varies_with_cookie(answer) -> bool:
    vary = [v.strip().lower() for v in answer.headers.get("vary", "").split(",")]
    return "cookie" in vary


@pytest.mark.parametrize(
    ("role", "binding"),
    [
        ("admin", {}),
        ("admin", {"authority": "GZ-HRSS"}),
        ("reviewer", {"authority": "GZ-HRSS"}),
        ("college", {"college": "4401J001"}),
    ],
)
def test_every_signed_in_page_is_private_and_varies_with_the_cookie(proxied, seeded, role, binding):
    username = f"walker-{role}-{len(binding)}"
    make_user(seeded, username=username, password=PASSWORD, role=role, **binding)
    assert sign_in(proxied, username).status_code == 303
    walked = []
    for path in page_paths():
        answer = proxied.get(filled(path), follow_redirects=False)
        assert answer.status_code < 500, path
        control = answer.headers.get("cache-control", "")
        assert control in ("private, no-cache", "private, no-store"), (path, control)
        assert varies_with_cookie(answer), path
        walked.append(path)
    assert "/desk" in walked
    assert "/account" in walked
    assert "/programs" in walked


def test_the_answers_showing_a_secret_once_are_not_stored(proxied, seeded):
    make_user(seeded, username="token-maker", password=PASSWORD)
    sign_in(proxied, "token-maker")
    account = proxied.get("/account")
    token = re.search(r'name="csrf_token" value="([^"]+)"', account.text).group(1)
    created = proxied.post("/account/tokens", data={"name": "script", "csrf_token": token})
    assert created.status_code == 200
    assert "reg_" in created.text
    assert created.headers["cache-control"] == "private, no-store"
    assert varies_with_cookie(created)
    made = proxied.post(
        "/admin/users", data={"username": "new-clerk", "role": "admin", "csrf_token": token}
    )
    assert made.status_code == 200
    assert made.headers["cache-control"] == "private, no-store"


def test_a_public_page_is_the_same_for_everyone_or_marked_so(proxied, seeded):
    proxied.cookies.clear()
    anonymous = proxied.get("/programs")
    assert varies_with_cookie(anonymous)  # a shared cache keys it on the (absent) cookie
    assert "private" not in anonymous.headers.get("cache-control", "")
    make_user(seeded, username="reader", password=PASSWORD)
    sign_in(proxied, "reader")
    personal = proxied.get("/programs")
    assert "reader" in personal.text
    assert "reader" not in anonymous.text
    assert personal.headers["cache-control"] == "private, no-cache"
    login = proxied.get("/login", headers={"Cookie": ""})  # a visitor's form token: private
    assert login.headers["cache-control"] == "private, no-cache"


def secure(answer, name: str) -> bool:
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{name}="))
    return "secure" in [part.strip().lower() for part in cookie.split(";")]


def test_cookies_are_secure_behind_a_trusted_proxy_saying_https(proxied, seeded):
    make_user(seeded, username="behind-proxy", password=PASSWORD)
    https = {"X-Forwarded-Proto": "https"}
    proxied.cookies.clear()
    assert secure(proxied.get("/login", headers=https), "csrf")
    assert secure(sign_in(proxied, "behind-proxy", **https), "session")
    assert secure(proxied.get("/lang/en", headers=https, follow_redirects=False), "lang")
    proxied.cookies.clear()
    assert not secure(proxied.get("/login"), "csrf")  # plain HTTP (a test, a local run)
    assert not secure(sign_in(proxied, "behind-proxy"), "session")


def test_an_untrusted_peer_cannot_claim_https(client, seeded):
    make_user(seeded, username="not-proxied", password=PASSWORD)
    https = {"X-Forwarded-Proto": "https"}
    assert not secure(client.get("/login", headers=https), "csrf")
    assert not secure(sign_in(client, "not-proxied", **https), "session")
