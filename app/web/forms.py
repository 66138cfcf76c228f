"""What the page handlers share about forms: the posted form (``Form``), the one way a refused
service call is handled (``attempt``: rolled back, then shown on the page), the message of a
refusal, and reading a field."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from app.errors import AppError, Invalid, validation_message
from app.i18n import has, t

T = TypeVar("T")


async def form_data(request: Request) -> FormData:
    """The posted form, read once (the CSRF check reads the same cached form)."""
    return await request.form()


Form = Annotated[FormData, Depends(form_data)]


def attempt(session: Session, action: Callable[[], T]) -> tuple[T | None, AppError | None]:
    """Runs a service call that a page shows the refusal of: ``(result, None)``, or ``(None,
    error)`` when the service refused (an ``AppError``) or the form held a value that is not one
    (a ``ValueError``, pydantic's included: ``invalid_value``). A refusal's writes are rolled
    back — the request would otherwise commit them with the page that shows it."""
    try:
        return action(), None
    except AppError as error:
        session.rollback()
        return None, error
    except ValueError as exc:
        session.rollback()
        return None, invalid_value(exc)


def invalid_value(exc: ValueError) -> Invalid:
    """A form value the schema or a parser refused, as the page shows it (422): pydantic's
    messages in the reader's language; any other parser's as the catalog's ``web.form.invalid``
    (its own text is English and names no field)."""
    if isinstance(exc, ValidationError):
        shown = "；".join(validation_message(error) for error in exc.errors())
        return Invalid(shown, error="validation_error")
    return Invalid(error="validation_error", msg="web.form.invalid")


def message_of(error: AppError) -> str:
    """What a clerk reads about a refusal: the catalog's message for the error (or the detail's
    own message), never a bare code when a message exists."""
    rendered = getattr(error, "message", None)
    detail = error.detail
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        return str(detail["message"])
    if isinstance(detail, str) and detail:
        return detail
    if isinstance(rendered, str) and rendered:
        return rendered
    return t(error.error) if has(error.error) else error.error


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def number(form: FormData, name: str) -> int | None:
    value = text(form, name)
    return int(value) if value.lstrip("-").isdigit() else None


def notice_key(key: str | None) -> str | None:
    """A notice named in the redirect's query (``?notice=web.filings.saved``): only catalog
    keys of the pages are shown, so a link cannot put arbitrary text on the page."""
    return key if key and key.startswith("web.") and has(key) else None


def params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "")}
