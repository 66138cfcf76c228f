"""``/openapi.json`` in the reader's language: every tag and operation carries the description of
the message catalog (``openapi.tag.<tag>``, ``openapi.op.<operationId>`` in
app/i18n/messages/openapi.py) in the request's locale — Chinese by default, English with
``Accept-Language: en`` — followed by the route's docstring, the technical reference (field
names, codes), which stays as written. The main request bodies carry an example.

What a client generator needs is completed here, centrally, for every route (``complete``), so a
route added tomorrow gets it without anything written for it:

- short, stable operation ids (``programs_list``, ``publication_csv`` …) made from the route
  function's name (``short_id``) instead of FastAPI's ``list_programs_api_v1_programs_get``;
- every download (a path ending ``.csv``, ``.xlsx``, ``.{ext}``, ``.{fmt}``) answers a declared
  binary media type (``text/csv``, XLSX), never "200 JSON";
- a redirect route is declared as its redirect (``307`` with ``Location``), with no 200;
- the answer headers clients read are declared where they occur (``ETag``, ``X-Registry-Seq``,
  ``X-Checksum-SHA256``, ``Content-Disposition``, ``Retry-After``, ``Location``).

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
PARAM_KEY, FIELD_KEY = "openapi.param.", "openapi.field."

# The main request bodies, by operation id: what a client sends (contract.md for the filing).
EXAMPLES: dict[str, dict[str, Any]] = {
    "filings_validate": {
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
    "college_create": {
        "code": "G440100001",
        "name": "广州市交通技师学院",
        "type": "技师学院",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
    },
    "program_create": {
        "college": "G440100001",
        "major_code": "0435",
        "level": "高级",
        "intake": "初中起点",
        "length_years": 5,
        "since_year": 2025,
    },
    "filing_entry_decide": {
        "decision": "rejected",
        "reason": "师资与实训条件不足",
    },
    "filing_entries_decide": {
        "decisions": [
            {"index": 0, "decision": "approved"},
            {"index": 1, "decision": "referred", "reason": "目录外专业，报省审核"},
        ]
    },
}


# Verbs that lead a route function's name: ``list_programs`` -> ``programs_list``.
VERBS = {
    "list",
    "get",
    "create",
    "update",
    "delete",
    "import",
    "replace",
    "search",
    "publish",
    "correct",
    "decide",
    "close",
    "submit",
    "withdraw",
    "revoke",
    "redeliver",
}
# Names the verb rule would make unclear, by route function name.
OVERRIDES = {
    "validate": "filings_validate",
    "template": "filing_template",
    "adopt": "catalog_adopt",
    "who_am_i": "me_get",
    "diff_publications": "publications_diff",
    "diff_publications_csv": "publications_diff_csv",
    "diff_publications_xlsx": "publications_diff_xlsx",
    "approval_statistics": "statistics_approvals",
    "latest_publication": "publication_latest",
    "latest_publication_file": "publication_latest_file",
    "replace_lines": "publication_lines_replace",
    "replace_specialties": "publication_specialties_replace",
    "replace_projects": "publication_projects_replace",
    "replace_directions": "publication_directions_replace",
    "list_deliveries": "webhook_deliveries_list",
    "redeliver": "webhook_delivery_redeliver",
    "decide_entry": "filing_entry_decide",
    "decide_entries": "filing_entries_decide",
    "import_filing": "filing_import",
    "program_statistics": "statistics_programs",  # 布点 (issue 24)
    "program_statistics_file": "statistics_programs_file",
}
CSV_MEDIA = "text/csv"
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = {"type": "string", "format": "binary"}


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "schema": schema or {"type": "string"}}


HEADERS: dict[str, dict[str, Any]] = {
    "ETag": _header(
        "the answer's version: send it back as If-None-Match for a 304 while nothing changed"
    ),
    "X-Registry-Seq": _header(
        "the change feed's newest seq when the export began: GET /changes?since= continues "
        "from it; import the edited file with base_seq= it",
        {"type": "integer"},
    ),
    "X-Checksum-SHA256": _header("the SHA-256 (hex) of the body: check it with sha256sum"),
    "Content-Disposition": _header("attachment; the file's name (filename*, UTF-8)"),
    "Retry-After": _header("seconds to wait before trying again", {"type": "integer"}),
    "Location": _header("where the answer is"),
}
# Which downloads carry which headers besides Content-Disposition (app/programs/export.py,
# app/publications/routes.py); tests/clients/test_openapi.py checks each against a live answer.
SEQ_PATHS = ("/api/v1/programs.csv", "/api/v1/programs.xlsx")
CHECKSUM_PREFIX = "/api/v1/publications/{publication_id}"
_long_ids: dict[str, str] = {}


def short_id(long_id: str) -> str:
    """``list_programs_api_v1_programs_get`` -> ``programs_list``: the route function's name,
    a leading verb moved to the end, ``_file`` dropped (``import_programs_file``)."""
    name = long_id.split("_api_v1", 1)[0] if "_api_v1" in long_id else long_id
    if name in OVERRIDES:
        return OVERRIDES[name]
    words = name.removesuffix("_file").split("_")
    if len(words) > 1 and words[0] in VERBS:
        words = [*words[1:], words[0]]
    return "_".join(words)


def long_id(op_id: str) -> str:
    """FastAPI's own id of a shortened one (catalog keys written before may use it)."""
    return _long_ids.get(op_id, op_id)


