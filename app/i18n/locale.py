"""The reader's language for the current request (or CLI run), held in a context variable so that
services render messages without a ``locale`` argument on every function.

Starlette copies the context into the worker threads of sync routes, so a value set by the
middleware is seen by services, error handlers and templates of the same request."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

ZH, EN = "zh-CN", "en"
LOCALES = (ZH, EN)
DEFAULT_LOCALE = ZH

_locale: ContextVar[str] = ContextVar("registry_locale", default=DEFAULT_LOCALE)


def get_locale() -> str:
    return _locale.get()


def set_locale(locale: str) -> None:
    _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def locale_token(locale: str) -> Token[str]:
    """Sets the locale until ``reset_locale(token)`` (for callers that cannot use a ``with``)."""
    return _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def reset_locale(token: Token[str]) -> None:
    _locale.reset(token)


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an ``Accept-Language`` header (RFC 9110 quality values).
    Any ``zh`` wins Chinese, any ``en`` English; nothing we speak (or no header) → Chinese."""
    if not accept_language:
        return DEFAULT_LOCALE
    best, best_q = DEFAULT_LOCALE, -1.0
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = _quality(params)
        primary = tag.strip().lower().split("-", 1)[0]
        locale = {"zh": ZH, "en": EN}.get(primary)
        # Equal qualities: the first listed wins (position breaks the tie).
        if locale and q > 0 and q - position * 1e-6 > best_q:
            best, best_q = locale, q - position * 1e-6
    return best


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
