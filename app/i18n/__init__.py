"""Messages in the reader's language: Chinese (zh-CN) by default, English on request.

``t(key, **params)`` renders a catalog message in the current locale; the locale is set per
request by ``LocaleMiddleware`` (``Accept-Language``, or the pages' ``lang`` cookie) and per CLI
run from ``REGISTRY_LANG``. Keys are the stable finding codes and error names of contract.md,
plus dotted keys for CLI and page text. See docs/i18n.md."""

from app.i18n.catalog import CATALOG, Joined, Years, has, t, t_all
from app.i18n.locale import (
    DEFAULT_LOCALE,
    EN,
    LOCALES,
    ZH,
    get_locale,
    negotiate,
    set_locale,
    use_locale,
)

__all__ = [
    "CATALOG",
    "Joined",
    "Years",
    "DEFAULT_LOCALE",
    "EN",
    "LOCALES",
    "ZH",
    "get_locale",
    "has",
    "negotiate",
    "set_locale",
    "t",
    "t_all",
    "use_locale",
]
