"""The one message catalog: every key (a finding code, an error name, a CLI or page message)
with its Chinese and English text. The texts live by area in ``app/i18n/messages/*.py`` so that
engineers adding codes in parallel touch different files; here they become one dictionary.

A text is a ``str.format`` template. Parameters the caller passes are values (codes, names,
numbers); ``Years(n)`` and ``Joined(items)`` render as the language reads them (``五年`` /
``5 years``; ``中级、高级`` / ``中级, 高级``)."""

from collections.abc import Iterable, Mapping
from typing import Any

from app.i18n.locale import EN, ZH, get_locale
from app.i18n.messages import cli, cycle, errors, findings, openapi, validation, web

AREAS = {
    "app/i18n/messages/findings.py": findings.MESSAGES,
    "app/i18n/messages/errors.py": errors.MESSAGES,
    "app/i18n/messages/validation.py": validation.MESSAGES,
    "app/i18n/messages/cli.py": cli.MESSAGES,
    "app/i18n/messages/web.py": web.MESSAGES,
    "app/i18n/messages/cycle.py": cycle.MESSAGES,
    "app/i18n/messages/openapi.py": openapi.MESSAGES,
}


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for area in AREAS.values():
        merged.update(area)
    return merged


CATALOG: dict[str, tuple[str, str]] = _merge()
_INDEX = {ZH: 0, EN: 1}


class _Keep(dict[str, Any]):
    """A parameter a caller forgot shows as ``{name}`` instead of failing the request."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def has(key: str) -> bool:
    return key in CATALOG


def t(key: str, /, *, locale: str | None = None, **params: Any) -> str:
    """The message ``key`` in the current (or given) locale; the key itself if it is unknown."""
    texts = CATALOG.get(key)
    if texts is None:
        return key
    loc = locale or get_locale()
    template = texts[_INDEX.get(loc, 0)]
    if not params:
        return template
    with_locale = {name: _localized(value, loc) for name, value in params.items()}
    return template.format_map(_Keep(with_locale))


def t_all(key: str, **params: Any) -> Mapping[str, str]:
    return {loc: t(key, locale=loc, **params) for loc in _INDEX}


class Years(int):
    """A program length: ``五年`` in Chinese (as the lists print it), ``5 years`` in English."""


class Joined(tuple[str, ...]):  # noqa: N801
    """A list of values: joined by ``、`` in Chinese, ``, `` in English."""

    def __new__(cls, items: Iterable[Any]) -> "Joined":
        return super().__new__(cls, (str(i) for i in items))


def _localized(value: Any, locale: str) -> Any:
    if isinstance(value, Years):
        from app.vocab import YEARS_CN

        if locale == ZH:
            return YEARS_CN.get(int(value), f"{int(value)}年")
        return f"{int(value)} year" + ("" if int(value) == 1 else "s")
    if isinstance(value, Joined):
        return ("、" if locale == ZH else ", ").join(value)
    return value
