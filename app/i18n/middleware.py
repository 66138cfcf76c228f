"""Sets the request's locale: a ``lang`` cookie (the pages' language switch) wins over the
``Accept-Language`` header; English only when asked for (contract.md: Messages)."""

from starlette.types import ASGIApp, Receive, Scope, Send

from app.i18n.locale import LOCALES, negotiate, use_locale

LANG_COOKIE = "lang"


class LocaleMiddleware:
    """Pure ASGI (no ``BaseHTTPMiddleware``): the hot GET /programs pays one header scan."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with use_locale(locale_of(scope)):
            await self.app(scope, receive, send)


def locale_of(scope: Scope) -> str:
    accept, cookie = None, None
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            accept = value.decode("latin-1")
        elif name == b"cookie":
            cookie = value.decode("latin-1")
    chosen = _cookie_lang(cookie) if cookie else None
    return chosen or negotiate(accept)


def _cookie_lang(cookie: str) -> str | None:
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE and value in LOCALES:
            return value
    return None
