"""Sets the request's locale: a ``lang`` cookie (the pages' language switch) wins over the
``Accept-Language`` header; English only when asked for (contract.md: Messages)."""

from starlette.types import ASGIApp, Receive, Scope, Send

from app import headers
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
    """The request's language: the ``lang`` cookie when it names one, else ``Accept-Language``."""
    chosen = headers.cookie(scope, LANG_COOKIE)
    if chosen is not None and chosen in LOCALES:
        return chosen
    return negotiate(headers.text(scope, b"accept-language"))
