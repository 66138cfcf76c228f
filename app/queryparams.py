"""Query strings: the refusal of parameters a route does not declare, and a query string read into
a pydantic model by the route itself, for the hottest read.

``refuse_unknown`` is an app-wide dependency: a ``GET /api/v1/…`` whose query string names a
parameter the matched route does not declare (its own, its dependencies', the fields of a query
model, and the ``openapi_extra`` parameters of a route that reads its query itself) is 422
``unknown_parameter`` naming it — a filter a route ignored silently would answer as if it applied.

A query string read by the route itself:

FastAPI's own parameter parsing cost ~0.26 ms per ``GET /programs`` (a third of the request's CPU,
docs/benchmarks.md, 2.); ``model_validate`` on the query string does the same checks in a few
microseconds. Errors are FastAPI's own 422 (``loc`` starts with ``"query"``), and ``openapi`` keeps
the parameters in the schema, so clients see no difference.
"""

from collections.abc import Collection, Iterable
from types import NoneType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.errors import Invalid
from app.fields import QUERY_PAIRS

M = TypeVar("M", bound=BaseModel)


API_PREFIX = "/api/v1/"
CHECKED_METHODS = frozenset({"GET", "HEAD"})
# id(route) -> (route, the query parameter names it declares); the route is kept so its id is
# never reused while the entry lives. Routes are made once per process: the dict stays small.
_DECLARED: dict[int, tuple[APIRoute, frozenset[str]]] = {}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def declared_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameter names ``route`` reads: declared by it or its dependencies (a query
    model's fields by their alias), and the ``openapi_extra`` ones of a route reading its own."""
    names: set[str] = set()
    stack: list[Dependant] = [route.dependant]
    while stack:
        dependant = stack.pop()
        for field in dependant.query_params:
            model = _model_of(field.field_info.annotation)
            if model is None:
                names.add(field.alias)
            else:
                names.update(f.alias or name for name, f in model.model_fields.items())
        stack.extend(dependant.dependencies)
    extra = (route.openapi_extra or {}).get("parameters", [])
    names.update(p["name"] for p in extra if p.get("in") == "query")
    return frozenset(names)


def _declared(route: APIRoute) -> frozenset[str]:
    found = _DECLARED.get(id(route))
    if found is None or found[0] is not route:
        found = _DECLARED[id(route)] = (route, declared_parameters(route))
    return found[1]


def refuse_names(names: Iterable[str], allowed: Collection[str]) -> None:
    """422 ``unknown_parameter`` naming the first of ``names`` not in ``allowed`` (all of them in
    ``detail.parameters``)."""
    unknown = [name for name in dict.fromkeys(names) if name not in allowed]
    if unknown:
        raise Invalid(
            {"parameter": unknown[0], "parameters": unknown, "allowed": sorted(allowed)},
            error="unknown_parameter",
            name=unknown[0],
            allowed="、".join(sorted(allowed)) or "—",
        )


async def refuse_unknown(request: Request) -> None:
    """The app-wide dependency (``app.main``): a public ``GET /api/v1/…`` list, export or
    resource refuses a query parameter its route does not declare. ``async``: no thread hop."""
    route = request.scope.get("route")
    if (
        request.method in CHECKED_METHODS
        and isinstance(route, APIRoute)
        and request.scope["path"].startswith(API_PREFIX)  # route.path lacks a router's prefix
        and request.scope.get("query_string")
    ):
        refuse_names(request.query_params.keys(), _declared(route))


def read_query(request: Request, model: type[M]) -> M:
    """``model`` from the query string (the last value of a repeated name, like FastAPI); a name
    that is no field of ``model`` is 422 ``unknown_parameter``."""
    pairs = request.scope.get(QUERY_PAIRS)  # decoded by the text rule's guard already
    values = dict(request.query_params if pairs is None else pairs)
    refuse_names(values, model.model_fields.keys())
    try:
        return model.model_validate(values)
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