def _download_media(path: str) -> list[str]:
    if path.endswith(".csv"):
        return [CSV_MEDIA]
    if path.endswith(".xlsx"):
        return [XLSX_MEDIA]
    if path.endswith((".{ext}", ".{fmt}")):
        return [CSV_MEDIA, XLSX_MEDIA]
    return []


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with short operation ids, downloads, redirects and answer headers declared
    (in place; returns it)."""
    seen: dict[str, str] = {}
    for method, path, operation in operations(schema):
        old = operation.get("operationId", "")
        new = short_id(old)
        if new in seen:  # two routes would share a name: the later keeps FastAPI's id (add an
            new = old  # entry to OVERRIDES; tests/clients/test_openapi.py asks short ids)
        seen[new] = old
        operation["operationId"] = new
        _long_ids[new] = old
        responses = operation.setdefault("responses", {})
        ok = responses.get("200")
        if method == "get" and "307" in responses:  # a redirect, not a 200 JSON
            responses.pop("200", None)
            responses["307"] = {
                "description": responses["307"].get("description") or "Temporary Redirect",
                "headers": {"Location": HEADERS["Location"]},
            }
            continue
        medias = _download_media(path) if method == "get" else []
        if medias and ok is not None:
            ok["content"] = {media: {"schema": BINARY} for media in medias}
            headers = ok.setdefault("headers", {})
            headers["Content-Disposition"] = HEADERS["Content-Disposition"]
            if path in SEQ_PATHS:
                headers["X-Registry-Seq"] = HEADERS["X-Registry-Seq"]
            if path.startswith(CHECKSUM_PREFIX):
                headers["X-Checksum-SHA256"] = HEADERS["X-Checksum-SHA256"]
        for code, answer in responses.items():  # a file media type declared without a schema
            for media, body in (answer.get("content") or {}).items():
                if code.startswith("2") and media in (CSV_MEDIA, XLSX_MEDIA) and not body:
                    body["schema"] = BINARY
        if method == "get" and ok is not None and path.startswith("/api/v1/"):
            ok.setdefault("headers", {})["ETag"] = HEADERS["ETag"]
        for code in ("429", "503"):
            if code in responses:
                responses[code].setdefault("headers", {})["Retry-After"] = HEADERS["Retry-After"]
    _answer_enums(schema)
    return schema


def _answer_schema(operation: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """The component a GET answers with; for a page ``{"items": [...]}`` its item's."""
    media = operation.get("responses", {}).get("200", {}).get("content", {})
    ref = media.get("application/json", {}).get("schema", {}).get("$ref", "")
    found = components.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    item_ref = found.get("properties", {}).get("items", {}).get("items", {}).get("$ref", "")
    return components.get(item_ref.rsplit("/", 1)[-1], {}) if item_ref else found


def _answer_enums(schema: dict[str, Any]) -> None:
    """A field that a list filters by an enum (``level``, ``intake``, ``status`` of programs)
    is that enum in the list's items and in the single item's answer (``/programs/{id}``), not
    a plain string: generated clients type what they read as they type what they send."""
    components = schema.get("components", {}).get("schemas", {})
    gets = {path: op for method, path, op in operations(schema) if method == "get"}
    for path, operation in gets.items():
        enums = {
            p["name"]: p["schema"]
            for p in operation.get("parameters", [])
            if p.get("in") == "query" and "enum" in p.get("schema", {})
        }
        if not enums:
            continue
        targets = [_answer_schema(operation, components)]
        targets += [
            _answer_schema(op, components)
            for other, op in gets.items()
            if other.startswith(path + "/{") and other.count("/") == path.count("/") + 1
        ]
        for target in targets:
            for name, enum in enums.items():
                field = target.get("properties", {}).get(name)
                if field is not None:
                    _enum_into(field, enum)


def _enum_into(field: dict[str, Any], enum: dict[str, Any]) -> None:
    typed = {"type": "string", "enum": list(enum["enum"])}
    if field.get("type") == "string" and "enum" not in field:
        field.update(typed)
    elif any(v.get("type") == "string" and "enum" not in v for v in field.get("anyOf", ())):
        field["anyOf"] = [typed if v.get("type") == "string" else v for v in field["anyOf"]]


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
    for component in schema.get("components", {}).get("schemas", {}).values():
        for name, field in component.get("properties", {}).items():
            if not field.get("description"):
                text = _text(FIELD_KEY + name, locale)
                if text:
                    field["description"] = text
    schema["tags"] = [
        {"name": name, "description": _text(TAG_KEY + name, locale)} for name in tag_names(schema)
    ]
    for _, _, operation in operations(schema):
        op_id = operation.get("operationId", "")
        reference = operation.get("description", "").strip()
        text = _text(OP_KEY + op_id, locale) or _text(OP_KEY + long_id(op_id), locale)
        operation["description"] = "\n\n".join(part for part in (text, reference) if part)
        for parameter in operation.get("parameters", ()):
            if not parameter.get("description"):
                text = _text(PARAM_KEY + parameter.get("name", ""), locale)
                if text:
                    parameter["description"] = text
        example = EXAMPLES.get(op_id) or EXAMPLES.get(long_id(op_id))
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
            cache[locale] = localize(complete(copy.deepcopy(base())), locale)
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
