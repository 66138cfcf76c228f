"""Helpers the cycle's page handlers share: the posted form, running a service call that may be
refused (rolled back, then shown on the page), and the message of a refusal."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from app.errors import AppError
from app.i18n import has, t

T = TypeVar("T")


async def form_data(request: Request) -> FormData:
    """The posted form, read once (the CSRF check reads the same cached form)."""
    return await request.form()


Form = Annotated[FormData, Depends(form_data)]


def attempt(session: Session, action: Callable[[], T]) -> tuple[T | None, AppError | None]:
    """Run a service call; when it is refused, roll its writes back (the request would otherwise
    commit them with the page that shows the refusal) and hand back the error."""
    try:
        return action(), None
    except AppError as error:
        session.rollback()
        return None, error


def message_of(error: AppError) -> str:
    """What a clerk reads about a refusal: the catalog's message for the error (or the detail's
    own message), never a bare code when a message exists."""
    rendered = getattr(error, "message", None)
    detail = error.detail
    if isinstance(detail, dict) and isinstance(detail.get("message"), str):
        return detail["message"]
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
