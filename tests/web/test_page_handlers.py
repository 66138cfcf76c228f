"""Page handlers never hold up the event loop (issue 22): a handler that uses the database is a
plain ``def`` (run in a worker thread), and argon2's hashing — tens of milliseconds a password —
runs in those threads only. In-process."""

import asyncio
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.db.depends import get_session
from app.errors import Conflict
from app.i18n import t
from app.web.csrf import session_token
from app.web.forms import attempt, message_of
from tests.factories import make_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"
# sign-ins and password changes answer 303; the audit plugin counts only 2xx as writes
pytestmark = pytest.mark.audit_unchecked


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def hashing(monkeypatch) -> list[tuple[str, str, bool]]:
    """Every argon2 hash or verify: (which, thread name, ran on a running event loop)."""
    calls: list[tuple[str, str, bool]] = []

    def spy(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(self: PasswordHasher, *args: Any, **kwargs: Any) -> Any:
            calls.append((name, threading.current_thread().name, on_event_loop()))
            return real(self, *args, **kwargs)

        return recorded

    for name in ("hash", "verify"):
        monkeypatch.setattr(PasswordHasher, name, spy(name, getattr(PasswordHasher, name)))
    return calls


@pytest.fixture
def admin_client(seeded, app) -> Iterator[TestClient]:
    make_user(seeded, username="page-admin", password=PASSWORD)
    with TestClient(app) as client:
        yield client


def sign_in(client: TestClient, password: str) -> str:
    """Signs in through the login form; the session's form token."""
    csrf = client.get("/login").cookies["csrf"]
    answer = client.post(
        "/login",
        data={"username": "page-admin", "password": password, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return session_token(answer.cookies["session"])


def test_password_hashing_never_runs_on_the_event_loop(admin_client, hashing):
    token = sign_in(admin_client, PASSWORD)  # verify
    changed = admin_client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303  # verify the current one, hash the new one
    created = admin_client.post(
        "/admin/users",
        data={"username": "clerk-new", "role": "admin", "csrf_token": token},
    )
    assert created.status_code == 200
    assert "clerk-new" in created.text
    user_id = re.search(r'/admin/users/(\d+)/reset"', created.text)
    assert user_id is not None
    reset = admin_client.post(f"/admin/users/{user_id[1]}/reset", data={"csrf_token": token})
    assert reset.status_code == 200
    assert {name for name, _, _ in hashing} == {"hash", "verify"}
    assert len(hashing) >= 4
    assert [call for call in hashing if call[2]] == []


def test_a_refused_password_change_is_shown_and_rolled_back(admin_client, hashing):
    token = sign_in(admin_client, PASSWORD)
    refused = admin_client.post(
        "/account/password",
        data={
            "current_password": "not the password",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    assert "当前密码不正确" in refused.text or "密码" in refused.text
    admin_client.cookies.clear()
    sign_in(admin_client, PASSWORD)  # the old password still holds
    assert [call for call in hashing if call[2]] == []


def uses(dependant: Dependant, call: Callable[..., Any]) -> bool:
    """``call`` is among the dependencies of ``dependant``, at any depth."""
    return any(d.call is call or uses(d, call) for d in dependant.dependencies)


def page_routes(app) -> list[APIRoute]:
    """Every route of the pages (``app/web``), the included routers' too."""
    return [
        context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and context.original_route.endpoint.__module__.startswith("app.web")
    ]


def test_no_async_page_handler_takes_a_database_session(app):
    """An ``async def`` page handler runs on the event loop: it may await (``run_read``'s
    bounded reads), never hold a session. The check sees a session where there is one."""
    routes = page_routes(app)
    account = next(r for r in routes if r.path == "/account" and "GET" in r.methods)
    assert uses(account.dependant, get_session)
    offenders = [
        f"{sorted(route.methods)} {route.path}"
        for route in routes
        if inspect.iscoroutinefunction(route.endpoint) and uses(route.dependant, get_session)
    ]
    assert offenders == []


class Rollbacks:
    """A stand-in session that counts its rollbacks."""

    def __init__(self) -> None:
        self.count = 0

    def rollback(self) -> None:
        self.count += 1


class Year(BaseModel):
    year: int


def refuse(exc: Exception) -> Callable[[], None]:
    def act() -> None:
        raise exc

    return act


def test_attempt_hands_back_the_result_or_the_refusal_rolled_back():
    session = Rollbacks()
    assert attempt(session, lambda: 7) == (7, None)
    assert session.count == 0

    conflict = Conflict(error="user_exists", username="x")
    assert attempt(session, refuse(conflict)) == (None, conflict)

    _, bad_date = attempt(session, lambda: date.fromisoformat("2026-13-45"))
    assert bad_date is not None
    assert bad_date.status_code == 422
    assert message_of(bad_date) == t("web.form.invalid")  # not Python's English

    _, bad_field = attempt(session, lambda: Year(year="二〇二六"))
    assert bad_field is not None
    assert bad_field.error == "validation_error"
    assert message_of(bad_field) == t("validation.int_parsing")
    assert session.count == 3
