"""The bounds every input shares, so that SQLite and PostgreSQL see the same values.

SQLite stores any string in a VARCHAR(20) and any text with a NUL; PostgreSQL refuses both, and
neither stores a lone UTF-16 surrogate (``"\\ud800"`` in JSON). So the limits are checked before
the database sees a value, the same way on both backends:

- **one text rule** for every text field (``clean_text``): Unicode NFC; no NUL, no other control
  character but tab, line feed and carriage return (the characters a spreadsheet cell may hold —
  openpyxl refuses the others when it writes a list); no lone surrogate. Request models derive
  from ``Input``, which applies it to every string field; query strings and paths are checked by
  ``TextRuleGuard`` before any route runs.
- **lengths** equal to the column's (``Field(max_length=…)`` on the model, next to the column).
- **integers** within what the database stores: ids ``1 ≤ id < 2**31`` (PostgreSQL's
  INTEGER: ``DbId``), years ``1949–2100`` in bodies (``Year``), ``1–9999`` as filters.

The same bounds as FastAPI's path, query and form parameters are ``app.params``: this module
imports no FastAPI (the services and the CLI use it).
"""

import json
import re
import unicodedata
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl

from pydantic import AfterValidator, BaseModel, Field, field_validator
from starlette.types import ASGIApp, Receive, Scope, Send

from app import headers
from app.i18n import negotiate, t

# Ids and versions are INTEGER columns: 32 bits on PostgreSQL (SQLite's hold 64).
DB_INT_MAX = 2**31 - 1
YEAR_MIN, YEAR_MAX = 1949, 2100


class TextRuleError(ValueError):
    pass


# Unicode Cc (C0, DEL, C1) but tab, LF, CR; and Cs (surrogates: never text on their own).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` breaks the text rule, or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} is not text"
    return f"the control character U+{code:04X} is not allowed"


def clean_text(value: str) -> str:
    """The text rule: the value in NFC, or ``TextRuleError``."""
    problem = text_problem(value)
    if problem:
        raise TextRuleError(problem)
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def _clean_any(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_any(v) for v in value]
    return value  # a dict is a nested model: an Input itself, it applies the rule with its loc


class Input(BaseModel):
    """Base of every request body model: the text rule on every string field and list of
    strings (nested models are ``Input`` too)."""

    @field_validator("*", mode="before")
    @classmethod
    def _text_rule(cls, value: Any) -> Any:
        try:
            return _clean_any(value)
        except TextRuleError as exc:
            raise ValueError(str(exc)) from None


# --- integers ----------------------------------------------------------------------------------

DbId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
# A year filter (``app.params.YearQuery``) finds nothing outside the data, which is no error; it
# only has to be a year.
YEAR_FILTER_MIN, YEAR_FILTER_MAX = 1, 9999
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


# --- datetimes ---------------------------------------------------------------------------------


def _aware(moment: datetime) -> datetime:
    # SQLite hands stored datetimes back naive; every stored moment is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_aware)]


# --- query strings and paths -------------------------------------------------------------------


# The scope key under which the guard leaves the query string's (name, value) pairs it decoded
# (``app.queryparams.read_query``): a percent-encoded Chinese filter is parsed once a request.
QUERY_PAIRS = "registry.query_pairs"


class TextRuleGuard:
    """The text rule for what no model reads: the path and every query parameter. A value that
    breaks it is 422 ``validation_error`` (``loc`` ``["query", name]`` or ``["path"]``) before
    routing — PostgreSQL refuses a NUL in a parameter, SQLite does not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            problem = _scope_problem(scope)
            if problem is not None:
                await _refuse(scope, send, *problem)
                return
        await self.app(scope, receive, send)


def _scope_problem(scope: Scope) -> tuple[list[str], str] | None:
    path = scope.get("path", "")
    if not path.isascii() or "%" in scope.get("raw_path", b"").decode("latin-1"):
        reason = text_problem(path)
        if reason:
            return ["path"], reason
    raw = scope.get("query_string", b"")
    if not raw:
        return None
    query = raw.decode("latin-1")
    if query.isascii() and "%" not in query and "+" not in query:
        return None
    pairs = parse_qsl(query, keep_blank_values=True, errors="replace")
    scope[QUERY_PAIRS] = pairs  # read_query takes them from here instead of parsing again
    for name, value in pairs:
        for part in (name, value):
            reason = text_problem(part)
            if reason:
                return ["query", name], reason
    return None


async def _refuse(scope: Scope, send: Send, loc: list[str], reason: str) -> None:
    accept = headers.text(scope, b"accept-language")
    msg = t("validation.text_rule", locale=negotiate(accept), error=reason)
    detail = [{"loc": loc, "msg": msg, "type": "text_rule"}]
    body = json.dumps({"error": "validation_error", "detail": detail}, ensure_ascii=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def text_rule_or_none(value: str | None) -> str | None:
    """``clean_text`` of an optional value, its refusal a ``ValueError`` (pydantic's)."""
    if value is None:
        return None
    try:
        return clean_text(value)
    except TextRuleError as exc:
        raise ValueError(str(exc)) from None
