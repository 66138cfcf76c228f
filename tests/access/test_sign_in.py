"""Password sign-in: throttling that slows guessing without locking anyone out, the same answer
for unknown and known usernames, and the password rule (issue 25 item 9). In-process, each
request from the address a trusted proxy names (X-Forwarded-For)."""

import re
import statistics
import time
from collections.abc import Iterator

import argon2
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.access import sign_in
from app.access.models import SignInFailure
from app.access.passwords import check_password_rules
from app.config import Settings
from app.errors import Invalid
from app.main import create_app
from tests.factories import make_user

PASSWORD = "correct horse battery"
# a sign-in answers 303 and records user.sign_in; the audit plugin counts only 2xx as writes
pytestmark = pytest.mark.audit_unchecked


@pytest.fixture
def proxied(database_url, seeded) -> Iterator[TestClient]:
    """A client behind a trusted proxy: ``X-Forwarded-For`` chooses the address."""
    settings = Settings(database_url=database_url, trusted_proxies="testclient")
    with TestClient(create_app(settings, seeded)) as client:
        yield client


def attempt(client: TestClient, username: str, password: str, address: str, timed=None):
    client.cookies.clear()
    form = client.get("/login", headers={"X-Forwarded-For": address})
    token = form.cookies["csrf"]
    if timed is not None:
        timed.append(time.perf_counter())
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers={"X-Forwarded-For": address},
        follow_redirects=False,
    )


def same_page(answer, username: str) -> str:
    """The page without what differs by design: the name typed and each visit's CSRF token."""
    page = answer.text.replace(username, "NAME")
    return re.sub(r'name="csrf_token" value="[^"]+"', "CSRF", page)


def test_fifty_wrong_passwords_from_one_address_do_not_stop_the_owner_elsewhere(proxied, engine):
    make_user(engine, username="clerk-a", password=PASSWORD)
    answers = [attempt(proxied, "clerk-a", "wrong password!", "203.0.113.7") for _ in range(50)]
    assert [a.status_code for a in answers[:5]] == [401] * 5
    assert answers[5].status_code == 401
    assert "Retry-After" in answers[5].headers
    assert {a.status_code for a in answers[6:]} == {429}  # waited out, not even checked
    assert "登录失败次数过多" in answers[-1].text
    # still slowed from there, even with the right password …
    assert attempt(proxied, "clerk-a", PASSWORD, "203.0.113.7").status_code == 429
    # … while the owner signs in at once from the office
    owner = attempt(proxied, "clerk-a", PASSWORD, "198.51.100.20")
    assert owner.status_code == 303
    assert owner.headers["location"] == "/"


def test_the_delay_grows_with_each_failure_and_is_warned_before(proxied, engine):
    make_user(engine, username="clerk-b", password=PASSWORD)
    warned = [attempt(proxied, "clerk-b", "wrong password!", "203.0.113.8") for _ in range(5)]
    assert "再输错" not in warned[0].text  # no warning while plenty are left
    assert "再输错 2 次" in warned[2].text
    assert "再输错 1 次" in warned[3].text
    with Session(engine) as session:
        row = session.exec(select(SignInFailure).where(SignInFailure.username == "clerk-b")).one()
        row.blocked_until = None  # pretend the first wait passed
        session.add(row)
        session.commit()
    first = attempt(proxied, "clerk-b", "wrong password!", "203.0.113.8")
    with Session(engine) as session:
        row = session.exec(select(SignInFailure).where(SignInFailure.username == "clerk-b")).one()
        row.blocked_until = None
        session.add(row)
        session.commit()
    second = attempt(proxied, "clerk-b", "wrong password!", "203.0.113.8")
    assert int(first.headers["Retry-After"]) == 30
    assert int(second.headers["Retry-After"]) == 60


