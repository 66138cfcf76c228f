"""One error family; one handler (``app.error_handlers``) turns each into ``{"error": name,
"detail": ...}``.

A raise site names the error and gives the message's parameters; the message comes from the
catalog (``app/i18n``) in the reader's language: ``raise NotFound(error="college_not_found",
code=code)``. ``msg=`` picks a particular wording (``college_not_found.file``). A structured
``detail`` (a dict) is kept as given; its ``message`` is rendered the same way when the raise site
passes ``msg``/parameters. This module imports no FastAPI: the services and the CLI raise these."""

from typing import Any

from app.i18n import EN, get_locale, has, t


class AppError(Exception):
    status_code = 400
    error = "bad_request"

    def __init__(
        self, detail: Any = None, *, error: str | None = None, msg: str | None = None, **params: Any
    ):
        if error:
            self.error = error
        message = t(msg or self.error, **params)
        if detail is None:
            detail = message
        elif isinstance(detail, dict) and "message" not in detail:
            detail = detail | {"message": message}
        super().__init__(detail)
        self.detail = detail
        self.message = message


class NotFound(AppError):
    status_code = 404
    error = "not_found"


class Conflict(AppError):
    status_code = 409
    error = "conflict"


class Unauthorized(AppError):
    status_code = 401
    error = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    error = "forbidden"


class Invalid(AppError):
    """A well-formed request whose values the domain rejects (bad spreadsheet, bad code...)."""

    status_code = 422
    error = "invalid"


class TooManyRequests(AppError):
    status_code = 429
    error = "too_many_requests"


class TooLarge(AppError):
    status_code = 413
    error = "too_large"


def validation_message(error: Any) -> str:
    """Pydantic's message in the reader's language: English keeps pydantic's own wording."""
    if get_locale() == EN:
        return str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    ctx = {k: _zh_value(v) for k, v in (error.get("ctx") or {}).items()}
    key = f"validation.{kind}"
    return t(key if has(key) else "validation.other", **ctx)


def _zh_value(value: Any) -> Any:
    # pydantic joins the allowed values in English: "'a', 'b' or 'c'"
    return value.replace(" or ", "、").replace(", ", "、") if isinstance(value, str) else value


# ---- issue 26: a database that is down, restarting, locked or full answers 503, never 500

RETRY_AFTER_SECONDS = 5


def unavailable_error_types() -> tuple[type[Exception], ...]:
    """What a database that cannot answer raises: SQLAlchemy's wrappers, and the drivers' own
    errors (``read_rows`` runs statements on raw DBAPI connections; ``GET /api/v1/programs``
    on PostgreSQL through asyncpg, app/db/async_reads.py)."""
    import sqlite3

    import asyncpg
    import psycopg
    from sqlalchemy import exc

    return (
        exc.DBAPIError,
        exc.TimeoutError,
        psycopg.Error,
        sqlite3.Error,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        ConnectionError,  # asyncpg connecting to a server that is down: refused, reset
    )


# SQLite's primary result codes of a database that cannot serve now, not of a wrong statement:
# BUSY, LOCKED, NOMEM, READONLY, IOERR, FULL, CANTOPEN, PROTOCOL.
_SQLITE_UNAVAILABLE = {5, 6, 7, 8, 10, 13, 14, 15}


def database_unavailable(error: BaseException) -> bool:
    """True for a database that is down, restarting, out of connections, locked, or full —
    what a retry a few seconds later may get through; False for a wrong statement or data
    (those stay 500s/409s: a bug or a conflict, not an outage)."""
    import sqlite3

    import asyncpg
    import psycopg
    from sqlalchemy import exc

    if isinstance(error, exc.TimeoutError):  # no pooled connection within the pool's timeout
        return True
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if error.orig is None:
            return False
        error = error.orig
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _SQLITE_UNAVAILABLE
    # psycopg: connection failures (class 08), insufficient resources such as a full disk or
    # too many connections (53), operator intervention such as a shutdown (57), I/O errors (58);
    # asyncpg: the same classes, a connection gone, a connection refused
    return isinstance(
        error,
        (
            psycopg.OperationalError,
            psycopg.InterfaceError,
            asyncpg.PostgresConnectionError,
            asyncpg.InsufficientResourcesError,
            asyncpg.OperatorInterventionError,
            asyncpg.PostgresSystemError,
            asyncpg.InterfaceError,
            ConnectionError,
        ),
    )
