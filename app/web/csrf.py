"""CSRF protection of every form.

A signed-in browser's forms carry a token bound to its session (a synchronizer token): the
SHA-256 of a label and the session cookie's secret, which only this browser holds (HttpOnly).
Another site can make the browser send its cookies but cannot read the page or the cookie, so it
cannot fill the field; a token taken from another session, or a ``csrf`` cookie planted by a
neighbouring subdomain, matches nothing; the token ends with the session (sign-out, revocation).
Forms a visitor submits before signing in (the login form) use a double submit instead: a random
``csrf`` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) and the same value in the form's
hidden ``csrf_token`` field (``{{ csrf_input(request) }}``). A POST whose field does not match is
refused with 403 ``csrf_failed``."""

import base64
import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from app import headers
from app.errors import Forbidden
from app.web.session import COOKIE as SESSION_COOKIE

COOKIE = "csrf"
FIELD = "csrf_token"
MAX_AGE = 60 * 60 * 24 * 30


def is_https(request: Request) -> bool:
    """The request reached the registry over HTTPS: served with TLS itself, or through a
    proxy of ``REGISTRY_TRUSTED_PROXIES`` that says ``X-Forwarded-Proto: https`` (as the
    request context decides for HSTS). Cookies are ``Secure`` then."""
    return headers.is_https(request.scope, request.app.state.settings.trusted_proxy_list)


def _session_secret(request: Request) -> str | None:
    """The session cookie of a signed-in browser (``SessionLayer`` found its session)."""
    if getattr(request.state, "session_id", None) is None:
        return None
    return request.cookies.get(SESSION_COOKIE) or None


def session_token(secret: str) -> str:
    """The form token of the session whose cookie holds ``secret``."""
    digest = hashlib.sha256(b"registry csrf\0" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_for(request: Request) -> str:
    """The request's token: its session's when signed in; else its ``csrf`` cookie's, or a new
    one ``set_cookie_if_new`` will send."""
    secret = _session_secret(request)
    if secret is not None:
        return session_token(secret)
    existing = request.cookies.get(COOKIE)
    if existing and len(existing) >= 32:
        return existing
    new = getattr(request.state, "csrf_new", None)
    if new is None:
        new = secrets.token_urlsafe(32)
        request.state.csrf_new = new
    return new


def set_cookie_if_new(request: Request, response: Response) -> None:
    new = getattr(request.state, "csrf_new", None)
    if new is not None:
        response.set_cookie(
            COOKIE,
            new,
            max_age=MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=is_https(request),
            path="/",
        )


async def check_csrf(request: Request) -> None:
    """Dependency of every page POST: the form's ``csrf_token`` must be the session's token
    when signed in, else equal the ``csrf`` cookie."""
    secret = _session_secret(request)
    expected = session_token(secret) if secret is not None else request.cookies.get(COOKIE, "")
    form = await request.form()
    sent = form.get(FIELD)
    if not (expected and isinstance(sent, str) and hmac.compare_digest(expected, sent)):
        raise Forbidden(error="csrf_failed")


CsrfChecked = Annotated[None, Depends(check_csrf)]
