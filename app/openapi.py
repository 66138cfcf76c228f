"""``/openapi.json`` in the reader's language: every tag and operation carries the description of
the message catalog (``openapi.tag.<tag>``, ``openapi.op.<operationId>`` in
app/i18n/messages/openapi.py) in the request's locale — Chinese by default, English with
``Accept-Language: en`` — followed by the route's docstring, the technical reference (field
names, codes), which stays as written. The main request bodies carry an example.

One schema is built per language, on first use, and kept for the process: the routes do not
change after start-up. ``app.openapi()`` outside a request gives the default (Chinese) one."""

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.routing import Route

from app.i18n import get_locale, t
from app.i18n.catalog import CATALOG

TAG_KEY, OP_KEY, INFO_KEY = "openapi.tag.", "openapi.op.", "openapi.info"

# The main request bodies, by operation id: what a client sends (contract.md for the filing).
EXAMPLES: dict[str, dict[str, Any]] = {
    "validate_api_v1_filings_validate_post": {
        "college": "G440100001",
        "year": 2025,
        "entries": [
            {
                "major_code": "0435",
                "major_name": "新能源汽车检测与维修",
                "category": "交通类",
                "intake": "初中起点",
                "level": "高级",
                "length_years": 5,
                "kind": "新增层次",
                "remark": "",
            }
        ],
    },
    "create_college_api_v1_colleges_post": {
        "code": "G440100001",
        "name": "广州市交通技师学院",
        "type": "技师学院",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
    },
    "create_program_api_v1_programs_post": {
        "college": "G440100001",
        "major_code": "0435",
        "level": "高级",
        "intake": "初中起点",
        "length_years": 5,
        "since_year": 2025,
    },
    "decide_entry_api_v1_filings__filing_id__entries__index__decision_post": {
        "decision": "rejected",
        "reason": "师资与实训条件不足",
    },
    "decide_entries_api_v1_filings__filing_id__decisions_post": {
        "decisions": [
            {"index": 0, "decision": "approved"},
            {"index": 1, "decision": "referred", "reason": "目录外专业，报省审核"},
        ]
    },
}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation of ``schema``."""
    return [
        (method, path, operation)
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]


def tag_names(schema: dict[str, Any]) -> list[str]:
    """Every tag an operation uses, in order of first use."""
    seen: dict[str, None] = {}
    for _, _, operation in operations(schema):
        seen.update(dict.fromkeys(operation.get("tags", ())))
    return list(seen)


def localize(base: dict[str, Any], locale: str) -> dict[str, Any]:
    """A copy of ``base`` with the catalog's descriptions in ``locale`` and the examples."""
    schema = copy.deepcopy(base)
    schema["info"]["description"] = t(INFO_KEY, locale=locale)
    schema["tags"] = [
        {"name": name, "description": _text(TAG_KEY + name, locale)} for name in tag_names(schema)
    ]
    for _, _, operation in operations(schema):
        op_id = operation.get("operationId", "")
        reference = operation.get("description", "").strip()
        text = _text(OP_KEY + op_id, locale)
        operation["description"] = "\n\n".join(part for part in (text, reference) if part)
        example = EXAMPLES.get(op_id)
        content = operation.get("requestBody", {}).get("content", {})
        if example is not None and "application/json" in content:
            content["application/json"]["example"] = example
    return schema


def _text(key: str, locale: str) -> str:
    return t(key, locale=locale) if key in CATALOG else ""


def install(app: FastAPI) -> None:
    """After every router and ``document_error_bodies``: ``app.openapi()`` answers in the current
    locale, and ``/openapi.json`` says that it varies with the language."""
    base: Callable[[], dict[str, Any]] = app.openapi
    cache: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        locale = get_locale()
        if locale not in cache:
            cache[locale] = localize(base(), locale)
        return cache[locale]

    app.openapi = openapi  # type: ignore[method-assign]

    url = app.openapi_url
    routes = app.router.routes
    for position, route in enumerate(routes):
        if isinstance(route, Route) and url and route.path == url:
            routes[position] = Route(url, _varying(route.endpoint), include_in_schema=False)


def _varying(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[..., Any]:
    """FastAPI's own ``/openapi.json`` endpoint (it adds ``servers`` behind a root path), saying
    that the answer depends on the language: ``Accept-Language`` and the ``lang`` cookie."""

    async def openapi_json(request: Request) -> Response:
        response = await endpoint(request)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    return openapi_json
