"""The session layer of the pages: a browser's ``session`` cookie becomes the signed-in user.

For every page request (not ``/api/``, not ``/static/``) with a session cookie, the user and the
``Principal`` it stands for are put on ``request.state`` (``user``, ``principal``,
``session_id``); the API never reads the cookie — it takes bearer tokens only, so a form on
another site cannot act through it. A user who must change a one-time password is sent to
/account/password first."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import anyio
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import accounts, headers
from app.access.principal import Principal
from app.accounts import sessions
from app.clock import utcnow

COOKIE = "session"
# the pages a user with a one-time password may still open
ALLOWED_BEFORE_CHANGE = ("/account/password", "/logout", "/lang/", "/static/")
TOUCH_SECONDS = 300  # last_seen_at is written at most this often


@dataclass(frozen=True)
class PageUser:
    id: int
    username: str
    role: str
    display: str
    must_change_password: bool


class SessionLayer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/api/", "/static/")):
            await self.app(scope, receive, send)
            return
        secret = headers.cookie(scope, COOKIE)
        found = (
            await anyio.to_thread.run_sync(_load, scope["app"].state.engine, secret)
            if secret
            else None
        )
        state = scope.setdefault("state", {})
        send = _private_pages(send, state, signed_in=found is not None)
        send = _notice_to_cookie(send, scope)
        if found is not None:
            user, principal, session_id = found
            state.update(user=user, principal=principal, session_id=session_id)
            if user.must_change_password and not path.startswith(ALLOWED_BEFORE_CHANGE):
                target = "/account/password?next=" + quote(path)
                await RedirectResponse(target, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _private_pages(send: Send, state: dict[str, Any], *, signed_in: bool) -> Send:
    """Shared caches never keep a person's page (issue 25 item 10). Every page answer varies
    with the cookies (``Vary: Cookie``: a signed-in reader gets their name and form tokens under
    the same URL as everyone); a signed-in answer, or one holding a visitor's form token or
    setting a cookie, is ``private, no-cache`` unless the handler chose (``private, no-store``
    for the answer that shows a new token or one-time password)."""

    async def send_private(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer = headers.without(message.get("headers", []), (b"vary",))
            varies = [v for k, v in message.get("headers", []) if k.lower() == b"vary"]
            answer.append((b"vary", b", ".join([*varies, b"Cookie"])))
            personal = signed_in or state.get("csrf_used") or headers.has(answer, b"set-cookie")
            if personal and not headers.has(answer, b"cache-control"):
                answer.append((b"cache-control", b"private, no-cache"))
            message = {**message, "headers": answer}
        await send(message)

    return send_private


def _load(engine: Engine, secret: str) -> tuple[PageUser, Principal, int] | None:
    with Session(engine) as session:
        found = accounts.user_of_session(session, secret)
        if found is None:
            return None
        user, row = found
        if (utcnow() - sessions._aware(row.last_seen_at)).total_seconds() > TOUCH_SECONDS:
            row.last_seen_at = utcnow()
            session.add(row)
            session.commit()
        assert user.id is not None
        assert row.id is not None
        page_user = PageUser(
            id=user.id,
            username=user.username,
            role=user.role,
            display=user.username,
            must_change_password=user.must_change_password,
        )
        return page_user, accounts.principal_of(user), row.id


FLASH = "flash"  # the notice of the page after a redirect (a catalog key of the pages)


def _notice_to_cookie(send: Send, scope: Scope) -> Send:
    """A redirect to ``…?notice=web.filings.saved`` goes to the plain URL and hands the notice
    over in a short-lived cookie, which the next page shows once (``render``): the address bar
    and the history never carry a message key (issue 25 item 4)."""

    async def send_clean(message: Message) -> None:
        if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
            answer = list(message.get("headers", []))
            for i, (key, value) in enumerate(answer):
                if key.lower() == b"location" and b"notice=" in value:
                    url, notice = _without_notice(value.decode("latin-1"))
                    answer[i] = (key, url.encode("latin-1"))
                    if notice:
                        answer.append((b"set-cookie", _flash_cookie(scope, notice)))
            message = {**message, "headers": answer}
        await send(message)

    return send_clean


def _without_notice(url: str) -> tuple[str, str | None]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    notice = next((v for k, v in query if k == "notice"), None)
    rest = urlencode([(k, v) for k, v in query if k != "notice"])
    return urlunsplit(parts._replace(query=rest)), notice


def _flash_cookie(scope: Scope, notice: str) -> bytes:
    trusted = scope["app"].state.settings.trusted_proxy_list
    secure = "; Secure" if headers.is_https(scope, trusted) else ""
    value = quote(notice, safe="")
    return f"{FLASH}={value}; Max-Age=120; Path=/; HttpOnly; SameSite=Lax{secure}".encode()
