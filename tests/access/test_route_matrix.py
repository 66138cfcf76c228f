"""Every route of the OpenAPI schema × every role gets the status the table says."""

import pytest

from tests.access.matrix import (
    PARENT_AND_SIBLING,
    ROLE_ORDER,
    TABLE,
    Ctx,
    parent_and_sibling_expect,
)


def schema_routes(app) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_route_in_the_openapi_schema_has_a_row_in_the_table(app):
    routes = schema_routes(app)
    missing = sorted(routes - set(TABLE))
    stale = sorted(set(TABLE) - routes)
    assert not missing, (
        "routes without a row in tests/access/matrix.py TABLE (add one per route): "
        + ", ".join(f"{m} {p}" for m, p in missing)
    )
    assert not stale, "rows for routes no longer in the schema: " + ", ".join(
        f"{m} {p}" for m, p in stale
    )


@pytest.mark.parametrize("route", sorted(TABLE), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_answers_each_role_with_the_expected_status(route, seeded_client, role_headers):
    method, _ = route
    row = TABLE[route]
    ctx = Ctx(client=seeded_client, engine=seeded_client.app.state.engine, headers=role_headers)
    wrong = []
    for role in ROLE_ORDER:
        call = row.build(ctx, role)
        response = seeded_client.request(
            method,
            call.path,
            headers=role_headers[role],
            json=call.json,
            params=call.params,
            files=call.files,
            data=call.data,
        )
        if response.status_code != row.expect[role]:
            wrong.append(
                f"{role}: expected {row.expect[role]}, got {response.status_code} "
                f"{response.text[:200]}"
            )
    assert not wrong, f"{method} {call.path}:\n  " + "\n  ".join(wrong)


def test_openapi_declares_the_bearer_scheme(app):
    schemes = app.openapi()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["HTTPBearer"].items()


def test_every_protected_route_documents_bearer_401_and_403(app):
    """Protected = the table says an anonymous caller gets 401."""
    paths = app.openapi()["paths"]
    undocumented = []
    for (method, path), row in sorted(TABLE.items()):
        if row.expect["anonymous"] != 401:
            continue
        operation = paths[path][method.lower()]
        if not {"401", "403"} <= set(operation["responses"]) or {"HTTPBearer": []} not in (
            operation.get("security", [])
        ):
            undocumented.append(f"{method} {path}")
    assert not undocumented, "add AUTH_RESPONSES to: " + ", ".join(undocumented)


@pytest.mark.parametrize("route", sorted(TABLE), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_answers_province_and_sibling_callers(
    route, seeded_client, role_headers, parent_and_sibling_headers
):
    """The province's admin and reviewer, and a sibling city bureau's, on every route: each
    builds its call in the slot of the role it stands in for (a fresh object, as that role's)."""
    method, _ = route
    row = TABLE[route]
    expect = parent_and_sibling_expect(route)
    ctx = Ctx(client=seeded_client, engine=seeded_client.app.state.engine, headers=role_headers)
    wrong = []
    for caller, slot in PARENT_AND_SIBLING.items():
        call = row.build(ctx, slot)
        response = seeded_client.request(
            method,
            call.path,
            headers=parent_and_sibling_headers[caller],
            json=call.json,
            params=call.params,
            files=call.files,
            data=call.data,
        )
        if response.status_code != expect[caller]:
            wrong.append(
                f"{caller}: expected {expect[caller]}, got {response.status_code} "
                f"{response.text[:200]}"
            )
    assert not wrong, f"{method} {call.path}:\n  " + "\n  ".join(wrong)
