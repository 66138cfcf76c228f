"""A refusal carried across a redirect (issue 25 item 6): a refused decision answers 303 back
to the filing's page, so the address bar never stays on the POST's URL, and the page shows why.
The message travels in a short-lived cookie signed with the session's own secret (HMAC-SHA256 of
the text with the session's form token), so no one else can put words on a person's page."""

import base64
import hashlib
import hmac

from fastapi import Request, Response

from app.web import csrf

COOKIE = "refusal"


def _signature(request: Request, text: str) -> str | None:
    secret = csrf._session_secret(request)
    if secret is None:
        return None
    key = csrf.session_token(secret).encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:32]


def hand_over(request: Request, response: Response, text: str) -> bool:
    """Put the refusal on the redirect; False when there is no session to sign it with."""
    signature = _signature(request, text)
    if signature is None:
        return False
    value = base64.urlsafe_b64encode(text.encode()).decode() + "." + signature
    response.set_cookie(
        COOKIE, value, max_age=120, httponly=True, samesite="lax", secure=csrf.is_https(request)
    )
    return True


def take(request: Request) -> str | None:
    """The refusal handed over to this page, when its signature is this session's."""
    value = request.cookies.get(COOKIE)
    if not value or "." not in value:
        return None
    encoded, _, signature = value.rpartition(".")
    try:
        text = base64.urlsafe_b64decode(encoded.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    expected = _signature(request, text)
    return text if expected and hmac.compare_digest(expected, signature) else None