def test_thirty_usernames_from_one_address_are_throttled(proxied, engine):
    make_user(engine, username="clerk-c", password=PASSWORD)
    answers = [attempt(proxied, f"guess-{i}", "wrong password!", "203.0.113.9") for i in range(30)]
    assert [a.status_code for a in answers[:20]] == [401] * 20  # the limit is 20 (a setting)
    assert {a.status_code for a in answers[20:]} == {429}
    assert int(answers[-1].headers["Retry-After"]) > 800  # until the 15-minute window ends
    assert attempt(proxied, "clerk-c", PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(proxied, "clerk-c", PASSWORD, "203.0.113.10").status_code == 303


def test_an_unknown_username_costs_the_same_argon2_work_as_a_known_one():
    from app.accounts import hashing

    assert argon2.extract_parameters(hashing.dummy_hash()) == hashing.HASHER._parameters
    stored = hashing.HASHER.hash(PASSWORD)
    assert argon2.extract_parameters(stored) == argon2.extract_parameters(hashing.dummy_hash())


def test_unknown_and_known_usernames_answer_the_same(proxied, engine, monkeypatch):
    """Same status, page and headers, and the same time. Both do one argon2 verification of
    the same cost (the test above); here argon2 is made cheap, so the time compared is that of
    everything else a sign-in does (on this shared machine one real verification takes 0.1 to
    0.8 s and its jitter alone exceeds 20 ms)."""
    from app.accounts import hashing

    cheap = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(hashing, "HASHER", cheap)
    dummy = cheap.hash("not a password of anyone")
    monkeypatch.setattr(hashing, "dummy_hash", lambda: dummy)
    make_user(engine, username="clerk-known", password=PASSWORD)
    known: list = []
    unknown: list = []
    pair = (("clerk-known", known, "192.0.2"), ("clerk-nobody", unknown, "198.51.100"))
    for i in range(60):  # alternate, each first half the time: load and order fall on both alike
        for name, times, network in pair if i % 2 else pair[::-1]:
            started: list[float] = []  # the POST alone is timed (the form's GET is not)
            answer = attempt(proxied, name, "wrong password!", f"{network}.{i}", started)
            times.append((time.perf_counter() - started[0], answer))
    for (_, a), (_, b) in zip(known, unknown, strict=True):
        assert a.status_code == b.status_code == 401
        assert same_page(a, "clerk-known") == same_page(b, "clerk-nobody")
        assert set(a.headers) == set(b.headers)
    # each pair ran back to back: the median of the pairs' differences leaves out most of what
    # the other processes of a busy machine add to one request or another
    gap = statistics.median(k - u for (k, _), (u, _) in zip(known, unknown, strict=True))
    print(f"known - unknown, median of {len(known)} pairs: {gap * 1000:.1f} ms")  # with -s
    assert abs(gap) < 0.020, f"median {gap * 1000:.1f} ms apart"
    # and they are slowed alike
    for name in ("clerk-known", "clerk-nobody"):
        answers = [attempt(proxied, name, "wrong password!", "192.0.2.200") for _ in range(7)]
        assert [a.status_code for a in answers] == [401] * 6 + [429]


def test_signing_in_forgets_that_usernames_count_there(proxied, engine):
    make_user(engine, username="clerk-d", password=PASSWORD)
    for _ in range(4):
        attempt(proxied, "clerk-d", "wrong password!", "203.0.113.11")
    assert attempt(proxied, "clerk-d", PASSWORD, "203.0.113.11").status_code == 303
    with Session(engine) as session:
        rows = session.exec(select(SignInFailure).where(SignInFailure.username == "clerk-d"))
        assert rows.all() == []
        assert sign_in.wait_seconds(session, username="clerk-d", address="203.0.113.11") is None


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short", "weak_password"),
        ("1234567890", "password_repetitive"),
        ("          ", "password_repetitive"),
        ("aaaaaaaaaaaa", "password_repetitive"),
        ("1212121212", "password_repetitive"),
        ("abcdefghijk", "password_repetitive"),
        ("password12", "password_common"),
        ("Password123!", "password_common"),
        ("woaini131452", "password_common"),
        ("qwertyuiop", "password_common"),
        ("zhangsan2026", "password_is_username"),
        ("ZhangSan", "weak_password"),
        ("Registry2026", "password_is_registry_name"),
        ("职业院校专业登记2026", "password_is_registry_name"),
    ],
)
def test_the_password_rule_refuses(password, error):
    with pytest.raises(Invalid) as refused:
        check_password_rules(password, username="zhangsan")
    assert refused.value.error == error


@pytest.mark.parametrize(
    "password", ["correct horse battery", "广州技师学院教务处2026", "k7#Pq9!zR2"]
)
def test_the_password_rule_accepts(password):
    check_password_rules(password, username="zhangsan")


def test_a_common_password_is_refused_when_changing_it(client, engine):
    from app import accounts

    make_user(engine, username="clerk-e", password=PASSWORD)
    with Session(engine) as session:
        user = session.exec(select(accounts.User).where(accounts.User.username == "clerk-e")).one()
        with pytest.raises(Invalid) as refused:
            accounts.change_password(
                session, user, current=PASSWORD, new="clerk-e2026", keep_session=None
            )
    assert refused.value.error == "password_is_username"


def test_an_admin_sees_and_clears_a_slowed_username(proxied, engine, tokens):
    make_user(engine, username="clerk-f", password=PASSWORD)
    for _ in range(6):
        attempt(proxied, "clerk-f", "wrong password!", "203.0.113.12")
    assert attempt(proxied, "clerk-f", PASSWORD, "203.0.113.12").status_code == 429
    admin = tokens("admin")
    proxied.cookies.clear()
    page = proxied.get("/admin/users", headers=admin)
    assert page.status_code == 200
    assert "登录限制" in page.text
    row = re.search(
        r'<tr>\s*<td[^>]*>clerk-f</td>.*?action="/admin/sign-ins/(\d+)/clear"', page.text, re.S
    )
    assert row is not None
    assert "203.0.113.12" in page.text
    cleared = proxied.post(
        f"/admin/sign-ins/{row.group(1)}/clear",
        data={"csrf_token": page.cookies["csrf"]},
        headers=admin,
        follow_redirects=False,
    )
    assert cleared.status_code == 303
    assert attempt(proxied, "clerk-f", PASSWORD, "203.0.113.12").status_code == 303


def test_an_authority_admin_sees_only_the_usernames_it_manages(proxied, engine, tokens):
    make_user(engine, username="clerk-g", password=PASSWORD, role="college", college="4401J001")
    attempt(proxied, "clerk-g", "wrong password!", "203.0.113.13")
    attempt(proxied, "nobody-g", "wrong password!", "203.0.113.13")
    proxied.cookies.clear()
    gz = proxied.get("/admin/users", headers=tokens("admin", authority="GZ-HRSS")).text
    assert "clerk-g" in gz
    assert "nobody-g" not in gz
    assert "该地址的所有用户名" not in gz
    other = proxied.get("/admin/users", headers=tokens("admin", authority="GZ-EDU")).text
    assert "clerk-g" not in other
