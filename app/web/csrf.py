"""CSRF protection of every form (signed double submit, OWASP's recommended stateless pattern).

The browser holds a random ``csrf`` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS); every form
carries the same value in its hidden ``csrf_token`` field (``{{ csrf_input(request) }}``). A POST
whose field does not match its cookie is refused with 403 ``csrf_failed``. Another site can make
a browser send the cookie but can neither read it nor guess it, so it cannot fill the field."""

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from app.errors import Forbidden

COOKIE = "csrf"
FIELD = "csrf_token"
MAX_AGE = 60 * 60 * 24 * 30


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def token_for(request: Request) -> str:
    """The request's token: its cookie's, or a new one ``set_cookie_if_new`` will send."""
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
    """Dependency of every page POST: the form's ``csrf_token`` must equal the ``csrf`` cookie."""
    cookie = request.cookies.get(COOKIE, "")
    form = await request.form()
    sent = form.get(FIELD)
    if not (cookie and isinstance(sent, str) and hmac.compare_digest(cookie, sent)):
        raise Forbidden(error="csrf_failed")


CsrfChecked = Annotated[None, Depends(check_csrf)]
