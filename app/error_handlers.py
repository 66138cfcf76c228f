"""The HTTP answers of the error family (``app.errors``): ``{"error": name, "detail": ...}`` for
the API, a page for a browser's page route (the hook ``app.web`` installs), 503 with
``Retry-After`` for a database that cannot answer — and the OpenAPI's ``ErrorBody``.
"""

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import (
    RETRY_AFTER_SECONDS,
    AppError,
    database_unavailable,
    unavailable_error_types,
    validation_message,
)
from app.i18n import t


def _body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        headers = getattr(exc, "headers", None) or headers  # e.g. 429's Retry-After
        return _respond(request, exc.status_code, exc.error, exc.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        detail = [
            {"loc": list(e.get("loc", ())), "msg": validation_message(e), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _respond(request, 422, "validation_error", detail)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # Safety net: a uniqueness or foreign-key violation the service did not foresee. The
        # database's own text names tables and constraints: it goes to the log, not the client.
        logging.getLogger("registry.error").warning(
            "integrity error answered 409: %s", str(exc.orig).splitlines()[0]
        )
        return _respond(request, 409, "conflict", t("conflict.retry"))

    for kind in unavailable_error_types():
        app.add_exception_handler(kind, _database_error)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        names = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        error = names.get(exc.status_code, "http_error")
        detail = _http_detail(error, exc)
        return _respond(request, exc.status_code, error, detail, exc.headers)


# A page (a browser's request outside /api/) that fails is answered with an HTML page by the
# hook the web package installs (app/web/setup.py); the API always answers {"error", "detail"}.
ErrorPage = Callable[[Request, int, str, Any], Response]


def _respond(
    request: Request, status: int, error: str, detail: Any, headers: Mapping[str, str] | None = None
) -> Response:
    page: ErrorPage | None = getattr(request.app.state, "error_page", None)
    wants_page = "text/html" in request.headers.get("accept", "")
    if page is not None and wants_page and not request.url.path.startswith("/api/"):
        response = page(request, status, error, detail)
        response.headers.update(headers or {})
        return response
    return JSONResponse(_body(error, detail), status, headers=dict(headers) if headers else None)


# Starlette's own phrases for its errors: shown in the reader's language instead.
_STARLETTE_DETAILS = {"Not Found": "not_found.path", "Method Not Allowed": "method_not_allowed"}


def _http_detail(error: str, exc: StarletteHTTPException) -> Any:
    key = _STARLETTE_DETAILS.get(exc.detail) if isinstance(exc.detail, str) else None
    return t(key) if key else exc.detail


ERROR_BODY_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "a stable error name, e.g. `not_found`"},
        "detail": {"description": "a message, or structured detail (validation errors...)"},
    },
}


def document_error_bodies(app: FastAPI) -> None:
    """The OpenAPI says what the service answers: every error response (4xx, and any status the
    route documents above 400) is ``ErrorBody`` — 422 included, where FastAPI would document its
    own ``HTTPValidationError`` that this service never sends."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["ErrorBody"] = ERROR_BODY_SCHEMA
        ref = {"$ref": "#/components/schemas/ErrorBody"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, response in responses.items():
                    if str(code)[0] in "45":
                        response.setdefault("description", "Error")
                        response["content"] = {"application/json": {"schema": ref}}
                responses.setdefault(
                    "4XX",
                    {
                        "description": 'Any refused request: `{"error", "detail"}`',
                        "content": {"application/json": {"schema": ref}},
                    },
                )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def unavailable_response(request: Request) -> Response:
    """``503 service_unavailable`` with ``Retry-After`` (a page for a browser's page route)."""
    detail = t("service_unavailable", seconds=RETRY_AFTER_SECONDS)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return _respond(request, 503, "service_unavailable", detail, headers)


async def _database_error(request: Request, error: Exception) -> Response:
    if not database_unavailable(error):
        raise error  # a bug: logged and answered 500 by app.middleware
    logging.getLogger("registry.error").warning(
        "database unavailable, answered 503: %s: %s",
        type(error).__name__,
        str(error).splitlines()[0] if str(error) else "",
    )
    return unavailable_response(request)
