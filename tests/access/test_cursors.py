"""Every list route reads its cursor through one helper: a cursor it did not issue — forged,
truncated, or carrying a key of the wrong type — is 422 ``invalid_cursor``, never a 500.

The routes come from the OpenAPI schema (every GET with a ``cursor`` parameter), so a list added
later is covered without touching this file."""

import base64
import json

import pytest

from app.config import Settings
from app.main import create_app


# Values for path and required query parameters of list routes, by parameter name: a value, or
# a function (client, superuser headers) -> value that creates what the list belongs to.
def _webhook(client, headers) -> str:
    body = {"url": "http://93.184.216.34/hook", "entities": ["program"], "secret": "s" * 20}
    response = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


SAMPLE_PARAMETERS = {"key": "technician-2022", "q": "汽车", "webhook_id": _webhook}


def _list_routes() -> list[str]:
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if any(p["name"] == "cursor" for p in operations.get("get", {}).get("parameters", []))
    )


def _cursor(key) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# Whatever the list's key, none of these is a cursor it issued.
FORGED = {
    "not base64": "%%%",
    "not json": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    "json object": _cursor({"id": 1}),
    "empty key": _cursor([]),
    "two values": _cursor([1, 2]),
    "null": _cursor([None]),
    "float": _cursor([1.5]),
    "boolean": _cursor([True]),
    "nested": _cursor([[1]]),
}


def _request(client, path: str, operation: dict, headers: dict) -> tuple[str, dict]:
    params = {}
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        if parameter["in"] == "path" or parameter.get("required"):
            assert name in SAMPLE_PARAMETERS, (
                f"{path}: add a sample value for parameter {name!r} to SAMPLE_PARAMETERS "
                "in tests/access/test_cursors.py"
            )
            value = SAMPLE_PARAMETERS[name]
            value = value(client, headers) if callable(value) else value
            if parameter["in"] == "path":
                path = path.replace("{" + name + "}", value)
            else:
                params[name] = value
    return path, params


@pytest.mark.parametrize("route", _list_routes())
def test_list_route_answers_a_cursor_it_did_not_issue_with_422(route, seeded_client, tokens):
    operation = seeded_client.app.openapi()["paths"][route]["get"]
    superuser = tokens("admin")
    path, params = _request(seeded_client, route, operation, superuser)
    wrong = []
    for name, cursor in FORGED.items():
        response = seeded_client.get(path, params={**params, "cursor": cursor}, headers=superuser)
        if response.status_code != 422 or response.json().get("error") != "invalid_cursor":
            wrong.append(f"{name}: {response.status_code} {response.text[:120]}")
    # A key of the list's own type pages on; the other type is mistyped.
    typed = {
        kind: seeded_client.get(
            path, params={**params, "cursor": _cursor([value])}, headers=superuser
        )
        for kind, value in (("int", 7), ("str", "x"))
    }
    outcomes = sorted(
        (r.status_code, r.json().get("error") if r.status_code != 200 else None)
        for r in typed.values()
    )
    if outcomes != [(200, None), (422, "invalid_cursor")]:
        wrong.append(
            f"[7] and ['x']: one must page on, the other be 422 invalid_cursor: {outcomes}"
        )
    assert not wrong, f"GET {route}:\n  " + "\n  ".join(wrong)
