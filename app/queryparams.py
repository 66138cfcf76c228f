"""A query string read into a pydantic model by the route itself, for the hottest read.

FastAPI's own parameter parsing cost ~0.26 ms per ``GET /programs`` (a third of the request's CPU,
docs/benchmarks.md, 2.); ``model_validate`` on the query string does the same checks in a few
microseconds. Errors are FastAPI's own 422 (``loc`` starts with ``"query"``), and ``openapi`` keeps
the parameters in the schema, so clients see no difference.
"""

from types import NoneType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.fields import QUERY_PAIRS

M = TypeVar("M", bound=BaseModel)


def read_query(request: Request, model: type[M]) -> M:
    """``model`` from the query string (the last value of a repeated name, like FastAPI)."""
    pairs = request.scope.get(QUERY_PAIRS)  # decoded by the text rule's guard already
    try:
        return model.model_validate(dict(request.query_params if pairs is None else pairs))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
        ) from None


def openapi(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` declaring each field of ``model`` as an optional query parameter."""
    parameters = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        assert annotation is not None
        if get_origin(annotation) in (Union, UnionType):
            annotation = next(a for a in get_args(annotation) if a is not NoneType)
        schema = TypeAdapter(annotation).json_schema()
        for key in ("ge", "le"):
            bound = next((getattr(m, key) for m in field.metadata if hasattr(m, key)), None)
            if bound is not None:
                schema["minimum" if key == "ge" else "maximum"] = bound
        if field.default is not None:
            schema["default"] = field.default
        parameter = {"name": name, "in": "query", "required": False, "schema": schema}
        if field.description:
            parameter["description"] = field.description
        parameters.append(parameter)
    return {"parameters": parameters}
