"""What every ``registry`` command shares: the database, who acts, and how it speaks on stderr."""

import getpass
from typing import Any

from rich.console import Console
from sqlalchemy.engine import Engine

from app.access.principal import Principal, Role
from app.config import get_settings
from app.db import make_engine
from app.errors import AppError
from app.i18n import t

err = Console(stderr=True)


def engine() -> Engine:
    """The database of REGISTRY_DATABASE_URL, with this process's settings."""
    from app import models  # noqa: F401  (every table, and the feed rows registered as showing others)

    settings = get_settings()
    return make_engine(settings.database_url, settings)


def cli_actor() -> Principal:
    """Who the audit log names for a command that changes the registry: the shell user
    (``cli:<user>``), as a superuser (role admin, no authority)."""
    return Principal(name=f"cli:{getpass.getuser()}", role=Role.ADMIN)


def say(text: str) -> None:
    """One line on stderr, never wrapped (scripts read these lines), no markup."""
    err.print(text, markup=False, highlight=False, soft_wrap=True)


def print_errors(exc: AppError) -> None:
    """An import's row errors one per line (row, column, code, message), or the error itself."""
    detail = exc.detail
    if isinstance(detail, dict) and "errors" in detail:
        for e in detail["errors"]:
            say(_row_error(e))
        shown = len(detail["errors"])
        if detail["error_count"] > shown:
            say(t("cli.import.more_errors", count=detail["error_count"] - shown))
        say(t("cli.import.rejected", count=detail["error_count"]))
    elif isinstance(detail, dict) and "rows" in detail:  # changed_since_export
        for row in detail["rows"]:
            say(t("cli.import.stale_row", **row))
        say(t("cli.error_plain", error=exc.error, detail=exc.message))
    else:
        say(t("cli.error_plain", error=exc.error, detail=detail))


def _row_error(e: dict[str, Any]) -> str:
    suggestion = e.get("suggestion")
    hint = t("cli.import.suggestion", suggestion=suggestion) if suggestion else ""
    value = e.get("value")
    shown = t("cli.import.value", value=value) if value not in (None, "") else ""
    fields = {k: e[k] for k in ("row", "column", "code", "message")}
    return t("cli.import.row_error", **fields, value=shown, hint=hint)
