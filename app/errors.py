"""One error family; one handler turns each into ``{"error": name, "detail": ...}``."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException


class AppError(Exception):
    status_code = 400
    error = "bad_request"

    def __init__(self, detail: Any = None, *, error: str | None = None):
        super().__init__(detail)
        self.detail = detail
        if error:
            self.error = error


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


class TooLarge(AppError):
    status_code = 413
    error = "too_large"


def _body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(_body(exc.error, exc.detail), exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        return JSONResponse(_body("validation_error", detail), 422)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        # Safety net: a uniqueness or foreign-key violation the service did not foresee.
        return JSONResponse(_body("conflict", str(exc.orig).splitlines()[0]), 409)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        error = names.get(exc.status_code, "http_error")
        return JSONResponse(_body(error, exc.detail), exc.status_code, headers=exc.headers)
